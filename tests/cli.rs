//! The real binary against the in-process demo server: what a script or CI job sees.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use support::{bin, catalog, login, run, Demo};

#[test]
fn valid_customer_gets_a_token_with_owner_scope_and_mode() {
    let demo = Demo::start();
    let out = login(demo.url()).scope("market:code:europe").json().run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.assert_never_shows(catalog::CUSTOMER_PASSWORD);
    let json = out.json();
    assert_eq!(json["outcome"], "ok");
    assert_eq!(json["http_status"], 200);
    assert!(json["elapsed_ms"].as_f64().expect("elapsed") > 0.0);
    assert_eq!(json["request"]["grant_type"], "password");
    assert_eq!(json["request"]["username"], catalog::CUSTOMER_EMAIL);
    assert_eq!(json["request"]["scope"], "market:code:europe");
    assert_eq!(json["request"]["encoding"], "json");
    assert_eq!(
        json["request"]["url"],
        format!("{}/oauth/token", demo.url())
    );
    assert_eq!(json["token"]["owner_type"], "customer");
    assert_eq!(json["token"]["owner_id"], "wZxQhJanEd");
    assert_eq!(json["token"]["scope"], "market:code:europe");
    assert_eq!(json["jwt"]["header"]["alg"], "RS512");
    assert_eq!(json["jwt"]["claims"]["owner"]["id"], "wZxQhJanEd");
    assert_eq!(json["jwt"]["claims"]["market"]["id"][0], "BjvlWhjJKa");
    assert_eq!(json["mode"], "test");
    assert!(json["expires_at"]
        .as_str()
        .expect("expires_at")
        .ends_with('Z'));
    assert!(json["error"].is_null());
}

#[test]
fn live_client_reports_live_mode_and_no_scope_means_market_all() {
    let demo = Demo::start();
    let out = login(demo.url())
        .client(catalog::LIVE_CLIENT_ID)
        .json()
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = out.json();
    assert_eq!(json["mode"], "live");
    assert_eq!(json["token"]["scope"], "market:all");
    assert!(json["jwt"]["claims"].get("market").is_none());
    assert!(json["request"]["scope"].is_null());
}

#[test]
fn wrong_password_is_refused_with_an_explanation() {
    let demo = Demo::start();
    let out = login(demo.url()).password("not-her-password").json().run();
    assert_eq!(out.code, 1);
    out.assert_never_shows("not-her-password");
    let json = out.json();
    assert_eq!(json["outcome"], "refused");
    assert_eq!(json["error"]["code"], "invalid_grant");
    assert!(json["error"]["explanation"]
        .as_str()
        .expect("explanation")
        .contains("password is wrong"));
    assert!(json["token"].is_null());
}

#[test]
fn the_text_outcome_names_the_cause_not_just_the_status() {
    let demo = Demo::start();
    for (client, scope, headline) in [
        (
            catalog::TEST_CLIENT_ID,
            "market:code:b2b",
            "refused: Market b2b is private to a customer group",
        ),
        (
            "no-such-client",
            "market:code:europe",
            "refused: Unknown client ID",
        ),
    ] {
        let out = login(demo.url()).client(client).scope(scope).run();
        assert_eq!(out.code, 1);
        assert!(
            out.stdout.starts_with(&format!("outcome    {headline}\n")),
            "{}",
            out.stdout
        );
    }
    let out = login("http://127.0.0.1:9").run();
    assert!(
        out.stdout
            .starts_with("outcome    transport_error: The server is unreachable\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn unknown_email_and_guest_customer_are_refused_alike() {
    let demo = Demo::start();
    for email in [catalog::UNKNOWN_EMAIL, catalog::GUEST_EMAIL] {
        let out = login(demo.url())
            .email(email)
            .password("anything")
            .json()
            .run();
        assert_eq!(out.code, 1, "{email}");
        assert_eq!(out.json()["error"]["code"], "invalid_grant");
    }
}

#[test]
fn unknown_client_is_explained() {
    let demo = Demo::start();
    let out = login(demo.url()).client("no-such-client").json().run();
    assert_eq!(out.code, 1);
    let json = out.json();
    assert_eq!(json["http_status"], 401);
    assert_eq!(json["error"]["code"], "invalid_client");
    assert!(json["error"]["explanation"]
        .as_str()
        .expect("text")
        .contains("test vs live"));
}

#[test]
fn integration_client_may_not_use_the_password_grant() {
    let demo = Demo::start();
    let out = login(demo.url())
        .client(catalog::INTEGRATION_CLIENT_ID)
        .json()
        .run();
    assert_eq!(out.code, 1);
    let json = out.json();
    assert_eq!(json["error"]["code"], "unsupported_grant_type");
    assert!(json["error"]["explanation"]
        .as_str()
        .expect("text")
        .contains("sales channel"));
}

#[test]
fn unknown_and_private_markets_are_invalid_scope() {
    let demo = Demo::start();
    for scope in ["market:code:atlantis", "market:code:b2b"] {
        let out = login(demo.url()).scope(scope).json().run();
        assert_eq!(out.code, 1, "{scope}");
        assert_eq!(out.json()["error"]["code"], "invalid_scope", "{scope}");
    }
    let out = login(demo.url())
        .email(catalog::B2B_EMAIL)
        .password(catalog::B2B_PASSWORD)
        .scope("market:code:b2b")
        .json()
        .run();
    assert_eq!(
        out.code, 0,
        "the B2B customer reaches the private market: {}",
        out.stdout
    );
}

#[test]
fn several_scopes_are_joined_with_one_space() {
    let demo = Demo::start();
    let out = login(demo.url())
        .scope("market:code:europe")
        .scope("stock_location:code:us-warehouse")
        .json()
        .run();
    assert_eq!(out.code, 0, "{}", out.stdout);
    let json = out.json();
    assert_eq!(
        json["request"]["scope"],
        "market:code:europe stock_location:code:us-warehouse"
    );
    let stock = json["jwt"]["claims"]["market"]["stock_location_ids"]
        .as_array()
        .expect("ids")
        .clone();
    assert!(stock.contains(&"nKZkPuDEBm".into()), "{stock:?}");
}

#[test]
fn legacy_client_errors_in_rfc6749_shape_are_read() {
    let demo = Demo::start();
    let out = login(demo.url())
        .client(catalog::LEGACY_CLIENT_ID)
        .password("wrong")
        .json()
        .run();
    assert_eq!(out.code, 1);
    assert_eq!(out.json()["error"]["code"], "invalid_grant");
}

#[test]
fn non_ascii_credentials_survive_both_encodings() {
    let demo = Demo::start();
    for extra in [&[][..], &["--form"][..]] {
        let out = login(demo.url())
            .email(catalog::UNICODE_EMAIL)
            .password(catalog::UNICODE_PASSWORD)
            .args(extra)
            .json()
            .run();
        assert_eq!(out.code, 0, "{extra:?}: {}", out.stdout);
        out.assert_never_shows(catalog::UNICODE_PASSWORD);
        assert_eq!(out.json()["request"]["username"], catalog::UNICODE_EMAIL);
    }
}

#[test]
fn password_from_the_environment_works_and_is_never_printed() {
    let demo = Demo::start();
    let out = login(demo.url())
        .password_in_env()
        .args(&["--show-token"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.assert_never_shows(catalog::CUSTOMER_PASSWORD);
    assert!(
        out.stdout.contains("owner      customer wZxQhJanEd"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("access     ey"),
        "--show-token prints the token:\n{}",
        out.stdout
    );
}

#[test]
fn text_output_hides_the_token_unless_asked() {
    let demo = Demo::start();
    let out = login(demo.url())
        .password_in_env()
        .scope("market:code:europe")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    for expected in [
        "outcome    ok: Token issued",
        "scope      market:code:europe",
        "mode       test",
        "markets    europe (BjvlWhjJKa)",
    ] {
        assert!(
            out.stdout.contains(expected),
            "missing {expected:?} in\n{}",
            out.stdout
        );
    }
    assert!(
        !out.stdout.contains("eyJ"),
        "token printed without --show-token:\n{}",
        out.stdout
    );
}

#[test]
fn no_password_source_is_a_usage_error_naming_the_three_ways() {
    let out = login("http://127.0.0.1:9").no_password().run();
    assert_eq!(out.code, 2);
    for way in ["--password-stdin", "CL_PASSWORD", "terminal"] {
        assert!(
            out.stderr.contains(way),
            "{way} missing from: {}",
            out.stderr
        );
    }
}

#[test]
fn plain_http_to_a_remote_host_is_refused_before_sending() {
    let out = login("http://auth.commercelayer.io")
        .password("secret-pw")
        .run();
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("plain http"), "{}", out.stderr);
    out.assert_never_shows("secret-pw");
}

#[test]
fn a_malformed_scope_is_named_and_nothing_is_sent() {
    let demo = Demo::start();
    let out = login(demo.url()).scope("markets:code:eu").json().run();
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("`markets`"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

#[test]
fn no_scope_check_lets_the_server_judge() {
    let demo = Demo::start();
    let out = login(demo.url())
        .scope("markets:code:eu")
        .args(&["--no-scope-check"])
        .json()
        .run();
    assert_eq!(out.code, 1);
    assert_eq!(out.json()["error"]["code"], "invalid_scope");
}

#[test]
fn legacy_numeric_scope_warns_but_is_sent() {
    let demo = Demo::start();
    let out = login(demo.url()).scope("market:1234").json().run();
    assert!(out.stderr.contains("legacy"), "{}", out.stderr);
    assert_eq!(out.json()["request"]["scope"], "market:1234");
}

#[test]
fn demo_rate_limit_answers_429_with_retry_after_and_exit_4() {
    let demo = Demo::with_rate_limit("2/60s");
    for _ in 0..2 {
        let out = login(demo.url()).json().run();
        assert_eq!(out.code, 0);
    }
    let out = login(demo.url()).json().run();
    assert_eq!(out.code, 4);
    let json = out.json();
    assert_eq!(json["outcome"], "rate_limited");
    let retry = json["error"]["retry_after_s"]
        .as_u64()
        .expect("retry_after_s");
    assert!((1..=60).contains(&retry), "{retry}");
    assert!(json["error"]["explanation"]
        .as_str()
        .expect("text")
        .contains(&format!("retry after {retry} seconds")));
}

#[test]
fn nothing_listening_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let out = login(&url)
        .client("x")
        .email("a@b.c")
        .password("pw")
        .json()
        .run();
    assert_eq!(out.code, 3);
    let json = out.json();
    assert_eq!(json["outcome"], "transport_error");
    assert!(json["http_status"].is_null());
    assert_eq!(json["error"]["code"], "connect");
}

#[test]
fn demo_server_command_prints_its_url_and_credentials() {
    let mut child = bin()
        .args(["demo-server", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stdout));
    let first = lines.next().expect("a line").expect("text");
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first.starts_with("Demo Commerce Layer auth server at http://127.0.0.1:"),
        "{first}"
    );
}

#[test]
fn the_window_without_a_display_says_so_and_points_to_the_cli() {
    let out = run(bin().env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY"));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no display"), "{}", out.stderr);
    assert!(
        out.stderr.contains("cl-login-tester login --help"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.stderr.lines().count(),
        1,
        "one clear sentence: {}",
        out.stderr
    );
}

#[test]
fn loopback_is_reached_directly_even_with_a_proxy_configured() {
    let demo = Demo::start();
    let proxy = support::Hostile::always(support::Canned::json("502 Bad Gateway", "{}"));
    let mut cmd = bin();
    cmd.args([
        "login",
        "--base-url",
        demo.url(),
        "--client-id",
        catalog::TEST_CLIENT_ID,
        "--email",
        catalog::CUSTOMER_EMAIL,
        "--json",
    ])
    .env("CL_PASSWORD", catalog::CUSTOMER_PASSWORD)
    .env("HTTP_PROXY", &proxy.url)
    .env("http_proxy", &proxy.url)
    .env("ALL_PROXY", &proxy.url)
    .env_remove("NO_PROXY")
    .env_remove("no_proxy");
    let out = run(&mut cmd);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        proxy.requests().is_empty(),
        "the password went through a proxy on plain http"
    );
}
