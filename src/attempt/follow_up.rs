//! The requests that follow a shown answer: refresh its token, revoke one of its tokens, or ask
//! for the guest token to compare it with. Built from the answer alone (the password is never
//! needed again).

use std::time::Duration;

use secrecy::SecretString;

use crate::attempt::Attempt;
use crate::auth::{Grant, InputError, RequestSummary, RevokeDraft, RevokeRequest, TokenRequest};

/// The guest request (`client_credentials`, no secret) matching a login: same URL, client ID,
/// scope, encoding and timeout.
pub fn guest_request(
    asked: &RequestSummary,
    timeout: Duration,
) -> Result<TokenRequest, InputError> {
    asked.follow_up(
        Grant::ClientCredentials {
            client_secret: None,
        },
        timeout,
    )
}

/// The request that refreshes an answer's token with its refresh token and the original scope;
/// `None` when the answer carries no refresh token.
pub fn refresh_request(
    attempt: &Attempt,
    timeout: Duration,
) -> Option<Result<TokenRequest, InputError>> {
    let refresh_token = attempt.outcome.token.as_ref()?.refresh_token.clone()?;
    Some(attempt.request.follow_up(
        Grant::RefreshToken {
            refresh_token: SecretString::from(refresh_token),
        },
        timeout,
    ))
}

/// One of the two tokens a login issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Access,
    Refresh,
}

impl TokenKind {
    /// Both, the refresh token first: it lives two weeks, so revoking it matters most.
    pub const BOTH: [TokenKind; 2] = [TokenKind::Refresh, TokenKind::Access];

    pub fn name(self) -> &'static str {
        match self {
            TokenKind::Access => "access token",
            TokenKind::Refresh => "refresh token",
        }
    }
}

/// The revocation of one of an answer's tokens; `None` when the answer carries no such token.
pub fn revoke_request(
    attempt: &Attempt,
    kind: TokenKind,
    timeout: Duration,
) -> Option<Result<RevokeRequest, InputError>> {
    let token = attempt.outcome.token.as_ref()?;
    let secret = match kind {
        TokenKind::Access => &token.access_token,
        TokenKind::Refresh => token.refresh_token.as_ref()?,
    };
    Some(
        RevokeDraft {
            base_url: &attempt.request.url,
            client_id: &attempt.request.client_id,
            token: SecretString::from(secret.clone()),
            timeout,
        }
        .check(),
    )
}
