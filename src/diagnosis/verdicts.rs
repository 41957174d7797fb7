//! The verdicts, worded once: one answer read on its own (`read_answer`), and the login and the
//! probes read into a cause, the input at fault, a headline, what to do and (where it helps) a
//! message the support team can send the customer.

use super::{
    about_scope, client_cannot_log_in, client_unknown, code, probe, says_private, says_unavailable,
    scope_name, Cause, Input, Probe,
};
use crate::attempt::Attempt;
use crate::auth::OutcomeKind;

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

type Parts = (Cause, Option<Input>, String, String, Option<String>);

pub(super) fn decide_parts(login: &Attempt, probes: &[(Probe, Attempt)]) -> Parts {
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
