//! The window's "Bulk check" page driven with egui_kittest against the in-process demo server:
//! open a CSV (typed path or dropped file), see its preview or its problems, run it, read the
//! grid, filter it, open a row's answer, export and copy the summary.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cl_login_tester::batch::RowOutcome;
use cl_login_tester::demo::qa::QA_PASSWORD;
use egui_kittest::kittest::Queryable;
use support::window::Window;
use support::Demo;

/// A typo'd password (row 2, expected ok: a mismatch), a customer whose password is not the
/// shared one and who is expected to be refused (row 3), two that log in.
const SMALL_FILE: &str = "email,password,expect,label\n\
qa001@example.com,,,EU shopper\n\
qa002@example.com,not-her-password,,Typo in password\n\
qa010@example.com,,refused,Other password\n\
qa003@example.com,,ok,Third\n";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the CSV");
    path
}

/// Opens the bulk page and the file at `path` through the path field.
fn open(w: &mut Window, path: &Path) {
    w.click("Bulk check");
    w.retype("CSV file", &path.display().to_string());
    w.click("Open");
    w.step_until("the file check", |app| !app.bulk_busy());
}

/// Runs the file at `path` at a high rate with the shared password, until every row ended.
fn run(w: &mut Window, path: &Path) {
    open(w, path);
    assert!(w.shows("4 rows"), "the check counted the rows");
    w.retype("Shared password", QA_PASSWORD);
    w.retype("Rate", "6000/min");
    w.click("Start");
    w.step_until("the run", |app| {
        !app.bulk_busy() && app.bulk_rows().len() == 4
    });
}

#[test]
fn a_small_file_runs_and_the_grid_shows_each_outcome_filters_and_opens_a_row() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().expect("dir");
    let path = write(dir.path(), "customers.csv", SMALL_FILE);
    let mut w = Window::demo(&demo).build();
    open(&mut w, &path);
    assert!(
        w.shows("qa003@example.com"),
        "the preview shows the first rows"
    );
    assert!(w.shows("3 rows use the password given here"));

    w.click("Start");
    assert!(
        w.shows("3 rows have no password of their own"),
        "nothing starts without the shared password"
    );
    assert!(!w.harness.state().bulk_busy());

    run(&mut w, &path);
    let rows = w.harness.state().bulk_rows();
    let outcomes: Vec<(RowOutcome, bool)> = rows
        .iter()
        .map(|r| (r.record.outcome, r.record.matched))
        .collect();
    assert_eq!(
        outcomes,
        [
            (RowOutcome::Ok, true),
            (RowOutcome::Refused, false),
            (RowOutcome::Refused, true),
            (RowOutcome::Ok, true),
        ]
    );
    for email in ["qa001", "qa002", "qa010", "qa003"] {
        assert!(
            w.shows(&format!("{email}@example.com")),
            "{email} in the grid"
        );
    }
    assert!(w.shows("Typo in password"), "labels shown");
    assert_eq!(
        w.harness.query_all_by_label("NO").count(),
        1,
        "one row did not match"
    );
    assert!(w.shows("invalid_grant"), "the refusal's code shown");
    assert!(w.shows("ok 2"), "the counts");
    assert!(w.shows("Done"), "the run ended");

    w.click("Failures and mismatches only");
    assert!(!w.shows("qa001@example.com"), "ok rows hidden");
    assert!(!w.shows("qa003@example.com"), "ok rows hidden");
    assert!(w.shows("qa002@example.com") && w.shows("qa010@example.com"));
    assert!(w.shows("2 of 4 rows shown"));

    w.click("qa002@example.com");
    assert!(
        w.shows("Email or password rejected"),
        "the single login's answer view, its headline by cause"
    );
    assert!(w.shows("The email or password was rejected"));
}

#[test]
fn sorting_by_outcome_puts_the_mismatch_first() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().expect("dir");
    let path = write(dir.path(), "customers.csv", SMALL_FILE);
    let mut w = Window::demo(&demo).build();
    run(&mut w, &path);
    let y = |w: &Window, email: &str| w.harness.get_by_label(email).rect().min.y;
    assert!(y(&w, "qa001@example.com") < y(&w, "qa002@example.com"));
    w.click("Sort by outcome");
    assert!(
        y(&w, "qa002@example.com") < y(&w, "qa001@example.com"),
        "the row that did not match comes first"
    );
}

#[test]
fn a_bad_csv_shows_its_problem_and_cannot_start() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().expect("dir");
    let path = write(dir.path(), "bad.csv", "name,password\nqa001,x\n");
    let mut w = Window::demo(&demo).build();
    open(&mut w, &path);
    assert!(w.shows("cannot run"));
    assert!(w.shows("the header has no `email` column"));
    w.click("Start");
    assert!(!w.harness.state().bulk_busy(), "nothing runs");
    assert!(demo.server.token_arrivals().is_empty(), "nothing was sent");

    w.retype(
        "CSV file",
        &dir.path().join("missing.csv").display().to_string(),
    );
    w.click("Open");
    w.step_until("the file check", |app| !app.bulk_busy());
    assert!(
        w.shows("Could not open"),
        "a missing file is said, not a panic"
    );
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_file_dropped_on_the_login_page_opens_in_the_bulk_page() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().expect("dir");
    let path = write(dir.path(), "dropped.csv", SMALL_FILE);
    let mut w = Window::demo(&demo).build();
    assert!(w.shows("Get token"), "on the login page");
    w.harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(path)));
    w.harness.step();
    w.step_until("the file check", |app| !app.bulk_busy());
    assert!(w.shows("4 rows"), "the dropped file was read and checked");
    assert!(w.shows("qa001@example.com"));
}

#[test]
fn results_export_owner_only_without_secrets_and_the_summary_copies() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().expect("dir");
    let path = write(dir.path(), "customers.csv", SMALL_FILE);
    let mut w = Window::demo(&demo).build();
    run(&mut w, &path);

    for (name, button) in [
        ("results.jsonl", "Export JSON Lines"),
        ("results.csv", "Export CSV"),
    ] {
        let out = dir.path().join(name);
        w.retype("Export to", &out.display().to_string());
        w.click(button);
        w.step_until_shows("rows exported");
        let text = std::fs::read_to_string(&out).expect("exported");
        assert!(text.contains("qa002@example.com") && text.contains("invalid_grant"));
        for secret in [QA_PASSWORD, "not-her-password", "eyJ"] {
            assert!(!text.contains(secret), "{name} holds {secret}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&out).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{name} is owner-only");
        }
        // An existing file is never overwritten.
        w.click(button);
        w.step_until_shows("already exists");
    }
    let lines = std::fs::read_to_string(dir.path().join("results.jsonl")).expect("jsonl");
    assert_eq!(lines.lines().count(), 4);

    w.click("Copy summary");
    let (summary, sensitive) = w.clipboard.content().expect("copied");
    assert!(!sensitive);
    assert!(
        summary.contains("matched   3 of 4 rows as expected"),
        "{summary}"
    );
    assert!(summary.contains("qa002@example.com"), "the mismatch listed");
    assert!(!summary.contains(QA_PASSWORD) && !summary.contains("not-her-password"));
}

#[test]
fn snapshot_bulk_grid() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().expect("dir");
    let path = write(dir.path(), "customers.csv", SMALL_FILE);
    let mut w = Window::blank().base_url(demo.url()).build();
    w.retype("Client ID", support::catalog::TEST_CLIENT_ID);
    w.harness.state_mut().prefs.scope_text = support::catalog::DEMO_SCOPE.to_owned();
    run(&mut w, &path);
    // What differs from one test run to the next: the file's and the server's places.
    w.retype("CSV file", "customers.csv");
    w.harness.state_mut().prefs.base_url = "http://127.0.0.1:4000".to_owned();
    w.harness.run();
    w.harness.snapshot("bulk_grid");
}
