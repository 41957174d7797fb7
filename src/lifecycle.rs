//! A customer token's life as every face drives it: ask for a token (login, refresh, guest) with
//! its signature checked, compare a login with a guest token, and revoke what was issued. All of
//! it over one [`Transport`] and one [`KeyCache`]; every call returns [`Attempt`]s and never
//! fails, and none waits longer than its request's timeout (plus, for a token, the key fetch).

use std::time::Duration;

use secrecy::SecretString;

use crate::attempt::Attempt;
use crate::auth::grant::keys_url;
use crate::auth::{
    compare, Grant, InputError, RequestSummary, RevokeDraft, RevokeRequest, SignatureCheck,
    TokenRequest, Verdict,
};
use crate::client::Transport;
use crate::keys::KeyCache;

/// The transport and the key cache, shared. Cheap to clone, `Send + Sync`: the window keeps one
/// and runs its calls on its tokio runtime.
#[derive(Debug, Clone)]
pub struct Lifecycle {
    transport: Transport,
    keys: KeyCache,
}

/// A customer login and a guest token asked with the same client ID and scope, side by side.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub customer: Attempt,
    pub guest: Attempt,
    pub verdict: Verdict,
}

impl Comparison {
    /// Reads two answers together: a login already shown, and the guest token asked for after
    /// it with [`guest_request`] (the login is not sent again).
    pub fn new(customer: Attempt, guest: Attempt) -> Self {
        let verdict = compare(&customer.outcome, &guest.outcome);
        Self {
            customer,
            guest,
            verdict,
        }
    }
}

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

impl Lifecycle {
    pub fn new(transport: Transport) -> Self {
        Self::with_keys(transport.clone(), KeyCache::new(transport))
    }

    pub fn with_keys(transport: Transport, keys: KeyCache) -> Self {
        Self { transport, keys }
    }

    pub fn keys(&self) -> &KeyCache {
        &self.keys
    }

    /// Sends a token request of any grant and checks the issued token's signature. The keys
    /// are fetched alongside the request from the host most likely to have issued the token,
    /// so a login stays about one round trip; the fetch finishes in the background (warming
    /// the cache) when nothing needs it.
    pub async fn token(&self, request: &TokenRequest) -> Attempt {
        if let Ok(likely) = keys_url(None, request.url.as_str()) {
            let keys = self.keys.clone();
            let timeout = request.timeout;
            tokio::spawn(async move { keys.prefetch(&likely, timeout).await });
        }
        let mut attempt = self.transport.token(request).await;
        attempt.signature = self.check(&attempt, request.timeout).await;
        attempt
    }

    /// Checks the signature of an answer's access token; `None` when nothing was issued.
    pub async fn check(&self, attempt: &Attempt, timeout: Duration) -> Option<SignatureCheck> {
        let token = attempt.outcome.token.as_ref()?;
        Some(
            self.keys
                .check(&token.access_token, &attempt.request.url, timeout)
                .await,
        )
    }

    /// Asks the auth host to revoke one token.
    pub async fn revoke(&self, request: &RevokeRequest) -> Attempt {
        self.transport.revoke(request).await
    }

    /// Revokes some of an answer's tokens at once ("revoke tokens when I'm done": on a new
    /// login and when the window closes). One attempt per token the answer carries, in `kinds`'
    /// order; kinds it does not carry are skipped.
    pub async fn revoke_issued(
        &self,
        attempt: &Attempt,
        kinds: &[TokenKind],
        timeout: Duration,
    ) -> Result<Vec<(TokenKind, Attempt)>, InputError> {
        let requests = kinds
            .iter()
            .filter_map(|&kind| Some((kind, revoke_request(attempt, kind, timeout)?)))
            .map(|(kind, request)| request.map(|request| (kind, request)))
            .collect::<Result<Vec<_>, _>>()?;
        let mut running = tokio::task::JoinSet::new();
        for (index, (kind, request)) in requests.into_iter().enumerate() {
            let transport = self.transport.clone();
            running.spawn(async move { (index, kind, transport.revoke(&request).await) });
        }
        let mut done = running.join_all().await;
        done.sort_by_key(|(index, _, _)| *index);
        Ok(done
            .into_iter()
            .map(|(_, kind, attempt)| (kind, attempt))
            .collect())
    }
}
