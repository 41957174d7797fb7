//! Never a stale answer, and the input at fault marked: a support engineer who edits the form
//! after an answer must not read that answer as the answer to the new inputs, and the form says
//! which input the answer blames only while the answer is current.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use cl_login_tester::diagnosis::Input;
use support::window::Window;
use support::Demo;

const INPUTS_CHANGED: &str = "Inputs changed since this answer";

#[test]
fn editing_the_scope_after_an_answer_dims_it_and_unmarks_the_field_at_fault() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.retype("Scope text", "market:code:b2b");
    w.get_token();
    assert!(w.shows("Market b2b is private to a customer group"));
    assert!(!w.shows(INPUTS_CHANGED), "the answer is current");
    assert_eq!(w.harness.state().input_at_fault(), Some(Input::Scope));

    w.retype("Scope text", "market:code:europe");
    assert!(w.shows(INPUTS_CHANGED));
    assert_eq!(
        w.harness.state().input_at_fault(),
        None,
        "an old answer blames nothing in the new form"
    );

    w.retype("Scope text", "market:code:b2b");
    assert!(!w.shows(INPUTS_CHANGED), "back to what was sent");

    w.get_token();
    w.retype("Customer email", "john@example.com");
    assert!(w.shows(INPUTS_CHANGED), "another customer");
}

#[test]
fn a_wrong_password_marks_the_credentials_and_a_diagnosis_keeps_them_marked() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.retype("Password", "not-her-password");
    w.get_token();
    assert_eq!(w.harness.state().input_at_fault(), Some(Input::Credentials));
    w.press_and_wait("Diagnose");
    assert_eq!(w.harness.state().input_at_fault(), Some(Input::Credentials));
    w.retype("Client ID", "another-client");
    assert!(w.shows(INPUTS_CHANGED), "another client ID");
    assert_eq!(w.harness.state().input_at_fault(), None);
}

#[test]
fn an_unknown_client_id_marks_the_client_id() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    w.retype("Client ID", "no-such-client");
    w.get_token();
    assert_eq!(w.harness.state().input_at_fault(), Some(Input::ClientId));
    assert!(!w.shows(INPUTS_CHANGED));
}

#[test]
fn the_demo_header_stops_promising_safety_once_the_base_url_points_elsewhere() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    assert!(w.shows("nothing reaches Commerce Layer"));
    w.click("Advanced");
    w.retype("Base URL", "https://auth.commercelayer.io");
    assert!(!w.shows("nothing reaches Commerce Layer"));
    assert!(w.shows("requests go to https://auth.commercelayer.io"));
}
