//! The process exit codes, in one table: what each code means, and which code each result of
//! the core maps to. The README's "Exit codes" section documents this table.

use std::process::ExitCode;

use crate::auth::{OutcomeKind, Signature};
use crate::batch::{RowOutcome, StopReason, Summary};
use crate::gui::StartError;

/// What a command's exit code says, most commands using only some of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The token was issued (or revoked, decoded, verified; the profile command was done).
    Success = 0,
    /// The server refused: a 4xx, or any answer, carrying an OAuth / Commerce Layer error (for
    /// `decode --verify`: the signature check says no; for `batch`: a row did not get what it
    /// expected; for `diagnose`: an input is at fault).
    Refused = 1,
    /// Bad usage or input: nothing was sent.
    Usage = 2,
    /// Network failure, timeout, 5xx, redirect or an unreadable answer; or this machine could not
    /// set up what a request needs (the async runtime, TLS, a display for the window); for
    /// `batch` and `matrix`: the run stopped before the end, rows or cells are left without a
    /// final answer (`--resume` runs them).
    Failed = 3,
    /// Rate limited (429); for `batch` and `matrix`: still rate limited after every try.
    RateLimited = 4,
    /// The keyring cannot be used: none running, locked, unlock refused, no default keyring, or
    /// an entry this tool cannot read. Nothing was sent.
    Keyring = 5,
}

impl Exit {
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The code for a token request's or a revocation's outcome.
    pub fn of_outcome(kind: OutcomeKind) -> Self {
        match kind {
            OutcomeKind::Ok => Exit::Success,
            OutcomeKind::Refused => Exit::Refused,
            OutcomeKind::RateLimited => Exit::RateLimited,
            OutcomeKind::ServerError
            | OutcomeKind::TransportError
            | OutcomeKind::InvalidResponse
            | OutcomeKind::Redirected => Exit::Failed,
        }
    }

    /// `decode --verify`: verified, the check says no, nothing to check, keys not fetched.
    pub fn of_signature(result: Signature) -> Self {
        match result {
            Signature::Verified => Exit::Success,
            Signature::Invalid | Signature::KeyNotFound | Signature::UnsupportedAlgorithm => {
                Exit::Refused
            }
            Signature::NotAJwt => Exit::Usage,
            Signature::KeysUnreachable => Exit::Failed,
        }
    }
}

impl Exit {
    /// The window could not open: no display is a usage problem (the CLI works), the rest is this
    /// machine's.
    pub fn of_window(error: &StartError) -> Self {
        match error {
            StartError::NoDisplay => Exit::Usage,
            StartError::Runtime(_)
            | StartError::Transport(_)
            | StartError::Demo(_)
            | StartError::Window(_) => Exit::Failed,
        }
    }
}

impl Exit {
    /// A bulk check: when several apply, the first of 3 (rows without a final answer, or results
    /// that could not be read or written), 4 (rows still rate limited), 1 (rows that did not
    /// match).
    pub fn of_batch(summary: &Summary) -> Self {
        let tally = &summary.tally;
        let broken = matches!(
            summary.stopped,
            Some(StopReason::InputFailed(_) | StopReason::OutputFailed(_))
        );
        if broken || tally.count(RowOutcome::NotRun) > 0 || tally.unanswered > 0 {
            Exit::Failed
        } else if tally.count(RowOutcome::RateLimited) > 0 {
            Exit::RateLimited
        } else if tally.mismatched > 0 {
            Exit::Refused
        } else {
            Exit::Success
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_map_to_the_documented_codes() {
        let codes: Vec<u8> = [
            OutcomeKind::Ok,
            OutcomeKind::Refused,
            OutcomeKind::RateLimited,
            OutcomeKind::ServerError,
            OutcomeKind::TransportError,
            OutcomeKind::InvalidResponse,
            OutcomeKind::Redirected,
        ]
        .into_iter()
        .map(|kind| Exit::of_outcome(kind).code())
        .collect();
        assert_eq!(codes, [0, 1, 4, 3, 3, 3, 3]);
    }
}
