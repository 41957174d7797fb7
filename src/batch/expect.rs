//! What a row expects to happen: `ok`, `refused`, or an error code such as `invalid_grant`.

use std::fmt;

use crate::auth::Outcome;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Expectation {
    /// A token is issued (an empty cell says this too).
    #[default]
    Ok,
    /// The server refuses, whatever its code.
    Refused,
    /// This error code (`invalid_grant`, `invalid_scope`, ...) or outcome (`rate_limited`, ...).
    Code(String),
}

/// Codes the server or the tool is known to give. Others are accepted (a server may have its
/// own) with a warning, since a typo would otherwise never match.
const KNOWN_CODES: [&str; 17] = [
    "invalid_grant",
    "invalid_client",
    "invalid_scope",
    "invalid_request",
    "unsupported_grant_type",
    "unauthorized_client",
    "invalid_assertion",
    "rate_limited",
    "timeout",
    "connect",
    "transport",
    "redirect",
    "unreadable_response",
    "server_error",
    "transport_error",
    "invalid_response",
    "redirected",
];

impl Expectation {
    /// Reads a cell: case does not matter, an empty cell means `ok`.
    pub fn parse(cell: &str) -> Result<Self, String> {
        let text = cell.trim().to_ascii_lowercase();
        match text.as_str() {
            "" | "ok" => Ok(Self::Ok),
            "refused" => Ok(Self::Refused),
            code if code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                && code.bytes().next().is_some_and(|b| b.is_ascii_lowercase()) =>
            {
                Ok(Self::Code(code.to_owned()))
            }
            _ => Err(format!(
                "`{}` is not an expectation: write ok, refused, or an error code such as invalid_grant",
                cell.trim()
            )),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Ok => "ok",
            Self::Refused => "refused",
            Self::Code(code) => code,
        }
    }

    /// Whether this is a code the tool knows, so an unknown one can be flagged as a likely typo.
    pub fn is_known(&self) -> bool {
        match self {
            Self::Ok | Self::Refused => true,
            Self::Code(code) => {
                KNOWN_CODES.contains(&code.as_str())
                    || code
                        .strip_prefix("http_")
                        .is_some_and(|s| s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()))
            }
        }
    }

    /// Matches an outcome by its name (`ok`, `refused`, `rate_limited`, ...) and error code,
    /// as written in a results row; so a kept row of a resumed run is judged like a new one.
    pub fn matches_row(&self, outcome: &str, error_code: Option<&str>) -> bool {
        match self {
            Self::Ok => outcome == "ok",
            Self::Refused => outcome == "refused",
            Self::Code(code) => {
                outcome == code || error_code.is_some_and(|c| c.eq_ignore_ascii_case(code))
            }
        }
    }

    pub fn matches(&self, outcome: &Outcome) -> bool {
        self.matches_row(
            outcome.kind.as_str(),
            outcome.error.as_ref().map(|p| p.code.as_str()),
        )
    }
}

impl fmt::Display for Expectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_expectations() {
        assert_eq!(Expectation::parse(""), Ok(Expectation::Ok));
        assert_eq!(Expectation::parse(" OK "), Ok(Expectation::Ok));
        assert_eq!(Expectation::parse("Refused"), Ok(Expectation::Refused));
        assert_eq!(
            Expectation::parse("invalid_grant"),
            Ok(Expectation::Code("invalid_grant".to_owned()))
        );
        for bad in ["invalid grant", "ok!", "_x", "1abc", "é"] {
            let err = Expectation::parse(bad).expect_err(bad);
            assert!(err.contains("is not an expectation"), "{err}");
        }
    }

    #[test]
    fn codes_match_the_error_code_or_the_outcome() {
        let grant = Expectation::Code("invalid_grant".to_owned());
        assert!(grant.matches_row("refused", Some("invalid_grant")));
        assert!(!grant.matches_row("refused", Some("invalid_scope")));
        assert!(!grant.matches_row("ok", None));
        let limited = Expectation::Code("rate_limited".to_owned());
        assert!(limited.matches_row("rate_limited", Some("TOO_MANY")));
        assert!(Expectation::Refused.matches_row("refused", Some("invalid_scope")));
        assert!(!Expectation::Refused.matches_row("not_run", None));
        assert!(!Expectation::Ok.matches_row("not_run", None));
    }

    #[test]
    fn unknown_codes_are_told_apart() {
        assert!(Expectation::Code("invalid_scope".to_owned()).is_known());
        assert!(Expectation::Code("http_502".to_owned()).is_known());
        assert!(!Expectation::Code("invalid_grnat".to_owned()).is_known());
    }
}
