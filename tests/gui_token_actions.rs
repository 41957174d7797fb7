//! The token's life in the window, as a person clicking through it sees it: the signature badge,
//! Refresh, Revoke and "Revoke tokens when I'm done", against the in-process demo server; plus
//! pictures of the badges.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::time::{Duration, Instant, UNIX_EPOCH};

use cl_login_tester::attempt::follow_up;
use cl_login_tester::attempt::Attempt;
use cl_login_tester::auth::{Signature, SignatureCheck};
use cl_login_tester::auth_host::AuthHost;
use cl_login_tester::auth_host::Transport;
use egui_kittest::kittest::Queryable;
use support::window::{canned_attempt, canned_token, Window, ISSUED_AT};
use support::{catalog, Canned, Demo, Hostile};

fn answer(w: &Window) -> Attempt {
    w.harness.state().answer().cloned().expect("an answer")
}

fn tokens(attempt: &Attempt) -> (String, Option<String>) {
    let token = attempt.outcome.token.as_ref().expect("a token");
    (token.access_token.clone(), token.refresh_token.clone())
}

/// Turns "Revoke tokens when I'm done" on the way a person does: in the Settings menu.
fn revoke_when_done(w: &mut Window) {
    w.click("Settings");
    w.click("Revoke tokens when I'm done");
    w.harness.key_press(egui::Key::Escape);
    w.harness.run();
    assert!(w.harness.state().prefs.revoke_when_done);
}

/// Refreshes `attempt`'s token straight through the library, as another client would.
fn refresh_directly(demo: &Demo, attempt: &Attempt) -> Attempt {
    let request = follow_up::refresh_request(attempt, Duration::from_secs(5))
        .expect("a refresh token")
        .expect("a valid request");
    let auth_host = AuthHost::new(Transport::new().expect("transport"));
    demo.handle().block_on(auth_host.token(&request))
}

fn refused_code(attempt: &Attempt) -> Option<&str> {
    attempt.outcome.error.as_ref().map(|p| p.code.as_str())
}

#[test]
fn a_demo_login_shows_the_signature_verified() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.get_token();
    assert!(w.shows("Signature verified"));
    assert_eq!(
        answer(&w).signature.map(|s| s.result),
        Some(Signature::Verified)
    );
}

#[test]
fn refresh_shows_the_new_token_and_that_the_refresh_token_rotated() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.get_token();
    let (first_access, first_refresh) = tokens(&answer(&w));

    w.press_and_wait("Refresh");
    let refreshed = answer(&w);
    assert_eq!(
        refreshed.request.grant_type.as_deref(),
        Some("refresh_token")
    );
    assert_eq!(
        refreshed.request.scope.as_deref(),
        Some(catalog::DEMO_SCOPE),
        "the original scope"
    );
    let (access, refresh) = tokens(&refreshed);
    assert_ne!(access, first_access, "a new access token is shown");
    assert_ne!(refresh, first_refresh);
    assert!(w.shows("Token issued"));
    assert!(w.shows("Refresh token rotated"));
    assert!(
        w.shows("Signature verified"),
        "the new token is checked too"
    );
}

#[test]
fn a_revoked_refresh_token_cannot_refresh_and_the_window_says_why() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.get_token();

    w.press_and_wait("Revoke refresh token");
    assert!(w.shows("The refresh token is revoked"));
    assert!(
        w.shows("Token issued"),
        "a revocation is a line above the token, not a new answer"
    );

    w.press_and_wait("Refresh");
    assert!(w.shows("Refresh token rejected"));
    assert!(w.shows("The refresh token was rejected: it was revoked"));
    assert_eq!(refused_code(&answer(&w)), Some("invalid_grant"));
}

#[test]
fn a_refused_revocation_is_explained() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.get_token();
    w.press_and_wait("Revoke access token");
    assert!(w.shows("The access token is revoked"));
    w.press_and_wait("Revoke refresh token");
    // The demo, like Commerce Layer, answers 403 unauthorized_client for a token it no longer knows.
    w.press_and_wait("Revoke refresh token");
    assert!(
        w.shows("The refresh token was NOT revoked (HTTP 403)"),
        "refusal named"
    );
    assert!(w.shows("another client ID"), "and explained");
}

#[test]
fn with_revoke_when_done_a_second_login_revokes_the_first() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    revoke_when_done(&mut w);
    w.get_token();
    let first = answer(&w);

    w.get_token();
    w.step_until_shows("The previous login's access token is revoked");
    assert!(w.shows("The previous login's refresh token is revoked"));
    assert_ne!(
        tokens(&answer(&w)),
        tokens(&first),
        "the new login is shown"
    );

    let refused = refresh_directly(&demo, &first);
    assert_eq!(refused_code(&refused), Some("invalid_grant"), "{refused:?}");
    let current = refresh_directly(&demo, &answer(&w));
    assert!(
        current.outcome.token.is_some(),
        "the new login stays usable"
    );
}

#[test]
fn without_the_setting_nothing_is_revoked_not_even_on_close() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.get_token();
    let first = answer(&w);
    w.get_token();
    w.harness.run_steps(20);
    assert!(!w.shows("revoked"));
    eframe::App::on_exit(w.harness.state_mut(), None);

    assert!(refresh_directly(&demo, &first).outcome.token.is_some());
    assert!(refresh_directly(&demo, &answer(&w)).outcome.token.is_some());
}

#[test]
fn closing_the_window_with_the_setting_on_revokes_the_current_token() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    revoke_when_done(&mut w);
    w.get_token();
    let current = answer(&w);

    eframe::App::on_exit(w.harness.state_mut(), None);
    let refused = refresh_directly(&demo, &current);
    assert_eq!(refused_code(&refused), Some("invalid_grant"), "{refused:?}");
}

#[test]
fn closing_waits_at_most_two_seconds_for_a_hanging_auth_host() {
    let login = serde_json::json!({
        "access_token": canned_token(), "token_type": "bearer", "expires_in": 14_400,
        "refresh_token": "r3fr3sh", "owner_id": "wZxQhJanEd", "owner_type": "customer"
    })
    .to_string();
    let server = Hostile::responding(move |req| {
        if req.is_to("POST", "/oauth/revoke") {
            Canned::json("200 OK", "{}").delayed(Duration::from_secs(30))
        } else if req.is_to("POST", "/oauth/token") {
            Canned::json("200 OK", &login)
        } else {
            Canned::json("200 OK", r#"{"keys":[]}"#)
        }
    });
    let mut w = Window::blank().base_url(&server.url).build();
    revoke_when_done(&mut w);
    w.retype("Client ID", "any-client");
    w.retype("Customer email", "a@example.com");
    w.retype("Password", "pw");
    w.get_token();
    assert!(w.shows("Token issued"));

    let started = Instant::now();
    eframe::App::on_exit(w.harness.state_mut(), None);
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(3), "closing waited {waited:?}");
    assert_eq!(
        server.requests_to("POST", "/oauth/revoke").len(),
        2,
        "both tokens were asked to be revoked"
    );
}

// ---- Pictures, from fixed answers and a fixed clock ----

fn login_body(access_token: &str) -> String {
    serde_json::json!({
        "access_token": access_token, "token_type": "bearer", "expires_in": 14_400,
        "scope": "market:code:europe", "created_at": ISSUED_AT, "refresh_token": "r3fr3sh",
        "owner_id": "wZxQhJanEd", "owner_type": "customer"
    })
    .to_string()
}

fn checked(result: Signature) -> SignatureCheck {
    let mut check = SignatureCheck::new(result, Some("demo-rs512-1"));
    check.keys_url = Some("http://127.0.0.1:4000/.well-known/jwks.json".to_owned());
    check
}

fn show(w: &mut Window, attempt: Attempt) {
    w.harness.state_mut().show_attempt(attempt);
    w.harness.run();
}

#[test]
fn snapshot_signature_verified() {
    let mut w = Window::picture().build();
    let mut attempt = canned_attempt(200, &login_body(&canned_token()));
    attempt.signature = Some(checked(Signature::Verified));
    show(&mut w, attempt);
    assert!(w.shows("Signature verified"));
    w.harness.snapshot("signature_verified");
}

#[test]
fn snapshot_signature_invalid() {
    let mut w = Window::picture().build();
    let mut attempt = canned_attempt(200, &login_body(&canned_token()));
    attempt.signature = Some(checked(Signature::Invalid));
    show(&mut w, attempt);
    w.harness.get_by_label("Signature invalid").hover();
    w.harness.run();
    assert!(
        w.shows("the token was altered or not issued by this host"),
        "the explanation shows on hover"
    );
    w.harness.snapshot("signature_invalid");
}

#[test]
fn snapshot_keys_unreachable_expired_and_skewed() {
    let mut w = Window::picture()
        .clock(|| UNIX_EPOCH + Duration::from_secs(ISSUED_AT + 14_400 + 180))
        .build();
    let mut attempt = canned_attempt(200, &login_body(&canned_token()));
    let mut check = checked(Signature::KeysUnreachable);
    check.detail = Some("no complete answer within 10 s".to_owned());
    attempt.signature = Some(check);
    attempt.server_date = Some(attempt.received_at() + Duration::from_secs(95));
    show(&mut w, attempt);
    assert!(w.shows("Keys unreachable") && w.shows("Expired"));
    assert!(w.shows("95 s ahead of this machine's"));
    w.harness.snapshot("keys_unreachable_expired");
}

// ---- Closing with a live token left ----

/// Asks to close the window, as the window manager's close button does; returns whether the
/// window held the close back.
fn request_close(w: &mut Window) -> bool {
    w.harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    w.harness.step();
    let held_back = w
        .harness
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(&egui::ViewportCommand::CancelClose));
    w.harness.run();
    held_back
}

fn live_login(demo: &Demo) -> Window {
    let mut w = Window::demo(demo).build();
    w.retype("Client ID", catalog::LIVE_CLIENT_ID);
    w.get_token();
    assert!(w.shows("Token issued"));
    w
}

const REMINDER: &str = "A live customer token is still valid";

#[test]
fn closing_with_a_live_token_left_reminds_once_and_close_anyway_leaves_it() {
    let demo = Demo::start();
    let mut w = live_login(&demo);
    assert!(request_close(&mut w), "the first close is held back");
    assert!(w.shows(REMINDER));

    w.click("Close anyway");
    assert!(!request_close(&mut w), "then the window closes");
    eframe::App::on_exit(w.harness.state_mut(), None);
    assert!(
        refresh_directly(&demo, &answer(&w)).outcome.token.is_some(),
        "the token was left valid"
    );
}

#[test]
fn a_second_close_request_closes_without_an_answer() {
    let demo = Demo::start();
    let mut w = live_login(&demo);
    assert!(request_close(&mut w));
    assert!(!request_close(&mut w), "asked twice: the person means it");
}

#[test]
fn revoke_and_close_revokes_the_live_token() {
    let demo = Demo::start();
    let mut w = live_login(&demo);
    assert!(request_close(&mut w));
    w.click("Revoke and close");
    assert!(!request_close(&mut w));
    eframe::App::on_exit(w.harness.state_mut(), None);
    let refused = refresh_directly(&demo, &answer(&w));
    assert_eq!(refused_code(&refused), Some("invalid_grant"), "{refused:?}");
}

#[test]
fn escape_keeps_the_window_open_and_asks_again_next_time() {
    let demo = Demo::start();
    let mut w = live_login(&demo);
    assert!(request_close(&mut w));
    w.harness.key_press(egui::Key::Escape);
    w.harness.run();
    assert!(!w.shows(REMINDER));
    assert!(request_close(&mut w), "still a live token: asked again");
}

#[test]
fn no_reminder_for_a_test_token_or_with_revoke_when_done() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.get_token();
    assert!(!request_close(&mut w), "a test token: nothing to remind");

    let mut w = live_login(&demo);
    revoke_when_done(&mut w);
    assert!(!request_close(&mut w), "the setting revokes it on exit");
    assert!(!w.shows(REMINDER));
}
