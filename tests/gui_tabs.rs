//! The answer's tabs (decoded JWT, raw response, headers) under hostile answers, in the real
//! window (egui_kittest): what is drawn is cut and escaped, what a screen reader gets is bounded
//! and never carries a control character, and "Show all", "Save to file…" and the copy buttons
//! work. How fast a frame is with these answers on screen is measured in scripts/bench.sh.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use egui_kittest::kittest::{by, NodeT, Queryable};
use support::answers::{self, Shape};
use support::window::{canned_attempt, Window, ISSUED_AT};

/// Every text the window gives the accessibility tree: names, values and descriptions.
fn spoken(w: &Window) -> Vec<String> {
    w.harness
        .query_all(by())
        .flat_map(|node| {
            let node = node.accesskit_node();
            [node.label(), node.value(), node.description()]
        })
        .flatten()
        .collect()
}

fn window_with(attempt: cl_login_tester::attempt::Attempt, tab: &str) -> Window {
    let mut w = Window::picture().build();
    w.harness.state_mut().show_attempt(attempt);
    w.harness.run();
    w.click(tab);
    w
}

/// A character that must not come from the server as it is: any control but the line breaks
/// of a block of text, and the invisible characters that reorder text.
fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn a_megabyte_on_one_line_is_cut_and_summed_up() {
    let mut w = window_with(Shape::OneLine.attempt(), "Raw response");
    assert!(
        w.shows("Raw response: 1,048,576 bytes in 10,486 lines, the first 2,000 characters shown."),
        "the size is said, and how much is shown"
    );
    assert!(w.shows("Show all 10,486 lines"));
    assert!(w.shows("Save to file…"));
    let total: usize = spoken(&w).iter().map(|s| s.chars().count()).sum();
    assert!(
        total < 20_000,
        "the accessibility tree carries a page, not the megabyte: {total} characters"
    );
    w.harness.snapshot("raw_one_megabyte");
}

#[test]
fn show_all_lays_out_only_the_lines_in_sight() {
    let mut w = window_with(Shape::OneLine.attempt(), "Raw response");
    w.click("Show all 10,486 lines");
    assert!(w.shows("Raw response: 1,048,576 bytes in 10,486 lines."));
    w.harness.snapshot("raw_show_all");
    let rows = |w: &Window| {
        w.harness
            .query_all(by().predicate(|n| {
                n.value()
                    .or_else(|| n.label())
                    .is_some_and(|t| t.contains("proxy") && !t.contains('\n'))
            }))
            .count()
    };
    let shown = rows(&w);
    assert!(
        (10..200).contains(&shown),
        "about a screenful of rows is laid out, not 10,486: {shown}"
    );
    let total: usize = spoken(&w).iter().map(|s| s.chars().count()).sum();
    assert!(
        total < 60_000,
        "{total} characters in the accessibility tree"
    );

    // The last line is reachable: scroll to the end.
    let body = answers::one_line_body();
    let last = &body[body.len() - (body.len() % 100)..];
    w.harness.hover_at(egui::pos2(560.0, 400.0));
    w.harness.step();
    w.harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Page,
        delta: egui::vec2(0.0, -20_000.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    });
    w.harness.run();
    assert!(
        w.shows(last),
        "the last line shows once scrolled to the end: {last:?}"
    );
    assert!(rows(&w) < 200);

    w.click("Close");
    assert!(!w.shows("Raw response: 1,048,576 bytes in 10,486 lines."));
}

#[test]
fn pretty_json_of_a_megabyte_is_cut_too() {
    let w = window_with(Shape::Pretty.attempt(), "Raw response");
    assert!(w.shows("the first"), "a summary says how much is shown");
    assert!(w.shows("\"errors\": ["), "pretty-printed");
    let total: usize = spoken(&w).iter().map(|s| s.chars().count()).sum();
    assert!(total < 20_000, "{total}");
}

#[test]
fn json_nested_past_the_parsers_limit_is_shown_as_it_came() {
    let w = window_with(Shape::Deep.attempt(), "Raw response");
    assert!(
        w.shows(&"[".repeat(100)),
        "the brackets as sent, not indented"
    );
    assert!(w.shows("Raw response: 20,000 bytes in 200 lines"));
}

#[test]
fn save_to_file_writes_the_answer_with_its_tokens_redacted() {
    // An answer too deep to read that still carries a token (issue 13's deep-JSON 200).
    let token = answers::jwt_with_claims(0);
    let body = format!(
        "{{\"access_token\": \"{token}\", \"junk\": {}}}",
        answers::deep_json(10_000)
    );
    let mut w = window_with(canned_attempt(200, &body), "Raw response");
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("answer.txt");

    w.click("Save to file…");
    assert!(w.shows("Tokens in the answer are saved as [redacted]"));
    w.retype("File", &path.display().to_string());
    w.click("Save");
    assert!(w.shows("Saved "), "the save is confirmed");
    let saved = std::fs::read_to_string(&path).expect("the file");
    assert!(
        saved.contains("\"access_token\": \"[redacted]\""),
        "{}",
        &saved[..200]
    );
    assert!(!saved.contains(&token), "no token in the file");
    assert!(saved.contains(&"[".repeat(1000)), "the rest as it came");

    w.click("Save");
    assert!(
        w.shows("already exists"),
        "an existing file is never replaced"
    );
    w.click("Close");
    assert!(!w.shows("Tokens in the answer are saved as [redacted]"));
}

#[test]
fn server_controls_are_escaped_on_screen_and_for_screen_readers() {
    let body = "<html>\u{1b}[2J\u{1b}[32mHello\0 there\u{202e}gnp.exe\r\n\
                Token issued for admin@example.com · HTTP 200\u{7}</html>";
    let mut attempt = canned_attempt(502, body);
    attempt.headers = vec![
        ("content-type".into(), "text/html".into()),
        (
            "x-evil\u{1b}]0;title\u{7}".into(),
            "a\r\nset-cookie: fake\0\u{2066}x\u{2069}".into(),
        ),
    ];
    let mut w = window_with(attempt, "Raw response");
    assert!(w.shows("\\u{1b}[2J\\u{1b}[32mHello\\0 there\\u{202e}gnp.exe\\r"));
    assert!(
        !w.shows("[2J\u{1b}"),
        "the escape character itself is never drawn"
    );
    for text in spoken(&w) {
        assert!(!text.chars().any(is_forbidden), "raw server text: {text:?}");
    }

    w.click("Headers");
    assert!(w.shows("x-evil\\u{1b}]0;title\\u{7}"));
    assert!(w.shows("a\\r\\nset-cookie: fake\\0\\u{2066}x\\u{2069}"));
    for text in spoken(&w) {
        assert!(!text.chars().any(is_forbidden), "raw server text: {text:?}");
    }
}

#[test]
fn jwt_claims_with_controls_are_escaped() {
    use cl_login_tester::auth::jwt::encode_part;
    let header = serde_json::json!({"alg": "RS512", "typ": "JWT", "kid": "k\u{202e}1"});
    let claims =
        serde_json::json!({"iat": ISSUED_AT, "note": "ab\u{202e}cd\0\u{1b}[2J", "sub": "x\ny"});
    let token = format!(
        "{}.{}.{}",
        encode_part(header.to_string().as_bytes()),
        encode_part(claims.to_string().as_bytes()),
        encode_part(b"sig")
    );
    let w = window_with(
        canned_attempt(200, &answers::token_body(&token)),
        "Decoded JWT",
    );
    assert!(
        w.shows("ab\\u{202e}cd\\u0000\\u001b[2J"),
        "bidi escaped, JSON escapes kept"
    );
    assert!(w.shows("k\\u{202e}1"));
    for text in spoken(&w) {
        assert!(!text.chars().any(is_forbidden), "raw server text: {text:?}");
    }
}

#[test]
fn the_jwt_tab_shows_the_token_times_as_dates() {
    let w = window_with(Shape::ManyClaims.attempt(), "Decoded JWT");
    let at = |s: u64| {
        cl_login_tester::clock::utc(std::time::UNIX_EPOCH + std::time::Duration::from_secs(s))
    };
    assert!(w.shows("Issued (iat)") && w.shows("Not before (nbf)") && w.shows("Expires (exp)"));
    assert!(w.shows(&at(ISSUED_AT)), "iat as a date");
    assert!(w.shows(&at(ISSUED_AT + 14_400)), "exp as a date");
    assert!(
        w.shows(&format!("({ISSUED_AT})")),
        "and as the token holds it"
    );
    assert!(
        w.shows("JWT claims: "),
        "a thousand claims are cut, with a summary"
    );
    assert!(w.shows("Show all"));
}

#[test]
fn a_long_header_wraps_and_thousands_of_headers_are_cut() {
    let mut w = window_with(Shape::LongHeader.attempt(), "Headers");
    let value = w
        .harness
        .get_by_label_contains("0123456789abcdef0123456789abcdef");
    assert!(
        value.rect().right() <= 1120.0,
        "the 64 KiB value wraps inside the window: {:?}",
        value.rect()
    );
    assert!(
        w.shows("Headers: 7, the first 7 shown; long names and values are cut to 400 characters.")
    );
    w.harness.snapshot("headers_long_value");

    let w = window_with(Shape::ManyHeaders.attempt(), "Headers");
    let rows = w
        .harness
        .query_all(by().predicate(|n| n.label().is_some_and(|l| l.starts_with("x-header-"))))
        .count();
    assert!(rows <= 20, "{rows} header rows laid out");
    assert!(w.shows("Headers: 3,006, the first 20 shown;"));
    assert!(w.shows("Show all 3,006 headers"));
}

#[test]
fn each_tab_copies_what_it_shows() {
    let mut w = window_with(Shape::Normal.attempt(), "Decoded JWT");
    w.click("Copy header and claims");
    let (text, sensitive) = w.clipboard.content().expect("copied");
    let copied: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(copied["header"]["alg"], "RS512");
    assert_eq!(copied["claims"]["owner"]["id"], "wZxQhJanEd");
    assert!(!sensitive, "decoded claims are not a token");
    assert!(w.shows("Copied"));

    w.click("Raw response");
    w.click("Copy the response");
    let (text, sensitive) = w.clipboard.content().expect("copied");
    assert!(text.contains("\"access_token\""), "{text}");
    assert!(
        sensitive,
        "the raw answer holds the token: kept out of clipboard history"
    );

    w.click("Headers");
    w.click("Copy the headers");
    let (text, sensitive) = w.clipboard.content().expect("copied");
    assert!(
        text.starts_with("content-type: application/json; charset=utf-8\n"),
        "{text}"
    );
    assert!(text.contains("x-request-id: 5f0c2d8e"), "{text}");
    assert!(!sensitive);
}

#[test]
fn a_normal_answer_is_shown_whole() {
    let w = window_with(Shape::Normal.attempt(), "Raw response");
    assert!(w.shows("\"owner_type\": \"customer\""));
    assert!(!w.shows("characters shown"), "nothing is cut");
    assert!(!w.shows("Save to file…"));
}
