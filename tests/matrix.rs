//! `matrix` as a merchant runs it: the real binary against the demo server, whose markets and
//! stock locations show every verdict, and against servers that misbehave.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::time::Duration;

use serde_json::Value;
use support::{catalog, Canned, Demo, Hostile, Invocation};

const SCOPES: [&str; 6] = [
    "market:code:europe",
    "market:code:b2b",
    "market:code:uk",
    "stock_location:code:cn-warehouse",
    "market:code:nowhere",
    "store:code:milan",
];

fn matrix(base: &str) -> Invocation {
    support::command("matrix", base)
}

fn with_scopes(mut run: Invocation, scopes: &[&str]) -> Invocation {
    for scope in scopes {
        run = run.scope(scope);
    }
    run
}

/// Each row's verdict by scope, from the JSON.
fn verdicts(json: &Value) -> Vec<(String, String)> {
    json["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            (
                row["scope"].as_str().expect("scope").to_owned(),
                row["verdict"].as_str().expect("verdict").to_owned(),
            )
        })
        .collect()
}

fn verdict_of<'a>(verdicts: &'a [(String, String)], scope: &str) -> &'a str {
    &verdicts
        .iter()
        .find(|(s, _)| s == scope)
        .unwrap_or_else(|| panic!("no row for {scope}: {verdicts:?}"))
        .1
}

#[test]
fn each_verdict_a_merchant_needs_shows_against_the_demo() {
    let demo = Demo::start();
    let out = with_scopes(matrix(demo.url()), &SCOPES).json().run();
    out.assert_never_shows(catalog::CUSTOMER_PASSWORD);
    assert_eq!(
        out.code, 0,
        "a complete matrix exits 0 whatever the cells say: {}",
        out.stderr
    );
    let json = out.json();
    assert_eq!(json["email"], catalog::CUSTOMER_EMAIL);
    assert_eq!(json["client_id"], catalog::TEST_CLIENT_ID);
    assert!(json["stopped"].is_null());
    let v = verdicts(&json);
    assert_eq!(v.len(), SCOPES.len(), "one row per scope, in order");
    assert_eq!(v[0].0, "market:code:europe");
    assert_eq!(verdict_of(&v, "market:code:europe"), "reachable");
    assert_eq!(verdict_of(&v, "store:code:milan"), "reachable");
    assert!(verdict_of(&v, "market:code:b2b").starts_with("private to a customer group"));
    assert!(verdict_of(&v, "market:code:uk").starts_with("disabled"));
    assert!(verdict_of(&v, "stock_location:code:cn-warehouse")
        .starts_with("not reachable by this sales channel"));
    assert!(verdict_of(&v, "market:code:nowhere").starts_with("unknown"));

    // A reachable row's cells carry the markets and stock locations of the token.
    let europe = &json["rows"][0];
    for column in ["customer", "guest"] {
        let cell = &europe[column];
        assert_eq!(cell["outcome"], "ok");
        assert_eq!(cell["http_status"], 200);
        assert_eq!(cell["market_ids"], serde_json::json!(["BjvlWhjJKa"]));
        assert_eq!(
            cell["stock_location_ids"],
            serde_json::json!(["okJbAuVzMb"])
        );
        assert_eq!(cell["mode"], "test");
    }
    let uk = &json["rows"][2]["customer"];
    assert_eq!(uk["outcome"], "refused");
    assert_eq!(uk["error_code"], "invalid_scope");
    // Never a token in the JSON.
    assert!(!out.stdout.contains("access_token"));
    assert!(!out.stdout.contains("eyJ"), "no JWT in the output");
}

#[test]
fn a_customer_in_the_group_reaches_the_private_market_that_guests_do_not() {
    let demo = Demo::start();
    let out = matrix(demo.url())
        .email(catalog::B2B_EMAIL)
        .password(catalog::B2B_PASSWORD)
        .scope("market:code:b2b")
        .scope("market:code:europe")
        .run();
    out.assert_never_shows(catalog::B2B_PASSWORD);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The text table: a header, then one line per scope with its cells and verdict.
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("SCOPE"), "{}", out.stdout);
    assert!(lines[0].contains("CUSTOMER") && lines[0].contains("GUEST"));
    let b2b = lines[1];
    assert!(b2b.starts_with("market:code:b2b"), "{b2b}");
    assert!(b2b.contains("refused (invalid_scope)"), "{b2b}");
    assert!(b2b.contains("this customer only"), "{b2b}");
    assert!(
        b2b.contains("markets qPmkNhRwLx"),
        "the granted market: {b2b}"
    );
    assert!(lines[2].contains("reachable"), "{}", lines[2]);
    assert!(
        out.stdout
            .contains("market:code:b2b · guest: invalid_scope"),
        "the server's words for the refused cell: {}",
        out.stdout
    );
}

#[test]
fn a_wrong_password_is_told_apart_from_the_scope() {
    let demo = Demo::start();
    let out = matrix(demo.url())
        .password("not-her-password")
        .scope("market:code:europe")
        .json()
        .run();
    out.assert_never_shows("not-her-password");
    assert_eq!(out.code, 0);
    let v = verdicts(&out.json());
    assert!(
        verdict_of(&v, "market:code:europe").contains("email or password rejected"),
        "{v:?}"
    );
}

#[test]
fn scopes_come_from_a_file_with_comments_and_a_bad_line_is_named_before_anything_is_sent() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().expect("dir");
    let good = dir.path().join("scopes.txt");
    std::fs::write(
        &good,
        "# markets we sell in\nmarket:code:europe\n\nmarket:code:usa stock_location:code:us-warehouse  # together\n",
    )
    .expect("write");
    let out = matrix(demo.url())
        .no_customer()
        .args(&["--scopes-from", good.to_str().expect("path"), "--json"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = out.json();
    assert!(json["email"].is_null());
    let v = verdicts(&json);
    assert_eq!(
        v.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(),
        [
            "market:code:europe",
            "market:code:usa stock_location:code:us-warehouse"
        ]
    );
    assert!(
        json["rows"][0]["customer"].is_null(),
        "no customer column asked"
    );
    assert_eq!(
        demo.server.token_arrivals().len(),
        2,
        "guest only: one request per row"
    );

    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "market:code:europe\nmarket:nope\n").expect("write");
    let out = matrix(demo.url())
        .args(&["--scopes-from", bad.to_str().expect("path")])
        .run();
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("bad.txt line 2"), "{}", out.stderr);
    assert_eq!(
        demo.server.token_arrivals().len(),
        2,
        "nothing more was sent"
    );

    let out = matrix(demo.url())
        .no_customer()
        .args(&["--no-guest"])
        .scope("market:code:europe")
        .run();
    assert_eq!(out.code, 2, "no column asked for");
    let out = matrix(demo.url()).no_customer().run();
    assert_eq!(out.code, 2, "no scope given");
    assert!(out.stderr.contains("no scope"), "{}", out.stderr);
}

#[test]
fn cells_share_the_pacing_of_batch_and_a_429_is_retried() {
    // The server allows 3 a second, the tool is told 10: it meets 429s and recovers.
    let demo = Demo::with_rate_limit("3/1s");
    let out = with_scopes(
        matrix(demo.url()),
        &["market:code:europe", "market:code:usa", "store:code:milan"],
    )
    .args(&["--rate", "10/1s", "--json"])
    .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = verdicts(&out.json());
    assert!(v.iter().all(|(_, verdict)| verdict == "reachable"), "{v:?}");
    let arrivals = demo.server.token_arrivals();
    assert!(
        arrivals.iter().any(|a| a.status == 429),
        "the test needs a 429"
    );
    // Up to four cells are in flight at once: those sent before the 429 came back may arrive
    // just after it. Once the tool has read the 429 (well within 200 ms here), nothing new goes
    // out until its Retry-After (1 s) has passed.
    let grace = Duration::from_millis(200);
    for refused in arrivals.iter().filter(|a| a.status == 429) {
        let too_soon = arrivals
            .iter()
            .filter(|a| a.at > refused.at + grace && a.at < refused.at + Duration::from_secs(1))
            .count();
        assert_eq!(
            too_soon, 0,
            "a request went out during Retry-After: {arrivals:?}"
        );
    }

    // Told the server's own limit, the tool never meets a 429.
    let demo = Demo::with_rate_limit("3/1s");
    let out = with_scopes(
        matrix(demo.url()),
        &["market:code:europe", "market:code:usa", "store:code:milan"],
    )
    .args(&["--rate", "3/1s", "--json"])
    .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let arrivals = demo.server.token_arrivals();
    assert_eq!(arrivals.len(), 6);
    assert!(arrivals.iter().all(|a| a.status != 429), "{arrivals:?}");
}

#[test]
fn an_unknown_client_stops_the_run_and_the_rest_is_not_run() {
    let demo = Demo::start();
    let scopes: Vec<String> = (0..10).map(|_| "market:code:europe".to_owned()).collect();
    let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
    let out = with_scopes(
        matrix(demo.url()).client("no-such-client").no_customer(),
        &scopes,
    )
    .json()
    .run();
    assert_eq!(
        out.code, 3,
        "cells were left without an answer: {}",
        out.stderr
    );
    let json = out.json();
    assert_eq!(json["stopped"]["code"], "client_refused");
    let rows = json["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 10, "every row accounted for");
    assert!(rows[0]["verdict"]
        .as_str()
        .expect("v")
        .starts_with("unknown client ID"));
    let not_run = rows
        .iter()
        .filter(|r| r["guest"]["outcome"] == "not_run")
        .count();
    assert!(not_run >= 5, "at most a few were in flight: {not_run}");
    assert!(demo.server.token_arrivals().len() < 10);
}

#[test]
fn cells_still_rate_limited_after_five_tries_exit_4() {
    let server = Hostile::always(
        Canned::json(
            "429 Too Many Requests",
            r#"{"errors":[{"title":"Too Many Requests","code":"TOO_MANY_REQUESTS","status":429}]}"#,
        )
        .header("Retry-After", "0"),
    );
    let out = matrix(&server.url)
        .no_customer()
        .scope("market:code:europe")
        .args(&["--rate", "100/1s", "--json"])
        .run();
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert_eq!(out.json()["rows"][0]["guest"]["outcome"], "rate_limited");
    assert_eq!(
        server.token_requests().len(),
        5,
        "five tries, then the cell stays rate limited"
    );
}
