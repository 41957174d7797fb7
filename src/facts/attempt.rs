//! The facts of one attempt: the outcome, the problem in the server's words and in plain words,
//! the token's facts, and what was asked.

use std::time::SystemTime;

use super::named_ids::{named_ids, Claim};
use super::{id_list, sentence, shown, skew_sentence};
use crate::attempt::Attempt;
use crate::auth::jwt::Jwt;
use crate::auth::scope::scope_set;
use crate::auth::{Mode, OutcomeKind, Problem, Signature, SignatureCheck, Validity};
use crate::clock::{countdown, utc};
use crate::diagnosis::{read_answer, Reading};

/// Everything a face shows about an attempt, worded once.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptFacts {
    pub outcome: OutcomeKind,
    /// By cause when the answer names one ("Email or password rejected", "Unknown client ID",
    /// "The server is unreachable"), else by outcome ("Token issued for jane@example.com",
    /// "Token revoked", "Refused by the server").
    pub headline: String,
    /// The cause the answer points at on its own, and the input it blames.
    pub cause: Option<Reading>,
    pub http_status: Option<u16>,
    pub elapsed_ms: f64,
    /// "HTTP 400 · 12.3 ms", or "no HTTP answer · 30000.0 ms".
    pub status: String,
    pub url: String,
    pub problem: Option<ProblemFacts>,
    pub token: Option<TokenFacts>,
    /// After a refresh that issued a token: whether the refresh token rotated.
    pub rotation: Option<&'static str>,
    /// The server's clock is off by more than the tolerance.
    pub clock_skew: Option<String>,
    /// What was asked, for the ticket: everything but the password.
    pub request: Vec<(&'static str, String)>,
}

/// What went wrong, with every server text escaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemFacts {
    /// `invalid_grant`, `timeout`, `http_502`...
    pub code: String,
    /// "Server said" when a server answered; "Detail" when the words are this machine's (a
    /// refused connection, a timeout).
    pub words_label: &'static str,
    /// The server's own words beyond the code (title, detail), each once.
    pub server_words: Vec<String>,
    /// Plain words: what it means and what to do.
    pub explanation: String,
    /// A short look at a body that could not be read.
    pub excerpt: Option<String>,
    pub retry_after_s: Option<u64>,
    /// Where a redirect pointed.
    pub location: Option<String>,
}

impl ProblemFacts {
    fn of(problem: &Problem, answered: bool) -> Self {
        Self {
            code: shown(&problem.code).into_owned(),
            words_label: if answered { "Server said" } else { "Detail" },
            server_words: problem
                .server_words()
                .into_iter()
                .map(|w| shown(w).into_owned())
                .collect(),
            explanation: problem.explanation.clone(),
            excerpt: problem.excerpt.as_deref().map(|e| shown(e).into_owned()),
            retry_after_s: problem.retry_after_s,
            location: problem.location.as_deref().map(|l| shown(l).into_owned()),
        }
    }

    /// "invalid_grant — The provided grant is invalid": the code and the server's words.
    pub fn server_said(&self) -> String {
        let mut said = vec![self.code.as_str()];
        said.extend(self.server_words.iter().map(String::as_str));
        said.join(" — ")
    }

    /// "Server said: invalid_grant — The provided grant is invalid", or "Detail: connect — …".
    pub fn labelled(&self) -> String {
        format!("{}: {}", self.words_label, self.server_said())
    }
}

/// The issued token, as people read it.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenFacts {
    pub mode: Option<Mode>,
    pub signature: Option<SignatureFacts>,
    /// By this machine's clock at `now`.
    pub validity: Option<Validity>,
    pub owner_id: Option<String>,
    pub owner_type: Option<String>,
    /// The granted scope, or "(none)".
    pub granted_scope: String,
    /// What was asked, only when the server granted something else.
    pub asked_scope_differs: Option<String>,
    /// `None` for an opaque token (not a JWT).
    pub jwt: Option<JwtFacts>,
    pub issued_at: Option<String>,
    /// "2026-11-30 04:00:00 UTC".
    pub expires_at: Option<String>,
    /// The RFC 3339 form of `expires_at`, for machines and the terminal.
    pub expires_at_rfc3339: Option<String>,
    /// "in 3h 59m", "expired 2m ago".
    pub countdown: Option<String>,
    /// Negative once expired.
    pub seconds_left: Option<i64>,
    pub has_refresh_token: bool,
}

/// What the decoded access token says about where it reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwtFacts {
    pub market_ids: Vec<String>,
    pub stock_location_ids: Vec<String>,
    /// "BjvlWhjJKa", or what no market claim means.
    pub markets: String,
    pub stock_locations: String,
    pub organization: Option<String>,
    pub application: Option<String>,
}

impl JwtFacts {
    /// The token's facts; `asked` (the scope sent) names the ids it asked for by code.
    pub fn of(jwt: &Jwt, asked: Option<&str>) -> Self {
        let market_ids: Vec<String> = jwt
            .market_ids()
            .iter()
            .map(|id| shown(id).into_owned())
            .collect();
        let stock_location_ids: Vec<String> = jwt
            .stock_location_ids()
            .iter()
            .map(|id| shown(id).into_owned())
            .collect();
        Self {
            markets: id_list(
                &named_ids(&market_ids, asked, Claim::Markets),
                "all (no market in the token)",
            ),
            stock_locations: id_list(
                &named_ids(&stock_location_ids, asked, Claim::StockLocations),
                "none in the token",
            ),
            market_ids,
            stock_location_ids,
            organization: jwt.organization_slug().map(|s| shown(s).into_owned()),
            application: jwt.application_kind().map(|s| shown(s).into_owned()),
        }
    }

    /// "demo-store (sales_channel)": the organization and the kind of application together.
    pub fn organization_and_application(&self) -> Option<String> {
        match (&self.organization, &self.application) {
            (Some(slug), Some(kind)) => Some(format!("{slug} ({kind})")),
            (Some(slug), None) => Some(slug.clone()),
            (None, Some(kind)) => Some(format!("({kind})")),
            (None, None) => None,
        }
    }
}

/// A signature check, worded for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureFacts {
    pub result: Signature,
    /// "Signature verified", "Keys unreachable"...
    pub label: &'static str,
    /// The result in sentences: what it means, which key, from where, and why the token is
    /// still shown when the check could not say yes or no.
    pub sentences: Vec<String>,
    pub kid: Option<String>,
    pub keys_url: Option<String>,
}

impl SignatureFacts {
    pub fn of(check: &SignatureCheck) -> Self {
        let kid = check.kid.as_deref().map(|k| shown(k).into_owned());
        let keys_url = check.keys_url.as_deref().map(|u| shown(u).into_owned());
        let mut sentences = vec![sentence(&check.explanation)];
        if let Some(kid) = &kid {
            sentences.push(format!("Key id (kid): {kid}"));
        }
        if let Some(url) = &keys_url {
            sentences.push(format!("Keys from: {url}"));
        }
        if let Some(detail) = &check.detail {
            sentences.push(sentence(shown(detail)));
        }
        if check.result != Signature::Verified && check.result != Signature::Invalid {
            sentences
                .push("The token is shown anyway: the check could not say yes or no.".to_owned());
        }
        Self {
            result: check.result,
            label: signature_label(check.result),
            sentences,
            kid,
            keys_url,
        }
    }
}

/// The short name of a signature result, as on the window's badge.
pub fn signature_label(result: Signature) -> &'static str {
    match result {
        Signature::Verified => "Signature verified",
        Signature::Invalid => "Signature invalid",
        Signature::KeyNotFound => "Signing key not found",
        Signature::KeysUnreachable => "Keys unreachable",
        Signature::UnsupportedAlgorithm => "Unsupported algorithm",
        Signature::NotAJwt => "Not a JWT",
    }
}

impl AttemptFacts {
    /// The facts of `attempt`, with times and validity as of `now`.
    pub fn of(attempt: &Attempt, now: SystemTime) -> Self {
        let outcome = attempt.kind();
        let cause = read_answer(attempt);
        let headline = match (&cause, &attempt.request.username, outcome) {
            (Some(cause), _, _) => cause.headline.clone(),
            (None, Some(user), OutcomeKind::Ok) => {
                format!("{} for {}", attempt.headline(), shown(user))
            }
            (None, _, _) => attempt.headline().to_owned(),
        };
        let status = attempt
            .http_status
            .map_or_else(|| "no HTTP answer".to_owned(), |s| format!("HTTP {s}"));
        Self {
            outcome,
            headline,
            cause,
            http_status: attempt.http_status,
            elapsed_ms: attempt.elapsed_ms(),
            status: format!("{status} · {:.1} ms", attempt.elapsed_ms()),
            url: attempt.request.url.clone(),
            problem: attempt
                .outcome
                .error
                .as_ref()
                .map(|p| ProblemFacts::of(p, attempt.http_status.is_some())),
            token: token_facts(attempt, now),
            rotation: rotation(attempt),
            clock_skew: attempt.clock_skew_s().map(skew_sentence),
            request: request_facts(attempt),
        }
    }
}

fn token_facts(attempt: &Attempt, now: SystemTime) -> Option<TokenFacts> {
    let token = attempt.outcome.token.as_ref()?;
    let granted = token.granted_scope().unwrap_or("(none)");
    let asked_scope_differs = attempt
        .request
        .scope
        .as_deref()
        .filter(|asked| scope_set(asked) != scope_set(granted))
        .map(str::to_owned);
    Some(TokenFacts {
        mode: token.mode(),
        signature: attempt.signature.as_ref().map(SignatureFacts::of),
        validity: attempt.validity(now),
        owner_id: token.owner_id.as_deref().map(|o| shown(o).into_owned()),
        owner_type: token.owner_type.as_deref().map(|o| shown(o).into_owned()),
        granted_scope: shown(granted).into_owned(),
        asked_scope_differs,
        jwt: token
            .jwt
            .as_ref()
            .ok()
            .map(|jwt| JwtFacts::of(jwt, attempt.request.scope.as_deref())),
        issued_at: token.issued_at.map(utc),
        expires_at: token.expires_at.map(utc),
        expires_at_rfc3339: token.expires_at.map(crate::clock::rfc3339),
        countdown: token.seconds_left(now).map(countdown),
        seconds_left: token.seconds_left(now),
        has_refresh_token: token.refresh_token.is_some(),
    })
}

fn rotation(attempt: &Attempt) -> Option<&'static str> {
    let token = attempt.outcome.token.as_ref()?;
    Some(
        match (attempt.refresh_rotated?, token.refresh_token.is_some()) {
            (true, _) => {
                "Refresh token rotated: a new one came back, and the one sent no longer works."
            }
            (false, true) => "Refresh token not rotated: the same one came back and stays usable.",
            (false, false) => {
                "No refresh token in this answer: log in again when this token expires."
            }
        },
    )
}

fn request_facts(attempt: &Attempt) -> Vec<(&'static str, String)> {
    let request = &attempt.request;
    vec![
        ("Sent", utc(attempt.started_at)),
        ("URL", request.url.clone()),
        (
            "Grant",
            request
                .grant_type
                .clone()
                .unwrap_or_else(|| "revoke".to_owned()),
        ),
        ("Client ID", request.client_id.clone()),
        (
            "Customer",
            request
                .username
                .clone()
                .unwrap_or_else(|| "none".to_owned()),
        ),
        (
            "Scope asked",
            request
                .scope
                .clone()
                .unwrap_or_else(|| "none (market:all)".to_owned()),
        ),
        ("Body", request.encoding.content_type().to_owned()),
    ]
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::attempt::canned;
    use crate::auth::Grant;
    use crate::diagnosis::Input;

    fn login(scope: &str) -> crate::auth::RequestSummary {
        let grant = Grant::Password {
            username: "jane@example.com".to_owned(),
            password: "pw".to_owned().into(),
        };
        canned::request("http://127.0.0.1:4000", "client", grant, Some(scope))
    }

    fn answered(scope: &str, status: u16, body: &str) -> Attempt {
        canned::answered(
            login(scope),
            SystemTime::now(),
            Duration::from_millis(3),
            status,
            body,
        )
    }

    #[test]
    fn the_headline_names_the_cause_and_the_servers_words_are_labelled_as_theirs() {
        let body = r#"{"errors":[{"title":"invalid_scope","detail":"The requested scope is invalid: market:code:b2b is private to a customer group this customer is not in.","status":400}]}"#;
        let facts = AttemptFacts::of(&answered("market:code:b2b", 400, body), SystemTime::now());
        assert_eq!(facts.headline, "Market b2b is private to a customer group");
        assert_eq!(facts.cause.and_then(|c| c.at_fault), Some(Input::Scope));
        let problem = facts.problem.expect("a problem");
        assert!(
            problem
                .labelled()
                .starts_with("Server said: invalid_scope — The requested scope is invalid"),
            "{}",
            problem.labelled()
        );
    }

    #[test]
    fn words_from_this_machine_are_a_detail_not_the_servers() {
        let mut problem = Problem::new("connect", "could not talk to the server");
        problem.detail = Some("Connection refused (os error 111)".to_owned());
        let attempt = Attempt::unanswered(
            login("market:code:europe"),
            SystemTime::now(),
            Duration::from_millis(1),
            problem,
        );
        let facts = AttemptFacts::of(&attempt, SystemTime::now());
        assert_eq!(facts.headline, "The server is unreachable");
        assert_eq!(
            facts.problem.map(|p| p.labelled()).as_deref(),
            Some("Detail: connect — Connection refused (os error 111)")
        );
    }

    #[test]
    fn an_issued_token_names_the_market_asked_by_code() {
        let jwt = |claims: serde_json::Value| {
            use crate::auth::jwt::encode_part;
            format!(
                "{}.{}.{}",
                encode_part(br#"{"alg":"RS512"}"#),
                encode_part(claims.to_string().as_bytes()),
                encode_part(b"sig")
            )
        };
        let token =
            jwt(serde_json::json!({"market": {"id": ["qPmkNhRwLx"], "stock_location_ids": []}}));
        let body = serde_json::json!({"access_token": token, "scope": "market:code:b2b"});
        let facts = AttemptFacts::of(
            &answered("market:code:b2b", 200, &body.to_string()),
            SystemTime::now(),
        );
        assert_eq!(facts.headline, "Token issued for jane@example.com");
        let jwt = facts.token.and_then(|t| t.jwt).expect("jwt facts");
        assert_eq!(jwt.markets, "b2b (qPmkNhRwLx)");
    }
}
