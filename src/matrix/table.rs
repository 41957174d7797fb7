//! The matrix as text people paste elsewhere: a Markdown table for a ticket and CSV for a
//! spreadsheet. Face-neutral, so the CLI and the window render the same grid; server words are
//! escaped (control and bidi characters) and never carry a token.

use super::{Cell, Matrix, MatrixRow};
use crate::facts::shown;

const HEADER: [&str; 5] = ["Scope", "Customer", "Guest", "Granted", "Verdict"];

fn columns(row: &MatrixRow) -> [String; 5] {
    [
        row.scope.clone(),
        row.customer.word(),
        row.guest.word(),
        row.granted().unwrap_or_default(),
        row.verdict().1,
    ]
    .map(|text| shown(&text).into_owned())
}

/// A Markdown table: one line per scope, `|` in a cell escaped.
pub fn markdown(matrix: &Matrix) -> String {
    let line = |cells: &[String]| {
        let cells: Vec<String> = cells
            .iter()
            .map(|c| c.replace('\\', "\\\\").replace('|', "\\|"))
            .collect();
        format!("| {} |\n", cells.join(" | "))
    };
    let header = HEADER.map(str::to_owned);
    let mut out = line(&header);
    out.push_str(&format!("|{}\n", "---|".repeat(HEADER.len())));
    for row in &matrix.rows {
        out.push_str(&line(&columns(row)));
    }
    out
}

/// CSV (RFC 4180) with a header row; the cells' explanations in two more columns.
pub fn csv(matrix: &Matrix) -> String {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let explanation = |cell: &Cell| {
        cell.attempt()
            .and_then(|a| a.outcome.error.as_ref())
            .map(|p| shown(&p.explanation).into_owned())
            .unwrap_or_default()
    };
    let mut header: Vec<&str> = HEADER.to_vec();
    header.extend(["Customer explanation", "Guest explanation"]);
    let mut ok = writer.write_record(&header).is_ok();
    for row in &matrix.rows {
        let mut record = columns(row).to_vec();
        record.push(explanation(&row.customer));
        record.push(explanation(&row.guest));
        ok &= writer.write_record(&record).is_ok();
    }
    match (ok, writer.into_inner()) {
        (true, Ok(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
        // Writing to memory does not fail; should it, an empty text is better than half a table.
        _ => String::new(),
    }
}
