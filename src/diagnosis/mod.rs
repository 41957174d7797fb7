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

use serde::Serialize;

use crate::attempt::Attempt;
use crate::auth::OutcomeKind;

pub use run::diagnose;

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

/// What one answer says on its own, before any probe: the headline by cause ("Email or password
/// rejected", "Market b2b is private to a customer group", "Unknown client ID") and the input it
/// blames. Worded by the same functions as the verdicts, so a face says the same thing before
/// and after Diagnose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub headline: String,
    pub at_fault: Option<Input>,
}

/// The cause a single answer points at; `None` for an issued token, or a refusal whose code and
/// words name no cause.
pub fn read_answer(attempt: &Attempt) -> Option<Reading> {
    let reading = |(_, at_fault, headline, _, _): Parts| Reading { headline, at_fault };
    let grant = attempt.request.grant_type.as_deref();
    match attempt.kind() {
        OutcomeKind::Ok => None,
        OutcomeKind::Refused if client_unknown(attempt) => Some(reading(unknown_client())),
        OutcomeKind::Refused if grant == Some("password") && client_cannot_log_in(attempt) => {
            Some(reading(client_cannot_log_in_verdict()))
        }
        OutcomeKind::Refused if attempt.request.scope.is_some() && about_scope(attempt) => Some(
            reading(scope_for_nobody(attempt, &scope_name(attempt), None)),
        ),
        OutcomeKind::Refused => match (grant, code(attempt)) {
            (Some("password"), "invalid_grant") => Some(reading(wrong_credentials(""))),
            (Some("refresh_token"), "invalid_grant") => Some(Reading {
                headline: "Refresh token rejected".to_owned(),
                at_fault: None,
            }),
            _ => None,
        },
        _ => Some(reading(no_answer(attempt))),
    }
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

fn verdict(
    cause: Cause,
    at_fault: Option<Input>,
    headline: impl Into<String>,
    advice: impl Into<String>,
    customer_message: Option<&str>,
) -> Parts {
    (
        cause,
        at_fault,
        headline.into(),
        advice.into(),
        customer_message.map(str::to_owned),
    )
}

const WRONG_CREDENTIALS_MESSAGE: &str = "We could not sign you in with this email and password. Please check the email address for typos, or use \"Forgot password\" to set a new password.";

const PRIVATE_MARKET_MESSAGE: &str = "Your account works, but it does not have access to this part of the store yet. We are looking into it and will let you know once access is granted.";

/// Reads the login and the probes into a verdict.
impl Diagnosis {
    /// Every request the verdict rests on, the login first.
    pub fn steps(&self) -> Vec<Step<'_>> {
        steps(&self.login, &self.probes)
    }
}

pub fn decide(login: Attempt, probes: Vec<(Probe, Attempt)>) -> Diagnosis {
    let (cause, at_fault, headline, advice, customer_message) = decide_parts(&login, &probes);
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

type Parts = (Cause, Option<Input>, String, String, Option<String>);

fn decide_parts(login: &Attempt, probes: &[(Probe, Attempt)]) -> Parts {
    // A probe without a real answer (rate limit, network) leaves the rest unknown.
    if let Some((_, stuck)) = probes
        .iter()
        .find(|(_, a)| !matches!(a.kind(), OutcomeKind::Ok | OutcomeKind::Refused))
    {
        return no_answer(stuck);
    }
    match login.kind() {
        OutcomeKind::Ok => {
            return verdict(
                Cause::Works,
                None,
                "The login works",
                "The token was issued: the client ID, the scope and the customer's credentials are right.",
                None,
            )
        }
        OutcomeKind::Refused => {}
        _ => return no_answer(login),
    }
    let same = probe(probes, Probe::GuestSameScope);
    let no_scope = probe(probes, Probe::GuestNoScope);
    if client_unknown(login)
        || same.is_some_and(client_unknown)
        || no_scope.is_some_and(client_unknown)
    {
        return unknown_client();
    }
    if client_cannot_log_in(login) {
        return client_cannot_log_in_verdict();
    }
    let name = scope_name(login);
    let ok = |a: Option<&Attempt>| a.is_some_and(|a| a.kind() == OutcomeKind::Ok);
    match same {
        // Not checked: the credentials are the likely fault, said as such.
        None => verdict(
            Cause::WrongCredentials,
            Some(Input::Credentials),
            "Email or password rejected",
            "Email or password rejected (not compared with a guest token): the customer does not exist in this organization, typed the email differently, or must reset the password.",
            Some(WRONG_CREDENTIALS_MESSAGE),
        ),
        // A guest may have the scope: the client and the scope work.
        Some(guest) if guest.kind() == OutcomeKind::Ok => {
            if about_scope(login) {
                private_market(&name)
            } else {
                wrong_credentials("the client ID and the scope work for a guest")
            }
        }
        // Refused to a guest too, without a scope to blame.
        Some(_) if login.request.scope.is_none() => verdict(
            Cause::Unclear,
            None,
            "Refused, and a guest token too",
            "The login and a guest token were both refused without any scope: this client ID may issue no guest tokens, or it is disabled. Check the sales channel in the dashboard before the customer's credentials.",
            None,
        ),
        // Refused to a guest with the scope; without it a guest is refused too: the client.
        Some(_) if no_scope.is_some() && !ok(no_scope) => verdict(
            Cause::Unclear,
            Some(Input::ClientId),
            "Refused, and a guest token too, even without a scope",
            "A guest token is refused even without a scope: this client ID issues no guest tokens or is disabled, so the answers cannot tell the customer's credentials apart. Check the sales channel in the dashboard.",
            None,
        ),
        // Guests may not have the scope (private markets need a customer; or it is unknown).
        Some(_) if about_scope(login) => scope_for_nobody(login, &name, probe(probes, Probe::CustomerNoScope)),
        Some(_) => wrong_credentials_and_scope_unchecked(&name),
    }
}

fn unknown_client() -> Parts {
    verdict(
        Cause::UnknownClient,
        Some(Input::ClientId),
        "Unknown client ID",
        "This client ID is unknown to the organization: copy it again from the sales channel in the dashboard, and check test vs live credentials and the domain.",
        None,
    )
}

fn client_cannot_log_in_verdict() -> Parts {
    verdict(
        Cause::ClientCannotLogIn,
        Some(Input::ClientId),
        "This client cannot log customers in",
        "Only sales channel credentials may use the password grant: use a sales channel's client ID, not an integration's or a webapp's.",
        None,
    )
}

fn private_market(name: &str) -> Parts {
    let name = capitalized(name);
    verdict(
        Cause::PrivateMarket,
        Some(Input::Scope),
        format!("{name} is private to a customer group"),
        format!(
            "{name} is private: add the customer to its customer group, or use a public market."
        ),
        Some(PRIVATE_MARKET_MESSAGE),
    )
}

fn wrong_credentials(why: &str) -> Parts {
    verdict(
        Cause::WrongCredentials,
        Some(Input::Credentials),
        "Email or password rejected",
        format!("Email or password rejected: {why}, so the customer does not exist in this organization, typed the email differently, or must reset the password."),
        Some(WRONG_CREDENTIALS_MESSAGE),
    )
}

fn wrong_credentials_and_scope_unchecked(name: &str) -> Parts {
    verdict(
        Cause::WrongCredentials,
        Some(Input::Credentials),
        "Email or password rejected",
        format!("Email or password rejected: the client ID works, but a guest may not have {name} (private markets need a customer, or it does not exist), so the scope could not be checked without the customer."),
        Some(WRONG_CREDENTIALS_MESSAGE),
    )
}

/// The login was refused over the scope, and guests may not have it either.
fn scope_for_nobody(login: &Attempt, name: &str, customer_no_scope: Option<&Attempt>) -> Parts {
    let customer_note = match customer_no_scope {
        Some(a) if a.kind() == OutcomeKind::Ok => " The customer logs in without it.",
        Some(_) => " The customer is refused even without it: the email or password is wrong too.",
        None => "",
    };
    if says_private(login) {
        let (cause, at_fault, headline, advice, message) = private_market(name);
        return (
            cause,
            at_fault,
            headline,
            format!("{advice}{customer_note}"),
            message,
        );
    }
    if says_unavailable(login) {
        return verdict(
            Cause::ScopeUnavailable,
            Some(Input::Scope),
            format!("{} does not exist or is disabled", capitalized(name)),
            format!("The scope does not exist or is disabled: check {name}'s id or code, that it is enabled, and that this sales channel reaches it.{customer_note}"),
            None,
        );
    }
    verdict(
        Cause::ScopeRefused,
        Some(Input::Scope),
        format!("{} is refused", capitalized(name)),
        format!("The server refuses {name} and does not say why: it does not exist, is disabled, is not reachable by this sales channel, or is private to a customer group the customer is not in.{customer_note}"),
        None,
    )
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A request without a usable answer: nothing can be said about the inputs, except the base
/// URL when the answer was not an auth host's.
fn no_answer(attempt: &Attempt) -> Parts {
    let wait = attempt
        .outcome
        .error
        .as_ref()
        .and_then(|p| p.retry_after_s)
        .map_or_else(|| "a minute".to_owned(), |s| format!("{s} s"));
    match attempt.kind() {
        OutcomeKind::RateLimited => verdict(
            Cause::RateLimited,
            None,
            "Rate limited",
            format!("The auth host allows 30 token requests a minute: wait {wait}, then diagnose again. Nothing can be said about the inputs yet."),
            None,
        ),
        OutcomeKind::TransportError => verdict(
            Cause::Unreachable,
            Some(Input::BaseUrl),
            "The server is unreachable",
            "The server is unreachable: nothing can be said about the inputs. Check the base URL, the network and any proxy.",
            None,
        ),
        OutcomeKind::ServerError => verdict(
            Cause::ServerProblem,
            None,
            "The auth server failed",
            "The auth server answered with an error of its own (5xx): nothing can be said about the inputs. Retry later and check status.commercelayer.io.",
            None,
        ),
        _ => verdict(
            Cause::NotAnAuthHost,
            Some(Input::BaseUrl),
            "Not an auth host's answer",
            "The answer is not one a Commerce Layer auth host gives (a redirect or an unreadable body): the base URL probably points elsewhere.",
            None,
        ),
    }
}

#[cfg(test)]
mod tests;
