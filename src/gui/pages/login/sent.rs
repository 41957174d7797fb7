//! What the answer shown was asked with, so the window never passes an old answer off as the
//! answer to what the form says now: a support engineer who changed the scope and reads the
//! previous refusal would blame the wrong input.

use super::Form;
use crate::auth::scope::split_scopes;
use crate::gui::preferences::Preferences;

/// The inputs a login was sent with, as the person would compare them: trimmed, scopes in
/// order without the separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    client_id: String,
    email: String,
    scopes: Vec<String>,
    base_url: String,
}

impl Sent {
    pub fn of(form: &Form, prefs: &Preferences) -> Self {
        Self {
            client_id: form.client_id.trim().to_owned(),
            email: form.email.trim().to_owned(),
            scopes: split_scopes(&prefs.scope_text).map(str::to_owned).collect(),
            base_url: prefs.base_url.trim().trim_end_matches('/').to_owned(),
        }
    }
}

/// Why the answer shown may not be the answer to the form as it is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stale {
    /// A new login waits for its answer.
    Waiting,
    /// The login sent after it was cancelled: this answer is the one before.
    Cancelled,
    /// Client ID, email, scope or base URL differ from what was sent.
    InputsChanged,
}

impl Stale {
    pub fn of(
        sent: Option<&Sent>,
        waiting: bool,
        cancelled: bool,
        form: &Form,
        prefs: &Preferences,
    ) -> Option<Self> {
        if waiting {
            Some(Stale::Waiting)
        } else if cancelled {
            Some(Stale::Cancelled)
        } else if sent.is_some_and(|sent| *sent != Sent::of(form, prefs)) {
            Some(Stale::InputsChanged)
        } else {
            None
        }
    }

    pub fn explanation(self) -> &'static str {
        match self {
            Stale::Waiting => "A new request is waiting: this answer is from the one before.",
            Stale::Cancelled => {
                "The last request was cancelled: this answer is from the one before."
            }
            Stale::InputsChanged => {
                "Inputs changed since this answer: press Get token to see the answer to the form as it is."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(client_id: &str, email: &str) -> Form {
        let mut form = Form::default();
        form.client_id = client_id.to_owned();
        form.email = email.to_owned();
        form
    }

    #[test]
    fn spacing_is_not_a_change_but_each_input_is() {
        let mut prefs = Preferences {
            scope_text: "market:code:eu".to_owned(),
            ..Preferences::default()
        };
        let sent = Sent::of(&form("abc", "jane@example.com"), &prefs);
        let stale =
            |form: &Form, prefs: &Preferences| Stale::of(Some(&sent), false, false, form, prefs);
        assert_eq!(stale(&form(" abc ", "jane@example.com "), &prefs), None);
        assert_eq!(
            stale(&form("abd", "jane@example.com"), &prefs),
            Some(Stale::InputsChanged)
        );
        assert_eq!(
            stale(&form("abc", "john@example.com"), &prefs),
            Some(Stale::InputsChanged)
        );
        prefs.scope_text = "market:code:b2b".to_owned();
        assert_eq!(
            stale(&form("abc", "jane@example.com"), &prefs),
            Some(Stale::InputsChanged)
        );
        prefs.scope_text = "market:code:eu".to_owned();
        prefs.base_url = "https://auth.example.com".to_owned();
        assert_eq!(
            stale(&form("abc", "jane@example.com"), &prefs),
            Some(Stale::InputsChanged)
        );
    }

    #[test]
    fn waiting_and_cancelled_win_and_a_picture_without_a_login_is_never_stale() {
        let prefs = Preferences::default();
        let f = form("abc", "jane@example.com");
        assert_eq!(Stale::of(None, false, false, &f, &prefs), None);
        assert_eq!(
            Stale::of(None, true, false, &f, &prefs),
            Some(Stale::Waiting)
        );
        assert_eq!(
            Stale::of(None, false, true, &f, &prefs),
            Some(Stale::Cancelled)
        );
    }
}
