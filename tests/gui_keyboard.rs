//! Keyboard first: at launch the cursor waits in the field a ticket changes, and Tab walks the
//! form down to Get token without a detour through the header or the profile box.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use egui_kittest::kittest::Queryable;
use support::window::{canned_attempt, Window};
use support::Demo;

fn focused(w: &Window, label: &str) -> bool {
    w.harness.get_by_label(label).is_focused()
}

#[test]
fn in_the_demo_the_cursor_starts_in_the_customer_email() {
    let demo = Demo::start();
    let w = Window::demo(&demo).build();
    assert!(
        focused(&w, "Customer email"),
        "every field is filled: the customer is what changes"
    );
    assert!(!focused(&w, "Client ID"));
}

#[test]
fn in_an_empty_form_the_cursor_starts_in_the_client_id() {
    let w = Window::blank().build();
    assert!(focused(&w, "Client ID"));
}

#[test]
fn tab_goes_from_the_email_through_the_form_to_get_token() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).build();
    let mut visited = vec!["Customer email"];
    for _ in 0..20 {
        w.harness.key_press(egui::Key::Tab);
        w.harness.run();
        for label in [
            "Password",
            "Scope text",
            "Get token",
            "Settings",
            "Save as profile…",
        ] {
            if focused(&w, label) && visited.last() != Some(&label) {
                visited.push(label);
            }
        }
        if focused(&w, "Get token") {
            break;
        }
    }
    assert_eq!(
        visited,
        ["Customer email", "Password", "Scope text", "Get token"],
        "in the form's order, nothing outside it"
    );
}

/// What has the keyboard focus, among the widgets a Tab walk may meet.
fn focus_name(w: &Window) -> Option<&'static str> {
    const NAMED: [&str; 18] = [
        "Client ID",
        "Customer email",
        "Password",
        "Show",
        "Scope 1 kind",
        "Scope 1 by id or code",
        "Scope 1 value",
        "Add scope",
        "Scope text",
        "Advanced",
        "Get token",
        "Diagnose",
        "Summary",
        "Raw response",
        "Settings",
        "Profile",
        "Save as profile…",
        "Copy report",
    ];
    NAMED.into_iter().find(|label| {
        w.harness
            .query_all_by_label(label)
            .any(|node| node.is_focused())
    })
}

#[test]
fn from_the_client_id_tab_walks_the_form_then_get_token_then_the_answer() {
    let mut w = Window::blank().build();
    w.harness.state_mut().prefs.scope_text = "market:code:europe".to_owned();
    let refusal = r#"{"errors":[{"title":"invalid_grant","detail":"The provided authorization grant is invalid.","code":"BAD_REQUEST","status":400}]}"#;
    w.harness
        .state_mut()
        .show_attempt(canned_attempt(400, refusal));
    w.harness.run();
    assert_eq!(
        focus_name(&w),
        Some("Client ID"),
        "the first field at launch"
    );
    let mut walk = vec!["Client ID"];
    for _ in 0..40 {
        w.harness.key_press(egui::Key::Tab);
        w.harness.run();
        let Some(name) = focus_name(&w) else { continue };
        if name == "Client ID" {
            break;
        }
        if walk.last() != Some(&name) {
            walk.push(name);
        }
    }
    let at = |name: &str| {
        walk.iter()
            .position(|n| *n == name)
            .unwrap_or_else(|| panic!("{name} never had the focus: {walk:?}"))
    };
    let form = [
        "Client ID",
        "Customer email",
        "Password",
        "Scope 1 kind",
        "Scope 1 value",
        "Scope text",
        "Get token",
        // The answer side: its report row, then the answer.
        "Copy report",
        "Diagnose",
        "Summary",
    ];
    assert!(
        form.windows(2).all(|pair| at(pair[0]) < at(pair[1])),
        "the form, Get token, then the answer: {walk:?}"
    );
    for outside in ["Settings", "Profile", "Save as profile…"] {
        if let Some(position) = walk.iter().position(|n| *n == outside) {
            assert!(
                position > at("Summary"),
                "{outside} after the form and the answer: {walk:?}"
            );
        }
    }
}

#[test]
fn at_640x480_get_token_is_in_the_window_and_the_answer_takes_its_turn() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).size(640.0, 480.0).build();
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(640.0, 480.0));
    let get = w.harness.get_by_label("Get token").rect();
    assert!(window.contains_rect(get), "Get token at {get:?}");
    let settings = w.harness.get_by_label("Settings").rect();
    assert!(window.contains_rect(settings), "Settings at {settings:?}");
    let email = w.harness.get_by_label("Customer email").rect();
    assert!(
        email.width() >= 250.0,
        "the fields keep their width: {email:?}"
    );

    w.get_token();
    assert!(w.shows("Token issued"), "the answer is shown once it came");
    let headline = w.harness.get_by_label_contains("Token issued").rect();
    assert!(window.contains_rect(headline), "headline at {headline:?}");

    w.click("Form");
    assert!(window.contains_rect(w.harness.get_by_label("Get token").rect()));
}

#[test]
fn at_640x480_the_settings_menu_is_whole_inside_the_window() {
    let mut w = Window::blank().size(640.0, 480.0).build();
    w.click("Settings");
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(640.0, 480.0));
    for label in [
        "Clear the password after each attempt",
        "Clear copied tokens from the clipboard after 30 s",
        "Revoke tokens when I'm done",
        "Keep history",
        "Dark",
    ] {
        let rect = w.harness.get_by_label(label).rect();
        assert!(window.contains_rect(rect), "{label} at {rect:?}");
    }
    w.harness.snapshot("narrow_settings");
}

#[test]
fn snapshot_narrow_window() {
    let mut w = Window::picture().size(640.0, 480.0).build();
    w.harness.snapshot("narrow_form");
    let refusal = r#"{"errors":[{"title":"invalid_grant","detail":"The provided authorization grant is invalid.","code":"BAD_REQUEST","status":400}]}"#;
    w.harness
        .state_mut()
        .show_attempt(canned_attempt(400, refusal));
    w.harness.run();
    assert!(w.shows("Email or password rejected"));
    w.harness.snapshot("narrow_answer");
}
