//! Plain data the views read and edit. Only [`Preferences`] is persisted; passwords, tokens and
//! client IDs never are.

use std::time::Duration;

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::auth::request::DEFAULT_TIMEOUT;
use crate::auth::scope::{split_scopes, ScopeKey, ScopeKind};
use crate::auth::url::DEFAULT_BASE_URL;
use crate::auth::{Encoding, Grant, InputError, RequestDraft, Required};

/// What survives a restart (eframe persistence). Nothing secret, no client ID, no customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    pub base_url: String,
    pub scope_text: String,
    pub encoding: Encoding,
    pub timeout_secs: u64,
    pub clear_password_after_attempt: bool,
    pub clear_clipboard_after_30s: bool,
    /// Revoke the previous customer token when a new login starts and the current one when the
    /// window closes. Off unless chosen: nothing is revoked behind the user's back.
    pub revoke_when_done: bool,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            scope_text: String::new(),
            encoding: Encoding::Json,
            timeout_secs: DEFAULT_TIMEOUT.as_secs(),
            clear_password_after_attempt: false,
            clear_clipboard_after_30s: true,
            revoke_when_done: false,
        }
    }
}

/// One row of the scope builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeRow {
    pub kind: ScopeKind,
    pub key: ScopeKey,
    pub value: String,
}

impl ScopeRow {
    fn text(&self) -> String {
        format!(
            "{}:{}:{}",
            self.kind.as_str(),
            self.key.as_str(),
            self.value.trim()
        )
    }
}

/// The builder's rows read from scope text, leniently (a value may still be empty), or `None`
/// when some part does not fit a row (legacy or malformed): then it is edited as text.
pub fn rows_from_text(text: &str) -> Option<Vec<ScopeRow>> {
    split_scopes(text)
        .map(|part| {
            let mut pieces = part.splitn(3, ':');
            let (kind, key) = (pieces.next()?, pieces.next()?);
            let kind = ScopeKind::ALL.into_iter().find(|k| k.as_str() == kind)?;
            let key = ScopeKey::ALL.into_iter().find(|k| k.as_str() == key)?;
            Some(ScopeRow {
                kind,
                key,
                value: pieces.next()?.to_owned(),
            })
        })
        .collect()
}

pub fn text_from_rows(rows: &[ScopeRow]) -> String {
    rows.iter()
        .map(ScopeRow::text)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where a validation message belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    ClientId,
    Email,
    Password,
    Scope,
    BaseUrl,
    Timeout,
}

/// The message next to one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

impl FieldError {
    pub fn from_input(error: &InputError) -> Self {
        let field = match error {
            InputError::Empty(Required::ClientId) => Field::ClientId,
            InputError::Empty(Required::Email) => Field::Email,
            InputError::Empty(Required::Password) => Field::Password,
            InputError::Scope(_) => Field::Scope,
            InputError::BadTimeout => Field::Timeout,
            InputError::Empty(Required::BaseUrl | Required::RefreshToken | Required::Token)
            | InputError::BadUrl { .. }
            | InputError::InsecureUrl(_)
            | InputError::UnsupportedScheme(_) => Field::BaseUrl,
        };
        Self {
            field,
            message: error.to_string(),
        }
    }
}

/// The login form as typed.
#[derive(Default)]
pub struct Form {
    pub client_id: String,
    pub email: String,
    /// Zeroized when replaced or dropped.
    pub password: Zeroizing<String>,
    pub reveal_password: bool,
    pub include_password_in_curl: bool,
    pub error: Option<FieldError>,
}

impl Form {
    pub fn error_for(&self, field: Field) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// The same draft the CLI builds from its flags, so the same rules apply.
    pub fn draft<'a>(&'a self, prefs: &'a Preferences, scopes: &'a [String]) -> RequestDraft<'a> {
        RequestDraft {
            base_url: &prefs.base_url,
            client_id: &self.client_id,
            grant: Grant::Password {
                username: self.email.clone(),
                password: SecretString::from(self.password.as_str().to_owned()),
            },
            scopes,
            check_scopes: true,
            encoding: prefs.encoding,
            timeout: Duration::from_secs(prefs.timeout_secs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip_and_tolerate_empty_values() {
        let rows = rows_from_text("market:code:eu, stock_location:id:").expect("rows");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].value, "");
        assert_eq!(text_from_rows(&rows), "market:code:eu stock_location:id:");
        assert!(rows_from_text("market:1234").is_none());
        assert_eq!(rows_from_text(""), Some(vec![]));
    }

    #[test]
    fn revoking_when_done_is_off_unless_chosen_also_for_older_saved_preferences() {
        assert!(!Preferences::default().revoke_when_done);
        let saved: Preferences =
            serde_json::from_str(r#"{"base_url":"https://auth.commercelayer.io"}"#).expect("prefs");
        assert!(!saved.revoke_when_done);
    }
}
