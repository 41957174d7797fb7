//! The short, aligned text summary of an attempt.

use std::fmt::Write;
use std::time::SystemTime;

use crate::attempt::{rfc3339, Attempt, Tokens};
use crate::auth::jwt::Jwt;
use crate::clock::countdown;

pub fn summary(attempt: &Attempt, tokens: Tokens) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: &str| {
        let _ = writeln!(out, "{label:<10} {value}");
    };
    let kind = attempt.kind();
    line(
        "outcome",
        &format!("{}: {}", kind.as_str(), kind.headline()),
    );
    let timing = format!("{:.1} ms", attempt.elapsed_ms());
    match attempt.http_status {
        Some(status) => line("http", &format!("{status} in {timing}")),
        None => line("http", &format!("no answer after {timing}")),
    }
    line("url", &attempt.request.url);
    if let Some(token) = &attempt.outcome.token {
        let jwt = token.jwt.as_ref().ok();
        if let Some(owner) = &token.owner_id {
            line(
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
                line("scope", &format!("{granted}  (asked: {asked})"));
            }
            _ => line("scope", granted),
        }
        if let Some(jwt) = jwt {
            let list = |ids: Vec<String>| {
                if ids.is_empty() {
                    "(all)".to_owned()
                } else {
                    ids.join(", ")
                }
            };
            line("markets", &list(jwt.market_ids()));
            line("stock", &list(jwt.stock_location_ids()));
            if let Some(org) = organization(jwt) {
                line("org", &org);
            }
        } else {
            line("token", "opaque (not a JWT)");
        }
        if let Some(at) = token.expires_at {
            let left = token
                .seconds_left(SystemTime::now())
                .map(countdown)
                .unwrap_or_default();
            line("expires", &format!("{} ({left})", rfc3339(at)));
        }
        if let Some(mode) = token.mode() {
            line("mode", mode.as_str());
        }
        if tokens == Tokens::Shown {
            line("access", &token.access_token);
            if let Some(refresh) = &token.refresh_token {
                line("refresh", refresh);
            }
        }
    }
    if let Some(problem) = &attempt.outcome.error {
        let server_words = [problem.title.as_deref(), problem.detail.as_deref()]
            .into_iter()
            .flatten()
            .filter(|w| *w != problem.code)
            .collect::<Vec<_>>()
            .join(": ");
        if server_words.is_empty() {
            line("error", &problem.code);
        } else {
            line("error", &format!("{} ({server_words})", problem.code));
        }
        line("why", &problem.explanation);
        if let Some(excerpt) = &problem.excerpt {
            line("body", excerpt);
        }
    }
    if let Some(skew) = attempt.clock_skew_s() {
        line("clock", &format!("the server's clock differs from this machine's by {skew} s: expiry times may look wrong"));
    }
    out
}

fn organization(jwt: &Jwt) -> Option<String> {
    match (jwt.organization_slug(), jwt.application_kind()) {
        (Some(slug), Some(kind)) => Some(format!("{slug} ({kind})")),
        (Some(slug), None) => Some(slug.to_owned()),
        (None, Some(kind)) => Some(format!("({kind})")),
        (None, None) => None,
    }
}
