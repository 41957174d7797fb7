//! The support report: what was asked, what came back, what it means, when and from which
//! version, with every secret removed, for a ticket (Markdown) and for machines (JSON). Built
//! from the same [`facts`](crate::facts) every face shows, so the report words things as the
//! window and the terminal do. History keeps reports, since they hold nothing secret.

mod diagnosis;
pub mod file;
pub mod history;
mod markdown;
mod mask;

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::attempt::{Attempt, Comparison};
use crate::auth::curl::curl_command;
use crate::auth::{Endpoint, OutcomeKind, RequestSummary};
use crate::clock::rfc3339;
use crate::facts::{shown, AttemptFacts};

pub use diagnosis::{DiagnosisReport, ProbeReport};
pub use markdown::markdown;
pub use mask::{mask_client_id, mask_email};

/// The JSON report's shape version: bumped when a field changes meaning or goes away.
pub const REPORT_VERSION: u32 = 1;

/// The response headers worth a support engineer's time: request ids to quote to the host's
/// support, rate-limit state, and what the body claims to be. Cookies and anything else are
/// left out.
const USEFUL_HEADERS: [&str; 9] = [
    "x-request-id",
    "request-id",
    "cf-ray",
    "x-amzn-requestid",
    "retry-after",
    "content-type",
    "date",
    "server",
    "via",
];

/// Headers whose name starts with one of these are kept too (`x-ratelimit-limit`, ...).
const USEFUL_PREFIXES: [&str; 2] = ["x-ratelimit-", "ratelimit-"];

/// How much of the customer and the client a report shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Masking {
    /// Show the whole client ID (else its first 6 and last 4 characters).
    pub reveal_client_id: bool,
    /// Show the email as `j***@example.com`.
    pub mask_email: bool,
}

/// Which format a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Markdown for a ticket (Zendesk, Jira, GitHub).
    Md,
    /// JSON for machines (documented in the README).
    Json,
}

impl Format {
    /// A file's extension for this format, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Json => "json",
        }
    }

    /// The format a file's name asks for: `.json` is JSON, anything else Markdown.
    pub fn of_path(path: &std::path::Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Md,
        }
    }
}

/// A support report: nothing in it is secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub report_version: u32,
    pub tool: Tool,
    /// When the report was made, RFC 3339 UTC.
    pub generated_at: String,
    pub attempt: AttemptReport,
    /// The guest token asked for beside a login, and what the pair says.
    pub comparison: Option<ComparisonReport>,
    /// What Diagnose concluded after the login failed, and the requests it sent. New in
    /// version 1 without a bump: reports kept before it read as `null`.
    #[serde(default)]
    pub diagnosis: Option<DiagnosisReport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
    /// `linux x86_64`, `macos aarch64`...
    pub os: String,
}

impl Tool {
    fn this() -> Self {
        Self {
            name: env!("CARGO_PKG_NAME").to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        }
    }
}

/// One request and its answer, redacted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptReport {
    pub sent_at: String,
    pub url: String,
    pub endpoint: String,
    /// `password`, `refresh_token`, `client_credentials`; `null` for a revocation.
    pub grant_type: Option<String>,
    pub encoding: String,
    /// Masked unless revealed on purpose.
    pub client_id: String,
    pub email: Option<String>,
    pub scope_asked: Option<String>,
    pub scope_granted: Option<String>,
    /// Whether the server granted another scope than was asked.
    pub scope_differs: bool,
    /// `ok`, `refused`, `rate_limited`, `server_error`, `transport_error`, `invalid_response`,
    /// `redirected`.
    pub outcome: String,
    pub headline: String,
    pub http_status: Option<u16>,
    pub elapsed_ms: f64,
    pub error: Option<ErrorReport>,
    /// The server's `Date` header.
    pub server_date: Option<String>,
    /// Seconds the server's clock is ahead (negative: behind), when over the tolerance.
    pub clock_skew_s: Option<i64>,
    pub headers: Vec<(String, String)>,
    pub signature: Option<SignatureReport>,
    pub token: Option<TokenReport>,
    /// The same request as a curl command, the password replaced by `<PASSWORD>`.
    pub curl: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorReport {
    pub code: String,
    /// The title and detail exactly as the server sent them (escaped when shown).
    pub title: Option<String>,
    pub detail: Option<String>,
    pub explanation: String,
    pub retry_after_s: Option<u64>,
    pub location: Option<String>,
    pub excerpt: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureReport {
    pub result: String,
    pub explanation: String,
    pub kid: Option<String>,
    pub keys_url: Option<String>,
}

/// What the issued token says, never the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenReport {
    pub mode: Option<String>,
    pub owner_id: Option<String>,
    pub owner_type: Option<String>,
    pub organization: Option<String>,
    pub application: Option<String>,
    pub market_ids: Vec<String>,
    pub stock_location_ids: Vec<String>,
    pub issued_at: Option<String>,
    pub expires_at: Option<String>,
    pub validity: Option<String>,
    pub refresh_token_rotated: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonReport {
    pub guest: AttemptReport,
    /// `both_issued`, `customer_refused`, `both_refused`, `guest_refused`, `inconclusive`.
    pub finding: String,
    pub verdict: String,
}

impl Report {
    /// The report of one attempt, as of `now`.
    pub fn of_attempt(attempt: &Attempt, masking: Masking, now: SystemTime) -> Self {
        Self {
            report_version: REPORT_VERSION,
            tool: Tool::this(),
            generated_at: rfc3339(now),
            attempt: AttemptReport::of(attempt, masking, now),
            comparison: None,
            diagnosis: None,
        }
    }

    /// The report of a login and the guest token compared with it.
    pub fn of_comparison(comparison: &Comparison, masking: Masking, now: SystemTime) -> Self {
        let mut report = Self::of_attempt(&comparison.customer, masking, now);
        report.comparison = Some(ComparisonReport {
            guest: AttemptReport::of(&comparison.guest, masking, now),
            finding: serde_json::to_value(comparison.verdict.finding)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            verdict: comparison.verdict.explanation.clone(),
        });
        report
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The report in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Md => markdown(self),
            Format::Json => format!("{}\n", self.to_json()),
        }
    }
}

fn is_useful_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    USEFUL_HEADERS.contains(&name.as_str()) || USEFUL_PREFIXES.iter().any(|p| name.starts_with(p))
}

impl AttemptReport {
    fn of(attempt: &Attempt, masking: Masking, now: SystemTime) -> Self {
        let facts = AttemptFacts::of(attempt, now);
        let request = &attempt.request;
        let client_id = if masking.reveal_client_id {
            request.client_id.clone()
        } else {
            mask_client_id(&request.client_id)
        };
        let email = request.username.as_deref().map(|email| {
            if masking.mask_email {
                mask_email(email)
            } else {
                email.to_owned()
            }
        });
        let token = attempt.outcome.token.as_ref();
        let jwt = token.and_then(|t| t.jwt.as_ref().ok());
        Self {
            sent_at: rfc3339(attempt.started_at),
            url: request.url.clone(),
            endpoint: match request.endpoint {
                Endpoint::Token => "token",
                Endpoint::Revoke => "revoke",
            }
            .to_owned(),
            grant_type: request.grant_type.clone(),
            encoding: request.encoding.content_type().to_owned(),
            scope_asked: request.scope.clone(),
            scope_granted: token.and_then(|t| t.granted_scope()).map(str::to_owned),
            scope_differs: facts
                .token
                .as_ref()
                .is_some_and(|t| t.asked_scope_differs.is_some()),
            outcome: facts.outcome.as_str().to_owned(),
            // The facts' headline names the customer; here it names them as masked.
            headline: match (&email, facts.outcome) {
                (Some(email), OutcomeKind::Ok) => format!("{} for {email}", attempt.headline()),
                _ => attempt.headline().to_owned(),
            },
            http_status: facts.http_status,
            elapsed_ms: facts.elapsed_ms,
            error: attempt.outcome.error.as_ref().map(|p| ErrorReport {
                code: p.code.clone(),
                title: p.title.clone(),
                detail: p.detail.clone(),
                explanation: p.explanation.clone(),
                retry_after_s: p.retry_after_s,
                location: p.location.clone(),
                excerpt: p.excerpt.clone(),
            }),
            server_date: attempt.server_date.map(rfc3339),
            clock_skew_s: attempt.clock_skew_s(),
            headers: attempt
                .headers
                .iter()
                .filter(|(name, _)| is_useful_header(name))
                .cloned()
                .collect(),
            signature: attempt.signature.as_ref().map(|s| SignatureReport {
                result: s.result.as_str().to_owned(),
                explanation: s.explanation.clone(),
                kid: s.kid.clone(),
                keys_url: s.keys_url.clone(),
            }),
            token: token.map(|t| TokenReport {
                mode: t.mode().map(|m| m.as_str().to_owned()),
                owner_id: t.owner_id.clone(),
                owner_type: t.owner_type.clone(),
                organization: jwt.and_then(|j| j.organization_slug()).map(str::to_owned),
                application: jwt.and_then(|j| j.application_kind()).map(str::to_owned),
                market_ids: jwt.map(|j| j.market_ids()).unwrap_or_default(),
                stock_location_ids: jwt.map(|j| j.stock_location_ids()).unwrap_or_default(),
                issued_at: t.issued_at.map(rfc3339),
                expires_at: t.expires_at.map(rfc3339),
                validity: attempt.validity(now).map(|v| v.as_str().to_owned()),
                refresh_token_rotated: attempt.refresh_rotated,
            }),
            curl: curl_for_report(request, &client_id, email.as_deref()),
            client_id,
            email,
        }
    }
}

/// The curl command with the same masking as the rest of the report; a revocation has none
/// (its body is a token).
fn curl_for_report(
    request: &RequestSummary,
    client_id: &str,
    email: Option<&str>,
) -> Option<String> {
    if request.endpoint != Endpoint::Token {
        return None;
    }
    let mut shown_request = request.clone();
    shown_request.client_id = client_id.to_owned();
    shown_request.username = email.map(str::to_owned);
    Some(shown(&curl_command(&shown_request, None)).into_owned())
}
