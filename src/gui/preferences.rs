//! What the window remembers between runs (eframe persistence): nothing secret, no client ID,
//! no customer. Everything else the window holds lives only as long as it runs.

use serde::{Deserialize, Serialize};

use crate::auth::request::DEFAULT_TIMEOUT;
use crate::auth::url::DEFAULT_BASE_URL;
use crate::auth::Encoding;

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
    /// Keep each attempt between sessions, as a redacted report. Off unless chosen: nothing
    /// about a customer is written to disk behind the user's back.
    pub keep_history: bool,
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
            keep_history: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoking_when_done_is_off_unless_chosen_also_for_older_saved_preferences() {
        assert!(!Preferences::default().revoke_when_done);
        let saved: Preferences =
            serde_json::from_str(r#"{"base_url":"https://auth.commercelayer.io"}"#).expect("prefs");
        assert!(!saved.revoke_when_done);
    }

    #[test]
    fn keeping_history_is_off_unless_chosen_also_for_older_saved_preferences() {
        assert!(!Preferences::default().keep_history);
        let saved: Preferences =
            serde_json::from_str(r#"{"base_url":"https://auth.commercelayer.io"}"#).expect("prefs");
        assert!(!saved.keep_history);
    }
}
