//! `batch` as a QA person runs it: the real binary against the in-process demo server (whose
//! record of token requests shows the pacing) and against servers that misbehave.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cl_login_tester::demo::qa::{
    qa_disabled, qa_email, qa_password, QA_OTHER_PASSWORD, QA_PASSWORD,
};
use cl_login_tester::demo::Arrival;
use serde_json::Value;
use support::{bin, catalog, run, Canned, Demo, Hostile, Run};

fn write_csv(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write csv");
    path
}

/// Rows for qa customers `numbers`, each with its right password, expecting what the demo
/// answers (a disabled customer is refused).
fn qa_csv(numbers: std::ops::RangeInclusive<u32>) -> String {
    let mut text = "email,password,expect\n".to_owned();
    for n in numbers {
        let expect = if qa_disabled(n) {
            "invalid_grant"
        } else {
            "ok"
        };
        text.push_str(&format!("{},{},{expect}\n", qa_email(n), qa_password(n)));
    }
    text
}

/// `batch FILE` against `base` with the test client, the shared password in CL_PASSWORD.
/// A scratch folder with rows.csv (the demo's customers `numbers`, each with their password)
/// and the path out.jsonl for the results.
fn qa_files(numbers: std::ops::RangeInclusive<u32>) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("dir");
    let csv = write_csv(dir.path(), "rows.csv", &qa_csv(numbers));
    let out = dir.path().join("out.jsonl");
    (dir, csv, out)
}

fn batch(base: &str, csv: &Path, out: &Path, extra: &[&str]) -> Command {
    batch_as(catalog::TEST_CLIENT_ID, base, csv, out, extra)
}

fn batch_as(client_id: &str, base: &str, csv: &Path, out: &Path, extra: &[&str]) -> Command {
    let mut cmd = bin();
    cmd.arg("batch")
        .arg(csv)
        .args(["--base-url", base, "--client-id", client_id])
        .arg("--output")
        .arg(out)
        .args(extra)
        .env("CL_PASSWORD", QA_PASSWORD)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn finish(child: Child) -> Run {
    let output = child.wait_with_output().expect("wait");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The results file's rows.
fn rows(out: &Path) -> Vec<Value> {
    std::fs::read_to_string(out)
        .expect("results")
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// Every row 1..=n exactly once, in order.
fn assert_each_row_once(rows: &[Value], n: u64) {
    let numbers: Vec<u64> = rows
        .iter()
        .map(|r| r["row"].as_u64().expect("row"))
        .collect();
    assert_eq!(numbers, (1..=n).collect::<Vec<_>>());
}

fn outcomes(rows: &[Value]) -> Vec<&str> {
    rows.iter()
        .map(|r| r["outcome"].as_str().expect("outcome"))
        .collect()
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(15), "never: {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn lines_in(path: &Path) -> usize {
    std::fs::read_to_string(path).map_or(0, |t| t.lines().count())
}

#[test]
fn the_example_file_runs_every_row_as_expected() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("results.jsonl");
    let csv = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/bulk-200.csv");
    let mut cmd = batch(
        demo.url(),
        &csv,
        &out,
        &["--rate", "1000/s", "--concurrency", "8", "--json"],
    );
    let done = run(&mut cmd);
    assert_eq!(done.code, 0, "{}", done.stderr);
    let rows = rows(&out);
    assert_each_row_once(&rows, 200);
    assert_eq!(
        done.stdout.lines().count(),
        200,
        "--json prints each row too"
    );
    assert!(rows.iter().all(|r| r["matched"] == true));
    let row = |n: usize| rows.get(n - 1).expect("row");
    assert_eq!(row(1)["outcome"], "ok");
    assert_eq!(row(1)["mode"], "test");
    assert_eq!(row(1)["granted_scope"], "market:code:europe");
    assert_eq!(row(1)["owner_id"], "qAcUsT0001");
    assert_eq!(row(3)["error_code"], "invalid_scope");
    assert_eq!(
        row(3)["label"],
        "B2B market, customer not in the \"b2b\" group"
    );
    assert_eq!(row(7)["outcome"], "refused");
    assert_eq!(row(7)["error_code"], "invalid_grant");
    assert_eq!(row(10)["expect"], "invalid_grant");
    assert_eq!(row(20)["outcome"], "ok", "its own password cell");
    assert_eq!(row(11)["scope"], "store:code:milan");
    assert!(row(11)["elapsed_ms"].as_f64().expect("ms") > 0.0);
    assert_eq!(row(11)["tries"], 1);
    assert!(row(11)["revoked"].is_null());
    let keys: Vec<&str> = row(1)
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "row",
        "email",
        "label",
        "scope",
        "outcome",
        "http_status",
        "error_code",
        "explanation",
        "owner_id",
        "granted_scope",
        "mode",
        "elapsed_ms",
        "tries",
        "expect",
        "matched",
    ] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only the owner may read the results");
    }
}

#[test]
fn the_pace_keeps_the_window_full_and_never_over_it() {
    let demo = Demo::with_rate_limit("5/2s");
    let (_dir, csv, out) = qa_files(1..=15);
    let done = run(&mut batch(
        demo.url(),
        &csv,
        &out,
        &["--rate", "5/2s", "--concurrency", "5"],
    ));
    let rows = rows(&out);
    assert_each_row_once(&rows, 15);
    assert!(rows.iter().all(|r| r["tries"] == 1), "no row was retried");
    assert_eq!(done.code, 0, "{}", done.stderr);
    let arrivals: Vec<Arrival> = demo.server.token_arrivals();
    assert_eq!(arrivals.len(), 15);
    assert!(arrivals.iter().all(|a| a.status != 429), "{arrivals:?}");
    let period = Duration::from_secs(2);
    for (first, sixth) in arrivals.iter().zip(arrivals.iter().skip(5)) {
        assert!(
            sixth.at.duration_since(first.at) >= period,
            "six requests within one window"
        );
    }
    // The first window goes at once, the rest as soon as the window allows: 15 requests at
    // 5 per 2 s take two whole windows, plus a little for the answers and the margin.
    let first = arrivals.first().expect("first").at;
    let span = |n: usize| arrivals.get(n).expect("arrival").at.duration_since(first);
    assert!(span(4) < Duration::from_secs(1), "{:?}", span(4));
    let ideal = 2 * period;
    assert!(span(14) >= ideal);
    assert!(
        span(14) < ideal + Duration::from_millis(1500),
        "{:?}",
        span(14)
    );
}

#[test]
fn a_429_is_waited_out_and_the_row_tried_again() {
    // The server allows 3 a second; the tool is told 10: it meets 429s and must recover. One
    // request at a time, so nothing else is on its way when a 429 comes back.
    let demo = Demo::with_rate_limit("3/1s");
    let (_dir, csv, out) = qa_files(1..=6);
    let done = run(&mut batch(
        demo.url(),
        &csv,
        &out,
        &["--rate", "10/1s", "--concurrency", "1"],
    ));
    assert_eq!(done.code, 0, "{}", done.stderr);
    let rows = rows(&out);
    assert_each_row_once(&rows, 6);
    assert!(outcomes(&rows).iter().all(|o| *o == "ok"), "{rows:?}");
    assert!(rows.iter().any(|r| r["tries"].as_u64() > Some(1)));
    let arrivals = demo.server.token_arrivals();
    let limited: Vec<&Arrival> = arrivals.iter().filter(|a| a.status == 429).collect();
    assert!(!limited.is_empty());
    // After a 429 (Retry-After: 1), nothing goes out for a second.
    for refused in &limited {
        let too_soon = arrivals
            .iter()
            .filter(|a| a.at > refused.at && a.at < refused.at + Duration::from_secs(1));
        assert_eq!(too_soon.count(), 0, "a request went out during Retry-After");
    }
}

#[test]
fn rows_still_rate_limited_after_five_tries_exit_4() {
    let server = Hostile::always(
        Canned::json(
            "429 Too Many Requests",
            r#"{"errors":[{"title":"Too Many Requests","code":"TOO_MANY_REQUESTS","status":429}]}"#,
        )
        .header("Retry-After", "0"),
    );
    let dir = tempfile::tempdir().expect("dir");
    let csv = write_csv(dir.path(), "rows.csv", "email\nqa001@example.com\n");
    let out = dir.path().join("out.jsonl");
    let done = run(&mut batch(&server.url, &csv, &out, &["--rate", "100/1s"]));
    assert_eq!(done.code, 4, "{}", done.stderr);
    let rows = rows(&out);
    assert_eq!(
        rows.first().map(|r| &r["outcome"]),
        Some(&Value::from("rate_limited"))
    );
    assert_eq!(rows.first().map(|r| &r["tries"]), Some(&Value::from(5)));
    assert_eq!(server.token_requests().len(), 5);
}

#[test]
fn a_server_that_goes_away_stops_the_run_and_resume_finishes_it() {
    let mut demo = Demo::start();
    let (_dir, csv, out) = qa_files(1..=12);
    let child = batch(
        demo.url(),
        &csv,
        &out,
        &["--rate", "2/1s", "--concurrency", "1", "--stop-after", "2"],
    )
    .spawn()
    .expect("spawn");
    wait_until("four answers", || demo.server.token_arrivals().len() >= 4);
    demo.server.stop();
    let stopped = finish(child);
    assert_eq!(stopped.code, 3, "{}", stopped.stderr);
    assert!(stopped.stderr.contains("--resume"), "{}", stopped.stderr);
    let before = rows(&out);
    assert_each_row_once(&before, 12);
    let answered = outcomes(&before)
        .iter()
        .filter(|o| **o == "ok" || **o == "refused")
        .count();
    assert!(answered >= 4, "{before:?}");
    let failed = outcomes(&before)
        .iter()
        .filter(|o| **o == "transport_error")
        .count();
    assert_eq!(failed, 2, "stopped after two failures in a row");
    let not_run: Vec<&Value> = before
        .iter()
        .filter(|r| r["outcome"] == "not_run")
        .collect();
    assert_eq!(not_run.len(), 12 - answered - 2);
    assert!(not_run
        .iter()
        .all(|r| r["error_code"] == "too_many_failures" && r["tries"] == 0));

    let again = Demo::start();
    let resumed = run(&mut batch(
        again.url(),
        &csv,
        &out,
        &["--rate", "100/1s", "--resume"],
    ));
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    let after = rows(&out);
    assert_each_row_once(&after, 12);
    assert!(outcomes(&after)
        .iter()
        .all(|o| *o == "ok" || *o == "refused"));
    assert_eq!(
        again.server.token_arrivals().len(),
        12 - answered,
        "rows answered before are kept, not sent again"
    );
}

#[test]
fn a_run_killed_mid_way_resumes_with_every_row_once() {
    let demo = Demo::start();
    let (_dir, csv, out) = qa_files(11..=20);
    let mut child = batch(demo.url(), &csv, &out, &["--rate", "2/1s"])
        .spawn()
        .expect("spawn");
    wait_until("three rows written", || lines_in(&out) >= 3);
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    // What a kill in the middle of a write leaves: half a line.
    let mut text = std::fs::read_to_string(&out).expect("results");
    let written = text.lines().count();
    assert!(written < 10, "the run was still going");
    text.push_str(r#"{"row":9,"email":"qa019@exa"#);
    std::fs::write(&out, text).expect("cut");
    // Counted by arrival time: a request of the killed run may still be being answered.
    let resumed_at = Instant::now();

    let resumed = run(&mut batch(
        demo.url(),
        &csv,
        &out,
        &["--rate", "100/1s", "--resume"],
    ));
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    let after = rows(&out);
    assert_each_row_once(&after, 10);
    assert!(after.iter().all(|r| r["matched"] == true));
    assert_eq!(
        demo.server
            .token_arrivals()
            .iter()
            .filter(|a| a.at >= resumed_at)
            .count(),
        10 - written,
        "only rows without a final answer are sent again"
    );
    assert!(!support_partial(&out).exists());
}

fn support_partial(out: &Path) -> PathBuf {
    let mut name = out.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

#[cfg(unix)]
#[test]
fn ctrl_c_writes_the_rows_in_flight_and_the_rest_as_not_run() {
    let server = Hostile::always(
        Canned::json(
            "400 Bad Request",
            r#"{"errors":[{"title":"invalid_grant","code":"BAD_REQUEST","status":400}]}"#,
        )
        .delayed(Duration::from_millis(800)),
    );
    let (_dir, csv, out) = qa_files(1..=10);
    let child = batch(
        &server.url,
        &csv,
        &out,
        &["--rate", "100/1s", "--concurrency", "2"],
    )
    .spawn()
    .expect("spawn");
    wait_until("two requests in flight", || {
        server.token_requests().len() >= 2
    });
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(interrupted.success());
    let done = finish(child);
    assert_eq!(done.code, 3, "{}", done.stderr);
    assert!(done.stderr.contains("stopping"), "{}", done.stderr);
    let rows = rows(&out);
    assert_each_row_once(&rows, 10);
    let sent = server.token_requests().len();
    assert_eq!(sent, 2, "nothing is sent after Ctrl-C");
    let (answered, not_run): (Vec<&Value>, Vec<&Value>) =
        rows.iter().partition(|r| r["outcome"] == "refused");
    assert_eq!(answered.len(), sent, "the answers in flight are written");
    assert!(answered.iter().all(|r| r["error_code"] == "invalid_grant"));
    assert!(not_run
        .iter()
        .all(|r| r["outcome"] == "not_run" && r["error_code"] == "interrupted"));
}

#[test]
fn quotes_bom_crlf_empty_passwords_and_unknown_columns_are_read() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().expect("dir");
    let csv = write_csv(
        dir.path(),
        "rows.csv",
        &format!(
            "\u{feff}Email,PASSWORD,Label,Notes\r\n\
             qa001@example.com,,\"EU, \"\"VIP\"\"\r\nbuyer\",x\r\n\
             \r\n\
             {},{QA_OTHER_PASSWORD},plain,y\r\n\
             \"{}\",\"{}\",,z\r\n",
            qa_email(10),
            catalog::UNICODE_EMAIL,
            catalog::UNICODE_PASSWORD,
        ),
    );
    let out = dir.path().join("out.jsonl");
    let done = run(&mut batch(demo.url(), &csv, &out, &["--rate", "100/1s"]));
    assert_eq!(done.code, 0, "{}\n{}", done.stdout, done.stderr);
    assert!(
        done.stderr.contains("ignoring the columns Notes"),
        "{}",
        done.stderr
    );
    let rows = rows(&out);
    assert_each_row_once(&rows, 3);
    assert_eq!(outcomes(&rows), ["ok", "ok", "ok"]);
    assert_eq!(
        rows.first().map(|r| &r["label"]),
        Some(&Value::from("EU, \"VIP\"\r\nbuyer"))
    );
    assert_eq!(
        rows.get(2).map(|r| &r["email"]),
        Some(&Value::from(catalog::UNICODE_EMAIL))
    );
    // The summary table on stdout (no --json).
    assert!(
        done.stdout.contains("matched   3 of 3 rows"),
        "{}",
        done.stdout
    );
}

#[test]
fn a_bad_file_names_its_line_and_column_and_nothing_is_sent() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().expect("dir");
    let cases = [
        (
            "email,scope\nqa001@example.com,market:code:europe\nqa002@example.com,markt:code:usa\n",
            "line 3, column 2 (scope)",
        ),
        (
            "email,label\nqa001@example.com,\"never closed\nqa002@example.com,x\n",
            "line 2, column 2 (label)",
        ),
        (
            "email,expect\nqa001@example.com,perhaps so\n",
            "line 2, column 2 (expect)",
        ),
        (
            "mail,password\nqa001@example.com,x\n",
            "line 1: the header has no `email` column",
        ),
        (
            "email,password\nqa001@example.com,a,b\n",
            "line 2: this row has 3 values",
        ),
    ];
    for (text, said) in cases {
        let csv = write_csv(dir.path(), "bad.csv", text);
        let out = dir.path().join("never.jsonl");
        let done = run(&mut batch(demo.url(), &csv, &out, &[]));
        assert_eq!(done.code, 2, "{text}: {}", done.stderr);
        assert!(done.stderr.contains(said), "{text}: {}", done.stderr);
        assert!(!out.exists(), "no results file for a bad input");
    }
    assert!(demo.server.token_arrivals().is_empty(), "nothing was sent");
}

#[test]
fn no_password_or_token_is_written_or_printed() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().expect("dir");
    let csv = write_csv(
        dir.path(),
        "rows.csv",
        &format!(
            "email,password,label\n\
             qa001@example.com,,shared\n\
             {},{QA_OTHER_PASSWORD},own\n\
             \"{}\",\"{}\",unicode\n\
             qa002@example.com,not-her-password,wrong\n",
            qa_email(20),
            catalog::UNICODE_EMAIL,
            catalog::UNICODE_PASSWORD,
        ),
    );
    let out = dir.path().join("out.jsonl");
    let mut cmd = batch(
        demo.url(),
        &csv,
        &out,
        &["--rate", "100/1s", "--revoke", "--json", "--password-stdin"],
    );
    cmd.env_remove("CL_PASSWORD").stdin(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(format!("{QA_PASSWORD}\n").as_bytes())
            .expect("password");
    }
    let done = finish(child);
    assert_eq!(
        done.code, 1,
        "the wrong password is not as expected: {}",
        done.stderr
    );
    let file = std::fs::read_to_string(&out).expect("results");
    for secret in [
        QA_PASSWORD,
        QA_OTHER_PASSWORD,
        catalog::UNICODE_PASSWORD,
        "not-her-password",
        "eyJ",
        "access_token",
        "refresh_token",
    ] {
        done.assert_never_shows(secret);
        assert!(!file.contains(secret), "{secret} in the results file");
    }
    let rows = rows(&out);
    assert_eq!(outcomes(&rows), ["ok", "ok", "ok", "refused"]);
    let revoked: Vec<&Value> = rows.iter().map(|r| &r["revoked"]).collect();
    assert_eq!(
        revoked,
        [
            &Value::from(true),
            &Value::from(true),
            &Value::from(true),
            &Value::Null
        ]
    );
}

#[test]
fn an_existing_results_file_is_never_overwritten() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().expect("dir");
    let csv = write_csv(dir.path(), "rows.csv", &qa_csv(1..=2));
    let out = write_csv(dir.path(), "out.jsonl", "precious\n");
    let done = run(&mut batch(demo.url(), &csv, &out, &[]));
    assert_eq!(done.code, 2);
    assert!(done.stderr.contains("--resume"), "{}", done.stderr);
    assert_eq!(std::fs::read_to_string(&out).expect("kept"), "precious\n");
    assert!(demo.server.token_arrivals().is_empty());
}

#[test]
fn an_unknown_client_id_stops_the_run_at_once() {
    let demo = Demo::start();
    let (_dir, csv, out) = qa_files(1..=6);
    let done = run(&mut batch_as(
        "no-such-client",
        demo.url(),
        &csv,
        &out,
        &["--rate", "100/1s", "--concurrency", "1"],
    ));
    assert_eq!(done.code, 3, "{}", done.stderr);
    assert!(done.stderr.contains("invalid_client"), "{}", done.stderr);
    let rows = rows(&out);
    assert_each_row_once(&rows, 6);
    assert_eq!(
        rows.first().map(|r| &r["error_code"]),
        Some(&Value::from("invalid_client"))
    );
    assert!(rows
        .iter()
        .skip(1)
        .all(|r| r["outcome"] == "not_run" && r["error_code"] == "client_refused"));
    assert_eq!(demo.server.token_arrivals().len(), 1);
}

#[test]
fn rows_not_as_expected_exit_1_and_are_listed() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().expect("dir");
    let csv = write_csv(
        dir.path(),
        "rows.csv",
        "email,expect,label\nqa001@example.com,,fine\nqa007@example.com,ok,disabled but expected to work\n",
    );
    let out = dir.path().join("out.jsonl");
    let done = run(&mut batch(demo.url(), &csv, &out, &["--rate", "100/1s"]));
    assert_eq!(done.code, 1, "{}", done.stderr);
    assert!(
        done.stdout.contains("row 2      qa007@example.com  [disabled but expected to work]: expected ok, got refused (invalid_grant)"),
        "{}",
        done.stdout
    );
    let rows = rows(&out);
    assert_eq!(
        rows.get(1).map(|r| &r["matched"]),
        Some(&Value::from(false))
    );
}

#[test]
fn the_csv_may_come_from_stdin_when_the_password_does_not() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("out.jsonl");
    let mut cmd = batch(demo.url(), Path::new("-"), &out, &["--rate", "100/1s"]);
    cmd.stdin(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(qa_csv(1..=3).as_bytes()).expect("csv");
    }
    let done = finish(child);
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert_each_row_once(&rows(&out), 3);

    let elsewhere = dir.path().join("other.jsonl");
    let both = run(&mut batch(
        demo.url(),
        Path::new("-"),
        &elsewhere,
        &["--password-stdin"],
    ));
    assert_eq!(both.code, 2);
    assert!(
        both.stderr.contains("cannot both come from stdin"),
        "{}",
        both.stderr
    );
}
