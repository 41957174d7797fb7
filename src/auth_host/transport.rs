//! The HTTP transport: the one place for timeouts, the body cap, redirects (never followed) and
//! timing. Everything it learns becomes an [`Attempt`].

use std::error::Error as _;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use serde_json::Value;
use thiserror::Error;
use url::Url;

use crate::attempt::Attempt;
use crate::auth::outcome::HttpAnswer;
use crate::auth::url::{check_transport_rule, is_loopback};
use crate::auth::{explain, Problem, RequestSummary, RevokeRequest, TokenRequest};

/// Bodies longer than this are cut off and reported, never buffered whole.
pub const MAX_BODY: usize = 1024 * 1024;
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Error)]
#[error("could not set up HTTP: {0}")]
pub struct SetupError(#[from] reqwest::Error);

/// A shared HTTP client. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Transport {
    /// Uses the system's proxy settings.
    http: reqwest::Client,
    /// For loopback hosts: never through a proxy, since plain http is allowed to them only
    /// because it never leaves this machine.
    direct: reqwest::Client,
}

/// A raw answer, read with the body cap. `Debug` shows the body's size only (it may hold tokens).
pub struct RawAnswer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub truncated: bool,
}

impl std::fmt::Debug for RawAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawAnswer")
            .field("status", &self.status)
            .field("body", &format_args!("[{} bytes]", self.body.len()))
            .field("truncated", &self.truncated)
            .finish_non_exhaustive()
    }
}

impl RawAnswer {
    pub fn as_answer(&self) -> HttpAnswer<'_> {
        HttpAnswer {
            status: self.status,
            headers: &self.headers,
            body: &self.body,
            truncated: self.truncated,
        }
    }
}

impl Transport {
    pub fn new() -> Result<Self, SetupError> {
        let builder = || {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(CONNECT_TIMEOUT)
                .user_agent(concat!("cl-login-tester/", env!("CARGO_PKG_VERSION")))
        };
        let http = builder().build()?;
        // A second client only when a proxy could be configured: one client is faster to start.
        let direct = if proxy_may_be_configured() {
            builder().no_proxy().build()?
        } else {
            http.clone()
        };
        Ok(Self { http, direct })
    }

    /// The client for `url`: loopback hosts are reached directly, never through a proxy.
    fn client(&self, url: &Url) -> &reqwest::Client {
        if is_loopback(url) {
            &self.direct
        } else {
            &self.http
        }
    }

    /// Sends a token request and classifies the answer. Never fails: every problem is an outcome.
    pub async fn token(&self, request: &TokenRequest) -> Attempt {
        let body = Bytes::from_owner(request.body());
        let sent = self
            .client(&request.url)
            .post(request.url.clone())
            .header(
                reqwest::header::CONTENT_TYPE,
                request.encoding.content_type(),
            )
            .header(reqwest::header::ACCEPT, "application/json")
            // The connection's write buffer keeps the request (password, refresh token) for as
            // long as the connection is pooled, and it is cleared, not freed; closed after the
            // answer, its buffers are freed and so wiped (crate::wiping_allocator).
            .header(reqwest::header::CONNECTION, "close")
            .body(body);
        let mut attempt = self.attempt(request.summary(), sent, request.timeout).await;
        attempt.refresh_rotated = request.refresh_rotated(attempt.outcome.token.as_ref());
        attempt
    }

    /// Asks `/oauth/revoke` to revoke a token. Never fails: every problem is an outcome.
    pub async fn revoke(&self, request: &RevokeRequest) -> Attempt {
        let sent = self
            .client(&request.url)
            .post(request.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(Bytes::from_owner(request.body()));
        self.attempt(request.summary(), sent, request.timeout).await
    }

    async fn attempt(
        &self,
        summary: RequestSummary,
        sent: reqwest::RequestBuilder,
        timeout: Duration,
    ) -> Attempt {
        let started_at = SystemTime::now();
        let clock = Instant::now();
        match self.exchange(sent, timeout).await {
            Ok(raw) => Attempt::answered(summary, started_at, clock.elapsed(), &raw.as_answer()),
            Err(Failed::NoAnswer(problem)) => {
                Attempt::unanswered(summary, started_at, clock.elapsed(), problem)
            }
            Err(Failed::Unreadable(problem)) => {
                Attempt::unreadable(summary, started_at, clock.elapsed(), problem)
            }
        }
    }

    /// Gets a JSON document (JWKS).
    pub async fn get_json(&self, url: &Url, timeout: Duration) -> Result<Value, Problem> {
        check_transport_rule(url).map_err(|e| Problem::new("bad_url", e.to_string()))?;
        let sent = self
            .client(url)
            .get(url.clone())
            .header(reqwest::header::ACCEPT, "application/json");
        let raw = self
            .exchange(sent, timeout)
            .await
            .map_err(Failed::problem)?;
        if raw.status != 200 || raw.truncated {
            return Err(Problem::new(
                format!("http_{}", raw.status),
                format!("{url} answered HTTP {}", raw.status),
            ));
        }
        serde_json::from_slice(&raw.body).map_err(|e| {
            Problem::new(
                "unreadable_response",
                format!("{url} did not answer JSON: {e}"),
            )
        })
    }

    async fn exchange(
        &self,
        sent: reqwest::RequestBuilder,
        timeout: Duration,
    ) -> Result<RawAnswer, Failed> {
        let timed_out =
            || Failed::NoAnswer(Problem::new("timeout", explain::timeout(timeout.as_secs())));
        // The whole exchange, body included, counts against the timeout.
        match tokio::time::timeout(timeout, read_capped(sent.timeout(timeout))).await {
            Ok(Ok(raw)) => Ok(raw),
            Ok(Err(e)) if e.is_timeout() => Err(timed_out()),
            Ok(Err(e)) => Err(transport_problem(&e)),
            Err(_) => Err(timed_out()),
        }
    }
}

async fn read_capped(sent: reqwest::RequestBuilder) -> Result<RawAnswer, reqwest::Error> {
    let mut response = sent.send().await?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut body = Vec::new();
    let mut truncated = false;
    while let Some(chunk) = response.chunk().await? {
        let room = MAX_BODY - body.len();
        if chunk.len() > room {
            body.extend_from_slice(chunk.get(..room).unwrap_or_default());
            truncated = true;
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(RawAnswer {
        status,
        headers,
        body,
        truncated,
    })
}

/// Why an exchange brought back nothing to classify.
enum Failed {
    /// No answer: refused, unreachable, timed out, broken off.
    NoAnswer(Problem),
    /// An answer came, but too large in its head to read.
    Unreadable(Problem),
}

impl Failed {
    fn problem(self) -> Problem {
        match self {
            Failed::NoAnswer(problem) | Failed::Unreadable(problem) => problem,
        }
    }
}

fn transport_problem(error: &reqwest::Error) -> Failed {
    // The deepest cause says most ("Connection refused", "dns error: ...").
    let mut detail = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        detail = cause.to_string();
        source = cause.source();
    }
    // hyper gives up on more than 100 headers or a head over its buffer: an answer, but one
    // too large to read, which is not a network problem.
    if detail.contains("message head is too large") {
        let mut problem = Problem::new("headers_too_large", explain::headers_too_large());
        problem.detail = Some(detail);
        return Failed::Unreadable(problem);
    }
    let code = if error.is_connect() {
        "connect"
    } else {
        "transport"
    };
    let mut problem = Problem::new(code, explain::transport(&detail));
    problem.detail = Some(detail);
    Failed::NoAnswer(problem)
}

/// Whether reqwest could pick up a proxy: from the environment everywhere, and from the system
/// settings on Windows and macOS.
fn proxy_may_be_configured() -> bool {
    cfg!(any(target_os = "windows", target_os = "macos"))
        || ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"]
            .iter()
            .any(|name| {
                std::env::var_os(name).is_some()
                    || std::env::var_os(name.to_ascii_lowercase()).is_some()
            })
}
