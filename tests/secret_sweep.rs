//! Every command, run with a sentinel password, refresh token and access token against a server
//! that issues the sentinels: none of them appears in stdout, stderr, any file under a temporary
//! HOME and XDG folders, or any process's command line while a request is open; and a panic
//! prints no secret its message carried.
//!
//! `--json` and `--show-token` print tokens on purpose (the README says so): there the test
//! checks that the tokens do appear, which also proves the server really issued the sentinels,
//! so their absence everywhere else means something.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

#[path = "support/raw_http.rs"]
mod raw_http;
use raw_http::read_request;

#[path = "support/xwindow.rs"]
mod xwindow;
use xwindow::{can_drive_window, save_preferences, XWindow, ONE_WINDOW};

use cl_login_tester::attempt::Attempt;
use cl_login_tester::auth::jwt::encode_part;
use cl_login_tester::auth::outcome::HttpAnswer;
use cl_login_tester::auth::{Encoding, Endpoint, RequestSummary};
use cl_login_tester::report::history::{History, FILE_NAME};

/// The three secrets, unique to this run.
struct Sentinels {
    password: String,
    refresh_token: String,
    access_token: String,
    /// The access token's signature: the part of a JWT no decoded view should show.
    signature: String,
}

impl Sentinels {
    fn new() -> Self {
        let unique = format!("{}{}", std::process::id(), nanos());
        let signature = encode_part(format!("SENTINEL-SIGNATURE-{unique}").as_bytes());
        let header = encode_part(br#"{"alg":"RS512","typ":"JWT","kid":"sweep-key"}"#);
        let claims = encode_part(
            serde_json::json!({
                "organization": {"slug": "sweep", "id": "org1"},
                "application": {"kind": "sales_channel", "public": true},
                "owner": {"id": "cust1", "type": "Customer"},
                "market": {"id": ["m1"], "stock_location_ids": ["s1"]},
                "scope": "market:all", "test": true,
                "exp": 4_102_444_800_i64, "iat": 1_700_000_000_i64,
            })
            .to_string()
            .as_bytes(),
        );
        Self {
            password: format!("SENTINELpassword{unique}"),
            refresh_token: format!("SENTINELrefresh{unique}"),
            access_token: format!("{header}.{claims}.{signature}"),
            signature,
        }
    }

    /// Each secret with its name, as searched for.
    fn all(&self) -> [(&'static str, &str); 4] {
        [
            ("password", &self.password),
            ("refresh token", &self.refresh_token),
            ("access token", &self.access_token),
            ("access token's signature", &self.signature),
        ]
    }

    fn token_answer(&self) -> String {
        serde_json::json!({
            "access_token": self.access_token, "token_type": "bearer", "expires_in": 7200,
            "refresh_token": self.refresh_token, "scope": "market:all",
            "created_at": 1_700_000_000_i64,
        })
        .to_string()
    }
}

fn nanos() -> u128 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

// ---------------------------------------------------------------------------------------------
// The server issuing the sentinels

/// The client ID whose customer logins are refused (for `diagnose`).
const REFUSING_CLIENT: &str = "sweep-refusing-client";

struct Server {
    url: String,
    /// Command lines of any process on this machine that held a sentinel while a request was
    /// open.
    leaks: Arc<Mutex<Vec<String>>>,
    requests: Arc<Mutex<usize>>,
}

fn serve(sentinels: &Sentinels) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let leaks = Arc::new(Mutex::new(Vec::new()));
    let requests = Arc::new(Mutex::new(0));
    let answer = sentinels.token_answer();
    let secrets: Vec<String> = sentinels
        .all()
        .iter()
        .map(|(_, s)| (*s).to_owned())
        .collect();
    let (leaks_seen, counted) = (leaks.clone(), requests.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let Some((head, body)) = read_request(&mut stream) else {
                continue;
            };
            *counted.lock().expect("count") += 1;
            leaks_seen
                .lock()
                .expect("leaks")
                .extend(command_lines_holding(&secrets));
            let body = String::from_utf8_lossy(&body);
            let (status, text) = if head.starts_with("GET /.well-known/jwks.json") {
                ("200 OK", r#"{"keys":[]}"#.to_owned())
            } else if head.starts_with("POST /oauth/revoke") {
                ("200 OK", "{}".to_owned())
            } else if body.contains(REFUSING_CLIENT) && body.contains("\"password\"") {
                (
                    "400 Bad Request",
                    r#"{"errors":[{"title":"invalid_grant","detail":"The provided authorization grant is invalid","code":"BAD_REQUEST","status":400}]}"#.to_owned(),
                )
            } else {
                ("200 OK", answer.clone())
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
        }
    });
    Server {
        url,
        leaks,
        requests,
    }
}

/// The command line of every process that holds a secret in it.
fn command_lines_holding(secrets: &[String]) -> Vec<String> {
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    processes
        .flatten()
        .filter_map(|entry| std::fs::read(entry.path().join("cmdline")).ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).replace('\0', " "))
        .filter(|line| secrets.iter().any(|s| line.contains(s.as_str())))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Running the binary in a scratch home

struct Home {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Home {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("scratch home");
        let root = dir.path().to_path_buf();
        for sub in ["data", "config", "cache", "state", "runtime"] {
            std::fs::create_dir_all(root.join(sub)).expect("xdg folder");
        }
        Self { _dir: dir, root }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cl-login-tester"));
        cmd.args(args)
            .current_dir(&self.root)
            .env("HOME", &self.root)
            .env("XDG_DATA_HOME", self.root.join("data"))
            .env("XDG_CONFIG_HOME", self.root.join("config"))
            .env("XDG_CACHE_HOME", self.root.join("cache"))
            .env("XDG_STATE_HOME", self.root.join("state"))
            .env_remove("CL_PASSWORD")
            .env_remove("CL_REFRESH_TOKEN")
            .env_remove("CL_TOKEN")
            .env_remove("CL_TEST_PANIC")
            .env_remove("RUST_BACKTRACE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    /// Every file under the home, with its bytes.
    fn files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut found = Vec::new();
        let mut folders = vec![self.root.clone()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).expect("read folder").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                } else if let Ok(bytes) = std::fs::read(&path) {
                    found.push((path, bytes));
                }
            }
        }
        found
    }
}

/// No file holds any of the secrets, whole.
fn assert_no_file_holds(files: &[(PathBuf, Vec<u8>)], sentinels: &Sentinels) {
    for (path, bytes) in files {
        let text = String::from_utf8_lossy(bytes);
        for (what, secret) in sentinels.all() {
            assert!(
                !text.contains(secret),
                "{} holds the {what}",
                path.display()
            );
        }
    }
}

struct Ran {
    label: String,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Ran {
    fn assert_hides(&self, secrets: &[(&str, &str)]) {
        for (what, secret) in secrets {
            for (stream, text) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
                assert!(
                    !text.contains(secret),
                    "`{}` shows the {what} on {stream}:\n{text}",
                    self.label
                );
            }
        }
    }

    fn assert_code(self, code: i32) -> Self {
        assert_eq!(
            self.code,
            Some(code),
            "`{}`:\nstdout:\n{}\nstderr:\n{}",
            self.label,
            self.stdout,
            self.stderr
        );
        self
    }
}

fn run(home: &Home, args: &[&str], env: &[(&str, &str)], stdin: &str) -> Ran {
    let mut cmd = home.command(args);
    for (name, value) in env {
        cmd.env(name, value);
    }
    let mut child = cmd.spawn().expect("spawn");
    if let Some(mut pipe) = child.stdin.take() {
        let _ = pipe.write_all(stdin.as_bytes());
    }
    let output = child.wait_with_output().expect("wait");
    let label = format!(
        "{} {}",
        env.iter()
            .map(|(n, _)| format!("{n}=…"))
            .collect::<Vec<_>>()
            .join(" "),
        args.join(" ")
    );
    Ran {
        label: label.trim().to_owned(),
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(extra).copied().collect()
}

/// An attempt that issued the sentinel tokens, as the window would keep it in its history.
fn kept_attempt(sentinels: &Sentinels, url: &str) -> Attempt {
    let request = RequestSummary {
        endpoint: Endpoint::Token,
        url: format!("{url}/oauth/token"),
        grant_type: Some("password".to_owned()),
        client_id: "sweep-client".to_owned(),
        username: Some("jane@example.com".to_owned()),
        scope: None,
        encoding: Encoding::Json,
    };
    let body = sentinels.token_answer();
    let answer = HttpAnswer {
        status: 200,
        headers: &[],
        body: body.as_bytes(),
        truncated: false,
    };
    Attempt::answered(
        request,
        SystemTime::now(),
        Duration::from_millis(3),
        &answer,
    )
}

// ---------------------------------------------------------------------------------------------

#[test]
fn no_command_shows_or_stores_a_secret() {
    let sentinels = Sentinels::new();
    let server = serve(&sentinels);
    let home = Home::new();
    let url = server.url.as_str();
    let password_line = format!("{}\n", sentinels.password);
    let refresh_line = format!("{}\n", sentinels.refresh_token);
    let access_line = format!("{}\n", sentinels.access_token);
    let md = home.root.join("report.md");
    let json_file = home.root.join("report.json");
    let (md, json_file) = (
        md.to_str().expect("utf-8 path"),
        json_file.to_str().expect("path"),
    );

    let target = ["--base-url", url, "--client-id", "sweep-client"];
    let login = with(&["login", "--email", "jane@example.com"], &target);
    let password_env = [("CL_PASSWORD", sentinels.password.as_str())];
    let mut hidden: Vec<Ran> = Vec::new();
    let mut on_purpose: Vec<Ran> = Vec::new();

    // login: every output form, the password from stdin and from the environment.
    for extra in [
        &[][..],
        &["--form"],
        &["--report", "md"],
        &["--report", "json"],
        &["--report-file", md],
        &["--report-file", json_file, "--mask-email"],
    ] {
        let args = with(&with(&login, &["--password-stdin"]), extra);
        hidden.push(run(&home, &args, &[], &password_line).assert_code(0));
        hidden.push(run(&home, &with(&login, extra), &password_env, "").assert_code(0));
    }
    for extra in [&["--json"][..], &["--show-token"]] {
        let args = with(&with(&login, &["--password-stdin"]), extra);
        on_purpose.push(run(&home, &args, &[], &password_line));
    }
    // refresh: the refresh token from stdin and from the environment.
    let refresh = with(&["refresh"], &target);
    for extra in [&[][..], &["--report", "md"], &["--report-file", md]] {
        let args = with(&with(&refresh, &["--refresh-token-stdin"]), extra);
        hidden.push(run(&home, &args, &[], &refresh_line).assert_code(0));
        let env = [("CL_REFRESH_TOKEN", sentinels.refresh_token.as_str())];
        hidden.push(run(&home, &with(&refresh, extra), &env, "").assert_code(0));
    }
    on_purpose.push(run(
        &home,
        &with(&refresh, &["--refresh-token-stdin", "--json"]),
        &[],
        &refresh_line,
    ));

    // guest: no secret goes in, the sentinel tokens come back.
    let guest = with(&["guest"], &target);
    for extra in [
        &[][..],
        &["--report", "json"],
        &["--report-file", json_file],
    ] {
        hidden.push(run(&home, &with(&guest, extra), &[], "").assert_code(0));
    }
    on_purpose.push(run(&home, &with(&guest, &["--show-token"]), &[], ""));

    // diagnose: a refused login, then the guest requests that name the cause.
    let diagnose = [
        "diagnose",
        "--email",
        "jane@example.com",
        "--base-url",
        url,
        "--client-id",
        REFUSING_CLIENT,
    ];
    for extra in [&["--password-stdin"][..], &["--password-stdin", "--json"]] {
        let ran = run(&home, &with(&diagnose, extra), &[], &password_line);
        assert_ne!(ran.code, Some(2), "{}: {}", ran.label, ran.stderr);
        hidden.push(ran);
    }
    hidden.push(run(&home, &diagnose, &password_env, ""));

    // batch: the shared password for rows without one; results in a file, rows on stdout.
    let csv = home.root.join("rows.csv");
    std::fs::write(
        &csv,
        "email,label\njane@example.com,first\nbob@example.com,second\n",
    )
    .expect("csv");
    let results = home.root.join("results.jsonl");
    let (csv, results) = (csv.to_str().expect("path"), results.to_str().expect("path"));
    let batch = with(&["batch", csv], &target);
    let args = with(
        &batch,
        &[
            "--password-stdin",
            "--output",
            results,
            "--json",
            "--revoke",
        ],
    );
    hidden.push(run(&home, &args, &[], &password_line).assert_code(0));
    hidden.push(run(&home, &batch, &password_env, "").assert_code(0));

    // matrix: one password for every row, customer and guest cells, text and JSON.
    let matrix = with(
        &[
            "matrix",
            "--email",
            "jane@example.com",
            "--scope",
            "market:code:eu",
        ],
        &target,
    );
    for extra in [
        &["--password-stdin"][..],
        &["--password-stdin", "--json", "--revoke"],
    ] {
        hidden.push(run(&home, &with(&matrix, extra), &[], &password_line).assert_code(0));
    }
    hidden.push(run(&home, &matrix, &password_env, "").assert_code(0));

    // revoke: the access token and the refresh token, from stdin and the environment.
    let revoke = ["revoke", "--base-url", url, "--client-id", "sweep-client"];
    for (line, token) in [
        (&access_line, &sentinels.access_token),
        (&refresh_line, &sentinels.refresh_token),
    ] {
        for extra in [&["--token-stdin"][..], &["--token-stdin", "--json"]] {
            hidden.push(run(&home, &with(&revoke, extra), &[], line).assert_code(0));
        }
        let env = [("CL_TOKEN", token.as_str())];
        hidden.push(run(&home, &revoke, &env, "").assert_code(0));
    }

    // decode: the token itself is never printed, only what it says.
    for extra in [&[][..], &["--json"]] {
        let ran = run(&home, &with(&["decode"], extra), &[], &access_line).assert_code(0);
        assert!(ran.stdout.contains("cust1"), "{}", ran.stdout);
        hidden.push(ran);
    }
    let verify = ["decode", "--verify", "--base-url", url];
    hidden.push(run(&home, &verify, &[], &access_line));
    let env = [("CL_TOKEN", sentinels.access_token.as_str())];
    hidden.push(run(&home, &with(&verify, &["--json"]), &env, ""));

    // history: the window keeps reports of its attempts; the CLI lists them.
    let history = History::at(home.root.join("data/cl-login-tester").join(FILE_NAME));
    history
        .append(&kept_attempt(&sentinels, url), SystemTime::now())
        .expect("history kept");
    let listed = run(&home, &["history", "--json"], &[], "").assert_code(0);
    assert!(
        listed.stdout.contains(r#""organization":"sweep""#),
        "the kept attempt is listed: {}",
        listed.stdout
    );
    hidden.push(listed);
    hidden.push(run(&home, &["history"], &[], "").assert_code(0));

    // Profiles need a Secret Service: with one, a login through a profile too.
    if secret_service_up() {
        let name = format!("sweep-{}", nanos());
        let add = [
            "profiles",
            "add",
            &name,
            "--client-id",
            "sweep-client",
            "--base-url",
            url,
        ];
        hidden.push(run(&home, &add, &[], "").assert_code(0));
        let by_profile = ["login", "--profile", &name, "--email", "jane@example.com"];
        let ran = run(
            &home,
            &with(&by_profile, &["--password-stdin"]),
            &[],
            &password_line,
        );
        hidden.push(ran.assert_code(0));
        for args in [
            &["profiles", "list"][..],
            &["profiles", "list", "--json"],
            &["profiles", "show", &name, "--reveal", "--json"],
        ] {
            hidden.push(run(&home, args, &[], "").assert_code(0));
        }
        hidden.push(run(&home, &["profiles", "remove", &name], &[], "").assert_code(0));
    }

    for ran in &hidden {
        ran.assert_hides(&sentinels.all());
    }
    for ran in &on_purpose {
        ran.assert_hides(&[("password", &sentinels.password)]);
        assert!(
            ran.stdout.contains(&sentinels.access_token),
            "`{}` was asked for the token but does not show it: {}",
            ran.label,
            ran.stdout
        );
    }
    let files = home.files();
    assert!(
        files.iter().any(|(p, _)| p.ends_with("report.md")) && files.len() >= 3,
        "the reports and the history were written: {files:?}",
        files = files.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    assert_no_file_holds(&files, &sentinels);
    assert!(
        *server.requests.lock().expect("count") >= hidden.len(),
        "every command reached the server"
    );
    let leaks = server.leaks.lock().expect("leaks");
    assert!(leaks.is_empty(), "a command line held a secret: {leaks:?}");
}

/// The window, as a person uses it: preferences from an earlier run (this server, "Keep
/// history" on), the client ID, email and password typed, Enter. The login is issued the
/// sentinel tokens and kept in the history, and no secret reaches the window's stdout or
/// stderr, a file under HOME or the XDG folders, or any command line.
#[test]
fn the_window_shows_and_stores_no_secret_of_a_login() {
    let test = "the_window_shows_and_stores_no_secret_of_a_login";
    if !can_drive_window(test) {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let sentinels = Sentinels::new();
    let server = serve(&sentinels);
    let home = Home::new();
    save_preferences(
        &home.root.join("data"),
        &format!("(base_url:{:?},keep_history:true)", server.url),
    );
    let logs = tempfile::tempdir().expect("a folder for the window's output");
    let (out, err) = (logs.path().join("stdout"), logs.path().join("stderr"));
    let mut child = home
        .command(&[])
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::fs::File::create(&err).expect("stderr file"))
        .spawn()
        .expect("spawn the window");
    let window = XWindow::of(child.id());
    window.fill(xwindow::CLIENT_ID_FIELD, "sweep-client");
    window.fill(xwindow::EMAIL_FIELD, "jane@example.com");
    window.fill(xwindow::PASSWORD_FIELD, &sentinels.password);
    window.send();

    // "Keep history" writes the attempt in the background once its answer is in.
    let kept = home.root.join("data/cl-login-tester").join(FILE_NAME);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !kept.exists() && std::time::Instant::now() < deadline {
        window.let_frames_run();
    }
    let _ = child.kill();
    let _ = child.wait();
    let history = std::fs::read_to_string(&kept).unwrap_or_default();
    assert!(
        history.contains(r#""organization":"sweep""#),
        "the window logged in and kept the attempt (else nothing was tested): {history:?}"
    );
    assert_no_file_holds(&home.files(), &sentinels);
    let ran = Ran {
        label: "the window".to_owned(),
        code: None,
        stdout: std::fs::read_to_string(&out).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err).unwrap_or_default(),
    };
    ran.assert_hides(&sentinels.all());
    let leaks = server.leaks.lock().expect("leaks");
    assert!(leaks.is_empty(), "a command line held a secret: {leaks:?}");
}

#[test]
fn a_panic_prints_where_but_never_what_it_carried() {
    let home = Home::new();
    let secret = format!("SENTINELpanic{}", nanos());
    let ran = run(&home, &["--help"], &[("CL_TEST_PANIC", &secret)], "");
    assert_eq!(ran.code, Some(101), "a panic exits 101: {}", ran.stderr);
    assert!(
        ran.stderr.contains("hit a bug at src/main.rs:"),
        "the hook says where: {}",
        ran.stderr
    );
    ran.assert_hides(&[("panic message", &secret)]);
    assert!(ran.stdout.is_empty(), "{}", ran.stdout);
}

/// Whether a real Secret Service is up (`scripts/session.sh` sets `CL_TEST_SECRET_SERVICE=1`).
/// CI runs inside that session, so there the profiles part must run.
fn secret_service_up() -> bool {
    let up = std::env::var("CL_TEST_SECRET_SERVICE").is_ok_and(|v| v == "1");
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(
        up || !ci,
        "CI must sweep the profile commands too: run inside `dbus-run-session -- bash scripts/session.sh`"
    );
    if !up {
        let line = "SKIPPED (profiles part): no Secret Service here; run inside \
                    `dbus-run-session -- bash scripts/session.sh cargo test --test secret_sweep`\n";
        let _ = std::io::stderr().write_all(line.as_bytes());
    }
    up
}
