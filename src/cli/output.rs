//! The short, aligned text summaries: an attempt, and a decoded token.

use std::fmt::Write;
use std::time::SystemTime;

use crate::attempt::{rfc3339, Attempt, Tokens};
use crate::auth::jwt::{Jwt, Signature, SignatureCheck};
use crate::auth::token::jwt_expires_at;
use crate::auth::Validity;
use crate::clock::countdown;

/// Aligned `label  value` lines; a value's further lines are indented under the first.
#[derive(Default)]
struct Lines(String);

impl Lines {
    fn line(&mut self, label: &str, value: &str) {
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

    fn signature(&mut self, check: &SignatureCheck) {
        let mut text = format!("{}: {}", check.result.as_str(), check.explanation);
        let source = match (&check.kid, &check.keys_url) {
            (Some(kid), Some(url)) => Some(format!("kid {kid} in {url}")),
            (None, Some(url)) => Some(format!("no kid; keys at {url}")),
            (Some(kid), None) if check.result != Signature::NotAJwt => Some(format!("kid {kid}")),
            _ => None,
        };
        for extra in [source, check.detail.clone()].into_iter().flatten() {
            text.push('\n');
            text.push_str(&extra);
        }
        self.line("signature", &text);
    }
}

pub fn summary(attempt: &Attempt, tokens: Tokens, now: SystemTime) -> String {
    let mut out = Lines::default();
    let kind = attempt.kind();
    out.line(
        "outcome",
        &format!("{}: {}", kind.as_str(), attempt.headline()),
    );
    let timing = format!("{:.1} ms", attempt.elapsed_ms());
    match attempt.http_status {
        Some(status) => out.line("http", &format!("{status} in {timing}")),
        None => out.line("http", &format!("no answer after {timing}")),
    }
    out.line("url", &attempt.request.url);
    if let Some(token) = &attempt.outcome.token {
        let jwt = token.jwt.as_ref().ok();
        if let Some(owner) = &token.owner_id {
            out.line(
                "owner",
                &format!("{} {owner}", token.owner_type.as_deref().unwrap_or("owner")),
            );
        }
        let granted = token.granted_scope().unwrap_or("(none)");
        match attempt.request.scope.as_deref() {
            Some(asked)
                if crate::auth::scope::scope_set(asked)
                    != crate::auth::scope::scope_set(granted) =>
            {
                out.line("scope", &format!("{granted}  (asked: {asked})"));
            }
            _ => out.line("scope", granted),
        }
        if let Some(jwt) = jwt {
            let list = |ids: Vec<String>| {
                if ids.is_empty() {
                    "(all)".to_owned()
                } else {
                    ids.join(", ")
                }
            };
            out.line("markets", &list(jwt.market_ids()));
            out.line("stock", &list(jwt.stock_location_ids()));
            if let Some(org) = organization(jwt) {
                out.line("org", &org);
            }
        } else {
            out.line("token", "opaque (not a JWT)");
        }
        out.expiry(token.expires_at, now);
        out.validity(attempt.validity(now));
        if let Some(mode) = token.mode() {
            out.line("mode", mode.as_str());
        }
        if let Some(check) = &attempt.signature {
            out.signature(check);
        }
        match attempt.refresh_rotated {
            Some(true) => out.line(
                "refresh",
                "rotated: a new refresh token came back; the one sent should no longer work",
            ),
            Some(false) if token.refresh_token.is_some() => out.line(
                "refresh",
                "not rotated: the same refresh token came back and stays usable",
            ),
            Some(false) => out.line("refresh", "no refresh token in the answer"),
            None => {}
        }
        if tokens == Tokens::Shown {
            out.line("access", &token.access_token);
            if let Some(refresh) = &token.refresh_token {
                out.line("refresh", refresh);
            }
        }
    }
    if let Some(problem) = &attempt.outcome.error {
        let server_words = problem.server_words().join(": ");
        if server_words.is_empty() {
            out.line("error", &problem.code);
        } else {
            out.line("error", &format!("{} ({server_words})", problem.code));
        }
        out.line("why", &problem.explanation);
        if let Some(excerpt) = &problem.excerpt {
            out.line("body", excerpt);
        }
    }
    if let Some(skew) = attempt.clock_skew_s() {
        out.line("clock", &format!("the server's clock differs from this machine's by {skew} s: expiry times may look wrong"));
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
    out.line("header", &jwt.header.to_string());
    let claims = serde_json::to_string_pretty(&jwt.claims).unwrap_or_default();
    out.line("claims", &claims);
    out.expiry(jwt_expires_at(jwt), now);
    out.validity(validity);
    if let Some(mode) = jwt.mode() {
        out.line("mode", mode.as_str());
    }
    if let Some(check) = check {
        out.signature(check);
    }
    out.0
}

fn organization(jwt: &Jwt) -> Option<String> {
    match (jwt.organization_slug(), jwt.application_kind()) {
        (Some(slug), Some(kind)) => Some(format!("{slug} ({kind})")),
        (Some(slug), None) => Some(slug.to_owned()),
        (None, Some(kind)) => Some(format!("({kind})")),
        (None, None) => None,
    }
}
