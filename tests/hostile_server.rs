//! The real binary against servers that misbehave in every way seen in the wild (and some not).
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::time::{Duration, Instant};

use support::{Canned, Hostile, Invocation};

const PASSWORD: &str = "p&ss=:+% wörd";

/// A login with an awkward email and password against `server`.
fn login_to(server: &Hostile) -> Invocation {
    support::login(&server.url)
        .client("client")
        .email("zoë+qa@example.com")
        .password(PASSWORD)
}

/// `--json` login to `server`, which must never print the password.
fn login(server: &Hostile, extra: &[&str]) -> support::Run {
    let out = login_to(server).args(extra).json().run();
    out.assert_never_shows(PASSWORD);
    out
}

#[test]
fn html_502_is_a_server_error_with_an_excerpt() {
    let server = Hostile::always(Canned::new(
        "502 Bad Gateway",
        "text/html",
        "<html><h1>502 Bad Gateway</h1></html>",
    ));
    let out = login(&server, &[]);
    assert_eq!(out.code, 3);
    let json = out.json();
    assert_eq!(json["outcome"], "server_error");
    assert_eq!(json["http_status"], 502);
    assert!(json["error"]["excerpt"]
        .as_str()
        .expect("excerpt")
        .contains("Bad Gateway"));
}

#[test]
fn non_json_200_is_an_invalid_response() {
    let server = Hostile::always(Canned::new("200 OK", "text/plain", "welcome to nginx"));
    let out = login(&server, &[]);
    assert_eq!(out.code, 3);
    let json = out.json();
    assert_eq!(json["outcome"], "invalid_response");
    assert!(json["error"]["explanation"]
        .as_str()
        .expect("text")
        .contains("not JSON"));
}

#[test]
fn invalid_utf8_is_reported_escaped() {
    let server = Hostile::always(Canned::new(
        "200 OK",
        "application/json",
        b"{\"access_token\":\"\xff\xfe\"}\x1b[31m".to_vec(),
    ));
    let out = login(&server, &[]);
    assert_eq!(out.code, 3);
    let json = out.json();
    assert_eq!(json["outcome"], "invalid_response");
    assert!(json["error"]["explanation"]
        .as_str()
        .expect("text")
        .contains("UTF-8"));
    assert!(
        !out.stdout.contains('\u{1b}'),
        "raw control characters reached the terminal"
    );
}

#[test]
fn body_over_one_mib_is_cut_off_and_reported() {
    let mut huge = b"{\"access_token\":\"".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 2 * 1024 * 1024));
    huge.extend_from_slice(b"\"}");
    let server = Hostile::always(Canned::new("200 OK", "application/json", huge));
    let out = login(&server, &[]);
    assert_eq!(out.code, 3);
    let json = out.json();
    assert_eq!(json["outcome"], "invalid_response");
    assert!(json["error"]["explanation"]
        .as_str()
        .expect("text")
        .contains("1 MiB"));
}

#[test]
fn a_server_slower_than_the_timeout_is_a_timeout() {
    let server = Hostile::always(Canned::json("200 OK", "{}").delayed(Duration::from_secs(20)));
    let started = Instant::now();
    let out = login(&server, &["--timeout", "1"]);
    assert_eq!(out.code, 3);
    let json = out.json();
    assert_eq!(json["outcome"], "transport_error");
    assert_eq!(json["error"]["code"], "timeout");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "the timeout was not applied"
    );
}

#[test]
fn a_redirect_is_reported_and_the_target_never_sees_the_password() {
    let target = Hostile::always(Canned::json("200 OK", r#"{"access_token":"stolen"}"#));
    let location = format!("{}/oauth/token", target.url);
    let server =
        Hostile::always(Canned::json("307 Temporary Redirect", "{}").header("Location", &location));
    let out = login(&server, &[]);
    assert_eq!(out.code, 3);
    let json = out.json();
    assert_eq!(json["outcome"], "redirected");
    assert_eq!(json["http_status"], 307);
    assert_eq!(json["error"]["location"], location.as_str());
    assert!(
        target.requests().is_empty(),
        "the redirect target received a request"
    );
}

#[test]
fn rate_limited_with_retry_after() {
    let server = Hostile::always(
        Canned::json(
            "429 Too Many Requests",
            r#"{"errors":[{"title":"Too Many Requests","status":429}]}"#,
        )
        .header("Retry-After", "7"),
    );
    let out = login(&server, &[]);
    assert_eq!(out.code, 4);
    let json = out.json();
    assert_eq!(json["outcome"], "rate_limited");
    assert_eq!(json["error"]["retry_after_s"], 7);
    assert!(json["error"]["explanation"]
        .as_str()
        .expect("text")
        .contains("retry after 7 seconds"));
}

#[test]
fn errors_as_a_single_object_are_read() {
    let server = Hostile::always(Canned::json(
        "401 Unauthorized",
        r#"{"errors":{"title":"invalid_client","code":"UNAUTHORIZED","status":"401"}}"#,
    ));
    let out = login(&server, &[]);
    assert_eq!(out.code, 1);
    assert_eq!(out.json()["error"]["code"], "invalid_client");
}

#[test]
fn rfc6749_errors_are_read() {
    let server = Hostile::always(Canned::json(
        "400 Bad Request",
        r#"{"error":"invalid_grant","error_description":"Invalid credentials"}"#,
    ));
    let out = login(&server, &[]);
    assert_eq!(out.code, 1);
    let json = out.json();
    assert_eq!(json["error"]["code"], "invalid_grant");
    assert_eq!(json["error"]["detail"], "Invalid credentials");
}

#[test]
fn a_form_only_server_works_with_form_and_gets_the_exact_password() {
    let server = Hostile::responding(|req| {
        if req
            .head
            .to_ascii_lowercase()
            .contains("content-type: application/x-www-form-urlencoded")
        {
            Canned::json(
                "200 OK",
                r#"{"access_token":"opaque-token","token_type":"bearer","expires_in":7200}"#,
            )
        } else {
            Canned::json(
                "400 Bad Request",
                r#"{"error":"invalid_request","error_description":"form body required"}"#,
            )
        }
    });
    let out = login(&server, &[]);
    assert_eq!(out.code, 1);
    assert_eq!(out.json()["error"]["code"], "invalid_request");

    let out = login(&server, &["--form"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let json = out.json();
    assert_eq!(json["request"]["encoding"], "form");
    assert!(json["jwt"].is_null(), "an opaque token is still a success");
    assert_eq!(
        json["signature"]["result"], "not_a_jwt",
        "and it is never mistaken for a verified one"
    );
    let requests = server.token_requests();
    let form: std::collections::HashMap<String, String> = form_urlencoded::parse(&requests[1].body)
        .into_owned()
        .collect();
    assert_eq!(form["password"], PASSWORD);
    assert_eq!(form["username"], "zoë+qa@example.com");
    assert_eq!(form["grant_type"], "password");
}

#[test]
fn the_json_body_carries_the_exact_password_and_accept_header() {
    let server = Hostile::always(Canned::json(
        "400 Bad Request",
        r#"{"error":"invalid_grant"}"#,
    ));
    let _ = login(&server, &["--scope", "market:code:eu"]);
    let request = &server.token_requests()[0];
    assert!(
        request.head.starts_with("POST /oauth/token HTTP/1.1"),
        "{}",
        request.head
    );
    let head = request.head.to_ascii_lowercase();
    assert!(head.contains("accept: application/json"));
    assert!(head.contains("content-type: application/json"));
    let body: serde_json::Value = serde_json::from_slice(&request.body).expect("json body");
    assert_eq!(body["password"], PASSWORD);
    assert_eq!(body["scope"], "market:code:eu");
}

#[test]
fn server_text_cannot_drive_the_terminal() {
    // An error title that would clear the screen, set the window title, ring the bell, return to
    // the start of the line and reverse the text after it, and a detail that fakes a second line.
    let title = "\u{1b}[2J\u{1b}]0;owned\u{7}\rinvalid\u{202e}dnarg";
    let detail = "bad\nhttp       200 in 1.0 ms";
    let body = serde_json::json!({"errors": [{"title": title, "detail": detail, "code": "BAD"}]});
    let server = Hostile::always(Canned::json("400 Bad Request", &body.to_string()));
    let out = login_to(&server).run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    for raw in ['\u{1b}', '\u{7}', '\r', '\u{202e}'] {
        assert!(
            !out.stdout.contains(raw),
            "{raw:?} reached the terminal:\n{}",
            out.stdout.escape_debug()
        );
    }
    assert!(out.stdout.contains("\\u{1b}[2J"), "{}", out.stdout);
    assert!(out.stdout.contains("\\u{202e}"), "{}", out.stdout);
    assert!(
        !out.stdout.lines().any(|l| l.starts_with("http       200")),
        "a server detail faked a line:\n{}",
        out.stdout
    );
}

#[test]
fn thousands_of_headers_are_an_unreadable_answer_not_a_network_problem() {
    let mut answer = Canned::json("200 OK", r#"{"access_token":"x"}"#);
    for i in 0..2000 {
        answer = answer.header(&format!("x-filler-{i}"), "y");
    }
    let out = login(&Hostile::always(answer), &[]);
    assert_eq!(out.code, 3);
    let json = out.json();
    assert_eq!(json["outcome"], "invalid_response", "{json}");
    assert_eq!(json["error"]["code"], "headers_too_large");
    assert!(json["error"]["explanation"]
        .as_str()
        .expect("text")
        .contains("headers were too large"));
}

#[test]
fn an_unreadable_answer_never_prints_its_token() {
    // Deeper than the JSON parser goes, with a token inside: unreadable, and the excerpt that
    // explains it must not carry the token (it is printed without --show-token).
    let token = "eyJhbGciOiJSUzUxMiJ9.eyJzdWIiOiJzZWNyZXQifQ.c2lnbmF0dXJlLXNlY3JldA";
    let body = format!(
        r#"{{"access_token": "{token}", "deep": {}{}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    let server = Hostile::always(Canned::json("200 OK", &body));
    let out = login_to(&server).run();
    assert_eq!(out.code, 3, "{}", out.stdout);
    assert!(
        out.stdout.contains("nested deeper than 128 levels"),
        "{}",
        out.stdout
    );
    out.assert_never_shows(token);
    out.assert_never_shows("eyJhbGciOiJSUzUxMiJ9");
}
