//! Classifying what came back: one outcome, with the decoded token or the explained problem.

use std::time::{Duration, SystemTime};

use serde::Serialize;
use serde_json::Value;

use super::error_body::decode_error;
use super::excerpt::excerpt;
use super::explain;
use super::request::{Endpoint, RequestSummary};
use super::token::{decode_issued, Issued};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    Ok,
    Refused,
    RateLimited,
    ServerError,
    TransportError,
    InvalidResponse,
    Redirected,
}

impl OutcomeKind {
    pub const ALL: [OutcomeKind; 7] = [
        OutcomeKind::Ok,
        OutcomeKind::Refused,
        OutcomeKind::RateLimited,
        OutcomeKind::ServerError,
        OutcomeKind::TransportError,
        OutcomeKind::InvalidResponse,
        OutcomeKind::Redirected,
    ];

    /// The kind [`OutcomeKind::as_str`] names (a report read back from the history).
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Ok => "ok",
            OutcomeKind::Refused => "refused",
            OutcomeKind::RateLimited => "rate_limited",
            OutcomeKind::ServerError => "server_error",
            OutcomeKind::TransportError => "transport_error",
            OutcomeKind::InvalidResponse => "invalid_response",
            OutcomeKind::Redirected => "redirected",
        }
    }

    /// A short headline for people.
    pub fn headline(self) -> &'static str {
        match self {
            OutcomeKind::Ok => "Token issued",
            OutcomeKind::Refused => "Refused by the server",
            OutcomeKind::RateLimited => "Rate limited",
            OutcomeKind::ServerError => "Server problem",
            OutcomeKind::TransportError => "Network problem",
            OutcomeKind::InvalidResponse => "Unreadable answer",
            OutcomeKind::Redirected => "Redirected (not followed)",
        }
    }
}

/// What went wrong, in the server's words and in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub code: String,
    pub title: Option<String>,
    pub detail: Option<String>,
    pub explanation: String,
    pub retry_after_s: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// A short, escaped excerpt of a body that could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
}

impl Problem {
    pub fn new(code: impl Into<String>, explanation: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            title: None,
            detail: None,
            explanation: explanation.into(),
            retry_after_s: None,
            location: None,
            excerpt: None,
        }
    }

    /// The server's own words beyond its error code: the title and the detail, each said once
    /// and neither when it only repeats the code.
    pub fn server_words(&self) -> Vec<&str> {
        let mut words: Vec<&str> = Vec::new();
        for word in [self.title.as_deref(), self.detail.as_deref()]
            .into_iter()
            .flatten()
        {
            if word != self.code && !words.contains(&word) {
                words.push(word);
            }
        }
        words
    }
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub kind: OutcomeKind,
    pub token: Option<Issued>,
    pub error: Option<Problem>,
}

impl Outcome {
    pub fn problem(kind: OutcomeKind, problem: Problem) -> Self {
        Self {
            kind,
            token: None,
            error: Some(problem),
        }
    }
}

/// One HTTP answer as the transport read it.
#[derive(Debug, Clone, Copy)]
pub struct HttpAnswer<'a> {
    pub status: u16,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    /// The body was longer than the transport's cap and was cut off.
    pub truncated: bool,
}

impl HttpAnswer<'_> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// `Retry-After` as seconds (delta form or HTTP date).
pub fn retry_after(value: &str, now: SystemTime) -> Option<u64> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(secs);
    }
    let at = humantime::parse_rfc3339_weak(value)
        .ok()
        .or_else(|| httpdate(value))?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO).as_secs())
}

fn httpdate(value: &str) -> Option<SystemTime> {
    // "Sun, 06 Nov 1994 08:49:37 GMT" -> "1994-11-06 08:49:37"
    let mut parts = value.split_whitespace().skip(1);
    let (day, month, year, time) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == month)? + 1;
    humantime::parse_rfc3339_weak(&format!("{year}-{month:02}-{day:0>2} {time}")).ok()
}

/// The server's clock, from its `Date` header.
pub fn server_date(answer: &HttpAnswer<'_>) -> Option<SystemTime> {
    answer.header("date").and_then(httpdate)
}

fn unreadable(answer: &HttpAnswer<'_>, why: &str) -> Outcome {
    let mut problem = Problem::new(
        "unreadable_response",
        explain::unreadable(answer.status, why),
    );
    problem.excerpt = Some(excerpt(answer.body));
    Outcome::problem(OutcomeKind::InvalidResponse, problem)
}

fn problem_from_body(
    code_fallback: &str,
    body: &Value,
    explanation: impl FnOnce(&str, Option<&str>) -> String,
) -> Problem {
    match decode_error(body) {
        Some(e) => {
            let mut p = Problem::new(e.code.clone(), explanation(&e.code, e.detail.as_deref()));
            p.title = e.title;
            p.detail = e.detail;
            p
        }
        None => Problem::new(code_fallback, explanation(code_fallback, None)),
    }
}

/// Why the server said no to what was asked, in plain words.
fn refusal_words(asked: &RequestSummary, code: &str, detail: Option<&str>) -> String {
    match asked.endpoint {
        Endpoint::Token => explain::refusal(
            code,
            asked.grant_type.as_deref().unwrap_or_default(),
            detail,
        ),
        Endpoint::Revoke => explain::revocation_refusal(code),
    }
}

fn revoked() -> Outcome {
    Outcome {
        kind: OutcomeKind::Ok,
        token: None,
        error: None,
    }
}

/// Reads the body, not just the status (Commerce Layer's own JS library never checks the status).
/// A token request succeeds with an `access_token`; a revocation with `{}` or an empty 2xx body
/// (RFC 7009).
pub fn classify(
    answer: &HttpAnswer<'_>,
    asked: &RequestSummary,
    received_at: SystemTime,
) -> Outcome {
    let status = answer.status;
    let success = (200..300).contains(&status);
    if (300..400).contains(&status) {
        let location = answer.header("location").map(str::to_owned);
        let mut problem =
            Problem::new("redirect", explain::redirected(status, location.as_deref()));
        problem.location = location;
        return Outcome::problem(OutcomeKind::Redirected, problem);
    }
    if status == 429 {
        let retry = answer
            .header("retry-after")
            .and_then(|v| retry_after(v, received_at));
        let body = serde_json::from_slice::<Value>(answer.body).unwrap_or(Value::Null);
        let mut problem =
            problem_from_body("rate_limited", &body, |_, _| explain::rate_limited(retry));
        problem.retry_after_s = retry;
        return Outcome::problem(OutcomeKind::RateLimited, problem);
    }
    if answer.truncated {
        return unreadable(answer, "the body is over 1 MiB and was cut off");
    }
    let body = match std::str::from_utf8(answer.body) {
        Err(_) => return unreadable(answer, "the body is not valid UTF-8"),
        Ok(text) if text.trim().is_empty() && status >= 500 => {
            return Outcome::problem(
                OutcomeKind::ServerError,
                Problem::new(format!("http_{status}"), explain::server_error(status)),
            );
        }
        Ok(text) if text.trim().is_empty() && success && asked.endpoint == Endpoint::Revoke => {
            return revoked();
        }
        Ok(text) if text.trim().is_empty() => return unreadable(answer, "the body is empty"),
        Ok(text) => match serde_json::from_str::<Value>(text) {
            Ok(value @ Value::Object(_)) => value,
            Ok(_) if status >= 500 => return server_failure(answer),
            Ok(_) => return unreadable(answer, "the body is JSON but not an object"),
            Err(_) if status >= 500 => return server_failure(answer),
            Err(e) => return unreadable(answer, &not_json(&e)),
        },
    };
    if status >= 500 {
        let problem = problem_from_body(&format!("http_{status}"), &body, |_, _| {
            explain::server_error(status)
        });
        return Outcome::problem(OutcomeKind::ServerError, problem);
    }
    if success && asked.endpoint == Endpoint::Token {
        if let Some(issued) = decode_issued(body.clone(), received_at) {
            return Outcome {
                kind: OutcomeKind::Ok,
                token: Some(issued),
                error: None,
            };
        }
    }
    if decode_error(&body).is_some() {
        let problem = problem_from_body("refused", &body, |code, detail| {
            refusal_words(asked, code, detail)
        });
        return Outcome::problem(OutcomeKind::Refused, problem);
    }
    if success {
        return match asked.endpoint {
            Endpoint::Token => unreadable(answer, "the JSON has no access_token"),
            Endpoint::Revoke => revoked(),
        };
    }
    unreadable(answer, "the JSON carries no error the tool recognizes")
}

/// Why a body is not JSON this tool can read: nesting past the parser's limit says so, since
/// such a body is JSON, only hostile.
fn not_json(error: &serde_json::Error) -> String {
    if error.to_string().starts_with("recursion limit exceeded") {
        format!("the body is JSON nested deeper than {JSON_DEPTH_LIMIT} levels, deeper than any real answer")
    } else {
        "the body is not JSON".to_owned()
    }
}

/// serde_json's nesting limit.
const JSON_DEPTH_LIMIT: usize = 128;

fn server_failure(answer: &HttpAnswer<'_>) -> Outcome {
    let mut problem = Problem::new(
        format!("http_{}", answer.status),
        explain::server_error(answer.status),
    );
    problem.excerpt = Some(excerpt(answer.body));
    Outcome::problem(OutcomeKind::ServerError, problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_is_read_back_from_its_name_and_nothing_else() {
        for kind in OutcomeKind::ALL {
            assert_eq!(OutcomeKind::named(kind.as_str()), Some(kind));
        }
        assert_eq!(OutcomeKind::named("OK"), None);
        assert_eq!(OutcomeKind::named(""), None);
    }

    #[test]
    fn the_server_words_say_each_thing_once_and_not_the_code_again() {
        let mut problem = Problem::new("invalid_grant", "plain words");
        assert!(problem.server_words().is_empty());
        problem.title = Some("invalid_grant".to_owned());
        problem.detail = Some("The provided grant is invalid".to_owned());
        assert_eq!(problem.server_words(), ["The provided grant is invalid"]);
        problem.title = Some("The provided grant is invalid".to_owned());
        assert_eq!(problem.server_words(), ["The provided grant is invalid"]);
        problem.title = Some("Unauthorized".to_owned());
        assert_eq!(
            problem.server_words(),
            ["Unauthorized", "The provided grant is invalid"]
        );
    }

    fn asked(endpoint: Endpoint) -> RequestSummary {
        RequestSummary {
            endpoint,
            url: "https://auth.commercelayer.io/oauth/token".to_owned(),
            grant_type: (endpoint == Endpoint::Token).then(|| "password".to_owned()),
            client_id: "abc".to_owned(),
            username: None,
            scope: None,
            encoding: super::super::Encoding::Json,
        }
    }

    fn answer_to(
        endpoint: Endpoint,
        status: u16,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Outcome {
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
        classify(
            &HttpAnswer {
                status,
                headers: &headers,
                body,
                truncated: false,
            },
            &asked(endpoint),
            SystemTime::now(),
        )
    }

    fn run(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Outcome {
        answer_to(Endpoint::Token, status, headers, body)
    }

    #[test]
    fn a_revocation_succeeds_with_an_empty_object_or_body() {
        for body in [&b"{}"[..], b"", b"  "] {
            let o = answer_to(Endpoint::Revoke, 200, &[], body);
            assert_eq!(o.kind, OutcomeKind::Ok, "{body:?}");
            assert!(o.token.is_none());
        }
        assert_eq!(
            run(200, &[], b"{}").kind,
            OutcomeKind::InvalidResponse,
            "a token request needs a token"
        );
    }

    #[test]
    fn a_refused_revocation_is_explained_as_one() {
        let o = answer_to(
            Endpoint::Revoke,
            403,
            &[],
            br#"{"errors":[{"title":"unauthorized_client","code":"FORBIDDEN","status":403}]}"#,
        );
        assert_eq!(o.kind, OutcomeKind::Refused);
        let p = o.error.expect("problem");
        assert_eq!(p.code, "unauthorized_client");
        assert!(p.explanation.contains("revoke"), "{}", p.explanation);
    }

    #[test]
    fn success_with_token() {
        let o = run(200, &[], br#"{"access_token":"abc","scope":"market:all"}"#);
        assert_eq!(o.kind, OutcomeKind::Ok);
    }

    #[test]
    fn error_in_a_200_body_is_a_refusal() {
        let o = run(200, &[], br#"{"errors":[{"title":"invalid_grant"}]}"#);
        assert_eq!(o.kind, OutcomeKind::Refused);
    }

    #[test]
    fn refusal_is_explained() {
        let o = run(
            401,
            &[],
            br#"{"errors":[{"title":"invalid_client","code":"UNAUTHORIZED","status":401}]}"#,
        );
        assert_eq!(o.kind, OutcomeKind::Refused);
        let p = o.error.expect("problem");
        assert_eq!(p.code, "invalid_client");
        assert!(p.explanation.contains("client ID"));
    }

    #[test]
    fn html_502_is_a_server_error_with_excerpt() {
        let o = run(502, &[], b"<html><body>Bad Gateway</body></html>");
        assert_eq!(o.kind, OutcomeKind::ServerError);
        assert!(o
            .error
            .and_then(|p| p.excerpt)
            .expect("excerpt")
            .contains("Bad Gateway"));
    }

    #[test]
    fn invalid_utf8_and_plain_text_are_unreadable() {
        assert_eq!(
            run(200, &[], b"\xff\xfe{").kind,
            OutcomeKind::InvalidResponse
        );
        assert_eq!(run(200, &[], b"OK").kind, OutcomeKind::InvalidResponse);
        assert_eq!(
            run(404, &[], b"not found").kind,
            OutcomeKind::InvalidResponse
        );
        assert_eq!(run(200, &[], b"").kind, OutcomeKind::InvalidResponse);
    }

    #[test]
    fn rate_limit_reads_retry_after() {
        let o = run(429, &[("Retry-After", "7")], b"");
        assert_eq!(o.kind, OutcomeKind::RateLimited);
        let p = o.error.expect("problem");
        assert_eq!(p.retry_after_s, Some(7));
        assert!(p.explanation.contains("7 seconds"));
    }

    #[test]
    fn json_nested_past_the_limit_says_so() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let o = run(200, &[], deep.as_bytes());
        assert_eq!(o.kind, OutcomeKind::InvalidResponse);
        let why = o.error.expect("problem").explanation;
        assert!(why.contains("nested deeper than 128 levels"), "{why}");
    }

    #[test]
    fn redirect_reports_location() {
        let o = run(307, &[("location", "https://elsewhere/")], b"");
        assert_eq!(o.kind, OutcomeKind::Redirected);
        assert_eq!(
            o.error.and_then(|p| p.location).as_deref(),
            Some("https://elsewhere/")
        );
    }

    #[test]
    fn http_dates_parse() {
        let at = httpdate("Sun, 06 Nov 1994 08:49:37 GMT").expect("date");
        assert_eq!(
            humantime::format_rfc3339_seconds(at).to_string(),
            "1994-11-06T08:49:37Z"
        );
    }
}
