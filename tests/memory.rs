//! A password really gone: the real binary logs in with a long random password on stdin, and its
//! memory is read from /proc/PID/mem (every writable region in /proc/PID/maps: heap, stacks,
//! data) at two known points:
//!
//! - **in flight**: the server has received the whole request and holds its answer until the
//!   scan is done, so the process is waiting for the answer;
//! - **at exit**: `main` has returned, Rust's runtime has cleaned up and thread-local destructors
//!   have run; the process is inside libc's `exit()`, in the atexit handlers, before the kernel
//!   frees its memory. A 5-line shared library, compiled here and loaded with `LD_PRELOAD`,
//!   registers an atexit handler that stops the process (SIGSTOP) there; the test scans it and
//!   lets it go on (SIGCONT). The binary has no test-only code for this.
//!
//! Reading another process's memory needs the same user and a ptrace access check: the test is
//! the process's parent, which Yama's `ptrace_scope` 0 and 1 allow (2 needs root's
//! CAP_SYS_PTRACE, 3 forbids it). Where it cannot read, the test says SKIPPED, except under
//! `CI=true`, where it fails: CI must prove it.
#![cfg(target_os = "linux")]
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::HashSet;
use std::io::{Read, Seek, SeekFrom, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[path = "support/raw_http.rs"]
mod raw_http;
use raw_http::read_request;

#[path = "support/xwindow.rs"]
mod xwindow;
use xwindow::{can_drive_window, save_preferences, XWindow, ONE_WINDOW, PASSWORD_FIELD};

/// How much of the password counts as a partial copy.
const FRAGMENT: usize = 16;

/// The longest any step may take before the test calls it a hang.
const PATIENCE: Duration = Duration::from_secs(60);

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Whether this test can run here; says why not (and fails under CI).
fn can_scan(test: &str) -> Option<PathBuf> {
    let why_not = match (yama_forbids(), shim(test)) {
        (Some(why), _) => why,
        (None, Err(why)) => why,
        (None, Ok(shim)) => return Some(shim),
    };
    assert!(
        !in_ci(),
        "{test}: CI must scan the process's memory, but {why_not}"
    );
    let line = format!("SKIPPED: {test}: {why_not}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
    None
}

/// Yama's restriction on reading another process's memory, when it forbids ours.
fn yama_forbids() -> Option<String> {
    let scope = std::fs::read_to_string("/proc/sys/kernel/yama/ptrace_scope").ok()?;
    let root = std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().nth(1))
        == Some("0");
    match scope.trim() {
        "0" | "1" => None,
        "2" if root => None,
        other => Some(format!(
            "/proc/sys/kernel/yama/ptrace_scope is {other}: /proc/PID/mem cannot be read (run as root, or set it to 1)"
        )),
    }
}

/// The stop-at-exit library, compiled once per test run.
fn shim(test: &str) -> Result<PathBuf, String> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("stop-at-exit")
        .join(format!("{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("no scratch folder: {e}"))?;
    let source = dir.join("stop_at_exit.c");
    let library = dir.join("stop_at_exit.so");
    std::fs::write(
        &source,
        "#include <signal.h>\n#include <stdlib.h>\n\
         static void stop(void) { raise(SIGSTOP); }\n\
         __attribute__((constructor)) static void install(void) { atexit(stop); }\n",
    )
    .map_err(|e| format!("cannot write the shim: {e}"))?;
    let built = Command::new("cc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&library)
        .arg(&source)
        .output()
        .map_err(|e| format!("no C compiler (cc) to build the stop-at-exit shim: {e}"))?;
    if !built.status.success() {
        return Err(format!(
            "cc could not build the shim: {}",
            String::from_utf8_lossy(&built.stderr)
        ));
    }
    Ok(library)
}

/// A long random password: letters and digits, so JSON and form encoding leave it as it is.
fn random_password(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = vec![0u8; len];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).expect("random");
    bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The server that holds its answer

/// Answers the key fetch at once (404: no keys, the token is opaque anyway) and the token
/// request only when told to, after saying it has the whole request.
fn holding_server(password: &str) -> (String, mpsc::Receiver<bool>, mpsc::Sender<()>) {
    let password = password.to_owned();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (received_tx, received_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        let mut release = Some(release_rx);
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let Some((head, body)) = read_request(&mut stream) else {
                continue;
            };
            if head.starts_with("POST /oauth/token ") {
                let sent_password = String::from_utf8_lossy(&body).contains(&password);
                let _ = received_tx.send(sent_password);
                if let Some(release) = release.take() {
                    let _ = release.recv();
                }
                let body = r#"{"access_token":"opaque-token-for-the-memory-test","token_type":"bearer","expires_in":7200,"scope":"market:all"}"#;
                answer(&mut stream, "200 OK", body);
            } else {
                answer(&mut stream, "404 Not Found", "{}");
            }
        }
    });
    (url, received_rx, release_tx)
}

fn answer(stream: &mut TcpStream, status: &str, body: &str) {
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

// ---------------------------------------------------------------------------------------------
// Reading the process

/// Where the password was found in a process's memory.
#[derive(Debug, Default)]
struct Found {
    /// Addresses of whole copies.
    whole: Vec<u64>,
    /// Addresses and lengths of partial copies (at least [`FRAGMENT`] bytes).
    partial: Vec<(u64, usize)>,
}

impl Found {
    fn is_empty(&self) -> bool {
        self.whole.is_empty() && self.partial.is_empty()
    }
}

/// The writable regions of a process: the only places a copy made at run time can be.
fn writable_regions(pid: u32) -> Vec<(u64, u64, String)> {
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).expect("maps");
    maps.lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let range = fields.next()?;
            let perms = fields.next()?;
            let name = fields.nth(3).unwrap_or("").to_owned();
            if !perms.starts_with("rw") || name == "[vvar]" || name == "[vsyscall]" {
                return None;
            }
            let (start, end) = range.split_once('-')?;
            Some((
                u64::from_str_radix(start, 16).ok()?,
                u64::from_str_radix(end, 16).ok()?,
                name,
            ))
        })
        .collect()
}

/// Every copy of `secret`, whole or in fragments, in the process's writable memory.
fn scan(pid: u32, secret: &[u8]) -> Found {
    let mut mem = std::fs::File::open(format!("/proc/{pid}/mem")).expect("open /proc/PID/mem");
    let windows: HashSet<&[u8]> = secret.windows(FRAGMENT).collect();
    let alphabet: HashSet<u8> = secret.iter().copied().collect();
    let mut found = Found::default();
    for (start, end, _name) in writable_regions(pid) {
        let mut bytes = vec![0u8; usize::try_from(end - start).expect("size")];
        if mem.seek(SeekFrom::Start(start)).is_err() || mem.read_exact(&mut bytes).is_err() {
            continue;
        }
        let mut i = 0;
        while i + FRAGMENT <= bytes.len() {
            // No window can start in i..=i+15 if byte i+15 is not one of the secret's.
            if !alphabet.contains(&bytes[i + FRAGMENT - 1]) {
                i += FRAGMENT;
                continue;
            }
            if !windows.contains(&bytes[i..i + FRAGMENT]) {
                i += 1;
                continue;
            }
            let length = matching_run(&bytes[i..], secret);
            let at = start + i as u64;
            if bytes[i..].starts_with(secret) {
                found.whole.push(at);
                i += secret.len();
            } else {
                found.partial.push((at, length));
                i += length.max(1);
            }
        }
    }
    found
}

/// How long a stretch of `bytes` reads as a consecutive piece of `secret`.
fn matching_run(bytes: &[u8], secret: &[u8]) -> usize {
    let head = &bytes[..FRAGMENT.min(bytes.len())];
    (0..=secret.len().saturating_sub(FRAGMENT))
        .filter(|&k| secret[k..].starts_with(head))
        .map(|k| {
            bytes
                .iter()
                .zip(&secret[k..])
                .take_while(|(a, b)| a == b)
                .count()
        })
        .max()
        .unwrap_or(0)
}

fn state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) S ...": the state follows the last ')'.
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

fn wait_until_stopped(pid: u32) {
    let deadline = Instant::now() + PATIENCE;
    while state(pid) != Some('T') {
        assert!(
            Instant::now() < deadline,
            "the process never stopped at exit (state {:?})",
            state(pid)
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn signal(pid: u32, name: &str) {
    let status = Command::new("kill")
        .args([format!("-{name}"), pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success(), "kill -{name} {pid}");
}

/// Kills the child if the test fails while it is stopped, so no stopped process is left behind.
struct Reaped(Option<Child>);

impl Drop for Reaped {
    fn drop(&mut self) {
        if let Some(child) = &mut self.0 {
            let _ = child.kill();
            let _ = signal_quietly(child.id());
            let _ = child.wait();
        }
    }
}

fn signal_quietly(pid: u32) -> std::io::Result<std::process::ExitStatus> {
    Command::new("kill")
        .args(["-CONT", &pid.to_string()])
        .status()
}

fn describe(found: &Found, secret_len: usize) -> String {
    format!(
        "{} whole copies at {:x?}, {} partial ({:x?}) of a {secret_len}-byte password",
        found.whole.len(),
        found.whole,
        found.partial.len(),
        found.partial
    )
}

// ---------------------------------------------------------------------------------------------

#[test]
fn no_copy_of_a_password_read_from_stdin_survives_the_login() {
    let Some(shim) = can_scan("no_copy_of_a_password_read_from_stdin_survives_the_login") else {
        return;
    };
    let password = random_password(200);
    let (url, received, release) = holding_server(&password);
    let child = Command::new(env!("CARGO_BIN_EXE_cl-login-tester"))
        .args([
            "login",
            "--base-url",
            &url,
            "--client-id",
            "memory-test-client",
            "--email",
            "jane@example.com",
            "--password-stdin",
        ])
        .env("LD_PRELOAD", &shim)
        .env_remove("CL_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the binary");
    let mut child = Reaped(Some(child));
    let running = child.0.as_mut().expect("child");
    let pid = running.id();
    let mut stdin = running.stdin.take().expect("stdin");
    stdin
        .write_all(format!("{password}\n").as_bytes())
        .expect("password piped");
    drop(stdin);

    let sent = received
        .recv_timeout(PATIENCE)
        .expect("the token request reached the server");
    assert!(sent, "the request carried the password");
    let in_flight = scan(pid, password.as_bytes());
    for file in ["cmdline", "environ"] {
        let text = std::fs::read(format!("/proc/{pid}/{file}")).expect(file);
        assert!(
            !text
                .windows(FRAGMENT)
                .any(|w| password.as_bytes().windows(FRAGMENT).any(|p| p == w)),
            "the password is in /proc/PID/{file}"
        );
    }
    release.send(()).expect("release the answer");

    wait_until_stopped(pid);
    let at_exit = scan(pid, password.as_bytes());
    signal(pid, "CONT");
    let output = child
        .0
        .take()
        .expect("child")
        .wait_with_output()
        .expect("exit");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("Token issued"), "{stdout}");

    let line = format!(
        "memory scan: in flight {}; at exit {}\n",
        describe(&in_flight, password.len()),
        describe(&at_exit, password.len())
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
    assert!(
        at_exit.is_empty(),
        "the password outlived the login: {}",
        describe(&at_exit, password.len())
    );
    // While the request is open, the request (its SecretString) and the body being sent are
    // the only copies; the line read from stdin is already wiped.
    assert!(
        in_flight.whole.len() <= 2 && in_flight.partial.is_empty(),
        "more copies than the request and its body while in flight: {}",
        describe(&in_flight, password.len())
    );
}

/// The process running `exe` among the descendants of `ancestor`.
fn descendant_running(ancestor: u32, exe: &std::path::Path) -> Option<u32> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            let ppid = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            Some((pid, ppid))
        })
        .collect();
    let mut family = vec![ancestor];
    let mut i = 0;
    while let Some(&parent) = family.get(i) {
        family.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        i += 1;
    }
    family
        .into_iter()
        .find(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|p| p == exe))
}

/// Kills a process left stopped by a failed test.
struct Killed(u32);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-KILL", &self.0.to_string()])
            .status();
    }
}

#[test]
fn no_copy_of_a_password_typed_at_the_prompt_survives_the_login() {
    let test = "no_copy_of_a_password_typed_at_the_prompt_survives_the_login";
    let Some(shim) = can_scan(test) else {
        return;
    };
    let password = random_password(200);
    let (url, received, release) = holding_server(&password);
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_cl-login-tester")).expect("binary");
    // util-linux's `script` gives the command a terminal, so the tool prompts on it; only the
    // tool itself gets the shim.
    let command = format!(
        "env LD_PRELOAD='{}' '{}' login --base-url {url} --client-id memory-test-client --email jane@example.com",
        shim.display(),
        exe.display()
    );
    let spawned = Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .env_remove("CL_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let terminal = match spawned {
        Ok(child) => child,
        Err(e) => {
            assert!(
                !in_ci(),
                "{test}: CI must test the prompt, but `script` did not start: {e}"
            );
            let line = format!(
                "SKIPPED: {test}: no `script` (util-linux) to give the tool a terminal: {e}\n"
            );
            let _ = std::io::stderr().write_all(line.as_bytes());
            return;
        }
    };
    let mut terminal = Reaped(Some(terminal));
    let running = terminal.0.as_mut().expect("script");
    let script_pid = running.id();
    let mut keyboard = running.stdin.take().expect("stdin");
    let mut screen = running.stdout.take().expect("stdout");
    let (prompted_tx, prompted) = mpsc::channel();
    let shown = std::thread::spawn(move || {
        let mut seen = Vec::new();
        let mut chunk = [0u8; 256];
        let mut told = false;
        while let Ok(n) = screen.read(&mut chunk) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&chunk[..n]);
            if !told && String::from_utf8_lossy(&seen).contains("Password for") {
                told = true;
                let _ = prompted_tx.send(());
            }
        }
        String::from_utf8_lossy(&seen).into_owned()
    });
    prompted
        .recv_timeout(PATIENCE)
        .expect("the tool prompted for the password");
    let pid = descendant_running(script_pid, &exe).expect("the tool runs under script");
    let _killed = Killed(pid);
    keyboard
        .write_all(format!("{password}\r").as_bytes())
        .expect("password typed");

    let sent = received
        .recv_timeout(PATIENCE)
        .expect("the token request reached the server");
    assert!(sent, "the request carried the password");
    let in_flight = scan(pid, password.as_bytes());
    release.send(()).expect("release the answer");
    wait_until_stopped(pid);
    let at_exit = scan(pid, password.as_bytes());
    // `script` stops itself when its child stops (it emulates job control) and then does not
    // always notice the child's exit: the tool has done its work, so both are ended here.
    drop(_killed);
    drop(keyboard);
    drop(terminal);
    let screen = shown.join().expect("screen");
    assert!(
        !screen.contains(&password),
        "the password was echoed: {screen}"
    );

    let line = format!(
        "memory scan (prompt): in flight {}; at exit {}\n",
        describe(&in_flight, password.len()),
        describe(&at_exit, password.len())
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
    assert!(
        at_exit.is_empty(),
        "the typed password outlived the login: {}",
        describe(&at_exit, password.len())
    );
    assert!(
        in_flight.whole.len() <= 2 && in_flight.partial.is_empty(),
        "more copies than the request and its body while in flight: {}",
        describe(&in_flight, password.len())
    );
}

// ---------------------------------------------------------------------------------------------
// The window

/// The real window on the demo, its data folder a fresh one of its own.
struct DemoWindow {
    child: Reaped,
    pid: u32,
    window: XWindow,
    _data_home: tempfile::TempDir,
}

impl DemoWindow {
    /// Opens the window; `preferences`, when given, is what a previous run saved.
    fn open(preferences: Option<&str>) -> Self {
        let data_home = tempfile::tempdir().expect("a data folder");
        if let Some(preferences) = preferences {
            save_preferences(data_home.path(), preferences);
        }
        let child = Command::new(env!("CARGO_BIN_EXE_cl-login-tester"))
            .arg("--demo")
            .env_remove("CL_PASSWORD")
            .env("XDG_DATA_HOME", data_home.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the window");
        let pid = child.id();
        let child = Reaped(Some(child));
        Self {
            child,
            pid,
            window: XWindow::of(pid),
            _data_home: data_home,
        }
    }

    /// The copies of `password` the window holds now (the window is paused for the scan).
    fn scan(&self, password: &str) -> Found {
        scan_paused(self.pid, password.as_bytes())
    }

    fn close(self) {
        drop(self.child);
    }
}

/// The scan sees the password while it is in the field (else the typing missed it, and an empty
/// scan later would prove nothing).
fn assert_seen_in_the_field(typed: &Found, password: &str) {
    assert!(
        !typed.whole.is_empty(),
        "the scan finds the password while it is in the field (else the typing missed it): {}",
        describe(typed, password.len())
    );
}

/// The copies of `secret` a running (not stopped-at-exit) process holds: stopped for the scan.
fn scan_paused(pid: u32, secret: &[u8]) -> Found {
    signal(pid, "STOP");
    wait_until_stopped(pid);
    let found = scan(pid, secret);
    signal(pid, "CONT");
    found
}

/// The real window with the demo: a long random password typed into the field with xdotool,
/// sent (Enter), then deleted by hand (select all, Backspace). While it is in the field it is in
/// memory (the scan sees it); once the field is empty, no copy of it, whole or in pieces, is
/// left anywhere: not in egui's undo history, not in the buffers the string grew through, not
/// in the demo server's parsed request.
#[test]
fn no_copy_of_a_password_typed_in_the_window_survives_emptying_the_field() {
    let test = "no_copy_of_a_password_typed_in_the_window_survives_emptying_the_field";
    if can_scan(test).is_none() || !can_drive_window(test) {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let password = random_password(64);
    let window = DemoWindow::open(None);
    window.window.fill(PASSWORD_FIELD, &password);
    window.window.send();
    let typed = window.scan(&password);
    assert_seen_in_the_field(&typed, &password);

    window.window.select_field(PASSWORD_FIELD);
    window.window.key("BackSpace");
    window.window.let_frames_run();
    let emptied = window.scan(&password);
    window.close();

    let line = format!(
        "window memory scan: in the field {}; field emptied {}\n",
        describe(&typed, password.len()),
        describe(&emptied, password.len())
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
    assert!(
        emptied.is_empty(),
        "the password outlived the field: {}",
        describe(&emptied, password.len())
    );
}

/// The same with "Clear the password after each attempt" on, as saved by an earlier run: the
/// person types and presses Enter, nothing else. Once the answer is on screen the field is
/// empty and no copy of the password is left in the process.
#[test]
fn no_copy_of_a_password_survives_a_login_with_clear_after_each_attempt_on() {
    let test = "no_copy_of_a_password_survives_a_login_with_clear_after_each_attempt_on";
    if can_scan(test).is_none() || !can_drive_window(test) {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let password = random_password(64);
    let window = DemoWindow::open(Some("(clear_password_after_attempt:true)"));
    window.window.fill(PASSWORD_FIELD, &password);
    let typed = window.scan(&password);
    assert_seen_in_the_field(&typed, &password);

    window.window.send();
    let sent = window.scan(&password);
    window.close();

    let line = format!(
        "window memory scan, clear after each attempt: typed {}; answer shown {}\n",
        describe(&typed, password.len()),
        describe(&sent, password.len())
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
    assert!(
        sent.is_empty(),
        "the password outlived the attempt although the saved setting clears it: {}",
        describe(&sent, password.len())
    );
}
