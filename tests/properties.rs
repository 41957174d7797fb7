//! Property tests on every parser of server or keyring input: whatever the bytes, no panic, and
//! the few promises a user relies on hold (a token is shown as issued only for a 2xx carrying
//! one, a changed byte never verifies, an excerpt never carries a token, server text never
//! reaches a terminal with a control or bidi character in it, a bulk-check CSV reads back the
//! rows a spreadsheet wrote).
//!
//! CI runs [`DEFAULT_CASES`] cases per property; `PROPTEST_CASES=1000000 cargo test --release
//! --test properties` runs a long session (see the README).
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{json, Map, Value};

use cl_login_tester::attempt::{Attempt, Tokens};
use cl_login_tester::auth::error_body::decode_error;
use cl_login_tester::auth::excerpt::{excerpt, redact_tokens, MAX_CHARS};
use cl_login_tester::auth::jwt::{decode, encode_part, find_key, verify_rs512};
use cl_login_tester::auth::outcome::{classify, HttpAnswer};
use cl_login_tester::auth::scope::{join_scopes, parse_scope, parse_scopes, Scope};
use cl_login_tester::auth::scope::{ScopeKey, ScopeKind};
use cl_login_tester::auth::{Encoding, Endpoint, OutcomeKind, RequestSummary, Signature};
use cl_login_tester::batch::{survey, FileProblem, Row, Rows};
use cl_login_tester::facts::{shown, shown_block, AttemptFacts};
use cl_login_tester::profiles::{
    IfExists, KeyringProfiles, Profile, ProfileError, ProfileName, ProfileStore,
};
use cl_login_tester::report::{Format, Masking, Report};
use secrecy::ExposeSecret;

/// Cases per property when `PROPTEST_CASES` is not set: a few thousand, about 10 s for the file.
const DEFAULT_CASES: u32 = 2000;

fn config() -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = DEFAULT_CASES;
    }
    // Failures are kept below as named regression tests, not in a file beside the sources.
    config.failure_persistence = None;
    config
}

/// Like [`config`], for properties whose cases cost a signature or a keyring round trip.
fn config_scaled(divisor: u32) -> Config {
    let mut config = config();
    config.cases = (config.cases / divisor).max(1);
    config
}

// ---------------------------------------------------------------------------------------------
// Generators

/// Keys the parsers look for, so generated objects reach their branches, plus any text.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "access_token", "refresh_token", "id_token", "token_type", "scope", "expires_in",
            "created_at", "owner_id", "owner_type", "errors", "error", "error_description",
            "title", "detail", "code", "status", "message", "alg", "kid", "typ", "exp", "iat",
            "nbf", "iss", "test", "owner", "id", "type", "market", "stock_location_ids",
            "organization", "slug", "application", "kind", "keys", "n", "e", "kty",
        ])
        .prop_map(str::to_owned),
        1 => any::<String>(),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        prop::sample::select(vec![
            0i64,
            1,
            -1,
            253_402_300_799,
            253_402_300_800,
            i64::MAX,
            i64::MIN,
        ])
        .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "[a-z_ ]{0,12}".prop_map(Value::String),
    ]
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

fn json_object() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec((key(), json_value()), 0..8).prop_map(|p| p.into_iter().collect())
}

/// A secret marker no generated text contains by chance: what must never leak.
fn marker() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{24}".prop_map(|s| format!("SECRET{s}"))
}

/// A JWT from any header and claims objects, with any signature bytes.
fn jwt_text() -> impl Strategy<Value = String> {
    (
        json_object(),
        json_object(),
        prop::collection::vec(any::<u8>(), 0..64),
    )
        .prop_map(|(header, claims, signature)| {
            format!(
                "{}.{}.{}",
                encode_part(Value::Object(header).to_string().as_bytes()),
                encode_part(Value::Object(claims).to_string().as_bytes()),
                encode_part(&signature)
            )
        })
}

/// Bodies: any bytes, any JSON, token answers and error answers with odd values, and JSON
/// nested past the parser's limit.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        (
            json_object(),
            prop_oneof![jwt_text(), any::<String>(), Just(String::new())]
        )
            .prop_map(|(mut object, token)| {
                object.insert("access_token".to_owned(), Value::String(token));
                Value::Object(object).to_string().into_bytes()
            }),
        (json_value(), json_object()).prop_map(|(errors, mut object)| {
            object.insert("errors".to_owned(), errors);
            Value::Object(object).to_string().into_bytes()
        }),
        (1usize..400)
            .prop_map(|depth| format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()),
    ]
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        prop::sample::select(vec![
            "retry-after",
            "Retry-After",
            "location",
            "date",
            "Date"
        ])
        .prop_map(str::to_owned),
        "[A-Za-z-]{1,12}",
    ];
    let value = prop_oneof![
        any::<String>(),
        any::<u64>().prop_map(|n| n.to_string()),
        Just("Sun, 06 Nov 1994 08:49:37 GMT".to_owned()),
        Just("Fri, 31 Dec 9999 23:59:59 GMT".to_owned()),
        "[A-Za-z]{3}, [0-9]{1,2} [A-Za-z]{3} [0-9]{1,6} [0-9:]{1,9} GMT",
    ];
    prop::collection::vec((name, value), 0..5)
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![3 => 100u16..600, 1 => any::<u16>()]
}

fn asked(endpoint: Endpoint) -> RequestSummary {
    RequestSummary {
        endpoint,
        url: "https://auth.commercelayer.io/oauth/token".to_owned(),
        grant_type: (endpoint == Endpoint::Token).then(|| "password".to_owned()),
        client_id: "client".to_owned(),
        username: Some("jane@example.com".to_owned()),
        scope: None,
        encoding: Encoding::Json,
    }
}

fn endpoint() -> impl Strategy<Value = Endpoint> {
    prop_oneof![Just(Endpoint::Token), Just(Endpoint::Revoke)]
}

fn received_at() -> impl Strategy<Value = SystemTime> {
    prop_oneof![
        Just(SystemTime::now()),
        (0u64..400_000_000_000).prop_map(|s| UNIX_EPOCH + Duration::from_secs(s)),
    ]
}

/// The access token a 2xx token answer carries, when the classifier must call it issued.
fn issued_token(status: u16, body: &[u8], truncated: bool) -> Option<String> {
    if !(200..300).contains(&status) || truncated {
        return None;
    }
    let value: Value = serde_json::from_slice(body).ok()?;
    let token = value.as_object()?.get("access_token")?.as_str()?;
    (!token.is_empty()).then(|| token.to_owned())
}

// ---------------------------------------------------------------------------------------------
// What "never leaks" and "never reaches a terminal" mean

/// Whether `text` holds `eyJ…​.…​.`: a JWT's header and claims, the shape a token has.
fn jwt_shaped(text: &str) -> Option<&str> {
    let base64url = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.match_indices("eyJ").find_map(|(start, _)| {
        let rest = &text[start..];
        let mut dots = 0;
        for (i, c) in rest.char_indices() {
            if c == '.' {
                dots += 1;
                if dots == 2 {
                    return Some(&rest[..=i]);
                }
            } else if !base64url(c) {
                return None;
            }
        }
        None
    })
}

/// A character that must never reach a terminal or a label as it is.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}'
                | '\u{200f}'
                | '\u{061c}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

fn assert_printable(what: &str, text: &str) {
    assert!(
        !text.chars().any(unsafe_char),
        "{what} holds a control or bidi character: {text:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// The token endpoint's answer

/// Everything a face derives from an answer, exercised: the facts, the JSON and the reports.
fn render_everything(attempt: &Attempt) -> Vec<String> {
    let now = SystemTime::now();
    let facts = AttemptFacts::of(attempt, now);
    let report = Report::of_attempt(attempt, Masking::default(), now);
    vec![
        format!("{facts:?}"),
        format!("{attempt:?}"),
        attempt.to_json(Tokens::Redacted).to_string(),
        report.render(Format::Md),
        report.render(Format::Json),
    ]
}

fn check_answer(
    endpoint: Endpoint,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    truncated: bool,
    received_at: SystemTime,
) {
    let answer = HttpAnswer {
        status,
        headers,
        body,
        truncated,
    };
    let outcome = classify(&answer, &asked(endpoint), received_at);
    let expected = match endpoint {
        Endpoint::Token => issued_token(status, body, truncated),
        Endpoint::Revoke => None,
    };
    let issued = outcome.token.as_ref().map(|t| t.access_token.clone());
    assert_eq!(
        issued,
        expected,
        "a token is issued exactly when a 2xx carries a non-empty access_token ({status}, {:?})",
        String::from_utf8_lossy(body)
    );
    assert_eq!(
        outcome.kind == OutcomeKind::Ok,
        issued.is_some() || (endpoint == Endpoint::Revoke && outcome.error.is_none()),
        "Ok means a token (or, for a revocation, no error)"
    );
    if outcome.kind == OutcomeKind::Ok && endpoint == Endpoint::Revoke {
        assert!((200..300).contains(&status), "revoked only on a 2xx");
    }
    match &outcome.error {
        Some(problem) => {
            assert_ne!(outcome.kind, OutcomeKind::Ok);
            assert!(!problem.code.is_empty(), "every problem has a code");
            assert!(!problem.explanation.is_empty());
        }
        None => assert_eq!(outcome.kind, OutcomeKind::Ok),
    }
    if let Some(token) = &outcome.token {
        let now = SystemTime::now();
        let _ = (token.mode(), token.granted_scope(), token.seconds_left(now));
        let _ = token.validity(now, Duration::from_secs(30));
    }
    let attempt = Attempt::answered(asked(endpoint), received_at, Duration::ZERO, &answer);
    let _ = attempt.clock_skew_s();
    for text in render_everything(&attempt) {
        if let Some(token) = issued.as_deref().filter(|t| t.len() >= 8) {
            assert!(
                !text.contains(token),
                "a token in a redacted view or report: {text}"
            );
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_answer_is_classified_and_a_token_only_comes_from_a_2xx_carrying_one(
        endpoint in endpoint(),
        status in status(),
        headers in headers(),
        body in body(),
        truncated in prop::bool::weighted(0.1),
        received_at in received_at(),
    ) {
        check_answer(endpoint, status, &headers, &body, truncated, received_at);
    }

    #[test]
    fn a_2xx_with_a_token_is_issued_whatever_else_the_body_says(
        status in 200u16..300,
        object in json_object(),
        token in prop_oneof![jwt_text(), "[ -~]{1,40}"],
    ) {
        let mut object = object;
        object.insert("access_token".to_owned(), Value::String(token.clone()));
        let body = Value::Object(object).to_string();
        let answer = HttpAnswer { status, headers: &[], body: body.as_bytes(), truncated: false };
        let outcome = classify(&answer, &asked(Endpoint::Token), SystemTime::now());
        prop_assert_eq!(outcome.kind, OutcomeKind::Ok);
        prop_assert_eq!(outcome.token.map(|t| t.access_token), Some(token));
    }
}

// ---------------------------------------------------------------------------------------------
// JWTs and the RS512 check

/// The demo key in assets/, signing with ring directly: what the demo server does.
fn demo_key() -> &'static ring::signature::RsaKeyPair {
    static KEY: OnceLock<ring::signature::RsaKeyPair> = OnceLock::new();
    KEY.get_or_init(|| {
        ring::signature::RsaKeyPair::from_pkcs8(include_bytes!("../assets/demo-signing-key.pk8"))
            .expect("demo key")
    })
}

fn demo_jwk() -> Value {
    let parts: ring::rsa::PublicKeyComponents<Vec<u8>> = demo_key().public().into();
    json!({"kty": "RSA", "alg": "RS512", "kid": "k1", "n": encode_part(&parts.n),
           "e": encode_part(&parts.e)})
}

fn sign(header: &Value, claims: &Value) -> String {
    let key = demo_key();
    let input = format!(
        "{}.{}",
        encode_part(header.to_string().as_bytes()),
        encode_part(claims.to_string().as_bytes())
    );
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(
        &ring::signature::RSA_PKCS1_SHA512,
        &ring::rand::SystemRandom::new(),
        input.as_bytes(),
        &mut signature,
    )
    .expect("sign");
    format!("{input}.{}", encode_part(&signature))
}

/// A few tokens signed once: signing costs milliseconds, checking a changed byte does not.
fn signed_tokens() -> &'static [String] {
    static TOKENS: OnceLock<Vec<String>> = OnceLock::new();
    TOKENS.get_or_init(|| {
        let header = json!({"alg": "RS512", "typ": "JWT", "kid": "k1"});
        [
            json!({}),
            json!({"owner": {"id": "cust1", "type": "Customer"}, "scope": "market:all",
                   "test": true, "exp": 4_102_444_800_i64, "market": {"id": ["m1"]}}),
            json!({"note": "zoë \u{202e} \n", "n": 1.5}),
        ]
        .iter()
        .map(|claims| sign(&header, claims))
        .collect()
    })
}

/// Every accessor a face reads, on any decoded token.
fn read_all(jwt: &cl_login_tester::auth::Jwt) {
    let _ = (
        jwt.alg(),
        jwt.kid(),
        jwt.exp(),
        jwt.iat(),
        jwt.nbf(),
        jwt.iss(),
        jwt.mode(),
    );
    let _ = (jwt.owner_id(), jwt.owner_type(), jwt.organization_slug());
    let _ = (jwt.application_kind(), jwt.scope(), jwt.market_ids());
    let _ = jwt.stock_location_ids();
    let _ = cl_login_tester::auth::token::jwt_expires_at(jwt);
    let _ = cl_login_tester::auth::token::jwt_valid_from(jwt);
    let _ = format!("{jwt:?}");
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_text_decodes_or_is_refused_without_a_panic(text in any::<String>()) {
        if let Ok(jwt) = decode(&text) {
            read_all(&jwt);
            prop_assert!(jwt.header.is_object() && jwt.claims.is_object());
        }
    }

    #[test]
    fn any_three_parts_decode_or_are_refused(
        parts in prop::collection::vec("[A-Za-z0-9_=+/-]{0,40}", 3),
    ) {
        if let Ok(jwt) = decode(&parts.join(".")) {
            read_all(&jwt);
        }
    }

    #[test]
    fn any_json_header_and_claims_decode_to_themselves(
        header in json_object(),
        claims in json_object(),
        signature in prop::collection::vec(any::<u8>(), 0..600),
        jwk in json_value(),
    ) {
        let token = format!(
            "{}.{}.{}",
            encode_part(Value::Object(header.clone()).to_string().as_bytes()),
            encode_part(Value::Object(claims.clone()).to_string().as_bytes()),
            encode_part(&signature)
        );
        let jwt = decode(&token).expect("a well-formed token decodes");
        read_all(&jwt);
        // Compared as read back from their text: floats print shorter than they were made.
        let reread = |map: Map<String, Value>| -> Value {
            serde_json::from_str(&Value::Object(map).to_string()).expect("json")
        };
        prop_assert_eq!(&jwt.header, &reread(header));
        prop_assert_eq!(&jwt.claims, &reread(claims));
        // Any key, even a real one: an arbitrary signature never verifies.
        prop_assert_ne!(verify_rs512(&jwt, &jwk), Signature::Verified);
        prop_assert_ne!(verify_rs512(&jwt, &demo_jwk()), Signature::Verified);
    }

    #[test]
    fn any_jwk_set_is_searched_without_a_panic(
        jwks in json_value(),
        keys in prop::collection::vec(json_value(), 0..4),
        kid in prop::option::of(prop_oneof!["k[0-9]", any::<String>()]),
    ) {
        for set in [jwks, json!({ "keys": keys })] {
            if let Some(key) = find_key(&set, kid.as_deref()) {
                let listed = set["keys"].as_array().expect("keys is an array");
                prop_assert!(listed.iter().any(|k| std::ptr::eq(k, key)));
                if let Some(kid) = &kid {
                    prop_assert_eq!(key.get("kid").and_then(Value::as_str), Some(kid.as_str()));
                } else {
                    prop_assert_eq!(listed.len(), 1);
                }
            }
        }
    }

    #[test]
    fn a_changed_byte_in_a_signed_token_never_verifies(
        which in 0usize..3,
        at in any::<prop::sample::Index>(),
        replacement in any::<char>(),
    ) {
        let token = &signed_tokens()[which];
        let jwk = demo_jwk();
        let original = decode(token).expect("signed token");
        prop_assert_eq!(verify_rs512(&original, &jwk), Signature::Verified);
        let mut chars: Vec<char> = token.chars().collect();
        let i = at.index(chars.len());
        prop_assume!(chars[i] != replacement);
        chars[i] = replacement;
        let changed: String = chars.into_iter().collect();
        if let Ok(jwt) = decode(&changed) {
            prop_assert_ne!(verify_rs512(&jwt, &jwk), Signature::Verified, "{}", changed);
        }
    }

    #[test]
    fn a_changed_byte_in_the_signed_claims_never_verifies(
        at in any::<prop::sample::Index>(),
        replacement in any::<u8>(),
    ) {
        // The claims decoded, one byte changed, encoded again: a forged payload.
        let token = &signed_tokens()[1];
        let parts: Vec<&str> = token.split('.').collect();
        let mut claims = base64_decode(parts[1]);
        let i = at.index(claims.len());
        prop_assume!(claims[i] != replacement);
        claims[i] = replacement;
        let forged = format!("{}.{}.{}", parts[0], encode_part(&claims), parts[2]);
        if let Ok(jwt) = decode(&forged) {
            prop_assert_ne!(verify_rs512(&jwt, &demo_jwk()), Signature::Verified);
        }
    }
}

proptest! {
    // Each case signs once (a few milliseconds with a 2048-bit key).
    #![proptest_config(config_scaled(20))]

    #[test]
    fn any_signed_claims_verify_with_the_signing_key_only(claims in json_object()) {
        let token = sign(&json!({"alg": "RS512", "kid": "k1"}), &Value::Object(claims));
        let jwt = decode(&token).expect("signed token");
        read_all(&jwt);
        prop_assert_eq!(verify_rs512(&jwt, &demo_jwk()), Signature::Verified);
        let jwks = json!({"keys": [demo_jwk()]});
        prop_assert!(find_key(&jwks, jwt.kid()).is_some());
    }
}

fn base64_decode(part: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("base64url")
}

// ---------------------------------------------------------------------------------------------
// Scopes

fn scope() -> impl Strategy<Value = Scope> {
    (
        prop::sample::select(ScopeKind::ALL.to_vec()),
        prop::sample::select(ScopeKey::ALL.to_vec()),
        "[A-Za-z0-9_.~+/=-]{1,20}",
    )
        .prop_map(|(kind, key, value)| Scope::new(kind, key, value))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_scope_text_parses_to_itself_or_names_what_is_wrong(text in prop_oneof![
        any::<String>(),
        "(market|stock_location|store|markt)(:(id|code|name|[0-9]{1,4}))?(:[^ ]{0,8})?(:[a-z]{0,3})?",
    ]) {
        match parse_scope(&text) {
            Ok(scope) => {
                prop_assert_eq!(scope.to_string(), text.clone());
                prop_assert_eq!(parse_scope(&scope.to_string()), Ok(scope));
            }
            Err(e) => {
                prop_assert_eq!(&e.scope, &text);
                prop_assert!(!e.reason.is_empty());
            }
        }
        let _ = parse_scopes(&[text.as_str(), "market:id:x"]);
    }

    #[test]
    fn scopes_joined_by_any_separator_come_back_in_order(
        scopes in prop::collection::vec(scope(), 0..6),
        separators in prop::collection::vec("[ ,\t\n]{1,3}", 6),
    ) {
        let mut text = String::new();
        for (scope, separator) in scopes.iter().zip(&separators) {
            text.push_str(&scope.to_string());
            text.push_str(separator);
        }
        let parsed = parse_scopes(&[text]).expect("valid scopes");
        prop_assert_eq!(&parsed, &scopes);
        prop_assert_eq!(parse_scopes(&[join_scopes(&parsed)]).expect("joined"), scopes);
    }
}

// ---------------------------------------------------------------------------------------------
// Error bodies

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_error_body_gives_a_usable_code_or_none(
        value in prop_oneof![
            json_value(),
            json_value().prop_map(|errors| json!({ "errors": errors })),
            json_value().prop_map(|error| json!({ "error": error, "error_description": "d" })),
            prop::collection::vec(json_object(), 0..3)
                .prop_map(|items| json!({ "errors": items })),
        ],
    ) {
        if let Some(error) = decode_error(&value) {
            prop_assert!(!error.code.is_empty(), "an empty code for {}", value);
            prop_assert!(
                error.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "code {:?} is not snake_case",
                error.code
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Excerpts and server text

/// Text with tokens in it: bare JWTs and token fields in JSON (compact or pretty) and form
/// bodies, among any other text.
fn text_with_tokens() -> impl Strategy<Value = (String, Vec<String>)> {
    let secret = prop_oneof![
        (jwt_text(), marker()).prop_map(|(jwt, m)| format!("eyJ{m}.{jwt}")),
        marker(),
        (marker(), "[ -~]{0,10}").prop_map(|(m, tail)| format!("{m}{tail}")),
    ];
    let field = prop::sample::select(vec!["access_token", "refresh_token", "id_token"]);
    let piece = prop_oneof![
        (field.clone(), secret.clone(), any::<bool>()).prop_map(|(f, s, pretty)| {
            let value = json!({ f: s.clone(), "scope": "market:all" });
            let text = if pretty {
                serde_json::to_string_pretty(&value).expect("json")
            } else {
                value.to_string()
            };
            (text, Some(s))
        }),
        (field, "[A-Za-z0-9_.~+/=-]{1,40}", marker())
            .prop_map(|(f, v, m)| (format!("{f}={m}{v}&x=1"), Some(format!("{m}{v}")))),
        (jwt_text(), marker()).prop_map(|(jwt, m)| {
            let jwt = format!("{jwt}{m}");
            (format!(" {jwt} "), Some(jwt))
        }),
        any::<String>().prop_map(|s| (s, None)),
        prop::collection::vec(any::<u8>(), 0..40)
            .prop_map(|b| (String::from_utf8_lossy(&b).into_owned(), None)),
    ];
    prop::collection::vec(piece, 1..5).prop_map(|pieces| {
        let mut text = String::new();
        let mut secrets = Vec::new();
        for (piece, secret) in pieces {
            text.push_str(&piece);
            secrets.extend(secret);
        }
        (text, secrets)
    })
}

fn assert_no_token(what: &str, shown: &str, secrets: &[String]) {
    if let Some(jwt) = jwt_shaped(shown) {
        panic!("{what} holds a JWT-shaped {jwt:?}: {shown}");
    }
    for secret in secrets {
        // The marker makes every secret unique; a token cut at the excerpt's edge may still
        // show its first characters, never the marker after them.
        let unique = secret
            .find("SECRET")
            .map_or(secret.as_str(), |i| &secret[i..]);
        let unique = &unique[..unique.len().min(30)];
        assert!(!shown.contains(unique), "{what} shows {unique:?}: {shown}");
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn an_excerpt_is_short_printable_and_never_carries_a_token(
        (text, secrets) in text_with_tokens(),
        bytes in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut body = text.clone().into_bytes();
        body.extend_from_slice(&bytes);
        for input in [&body[..], text.as_bytes()] {
            let shown = excerpt(input);
            prop_assert!(shown.chars().count() <= MAX_CHARS * 10 + 1, "{} chars", shown.len());
            assert_printable("an excerpt", &shown);
            assert_no_token("an excerpt", &shown, &secrets);
        }
        assert_no_token("redacted text", &redact_tokens(&text), &secrets);
    }

    #[test]
    fn redaction_leaves_text_without_tokens_alone(text in "[^e.=:]{0,80}") {
        prop_assert_eq!(redact_tokens(&text), text);
    }

    #[test]
    fn shown_text_never_holds_a_control_or_bidi_character(text in prop_oneof![
        any::<String>(),
        prop::collection::vec(
            prop_oneof![
                any::<char>(),
                (0u32..0x20).prop_filter_map("char", char::from_u32),
                prop::sample::select(vec!['\u{7f}', '\u{85}', '\u{202e}', '\u{2066}', '\u{200f}',
                    '\u{061c}', '\u{2028}', '\u{2029}', '\u{1b}', '\r', '\n', '\t']),
            ],
            0..40,
        ).prop_map(|chars| chars.into_iter().collect::<String>()),
    ]) {
        let line = shown(&text);
        assert_printable("shown text", &line);
        if !text.chars().any(unsafe_char) {
            prop_assert!(matches!(line, Cow::Borrowed(_)), "safe text is left alone");
        }
        let block = shown_block(&text);
        prop_assert!(
            !block.chars().any(|c| unsafe_char(c) && c != '\n' && c != '\t'),
            "a block holds {:?}", block
        );
        prop_assert_eq!(block.matches('\n').count(), text.matches('\n').count());
    }
}

// ---------------------------------------------------------------------------------------------
// Profile entries read from the keyring

const SERVICE: &str = cl_login_tester::profiles::SERVICE;

fn store_with(
    account: &str,
    bytes: &[u8],
) -> (KeyringProfiles, Arc<keyring_core::CredentialStore>) {
    let store: Arc<keyring_core::CredentialStore> =
        keyring_core::mock::Store::new().expect("mock store");
    keyring_core::Entry::new_in_store(&store, SERVICE, account)
        .expect("entry")
        .set_secret(bytes)
        .expect("planted");
    (KeyringProfiles::in_store(store.clone()), store)
}

fn plant(store: &Arc<keyring_core::CredentialStore>, account: &str, bytes: &[u8]) {
    keyring_core::Entry::new_in_store(store, SERVICE, account)
        .expect("entry")
        .set_secret(bytes)
        .expect("planted");
}

fn profile_name() -> impl Strategy<Value = ProfileName> {
    "[A-Za-z0-9][A-Za-z0-9 _.-]{0,20}".prop_map(|n| ProfileName::parse(&n).expect("name"))
}

/// Entry bytes: any bytes, any JSON, our shape with odd fields, and a valid entry with one
/// byte changed.
fn entry_bytes(name: ProfileName) -> impl Strategy<Value = Vec<u8>> {
    let valid = valid_entry(&name);
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        (json_object(), json_value(), json_value()).prop_map(move |(mut o, format, field)| {
            o.insert("format".to_owned(), format);
            o.insert("name".to_owned(), field);
            Value::Object(o).to_string().into_bytes()
        }),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(move |(at, byte)| {
            let mut bytes = valid.clone();
            let i = at.index(bytes.len());
            bytes[i] = byte;
            bytes
        }),
    ]
}

fn valid_entry(name: &ProfileName) -> Vec<u8> {
    json!({"format": 1, "name": name.as_str(), "base_url": "https://auth.commercelayer.io",
           "client_id": "client-123", "scopes": ["market:code:europe"], "note": "n",
           "mode": "live"})
    .to_string()
    .into_bytes()
}

fn names_the_entry(error: &ProfileError, account: &str) -> bool {
    let text = error.to_string();
    text.contains(&format!("account `{account}`"))
}

proptest! {
    #![proptest_config(config_scaled(4))]

    #[test]
    fn any_profile_entry_reads_or_is_an_error_naming_it(
        (name, bytes) in profile_name().prop_flat_map(|n| (Just(n.clone()), entry_bytes(n))),
    ) {
        let account = format!("profile:{}", name.key());
        let (profiles, store) = store_with(&account, &bytes);
        match profiles.get(&name) {
            Ok(profile) => prop_assert!(profile.name.same_profile(&name)),
            Err(error) => {
                prop_assert!(error.is_about_one_entry(), "{error:?}");
                prop_assert!(names_the_entry(&error, &account), "{}", error);
            }
        }
        // Listed beside a sound profile, a damaged entry hides nothing else.
        let sound = ProfileName::parse("zz~sound").expect("name");
        plant(&store, "profile:zz~sound", &valid_entry(&sound));
        let index = json!({"format": 1, "profiles": [name.as_str(), sound.as_str()]});
        plant(&store, "index", index.to_string().as_bytes());
        let list = profiles.list().expect("a damaged profile entry does not fail the list");
        prop_assert!(list.profiles.iter().any(|p| p.name == sound));
        prop_assert_eq!(list.profiles.len() + list.unreadable.len(), 2);
    }

    #[test]
    fn any_index_entry_reads_or_is_an_error_naming_it(bytes in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        json_value().prop_map(|names| json!({"format": 1, "profiles": names}).to_string().into_bytes()),
    ]) {
        let (profiles, _store) = store_with("index", &bytes);
        if let Err(error) = profiles.list() {
            prop_assert!(names_the_entry(&error, "index"), "{}", error);
        }
    }

    #[test]
    fn any_valid_profile_comes_back_as_saved(
        name in profile_name(),
        client_id in "[A-Za-z0-9_-]{1,60}",
        scopes in prop::collection::vec(scope().prop_map(|s| s.to_string()), 0..4),
        note in prop::option::of("[^\u{0}-\u{1f}]{0,80}"),
    ) {
        let profiles = KeyringProfiles::in_memory().expect("store");
        let mut profile = Profile::new(name.clone(), client_id);
        profile.scopes = scopes;
        profile.note = note.filter(|n| !n.trim().is_empty());
        match profiles.save(&profile, IfExists::Refuse) {
            Ok(()) => {
                let read = profiles.get(&name).expect("saved profile reads back");
                prop_assert_eq!(read.name, profile.name);
                prop_assert_eq!(read.client_id, profile.client_id);
                prop_assert_eq!(read.scopes, profile.scopes);
            }
            Err(error) => prop_assert!(matches!(error, ProfileError::TooLarge { .. } | ProfileError::Invalid { .. }), "{error:?}"),
        }
    }
}

// --- bulk-check CSV files ----------------------------------------------------------------------

/// Reads every row of `bytes` the way `batch` and the Bulk check page do.
fn read_rows(bytes: &[u8]) -> Result<Vec<Result<Row, FileProblem>>, FileProblem> {
    Rows::open(bytes).map(|rows| rows.collect())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_file_is_read_or_refused_with_a_line_and_no_panic(
        bytes in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..400),
            "[a-z,\"\r\n ]{0,200}".prop_map(|t| format!("email,password,label\n{t}").into_bytes()),
        ],
    ) {
        let _ = survey(&bytes[..]);
        if let Ok(rows) = read_rows(&bytes) {
            for row in rows {
                match row {
                    Ok(row) => prop_assert!(row.line >= 1 && row.number >= 1),
                    Err(problem) => prop_assert!(problem.line.is_none_or(|l| l >= 1), "{problem:?}"),
                }
            }
        }
    }

    #[test]
    fn rows_written_by_a_spreadsheet_read_back_whatever_their_quotes_commas_and_line_ends(
        rows in prop::collection::vec((
            "[a-z0-9.+]{1,12}",
            "[^\u{0}\u{feff}]{1,24}",
            "[A-Za-z0-9 ,\"\n\u{e9}\u{4e2d}]{0,20}",
        ), 1..12),
        bom in any::<bool>(),
        crlf in any::<bool>(),
    ) {
        let mut writer = csv::WriterBuilder::new()
            .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
            .from_writer(Vec::new());
        writer.write_record(["email", "password", "label"]).expect("header");
        for (user, password, label) in &rows {
            writer.write_record([&format!("{user}@example.com"), password, label]).expect("row");
        }
        let mut bytes = if bom { b"\xef\xbb\xbf".to_vec() } else { Vec::new() };
        bytes.extend(writer.into_inner().expect("csv"));
        let read = read_rows(&bytes).expect("the header reads");
        prop_assert_eq!(read.len(), rows.len());
        for (index, (row, (user, password, label))) in read.into_iter().zip(&rows).enumerate() {
            let row = row.expect("a well-formed row reads");
            prop_assert_eq!(row.number, index as u64 + 1);
            prop_assert_eq!(row.email, format!("{user}@example.com"));
            prop_assert_eq!(row.password.as_ref().map(|p| p.expose_secret().to_owned()), Some(password.clone()));
            prop_assert_eq!(row.label, Some(label.trim()).filter(|l| !l.is_empty()).map(str::to_owned));
        }
        prop_assert_eq!(survey(&bytes[..]).expect("survey").rows, rows.len() as u64);
    }
}
