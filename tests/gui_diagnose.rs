//! Diagnose in the real window against the demo server, as a support engineer on an "I can't
//! log in" ticket uses it: the headline names the cause, one click sends the few requests that
//! tell which input is at fault, and the verdict says what to do. Each verdict with the number
//! of requests the demo server really received.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use cl_login_tester::auth::Grant;
use cl_login_tester::diagnosis::{decide, Cause, Input, Probe};
use egui_kittest::kittest::Queryable;
use support::window::{canned_attempt, canned_attempt_of, canned_token_owned_by, Window};
use support::Demo;

/// A demo window whose form is changed by `edit`, then Get token.
fn logged_in(demo: &Demo, edit: impl FnOnce(&mut Window)) -> Window {
    let mut w = Window::demo(demo).build();
    edit(&mut w);
    w.get_token();
    w
}

fn cause(w: &Window) -> Option<Cause> {
    w.harness.state().diagnosis().map(|d| d.cause)
}

/// The requests Diagnose's verdict rests on, as the window counts them.
fn requests_shown(w: &Window) -> usize {
    w.harness
        .state()
        .diagnosis()
        .map_or(0, |d| 1 + d.probes.len())
}

#[test]
fn a_wrong_password_is_named_after_two_requests_with_a_message_for_the_customer() {
    let demo = Demo::start();
    let mut w = logged_in(&demo, |w| w.retype("Password", "not-her-password"));
    assert!(w.shows("Email or password rejected"), "headline by cause");
    assert_eq!(cause(&w), None, "no verdict before Diagnose");

    w.press_and_wait("Diagnose");
    assert_eq!(cause(&w), Some(Cause::WrongCredentials));
    assert_eq!(
        w.harness.state().diagnosis().and_then(|d| d.at_fault),
        Some(Input::Credentials)
    );
    assert_eq!(requests_shown(&w), 2);
    assert_eq!(
        demo.server.token_arrivals().len(),
        2,
        "the wrong password went once"
    );
    assert!(w.shows("Requests sent: 2"));
    assert!(w.shows("2. Guest token, same scope (market:code:europe)"));
    assert!(w.shows("must reset the password"), "the advice");
    assert!(
        w.harness.query_by_label("Diagnose").is_none(),
        "nothing left to diagnose"
    );

    w.click("Copy message");
    let (copied, sensitive) = w.clipboard.content().expect("copied");
    assert!(copied.contains("Forgot password"), "{copied}");
    assert!(!sensitive, "a message for the customer holds no secret");
}

#[test]
fn a_private_market_is_told_apart_after_four_requests() {
    let demo = Demo::start();
    let mut w = logged_in(&demo, |w| w.retype("Scope text", "market:code:b2b"));
    assert!(w.shows("Market b2b is private to a customer group"));
    assert!(
        w.shows("Server said: invalid_scope — The requested scope is invalid: market:code:b2b is private to a customer group this customer is not in."),
        "the server's words, prominently"
    );

    w.press_and_wait("Diagnose");
    assert_eq!(cause(&w), Some(Cause::PrivateMarket));
    assert_eq!(requests_shown(&w), 4);
    assert_eq!(demo.server.token_arrivals().len(), 4);
    assert!(w.shows("add the customer to its customer group, or use a public market"));
    assert!(
        w.shows("4. Customer login, no scope"),
        "the customer again without the scope: the password was right"
    );
}

#[test]
fn an_unknown_market_is_the_scope_not_the_customer() {
    let demo = Demo::start();
    let mut w = logged_in(&demo, |w| w.retype("Scope text", "market:code:atlantis"));
    assert!(w.shows("Market atlantis does not exist or is disabled"));

    w.press_and_wait("Diagnose");
    assert_eq!(cause(&w), Some(Cause::ScopeUnavailable));
    assert_eq!(
        w.harness.state().diagnosis().and_then(|d| d.at_fault),
        Some(Input::Scope)
    );
    assert_eq!(requests_shown(&w), 4);
    assert_eq!(demo.server.token_arrivals().len(), 4);
    assert!(w.shows("The scope does not exist or is disabled"));
}

#[test]
fn without_the_password_the_customer_is_not_asked_again_and_the_window_says_so() {
    let demo = Demo::start();
    let mut w = logged_in(&demo, |w| w.retype("Scope text", "market:code:atlantis"));
    w.harness.state_mut().form_mut().password.clear();
    w.press_and_wait("Diagnose");
    assert_eq!(cause(&w), Some(Cause::ScopeUnavailable));
    assert_eq!(demo.server.token_arrivals().len(), 3);
    assert!(w.shows("not sent, the password was no longer in the form"));
}

#[test]
fn an_unknown_client_id_is_named_at_once_with_its_one_request() {
    let demo = Demo::start();
    let w = logged_in(&demo, |w| w.retype("Client ID", "no-such-client"));
    assert!(w.shows("Unknown client ID"));
    assert_eq!(cause(&w), Some(Cause::UnknownClient), "no click needed");
    assert_eq!(requests_shown(&w), 1);
    assert_eq!(demo.server.token_arrivals().len(), 1);
    assert!(w.shows("Requests sent: 1"));
    assert!(w.shows("copy it again from the sales channel"));
    assert!(
        w.harness.query_by_label("Diagnose").is_none(),
        "no request could say more"
    );
}

#[test]
fn a_server_that_is_down_says_nothing_about_the_inputs() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).base_url("http://127.0.0.1:9").build();
    w.get_token();
    assert!(w.shows("The server is unreachable"));
    assert_eq!(cause(&w), Some(Cause::Unreachable));
    assert_eq!(requests_shown(&w), 1);
    assert!(w.shows("nothing can be said about the inputs"));
    assert!(w.shows("Detail: connect"), "not something a server said");
    assert!(!w.shows("Server said"));
    for hidden in ["Diagnose", "Decoded JWT", "Raw response", "Headers"] {
        assert!(
            w.harness.query_by_label(hidden).is_none(),
            "{hidden} hidden without an HTTP answer"
        );
    }
}

#[test]
fn snapshot_diagnose_verdict() {
    let mut w = Window::picture().build();
    let refusal = r#"{"errors":[{"title":"invalid_grant","detail":"The provided authorization grant is invalid.","code":"BAD_REQUEST","status":400}]}"#;
    let guest_body = serde_json::json!({
        "access_token": canned_token_owned_by(None), "token_type": "bearer", "expires_in": 14_400,
        "scope": "market:code:europe", "created_at": support::window::ISSUED_AT
    });
    let guest = canned_attempt_of(
        Grant::ClientCredentials {
            client_secret: None,
        },
        200,
        &guest_body.to_string(),
    );
    let diagnosis = decide(
        canned_attempt(400, refusal),
        vec![(Probe::GuestSameScope, guest)],
    );
    w.harness.state_mut().show_diagnosis(diagnosis);
    w.harness.run();
    assert!(w.shows("Message for the customer"));
    assert!(w.shows("Requests sent: 2"));
    w.harness.snapshot("diagnose_verdict");
}
