//! The short, aligned text summaries: an attempt, and a decoded token.

use std::fmt::Write;
use std::time::SystemTime;

use crate::attempt::{rfc3339, Attempt, Tokens};
use crate::auth::jwt::{Jwt, SignatureCheck};
use crate::auth::token::jwt_expires_at;
use crate::auth::Validity;
use crate::clock::countdown;
use crate::facts::{shown_block, AttemptFacts, SignatureFacts};

/// Aligned `label  value` lines; a value's further lines are indented under the first.
#[derive(Default)]
pub struct Lines(String);

impl Lines {
    pub fn into_text(self) -> String {
        self.0
    }

    pub fn line(&mut self, label: &str, value: &str) {
        let mut rows = value.lines();
        let _ = writeln!(self.0, "{label:<10} {}", rows.next().unwrap_or_default());
        for row in rows {
            let _ = writeln!(self.0, "{:<10} {row}", "");
        }
    }

    fn expiry(&mut self, expires_at: Option<SystemTime>, now: SystemTime) {
        if let Some(at) = expires_at {
            let left = match at.duration_since(now) {
                Ok(left) => countdown(i64::try_from(left.as_secs()).unwrap_or(i64::MAX)),
                Err(past) => {
                    countdown(-i64::try_from(past.duration().as_secs()).unwrap_or(i64::MAX))
                }
            };
            self.line("expires", &format!("{} ({left})", rfc3339(at)));
        }
    }

    fn validity(&mut self, validity: Option<Validity>) {
        if let Some(validity) = validity {
            self.line("validity", validity.describe());
        }
    }

    fn signature(&mut self, check: &SignatureFacts) {
        let mut text = format!("{}: ", check.result.as_str());
        text.push_str(&check.sentences.join("\n"));
        self.line("signature", &text);
    }
}

/// The text summary of an attempt: its facts, one aligned line each.
pub fn summary(attempt: &Attempt, tokens: Tokens, now: SystemTime) -> String {
    let facts = AttemptFacts::of(attempt, now);
    let mut out = Lines::default();
    // The cause when the answer names one ("refused: Unknown client ID"), else the outcome.
    let headline = facts
        .cause
        .as_ref()
        .map_or(attempt.headline(), |cause| cause.headline.as_str());
    out.line(
        "outcome",
        &format!("{}: {headline}", facts.outcome.as_str()),
    );
    let timing = format!("{:.1} ms", facts.elapsed_ms);
    match facts.http_status {
        Some(status) => out.line("http", &format!("{status} in {timing}")),
        None => out.line("http", &format!("no answer after {timing}")),
    }
    out.line("url", &facts.url);
    if let Some(token) = &facts.token {
        if let Some(owner) = &token.owner_id {
            let kind = token.owner_type.as_deref().unwrap_or("owner");
            out.line("owner", &format!("{kind} {owner}"));
        }
        match &token.asked_scope_differs {
            Some(asked) => out.line(
                "scope",
                &format!("{}  (asked: {asked})", token.granted_scope),
            ),
            None => out.line("scope", &token.granted_scope),
        }
        match &token.jwt {
            Some(jwt) => {
                out.line("markets", &jwt.markets);
                out.line("stock", &jwt.stock_locations);
                if let Some(org) = jwt.organization_and_application() {
                    out.line("org", &org);
                }
            }
            None => out.line("token", "opaque (not a JWT)"),
        }
        if let (Some(at), Some(left)) = (&token.expires_at_rfc3339, &token.countdown) {
            out.line("expires", &format!("{at} ({left})"));
        }
        out.validity(token.validity);
        if let Some(mode) = token.mode {
            out.line("mode", mode.as_str());
        }
        if let Some(check) = &token.signature {
            out.signature(check);
        }
        if let Some(rotation) = facts.rotation {
            out.line("refresh", rotation);
        }
        if let (Tokens::Shown, Some(issued)) = (tokens, &attempt.outcome.token) {
            out.line("access", &issued.access_token);
            if let Some(refresh) = &issued.refresh_token {
                out.line("refresh", refresh);
            }
        }
    }
    if let Some(problem) = &facts.problem {
        if problem.server_words.is_empty() {
            out.line("error", &problem.code);
        } else {
            let words = problem.server_words.join(": ");
            out.line("error", &format!("{} ({words})", problem.code));
        }
        out.line("why", &problem.explanation);
        if let Some(excerpt) = &problem.excerpt {
            out.line("body", excerpt);
        }
    }
    if let Some(skew) = &facts.clock_skew {
        out.line("clock", skew);
    }
    out.0
}

/// `decode`: the header and claims as JSON, then the facts read from them.
pub fn decoded(
    jwt: &Jwt,
    validity: Option<Validity>,
    check: Option<&SignatureCheck>,
    now: SystemTime,
) -> String {
    let mut out = Lines::default();
    out.line("header", &shown_block(&jwt.header.to_string()));
    let claims = serde_json::to_string_pretty(&jwt.claims).unwrap_or_default();
    out.line("claims", &shown_block(&claims));
    out.expiry(jwt_expires_at(jwt), now);
    out.validity(validity);
    if let Some(mode) = jwt.mode() {
        out.line("mode", mode.as_str());
    }
    if let Some(check) = check {
        out.signature(&SignatureFacts::of(check));
    }
    out.0
}

/// Columns aligned with two spaces between them, a header first; the last column is not padded.
pub fn table<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> String {
    let header = header.map(str::to_owned);
    let mut widths = [0usize; N];
    for row in std::iter::once(&header).chain(rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(widths) {
            let _ = write!(line, "{cell:<width$}  ");
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}
