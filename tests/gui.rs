//! The real window (`LoginApp`, built the way eframe builds it) driven with egui_kittest against
//! the in-process demo server: what a person clicking through it sees.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use support::window::{canned_attempt, canned_token, fixed_now, Window, ISSUED_AT};
use support::{catalog, Canned, Demo, Hostile};

#[test]
fn demo_login_shows_owner_scope_and_test_badge() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    assert!(
        w.shows("DEMO"),
        "the demo badge tells nothing reaches Commerce Layer"
    );
    w.get_token();
    assert!(w.shows("Token issued"));
    assert!(w.shows("wZxQhJanEd"), "owner id shown");
    assert!(w.shows("TEST"), "test-mode badge shown");
    assert!(w.shows("BjvlWhjJKa"), "market id from the JWT shown");
    assert!(w.shows("market:code:europe"), "granted scope shown");
    assert!(
        w.shows("in 3h 59m") || w.shows("in 4h 0m"),
        "expiry countdown shown"
    );
}

#[test]
fn wrong_password_shows_the_explanation() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.retype("Password", "not-her-password");
    w.get_token();
    assert!(
        w.shows("Email or password rejected"),
        "the headline names the cause"
    );
    assert!(!w.shows("Refused by the server"));
    assert!(
        w.shows("The email or password was rejected"),
        "plain-words explanation shown"
    );
    assert!(
        w.shows("Server said: invalid_grant — The provided authorization grant is invalid"),
        "the server's own words, labelled as theirs"
    );
}

#[test]
fn a_bad_scope_is_flagged_next_to_the_field_and_nothing_is_sent() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.retype("Scope text", "markets:code:europe");
    w.click("Get token");
    assert!(!w.harness.state().is_busy(), "nothing was sent");
    assert!(w.harness.state().answer().is_none());
    assert!(w.shows("`markets` is not one of market, stock_location, store"));
}

#[test]
fn the_scope_builder_writes_the_scope_text() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.click("Add scope");
    let value = w
        .harness
        .query_all_by_role(Role::TextInput)
        .filter(|n| n.value().as_deref() == Some(""))
        .count();
    assert!(value >= 1, "a new empty value field appears");
    w.harness.state_mut().prefs.scope_text.push_str("usa");
    w.harness.run();
    assert_eq!(
        w.harness.state().prefs.scope_text,
        "market:code:europe market:code:usa"
    );
    w.harness
        .get_all_by_label("Remove")
        .next()
        .expect("a Remove button")
        .click();
    w.harness.run();
    assert_eq!(w.harness.state().prefs.scope_text, "market:code:usa");
}

#[test]
fn an_added_scope_row_left_empty_is_named_not_parsed() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.click("Add scope");
    w.click("Get token");
    assert!(!w.harness.state().is_busy(), "nothing was sent");
    assert!(w.shows("Scope row 2 is empty: fill it or remove it"));
    assert!(!w.shows("the value after the last"), "no parser jargon");
    assert!(demo.server.token_arrivals().is_empty());
}

#[test]
fn enter_submits_the_form() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.harness.get_by_label("Customer email").focus();
    w.harness.key_press(egui::Key::Enter);
    w.step_until("the answer", |app| app.answer().is_some());
    assert!(w.shows("Token issued"));
}

#[test]
fn cancel_returns_at_once_while_the_server_hangs() {
    let slow = Hostile::always(Canned::json("200 OK", "{}").delayed(Duration::from_secs(30)));
    let mut w = Window::blank().base_url(&slow.url).build();
    w.retype("Client ID", "any-client");
    w.retype("Customer email", "a@example.com");
    w.retype("Password", "pw");
    w.harness.get_by_label("Get token").click();
    w.harness.run_steps(3);
    assert!(w.harness.state().is_busy());
    assert!(
        w.shows("Waiting for the server"),
        "a spinner with elapsed time shows"
    );
    let started = Instant::now();
    w.harness.get_by_label("Cancel").click();
    w.harness.run_steps(2);
    assert!(!w.harness.state().is_busy());
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "cancel returned at once"
    );
    assert!(w.shows("Cancelled after"));
}

#[test]
fn copy_buttons_put_the_right_text_on_the_clipboard() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.get_token();
    let token = w
        .harness
        .state()
        .answer()
        .and_then(|a| a.outcome.token.clone())
        .expect("token");

    w.click("Access token");
    assert_eq!(
        w.clipboard.content(),
        Some((token.access_token.clone(), true)),
        "token copied, marked sensitive"
    );
    assert!(w.shows("Copied"), "the copy confirms itself");

    w.click("Authorization header");
    assert_eq!(
        w.clipboard.content().map(|c| c.0),
        Some(format!("Authorization: Bearer {}", token.access_token))
    );

    w.click("Copy as curl");
    let curl = w.clipboard.content().expect("curl").0;
    assert!(curl.contains("<PASSWORD>"), "{curl}");
    assert!(
        !curl.contains(catalog::CUSTOMER_PASSWORD),
        "password left out unless ticked: {curl}"
    );

    w.click("include the password");
    w.click("Copy as curl");
    let curl = w.clipboard.content().expect("curl").0;
    assert!(
        curl.contains(catalog::CUSTOMER_PASSWORD),
        "the explicit tick includes it"
    );
}

#[test]
fn the_window_is_idle_when_nothing_happens() {
    let demo = Demo::start();
    let w = Window::demo(&demo).build();
    let delay = w
        .harness
        .output()
        .viewport_output
        .values()
        .map(|v| v.repaint_delay)
        .min()
        .expect("viewport");
    assert_eq!(delay, Duration::MAX, "no repaint is scheduled while idle");
}

// ---- Pictures of the main states, from fixed answers and a fixed clock ----

#[test]
fn snapshot_empty_form() {
    let mut w = Window::blank().clock(fixed_now).build();
    w.harness.snapshot("empty_form");
}

#[test]
fn snapshot_success() {
    let mut w = Window::picture().build();
    let body = serde_json::json!({
        "access_token": canned_token(), "token_type": "bearer", "expires_in": 14_400, "scope": "market:code:europe",
        "created_at": ISSUED_AT, "refresh_token": "r3fr3sh", "owner_id": "wZxQhJanEd", "owner_type": "customer"
    });
    w.harness
        .state_mut()
        .show_attempt(canned_attempt(200, &body.to_string()));
    w.harness.run();
    assert!(w.shows("in 3h 50m"), "countdown from the fixed clock");
    w.harness.snapshot("success");
}

#[test]
fn snapshot_refusal() {
    let mut w = Window::picture().build();
    let body = r#"{"errors":[{"title":"invalid_grant","detail":"The provided authorization grant is invalid.","code":"BAD_REQUEST","status":400}]}"#;
    w.harness
        .state_mut()
        .show_attempt(canned_attempt(400, body));
    w.harness.run();
    w.harness.snapshot("refusal");
}

/// The light theme, where egui's own orange and faint greys read below 4.5:1: the headline,
/// the server's words and the weak labels in the theme's readable colours.
#[test]
fn snapshot_refusal_light() {
    let mut w = Window::picture().build();
    w.harness.ctx.set_theme(egui::ThemePreference::Light);
    let body = r#"{"errors":[{"title":"invalid_grant","detail":"The provided authorization grant is invalid.","code":"BAD_REQUEST","status":400}]}"#;
    w.harness
        .state_mut()
        .show_attempt(canned_attempt(400, body));
    w.harness.run();
    assert!(
        w.harness.ctx.theme() == egui::Theme::Light,
        "the light theme is shown"
    );
    w.harness.snapshot("refusal_light");
}

#[test]
fn snapshot_in_flight() {
    let silent = Hostile::always(Canned::json("200 OK", "{}").delayed(Duration::from_secs(60)));
    let mut w = Window::picture().base_url(&silent.url).build();
    w.harness.get_by_label("Get token").click();
    w.harness.run_steps(4);
    assert!(w.harness.state().is_busy());
    // The silent server's port changes each run and the header names the base URL once it is
    // not the demo's: point the form back at the picture's demo URL, the request is already out.
    w.harness.state_mut().prefs.base_url = support::window::PICTURE_DEMO_URL.to_owned();
    w.harness.run_steps(2);
    // The spinner turns with the harness's clock, which runs as many frames as the keyring
    // took to settle at start-up: its few pixels may differ, the rest of the picture may not.
    let spinner = egui_kittest::SnapshotOptions::new().max_failed_pixels(200);
    w.harness.snapshot_options("in_flight", &spinner);
}
