//! A bulk check's results: one JSON object per row, in input order (JSON Lines), written as
//! each row ends to a file only its owner can read, and read back to resume a run.
//!
//! A row's object holds what was asked and how it ended, never a password or a token.
//! Rows end out of order when requests run side by side; [`Reorder`] holds the early ones
//! (at most about the concurrency) so the file is always a valid, ordered prefix.
//!
//! A resumed run reads the old file alongside the input (both are in input order, so memory
//! stays flat), writes every row to `FILE.partial`, and renames it over FILE at the end: a run
//! killed at any moment leaves FILE as it was, or complete. A `FILE.partial` left by a killed
//! resume is folded into FILE first, so its rows are not run again.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::input::Row;
use crate::attempt::Attempt;
use crate::auth::OutcomeKind;

/// How a row ended: an outcome of the one login path, or not run at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    Ok,
    Refused,
    RateLimited,
    ServerError,
    TransportError,
    InvalidResponse,
    Redirected,
    NotRun,
}

impl From<OutcomeKind> for RowOutcome {
    fn from(kind: OutcomeKind) -> Self {
        match kind {
            OutcomeKind::Ok => Self::Ok,
            OutcomeKind::Refused => Self::Refused,
            OutcomeKind::RateLimited => Self::RateLimited,
            OutcomeKind::ServerError => Self::ServerError,
            OutcomeKind::TransportError => Self::TransportError,
            OutcomeKind::InvalidResponse => Self::InvalidResponse,
            OutcomeKind::Redirected => Self::Redirected,
        }
    }
}

impl RowOutcome {
    pub const ALL: [RowOutcome; 8] = [
        Self::Ok,
        Self::Refused,
        Self::RateLimited,
        Self::ServerError,
        Self::TransportError,
        Self::InvalidResponse,
        Self::Redirected,
        Self::NotRun,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotRun => "not_run",
            Self::Ok => OutcomeKind::Ok.as_str(),
            Self::Refused => OutcomeKind::Refused.as_str(),
            Self::RateLimited => OutcomeKind::RateLimited.as_str(),
            Self::ServerError => OutcomeKind::ServerError.as_str(),
            Self::TransportError => OutcomeKind::TransportError.as_str(),
            Self::InvalidResponse => OutcomeKind::InvalidResponse.as_str(),
            Self::Redirected => OutcomeKind::Redirected.as_str(),
        }
    }

    /// The server gave its answer: running the row again would tell nothing new. Rows not
    /// run, still rate limited, or cut off by the network or a 5xx are run again on resume.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Ok | Self::Refused | Self::InvalidResponse | Self::Redirected
        )
    }
}

/// One row of the results, as written (the documented JSON shape).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowRecord {
    pub row: u64,
    pub email: String,
    pub label: Option<String>,
    /// The scope asked (the row's own, else the run's), as sent.
    pub scope: Option<String>,
    pub outcome: RowOutcome,
    pub http_status: Option<u16>,
    pub error_code: Option<String>,
    pub explanation: Option<String>,
    pub owner_id: Option<String>,
    pub granted_scope: Option<String>,
    pub mode: Option<String>,
    /// The last try's time; `None` when nothing was sent.
    pub elapsed_ms: Option<f64>,
    pub tries: u32,
    pub expect: String,
    pub matched: bool,
    /// With `--revoke`: whether every token issued was revoked. `None` without `--revoke` or
    /// when nothing was issued.
    #[serde(default)]
    pub revoked: Option<bool>,
}

impl RowRecord {
    /// A row that got an answer (or a network failure) on its last try.
    pub fn ran(row: &Row, attempt: &Attempt, tries: u32, revoked: Option<bool>) -> Self {
        let token = attempt.outcome.token.as_ref();
        let problem = attempt.outcome.error.as_ref();
        Self {
            row: row.number,
            email: row.email.clone(),
            label: row.label.clone(),
            scope: attempt.request.scope.clone(),
            outcome: attempt.kind().into(),
            http_status: attempt.http_status,
            error_code: problem.map(|p| p.code.clone()),
            explanation: problem.map(|p| p.explanation.clone()),
            owner_id: token.and_then(|t| t.owner_id.clone()),
            granted_scope: token.and_then(|t| t.granted_scope()).map(str::to_owned),
            mode: token.and_then(|t| t.mode()).map(|m| m.as_str().to_owned()),
            elapsed_ms: Some(attempt.elapsed_ms()),
            tries,
            expect: row.expect.to_string(),
            matched: row.expect.matches(&attempt.outcome),
            revoked,
        }
    }

    /// A row the run never sent (or gave up on before an answer), and why.
    pub fn not_run(
        row: &Row,
        scope: Option<String>,
        tries: u32,
        code: &str,
        explanation: String,
    ) -> Self {
        Self {
            row: row.number,
            email: row.email.clone(),
            label: row.label.clone(),
            scope,
            outcome: RowOutcome::NotRun,
            http_status: None,
            error_code: Some(code.to_owned()),
            explanation: Some(explanation),
            owner_id: None,
            granted_scope: None,
            mode: None,
            elapsed_ms: None,
            tries,
            expect: row.expect.to_string(),
            matched: false,
            revoked: None,
        }
    }

    /// A previous run's result for a row kept by a resumed run: the file as it is now says
    /// what the row expects and how it is labelled.
    pub fn kept_for(mut self, row: &Row) -> Self {
        self.label = row.label.clone();
        self.expect = row.expect.to_string();
        self.matched = row
            .expect
            .matches_row(self.outcome.as_str(), self.error_code.as_deref());
        self
    }

    /// Whether a resumed run keeps this result for `row` (asked with `scope`): a final answer
    /// to the same question.
    pub fn answers(&self, scope: Option<&str>) -> bool {
        self.outcome.is_final() && self.scope.as_deref() == scope
    }

    /// One line of JSON, newline included.
    pub fn to_line(&self) -> String {
        let mut line = serde_json::to_string(self).unwrap_or_default();
        line.push('\n');
        line
    }
}

/// What went wrong with a results file.
#[derive(Debug, Error)]
pub enum ResultsError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{} already exists: add --resume to finish the run it holds, or choose another file", path.display())]
    Exists { path: PathBuf },
    #[error("{} line {line} is not a result row of this tool ({reason}); nothing was changed", path.display())]
    NotResults {
        path: PathBuf,
        line: u64,
        reason: String,
    },
    #[error("{} line {line}: row {row} comes after row {previous}; the file was not written by this tool", path.display())]
    OutOfOrder {
        path: PathBuf,
        line: u64,
        row: u64,
        previous: u64,
    },
    #[error("{} does not hold the results of this file: its row {row} is {was}, and the file's row {row} is {now}", path.display())]
    Mismatch {
        path: PathBuf,
        row: u64,
        was: String,
        now: String,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> ResultsError + '_ {
    move |source| ResultsError::Io {
        path: path.to_owned(),
        source,
    }
}

/// `FILE.partial`: where a resumed run writes until it is complete.
pub fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

/// A new file only its owner can read and write (on Unix: mode 0600).
fn owner_only(path: &Path) -> io::Result<File> {
    crate::owner_only::create(path, crate::owner_only::IfExists::Keep)
}

/// Where rows are written, each as it ends (a line at a time, so a run killed mid-way leaves
/// every finished row behind).
#[derive(Debug)]
pub struct ResultsFile {
    file: File,
    path: PathBuf,
    /// Where the file goes when complete, when it is written aside first.
    destination: Option<PathBuf>,
}

impl ResultsFile {
    /// A new file; an existing one is never overwritten.
    pub fn create(path: &Path) -> Result<Self, ResultsError> {
        let file = owner_only(path).map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => ResultsError::Exists {
                path: path.to_owned(),
            },
            _ => ResultsError::Io {
                path: path.to_owned(),
                source: e,
            },
        })?;
        Ok(Self {
            file,
            path: path.to_owned(),
            destination: None,
        })
    }

    /// Writes `FILE.partial`, which [`ResultsFile::finish`] renames over `path`.
    pub fn replacing(path: &Path) -> Result<Self, ResultsError> {
        let partial = partial_path(path);
        match std::fs::remove_file(&partial) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&partial)(e)),
        }
        let file = owner_only(&partial).map_err(io_error(&partial))?;
        Ok(Self {
            file,
            path: partial,
            destination: Some(path.to_owned()),
        })
    }

    pub fn path(&self) -> &Path {
        self.destination.as_deref().unwrap_or(&self.path)
    }

    pub fn write(&mut self, record: &RowRecord) -> Result<(), ResultsError> {
        self.file
            .write_all(record.to_line().as_bytes())
            .map_err(io_error(&self.path))
    }

    /// Makes the file durable and, when it was written aside, puts it in place.
    pub fn finish(self) -> Result<(), ResultsError> {
        self.file.sync_all().map_err(io_error(&self.path))?;
        drop(self.file);
        if let Some(destination) = &self.destination {
            std::fs::rename(&self.path, destination).map_err(io_error(destination))?;
        }
        Ok(())
    }
}

/// The columns of a CSV export: the JSON object's keys, in the same order.
const CSV_COLUMNS: [&str; 16] = [
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
    "revoked",
];

impl RowRecord {
    /// The row as CSV cells, in [`CSV_COLUMNS`] order; an absent value is an empty cell.
    fn csv_cells(&self) -> [String; CSV_COLUMNS.len()] {
        fn text<T: ToString>(value: Option<T>) -> String {
            value.map(|v| v.to_string()).unwrap_or_default()
        }
        [
            self.row.to_string(),
            self.email.clone(),
            text(self.label.as_deref()),
            text(self.scope.as_deref()),
            self.outcome.as_str().to_owned(),
            text(self.http_status),
            text(self.error_code.as_deref()),
            text(self.explanation.as_deref()),
            text(self.owner_id.as_deref()),
            text(self.granted_scope.as_deref()),
            text(self.mode.as_deref()),
            text(self.elapsed_ms.map(|ms| format!("{ms:.1}"))),
            self.tries.to_string(),
            self.expect.clone(),
            self.matched.to_string(),
            text(self.revoked),
        ]
    }
}

/// Writes `records` as JSON Lines to a new owner-only file (an existing one is never
/// overwritten), the same lines a run writes.
pub fn export_json_lines<'a>(
    path: &Path,
    records: impl IntoIterator<Item = &'a RowRecord>,
) -> Result<(), ResultsError> {
    let mut file = ResultsFile::create(path)?;
    for record in records {
        file.write(record)?;
    }
    file.finish()
}

/// Writes `records` as CSV (a header row, then the JSON keys as columns) to a new owner-only
/// file: for a spreadsheet. An existing file is never overwritten.
pub fn export_csv<'a>(
    path: &Path,
    records: impl IntoIterator<Item = &'a RowRecord>,
) -> Result<(), ResultsError> {
    let file = owner_only(path).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => ResultsError::Exists {
            path: path.to_owned(),
        },
        _ => io_error(path)(e),
    })?;
    let csv_error = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => io_error(path)(e),
        other => io_error(path)(io::Error::other(format!("{other:?}"))),
    };
    let mut writer = csv::Writer::from_writer(file);
    writer.write_record(CSV_COLUMNS).map_err(csv_error)?;
    for record in records {
        writer.write_record(record.csv_cells()).map_err(csv_error)?;
    }
    let file = writer
        .into_inner()
        .map_err(|e| io_error(path)(io::Error::other(e.to_string())))?;
    file.sync_all().map_err(io_error(path))
}

/// Rows in input order from rows that end in any order.
#[derive(Debug)]
pub struct Reorder<T> {
    next: u64,
    held: BTreeMap<u64, T>,
}

impl<T> Default for Reorder<T> {
    fn default() -> Self {
        Self {
            next: 0,
            held: BTreeMap::new(),
        }
    }
}

impl<T> Reorder<T> {
    /// Item `seq` (0-based, each given once) has ended.
    pub fn push(&mut self, seq: u64, item: T) {
        self.held.insert(seq, item);
    }

    /// The next item in order, once it has ended.
    pub fn pop_ready(&mut self) -> Option<T> {
        let item = self.held.remove(&self.next)?;
        self.next += 1;
        Some(item)
    }

    /// How many ended items wait for an earlier one.
    pub fn held(&self) -> usize {
        self.held.len()
    }
}

/// A previous run's results, read in order alongside the input.
#[derive(Debug)]
pub struct Previous {
    lines: BufReader<File>,
    path: PathBuf,
    line: u64,
    last_row: u64,
    ahead: Option<RowRecord>,
    ended: bool,
}

impl Previous {
    /// `None` when there is no such file (a resume of a run that never started).
    pub fn open(path: &Path) -> Result<Option<Self>, ResultsError> {
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error(path)(e)),
        };
        Ok(Some(Self {
            lines: BufReader::new(file),
            path: path.to_owned(),
            line: 0,
            last_row: 0,
            ahead: None,
            ended: false,
        }))
    }

    fn read_line(&mut self, buf: &mut String) -> Result<bool, ResultsError> {
        buf.clear();
        let n = self.lines.read_line(buf).map_err(io_error(&self.path))?;
        self.line += 1;
        Ok(n > 0)
    }

    /// The next record in the file. A last line that does not parse is what a killed run
    /// leaves behind (cut off mid-write) and is skipped; anywhere else it is an error.
    fn next_record(&mut self) -> Result<Option<RowRecord>, ResultsError> {
        if let Some(record) = self.ahead.take() {
            return Ok(Some(record));
        }
        let mut buf = String::new();
        while !self.ended {
            if !self.read_line(&mut buf)? {
                self.ended = true;
                break;
            }
            if buf.trim().is_empty() {
                continue;
            }
            let record = match serde_json::from_str::<RowRecord>(&buf) {
                Ok(record) => record,
                Err(e) => {
                    let line = self.line;
                    let mut rest = String::new();
                    while self.read_line(&mut rest)? {
                        if !rest.trim().is_empty() {
                            return Err(ResultsError::NotResults {
                                path: self.path.clone(),
                                line,
                                reason: e.to_string(),
                            });
                        }
                    }
                    self.ended = true;
                    break;
                }
            };
            if record.row <= self.last_row {
                return Err(ResultsError::OutOfOrder {
                    path: self.path.clone(),
                    line: self.line,
                    row: record.row,
                    previous: self.last_row,
                });
            }
            self.last_row = record.row;
            return Ok(Some(record));
        }
        Ok(None)
    }

    /// The previous result of row `number` (asked in increasing order), if the file has one.
    /// It must be about the same customer: another email means another input file.
    pub fn take(&mut self, row: &Row) -> Result<Option<RowRecord>, ResultsError> {
        while let Some(record) = self.next_record()? {
            if record.row < row.number {
                continue;
            }
            if record.row > row.number {
                self.ahead = Some(record);
                return Ok(None);
            }
            if !record.email.eq_ignore_ascii_case(&row.email) {
                return Err(ResultsError::Mismatch {
                    path: self.path.clone(),
                    row: row.number,
                    was: record.email,
                    now: row.email.clone(),
                });
            }
            return Ok(Some(record));
        }
        Ok(None)
    }
}

/// Folds a `FILE.partial` left by a resumed run that was killed into FILE: its rows replace
/// FILE's, so the next resume does not run them again. Nothing is sent; it is quick.
pub fn fold_partial(path: &Path) -> Result<(), ResultsError> {
    let partial_path = partial_path(path);
    let Some(mut partial) = Previous::open(&partial_path)? else {
        return Ok(());
    };
    let mut main = Previous::open(path)?;
    let mut merged_path = path.as_os_str().to_owned();
    merged_path.push(".merging");
    let merged_path = PathBuf::from(merged_path);
    let _ = std::fs::remove_file(&merged_path);
    let mut out = owner_only(&merged_path).map_err(io_error(&merged_path))?;
    let mut from_partial = partial.next_record()?;
    let mut from_main = match &mut main {
        Some(main) => main.next_record()?,
        None => None,
    };
    loop {
        let take_partial = match (&from_partial, &from_main) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(p), Some(m)) => p.row <= m.row,
        };
        let record = if take_partial {
            if let (Some(p), Some(m), Some(main)) = (&from_partial, &from_main, &mut main) {
                if p.row == m.row {
                    from_main = main.next_record()?;
                }
            }
            std::mem::replace(&mut from_partial, partial.next_record()?)
        } else {
            std::mem::replace(
                &mut from_main,
                match &mut main {
                    Some(main) => main.next_record()?,
                    None => None,
                },
            )
        };
        if let Some(record) = record {
            out.write_all(record.to_line().as_bytes())
                .map_err(io_error(&merged_path))?;
        }
    }
    out.sync_all().map_err(io_error(&merged_path))?;
    drop(out);
    std::fs::rename(&merged_path, path).map_err(io_error(path))?;
    std::fs::remove_file(&partial_path).map_err(io_error(&partial_path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::expect::Expectation;

    fn row(number: u64, email: &str) -> Row {
        Row {
            number,
            line: number + 1,
            email: email.to_owned(),
            password: None,
            scope: None,
            expect: Expectation::Ok,
            label: None,
        }
    }

    fn record(number: u64, outcome: RowOutcome) -> RowRecord {
        let mut record = RowRecord::not_run(
            &row(number, &format!("r{number}@x.io")),
            None,
            0,
            "interrupted",
            "stopped".to_owned(),
        );
        record.outcome = outcome;
        record
    }

    #[test]
    fn the_reorder_buffer_gives_items_in_order() {
        let mut reorder = Reorder::default();
        reorder.push(1, "b");
        reorder.push(2, "c");
        assert_eq!(reorder.pop_ready(), None);
        assert_eq!(reorder.held(), 2);
        reorder.push(0, "a");
        let got: Vec<_> = std::iter::from_fn(|| reorder.pop_ready()).collect();
        assert_eq!(got, ["a", "b", "c"]);
    }

    #[test]
    fn outcomes_read_and_write_as_documented() {
        assert_eq!(RowOutcome::NotRun.as_str(), "not_run");
        for outcome in RowOutcome::ALL {
            let json = serde_json::to_string(&outcome).expect("json");
            assert_eq!(json, format!("\"{}\"", outcome.as_str()));
        }
        assert!(RowOutcome::Refused.is_final());
        assert!(!RowOutcome::TransportError.is_final());
        assert!(!RowOutcome::RateLimited.is_final());
    }

    #[test]
    fn a_csv_export_is_owner_only_quotes_what_needs_it_and_reads_back() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("out.csv");
        let mut first = record(1, RowOutcome::Refused);
        first.label = Some("EU, \"B2B\" buyer".to_owned());
        let records = [first, record(2, RowOutcome::NotRun)];
        export_csv(&path, &records).expect("export");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let mut reader = csv::Reader::from_path(&path).expect("read");
        let header: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(header, CSV_COLUMNS);
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].get(2), Some("EU, \"B2B\" buyer"));
        assert_eq!(rows[0].get(4), Some("refused"));
        assert_eq!(rows[1].get(6), Some("interrupted"));
        assert!(
            matches!(
                export_csv(&path, &records),
                Err(ResultsError::Exists { .. })
            ),
            "an existing file is never overwritten"
        );
    }

    #[test]
    fn a_results_file_is_new_and_owner_only() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("out.jsonl");
        let mut file = ResultsFile::create(&path).expect("create");
        file.write(&record(1, RowOutcome::Ok)).expect("write");
        file.finish().expect("finish");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let err = ResultsFile::create(&path).expect_err("exists");
        assert!(err.to_string().contains("--resume"), "{err}");
    }

    fn write(path: &Path, text: &str) {
        std::fs::write(path, text).expect("write");
    }

    #[test]
    fn a_cut_off_last_line_is_skipped_and_a_bad_middle_line_is_not() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("out.jsonl");
        let whole = record(1, RowOutcome::Ok).to_line();
        let cut = record(2, RowOutcome::Ok).to_line();
        let cut = cut.get(..cut.len() / 2).expect("half");
        write(&path, &format!("{whole}{cut}"));
        let mut previous = Previous::open(&path).expect("open").expect("exists");
        assert!(previous.take(&row(1, "r1@x.io")).expect("ok").is_some());
        assert!(previous.take(&row(2, "r2@x.io")).expect("ok").is_none());
        write(&path, &format!("{cut}\n{whole}"));
        let mut previous = Previous::open(&path).expect("open").expect("exists");
        let err = previous.take(&row(1, "r1@x.io")).expect_err("bad line");
        assert!(
            err.to_string().contains("line 1 is not a result row"),
            "{err}"
        );
    }

    #[test]
    fn rows_of_another_file_are_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("out.jsonl");
        write(&path, &record(1, RowOutcome::Ok).to_line());
        let mut previous = Previous::open(&path).expect("open").expect("exists");
        let err = previous.take(&row(1, "other@x.io")).expect_err("mismatch");
        assert!(
            err.to_string().contains("does not hold the results"),
            "{err}"
        );
        assert!(Previous::open(&dir.path().join("none"))
            .expect("ok")
            .is_none());
    }

    #[test]
    fn a_partial_resume_is_folded_into_the_file() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("out.jsonl");
        let lines =
            |records: &[RowRecord]| records.iter().map(RowRecord::to_line).collect::<String>();
        write(
            &path,
            &lines(&[
                record(1, RowOutcome::Ok),
                record(2, RowOutcome::NotRun),
                record(3, RowOutcome::NotRun),
            ]),
        );
        write(
            &partial_path(&path),
            &lines(&[record(1, RowOutcome::Ok), record(2, RowOutcome::Refused)]),
        );
        fold_partial(&path).expect("fold");
        assert!(!partial_path(&path).exists());
        let text = std::fs::read_to_string(&path).expect("read");
        let outcomes: Vec<(u64, RowOutcome)> = text
            .lines()
            .map(|l| serde_json::from_str::<RowRecord>(l).expect("row"))
            .map(|r| (r.row, r.outcome))
            .collect();
        assert_eq!(
            outcomes,
            [
                (1, RowOutcome::Ok),
                (2, RowOutcome::Refused),
                (3, RowOutcome::NotRun)
            ]
        );
    }
}
