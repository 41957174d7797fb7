//! Support reports and the History page in the real window (egui_kittest) against the
//! in-process demo server: what a support engineer copies, saves and finds again.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use cl_login_tester::report::history::History;
use cl_login_tester::report::{Format, Masking, Report};
use egui_kittest::kittest::Queryable;
use support::window::{canned_attempt, canned_token, fixed_now, Window, ISSUED_AT};
use support::{catalog, Demo};

/// The access and refresh tokens of the answer shown.
fn tokens(w: &Window) -> Vec<String> {
    let token = w
        .harness
        .state()
        .answer()
        .and_then(|a| a.outcome.token.clone())
        .expect("a token was issued");
    let mut tokens = vec![token.access_token.clone()];
    tokens.extend(token.refresh_token.clone());
    tokens
}

fn assert_no_secret(text: &str, tokens: &[String]) {
    assert!(
        !text.contains(catalog::CUSTOMER_PASSWORD),
        "the password leaked: {text}"
    );
    for token in tokens {
        assert!(!text.contains(token.as_str()), "a token leaked: {text}");
    }
}

/// Opens the History page from the top bar's switcher (the first "History" label there is).
fn open_history(w: &mut Window) {
    w.harness
        .query_all_by_label("History")
        .next()
        .expect("the page switcher")
        .click();
    w.harness.run();
}

#[test]
fn copy_report_puts_the_markdown_report_without_secrets_on_the_clipboard() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.get_token();
    let tokens = tokens(&w);

    w.click("Copy report");
    let (report, sensitive) = w.clipboard.content().expect("a report was copied");
    assert!(!sensitive, "a report holds nothing secret");
    assert!(report.starts_with('#'), "Markdown: {report}");
    assert!(
        report.contains("<PASSWORD>"),
        "the curl line hides it: {report}"
    );
    assert_no_secret(&report, &tokens);
    assert!(
        !report.contains(catalog::TEST_CLIENT_ID),
        "the client ID is masked by default: {report}"
    );
    assert!(report.contains(catalog::CUSTOMER_EMAIL), "{report}");

    w.click("Mask the customer's email");
    w.click("Show the whole client ID");
    w.click("Copy report");
    let report = w.clipboard.content().expect("copied").0;
    assert!(!report.contains(catalog::CUSTOMER_EMAIL), "{report}");
    assert!(report.contains("j***@example.com"), "{report}");
    assert!(report.contains(catalog::TEST_CLIENT_ID), "{report}");
    assert_no_secret(&report, &tokens);
}

#[cfg(unix)]
#[test]
fn save_report_writes_the_clis_json_report_to_an_owner_only_file() {
    use std::os::unix::fs::PermissionsExt;

    let demo = Demo::start();
    let mut w = Window::demo(&demo).clock(fixed_now).build();
    w.get_token();
    let tokens = tokens(&w);
    let folder = tempfile::tempdir().expect("folder");
    let path = folder.path().join("ticket-1234.json");

    w.click("Save report…");
    w.click("JSON (for machines)");
    w.retype("File", &path.display().to_string());
    w.click("Save");
    w.step_until("the save", |app| !app.files_busy());
    assert!(w.shows("Saved to"), "the save confirms itself");

    let saved = std::fs::read_to_string(&path).expect("the report file");
    let answer = w.harness.state().answer().expect("answer");
    assert_eq!(
        saved,
        Report::of_attempt(answer, Masking::default(), fixed_now()).render(Format::Json),
        "the same report as the CLI's --report json"
    );
    assert_no_secret(&saved, &tokens);
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "readable by the owner only");

    // Saving over it asks first, and what was typed stays.
    w.click("Save report…");
    w.click("JSON (for machines)");
    w.retype("File", &path.display().to_string());
    w.click("Save");
    w.step_until("the save", |app| !app.files_busy());
    assert!(w.shows("A file of that name is already there."));
    assert!(w.shows("Replace it"));
}

#[test]
fn history_shows_an_earlier_answer_again_and_run_again_asks_for_the_password() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.get_token();
    let first = w.harness.state().answer().expect("first").clone();
    w.retype("Customer email", "nobody@example.com");
    w.get_token();
    // The headline names the cause, not the status.
    assert!(w.shows("Email or password rejected"));

    open_history(&mut w);
    assert!(w.shows("This session (2)"));
    w.harness.get_by_label_contains("#1 ").click();
    w.harness.run();
    assert!(w.shows("Token issued"), "the first answer is shown again");
    assert!(w.shows("From the history"));
    assert_eq!(
        w.harness.state().answer().map(|a| a.started_at),
        Some(first.started_at)
    );
    assert!(!w.harness.state().is_busy(), "nothing was sent");

    open_history(&mut w);
    w.harness
        .query_all_by_label("Run again")
        .last()
        .expect("the first row's Run again (rows are newest first)")
        .click();
    w.harness.run();
    let form = w.harness.state().form();
    assert_eq!(form.client_id, catalog::TEST_CLIENT_ID);
    assert_eq!(form.email, catalog::CUSTOMER_EMAIL);
    assert!(form.password.is_empty(), "the password must be typed again");
    assert!(w.shows("Type the password again"));
    assert!(w.harness.get_by_label("Password").is_focused());
}

#[test]
fn report_on_the_history_page_copies_that_attempts_report() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.get_token();
    let tokens = tokens(&w);
    w.retype("Customer email", "nobody@example.com");
    w.get_token();

    open_history(&mut w);
    w.harness
        .query_all_by_label("Report")
        .last()
        .expect("the first row's Report")
        .click();
    w.harness.run();
    let report = w.clipboard.content().expect("copied").0;
    assert!(
        report.contains(catalog::CUSTOMER_EMAIL),
        "the first attempt's: {report}"
    );
    assert!(!report.contains("nobody@example.com"), "{report}");
    assert_no_secret(&report, &tokens);
}

#[test]
fn without_keep_history_nothing_is_written() {
    let demo = Demo::start();
    let folder = tempfile::tempdir().expect("folder");
    let file = folder.path().join("history.jsonl");
    let mut w = Window::demo(&demo)
        .history(History::at(file.clone()))
        .build();
    assert!(!w.harness.state().prefs.keep_history, "off by default");
    w.get_token();
    w.step_until("the history file", |app| !app.files_busy());
    assert!(!file.exists(), "nothing kept unless chosen");
}

#[test]
fn kept_history_holds_no_secret_lists_after_a_restart_and_clears() {
    let demo = Demo::start();
    let folder = tempfile::tempdir().expect("folder");
    let file = folder.path().join("history.jsonl");
    let mut w = Window::demo(&demo)
        .history(History::at(file.clone()))
        .build();
    w.click("Settings");
    w.click("Keep history");
    assert!(w.harness.state().prefs.keep_history);
    w.harness.key_press(egui::Key::Escape);
    w.harness.run();
    w.get_token();
    let tokens = tokens(&w);
    w.step_until("the history file", |app| !app.files_busy());

    let kept = std::fs::read_to_string(&file).expect("kept file");
    assert_eq!(kept.lines().count(), 1, "{kept}");
    assert_no_secret(&kept, &tokens);
    assert!(!kept.contains(catalog::TEST_CLIENT_ID), "{kept}");
    assert!(!kept.contains(catalog::CUSTOMER_EMAIL), "{kept}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "readable by the owner only");
    }

    // A new session lists it, as a report: readable, not runnable.
    let mut w = Window::demo(&demo)
        .history(History::at(file.clone()))
        .build();
    w.step_until("the history file", |app| !app.files_busy());
    open_history(&mut w);
    assert!(w.shows("Kept from earlier sessions (1)"));
    assert!(w.shows("j***@example.com"));

    w.click("Clear history…");
    assert!(w.shows("Clear the history?"));
    w.click("Clear history");
    w.step_until("the history file", |app| !app.files_busy());
    assert!(!w.shows("Kept from earlier sessions"));
    assert!(!file.exists(), "the kept file is deleted");
}

#[test]
fn the_history_keeps_a_huge_body_cut_so_it_does_not_stay_in_memory() {
    let mut w = Window::picture().build();
    // A megabyte of a hostile server's answer, then a normal one replaces it on screen.
    let huge = format!("{{\"errors\":[{{\"title\":\"{}\"}}]}}", "x".repeat(1 << 20));
    w.harness
        .state_mut()
        .show_attempt(canned_attempt(502, &huge));
    w.harness.state_mut().show_attempt(canned_success());
    w.harness.run();
    open_history(&mut w);
    w.harness.get_by_label_contains("#1 ").click();
    w.harness.run();
    let shown = w.harness.state().answer().expect("shown again").clone();
    assert_eq!(
        shown.body.len(),
        64 * 1024,
        "the session keeps the first 64 KiB"
    );
    assert!(huge.starts_with(&shown.body));
    assert!(
        w.shows("Its body is cut to the first 65,536 of its 1,048,601 bytes."),
        "the cut is said"
    );
}

// ---- Pictures, from fixed answers and a fixed clock ----

fn canned_success() -> cl_login_tester::attempt::Attempt {
    let body = serde_json::json!({
        "access_token": canned_token(), "token_type": "bearer", "expires_in": 14_400, "scope": "market:code:europe",
        "created_at": ISSUED_AT, "refresh_token": "r3fr3sh", "owner_id": "wZxQhJanEd", "owner_type": "customer"
    });
    canned_attempt(200, &body.to_string())
}

#[test]
fn snapshot_report_preview() {
    let mut w = Window::picture().build();
    w.harness.state_mut().show_attempt(canned_success());
    w.harness.run();
    w.click("Preview report…");
    assert!(w.shows("Report preview"));
    w.harness.snapshot("report_preview");
}

#[test]
fn snapshot_history_page() {
    let mut w = Window::picture().build();
    w.harness.state_mut().show_attempt(canned_success());
    let refused = r#"{"errors":[{"title":"invalid_grant","detail":"The provided authorization grant is invalid.","code":"BAD_REQUEST","status":400}]}"#;
    w.harness
        .state_mut()
        .show_attempt(canned_attempt(400, refused));
    w.harness.run();
    open_history(&mut w);
    assert!(w.shows("This session (2)"));
    w.harness.snapshot("history_page");
}
