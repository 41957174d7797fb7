//! Hostile answers for the window's tabs: what a broken or malicious auth host can send within
//! the transport's 1 MiB cap, next to a normal answer. The GUI tests show them and
//! `examples/answer_frames.rs` (scripts/bench.sh) measures the window with each on screen.

use cl_login_tester::attempt::Attempt;
use cl_login_tester::auth::jwt::encode_part;

use super::window::{canned_attempt, canned_token, ISSUED_AT};

/// The transport's body cap: the largest body an answer can have.
pub const MIB: usize = 1 << 20;

/// One shape of answer, and the tab that shows what is hostile about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// The demo's token answer with a handful of headers.
    Normal,
    /// 1 MiB of text on one line (a proxy's error page, minified).
    OneLine,
    /// 1 MiB of pretty-printed JSON: tens of thousands of short lines.
    Pretty,
    /// JSON nested 10,000 deep, deeper than any parser's limit.
    Deep,
    /// A 64 KiB header value.
    LongHeader,
    /// 3,000 headers.
    ManyHeaders,
    /// A token whose JWT carries 1,000 claims.
    ManyClaims,
}

impl Shape {
    pub const HOSTILE: [Shape; 6] = [
        Shape::OneLine,
        Shape::Pretty,
        Shape::Deep,
        Shape::LongHeader,
        Shape::ManyHeaders,
        Shape::ManyClaims,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Shape::Normal => "normal",
            Shape::OneLine => "one-line",
            Shape::Pretty => "pretty",
            Shape::Deep => "deep",
            Shape::LongHeader => "long-header",
            Shape::ManyHeaders => "many-headers",
            Shape::ManyClaims => "many-claims",
        }
    }

    pub fn from_name(name: &str) -> Option<Shape> {
        [Shape::Normal]
            .into_iter()
            .chain(Shape::HOSTILE)
            .find(|s| s.name() == name)
    }

    /// The label of the tab where this shape's hostile part shows.
    pub fn tab(self) -> &'static str {
        match self {
            Shape::Normal | Shape::OneLine | Shape::Pretty | Shape::Deep => "Raw response",
            Shape::LongHeader | Shape::ManyHeaders => "Headers",
            Shape::ManyClaims => "Decoded JWT",
        }
    }

    /// The answer, as the window receives it.
    pub fn attempt(self) -> Attempt {
        match self {
            Shape::Normal => normal(),
            Shape::OneLine => with_body(502, "text/plain", one_line_body()),
            Shape::Pretty => with_body(400, "application/json", pretty_body()),
            Shape::Deep => with_body(200, "application/json", deep_json(10_000)),
            Shape::LongHeader => {
                let mut attempt = normal();
                attempt
                    .headers
                    .push(("x-trace".to_owned(), "0123456789abcdef".repeat(4096)));
                attempt
            }
            Shape::ManyHeaders => {
                let mut attempt = normal();
                attempt.headers.extend(
                    (0..3000).map(|i| (format!("x-header-{i:04}"), format!("value number {i}"))),
                );
                attempt
            }
            Shape::ManyClaims => {
                let body = token_body(&jwt_with_claims(1000));
                let mut attempt = canned_attempt(200, &body);
                attempt.headers = normal_headers();
                attempt
            }
        }
    }
}

/// What a token answer looks like, with the token given.
pub fn token_body(token: &str) -> String {
    serde_json::json!({
        "access_token": token, "token_type": "bearer", "expires_in": 14_400,
        "scope": "market:code:europe", "created_at": ISSUED_AT, "refresh_token": "r3fr3sh",
        "owner_id": "wZxQhJanEd", "owner_type": "customer"
    })
    .to_string()
}

fn normal_headers() -> Vec<(String, String)> {
    [
        ("content-type", "application/json; charset=utf-8"),
        ("cache-control", "no-store"),
        ("x-request-id", "5f0c2d8e-8c1b-4a51-9d53-0b6a1f2e7c44"),
        ("x-ratelimit-limit", "30"),
        ("x-ratelimit-remaining", "29"),
        ("date", "Thu, 30 Nov 2026 00:00:00 GMT"),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_owned(), v.to_owned()))
    .collect()
}

fn normal() -> Attempt {
    let mut attempt = canned_attempt(200, &token_body(&canned_token()));
    attempt.headers = normal_headers();
    attempt
}

fn with_body(status: u16, content_type: &str, body: String) -> Attempt {
    let mut attempt = canned_attempt(status, &body);
    attempt.headers = normal_headers();
    if let Some(ct) = attempt.headers.first_mut() {
        ct.1 = content_type.to_owned();
    }
    attempt
}

/// Exactly 1 MiB of words without a line break.
pub fn one_line_body() -> String {
    let words =
        "The upstream proxy could not reach the auth service and returned this page instead. ";
    words
        .repeat(MIB / words.len() + 1)
        .chars()
        .take(MIB)
        .collect()
}

/// About 1 MiB of pretty-printed JSON (a long list of errors), never over it.
pub fn pretty_body() -> String {
    let error = |i: usize| {
        serde_json::json!({
            "title": "invalid_request", "detail": format!("Problem number {i} with the request."),
            "code": "BAD_REQUEST", "status": 400, "meta": {"index": i, "retry": false}
        })
    };
    let mut count = 4000;
    loop {
        let body = serde_json::json!({"errors": (0..count).map(error).collect::<Vec<_>>()});
        let text = serde_json::to_string_pretty(&body).unwrap_or_default();
        if text.len() > MIB {
            let body =
                serde_json::json!({"errors": (0..count - 100).map(error).collect::<Vec<_>>()});
            return serde_json::to_string_pretty(&body).unwrap_or_default();
        }
        count += 100;
    }
}

/// `[[[…]]]`, `depth` deep.
pub fn deep_json(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// A token shaped like the demo's, whose claims also hold `extra` more.
pub fn jwt_with_claims(extra: usize) -> String {
    let header = serde_json::json!({"alg": "RS512", "typ": "JWT", "kid": "demo-rs512-1"});
    let mut claims = serde_json::json!({
        "owner": {"id": "wZxQhJanEd", "type": "Customer"},
        "scope": "market:code:europe", "exp": ISSUED_AT + 14_400, "iat": ISSUED_AT,
        "nbf": ISSUED_AT, "test": true, "iss": "http://127.0.0.1:4000"
    });
    if let Some(map) = claims.as_object_mut() {
        for i in 0..extra {
            map.insert(
                format!("claim_{i:04}"),
                format!("value of claim {i}").into(),
            );
        }
    }
    format!(
        "{}.{}.{}",
        encode_part(header.to_string().as_bytes()),
        encode_part(claims.to_string().as_bytes()),
        encode_part(b"sig")
    )
}
