//! The "Scope matrix" page as a merchant uses it: rows typed, Run, the grid filling in with a
//! verdict per row against the demo server, a cell's answer, the copies; and its picture.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::time::Duration;

use cl_login_tester::auth::Encoding;
use cl_login_tester::auth_host::{AuthHost, Transport};
use cl_login_tester::batch::Controls;
use cl_login_tester::matrix::{run, Customer, Plan};
use cl_login_tester::pacing::Pacer;
use egui_kittest::kittest::Queryable;
use support::window::Window;
use support::{catalog, Demo};

const ROWS: &str =
    "market:code:europe\nmarket:code:b2b\nmarket:code:uk\nstock_location:code:cn-warehouse\n";

/// Types into the rows field the way a person does: click in it, type.
fn type_rows(w: &mut Window, rows: &str) {
    w.harness.get_by_label("Scopes, one row per line").focus();
    w.harness.run();
    w.harness
        .get_by_label("Scopes, one row per line")
        .type_text(rows);
    w.harness.run();
}

/// The demo window on the matrix page with `rows` typed and Run pressed, waited to the end.
fn run_matrix(demo: &Demo, rows: &str) -> Window {
    let mut w = Window::demo(demo).build();
    w.click("Scope matrix");
    type_rows(&mut w, rows);
    w.click("Run");
    w.harness.step();
    w.step_until("the matrix", |app| !app.matrix_page().is_running());
    w
}

#[test]
fn the_grid_fills_in_with_a_verdict_per_row_and_a_cell_opens_its_answer() {
    let demo = Demo::start();
    let mut w = run_matrix(&demo, ROWS);
    assert!(w.shows("8 of 8 cells answered"));
    assert!(w.shows("reachable"));
    assert!(w.shows("private to a customer group this customer is not in"));
    assert!(w.shows("disabled: nobody gets a token for it"));
    assert!(w.shows("not reachable by this sales channel"));
    let matrix = w
        .harness
        .state()
        .matrix_page()
        .matrix()
        .expect("a matrix")
        .clone();
    assert_eq!(matrix.rows.len(), 4);
    assert_eq!(matrix.email.as_deref(), Some("jane@example.com"));

    // A refused cell: its answer in short below the grid, then whole on the login page.
    w.harness
        .query_all_by_label("refused")
        .nth(2)
        .expect("the uk customer cell")
        .click();
    w.harness.run();
    assert!(w.shows("market:code:uk · customer"));
    assert!(w.shows(
        "Server said: invalid_scope — The requested scope is invalid: market:code:uk is disabled."
    ));
    w.click("Open in the Login page");
    let shown = w
        .harness
        .state()
        .answer()
        .expect("the cell's answer on the login page");
    assert_eq!(shown.request.scope.as_deref(), Some("market:code:uk"));
    // The login page names the cause in its headline, not the status.
    assert!(w.shows("Market uk does not exist or is disabled"));
}

#[test]
fn the_grid_copies_as_markdown_for_a_ticket_and_as_csv() {
    let demo = Demo::start();
    let mut w = run_matrix(&demo, "market:code:europe\n");
    w.click("Copy as Markdown");
    let copied = w.clipboard.content().expect("copied").0;
    assert!(
        copied.starts_with("| Scope | Customer | Guest | Granted | Verdict |"),
        "{copied}"
    );
    assert!(
        copied.contains("| market:code:europe | ok | ok |"),
        "{copied}"
    );
    assert!(!copied.contains("eyJ"), "no token in the copy");
    w.click("Copy as CSV");
    let copied = w.clipboard.content().expect("copied").0;
    assert!(
        copied.starts_with("Scope,Customer,Guest,Granted,Verdict"),
        "{copied}"
    );

    // Saved as a file: the same CSV, the owner's only, never over another file.
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("matrix.csv");
    w.harness.state_mut().matrix_page_mut().csv_path = path.display().to_string();
    w.click("Save CSV");
    assert_eq!(std::fs::read_to_string(&path).expect("saved"), copied);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    w.click("Save CSV");
    assert!(w.shows("already exists"));
}

#[test]
fn bad_rows_and_missing_fields_are_said_and_nothing_is_sent() {
    let demo = Demo::start();
    let w = run_matrix(&demo, "market:nope\n");
    assert!(w.shows("Scopes line 1"), "the bad line is named");
    assert!(demo.server.token_arrivals().is_empty(), "nothing was sent");

    let mut w2 = Window::demo(&demo).build();
    w2.click("Scope matrix");
    w2.click("Run");
    assert!(w2.shows("no scope to check"));
    w2.click("Guest (client_credentials, no secret)");
    type_rows(&mut w2, "market:code:europe");
    w2.click("Customer jane@example.com");
    w2.click("Run");
    assert!(w2.shows("Tick Customer or Guest"));
    assert!(demo.server.token_arrivals().is_empty());
    drop(w);
}

#[test]
fn the_form_scopes_become_rows() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.harness.state_mut().prefs.scope_text = "market:code:europe store:code:milan".to_owned();
    w.click("Scope matrix");
    w.click("Add the form's scopes");
    assert_eq!(
        w.harness.state().matrix_page().scopes_text,
        "market:code:europe\nstore:code:milan\n"
    );
}

#[test]
fn snapshot_matrix_grid() {
    // The run against a real demo (whose port changes), shown in a window for pictures.
    let demo = Demo::start();
    let plan = Plan {
        base_url: demo.url().to_owned(),
        client_id: catalog::TEST_CLIENT_ID.to_owned(),
        customer: Some(Customer {
            email: catalog::B2B_EMAIL.to_owned(),
            password: catalog::B2B_PASSWORD.to_owned().into(),
        }),
        guest: true,
        rows: ROWS.lines().map(str::to_owned).collect(),
        encoding: Encoding::Json,
        timeout: Duration::from_secs(5),
        revoke: false,
    };
    let host = AuthHost::new(Transport::new().expect("transport"));
    let pacer = Pacer::new("100/1s".parse().expect("rate"));
    let (_controls, listener) = Controls::new();
    let mut matrix = demo
        .handle()
        .block_on(run(&plan, &host, &pacer, listener, |_, _, _| {}))
        .expect("matrix");
    matrix.base_url = "http://127.0.0.1:4000".to_owned();
    let mut w = Window::picture().build();
    w.harness.state_mut().form_mut().email = catalog::B2B_EMAIL.to_owned();
    w.click("Scope matrix");
    w.harness.state_mut().matrix_page_mut().show_matrix(matrix);
    w.harness.run();
    w.harness.snapshot("matrix_grid");
}
