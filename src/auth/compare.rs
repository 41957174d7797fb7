//! The guest comparison: a customer login and a guest token (`client_credentials`) asked with
//! the same client ID and scope, and what the pair of answers says about where the fault is.

use serde::Serialize;

use super::{Outcome, OutcomeKind};

/// What the two answers, read together, point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// Both issued: client ID, scope and the customer's credentials all work.
    BothIssued,
    /// The guest token works, the login does not: the customer's credentials are the fault.
    CustomerRefused,
    /// Both refused: the client ID or the scope is the fault.
    BothRefused,
    /// The login works, the guest token does not: typically a private market.
    GuestRefused,
    /// One of them got no real answer (network, timeout, 5xx, rate limit, ...).
    Inconclusive,
}

/// The finding and its explanation, for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub finding: Finding,
    pub explanation: String,
}

fn code(outcome: &Outcome) -> Option<&str> {
    outcome.error.as_ref().map(|p| p.code.as_str())
}

/// Reads a customer login and a guest token asked with the same client ID and scope.
pub fn compare(customer: &Outcome, guest: &Outcome) -> Verdict {
    use OutcomeKind::{Ok, Refused};
    let (finding, explanation) = match (customer.kind, guest.kind) {
        (Ok, Ok) => (
            Finding::BothIssued,
            "Both tokens were issued: the client ID, the scope and the customer's credentials all work.".to_owned(),
        ),
        (Refused, Ok) if code(customer) == Some("invalid_grant") => (
            Finding::CustomerRefused,
            "A guest token works with the same client ID and scope, so those are right: the customer's email or password is what the server rejects.".to_owned(),
        ),
        (Refused, Ok) => (
            Finding::CustomerRefused,
            format!(
                "A guest token works with the same client ID and scope, so the fault is in the customer login itself (`{}`).",
                code(customer).unwrap_or("refused")
            ),
        ),
        (Refused, Refused) => (Finding::BothRefused, both_refused(guest)),
        (Ok, Refused) => (
            Finding::GuestRefused,
            "The customer logs in, but a guest token is refused with the same client ID and scope: the scope is probably a private market (reachable only by customers of its customer group), or this client issues no guest tokens.".to_owned(),
        ),
        (customer_kind, guest_kind) => {
            let (who, kind) = if customer_kind == Ok || customer_kind == Refused {
                ("the guest token", guest_kind)
            } else {
                ("the customer login", customer_kind)
            };
            (
                Finding::Inconclusive,
                format!(
                    "Nothing to compare: {who} got no usable answer ({}). Compare again once both get one.",
                    kind.as_str()
                ),
            )
        }
    };
    Verdict {
        finding,
        explanation,
    }
}

fn both_refused(guest: &Outcome) -> String {
    match code(guest) {
        Some("invalid_client" | "unauthorized") => "Both were refused, and the guest token says the client ID is unknown: fix the client ID (test vs live, the domain) before looking at the customer.".to_owned(),
        Some("invalid_scope") => "Both were refused, and even a guest may not have this scope: fix the scope (market, stock location or store) before looking at the customer.".to_owned(),
        _ => "Both were refused: the client ID or the scope is wrong, not (only) the customer's credentials.".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Problem;

    fn ok() -> Outcome {
        Outcome {
            kind: OutcomeKind::Ok,
            token: None,
            error: None,
        }
    }

    fn no(kind: OutcomeKind, code: &str) -> Outcome {
        Outcome::problem(kind, Problem::new(code, "words"))
    }

    #[test]
    fn guest_works_and_customer_does_not_blames_the_credentials() {
        let v = compare(&no(OutcomeKind::Refused, "invalid_grant"), &ok());
        assert_eq!(v.finding, Finding::CustomerRefused);
        assert!(v.explanation.contains("email or password"), "{v:?}");
    }

    #[test]
    fn both_refused_blames_client_or_scope_naming_which_when_it_can() {
        let customer = no(OutcomeKind::Refused, "invalid_client");
        let v = compare(&customer, &no(OutcomeKind::Refused, "invalid_client"));
        assert_eq!(v.finding, Finding::BothRefused);
        assert!(v.explanation.contains("client ID is unknown"), "{v:?}");
        let v = compare(&customer, &no(OutcomeKind::Refused, "invalid_scope"));
        assert!(v.explanation.contains("fix the scope"), "{v:?}");
        let v = compare(&customer, &no(OutcomeKind::Refused, "something"));
        assert!(v.explanation.contains("client ID or the scope"), "{v:?}");
    }

    #[test]
    fn a_missing_answer_is_inconclusive_and_says_which() {
        let v = compare(&ok(), &no(OutcomeKind::TransportError, "timeout"));
        assert_eq!(v.finding, Finding::Inconclusive);
        assert!(v.explanation.contains("the guest token"), "{v:?}");
        let v = compare(&no(OutcomeKind::RateLimited, "rate_limited"), &ok());
        assert!(v.explanation.contains("customer login"), "{v:?}");
    }

    #[test]
    fn customer_only_points_at_a_private_market() {
        let v = compare(&ok(), &no(OutcomeKind::Refused, "invalid_scope"));
        assert_eq!(v.finding, Finding::GuestRefused);
        assert!(v.explanation.contains("private market"), "{v:?}");
    }
}
