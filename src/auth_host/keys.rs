//! The issuers' public keys: the JWKS document fetched through the [`Transport`] from where the
//! token's issuer publishes it (`auth::url::keys_url`), cached per document, and refetched when
//! it is older than its lifetime or a token names a `kid` the cached copy lacks. The check itself
//! is pure (`auth::jwt::verify_rs512`). One cache serves the whole app: clone it freely.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::Value;
use url::Url;

use crate::auth::jwt::{self, find_key, verify_rs512, Signature, SignatureCheck};
use crate::auth::url::keys_url;
use crate::auth::Problem;
use crate::auth_host::Transport;
use crate::clock::human_duration;

/// How long keys are trusted and how often they may be fetched (the defaults follow `jose`'s
/// remote key sets: ten minutes, and no refetch for an unknown `kid` within 30 s of a fetch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyPolicy {
    /// A cached document older than this is fetched again before use.
    pub lifetime: Duration,
    /// An unknown `kid` refetches the document only when the cached copy is at least this old,
    /// so a stream of tokens with a bogus `kid` cannot make the tool hammer the host; and a
    /// failed fetch is not tried again for this long (checks report its problem at once), so a
    /// host that does not answer costs one fetch timeout, not one per check.
    pub refetch_cooldown: Duration,
    /// The most a fetch may take, whatever the request's own timeout.
    pub fetch_timeout: Duration,
}

impl Default for KeyPolicy {
    fn default() -> Self {
        Self {
            lifetime: Duration::from_secs(600),
            refetch_cooldown: Duration::from_secs(30),
            fetch_timeout: Duration::from_secs(10),
        }
    }
}

struct Fetched {
    jwks: Value,
    at: Instant,
}

/// The last fetch that failed, so that checks within `refetch_cooldown` of it report it at once
/// instead of each waiting out another fetch from a host that does not answer.
struct Failed {
    problem: Problem,
    at: Instant,
}

/// What is known of one JWKS document: the last copy fetched and the last fetch that failed
/// (cleared by the next success).
#[derive(Default)]
struct Known {
    fetched: Option<Fetched>,
    failed: Option<Failed>,
}

/// One JWKS document's cache entry. An async lock, so concurrent checks against the same
/// document wait for one fetch instead of each starting their own.
type Slot = Arc<tokio::sync::Mutex<Known>>;

/// The key cache: `Clone`, `Send + Sync`; clones share the cache.
#[derive(Clone)]
pub struct KeyCache {
    transport: Transport,
    policy: KeyPolicy,
    slots: Arc<Mutex<HashMap<String, Slot>>>,
}

impl std::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyCache")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl KeyCache {
    pub fn new(transport: Transport) -> Self {
        Self::with_policy(transport, KeyPolicy::default())
    }

    pub fn with_policy(transport: Transport, policy: KeyPolicy) -> Self {
        Self {
            transport,
            policy,
            slots: Arc::default(),
        }
    }

    fn slot(&self, url: &Url) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.entry(url.to_string()).or_default().clone()
    }

    async fn fetch(&self, url: &Url, timeout: Duration) -> Result<Fetched, Problem> {
        let jwks = self
            .transport
            .get_json(url, timeout.min(self.policy.fetch_timeout))
            .await?;
        if !jwks.get("keys").is_some_and(Value::is_array) {
            return Err(Problem::new(
                "not_jwks",
                format!("{url} answered JSON without a `keys` list: it is not a JWKS document"),
            ));
        }
        Ok(Fetched {
            jwks,
            at: Instant::now(),
        })
    }

    /// Fetches the document into `known`, recording the failure if it fails; or, when the last
    /// fetch failed less than `refetch_cooldown` ago, returns that failure without fetching.
    async fn refresh(
        &self,
        known: &mut Known,
        url: &Url,
        timeout: Duration,
    ) -> Result<(), Problem> {
        if let Some(failed) = &known.failed {
            if failed.at.elapsed() < self.policy.refetch_cooldown {
                return Err(failed.problem.clone());
            }
        }
        match self.fetch(url, timeout).await {
            Ok(fetched) => {
                known.fetched = Some(fetched);
                known.failed = None;
                Ok(())
            }
            Err(problem) => {
                known.failed = Some(Failed {
                    problem: problem.clone(),
                    at: Instant::now(),
                });
                Err(problem)
            }
        }
    }

    /// Fetches the document at `url` unless a fresh copy is cached: started alongside a token
    /// request so that the check after it needs no second round trip.
    pub async fn prefetch(&self, url: &Url, timeout: Duration) {
        let slot = self.slot(url);
        let mut known = slot.lock().await;
        let fresh = known
            .fetched
            .as_ref()
            .is_some_and(|f| f.at.elapsed() < self.policy.lifetime);
        if !fresh {
            // A failure is recorded for the check that follows; nothing else to do with it.
            let _ = self.refresh(&mut known, url, timeout).await;
        }
    }

    /// Checks a token's RS512 signature against its issuer's published key. Never fails and
    /// never hides the token: a key that cannot be fetched is a result (`keys_unreachable`),
    /// reached within `timeout`. `base_url` is where the token came from (see
    /// `auth::url::keys_url` for when it is used).
    pub async fn check(&self, token: &str, base_url: &str, timeout: Duration) -> SignatureCheck {
        let Ok(jwt) = jwt::decode(token) else {
            return SignatureCheck::new(Signature::NotAJwt, None);
        };
        let kid = jwt.kid();
        if jwt.alg() != Some("RS512") {
            return SignatureCheck::new(Signature::UnsupportedAlgorithm, kid);
        }
        let url = match keys_url(jwt.iss(), base_url) {
            Ok(url) => url,
            Err(e) => {
                let mut check = SignatureCheck::new(Signature::KeysUnreachable, kid);
                check.detail = Some(e.to_string());
                return check;
            }
        };
        let slot = self.slot(&url);
        let mut known = slot.lock().await;
        let age = known.fetched.as_ref().map(|f| f.at.elapsed());
        let has_key = known
            .fetched
            .as_ref()
            .is_some_and(|f| find_key(&f.jwks, kid).is_some());
        let refetch = match age {
            None => true,
            Some(age) if age >= self.policy.lifetime => true,
            Some(age) => !has_key && age >= self.policy.refetch_cooldown,
        };
        let failure = if refetch {
            self.refresh(&mut known, &url, timeout).await.err()
        } else {
            None
        };
        let cached = &known.fetched;
        let key = cached.as_ref().and_then(|f| find_key(&f.jwks, kid));
        let mut check = match key {
            Some(key) => SignatureCheck::new(verify_rs512(&jwt, key), kid),
            None if failure.is_some() => SignatureCheck::new(Signature::KeysUnreachable, kid),
            None => SignatureCheck::new(Signature::KeyNotFound, kid),
        };
        check.keys_url = Some(url.to_string());
        check.detail = failure.map(|problem| match (key, cached.as_ref()) {
            (Some(_), Some(stale)) => format!(
                "checked with keys fetched {} ago: fetching them again failed: {}",
                human_duration(stale.at.elapsed().as_secs()),
                problem.explanation
            ),
            _ => problem.explanation,
        });
        check
    }
}
