//! The token's life in the window: refresh and revoke as operations (one at a time, like a
//! login and Diagnose), and "Revoke tokens when I'm done", which revokes in the background when
//! a new login starts and, with a bounded wait, when the window closes.

use std::time::Duration;

use super::diagnose::settled_at_once;
use super::LoginPage;
use crate::attempt::follow_up::{refresh_request, revoke_request};
use crate::attempt::Attempt;
use crate::attempt::TokenKind;
use crate::auth::{InputError, OutcomeKind};
use crate::diagnosis::{Diagnosis, Probe};
use crate::gui::pages::history::HistoryPage;
use crate::gui::preferences::Preferences;
use crate::gui::profiles::Profiles;
use crate::gui::widgets::Note;

/// The most closing the window waits for "Revoke tokens when I'm done". eframe has no hook after
/// `on_exit` and the runtime ends with the process, so the revocations must finish inside it;
/// a slow or unreachable auth host must not keep a closed window's process alive for long.
const EXIT_WAIT: Duration = Duration::from_secs(2);

/// What the one running operation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Login,
    Refresh,
    Revoke(TokenKind),
    Diagnose,
}

impl Operation {
    /// What the window says while it runs.
    pub fn waiting(self) -> &'static str {
        match self {
            Operation::Login => "Logging in…",
            Operation::Refresh => "Refreshing the token…",
            Operation::Revoke(TokenKind::Access) => "Revoking the access token…",
            Operation::Revoke(TokenKind::Refresh) => "Revoking the refresh token…",
            Operation::Diagnose => "Diagnosing…",
        }
    }
}

/// What an operation, or a background revocation, brought back.
pub enum Finished {
    LoggedIn(Attempt),
    Refreshed(Attempt),
    Revoked(TokenKind, Attempt),
    /// One of Diagnose's requests, as it comes.
    Probed(Probe, Attempt),
    /// Diagnose's verdict.
    Diagnosed(Box<Diagnosis>),
    /// "Revoke tokens when I'm done" revoked tokens in the background: lines to show.
    CleanedUp(Vec<Note>),
}

/// Whose tokens a background revocation was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cleanup {
    /// The login before the one just started.
    PreviousLogin,
    /// The access token a refresh replaced.
    ReplacedByRefresh,
}

/// The last customer token the window received and which of its tokens may still work: what
/// "Revoke tokens when I'm done" revokes. Kept in memory only, like every token.
pub struct Held {
    attempt: Attempt,
    live: Vec<TokenKind>,
}

impl Held {
    /// The tokens an answer issued, if it issued any.
    pub fn of(attempt: &Attempt) -> Option<Self> {
        let token = attempt.outcome.token.as_ref()?;
        let live = TokenKind::BOTH
            .into_iter()
            .filter(|kind| *kind == TokenKind::Access || token.refresh_token.is_some())
            .collect();
        Some(Self {
            attempt: attempt.clone(),
            live,
        })
    }

    fn access_token(&self) -> Option<&str> {
        access_token(&self.attempt)
    }
}

/// `The previous login's refresh token`, `The access token the refresh replaced`, ...
fn subject(kind: TokenKind, whose: Option<Cleanup>) -> String {
    match whose {
        None => format!("The {}", kind.name()),
        Some(Cleanup::PreviousLogin) => format!("The previous login's {}", kind.name()),
        Some(Cleanup::ReplacedByRefresh) => format!("The {} the refresh replaced", kind.name()),
    }
}

/// One revocation in a line: revoked, or why not.
pub fn revocation_note(kind: TokenKind, attempt: &Attempt, whose: Option<Cleanup>) -> Note {
    let subject = subject(kind, whose);
    let setting = if whose.is_some() {
        " (Revoke tokens when I'm done)"
    } else {
        ""
    };
    if attempt.kind() == OutcomeKind::Ok {
        return Note {
            ok: true,
            text: format!("{subject} is revoked{setting}: the auth server no longer accepts it."),
        };
    }
    let why = attempt
        .outcome
        .error
        .as_ref()
        .map_or(attempt.headline(), |p| p.explanation.as_str());
    let status = attempt
        .http_status
        .map_or_else(|| "no HTTP answer".to_owned(), |s| format!("HTTP {s}"));
    Note {
        ok: false,
        text: format!("{subject} was NOT revoked{setting} ({status}): {why}"),
    }
}

fn cleanup_notes(
    whose: Cleanup,
    result: Result<Vec<(TokenKind, Attempt)>, InputError>,
) -> Vec<Note> {
    match result {
        Ok(done) => done
            .iter()
            .map(|(kind, attempt)| revocation_note(*kind, attempt, Some(whose)))
            .collect(),
        Err(e) => vec![Note {
            ok: false,
            text: format!("Could not revoke {}: {e}", subject_lower(whose)),
        }],
    }
}

fn subject_lower(whose: Cleanup) -> &'static str {
    match whose {
        Cleanup::PreviousLogin => "the previous login's tokens",
        Cleanup::ReplacedByRefresh => "the access token the refresh replaced",
    }
}

impl LoginPage {
    /// Sends the refresh_token grant for the answer shown, with its original scope.
    pub(super) fn refresh(&mut self, prefs: &Preferences) {
        let Some(attempt) = &self.answer else {
            return;
        };
        let request = match refresh_request(attempt, follow_up_timeout(prefs)) {
            None => return,
            Some(Err(e)) => {
                self.notice = Some(format!("Cannot refresh: {e}"));
                return;
            }
            Some(Ok(request)) => request,
        };
        let auth_host = self.auth_host.clone();
        self.start(Operation::Refresh, async move {
            Finished::Refreshed(auth_host.token(&request).await)
        });
    }

    /// Revokes one of the shown answer's tokens.
    pub(super) fn revoke(&mut self, kind: TokenKind, prefs: &Preferences) {
        let Some(attempt) = &self.answer else {
            return;
        };
        let request = match revoke_request(attempt, kind, follow_up_timeout(prefs)) {
            None => return,
            Some(Err(e)) => {
                self.notice = Some(format!("Cannot revoke the {}: {e}", kind.name()));
                return;
            }
            Some(Ok(request)) => request,
        };
        let auth_host = self.auth_host.clone();
        self.start(Operation::Revoke(kind), async move {
            Finished::Revoked(kind, auth_host.revoke(&request).await)
        });
    }

    /// Applies what the running operation (or a background revocation) brought back. Every
    /// token request's answer joins the history (Diagnose's probes too); revocations are lines
    /// above the answer.
    pub(super) fn finish(
        &mut self,
        finished: Finished,
        prefs: &Preferences,
        profiles: &mut Profiles,
        history: &mut HistoryPage,
    ) {
        match finished {
            Finished::LoggedIn(attempt) => {
                profiles.record_mode(&attempt);
                history.record(&attempt, profiles.selected_profile(), prefs);
                self.sent = self.sending.take();
                self.cancelled = false;
                self.show_attempt(attempt, prefs);
            }
            Finished::Refreshed(attempt) => {
                history.record(&attempt, profiles.selected_profile(), prefs);
                self.show_refreshed(attempt, prefs);
            }
            Finished::Revoked(kind, attempt) => {
                if attempt.kind() == OutcomeKind::Ok {
                    let shown = self.answer.as_ref().and_then(access_token);
                    if let Some(held) = &mut self.held {
                        if held.access_token() == shown {
                            held.live.retain(|k| *k != kind);
                        }
                    }
                }
                self.notes.push(revocation_note(kind, &attempt, None));
            }
            Finished::Probed(probe, answer) => {
                history.record(&answer, profiles.selected_profile(), prefs);
                self.probed(probe, answer);
            }
            Finished::Diagnosed(diagnosis) => self.diagnosed(diagnosis),
            Finished::CleanedUp(notes) => self.notes.extend(notes),
        }
    }

    /// A refresh replaces the answer shown, refused or not; a new token also replaces the held
    /// one, and with "Revoke tokens when I'm done" the access token it replaced is revoked (the
    /// refresh token is not: unrotated, it is the one still in use).
    fn show_refreshed(&mut self, attempt: Attempt, prefs: &Preferences) {
        if let Some(new) = Held::of(&attempt) {
            if let Some(old) = self.held.replace(new) {
                let replaced = old.access_token() != access_token(&attempt);
                if prefs.revoke_when_done && replaced && old.live.contains(&TokenKind::Access) {
                    self.revoke_in_background(
                        old,
                        vec![TokenKind::Access],
                        Cleanup::ReplacedByRefresh,
                        prefs,
                    );
                }
            }
        }
        self.notice = None;
        self.diagnose = settled_at_once(&attempt);
        self.answer = Some(attempt);
    }

    /// With "Revoke tokens when I'm done", a new login first revokes the previous one's tokens,
    /// in the background: the login does not wait for it.
    pub(super) fn revoke_previous_login(&mut self, prefs: &Preferences) {
        if !prefs.revoke_when_done {
            return;
        }
        if let Some(held) = self.held.take() {
            let kinds = held.live.clone();
            if !kinds.is_empty() {
                self.revoke_in_background(held, kinds, Cleanup::PreviousLogin, prefs);
            }
        }
    }

    /// Not an operation: it neither waits for nor replaces the one running.
    fn revoke_in_background(
        &mut self,
        held: Held,
        kinds: Vec<TokenKind>,
        whose: Cleanup,
        prefs: &Preferences,
    ) {
        let auth_host = self.auth_host.clone();
        let timeout = follow_up_timeout(prefs);
        let label = format!("Revoking {}", subject_lower(whose));
        self.tasks.detach(label, async move {
            let result = auth_host
                .revoke_issued(&held.attempt, &kinds, timeout)
                .await;
            drop(held);
            Finished::CleanedUp(cleanup_notes(whose, result))
        });
    }

    /// Closing the window with "Revoke tokens when I'm done": revokes the held tokens, waiting
    /// at most [`EXIT_WAIT`]. Nothing is left to show a result in, so none is shown.
    pub fn revoke_on_exit(&mut self, prefs: &Preferences) {
        if prefs.revoke_when_done {
            self.revoke_held_now();
        }
    }

    /// The customer token still held is a live one, not revoked and not expired by this
    /// machine's clock, and nothing will revoke it when the window closes: closing deserves a
    /// reminder.
    pub fn live_token_left(&self, prefs: &Preferences, now: std::time::SystemTime) -> bool {
        let Some(held) = &self.held else {
            return false;
        };
        let Some(token) = held.attempt.outcome.token.as_ref() else {
            return false;
        };
        !prefs.revoke_when_done
            && !held.live.is_empty()
            && token.mode() == Some(crate::auth::Mode::Live)
            && token.seconds_left(now).is_none_or(|left| left > 0)
    }

    /// Revokes the customer token still held (access and refresh), waiting at most
    /// `EXIT_WAIT`: the window is closing.
    pub fn revoke_held_now(&mut self) {
        let Some(held) = self.held.take() else {
            return;
        };
        if held.live.is_empty() {
            return;
        }
        let auth_host = &self.auth_host;
        // The timer is made inside the runtime: this thread is not one of its workers.
        let _ = self.tasks.runtime().block_on(async {
            tokio::time::timeout(
                EXIT_WAIT,
                auth_host.revoke_issued(&held.attempt, &held.live, EXIT_WAIT),
            )
            .await
        });
    }
}

pub fn follow_up_timeout(prefs: &Preferences) -> Duration {
    Duration::from_secs(prefs.timeout_secs)
}

fn access_token(attempt: &Attempt) -> Option<&str> {
    Some(&attempt.outcome.token.as_ref()?.access_token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::outcome::HttpAnswer;
    use crate::auth::{Encoding, Endpoint, RequestSummary};
    use std::time::SystemTime;

    fn revocation(status: u16, body: &str) -> Attempt {
        let request = RequestSummary {
            endpoint: Endpoint::Revoke,
            url: "https://auth.commercelayer.io/oauth/revoke".to_owned(),
            grant_type: None,
            client_id: "abc".to_owned(),
            username: None,
            scope: None,
            encoding: Encoding::Json,
        };
        Attempt::answered(
            request,
            SystemTime::now(),
            Duration::from_millis(5),
            &HttpAnswer {
                status,
                headers: &[],
                body: body.as_bytes(),
                truncated: false,
            },
        )
    }

    #[test]
    fn a_revocation_note_says_what_was_revoked_or_why_not() {
        let ok = revocation_note(TokenKind::Refresh, &revocation(200, "{}"), None);
        assert!(ok.ok);
        assert_eq!(
            ok.text,
            "The refresh token is revoked: the auth server no longer accepts it."
        );

        let refused = revocation(
            403,
            r#"{"errors":[{"title":"unauthorized_client","code":"FORBIDDEN","status":403}]}"#,
        );
        let note = revocation_note(TokenKind::Access, &refused, Some(Cleanup::PreviousLogin));
        assert!(!note.ok);
        assert!(
            note.text.starts_with(
                "The previous login's access token was NOT revoked (Revoke tokens when I'm done) (HTTP 403): "
            ),
            "{}",
            note.text
        );
        assert!(note.text.contains("another client ID"), "{}", note.text);
    }

    #[test]
    fn a_login_without_a_refresh_token_holds_only_its_access_token() {
        let mut attempt = revocation(200, "{}");
        assert!(Held::of(&attempt).is_none(), "nothing issued, nothing held");
        attempt.outcome.token = crate::auth::token::decode_issued(
            serde_json::json!({"access_token": "opaque"}),
            SystemTime::now(),
        );
        let held = Held::of(&attempt).expect("held");
        assert_eq!(held.live, vec![TokenKind::Access]);
    }
}
