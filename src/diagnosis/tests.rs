//! The verdicts from canned answers: which probes are sent, and what the answers point at.

use std::time::{Duration, SystemTime};

use super::*;
use crate::attempt::canned;
use crate::auth::Grant;

fn login_with(scope: Option<&str>, status: u16, body: &str) -> Attempt {
    answer(
        Grant::Password {
            username: "jane@example.com".to_owned(),
            password: "pw".to_owned().into(),
        },
        scope,
        status,
        body,
    )
}

fn answer(grant: Grant, scope: Option<&str>, status: u16, body: &str) -> Attempt {
    let request = canned::request("http://127.0.0.1:4000", "client", grant, scope);
    canned::answered(
        request,
        SystemTime::now(),
        Duration::from_millis(2),
        status,
        body,
    )
}

fn guest(status: u16, body: &str) -> Attempt {
    answer(
        Grant::ClientCredentials {
            client_secret: None,
        },
        None,
        status,
        body,
    )
}

const OK: &str = r#"{"access_token":"a","scope":"market:all"}"#;
const WRONG: &str = r#"{"errors":[{"title":"invalid_grant","detail":"The provided authorization grant is invalid.","code":"BAD_REQUEST","status":400}]}"#;
const PRIVATE: &str = r#"{"errors":[{"title":"invalid_scope","detail":"The requested scope is invalid: market:code:b2b is private to a customer group this customer is not in.","status":400}]}"#;
const MISSING: &str = r#"{"errors":[{"title":"invalid_scope","detail":"The requested scope is invalid: market:code:nope was not found.","status":400}]}"#;
const CLIENT: &str =
    r#"{"errors":[{"title":"invalid_client","code":"UNAUTHORIZED","status":401}]}"#;

/// Runs the probes the way the runner does, answering each with `answers`.
fn run(login: Attempt, answers: &[(Probe, Attempt)], password: bool) -> Diagnosis {
    let mut probes = Vec::new();
    while let Some(probe) = next_probe(&login, &probes, password) {
        let (_, answer) = answers
            .iter()
            .find(|(p, _)| *p == probe)
            .unwrap_or_else(|| panic!("no canned answer for {probe:?}"));
        probes.push((probe, answer.clone()));
    }
    decide(login, probes)
}

fn asked(d: &Diagnosis) -> Vec<Probe> {
    d.probes.iter().map(|(p, _)| *p).collect()
}

#[test]
fn a_wrong_password_is_blamed_after_one_guest_token_and_never_resent() {
    let d = run(
        login_with(Some("market:code:europe"), 400, WRONG),
        &[(Probe::GuestSameScope, guest(200, OK))],
        true,
    );
    assert_eq!(d.cause, Cause::WrongCredentials);
    assert_eq!(d.at_fault, Some(Input::Credentials));
    assert_eq!(asked(&d), [Probe::GuestSameScope]);
    assert!(
        d.advice.starts_with("Email or password rejected"),
        "{}",
        d.advice
    );
    assert!(d.customer_message.is_some());
}

#[test]
fn a_private_market_is_named_after_four_requests() {
    let d = run(
        login_with(Some("market:code:b2b"), 400, PRIVATE),
        &[
            (Probe::GuestSameScope, guest(400, PRIVATE)),
            (Probe::GuestNoScope, guest(200, OK)),
            (Probe::CustomerNoScope, login_with(None, 200, OK)),
        ],
        true,
    );
    assert_eq!(d.cause, Cause::PrivateMarket);
    assert_eq!(d.headline, "Market b2b is private to a customer group");
    assert!(
        d.advice.contains("add the customer to its customer group"),
        "{}",
        d.advice
    );
    assert_eq!(d.probes.len(), 3, "the login plus three probes");
}

#[test]
fn an_unknown_market_is_not_blamed_on_the_customer() {
    let d = run(
        login_with(Some("market:code:nope"), 400, MISSING),
        &[
            (Probe::GuestSameScope, guest(400, MISSING)),
            (Probe::GuestNoScope, guest(200, OK)),
            (Probe::CustomerNoScope, login_with(None, 200, OK)),
        ],
        true,
    );
    assert_eq!(d.cause, Cause::ScopeUnavailable);
    assert_eq!(d.at_fault, Some(Input::Scope));
    assert!(
        d.advice
            .starts_with("The scope does not exist or is disabled"),
        "{}",
        d.advice
    );
}

#[test]
fn without_the_password_the_customer_is_not_asked_again() {
    let d = run(
        login_with(Some("market:code:nope"), 400, MISSING),
        &[
            (Probe::GuestSameScope, guest(400, MISSING)),
            (Probe::GuestNoScope, guest(200, OK)),
        ],
        false,
    );
    assert_eq!(asked(&d), [Probe::GuestSameScope, Probe::GuestNoScope]);
    assert_eq!(d.cause, Cause::ScopeUnavailable);
}

#[test]
fn an_unknown_client_needs_no_probe() {
    let d = run(
        login_with(Some("market:code:europe"), 401, CLIENT),
        &[],
        true,
    );
    assert_eq!(d.cause, Cause::UnknownClient);
    assert!(d.probes.is_empty());
    assert_eq!(d.headline, "Unknown client ID");
}

#[test]
fn an_unreachable_server_says_nothing_about_the_inputs() {
    let mut login = login_with(None, 400, WRONG);
    login = Attempt::unanswered(
        login.request.clone(),
        login.started_at,
        login.elapsed,
        crate::auth::Problem::new("connect", "refused"),
    );
    let d = run(login, &[], true);
    assert_eq!(d.cause, Cause::Unreachable);
    assert!(
        d.advice.contains("nothing can be said about the inputs"),
        "{}",
        d.advice
    );
    assert!(d.probes.is_empty());
}

#[test]
fn a_rate_limited_probe_stops_the_run_and_says_to_wait() {
    let limited = guest(429, "{}");
    let d = run(
        login_with(Some("market:code:europe"), 400, WRONG),
        &[(Probe::GuestSameScope, limited)],
        true,
    );
    assert_eq!(d.cause, Cause::RateLimited);
    assert_eq!(d.probes.len(), 1);
}

#[test]
fn one_answer_is_read_by_its_cause_before_any_probe() {
    let read = |attempt: Attempt| read_answer(&attempt).map(|r| (r.headline, r.at_fault));
    assert_eq!(
        read(login_with(Some("market:code:europe"), 400, WRONG)),
        Some((
            "Email or password rejected".to_owned(),
            Some(Input::Credentials)
        ))
    );
    assert_eq!(
        read(login_with(Some("market:code:b2b"), 400, PRIVATE)),
        Some((
            "Market b2b is private to a customer group".to_owned(),
            Some(Input::Scope)
        ))
    );
    assert_eq!(
        read(login_with(Some("market:code:nope"), 400, MISSING)),
        Some((
            "Market nope does not exist or is disabled".to_owned(),
            Some(Input::Scope)
        ))
    );
    assert_eq!(
        read(login_with(None, 401, CLIENT)),
        Some(("Unknown client ID".to_owned(), Some(Input::ClientId)))
    );
    assert_eq!(read(login_with(None, 200, OK)), None);
    let unreachable = Attempt::unanswered(
        login_with(None, 400, WRONG).request,
        SystemTime::now(),
        Duration::from_millis(1),
        crate::auth::Problem::new("connect", "refused"),
    );
    assert_eq!(
        read(unreachable),
        Some(("The server is unreachable".to_owned(), Some(Input::BaseUrl)))
    );
}

#[test]
fn a_refusal_that_names_no_cause_gets_no_headline_of_its_own() {
    let odd = r#"{"errors":[{"title":"invalid_request","status":400}]}"#;
    assert_eq!(read_answer(&login_with(None, 400, odd)), None);
}
