//! Row verdicts from canned answers.

use std::time::{Duration, SystemTime};

use super::*;
use crate::attempt::canned;
use crate::auth::Grant;

fn answer(customer: bool, status: u16, body: &str) -> Cell {
    let grant = if customer {
        Grant::Password {
            username: "jane@example.com".to_owned(),
            password: "pw".to_owned().into(),
        }
    } else {
        Grant::ClientCredentials {
            client_secret: None,
        }
    };
    let request = canned::request(
        "http://127.0.0.1:4000",
        "client",
        grant,
        Some("market:code:b2b"),
    );
    Cell::Answered(Box::new(canned::answered(
        request,
        SystemTime::now(),
        Duration::from_millis(1),
        status,
        body,
    )))
}

const OK: &str = r#"{"access_token":"a","scope":"market:code:b2b"}"#;
const PRIVATE: &str = r#"{"errors":[{"title":"invalid_scope","detail":"market:code:b2b is private to a customer group this customer is not in."}]}"#;
const MISSING: &str =
    r#"{"errors":[{"title":"invalid_scope","detail":"market:code:b2b was not found."}]}"#;
const VAGUE: &str = r#"{"errors":[{"title":"invalid_scope"}]}"#;
const WRONG: &str = r#"{"errors":[{"title":"invalid_grant"}]}"#;

fn row(customer: Cell, guest: Cell) -> MatrixRow {
    MatrixRow {
        scope: "market:code:b2b".to_owned(),
        customer,
        guest,
    }
}

#[test]
fn each_pair_of_answers_has_its_verdict() {
    let cases = [
        (
            answer(true, 200, OK),
            answer(false, 200, OK),
            Reach::Reachable,
            "reachable",
        ),
        (
            answer(true, 200, OK),
            answer(false, 400, PRIVATE),
            Reach::CustomersOnly,
            "guests are refused",
        ),
        (
            answer(true, 400, VAGUE),
            answer(false, 200, OK),
            Reach::CustomerNotAllowed,
            "customer not allowed (guest works",
        ),
        (
            answer(true, 400, WRONG),
            answer(false, 200, OK),
            Reach::CustomerCredentials,
            "email or password",
        ),
        (
            answer(true, 400, PRIVATE),
            answer(false, 400, PRIVATE),
            Reach::Private,
            "private to a customer group",
        ),
        (
            answer(true, 400, MISSING),
            answer(false, 400, MISSING),
            Reach::Unavailable,
            "unknown: no such market",
        ),
        (
            answer(true, 400, VAGUE),
            answer(false, 400, VAGUE),
            Reach::RefusedForBoth,
            "refused for both: unknown, disabled, or not in this sales channel",
        ),
        (
            Cell::Absent,
            answer(false, 400, VAGUE),
            Reach::GuestRefused,
            "private to a customer group",
        ),
        (
            answer(true, 429, "{}"),
            answer(false, 200, OK),
            Reach::Unknown,
            "unknown: Rate limited",
        ),
        (
            Cell::NotRun("stopped".to_owned()),
            Cell::Absent,
            Reach::Pending,
            "not run: stopped",
        ),
    ];
    for (customer, guest, reach, words) in cases {
        let (got, said) = row(customer, guest).verdict();
        assert_eq!(got, reach, "{said}");
        assert!(said.contains(words), "{words:?} not in {said:?}");
    }
}

#[test]
fn an_unknown_client_is_said_once_for_the_row() {
    let unknown = r#"{"errors":[{"title":"invalid_client","code":"UNAUTHORIZED"}]}"#;
    let (reach, _) = row(answer(true, 401, unknown), answer(false, 401, unknown)).verdict();
    assert_eq!(reach, Reach::UnknownClient);
}

#[test]
fn a_cell_as_json_never_carries_a_token() {
    let json = answer(
        true,
        200,
        r#"{"access_token":"secret-access","refresh_token":"secret-refresh","scope":"market:all"}"#,
    )
    .to_json();
    let text = json.to_string();
    assert!(!text.contains("secret"), "{text}");
    assert_eq!(json["outcome"], "ok");
    assert_eq!(json["granted_scope"], "market:all");
}

#[test]
fn the_table_renders_as_markdown_and_csv_with_pipes_and_commas_kept_apart() {
    let weird =
        r#"{"errors":[{"title":"invalid_scope","detail":"market a|b, \"c\" was not found."}]}"#;
    let matrix = Matrix {
        client_id: "client".to_owned(),
        base_url: "http://127.0.0.1:4000".to_owned(),
        email: None,
        rows: vec![
            row(answer(true, 200, OK), answer(false, 200, OK)),
            row(answer(true, 400, weird), Cell::Absent),
        ],
        stopped: None,
        not_revoked: 0,
    };
    let md = table::markdown(&matrix);
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(lines[0], "| Scope | Customer | Guest | Granted | Verdict |");
    assert_eq!(lines[1], "|---|---|---|---|---|");
    assert!(lines[2].starts_with("| market:code:b2b | ok | ok | market:code:b2b | reachable |"));
    assert_eq!(lines.len(), 4);
    let csv = table::csv(&matrix);
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    let records: Vec<::csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    assert_eq!(records.len(), 2);
    assert_eq!(&records[1][1], "refused (invalid_scope)");
    assert_eq!(&records[1][2], "-");
    assert!(records[1][5].contains("scope"), "{:?}", &records[1]);
}
