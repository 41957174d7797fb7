//! Shared test furniture: the in-process demo server, purpose-built hostile servers, a runner
//! for the real binary, and the window under test (`window`).
// Test furniture fails loudly: a broken set-up is a failed test, so it may expect and index.
#![allow(dead_code, unused_imports)]
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

pub mod answers;
pub mod window;

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cl_login_tester::demo::{self, DemoConfig, DemoServer, RateLimit};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub use cl_login_tester::demo::catalog;

/// A tokio runtime plus a demo server on a free loopback port.
pub struct Demo {
    pub server: DemoServer,
    _rt: tokio::runtime::Runtime,
}

impl Demo {
    pub fn start() -> Self {
        Self::with(DemoConfig::default())
    }

    pub fn with_rate_limit(limit: &str) -> Self {
        let rate_limit: RateLimit = limit.parse().expect("rate limit");
        Self::with(DemoConfig {
            port: 0,
            rate_limit: Some(rate_limit),
        })
    }

    fn with(config: DemoConfig) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let server = rt.block_on(demo::start(config)).expect("demo server");
        Self { server, _rt: rt }
    }

    pub fn url(&self) -> &str {
        self.server.url()
    }

    /// The runtime the server runs on, for apps under test to send work to.
    pub fn handle(&self) -> tokio::runtime::Handle {
        self._rt.handle().clone()
    }
}

/// One canned HTTP answer.
#[derive(Clone)]
pub struct Canned {
    pub status_line: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Duration,
}

impl Canned {
    pub fn new(status: &str, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status_line: format!("HTTP/1.1 {status}"),
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn json(status: &str, body: &str) -> Self {
        Self::new(status, "application/json", body)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// What a hostile server received.
#[derive(Debug, Clone, Default)]
pub struct Received {
    pub head: String,
    pub body: Vec<u8>,
}

type Responder = dyn Fn(&Received) -> Canned + Send + Sync;

/// A tiny HTTP/1.1 server that answers every request with what `respond` returns and records
/// what it received.
pub struct Hostile {
    pub url: String,
    pub received: Arc<Mutex<Vec<Received>>>,
    _rt: tokio::runtime::Runtime,
}

impl Hostile {
    pub fn always(answer: Canned) -> Self {
        Self::responding(move |_| answer.clone())
    }

    pub fn responding(respond: impl Fn(&Received) -> Canned + Send + Sync + 'static) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        let respond: Arc<Responder> = Arc::new(respond);
        rt.spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let log = log.clone();
                let respond = respond.clone();
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut socket).await else {
                        return;
                    };
                    log.lock().expect("log").push(request.clone());
                    let answer = respond(&request);
                    tokio::time::sleep(answer.delay).await;
                    let mut head = format!(
                        "{}\r\nContent-Length: {}\r\nConnection: close\r\n",
                        answer.status_line,
                        answer.body.len()
                    );
                    for (name, value) in &answer.headers {
                        head.push_str(&format!("{name}: {value}\r\n"));
                    }
                    head.push_str("\r\n");
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.write_all(&answer.body).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Self {
            url,
            received,
            _rt: rt,
        }
    }

    pub fn requests(&self) -> Vec<Received> {
        self.received.lock().expect("log").clone()
    }

    /// The requests to `path` only (a token request is accompanied by a key fetch).
    pub fn requests_to(&self, method: &str, path: &str) -> Vec<Received> {
        let line = format!("{method} {path} ");
        self.requests()
            .into_iter()
            .filter(|r| r.head.starts_with(&line))
            .collect()
    }

    pub fn token_requests(&self) -> Vec<Received> {
        self.requests_to("POST", "/oauth/token")
    }
}

impl Received {
    pub fn is_to(&self, method: &str, path: &str) -> bool {
        self.head.starts_with(&format!("{method} {path} "))
    }
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(Received {
        head,
        body: buf[head_end..].to_vec(),
    })
}

/// The real binary, with a clean environment for the things it reads.
pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cl-login-tester"));
    cmd.env_remove("CL_PASSWORD")
        .env_remove("CL_REFRESH_TOKEN")
        .env_remove("CL_TOKEN")
        .stdin(Stdio::null());
    cmd
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not one JSON object ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Asserts that a secret shows up nowhere in what the process printed.
    pub fn assert_never_shows(&self, secret: &str) {
        assert!(
            !self.stdout.contains(secret),
            "secret leaked on stdout:\n{}",
            self.stdout
        );
        assert!(
            !self.stderr.contains(secret),
            "secret leaked on stderr:\n{}",
            self.stderr
        );
    }
}

fn finish(output: Output) -> Run {
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs the binary with `args`, piping `stdin` to it.
pub fn run_with_stdin(args: &[&str], stdin: &str) -> Run {
    let mut cmd = bin();
    cmd.args(args);
    run_piped(cmd, stdin)
}

fn run_piped(mut cmd: Command, stdin: &str) -> Run {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    if let Some(mut pipe) = child.stdin.take() {
        let _ = pipe.write_all(stdin.as_bytes());
    }
    finish(child.wait_with_output().expect("wait"))
}

pub fn run(cmd: &mut Command) -> Run {
    finish(cmd.output().expect("run"))
}

/// A run of the real binary, written the way a script writes it. [`login`] starts one for the
/// demo's customer on its test client with the password on stdin; each call changes one thing.
#[derive(Clone)]
pub struct Invocation {
    args: Vec<String>,
    client_id: Option<String>,
    email: Option<String>,
    password: Option<String>,
    password_in_env: bool,
    env: Vec<(String, String)>,
}

/// `login --base-url BASE --client-id <demo test client> --email jane --password-stdin`.
pub fn login(base: &str) -> Invocation {
    command("login", base)
}

/// `NAME --base-url BASE` with the demo's client, customer and password, like [`login`].
pub fn command(name: &str, base: &str) -> Invocation {
    Invocation {
        args: vec![name.to_owned(), "--base-url".to_owned(), base.to_owned()],
        client_id: Some(catalog::TEST_CLIENT_ID.to_owned()),
        email: Some(catalog::CUSTOMER_EMAIL.to_owned()),
        password: Some(catalog::CUSTOMER_PASSWORD.to_owned()),
        password_in_env: false,
        env: Vec::new(),
    }
}

impl Invocation {
    pub fn client(mut self, client_id: &str) -> Self {
        self.client_id = Some(client_id.to_owned());
        self
    }

    pub fn email(mut self, email: &str) -> Self {
        self.email = Some(email.to_owned());
        self
    }

    /// Piped on stdin with --password-stdin.
    pub fn password(mut self, password: &str) -> Self {
        self.password = Some(password.to_owned());
        self
    }

    /// In CL_PASSWORD instead of stdin.
    pub fn password_in_env(mut self) -> Self {
        self.password_in_env = true;
        self
    }

    /// No customer at all: no email, no password (guest-only commands).
    pub fn no_customer(mut self) -> Self {
        self.email = None;
        self.password = None;
        self
    }

    /// No password from anywhere.
    pub fn no_password(mut self) -> Self {
        self.password = None;
        self
    }

    pub fn scope(self, scope: &str) -> Self {
        self.args(&["--scope", scope])
    }

    pub fn json(self) -> Self {
        self.args(&["--json"])
    }

    pub fn args(mut self, args: &[&str]) -> Self {
        self.args.extend(args.iter().map(|a| (*a).to_owned()));
        self
    }

    pub fn env(mut self, name: &str, value: &str) -> Self {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Runs it and collects what it printed.
    pub fn run(self) -> Run {
        let mut args = self.args;
        if let Some(id) = self.client_id {
            args.extend(["--client-id".to_owned(), id]);
        }
        if let Some(email) = self.email {
            args.extend(["--email".to_owned(), email]);
        }
        let mut cmd = bin();
        cmd.args(&args);
        for (name, value) in &self.env {
            cmd.env(name, value);
        }
        match (self.password, self.password_in_env) {
            (Some(password), true) => run(cmd.env("CL_PASSWORD", password)),
            (Some(password), false) => {
                cmd.arg("--password-stdin");
                run_piped(cmd, &format!("{password}\n"))
            }
            (None, _) => run(&mut cmd),
        }
    }
}

/// Whether a real Secret Service is up (`scripts/session.sh` sets `CL_TEST_SECRET_SERVICE=1`).
/// Under CI a missing one fails the test, so CI always exercises the real keyring; elsewhere the
/// test says SKIPPED loudly and returns.
pub fn secret_service(test: &str) -> bool {
    if std::env::var("CL_TEST_SECRET_SERVICE").is_ok_and(|v| v == "1") {
        return true;
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(
        !ci,
        "{test}: CI must test the real keyring, but no Secret Service is up \
         (CL_TEST_SECRET_SERVICE is not 1): run the tests inside \
         `dbus-run-session -- bash scripts/session.sh cargo test`"
    );
    // Straight to the stream, in one write: the test harness captures `eprintln!` of passing
    // tests, and the tests run in parallel.
    let line = format!(
        "SKIPPED: {test}: no Secret Service here; run \
         `dbus-run-session -- bash scripts/session.sh cargo test --test keyring`\n"
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
    false
}
