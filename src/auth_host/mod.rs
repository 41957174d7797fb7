//! The auth host as every face talks to it: ask for a token (login, refresh, guest) with its
//! signature checked, and revoke what was issued. All of it over one [`Transport`] and one
//! [`KeyCache`]; every call returns [`Attempt`]s and never fails, and none waits longer than its
//! request's timeout (plus, for a token, the key fetch).

pub mod keys;
pub mod transport;

use std::time::Duration;

use crate::attempt::follow_up::revoke_request;
use crate::attempt::{Attempt, TokenKind};
use crate::auth::url::keys_url;
use crate::auth::{InputError, RevokeRequest, SignatureCheck, TokenRequest};

pub use keys::KeyCache;
pub use transport::Transport;

/// The transport and the key cache, shared. Cheap to clone, `Send + Sync`: the window keeps one
/// and runs its calls on its tokio runtime.
#[derive(Debug, Clone)]
pub struct AuthHost {
    transport: Transport,
    keys: KeyCache,
}

impl AuthHost {
    pub fn new(transport: Transport) -> Self {
        Self::with_keys(transport.clone(), KeyCache::new(transport))
    }

    pub fn with_keys(transport: Transport, keys: KeyCache) -> Self {
        Self { transport, keys }
    }

    pub fn keys(&self) -> &KeyCache {
        &self.keys
    }

    /// The transport alone, for a bulk run (which paces its own requests and checks keys).
    pub fn transport(&self) -> &Transport {
        &self.transport
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
