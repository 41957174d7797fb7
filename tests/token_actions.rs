//! A token's life after login, as a user sees it: the signature check on every token, refresh,
//! revoke, the guest comparison and `decode`. The real binary against the demo server and
//! purpose-built servers, and the library calls the window makes.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cl_login_tester::attempt::{follow_up, Comparison, TokenKind};
use cl_login_tester::auth::{
    Encoding, Finding, Grant, OutcomeKind, RequestDraft, Signature, TokenRequest,
};
use cl_login_tester::auth_host::keys::{KeyCache, KeyPolicy};
use cl_login_tester::auth_host::AuthHost;
use cl_login_tester::auth_host::Transport;
use cl_login_tester::demo::{DEMO_KID, ROTATED_KID};
use serde_json::{json, Value};
use support::{bin, catalog, login, run, run_with_stdin, Canned, Demo, Hostile};

const SCOPE: &str = "market:code:europe";

/// Jane's login on the demo, `--json`.
fn jane(demo: &Demo) -> Value {
    let out = login(demo.url()).scope(SCOPE).json().run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.json()
}

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not text: {value}"))
}

fn refresh(demo: &Demo, refresh_token: &str, scope: &str) -> support::Run {
    run_with_stdin(
        &[
            "refresh",
            "--base-url",
            demo.url(),
            "--client-id",
            catalog::TEST_CLIENT_ID,
            "--scope",
            scope,
            "--refresh-token-stdin",
            "--json",
        ],
        &format!("{refresh_token}\n"),
    )
}

fn revoke(demo: &Demo, client_id: &str, token: &str) -> support::Run {
    run_with_stdin(
        &[
            "revoke",
            "--base-url",
            demo.url(),
            "--client-id",
            client_id,
            "--token-stdin",
            "--json",
        ],
        &format!("{token}\n"),
    )
}

fn decode(token: &str, extra: &[&str]) -> support::Run {
    let mut args = vec!["decode"];
    args.extend_from_slice(extra);
    run_with_stdin(&args, &format!("{token}\n"))
}

/// The token with one byte of its decoded payload changed (the customer id's first letter).
fn with_one_payload_byte_changed(token: &str) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    let mut payload = URL_SAFE_NO_PAD.decode(parts[1]).expect("payload");
    let at = payload
        .windows(10)
        .position(|w| w == b"wZxQhJanEd")
        .expect("customer id in the payload");
    payload[at] = b'x';
    format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(payload),
        parts[2]
    )
}

fn unsigned_jwt(claims: &Value) -> String {
    let header = json!({"alg": "RS512", "typ": "JWT", "kid": "k"});
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        URL_SAFE_NO_PAD.encode(b"not a signature")
    )
}

fn epoch_now() -> i64 {
    i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock")
            .as_secs(),
    )
    .expect("secs")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

// ---------------------------------------------------------------- signature and validity

#[test]
fn a_demo_login_is_verified_against_the_demo_keys() {
    let demo = Demo::start();
    let json = jane(&demo);
    let signature = &json["signature"];
    assert_eq!(signature["result"], "verified", "{json}");
    assert_eq!(signature["kid"], DEMO_KID);
    assert_eq!(
        signature["keys_url"],
        format!("{}/.well-known/jwks.json", demo.url())
    );
    assert!(signature["detail"].is_null());
    assert_eq!(json["validity"], "valid");
    assert!(json["clock_skew_s"].is_null());
    assert!(json["refresh_token_rotated"].is_null(), "not a refresh");

    let out = login(demo.url()).password_in_env().run();
    assert!(
        out.stdout.contains("signature  verified: ") && out.stdout.contains("validity   valid"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_token_with_one_changed_payload_byte_fails_the_check() {
    let demo = Demo::start();
    let genuine = text(&jane(&demo)["token"]["access_token"]).to_owned();
    let forged = with_one_payload_byte_changed(&genuine);

    let out = decode(&genuine, &["--verify", "--base-url", demo.url()]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);

    let out = decode(&forged, &["--verify", "--base-url", demo.url(), "--json"]);
    assert_eq!(out.code, 1, "a forged token is a failed check");
    let json = out.json();
    assert_eq!(json["signature"]["result"], "invalid");
    assert_eq!(json["jwt"]["claims"]["owner"]["id"], "xZxQhJanEd");

    let out = decode(&forged, &["--verify", "--base-url", demo.url()]);
    assert!(out.stdout.contains("does NOT match"), "{}", out.stdout);
}

#[test]
fn a_forged_token_from_a_login_is_shown_and_flagged() {
    let demo = Demo::start();
    let mut answer = jane(&demo)["token"].clone();
    answer["access_token"] = json!(with_one_payload_byte_changed(text(&answer["access_token"])));
    let jwks = runtime()
        .block_on(async {
            let url = format!("{}/.well-known/jwks.json", demo.url());
            Transport::new()
                .expect("transport")
                .get_json(&url.parse().expect("url"), Duration::from_secs(5))
                .await
        })
        .expect("demo jwks");
    // A host that answers like the demo, but hands out a token it altered.
    let impostor = Hostile::responding(move |req| {
        if req.is_to("GET", "/.well-known/jwks.json") {
            Canned::json("200 OK", &jwks.to_string())
        } else {
            Canned::json("200 OK", &answer.to_string())
        }
    });
    let out = login(&impostor.url).json().run();
    assert_eq!(out.code, 0, "the server did issue a token");
    let json = out.json();
    assert_eq!(json["signature"]["result"], "invalid");
    assert!(json["token"]["access_token"].is_string());
}

#[test]
fn unreachable_keys_never_hide_the_token_nor_outlast_one_timeout() {
    let demo = Demo::start();
    let answer = jane(&demo)["token"].to_string();
    // Answers the login at once, but the key fetch hangs.
    let server = Hostile::responding(move |req| {
        if req.is_to("GET", "/.well-known/jwks.json") {
            Canned::json("200 OK", r#"{"keys":[]}"#).delayed(Duration::from_secs(30))
        } else {
            Canned::json("200 OK", &answer)
        }
    });
    let started = Instant::now();
    let out = login(&server.url)
        .args(&["--timeout"])
        .args(&["2"])
        .json()
        .run();
    let took = started.elapsed();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = out.json();
    assert!(json["token"]["access_token"].is_string(), "{json}");
    assert_eq!(json["signature"]["result"], "keys_unreachable");
    assert!(
        text(&json["signature"]["detail"]).contains("No complete answer within 2 s"),
        "{json}"
    );
    // The fetch started alongside the login failed; the check after it reports that failure
    // instead of waiting out a second fetch.
    assert!(took < Duration::from_millis(3500), "took {took:?}");
    assert_eq!(
        server.requests_to("GET", "/.well-known/jwks.json").len(),
        1,
        "one key fetch per login"
    );
}

#[test]
fn a_failed_key_fetch_is_reported_at_once_until_the_cooldown_ends() {
    let server =
        Hostile::always(Canned::json("200 OK", r#"{"keys":[]}"#).delayed(Duration::from_secs(30)));
    let cooldown = Duration::from_secs(2);
    let keys = KeyCache::with_policy(
        Transport::new().expect("transport"),
        KeyPolicy {
            refetch_cooldown: cooldown,
            ..KeyPolicy::default()
        },
    );
    let token = unsigned_jwt(&json!({"exp": epoch_now() + 3600}));
    let timeout = Duration::from_secs(1);
    let rt = runtime();
    let fetches = || server.requests_to("GET", "/.well-known/jwks.json").len();
    let unreachable = |check: &cl_login_tester::auth::SignatureCheck| {
        assert_eq!(check.result, Signature::KeysUnreachable, "{check:?}");
        assert!(
            check
                .detail
                .as_deref()
                .is_some_and(|d| d.contains("No complete answer within 1 s")),
            "{check:?}"
        );
    };

    unreachable(&rt.block_on(keys.check(&token, &server.url, timeout)));
    assert_eq!(fetches(), 1);

    let started = Instant::now();
    unreachable(&rt.block_on(keys.check(&token, &server.url, timeout)));
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "within the cooldown the recorded failure is reported at once: {:?}",
        started.elapsed()
    );
    assert_eq!(fetches(), 1, "no second fetch within the cooldown");

    std::thread::sleep(cooldown);
    unreachable(&rt.block_on(keys.check(&token, &server.url, timeout)));
    assert_eq!(fetches(), 2, "tried again once the cooldown is over");
}

#[test]
fn offline_keys_are_reported_as_keys_unreachable() {
    let demo = Demo::start();
    let token = text(&jane(&demo)["token"]["access_token"]).to_owned();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let offline = format!("http://{}", closed.local_addr().expect("addr"));
    drop(closed);
    let out = decode(&token, &["--verify", "--base-url", &offline, "--json"]);
    assert_eq!(out.code, 3);
    let json = out.json();
    assert_eq!(json["signature"]["result"], "keys_unreachable");
    assert_eq!(
        json["signature"]["keys_url"],
        format!("{offline}/.well-known/jwks.json")
    );
    assert_eq!(json["jwt"]["claims"]["owner"]["id"], "wZxQhJanEd");
}

#[test]
fn an_expired_token_and_a_skewed_server_clock_are_flagged() {
    let now = epoch_now();
    let answer = json!({
        "access_token": unsigned_jwt(&json!({"exp": now - 60, "iat": now - 7260})),
        "token_type": "bearer",
        "expires_in": 7200,
    });
    let server = Hostile::always(Canned::json("200 OK", &answer.to_string()).header(
        "Date",
        &httpdate(SystemTime::now() + Duration::from_secs(3600)),
    ));
    let out = login(&server.url)
        .client("client")
        .email("a@b.c")
        .password("pw")
        .json()
        .run();
    assert_eq!(out.code, 0);
    let json = out.json();
    assert_eq!(json["validity"], "expired");
    let skew = json["clock_skew_s"].as_i64().expect("skew reported");
    assert!((3590..=3610).contains(&skew), "{skew}");

    let out = login(&server.url).client("client").run();
    assert!(
        out.stdout.contains("EXPIRED") && out.stdout.contains("clock is"),
        "{}",
        out.stdout
    );
}

#[test]
fn decode_shows_header_claims_expiry_and_mode_but_not_the_token() {
    let demo = Demo::start();
    let token = text(&jane(&demo)["token"]["access_token"]).to_owned();
    let out = decode(&format!("Bearer {token}"), &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for expected in [
        "header     {\"alg\":\"RS512\"",
        "claims     {",
        "\"owner\": {",
        "expires    ",
        "validity   valid now",
        "mode       test",
    ] {
        assert!(
            out.stdout.contains(expected),
            "{expected:?} in\n{}",
            out.stdout
        );
    }
    assert!(
        !out.stdout.contains("signature"),
        "no check unless --verify"
    );
    let signature_part = token.rsplit('.').next().expect("part");
    out.assert_never_shows(signature_part);

    let json = decode(&token, &["--json"]).json();
    assert_eq!(json["jwt"]["header"]["kid"], DEMO_KID);
    assert_eq!(json["mode"], "test");
    assert_eq!(json["validity"], "valid");
    assert!(json["expires_at"].is_string());
    assert!(json["signature"].is_null());

    let future = unsigned_jwt(&json!({"iat": epoch_now() + 3600, "exp": epoch_now() + 9000}));
    assert_eq!(
        decode(&future, &["--json"]).json()["validity"],
        "not_yet_valid"
    );
}

#[test]
fn decode_refuses_what_is_not_a_jwt_without_sending_anything() {
    let out = decode("opaque-token", &["--verify"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not a JWT"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

#[test]
fn decode_refuses_a_bad_timeout_like_every_command_without_fetching() {
    let keys = Hostile::always(Canned::json("200 OK", r#"{"keys":[]}"#));
    let token = unsigned_jwt(&json!({"exp": epoch_now() + 3600}));
    for timeout in ["0", "601"] {
        let out = decode(
            &token,
            &["--verify", "--base-url", &keys.url, "--timeout", timeout],
        );
        assert_eq!(out.code, 2, "--timeout {timeout}: {}", out.stdout);
        assert!(
            out.stderr
                .contains("timeout must be between 1 and 600 seconds"),
            "{}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{}", out.stdout);
    }
    assert!(keys.requests().is_empty(), "nothing was fetched");
}

// ---------------------------------------------------------------- refresh

#[test]
fn refresh_rotates_and_the_old_refresh_token_is_then_refused() {
    let demo = Demo::start();
    let first = text(&jane(&demo)["token"]["refresh_token"]).to_owned();

    let out = refresh(&demo, &first, SCOPE);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let json = out.json();
    assert_eq!(json["request"]["grant_type"], "refresh_token");
    assert_eq!(json["request"]["scope"], SCOPE);
    assert_eq!(json["refresh_token_rotated"], true);
    assert_eq!(json["signature"]["result"], "verified");
    assert_eq!(json["token"]["owner_id"], "wZxQhJanEd");
    let second = text(&json["token"]["refresh_token"]).to_owned();
    assert_ne!(second, first);

    let out = refresh(&demo, &first, SCOPE);
    assert_eq!(out.code, 1, "a used refresh token is refused");
    let json = out.json();
    assert_eq!(json["error"]["code"], "invalid_grant");
    assert!(
        text(&json["error"]["explanation"]).contains("already used"),
        "{json}"
    );
    assert_eq!(refresh(&demo, &second, SCOPE).code, 0, "the new one works");
}

#[test]
fn a_refresh_with_another_scope_is_refused_and_says_so() {
    let demo = Demo::start();
    let token = text(&jane(&demo)["token"]["refresh_token"]).to_owned();
    let out = refresh(&demo, &token, "market:code:usa");
    assert_eq!(out.code, 1);
    assert!(
        text(&out.json()["error"]["explanation"]).contains("scope differs"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_refresh_token_comes_from_the_environment_and_is_not_printed() {
    let demo = Demo::start();
    let token = text(&jane(&demo)["token"]["refresh_token"]).to_owned();
    let out = run(bin()
        .args([
            "refresh",
            "--base-url",
            demo.url(),
            "--client-id",
            catalog::TEST_CLIENT_ID,
            "--scope",
            SCOPE,
        ])
        .env("CL_REFRESH_TOKEN", &token));
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.assert_never_shows(&token);
    assert!(
        out.stdout.contains("refresh    Refresh token rotated"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_refresh_token_is_never_an_argument() {
    let out = run(bin().args([
        "refresh",
        "--client-id",
        "x",
        "--base-url",
        "http://127.0.0.1:9",
    ]));
    assert_eq!(out.code, 2);
    for way in ["--refresh-token-stdin", "CL_REFRESH_TOKEN", "terminal"] {
        assert!(out.stderr.contains(way), "{way} missing: {}", out.stderr);
    }
    let out = run(bin().args(["refresh", "--client-id", "x", "--refresh-token", "rt"]));
    assert_eq!(out.code, 2, "no such flag");
}

// ---------------------------------------------------------------- revoke

#[test]
fn a_revoked_refresh_token_is_refused() {
    let demo = Demo::start();
    let token = text(&jane(&demo)["token"]["refresh_token"]).to_owned();
    let out = revoke(&demo, catalog::TEST_CLIENT_ID, &token);
    assert_eq!(out.code, 0, "{}", out.stdout);
    out.assert_never_shows(&token);
    let json = out.json();
    assert_eq!(json["outcome"], "ok");
    assert_eq!(json["request"]["endpoint"], "revoke");
    assert_eq!(
        json["request"]["url"],
        format!("{}/oauth/revoke", demo.url())
    );
    assert!(json["request"]["grant_type"].is_null());

    let out = refresh(&demo, &token, SCOPE);
    assert_eq!(out.code, 1);
    let json = out.json();
    assert_eq!(json["error"]["code"], "invalid_grant");
    assert!(
        text(&json["error"]["explanation"]).contains("revoked"),
        "{json}"
    );
}

#[test]
fn revoking_with_another_client_is_refused_and_explained() {
    let demo = Demo::start();
    let token = text(&jane(&demo)["token"]["access_token"]).to_owned();
    let out = revoke(&demo, catalog::LIVE_CLIENT_ID, &token);
    assert_eq!(out.code, 1);
    let json = out.json();
    assert_eq!(json["http_status"], 403);
    assert_eq!(json["error"]["code"], "unauthorized_client");
    assert!(
        text(&json["error"]["explanation"]).contains("another client ID"),
        "{json}"
    );

    let out = run_with_stdin(
        &[
            "revoke",
            "--base-url",
            demo.url(),
            "--client-id",
            catalog::TEST_CLIENT_ID,
            "--token-stdin",
        ],
        &format!("{token}\n"),
    );
    assert!(
        out.stdout.contains("outcome    ok: Token revoked"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_token_to_revoke_comes_from_stdin_or_cl_token_only() {
    let out = run(bin().args([
        "revoke",
        "--client-id",
        "x",
        "--base-url",
        "http://127.0.0.1:9",
    ]));
    assert_eq!(out.code, 2);
    for way in ["--token-stdin", "CL_TOKEN"] {
        assert!(out.stderr.contains(way), "{way} missing: {}", out.stderr);
    }
    let demo = Demo::start();
    let token = text(&jane(&demo)["token"]["access_token"]).to_owned();
    let out = run(bin()
        .args([
            "revoke",
            "--base-url",
            demo.url(),
            "--client-id",
            catalog::TEST_CLIENT_ID,
        ])
        .env("CL_TOKEN", &token));
    assert_eq!(out.code, 0, "{}", out.stdout);
}

// ---------------------------------------------------------------- guest

#[test]
fn a_guest_token_has_the_login_shape_without_a_customer() {
    let demo = Demo::start();
    let out = run(bin().args([
        "guest",
        "--base-url",
        demo.url(),
        "--client-id",
        catalog::TEST_CLIENT_ID,
        "--scope",
        SCOPE,
        "--json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = out.json();
    assert_eq!(json["outcome"], "ok");
    assert_eq!(json["request"]["grant_type"], "client_credentials");
    assert!(json["request"]["username"].is_null());
    assert!(json["token"].get("refresh_token").is_none());
    assert!(json["jwt"]["claims"].get("owner").is_none());
    assert_eq!(json["jwt"]["claims"]["market"]["id"][0], "BjvlWhjJKa");
    assert_eq!(json["signature"]["result"], "verified");
    assert_eq!(json["mode"], "test");

    let out = run(bin().args([
        "guest",
        "--base-url",
        demo.url(),
        "--client-id",
        "no-such-client",
    ]));
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("invalid_client"), "{}", out.stdout);
}

// ---------------------------------------------------------------- the library the window calls

fn draft_for(
    base: &str,
    email: &str,
    password: &str,
    client_id: &str,
    scope: &str,
) -> TokenRequest {
    let scopes = vec![scope.to_owned()];
    RequestDraft {
        base_url: base,
        client_id,
        grant: Grant::Password {
            username: email.to_owned(),
            password: password.to_owned().into(),
        },
        scopes: &scopes,
        check_scopes: true,
        encoding: Encoding::Json,
        timeout: Duration::from_secs(10),
    }
    .check()
    .expect("valid")
    .request
}

#[test]
fn the_window_can_share_one_lifecycle_across_threads() {
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<AuthHost>();
    shareable::<KeyCache>();
}

#[test]
fn keys_are_cached_and_an_unknown_kid_triggers_one_refetch() {
    let demo = Demo::start();
    let cooldown = Duration::from_millis(300);
    let transport = Transport::new().expect("transport");
    let keys = KeyCache::with_policy(
        transport.clone(),
        KeyPolicy {
            refetch_cooldown: cooldown,
            ..KeyPolicy::default()
        },
    );
    let auth_host = AuthHost::with_keys(transport, keys);
    let login = || {
        draft_for(
            demo.url(),
            catalog::CUSTOMER_EMAIL,
            catalog::CUSTOMER_PASSWORD,
            catalog::TEST_CLIENT_ID,
            SCOPE,
        )
    };
    let rt = runtime();
    let verified = |kid: &str| {
        let attempt = rt.block_on(auth_host.token(&login()));
        let check = attempt.signature.clone().expect("checked");
        assert_eq!(check.result, Signature::Verified, "{check:?}");
        assert_eq!(check.kid.as_deref(), Some(kid));
        attempt
    };

    verified(DEMO_KID);
    verified(DEMO_KID);
    assert_eq!(
        demo.server.jwks_served(),
        1,
        "the second check used the cache"
    );

    assert_eq!(demo.server.rotate_signing_key(), ROTATED_KID);
    std::thread::sleep(cooldown + Duration::from_millis(50));
    let rotated = verified(ROTATED_KID);
    assert_eq!(demo.server.jwks_served(), 2, "one refetch for the new kid");

    // A kid nobody publishes, right after that fetch: no second refetch within the cooldown.
    let token = &rotated.outcome.token.as_ref().expect("token").access_token;
    let parts: Vec<&str> = token.split('.').collect();
    let bogus_header = json!({"alg": "RS512", "typ": "JWT", "kid": "nobody-has-this"});
    let bogus = format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(bogus_header.to_string()),
        parts[1],
        parts[2]
    );
    let check = rt.block_on(
        auth_host
            .keys()
            .check(&bogus, demo.url(), Duration::from_secs(5)),
    );
    assert_eq!(check.result, Signature::KeyNotFound);
    assert_eq!(demo.server.jwks_served(), 2);
}

#[test]
fn the_guest_comparison_points_at_credentials_client_or_scope() {
    let demo = Demo::start();
    let auth_host = AuthHost::new(Transport::new().expect("transport"));
    let rt = runtime();
    // As the window does: the login is shown first, then the guest token is asked for with its
    // client ID and scope.
    let compare = |email: &str, password: &str, client_id: &str, scope: &str| {
        let login = draft_for(demo.url(), email, password, client_id, scope);
        let customer = rt.block_on(auth_host.token(&login));
        let guest = follow_up::guest_request(&customer.request, login.timeout).expect("guest");
        let guest = rt.block_on(auth_host.token(&guest));
        Comparison::new(customer, guest)
    };

    let wrong_password = compare(
        catalog::CUSTOMER_EMAIL,
        "wrong",
        catalog::TEST_CLIENT_ID,
        SCOPE,
    );
    assert_eq!(wrong_password.verdict.finding, Finding::CustomerRefused);
    assert!(wrong_password
        .verdict
        .explanation
        .contains("email or password"));
    assert_eq!(
        wrong_password.guest.request.grant_type.as_deref(),
        Some("client_credentials")
    );
    assert_eq!(wrong_password.guest.request.scope.as_deref(), Some(SCOPE));
    assert_eq!(
        wrong_password.guest.signature.as_ref().map(|s| s.result),
        Some(Signature::Verified)
    );

    let unknown_client = compare(
        catalog::CUSTOMER_EMAIL,
        catalog::CUSTOMER_PASSWORD,
        "no-such-client",
        SCOPE,
    );
    assert_eq!(unknown_client.verdict.finding, Finding::BothRefused);
    assert!(unknown_client.verdict.explanation.contains("client ID"));

    let bad_scope = compare(
        catalog::CUSTOMER_EMAIL,
        catalog::CUSTOMER_PASSWORD,
        catalog::TEST_CLIENT_ID,
        "market:code:atlantis",
    );
    assert_eq!(bad_scope.verdict.finding, Finding::BothRefused);
    assert!(bad_scope.verdict.explanation.contains("fix the scope"));

    let private_market = compare(
        catalog::B2B_EMAIL,
        catalog::B2B_PASSWORD,
        catalog::TEST_CLIENT_ID,
        "market:code:b2b",
    );
    assert_eq!(private_market.verdict.finding, Finding::GuestRefused);
    assert!(private_market
        .verdict
        .explanation
        .contains("private market"));
}

#[test]
fn revoke_when_done_revokes_both_tokens_of_a_login() {
    let demo = Demo::start();
    let auth_host = AuthHost::new(Transport::new().expect("transport"));
    let rt = runtime();
    let login = rt.block_on(auth_host.token(&draft_for(
        demo.url(),
        catalog::CUSTOMER_EMAIL,
        catalog::CUSTOMER_PASSWORD,
        catalog::TEST_CLIENT_ID,
        SCOPE,
    )));
    let timeout = Duration::from_secs(5);

    let revoked = rt
        .block_on(auth_host.revoke_issued(&login, &TokenKind::BOTH, timeout))
        .expect("requests");
    let kinds: Vec<TokenKind> = revoked.iter().map(|(kind, _)| *kind).collect();
    assert_eq!(kinds, TokenKind::BOTH, "the refresh and the access token");
    for (_, attempt) in &revoked {
        assert_eq!(attempt.headline(), "Token revoked", "{attempt:?}");
    }

    let refresh = follow_up::refresh_request(&login, timeout)
        .expect("a refresh token")
        .expect("valid");
    let refused = rt.block_on(auth_host.token(&refresh));
    assert_eq!(refused.kind(), OutcomeKind::Refused);
    assert_eq!(
        refused.outcome.error.as_ref().map(|p| p.code.as_str()),
        Some("invalid_grant")
    );
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` for a time.
fn httpdate(at: SystemTime) -> String {
    let text = humantime::format_rfc3339_seconds(at).to_string();
    let (date, time) = text.trim_end_matches('Z').split_once('T').expect("rfc3339");
    let mut ymd = date.split('-');
    let (year, month, day) = (
        ymd.next().expect("y"),
        ymd.next().expect("m"),
        ymd.next().expect("d"),
    );
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS[month.parse::<usize>().expect("month") - 1];
    format!("Mon, {day} {month} {year} {time} GMT")
}
