//! A local fake of Commerce Layer's auth host, following shared/docs/commerce-layer-auth.md:
//! `/oauth/token` (password, refresh_token, client_credentials), `/oauth/revoke`,
//! `/.well-known/jwks.json`, RS512 tokens, the documented error shapes and an optional sliding
//! window rate limit. It binds to loopback only. Tests, `demo-server` and the window's `--demo`
//! all run this same server.

pub mod catalog;
mod grants;
pub mod qa;
mod signer;

use std::collections::{HashMap, VecDeque};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use grants::{lock, refusal, Demo};
use signer::Signer;
pub use signer::{DEMO_KID, ROTATED_KID};

pub use crate::pacing::RateLimit;

#[derive(Debug, Clone, Default)]
pub struct DemoConfig {
    /// 0 picks a free port.
    pub port: u16,
    pub rate_limit: Option<RateLimit>,
}

/// A running demo server; stops when dropped.
pub struct DemoServer {
    url: String,
    state: Arc<Demo>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl DemoServer {
    /// `http://127.0.0.1:PORT`: the base URL to log in against.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn credentials_text(&self) -> String {
        catalog::credentials_text(&self.url)
    }

    /// Rotates the signing key as an issuer does: new tokens carry [`ROTATED_KID`], and the
    /// JWKS publishes it next to the old key. Returns the new `kid`.
    pub fn rotate_signing_key(&self) -> &'static str {
        self.state.signer.rotate()
    }

    /// How many times `/.well-known/jwks.json` was served: shows whether clients cache keys.
    pub fn jwks_served(&self) -> usize {
        self.state.jwks_served.load(Ordering::Relaxed)
    }

    /// When each token request arrived and how it was answered, oldest first (the last
    /// [`ARRIVALS_KEPT`]): shows how a client paces itself.
    pub fn token_arrivals(&self) -> Vec<Arrival> {
        lock(&self.state.arrivals).iter().copied().collect()
    }

    /// Stops listening now, as a server that goes away mid-run; requests being answered
    /// still get their answer.
    pub fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// One token request as the server saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrival {
    pub at: Instant,
    pub status: u16,
}

/// How many token requests [`DemoServer::token_arrivals`] remembers.
pub const ARRIVALS_KEPT: usize = 100_000;

impl Drop for DemoServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("could not listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error(transparent)]
    Key(#[from] signer::KeyError),
}

/// Starts the server on the current tokio runtime.
pub async fn start(config: DemoConfig) -> Result<DemoServer, DemoError> {
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, config.port)))
        .await
        .map_err(|source| DemoError::Bind {
            port: config.port,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| DemoError::Bind {
        port: config.port,
        source,
    })?;
    let url = format!("http://{addr}");
    let state = Arc::new(Demo {
        signer: Signer::demo()?,
        issuer: url.clone(),
        rate_limit: config.rate_limit,
        recent: Mutex::new(VecDeque::new()),
        refresh_tokens: Mutex::new(HashMap::new()),
        jwks_served: AtomicUsize::new(0),
        arrivals: Mutex::new(VecDeque::new()),
    });
    let app = Router::new()
        .route("/oauth/token", post(token))
        .route("/oauth/revoke", post(revoke))
        .route("/.well-known/jwks.json", get(jwks))
        .with_state(state.clone());
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });
    Ok(DemoServer {
        url,
        state,
        shutdown: Some(tx),
    })
}

/// Fields from a JSON or form body; values that are not strings are kept as their JSON text.
fn fields(headers: &HeaderMap, body: &[u8]) -> Option<HashMap<String, String>> {
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if form {
        return Some(form_urlencoded::parse(body).into_owned().collect());
    }
    match serde_json::from_slice::<Value>(body).ok()? {
        Value::Object(map) => Some(
            map.into_iter()
                .map(|(k, v)| match v {
                    Value::String(s) => (k, s),
                    other => (k, other.to_string()),
                })
                .collect(),
        ),
        _ => None,
    }
}

fn legacy_dialect(f: Option<&HashMap<String, String>>) -> bool {
    f.and_then(|f| f.get("client_id"))
        .and_then(|id| catalog::client(id))
        .is_some_and(|c| c.legacy_errors)
}

async fn token(State(demo): State<Arc<Demo>>, headers: HeaderMap, body: Bytes) -> Response {
    let at = Instant::now();
    let response = answer_token(&demo, &headers, &body);
    let mut arrivals = lock(&demo.arrivals);
    if arrivals.len() >= ARRIVALS_KEPT {
        arrivals.pop_front();
    }
    arrivals.push_back(Arrival {
        at,
        status: response.status().as_u16(),
    });
    response
}

fn answer_token(demo: &Demo, headers: &HeaderMap, body: &[u8]) -> Response {
    if let Err(retry_after) = demo.admit() {
        let mut response = refusal(
            StatusCode::TOO_MANY_REQUESTS,
            "Too Many Requests",
            "TOO_MANY_REQUESTS",
            format!("Rate limit exceeded; retry in {retry_after} seconds."),
        )
        .into_response(false);
        if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return response;
    }
    let f = fields(headers, body);
    let legacy = legacy_dialect(f.as_ref());
    let result = match &f {
        Some(f) => demo.token(f),
        None => Err(refusal(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "BAD_REQUEST",
            "The body must be a JSON object or a form.",
        )),
    };
    match result {
        Ok(body) => (
            StatusCode::OK,
            [(header::CACHE_CONTROL, "no-store")],
            Json(body),
        )
            .into_response(),
        Err(r) => r.into_response(legacy),
    }
}

async fn revoke(State(demo): State<Arc<Demo>>, headers: HeaderMap, body: Bytes) -> Response {
    let f = fields(&headers, &body).unwrap_or_default();
    match demo.revoke(&f) {
        Ok(body) => Json(body).into_response(),
        Err(r) => r.into_response(false),
    }
}

async fn jwks(State(demo): State<Arc<Demo>>) -> Response {
    demo.jwks_served.fetch_add(1, Ordering::Relaxed);
    Json(demo.signer.jwks()).into_response()
}
