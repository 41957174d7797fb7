//! Diagnose: after a failed login, the few requests that separate the causes, and a verdict that
//! names the input at fault in one sentence with what to do.
//!
//! The probes, at most three after the login (so at most four requests in all):
//! 1. a guest token with the same scope: does the client ID work, and may anyone have the scope?
//! 2. a guest token without a scope: when 1 was refused, is it the client ID or the scope?
//! 3. the customer login without a scope: only when the login's failure was about the scope, so
//!    a wrong password is never sent again (repeated failed logins may lock a customer out).
//!
//! Where shared/docs/commerce-layer-auth.md marks the server's behaviour unconfirmed (the codes
//! for a wrong password, an unknown or private market), the verdict reads the server's own words
//! and, when they settle nothing, says what is possible rather than guessing.

mod run;
mod verdicts;

use serde::Serialize;

use crate::attempt::Attempt;
use crate::auth::OutcomeKind;

pub use run::diagnose;
pub use verdicts::{read_answer, Reading};

/// A request Diagnose may add after the login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Probe {
    GuestSameScope,
    GuestNoScope,
    CustomerNoScope,
}

impl Probe {
    /// What the request is, for the list of steps shown.
    pub fn label(self) -> &'static str {
        match self {
            Probe::GuestSameScope => "Guest token, same scope",
            Probe::GuestNoScope => "Guest token, no scope",
            Probe::CustomerNoScope => "Customer login, no scope",
        }
    }
}

/// One request of a diagnosis, in the order sent: the login first, then each probe.
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    /// "Customer login", "Guest token, same scope"...
    pub label: &'static str,
    pub attempt: &'a Attempt,
}

impl Step<'_> {
    /// The label with the scope it asked for, unless it asked for none on purpose:
    /// "Guest token, same scope (market:code:b2b)".
    pub fn title(&self) -> String {
        match self.attempt.request.scope.as_deref() {
            Some(scope) if !self.label.ends_with("no scope") => {
                format!("{} ({})", self.label, crate::facts::shown(scope))
            }
            _ => self.label.to_owned(),
        }
    }
}

/// The requests so far: the login, then the probes (also while Diagnose still runs).
pub fn steps<'a>(login: &'a Attempt, probes: &'a [(Probe, Attempt)]) -> Vec<Step<'a>> {
    std::iter::once(Step {
        label: "Customer login",
        attempt: login,
    })
    .chain(probes.iter().map(|(probe, attempt)| Step {
        label: probe.label(),
        attempt,
    }))
    .collect()
}

/// The input a verdict blames, for the window to mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Input {
    Credentials,
    ClientId,
    Scope,
    BaseUrl,
}

/// What the answers point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The login works: nothing to diagnose.
    Works,
    WrongCredentials,
    UnknownClient,
    /// The client may not log customers in (an integration or webapp client).
    ClientCannotLogIn,
    PrivateMarket,
    /// Refused for everyone: the scope does not exist, is disabled or is not in this sales
    /// channel.
    ScopeUnavailable,
    /// Refused for everyone, and the server's words do not say why.
    ScopeRefused,
    Unreachable,
    ServerProblem,
    NotAnAuthHost,
    RateLimited,
    /// The answers do not settle it (say what is possible).
    Unclear,
}

/// The verdict: the cause, a headline, one sentence with what to do, a ready message for the
/// customer when there is one, and the requests that led there.
#[derive(Debug, Clone)]
pub struct Diagnosis {
    pub cause: Cause,
    pub at_fault: Option<Input>,
    /// "Email or password rejected".
    pub headline: String,
    /// What it means and what to do.
    pub advice: String,
    /// Something support can paste to the customer.
    pub customer_message: Option<String>,
    pub login: Attempt,
    pub probes: Vec<(Probe, Attempt)>,
}

fn code(attempt: &Attempt) -> &str {
    attempt
        .outcome
        .error
        .as_ref()
        .map_or("", |p| p.code.as_str())
}

/// The server's words and code, lower-cased, to look for what it says about the cause.
fn words(attempt: &Attempt) -> String {
    attempt
        .outcome
        .error
        .as_ref()
        .map_or_else(String::new, |p| {
            let mut all = vec![p.code.as_str()];
            all.extend(p.server_words());
            all.join(" ").to_lowercase()
        })
}

fn refused(attempt: &Attempt) -> bool {
    attempt.kind() == OutcomeKind::Refused
}

fn client_unknown(attempt: &Attempt) -> bool {
    refused(attempt) && matches!(code(attempt), "invalid_client" | "unauthorized")
}

/// Whether a refusal is about the scope rather than the credentials, by its code or its words.
fn about_scope(attempt: &Attempt) -> bool {
    if !refused(attempt) {
        return false;
    }
    let words = words(attempt);
    code(attempt) == "invalid_scope"
        || [
            "scope",
            "market",
            "stock location",
            "stock_location",
            "store",
            "customer group",
        ]
        .iter()
        .any(|w| words.contains(w))
}

fn says_private(attempt: &Attempt) -> bool {
    let words = words(attempt);
    words.contains("private") || words.contains("customer group")
}

fn says_unavailable(attempt: &Attempt) -> bool {
    let words = words(attempt);
    [
        "not found",
        "does not exist",
        "unknown",
        "disabled",
        "inactive",
        "not reachable",
        "cannot reach",
        "not available",
    ]
    .iter()
    .any(|w| words.contains(w))
}

fn probe(probes: &[(Probe, Attempt)], which: Probe) -> Option<&Attempt> {
    probes.iter().find(|(p, _)| *p == which).map(|(_, a)| a)
}

/// The next request to send, given the login and the probes done; `None` when the verdict is
/// settled (or no request could settle more). `can_resend_password` is false once the password
/// is gone (cleared in the window).
pub fn next_probe(
    login: &Attempt,
    probes: &[(Probe, Attempt)],
    can_resend_password: bool,
) -> Option<Probe> {
    if !refused(login) || client_unknown(login) || client_cannot_log_in(login) {
        return None;
    }
    // A probe without a real answer (rate limit, network) stops the run.
    if probes
        .iter()
        .any(|(_, a)| !matches!(a.kind(), OutcomeKind::Ok | OutcomeKind::Refused))
    {
        return None;
    }
    let Some(same) = probe(probes, Probe::GuestSameScope) else {
        return Some(Probe::GuestSameScope);
    };
    if !refused(same) || client_unknown(same) || login.request.scope.is_none() {
        return None;
    }
    let Some(no_scope) = probe(probes, Probe::GuestNoScope) else {
        return Some(Probe::GuestNoScope);
    };
    let scope_refused_to_guests = no_scope.kind() == OutcomeKind::Ok;
    let ask_customer = scope_refused_to_guests
        && about_scope(login)
        && can_resend_password
        && probe(probes, Probe::CustomerNoScope).is_none();
    ask_customer.then_some(Probe::CustomerNoScope)
}

fn client_cannot_log_in(attempt: &Attempt) -> bool {
    refused(attempt)
        && matches!(
            code(attempt),
            "unsupported_grant_type" | "unauthorized_client"
        )
}

/// The scope as people name it: `b2b` for `market:code:b2b`, else the whole scope.
fn scope_name(login: &Attempt) -> String {
    let scope = login.request.scope.as_deref().unwrap_or_default();
    let mut parts = scope.split_whitespace();
    match (parts.next(), parts.next()) {
        (Some(one), None) => {
            let mut pieces = one.splitn(3, ':');
            match (pieces.next(), pieces.next(), pieces.next()) {
                (Some(kind), Some(_), Some(value)) => {
                    format!("{} {value}", kind.replace('_', " "))
                }
                _ => one.to_owned(),
            }
        }
        _ => format!("scope `{scope}`"),
    }
}

/// Reads the login and the probes into a verdict.
impl Diagnosis {
    /// Every request the verdict rests on, the login first.
    pub fn steps(&self) -> Vec<Step<'_>> {
        steps(&self.login, &self.probes)
    }
}

pub fn decide(login: Attempt, probes: Vec<(Probe, Attempt)>) -> Diagnosis {
    let (cause, at_fault, headline, advice, customer_message) =
        verdicts::decide_parts(&login, &probes);
    Diagnosis {
        cause,
        at_fault,
        headline,
        advice,
        customer_message,
        login,
        probes,
    }
}

#[cfg(test)]
mod tests;
