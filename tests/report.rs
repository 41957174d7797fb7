//! Support reports from the real binary: every outcome as Markdown and JSON, masking, the report
//! file, and the sweep that proves no password or token ever reaches a report.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::time::Duration;

use cl_login_tester::report::history::{self, History};
use serde_json::Value;
use support::{bin, catalog, run, Canned, Demo, Hostile, Run};

const PASSWORD: &str = "S3ntinel-pässword-4711";
const ACCESS: &str = "eyJhbGciOiJSUzUxMiJ9.eyJzZW50aW5lbCI6ImFjY2VzcyJ9.c2VudGluZWwtc2lnbmF0dXJl";
const REFRESH: &str = "sentinel-refresh-token-0815";

/// `login` with the sentinel password on stdin and `extra` flags.
fn login(base: &str, client_id: &str, email: &str, extra: &[&str]) -> Run {
    support::login(base)
        .client(client_id)
        .email(email)
        .password(PASSWORD)
        .args(extra)
        .run()
}

fn assert_clean(text: &str) {
    for secret in [
        PASSWORD,
        ACCESS,
        REFRESH,
        "c2VudGluZWwtc2lnbmF0dXJl",
        "Bearer",
    ] {
        assert!(!text.contains(secret), "{secret} in the report:\n{text}");
    }
}

/// A server issuing the sentinel tokens (a JWT with a signature) to anyone.
fn issuing() -> Hostile {
    let body = serde_json::json!({
        "access_token": ACCESS, "refresh_token": REFRESH, "token_type": "bearer",
        "expires_in": 7200, "scope": "market:all", "owner_id": "CuStOmEr", "owner_type": "customer",
        "created_at": 1_796_000_000
    });
    Hostile::always(
        Canned::json("200 OK", &body.to_string())
            .header("x-request-id", "req-42")
            .header("set-cookie", "session=sentinel-cookie"),
    )
}

#[test]
fn every_outcome_has_a_markdown_and_a_json_report_without_secrets() {
    let demo = Demo::start();
    let ok = issuing();
    let limited =
        Hostile::always(Canned::json("429 Too Many Requests", "{}").header("Retry-After", "7"));
    let down = Hostile::always(Canned::new("502 Bad Gateway", "text/html", "<h1>down</h1>"));
    let moved = Hostile::always(
        Canned::new("307 Temporary Redirect", "text/plain", "")
            .header("Location", "https://elsewhere.example/oauth/token"),
    );
    let garbled = Hostile::always(Canned::new(
        "200 OK",
        "text/plain",
        format!("welcome {ACCESS} access_token={REFRESH}"),
    ));
    let slow = Hostile::always(
        Canned::json("200 OK", r#"{"access_token":"x"}"#).delayed(Duration::from_secs(5)),
    );
    let cases: Vec<(&str, String, &str, Vec<&str>, i32)> = vec![
        ("ok", ok.url.clone(), "token issued", vec![], 0),
        ("refused", demo.url().to_owned(), "invalid_grant", vec![], 1),
        (
            "rate_limited",
            limited.url.clone(),
            "Retry-After",
            vec![],
            4,
        ),
        ("server_error", down.url.clone(), "HTTP 502", vec![], 3),
        (
            "transport_error",
            "http://127.0.0.1:9".to_owned(),
            "no HTTP answer",
            vec![],
            3,
        ),
        (
            "redirected",
            moved.url.clone(),
            "elsewhere.example",
            vec![],
            3,
        ),
        (
            "invalid_response",
            garbled.url.clone(),
            "could not be read",
            vec![],
            3,
        ),
        (
            "transport_error",
            slow.url.clone(),
            "within 1 s",
            vec!["--timeout", "1"],
            3,
        ),
    ];
    for (outcome, base, expected, extra, code) in cases {
        let email = if outcome == "refused" {
            "nobody@example.com"
        } else {
            catalog::CUSTOMER_EMAIL
        };
        let mut md_flags = vec!["--report", "md"];
        md_flags.extend(&extra);
        let md = login(&base, catalog::TEST_CLIENT_ID, email, &md_flags);
        assert_eq!(md.code, code, "{outcome}: {}{}", md.stdout, md.stderr);
        assert!(md.stdout.starts_with("### Login check: "), "{}", md.stdout);
        assert!(
            md.stdout.to_lowercase().contains(&expected.to_lowercase()),
            "{outcome}: {expected:?} missing in\n{}",
            md.stdout
        );
        assert!(md.stdout.contains("cl-login-tester 0.1.0"), "{}", md.stdout);
        assert_clean(&md.stdout);
        md.assert_never_shows(PASSWORD);

        let mut json_flags = vec!["--report", "json"];
        json_flags.extend(&extra);
        let json = login(&base, catalog::TEST_CLIENT_ID, email, &json_flags);
        assert_eq!(json.code, code, "{outcome}");
        assert_clean(&json.stdout);
        let value = json.json();
        assert_eq!(value["report_version"], 1);
        assert_eq!(value["attempt"]["outcome"], outcome, "{value}");
        assert_eq!(value["tool"]["name"], "cl-login-tester");
    }
}

#[test]
fn the_report_keeps_what_support_needs_and_drops_cookies() {
    let server = issuing();
    let out = login(
        &server.url,
        catalog::TEST_CLIENT_ID,
        catalog::CUSTOMER_EMAIL,
        &["--report", "json", "--scope", "market:code:europe"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report = out.json();
    let attempt = &report["attempt"];
    assert_eq!(attempt["client_id"], "demo-t…nnel", "masked by default");
    assert_eq!(attempt["email"], catalog::CUSTOMER_EMAIL);
    assert_eq!(attempt["scope_asked"], "market:code:europe");
    assert_eq!(attempt["scope_granted"], "market:all");
    assert_eq!(attempt["scope_differs"], true);
    assert_eq!(attempt["token"]["owner_id"], "CuStOmEr");
    let headers: Vec<&str> = attempt["headers"]
        .as_array()
        .expect("headers")
        .iter()
        .filter_map(|h| h[0].as_str())
        .collect();
    assert!(headers.contains(&"x-request-id"), "{headers:?}");
    assert!(!headers.iter().any(|h| h.eq_ignore_ascii_case("set-cookie")));
    let curl = attempt["curl"].as_str().expect("curl");
    assert!(
        curl.contains("<PASSWORD>") && curl.contains("demo-t…nnel"),
        "{curl}"
    );
    assert!(!out.stdout.contains("sentinel-cookie"));
}

#[test]
fn masking_is_chosen_per_report() {
    let server = issuing();
    let out = login(
        &server.url,
        catalog::TEST_CLIENT_ID,
        catalog::CUSTOMER_EMAIL,
        &["--report", "md", "--mask-email", "--reveal-client-id"],
    );
    assert!(
        out.stdout.contains("j\\*\\*\\*@example.com"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains(catalog::CUSTOMER_EMAIL),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(catalog::TEST_CLIENT_ID),
        "{}",
        out.stdout
    );
}

#[test]
fn a_report_file_is_written_beside_the_usual_output_for_its_owner_only() {
    let server = issuing();
    let folder = tempfile::tempdir().expect("dir");
    let path = folder.path().join("ticket-4711.json");
    let out = login(
        &server.url,
        catalog::TEST_CLIENT_ID,
        catalog::CUSTOMER_EMAIL,
        &["--report-file", path.to_str().expect("utf-8")],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("outcome    ok"), "{}", out.stdout);
    let text = std::fs::read_to_string(&path).expect("report file");
    assert_clean(&text);
    let value: Value = serde_json::from_str(&text).expect("json by extension");
    assert_eq!(value["attempt"]["outcome"], "ok");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn a_refresh_report_names_the_refresh_token_only_as_a_placeholder() {
    let server = issuing();
    let out = run(bin()
        .args([
            "refresh",
            "--base-url",
            &server.url,
            "--client-id",
            catalog::TEST_CLIENT_ID,
            "--report",
            "md",
        ])
        .env("CL_REFRESH_TOKEN", "an-older-refresh-token-1234"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_clean(&out.stdout);
    out.assert_never_shows("an-older-refresh-token-1234");
    assert!(out.stdout.contains("<REFRESH_TOKEN>"), "{}", out.stdout);
}

#[test]
fn history_lists_what_the_window_kept_and_clears_it() {
    let data = tempfile::tempdir().expect("dir");
    let history = |args: &[&str]| {
        run(bin()
            .args(["history"])
            .args(args)
            .env("XDG_DATA_HOME", data.path()))
    };
    let empty = history(&[]);
    assert_eq!(empty.code, 0);
    assert!(empty.stderr.contains("Keep history"), "{}", empty.stderr);
    assert_eq!(history(&["--json"]).json(), serde_json::json!([]));

    // What the window writes when "Keep history" is on.
    let folder = data.path().join(cl_login_tester::data_folder::APP_NAME);
    let kept = History::at(folder.join(history::FILE_NAME));
    let attempt = support::window::canned_attempt(400, r#"{"error":"invalid_grant"}"#);
    kept.append(&attempt, std::time::SystemTime::now())
        .expect("kept");
    let listed = history(&[]);
    assert!(
        listed.stdout.contains("j***@example.com"),
        "{}",
        listed.stdout
    );
    assert!(listed.stdout.contains("refused"), "{}", listed.stdout);
    let json = history(&["--json"]).json();
    assert_eq!(json[0]["attempt"]["outcome"], "refused");
    assert_eq!(history(&["--clear"]).code, 0);
    assert_eq!(history(&["--json"]).json(), serde_json::json!([]));
}

#[test]
fn a_diagnosed_login_reports_the_verdict_and_every_request_without_secrets() {
    use cl_login_tester::auth::{Encoding, Grant, RequestDraft};
    use cl_login_tester::auth_host::{AuthHost, Transport};
    use cl_login_tester::diagnosis::diagnose;
    use cl_login_tester::report::{markdown, Masking, Report};

    // Jane may not have the private market: the login fails over the scope, and Diagnose asks
    // a guest token with and without it, then Jane without it.
    let demo = Demo::start();
    let scopes = vec!["market:code:b2b".to_owned()];
    let checked = RequestDraft {
        base_url: demo.url(),
        client_id: catalog::TEST_CLIENT_ID,
        grant: Grant::Password {
            username: catalog::CUSTOMER_EMAIL.to_owned(),
            password: catalog::CUSTOMER_PASSWORD.to_owned().into(),
        },
        scopes: &scopes,
        check_scopes: true,
        encoding: Encoding::Json,
        timeout: Duration::from_secs(10),
    }
    .check()
    .expect("request");
    let host = AuthHost::new(Transport::new().expect("transport"));
    let password = match &checked.request.grant {
        Grant::Password { password, .. } => Some(password.clone()),
        _ => None,
    };
    let diagnosis = demo.handle().block_on(async {
        let login = host.token(&checked.request).await;
        diagnose(&host, login, password, Duration::from_secs(10), |_, _| {}).await
    });
    let issued: Vec<String> = diagnosis
        .probes
        .iter()
        .filter_map(|(_, a)| a.outcome.token.as_ref())
        .map(|t| t.access_token.clone())
        .collect();
    assert!(
        !issued.is_empty(),
        "a guest or Jane without the scope got a token"
    );

    let masking = Masking {
        reveal_client_id: false,
        mask_email: true,
    };
    let report = Report::of_diagnosis(&diagnosis, masking, std::time::SystemTime::now());
    let json: Value = serde_json::from_str(&report.to_json()).expect("json");
    assert_eq!(json["report_version"], 1, "a new optional field, no bump");
    assert_eq!(json["diagnosis"]["cause"], "private_market", "{json}");
    assert_eq!(json["diagnosis"]["input_at_fault"], "scope");
    let probes: Vec<&str> = json["diagnosis"]["probes"]
        .as_array()
        .expect("probes")
        .iter()
        .filter_map(|p| p["probe"].as_str())
        .collect();
    assert_eq!(
        probes,
        ["guest_same_scope", "guest_no_scope", "customer_no_scope"]
    );
    let md = markdown(&report);
    assert!(md.contains("#### Diagnosis: Market b2b is private"), "{md}");
    for text in [report.to_json(), md] {
        for secret in issued.iter().map(String::as_str).chain([
            catalog::CUSTOMER_PASSWORD,
            catalog::CUSTOMER_EMAIL,
            catalog::TEST_CLIENT_ID,
        ]) {
            assert!(!text.contains(secret), "{secret} in the report:\n{text}");
        }
    }
}
