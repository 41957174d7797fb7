//! One attempt at the auth host (a token request of any grant, or a revocation): what was asked,
//! what came back, how long it took, the classified outcome and the token's signature check.
//! The GUI panel, the CLI text, `--json` and reports all read this one type.

pub mod comparison;
pub mod follow_up;

use std::time::{Duration, SystemTime};

use serde_json::{json, Value};

use crate::auth::outcome::{classify, server_date, HttpAnswer};
use crate::auth::{
    Endpoint, Outcome, OutcomeKind, Problem, RequestSummary, SignatureCheck, Validity,
};

/// How far the server's clock may differ from ours before we say so.
pub const CLOCK_SKEW_WARNING: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub struct Attempt {
    pub request: RequestSummary,
    pub started_at: SystemTime,
    pub elapsed: Duration,
    /// `None` when no HTTP answer arrived (timeout, connection refused, ...).
    pub http_status: Option<u16>,
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy), for the raw view; capped like the transport.
    pub body: String,
    pub server_date: Option<SystemTime>,
    pub outcome: Outcome,
    /// The issued access token's signature check; `None` until checked or when none was issued.
    pub signature: Option<SignatureCheck>,
    /// For a refresh that issued a token: whether a different refresh token came back.
    pub refresh_rotated: Option<bool>,
}

/// The body may hold tokens: `Debug` shows its size only (the decoded token redacts itself).
impl std::fmt::Debug for Attempt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attempt")
            .field("request", &self.request)
            .field("http_status", &self.http_status)
            .field("elapsed", &self.elapsed)
            .field("body", &format_args!("[{} bytes]", self.body.len()))
            .field("outcome", &self.outcome)
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

/// Whether tokens go into the output: on purpose only (`--show-token`, `--json`); never in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tokens {
    Shown,
    Redacted,
}

impl Attempt {
    /// An attempt that got an HTTP answer.
    pub fn answered(
        request: RequestSummary,
        started_at: SystemTime,
        elapsed: Duration,
        answer: &HttpAnswer<'_>,
    ) -> Self {
        let received_at = started_at + elapsed;
        Self {
            outcome: classify(answer, &request, received_at),
            request,
            started_at,
            elapsed,
            http_status: Some(answer.status),
            headers: answer.headers.to_vec(),
            body: String::from_utf8_lossy(answer.body).into_owned(),
            server_date: server_date(answer),
            signature: None,
            refresh_rotated: None,
        }
    }

    /// An attempt that got no HTTP answer.
    pub fn unanswered(
        request: RequestSummary,
        started_at: SystemTime,
        elapsed: Duration,
        problem: Problem,
    ) -> Self {
        Self {
            request,
            started_at,
            elapsed,
            http_status: None,
            headers: Vec::new(),
            body: String::new(),
            server_date: None,
            outcome: Outcome::problem(OutcomeKind::TransportError, problem),
            signature: None,
            refresh_rotated: None,
        }
    }

    /// An attempt whose answer arrived but could not be read at all (its head was too large),
    /// so there is no status, header or body to keep.
    pub fn unreadable(
        request: RequestSummary,
        started_at: SystemTime,
        elapsed: Duration,
        problem: Problem,
    ) -> Self {
        let mut attempt = Self::unanswered(request, started_at, elapsed, problem);
        attempt.outcome.kind = OutcomeKind::InvalidResponse;
        attempt
    }

    pub fn kind(&self) -> OutcomeKind {
        self.outcome.kind
    }

    /// A short headline for people: [`OutcomeKind::headline`], except that a successful
    /// revocation issued nothing.
    pub fn headline(&self) -> &'static str {
        match (self.kind(), self.request.endpoint) {
            (OutcomeKind::Ok, Endpoint::Revoke) => "Token revoked",
            (kind, _) => kind.headline(),
        }
    }

    /// When the answer arrived, by this machine's clock.
    pub fn received_at(&self) -> SystemTime {
        self.started_at + self.elapsed
    }

    /// Whether the issued token is valid at `now` (clock differences up to
    /// [`CLOCK_SKEW_WARNING`] tolerated for `nbf`/`iat`).
    pub fn validity(&self, now: SystemTime) -> Option<Validity> {
        self.outcome
            .token
            .as_ref()?
            .validity(now, CLOCK_SKEW_WARNING)
    }

    pub fn elapsed_ms(&self) -> f64 {
        (self.elapsed.as_secs_f64() * 10_000.0).round() / 10.0
    }

    /// Seconds the server's clock is ahead of ours (negative: behind), when it differs by more
    /// than [`CLOCK_SKEW_WARNING`]. Explains "the token expired at once".
    pub fn clock_skew_s(&self) -> Option<i64> {
        let server = self.server_date?;
        let local = self.received_at();
        let skew = match server.duration_since(local) {
            Ok(ahead) => i64::try_from(ahead.as_secs()).ok()?,
            Err(behind) => -i64::try_from(behind.duration().as_secs()).ok()?,
        };
        (skew.unsigned_abs() > CLOCK_SKEW_WARNING.as_secs()).then_some(skew)
    }

    /// The documented `--json` object. `validity` is as of when the answer arrived.
    pub fn to_json(&self, tokens: Tokens) -> Value {
        let token = self.outcome.token.as_ref();
        let jwt = token.and_then(|t| t.jwt.as_ref().ok());
        json!({
            "outcome": self.outcome.kind.as_str(),
            "http_status": self.http_status,
            "elapsed_ms": self.elapsed_ms(),
            "request": self.request,
            "token": token.map(|t| match tokens {
                Tokens::Shown => t.response.clone(),
                Tokens::Redacted => redact(&t.response),
            }),
            "jwt": jwt.map(|j| json!({"header": j.header, "claims": j.claims})),
            "expires_at": token.and_then(|t| t.expires_at).map(rfc3339),
            "mode": token.and_then(|t| t.mode()).map(|m| m.as_str()),
            "validity": self.validity(self.received_at()).map(Validity::as_str),
            "signature": self.signature,
            "clock_skew_s": self.clock_skew_s(),
            "refresh_token_rotated": self.refresh_rotated,
            "error": self.outcome.error,
        })
    }
}

const SECRET_FIELDS: [&str; 3] = ["access_token", "refresh_token", "id_token"];

/// The response object with its tokens replaced by `[redacted]`.
pub fn redact(response: &Value) -> Value {
    let mut out = response.clone();
    if let Some(map) = out.as_object_mut() {
        for field in SECRET_FIELDS {
            if let Some(v) = map.get_mut(field) {
                *v = Value::String("[redacted]".to_owned());
            }
        }
    }
    out
}

pub use crate::clock::rfc3339;
pub use comparison::Comparison;
pub use follow_up::TokenKind;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{Encoding, Grant, RequestDraft};

    #[test]
    fn debug_never_shows_the_body_with_its_tokens() {
        let request = RequestDraft {
            base_url: "https://auth.commercelayer.io",
            client_id: "client",
            grant: Grant::ClientCredentials {
                client_secret: None,
            },
            scopes: &[],
            check_scopes: true,
            encoding: Encoding::Json,
            timeout: Duration::from_secs(5),
        }
        .check()
        .expect("request")
        .request;
        let body = br#"{"access_token":"secret-token-123","refresh_token":"secret-refresh-456"}"#;
        let answer = HttpAnswer {
            status: 200,
            headers: &[],
            body,
            truncated: false,
        };
        let attempt = Attempt::answered(
            request.summary(),
            SystemTime::now(),
            Duration::ZERO,
            &answer,
        );
        let shown = format!("{attempt:?}");
        assert!(!shown.contains("secret-token-123"), "{shown}");
        assert!(!shown.contains("secret-refresh-456"), "{shown}");
    }
}

/// Answers made up for unit tests: a request checked with every face's rules, then a body.
#[cfg(test)]
pub(crate) mod canned {
    use std::time::{Duration, SystemTime};

    use super::Attempt;
    use crate::auth::outcome::HttpAnswer;
    use crate::auth::{Encoding, Grant, RequestDraft, RequestSummary};

    /// What `client_id` asks of `base_url` with `grant` and `scope`, checked like any request.
    pub fn request(
        base_url: &str,
        client_id: &str,
        grant: Grant,
        scope: Option<&str>,
    ) -> RequestSummary {
        let scopes: Vec<String> = scope.map(str::to_owned).into_iter().collect();
        RequestDraft {
            base_url,
            client_id,
            grant,
            scopes: &scopes,
            check_scopes: true,
            encoding: Encoding::Json,
            timeout: Duration::from_secs(5),
        }
        .check()
        .expect("a valid request")
        .request
        .summary()
    }

    /// The answer `status` with `body` and no headers, sent at `at`, back `elapsed` later.
    pub fn answered(
        request: RequestSummary,
        at: SystemTime,
        elapsed: Duration,
        status: u16,
        body: &str,
    ) -> Attempt {
        let answer = HttpAnswer {
            status,
            headers: &[],
            body: body.as_bytes(),
            truncated: false,
        };
        Attempt::answered(request, at, elapsed, &answer)
    }
}
