//! One attempt at the token endpoint: what was asked, what came back, how long it took, and the
//! classified outcome. The GUI panel, the CLI text, `--json` and reports all read this one type.

use std::time::{Duration, SystemTime};

use serde_json::{json, Value};

use crate::auth::outcome::{classify, server_date, HttpAnswer};
use crate::auth::{Outcome, OutcomeKind, Problem, RequestSummary};

/// How far the server's clock may differ from ours before we say so.
pub const CLOCK_SKEW_WARNING: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
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
            outcome: classify(answer, &request.grant_type, received_at),
            request,
            started_at,
            elapsed,
            http_status: Some(answer.status),
            headers: answer.headers.to_vec(),
            body: String::from_utf8_lossy(answer.body).into_owned(),
            server_date: server_date(answer),
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
        }
    }

    pub fn kind(&self) -> OutcomeKind {
        self.outcome.kind
    }

    pub fn exit_code(&self) -> u8 {
        self.outcome.kind.exit_code()
    }

    pub fn elapsed_ms(&self) -> f64 {
        (self.elapsed.as_secs_f64() * 10_000.0).round() / 10.0
    }

    /// Seconds the server's clock is ahead of ours (negative: behind), when it differs by more
    /// than [`CLOCK_SKEW_WARNING`]. Explains "the token expired at once".
    pub fn clock_skew_s(&self) -> Option<i64> {
        let server = self.server_date?;
        let local = self.started_at + self.elapsed;
        let skew = match server.duration_since(local) {
            Ok(ahead) => i64::try_from(ahead.as_secs()).ok()?,
            Err(behind) => -i64::try_from(behind.duration().as_secs()).ok()?,
        };
        (skew.unsigned_abs() > CLOCK_SKEW_WARNING.as_secs()).then_some(skew)
    }

    /// The documented `--json` object.
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

pub fn rfc3339(at: SystemTime) -> String {
    humantime::format_rfc3339_seconds(at).to_string()
}
