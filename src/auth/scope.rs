//! Scope strings: `market:id:abc`, `stock_location:code:eu`, `store:id:x` and the legacy
//! `market:1234` form. Checked before anything is sent so a typo never costs a login attempt.

use std::fmt;

use thiserror::Error;

/// What a scope restricts the token to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeKind {
    Market,
    StockLocation,
    Store,
}

impl ScopeKind {
    pub const ALL: [ScopeKind; 3] = [
        ScopeKind::Market,
        ScopeKind::StockLocation,
        ScopeKind::Store,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ScopeKind::Market => "market",
            ScopeKind::StockLocation => "stock_location",
            ScopeKind::Store => "store",
        }
    }

    /// The words a person reads in the window.
    pub fn label(self) -> &'static str {
        match self {
            ScopeKind::Market => "market",
            ScopeKind::StockLocation => "stock location",
            ScopeKind::Store => "store",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// How the value names the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeKey {
    Id,
    Code,
}

impl ScopeKey {
    pub const ALL: [ScopeKey; 2] = [ScopeKey::Id, ScopeKey::Code];

    pub fn as_str(self) -> &'static str {
        match self {
            ScopeKey::Id => "id",
            ScopeKey::Code => "code",
        }
    }
}

/// One checked scope. `key` is `None` for the legacy numeric form (`market:1234`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub kind: ScopeKind,
    pub key: Option<ScopeKey>,
    pub value: String,
}

impl Scope {
    pub fn new(kind: ScopeKind, key: ScopeKey, value: impl Into<String>) -> Self {
        Self {
            kind,
            key: Some(key),
            value: value.into(),
        }
    }

    pub fn is_legacy(&self) -> bool {
        self.key.is_none()
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.key {
            Some(key) => write!(f, "{}:{}:{}", self.kind.as_str(), key.as_str(), self.value),
            None => write!(f, "{}:{}", self.kind.as_str(), self.value),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("scope `{scope}`: {reason}")]
pub struct ScopeError {
    pub scope: String,
    pub reason: String,
}

fn scope_error(scope: &str, reason: impl Into<String>) -> ScopeError {
    ScopeError {
        scope: scope.to_owned(),
        reason: reason.into(),
    }
}

/// Checks one scope such as `market:code:europe`.
pub fn parse_scope(text: &str) -> Result<Scope, ScopeError> {
    let mut parts = text.splitn(3, ':');
    let kind_text = parts.next().unwrap_or_default();
    let kind = ScopeKind::parse(kind_text).ok_or_else(|| {
        scope_error(
            text,
            format!("`{kind_text}` is not one of market, stock_location, store"),
        )
    })?;
    let second = parts.next().ok_or_else(|| {
        scope_error(
            text,
            format!("expected {kind_text}:id:<id> or {kind_text}:code:<code>"),
        )
    })?;
    let (key, value) = match parts.next() {
        Some(value) => {
            let key = match second {
                "id" => ScopeKey::Id,
                "code" => ScopeKey::Code,
                other => {
                    return Err(scope_error(
                        text,
                        format!("`{other}` must be `id` or `code`"),
                    ));
                }
            };
            (Some(key), value)
        }
        None if kind != ScopeKind::Store && is_legacy_number(second) => (None, second),
        None => {
            return Err(scope_error(
                text,
                format!("expected {kind_text}:id:<id> or {kind_text}:code:<code>"),
            ));
        }
    };
    check_value(text, value)?;
    Ok(Scope {
        kind,
        key,
        value: value.to_owned(),
    })
}

fn is_legacy_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn check_value(scope: &str, value: &str) -> Result<(), ScopeError> {
    if value.is_empty() {
        return Err(scope_error(scope, "the value after the last `:` is empty"));
    }
    if let Some(bad) = value
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || *c == ',' || *c == ':')
    {
        return Err(scope_error(
            scope,
            format!("the value contains {bad:?}, which no id or code has"),
        ));
    }
    Ok(())
}

/// Splits what a person typed (space- or comma-separated) into single scope strings.
pub fn split_scopes(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
}

/// Checks every scope in `items` (each item may hold several, space- or comma-separated).
pub fn parse_scopes<S: AsRef<str>>(items: &[S]) -> Result<Vec<Scope>, ScopeError> {
    items
        .iter()
        .flat_map(|item| split_scopes(item.as_ref()))
        .map(parse_scope)
        .collect()
}

/// The wire form: space-separated, as documented.
pub fn join_scopes(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(Scope::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Scopes the server granted, as a set of strings for comparing with what was asked.
/// Accepts either separator, since the server's own choice is unconfirmed.
pub fn scope_set(text: &str) -> std::collections::BTreeSet<String> {
    split_scopes(text).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_documented_forms() {
        for text in [
            "market:id:dlQbPhNNop",
            "market:code:europe",
            "stock_location:id:abc",
            "stock_location:code:eu-1",
            "store:code:milan",
        ] {
            let scope = parse_scope(text).expect(text);
            assert_eq!(scope.to_string(), text);
            assert!(!scope.is_legacy());
        }
    }

    #[test]
    fn legacy_numeric_is_accepted_and_flagged() {
        let scope = parse_scope("market:1234").expect("legacy");
        assert!(scope.is_legacy());
        assert_eq!(scope.to_string(), "market:1234");
        assert!(
            parse_scope("store:1234").is_err(),
            "store never had a legacy form"
        );
    }

    #[test]
    fn rejects_malformed_and_names_the_bad_part() {
        let err = parse_scope("markt:id:1").expect_err("kind");
        assert!(err.to_string().contains("`markt`"), "{err}");
        let err = parse_scope("market:name:eu").expect_err("key");
        assert!(err.to_string().contains("`name`"), "{err}");
        assert!(parse_scope("market:id:").is_err());
        assert!(parse_scope("market").is_err());
        assert!(parse_scope("market:abc").is_err());
        assert!(parse_scope("market:id:a:b").is_err());
    }

    #[test]
    fn splits_on_spaces_and_commas_and_joins_with_space() {
        let scopes =
            parse_scopes(&["market:code:eu, stock_location:id:x", "store:id:s"]).expect("ok");
        assert_eq!(
            join_scopes(&scopes),
            "market:code:eu stock_location:id:x store:id:s"
        );
    }
}
