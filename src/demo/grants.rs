//! The demo auth host's rules, apart from HTTP: which client and customer may have which
//! token and scope, the refresh tokens it remembers, revocation, the sliding-window rate limit,
//! and the errors it answers with in each client's dialect. `mod.rs` serves them over HTTP.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::AtomicUsize;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::signer::Signer;

use super::catalog::{self, Client, Customer};
use super::{Arrival, RateLimit};

pub(super) struct RefreshRecord {
    client_id: String,
    customer_id: &'static str,
    scope: String,
    issued: Instant,
    used: bool,
}

pub(super) struct Demo {
    pub(super) signer: Signer,
    pub(super) issuer: String,
    pub(super) rate_limit: Option<RateLimit>,
    pub(super) recent: Mutex<VecDeque<Instant>>,
    pub(super) refresh_tokens: Mutex<HashMap<String, RefreshRecord>>,
    pub(super) jwks_served: AtomicUsize,
    pub(super) arrivals: Mutex<VecDeque<Arrival>>,
}

const SALES_CHANNEL_LIFETIME: u64 = 14_400;
const REFRESH_LIFETIME: Duration = Duration::from_secs(14 * 24 * 3600);

pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An error answer in the client's dialect.
pub(super) struct Refusal {
    status: StatusCode,
    title: &'static str,
    code: &'static str,
    detail: String,
}

pub(super) fn refusal(
    status: StatusCode,
    title: &'static str,
    code: &'static str,
    detail: impl Into<String>,
) -> Refusal {
    Refusal {
        status,
        title,
        code,
        detail: detail.into(),
    }
}

impl Refusal {
    pub(super) fn into_response(self, legacy: bool) -> Response {
        let body = if legacy {
            json!({"error": self.title, "error_description": self.detail})
        } else {
            json!({"errors": [{"title": self.title, "detail": self.detail, "code": self.code, "status": self.status.as_u16()}]})
        };
        (self.status, Json(body)).into_response()
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Demo {
    /// Sliding window: `Err(retry_after_secs)` when over the limit.
    pub(super) fn admit(&self) -> Result<(), u64> {
        let Some(limit) = self.rate_limit else {
            return Ok(());
        };
        let now = Instant::now();
        let mut recent = lock(&self.recent);
        while recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= limit.period)
        {
            recent.pop_front();
        }
        if recent.len() >= limit.max as usize {
            let oldest = recent.front().copied().unwrap_or(now);
            let wait = limit.period.saturating_sub(now.duration_since(oldest));
            return Err(wait.as_secs() + u64::from(wait.subsec_nanos() > 0));
        }
        recent.push_back(now);
        Ok(())
    }

    /// Resolves requested scopes to the market claim; `None` scope means `market:all`.
    fn resolve_scope(
        &self,
        scope: Option<&str>,
        customer: Option<&Customer>,
    ) -> Result<(String, Option<Value>), Refusal> {
        let Some(scope) = scope.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(("market:all".to_owned(), None));
        };
        let mut markets: Vec<&str> = Vec::new();
        let mut stock_locations: Vec<&str> = Vec::new();
        let invalid = |part: &str, why: &str| {
            refusal(
                StatusCode::BAD_REQUEST,
                "invalid_scope",
                "BAD_REQUEST",
                format!("The requested scope is invalid: {part} {why}."),
            )
        };
        for part in crate::auth::scope::split_scopes(scope) {
            let parsed =
                crate::auth::scope::parse_scope(part).map_err(|_| invalid(part, "is malformed"))?;
            let by = |id: &str, code: &str| match parsed.key {
                Some(crate::auth::scope::ScopeKey::Code) => code == parsed.value,
                _ => id == parsed.value,
            };
            use crate::auth::scope::ScopeKind;
            match parsed.kind {
                ScopeKind::Market => {
                    let market = catalog::MARKETS
                        .iter()
                        .find(|m| by(m.id, m.code))
                        .ok_or_else(|| invalid(part, "was not found"))?;
                    if market.disabled {
                        return Err(invalid(part, "is disabled"));
                    }
                    if market.private && !customer.is_some_and(|c| c.b2b) {
                        return Err(invalid(
                            part,
                            "is private to a customer group this customer is not in",
                        ));
                    }
                    markets.push(market.id);
                    stock_locations.extend(market.stock_location_ids);
                }
                ScopeKind::StockLocation => {
                    let sl = catalog::STOCK_LOCATIONS
                        .iter()
                        .find(|s| by(s.id, s.code))
                        .ok_or_else(|| invalid(part, "was not found"))?;
                    if !sl.reachable {
                        return Err(invalid(part, "is not reachable from this sales channel"));
                    }
                    stock_locations.push(sl.id);
                }
                ScopeKind::Store => {
                    let store = catalog::STORES
                        .iter()
                        .find(|s| by(s.id, s.code))
                        .ok_or_else(|| invalid(part, "was not found"))?;
                    markets.push(store.market_id);
                }
            }
        }
        markets.dedup();
        stock_locations.dedup();
        let claim = json!({"id": markets, "stock_location_ids": stock_locations, "geocoder_id": null, "allows_external_prices": false});
        Ok((
            crate::auth::scope::split_scopes(scope)
                .collect::<Vec<_>>()
                .join(" "),
            Some(claim),
        ))
    }

    fn issue(
        &self,
        client: &Client,
        customer: Option<&'static Customer>,
        scope: String,
        market: Option<Value>,
    ) -> Result<Value, Refusal> {
        let now = now_secs();
        let mut claims = json!({
            "organization": {"id": "dEmOrGaNiZ", "slug": "demo-store", "enterprise": false, "region": "eu-west-1"},
            "application": {"id": client.id, "client_id": client.client_id, "kind": client.kind, "public": client.secret.is_none(), "confidential": client.secret.is_some()},
            "scope": scope,
            "exp": now + SALES_CHANNEL_LIFETIME,
            "iat": now,
            "test": client.test,
            "rand": self.signer.random_token(8),
            "iss": self.issuer,
        });
        if let Some(map) = claims.as_object_mut() {
            if let Some(c) = customer {
                map.insert("owner".into(), json!({"id": c.id, "type": "Customer"}));
            }
            if let Some(m) = market {
                map.insert("market".into(), m);
            }
        }
        let access_token = self.signer.sign(&claims).map_err(|e| {
            refusal(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                "INTERNAL_SERVER_ERROR",
                e.to_string(),
            )
        })?;
        let mut body = json!({
            "access_token": access_token,
            "token_type": "bearer",
            "expires_in": SALES_CHANNEL_LIFETIME,
            "scope": scope,
            "created_at": now,
        });
        if let Some(c) = customer {
            let refresh = self.signer.random_token(32);
            lock(&self.refresh_tokens).insert(
                refresh.clone(),
                RefreshRecord {
                    client_id: client.client_id.to_owned(),
                    customer_id: c.id,
                    scope,
                    issued: Instant::now(),
                    used: false,
                },
            );
            if let Some(map) = body.as_object_mut() {
                map.insert("refresh_token".into(), json!(refresh));
                map.insert("owner_id".into(), json!(c.id));
                map.insert("owner_type".into(), json!("customer"));
            }
        }
        Ok(body)
    }

    pub(super) fn token(&self, f: &HashMap<String, String>) -> Result<Value, Refusal> {
        let client_id = f.get("client_id").map(String::as_str).unwrap_or_default();
        let client = catalog::client(client_id).ok_or_else(|| {
            refusal(StatusCode::UNAUTHORIZED, "invalid_client", "UNAUTHORIZED", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.")
        })?;
        let scope = f.get("scope").map(String::as_str);
        match f.get("grant_type").map(String::as_str) {
            Some("password") => {
                if client.kind != "sales_channel" {
                    return Err(refusal(StatusCode::BAD_REQUEST, "unsupported_grant_type", "BAD_REQUEST", "The authorization grant type is not supported by the authorization server."));
                }
                let (Some(email), Some(password)) = (f.get("username"), f.get("password")) else {
                    return Err(refusal(
                        StatusCode::BAD_REQUEST,
                        "invalid_request",
                        "BAD_REQUEST",
                        "The request is missing a required parameter: username and password.",
                    ));
                };
                let customer = catalog::customer(email)
                    .filter(|c| c.password.is_some_and(|p| p == password))
                    .ok_or_else(|| refusal(StatusCode::BAD_REQUEST, "invalid_grant", "BAD_REQUEST", "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."))?;
                if customer.disabled {
                    return Err(refusal(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        "BAD_REQUEST",
                        "The customer account is disabled.",
                    ));
                }
                let (scope, market) = self.resolve_scope(scope, Some(customer))?;
                self.issue(client, Some(customer), scope, market)
            }
            Some("refresh_token") => self.refresh(
                client,
                f.get("refresh_token")
                    .map(String::as_str)
                    .unwrap_or_default(),
                scope,
            ),
            Some("client_credentials") => {
                if let Some(secret) = client.secret {
                    if f.get("client_secret").map(String::as_str) != Some(secret) {
                        return Err(refusal(
                            StatusCode::UNAUTHORIZED,
                            "invalid_client",
                            "UNAUTHORIZED",
                            "Client authentication failed: wrong or missing client secret.",
                        ));
                    }
                }
                let (scope, market) = self.resolve_scope(scope, None)?;
                self.issue(client, None, scope, market)
            }
            Some(_) => Err(refusal(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "BAD_REQUEST",
                "The authorization grant type is not supported by the authorization server.",
            )),
            None => Err(refusal(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "BAD_REQUEST",
                "The request is missing a required parameter: grant_type.",
            )),
        }
    }

    fn refresh(
        &self,
        client: &Client,
        refresh_token: &str,
        scope: Option<&str>,
    ) -> Result<Value, Refusal> {
        let rejected = |why: &str| {
            refusal(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "BAD_REQUEST",
                format!("The refresh token is invalid: {why}."),
            )
        };
        let (customer_id, original_scope) = {
            let mut tokens = lock(&self.refresh_tokens);
            let record = tokens
                .get_mut(refresh_token)
                .ok_or_else(|| rejected("unknown or revoked"))?;
            if record.client_id != client.client_id {
                return Err(rejected("issued to another client"));
            }
            if record.used {
                return Err(rejected("already used (refresh tokens rotate)"));
            }
            if record.issued.elapsed() > REFRESH_LIFETIME {
                return Err(rejected("expired"));
            }
            if let Some(asked) = scope.map(str::trim).filter(|s| !s.is_empty()) {
                if record.scope != "market:all"
                    && crate::auth::scope::scope_set(asked)
                        != crate::auth::scope::scope_set(&record.scope)
                {
                    return Err(rejected("the scope differs from the original login"));
                }
            }
            record.used = true;
            (record.customer_id, record.scope.clone())
        };
        let customer = catalog::customer_by_id(customer_id);
        let asked = (original_scope != "market:all").then_some(original_scope.as_str());
        let (scope, market) = self.resolve_scope(asked, customer)?;
        self.issue(client, customer, scope, market)
    }

    pub(super) fn revoke(&self, f: &HashMap<String, String>) -> Result<Value, Refusal> {
        let forbidden = || {
            refusal(
                StatusCode::FORBIDDEN,
                "unauthorized_client",
                "FORBIDDEN",
                "You are not authorized to revoke this token.",
            )
        };
        let client = catalog::client(f.get("client_id").map(String::as_str).unwrap_or_default())
            .ok_or_else(forbidden)?;
        let token = f.get("token").map(String::as_str).unwrap_or_default();
        if let Some(record) = lock(&self.refresh_tokens).get(token) {
            if record.client_id != client.client_id {
                return Err(forbidden());
            }
        }
        if lock(&self.refresh_tokens).remove(token).is_none() {
            let jwt = crate::auth::jwt::decode(token).map_err(|_| forbidden())?;
            let issued_to = jwt
                .claims
                .get("application")
                .and_then(|a| a.get("client_id"))
                .and_then(Value::as_str);
            if issued_to != Some(client.client_id) {
                return Err(forbidden());
            }
        }
        Ok(json!({}))
    }
}
