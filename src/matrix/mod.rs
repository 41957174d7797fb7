//! The scope matrix: for each scope (a market, a stock location, a store, or several as one
//! row), does a customer login and a guest token get through, side by side, with a short
//! verdict in plain words that tells "the customer is not in the market's customer group" from
//! "the sales channel cannot reach that market". Sent through the same pacer as the bulk check.

mod rows;
mod run;
pub mod table;

use serde::Serialize;
use serde_json::{json, Value};

use crate::attempt::Attempt;
use crate::auth::OutcomeKind;

pub use rows::{parse_scope_rows, ScopeRowError};
pub use run::{run, Customer, Matrix, Plan};

/// Which column a cell is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Customer,
    Guest,
}

/// A cell: the answer, or why there is none.
#[derive(Debug, Clone)]
pub enum Cell {
    /// Not asked for (`--no-guest`, or no customer).
    Absent,
    Answered(Box<Attempt>),
    /// Not sent: the run stopped first (why).
    NotRun(String),
}

impl Cell {
    pub fn attempt(&self) -> Option<&Attempt> {
        match self {
            Cell::Answered(attempt) => Some(attempt),
            _ => None,
        }
    }

    fn kind(&self) -> Option<OutcomeKind> {
        self.attempt().map(Attempt::kind)
    }

    /// The cell as a short word: "ok", "refused", "rate limited", "not run".
    pub fn word(&self) -> String {
        match self {
            Cell::Absent => "-".to_owned(),
            Cell::Answered(a) => match a.kind() {
                OutcomeKind::Ok => "ok".to_owned(),
                OutcomeKind::Refused => {
                    let code = a.outcome.error.as_ref().map_or("", |p| p.code.as_str());
                    format!("refused ({code})")
                }
                other => other.as_str().replace('_', " "),
            },
            Cell::NotRun(_) => "not run".to_owned(),
        }
    }

    /// The documented JSON of a cell; `null` when it was not asked for. Never a token.
    pub fn to_json(&self) -> Value {
        match self {
            Cell::Absent => Value::Null,
            Cell::NotRun(why) => json!({
                "outcome": "not_run", "http_status": null, "error_code": null,
                "explanation": why, "granted_scope": null, "market_ids": [],
                "stock_location_ids": [], "mode": null,
            }),
            Cell::Answered(a) => {
                let token = a.outcome.token.as_ref();
                let jwt = token.and_then(|t| t.jwt.as_ref().ok());
                let problem = a.outcome.error.as_ref();
                json!({
                    "outcome": a.kind().as_str(),
                    "http_status": a.http_status,
                    "error_code": problem.map(|p| p.code.clone()),
                    "explanation": problem.map(|p| p.explanation.clone()),
                    "granted_scope": token.and_then(|t| t.granted_scope()),
                    "market_ids": jwt.map(|j| j.market_ids()).unwrap_or_default(),
                    "stock_location_ids": jwt.map(|j| j.stock_location_ids()).unwrap_or_default(),
                    "mode": token.and_then(|t| t.mode()).map(|m| m.as_str()),
                })
            }
        }
    }
}

/// One scope and its two cells.
#[derive(Debug, Clone)]
pub struct MatrixRow {
    /// Space-separated when several scopes make one row.
    pub scope: String,
    pub customer: Cell,
    pub guest: Cell,
}

/// What a row's cells say together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    Reachable,
    CustomersOnly,
    CustomerNotAllowed,
    CustomerCredentials,
    Private,
    Unavailable,
    RefusedForBoth,
    GuestRefused,
    UnknownClient,
    /// A cell without a usable answer: nothing can be said yet.
    Unknown,
    Pending,
}

fn code(cell: &Cell) -> &str {
    cell.attempt()
        .and_then(|a| a.outcome.error.as_ref())
        .map_or("", |p| p.code.as_str())
}

fn words(cell: &Cell) -> String {
    cell.attempt()
        .and_then(|a| a.outcome.error.as_ref())
        .map_or_else(String::new, |p| {
            let mut all = vec![p.code.as_str()];
            all.extend(p.server_words());
            all.join(" ").to_lowercase()
        })
}

fn says_private(cell: &Cell) -> bool {
    let words = words(cell);
    words.contains("private") || words.contains("customer group")
}

/// What the server's words say about a scope nobody gets: the verdict's words, if they say.
fn says_unavailable(cell: &Cell) -> Option<&'static str> {
    let words = words(cell);
    let says = |all: &[&str]| all.iter().any(|w| words.contains(w));
    if says(&["disabled", "inactive"]) {
        Some("disabled: nobody gets a token for it")
    } else if says(&["not reachable", "cannot reach", "not available"]) {
        Some("not reachable by this sales channel")
    } else if says(&["not found", "does not exist", "unknown"]) {
        Some("unknown: no such market, stock location or store")
    } else {
        None
    }
}

fn client_unknown(cell: &Cell) -> bool {
    matches!(code(cell), "invalid_client" | "unauthorized")
}

impl MatrixRow {
    /// The row's verdict and its words: "reachable", "customer not allowed (guest works: a
    /// private market or customer group?)", ... Where the protocol is unconfirmed, the words
    /// list what is possible.
    pub fn verdict(&self) -> (Reach, String) {
        use OutcomeKind::{Ok, Refused};
        let pending = |c: &Cell| matches!(c, Cell::NotRun(_));
        if pending(&self.customer) || pending(&self.guest) {
            let why = [&self.customer, &self.guest]
                .into_iter()
                .find_map(|c| match c {
                    Cell::NotRun(why) => Some(why.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            return (Reach::Pending, format!("not run: {why}"));
        }
        if client_unknown(&self.customer) || client_unknown(&self.guest) {
            return (
                Reach::UnknownClient,
                "unknown client ID: no scope can be checked".to_owned(),
            );
        }
        let stuck = [&self.customer, &self.guest]
            .into_iter()
            .filter_map(|c| c.attempt())
            .find(|a| !matches!(a.kind(), Ok | Refused));
        if let Some(attempt) = stuck {
            let why = attempt
                .outcome
                .error
                .as_ref()
                .map_or(attempt.headline(), |p| p.explanation.as_str());
            return (Reach::Unknown, format!("unknown: {why}"));
        }
        match (self.customer.kind(), self.guest.kind()) {
            (Some(Ok), Some(Ok)) => (Reach::Reachable, "reachable".to_owned()),
            (Some(Ok), None) => (Reach::Reachable, "reachable for this customer".to_owned()),
            (None, Some(Ok)) => (Reach::Reachable, "reachable for guests".to_owned()),
            (Some(Ok), Some(Refused)) => (
                Reach::CustomersOnly,
                "this customer only: guests are refused (a private market for a customer group the customer is in)".to_owned(),
            ),
            (Some(Refused), Some(Ok)) if code(&self.customer) == "invalid_grant" => (
                Reach::CustomerCredentials,
                "customer refused: email or password rejected (guests get the scope)".to_owned(),
            ),
            (Some(Refused), Some(Ok)) => (
                Reach::CustomerNotAllowed,
                "customer not allowed (guest works: a private market or customer group?)".to_owned(),
            ),
            (Some(Refused), _) if code(&self.customer) == "invalid_grant" => (
                Reach::CustomerCredentials,
                "customer refused: email or password rejected, so the scope was not checked for them".to_owned(),
            ),
            (Some(Refused), Some(Refused)) | (Some(Refused), None) | (None, Some(Refused)) => {
                let both = self.customer.kind().is_some() && self.guest.kind().is_some();
                let unavailable =
                    says_unavailable(&self.customer).or_else(|| says_unavailable(&self.guest));
                let (reach, said) = if says_private(&self.customer) || says_private(&self.guest) {
                    (Reach::Private, "private to a customer group this customer is not in")
                } else if let Some(said) = unavailable {
                    (Reach::Unavailable, said)
                } else if both {
                    (
                        Reach::RefusedForBoth,
                        "refused for both: unknown, disabled, or not in this sales channel",
                    )
                } else {
                    (
                        Reach::GuestRefused,
                        "refused: unknown, disabled, not in this sales channel, or private to a customer group",
                    )
                };
                (reach, said.to_owned())
            }
            _ => (Reach::Unknown, "nothing asked".to_owned()),
        }
    }

    /// Granted scope with the markets and stock locations of the first issued token.
    pub fn granted(&self) -> Option<String> {
        let token = [&self.customer, &self.guest]
            .into_iter()
            .filter_map(|c| c.attempt())
            .find_map(|a| a.outcome.token.as_ref())?;
        let mut text = token.granted_scope().unwrap_or("(none)").to_owned();
        if let Ok(jwt) = &token.jwt {
            let markets = jwt.market_ids();
            let stock = jwt.stock_location_ids();
            if !markets.is_empty() {
                text.push_str(&format!(" · markets {}", markets.join(", ")));
            }
            if !stock.is_empty() {
                text.push_str(&format!(" · stock {}", stock.join(", ")));
            }
        }
        Some(text)
    }

    pub fn to_json(&self) -> Value {
        let (_, verdict) = self.verdict();
        json!({
            "scope": self.scope,
            "customer": self.customer.to_json(),
            "guest": self.guest.to_json(),
            "verdict": verdict,
        })
    }
}

#[cfg(test)]
mod tests;
