//! `diagnose` against the demo server: each verdict, and how many requests it took.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use serde_json::Value;
use support::{catalog, Demo, Run};

fn diagnose(base: &str, client_id: &str, email: &str, password: &str, scope: Option<&str>) -> Run {
    let mut run = support::command("diagnose", base)
        .client(client_id)
        .email(email)
        .password(password)
        .json();
    if let Some(scope) = scope {
        run = run.scope(scope);
    }
    let out = run.run();
    out.assert_never_shows(password);
    out
}

fn verdict(out: &Run) -> (Value, usize) {
    let json = out.json();
    let requests = json["requests"].as_array().expect("requests").len();
    (json["verdict"].clone(), requests)
}

#[test]
fn a_wrong_password_is_named_with_two_requests_and_a_message_for_the_customer() {
    let demo = Demo::start();
    let out = diagnose(
        demo.url(),
        catalog::TEST_CLIENT_ID,
        catalog::CUSTOMER_EMAIL,
        "not-her-password",
        Some("market:code:europe"),
    );
    assert_eq!(out.code, 1);
    let (verdict, requests) = verdict(&out);
    assert_eq!(verdict["cause"], "wrong_credentials");
    assert_eq!(verdict["input_at_fault"], "credentials");
    assert_eq!(verdict["headline"], "Email or password rejected");
    assert!(verdict["customer_message"]
        .as_str()
        .expect("message")
        .contains("Forgot password"));
    assert_eq!(requests, 2, "the wrong password is never sent again");
}

#[test]
fn a_private_market_is_told_apart_from_the_client_and_the_scope() {
    let demo = Demo::start();
    let out = diagnose(
        demo.url(),
        catalog::TEST_CLIENT_ID,
        catalog::CUSTOMER_EMAIL,
        catalog::CUSTOMER_PASSWORD,
        Some("market:code:b2b"),
    );
    assert_eq!(out.code, 1);
    let (verdict, requests) = verdict(&out);
    assert_eq!(verdict["cause"], "private_market", "{verdict}");
    assert_eq!(
        verdict["headline"],
        "Market b2b is private to a customer group"
    );
    assert!(verdict["advice"]
        .as_str()
        .expect("advice")
        .contains("add the customer to its customer group"));
    assert_eq!(requests, 4);
}

#[test]
fn an_unknown_market_is_the_scope_not_the_customer() {
    let demo = Demo::start();
    let out = diagnose(
        demo.url(),
        catalog::TEST_CLIENT_ID,
        catalog::CUSTOMER_EMAIL,
        catalog::CUSTOMER_PASSWORD,
        Some("market:code:atlantis"),
    );
    let (verdict, requests) = verdict(&out);
    assert_eq!(verdict["cause"], "scope_unavailable", "{verdict}");
    assert_eq!(verdict["input_at_fault"], "scope");
    assert_eq!(requests, 4);
}

#[test]
fn an_unknown_client_id_takes_one_request() {
    let demo = Demo::start();
    let out = diagnose(
        demo.url(),
        "no-such-client",
        catalog::CUSTOMER_EMAIL,
        catalog::CUSTOMER_PASSWORD,
        Some("market:code:europe"),
    );
    let (verdict, requests) = verdict(&out);
    assert_eq!(verdict["cause"], "unknown_client");
    assert_eq!(verdict["headline"], "Unknown client ID");
    assert_eq!(requests, 1);
}

#[test]
fn a_server_that_is_down_says_nothing_about_the_inputs() {
    let out = diagnose(
        "http://127.0.0.1:9",
        catalog::TEST_CLIENT_ID,
        catalog::CUSTOMER_EMAIL,
        "pw",
        None,
    );
    assert_eq!(out.code, 3);
    let (verdict, requests) = verdict(&out);
    assert_eq!(verdict["cause"], "unreachable");
    assert!(verdict["advice"]
        .as_str()
        .expect("advice")
        .contains("nothing can be said about the inputs"));
    assert_eq!(requests, 1);
}

#[test]
fn the_text_verdict_comes_first_and_lists_each_request() {
    let demo = Demo::start();
    let out = support::command("diagnose", demo.url())
        .scope("market:code:b2b")
        .run();
    assert!(
        out.stdout
            .starts_with("verdict    Market b2b is private to a customer group\n"),
        "{}",
        out.stdout
    );
    for step in [
        "1. Customer login (market:code:b2b): refused",
        "4. Customer login, no scope: ok",
    ] {
        assert!(out.stdout.contains(step), "{step:?} in\n{}", out.stdout);
    }
}
