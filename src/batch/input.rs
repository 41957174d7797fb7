//! The CSV a bulk check reads, one row at a time from any reader, so memory stays flat however
//! long the file is (RFC 4180: quoted fields with commas and newlines, UTF-8 with or without a
//! BOM, CRLF or LF; a header row whose names may be in any case and order).
//!
//! A file is read twice: [`survey`] checks every row before anything is sent (a bad row stops
//! the run with its line and column), then [`Rows`] feeds the run.

use std::collections::VecDeque;
use std::fmt;
use std::io::{self, Read};

use secrecy::SecretString;

use super::expect::Expectation;
use crate::auth::scope::{join_scopes, parse_scopes};

/// One customer to log in, as the file gives it.
#[derive(Debug)]
pub struct Row {
    /// 1-based, counting the rows below the header (empty lines are not rows).
    pub number: u64,
    /// Where the row starts in the file, 1-based.
    pub line: u64,
    pub email: String,
    /// `None` when the file has no password column or the cell is empty: the run's shared
    /// password is used.
    pub password: Option<SecretString>,
    /// The row's own scope, checked and space-separated; `None` for the run's default scopes.
    pub scope: Option<String>,
    pub expect: Expectation,
    pub label: Option<String>,
}

/// Where a file is wrong, for a person to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub line: Option<u64>,
    /// 1-based column and its header name.
    pub column: Option<(usize, String)>,
    pub message: String,
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, &self.column) {
            (Some(line), Some((index, name))) if name.is_empty() => {
                write!(f, "line {line}, column {index}: ")?;
            }
            (Some(line), Some((index, name))) => {
                write!(f, "line {line}, column {index} ({name}): ")?;
            }
            (Some(line), None) => write!(f, "line {line}: ")?,
            (None, _) => {}
        }
        f.write_str(&self.message)
    }
}

fn problem(line: u64, message: impl Into<String>) -> FileProblem {
    FileProblem {
        line: Some(line),
        column: None,
        message: message.into(),
    }
}

const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// Where the reader is in RFC 4180 terms, to catch what the csv crate forgives: a quote left
/// open swallows the rest of the file into one value instead of failing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: it closes the field, or a second one follows.
    QuoteInQuoted,
}

/// Passes the bytes on without a leading UTF-8 BOM, and watches quoting and lines on the way:
/// where each record starts (the csv crate's own positions are off after a CRLF or a blank
/// line) and whether a quote is left open at the end.
struct Watched<R> {
    inner: R,
    /// Bytes read while looking for a BOM that was not one, still to be passed on.
    head: Vec<u8>,
    started: bool,
    quoting: Quoting,
    line: u64,
    field: usize,
    /// Where the quote now open was opened: line and 1-based column.
    opened: (u64, usize),
    /// Between records: line breaks here are blank lines (or a CRLF's second half).
    between: bool,
    /// The lines where records read ahead of the parser start, oldest first: a buffer's worth
    /// at most.
    starts: VecDeque<u64>,
}

impl<R: Read> Watched<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            head: Vec::new(),
            started: false,
            quoting: Quoting::FieldStart,
            line: 1,
            field: 1,
            opened: (1, 1),
            between: true,
            starts: VecDeque::new(),
        }
    }

    fn skip_bom(&mut self) -> io::Result<()> {
        let mut head = [0u8; 3];
        let mut got = 0;
        while got < head.len() {
            match self.inner.read(head.get_mut(got..).unwrap_or_default()) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        let head = head.get(..got).unwrap_or_default();
        if head != BOM {
            self.head = head.to_vec();
        }
        Ok(())
    }

    fn watch(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.between {
                match b {
                    b'\n' => {
                        self.line += 1;
                        continue;
                    }
                    b'\r' => continue,
                    _ => {
                        self.between = false;
                        self.starts.push_back(self.line);
                    }
                }
            }
            if b == b'\n' {
                self.line += 1;
            }
            self.quoting = match (self.quoting, b) {
                (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
                (Quoting::Quoted, _) => Quoting::Quoted,
                (Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
                (Quoting::FieldStart, b'"') => {
                    self.opened = (self.line, self.field);
                    Quoting::Quoted
                }
                (_, b',') => {
                    self.field += 1;
                    Quoting::FieldStart
                }
                (_, b'\n' | b'\r') => {
                    self.field = 1;
                    self.between = true;
                    Quoting::FieldStart
                }
                _ => Quoting::Unquoted,
            };
        }
    }

    /// After the end of the file: the quote never closed, if one was left open.
    fn unclosed_quote(&self) -> Option<(u64, usize)> {
        (self.quoting == Quoting::Quoted).then_some(self.opened)
    }
}

impl<R: Read> Read for Watched<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.started {
            self.started = true;
            self.skip_bom()?;
        }
        let n = if self.head.is_empty() {
            self.inner.read(buf)?
        } else {
            let n = self.head.len().min(buf.len());
            if let (Some(to), Some(from)) = (buf.get_mut(..n), self.head.get(..n)) {
                to.copy_from_slice(from);
            }
            self.head.drain(..n);
            n
        };
        self.watch(buf.get(..n).unwrap_or_default());
        Ok(n)
    }
}

/// Which column holds what. Names are matched without regard to case or surrounding blanks.
#[derive(Debug, Clone)]
struct Columns {
    names: Vec<String>,
    email: usize,
    password: Option<usize>,
    scope: Option<usize>,
    expect: Option<usize>,
    label: Option<usize>,
    ignored: Vec<String>,
}

const KNOWN: [&str; 5] = ["email", "password", "scope", "expect", "label"];

impl Columns {
    fn read(header: &csv::StringRecord, line: u64) -> Result<Self, FileProblem> {
        let names: Vec<String> = header.iter().map(|n| n.trim().to_owned()).collect();
        let mut found: [Option<usize>; 5] = [None; 5];
        let mut ignored = Vec::new();
        for (index, name) in names.iter().enumerate() {
            let lower = name.to_lowercase();
            match KNOWN.iter().position(|k| *k == lower) {
                Some(k) => {
                    let slot = found
                        .get_mut(k)
                        .ok_or_else(|| problem(line, "bad header"))?;
                    if let Some(first) = slot {
                        return Err(FileProblem {
                            line: Some(line),
                            column: Some((index + 1, name.clone())),
                            message: format!(
                                "the header names `{lower}` twice (columns {} and {})",
                                *first + 1,
                                index + 1
                            ),
                        });
                    }
                    *slot = Some(index);
                }
                None if name.is_empty() => ignored.push(format!("(column {}, no name)", index + 1)),
                None => ignored.push(name.clone()),
            }
        }
        let [email, password, scope, expect, label] = found;
        let Some(email) = email else {
            return Err(problem(
                line,
                format!(
                    "the header has no `email` column (it has: {}); the first row must name the columns, e.g. email,password,scope,expect,label",
                    names.join(", ")
                ),
            ));
        };
        Ok(Self {
            names,
            email,
            password,
            scope,
            expect,
            label,
            ignored,
        })
    }

    fn name(&self, index: usize) -> String {
        self.names.get(index).cloned().unwrap_or_default()
    }
}

fn is_blank(record: &csv::StringRecord) -> bool {
    record.iter().all(|field| field.trim().is_empty())
}

/// The rows of a CSV file, in order, read one at a time.
pub struct Rows<R: Read> {
    csv: csv::Reader<Watched<R>>,
    columns: Columns,
    record: csv::StringRecord,
    /// Where the current record starts.
    line: u64,
    number: u64,
    finished: bool,
}

impl<R: Read> fmt::Debug for Rows<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rows")
            .field("number", &self.number)
            .finish_non_exhaustive()
    }
}

fn csv_problem(error: &csv::Error, line: u64, columns: Option<&Columns>) -> FileProblem {
    let line = Some(line);
    match error.kind() {
        csv::ErrorKind::Utf8 { err, .. } => FileProblem {
            line,
            column: columns.map(|c| (err.field() + 1, c.name(err.field()))),
            message: "the text is not UTF-8: save the file as UTF-8 (\"CSV UTF-8\" in Excel)"
                .to_owned(),
        },
        csv::ErrorKind::Io(e) => FileProblem {
            line: None,
            column: None,
            message: format!("could not read the file: {e}"),
        },
        _ => FileProblem {
            line,
            column: None,
            message: error.to_string(),
        },
    }
}

impl<R: Read> Rows<R> {
    /// Reads the header row (the first line that is not empty).
    pub fn open(reader: R) -> Result<Self, FileProblem> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(Watched::new(reader));
        let mut record = csv::StringRecord::new();
        loop {
            let read = csv.read_record(&mut record);
            let line = csv.get_mut().starts.pop_front().unwrap_or(1);
            match read {
                Err(e) => return Err(csv_problem(&e, line, None)),
                Ok(false) => {
                    return Err(FileProblem {
                        line: None,
                        column: None,
                        message: "the file is empty: it needs a header row naming the columns (email, and optionally password, scope, expect, label)".to_owned(),
                    })
                }
                Ok(true) if is_blank(&record) => {}
                Ok(true) => {
                    let columns = Columns::read(&record, line)?;
                    return Ok(Self {
                        csv,
                        columns,
                        record,
                        line,
                        number: 0,
                        finished: false,
                    });
                }
            }
        }
    }

    /// Header names that are not columns this tool reads.
    pub fn ignored_columns(&self) -> &[String] {
        &self.columns.ignored
    }

    /// The line where field `index` of the current record starts: a quoted value before it
    /// may span lines.
    fn field_line(&self, index: usize) -> u64 {
        let start = self.line;
        let newlines: usize = self
            .record
            .iter()
            .take(index)
            .map(|f| f.matches('\n').count())
            .sum();
        start + newlines as u64
    }

    fn cell_problem(&self, index: usize, message: impl Into<String>) -> FileProblem {
        FileProblem {
            line: Some(self.field_line(index)),
            column: Some((index + 1, self.columns.name(index))),
            message: message.into(),
        }
    }

    fn cell(&self, index: Option<usize>) -> &str {
        index.and_then(|i| self.record.get(i)).unwrap_or_default()
    }

    fn row(&self) -> Result<Row, FileProblem> {
        let line = self.line;
        let columns = &self.columns;
        if self.record.len() != columns.names.len() {
            return Err(problem(
                line,
                format!(
                    "this row has {} values and the header has {} columns: a value holding a comma or a line break needs double quotes around it",
                    self.record.len(),
                    columns.names.len()
                ),
            ));
        }
        let email = self.cell(Some(columns.email)).trim();
        if email.is_empty() {
            return Err(self.cell_problem(columns.email, "the email is empty"));
        }
        let scope = match self.cell(columns.scope).trim() {
            "" => None,
            cell => {
                let scopes = parse_scopes(&[cell]).map_err(|e| {
                    self.cell_problem(columns.scope.unwrap_or_default(), e.to_string())
                })?;
                Some(join_scopes(&scopes))
            }
        };
        let expect = Expectation::parse(self.cell(columns.expect))
            .map_err(|e| self.cell_problem(columns.expect.unwrap_or_default(), e))?;
        // A password is taken as it is: blanks may be part of it.
        let password = match self.cell(columns.password) {
            "" => None,
            cell => Some(SecretString::from(cell.to_owned())),
        };
        let label = Some(self.cell(columns.label).trim())
            .filter(|l| !l.is_empty())
            .map(str::to_owned);
        Ok(Row {
            number: self.number,
            line,
            email: email.to_owned(),
            password,
            scope,
            expect,
            label,
        })
    }
}

impl<R: Read> Iterator for Rows<R> {
    type Item = Result<Row, FileProblem>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.finished {
            let read = self.csv.read_record(&mut self.record);
            if matches!(read, Ok(true) | Err(_)) {
                self.line = self.csv.get_mut().starts.pop_front().unwrap_or(self.line);
            }
            match read {
                Err(e) => {
                    // Past a bad byte the reader goes on; past a failed read it cannot.
                    self.finished = matches!(e.kind(), csv::ErrorKind::Io(_));
                    if !self.finished {
                        self.number += 1;
                    }
                    return Some(Err(csv_problem(&e, self.line, Some(&self.columns))));
                }
                Ok(false) => {
                    self.finished = true;
                    let (line, column) = self.csv.get_ref().unclosed_quote()?;
                    return Some(Err(FileProblem {
                        line: Some(line),
                        column: Some((column, self.columns.name(column.saturating_sub(1)))),
                        message: "a double quote opens a value here and is never closed, so the rest of the file would be read as this one value".to_owned(),
                    }));
                }
                Ok(true) if is_blank(&self.record) => {}
                Ok(true) => {
                    self.number += 1;
                    return Some(self.row());
                }
            }
        }
        None
    }
}

/// What a check of the whole file found, before anything is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Survey {
    pub rows: u64,
    /// Rows that use the run's shared password (no password column, or an empty cell).
    pub without_password: u64,
    /// Header names this tool does not read.
    pub ignored_columns: Vec<String>,
    /// Things worth saying that do not stop the run: legacy scopes, unknown codes in `expect`.
    pub warnings: Vec<String>,
}

/// The problems that stop a file from running: the first few (in file order, an unclosed
/// quote first since it explains the rest) and how many there were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems {
    pub shown: Vec<FileProblem>,
    pub total: u64,
}

/// How many problems a check lists; the rest are counted.
pub const PROBLEMS_SHOWN: usize = 20;
const WARNINGS_SHOWN: usize = 10;

/// Reads the whole file once and checks every row.
pub fn survey<R: Read>(reader: R) -> Result<Survey, Problems> {
    let mut rows = Rows::open(reader).map_err(|p| Problems {
        shown: vec![p],
        total: 1,
    })?;
    let mut survey = Survey {
        ignored_columns: rows.ignored_columns().to_vec(),
        ..Survey::default()
    };
    let mut problems = Problems {
        shown: Vec::new(),
        total: 0,
    };
    let mut said: Vec<String> = Vec::new();
    let mut warn = |survey: &mut Survey, key: String, text: String| {
        if !said.contains(&key) && survey.warnings.len() < WARNINGS_SHOWN {
            said.push(key);
            survey.warnings.push(text);
        }
    };
    for row in rows.by_ref() {
        match row {
            Ok(row) => {
                survey.rows += 1;
                if row.password.is_none() {
                    survey.without_password += 1;
                }
                if !row.expect.is_known() {
                    warn(
                        &mut survey,
                        format!("expect:{}", row.expect),
                        format!(
                            "line {}: `{}` is not an error code this tool knows; the row matches only if the server answers exactly that code",
                            row.line, row.expect
                        ),
                    );
                }
                let legacy = row
                    .scope
                    .as_deref()
                    .and_then(|s| parse_scopes(&[s]).ok())
                    .into_iter()
                    .flatten()
                    .filter(|s| s.is_legacy());
                for scope in legacy {
                    warn(
                        &mut survey,
                        format!("scope:{scope}"),
                        format!(
                            "line {}: scope `{scope}` uses the legacy numeric form; current organizations expect {kind}:id:<id> or {kind}:code:<code>",
                            row.line,
                            kind = scope.kind.as_str()
                        ),
                    );
                }
            }
            Err(p) => {
                problems.total += 1;
                let unclosed = p.message.starts_with("a double quote opens");
                if unclosed {
                    problems.shown.insert(0, p);
                    problems.shown.truncate(PROBLEMS_SHOWN);
                } else if problems.shown.len() < PROBLEMS_SHOWN {
                    problems.shown.push(p);
                }
            }
        }
    }
    if problems.total > 0 {
        return Err(problems);
    }
    Ok(survey)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn rows(text: &[u8]) -> Vec<Result<Row, FileProblem>> {
        Rows::open(text).expect("header").collect()
    }

    fn ok_rows(text: &[u8]) -> Vec<Row> {
        rows(text)
            .into_iter()
            .map(|r| r.expect("row"))
            .collect::<Vec<_>>()
    }

    #[test]
    fn quoted_values_keep_commas_quotes_and_line_breaks() {
        let text = b"Label,EMAIL,Password\r\n\"EU, B2B \"\"gold\"\"\r\nbuyer\",a@x.io,\"p,w\"\r\n\r\nplain,b@x.io,\r\n";
        let got = ok_rows(text);
        assert_eq!(got.len(), 2);
        let first = got.first().expect("first");
        assert_eq!(first.label.as_deref(), Some("EU, B2B \"gold\"\r\nbuyer"));
        assert_eq!(first.email, "a@x.io");
        assert_eq!(
            first.password.as_ref().map(|p| p.expose_secret()),
            Some("p,w")
        );
        assert_eq!((first.number, first.line), (1, 2));
        let second = got.get(1).expect("second");
        assert!(second.password.is_none(), "an empty cell: the shared one");
        assert_eq!((second.number, second.line), (2, 5));
    }

    #[test]
    fn a_bom_is_not_part_of_the_first_name() {
        let got = ok_rows(b"\xEF\xBB\xBFemail,scope\nA@x.io , market:code:eu\n");
        let row = got.first().expect("row");
        assert_eq!(row.email, "A@x.io");
        assert_eq!(row.scope.as_deref(), Some("market:code:eu"));
        assert_eq!(row.expect, Expectation::Ok);
        // A quoted first name after a BOM too.
        assert_eq!(ok_rows(b"\xEF\xBB\xBF\"email\"\na@x.io\n").len(), 1);
    }

    #[test]
    fn a_file_without_an_email_column_is_refused_at_its_header() {
        let err = Rows::open(&b"mail,password\na,b\n"[..]).expect_err("no email");
        assert_eq!(err.line, Some(1));
        assert!(err.message.contains("no `email` column"), "{err}");
        assert!(Rows::open(&b"\n\n"[..]).is_err());
        let err = Rows::open(&b"email,Email\n"[..]).expect_err("twice");
        assert!(err.to_string().contains("column 2 (Email)"), "{err}");
    }

    #[test]
    fn unknown_columns_are_named_once() {
        let rows = Rows::open(&b"email,Notes,,password\n"[..]).expect("header");
        assert_eq!(rows.ignored_columns(), ["Notes", "(column 3, no name)"]);
    }

    #[test]
    fn bad_cells_name_their_line_and_column() {
        let text = b"email,label,scope,expect\na@x.io,\"two\nlines\",markt:id:1,ok\nb@x.io,,,maybe so\n,,,\n c@x.io ,,,\n ,x,,\n";
        let got = rows(text);
        let scope = got.first().expect("1").as_ref().expect_err("scope");
        assert_eq!(
            scope.to_string(),
            "line 3, column 3 (scope): scope `markt:id:1`: `markt` is not one of market, stock_location, store"
        );
        let expect = got.get(1).expect("2").as_ref().expect_err("expect");
        assert!(
            expect
                .to_string()
                .starts_with("line 4, column 4 (expect): `maybe so`"),
            "{expect}"
        );
        assert!(got.get(2).expect("3").is_ok(), "a blank line is skipped");
        let email = got.get(3).expect("4").as_ref().expect_err("email");
        assert_eq!(
            email.to_string(),
            "line 7, column 1 (email): the email is empty"
        );
    }

    #[test]
    fn a_row_with_a_stray_comma_is_refused() {
        let got = rows(b"email,password\na@x.io,pass,word\n");
        let err = got.first().expect("row").as_ref().expect_err("count");
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("3 values"), "{err}");
    }

    #[test]
    fn a_quote_never_closed_is_found_where_it_opens() {
        let text = b"email,label\na@x.io,fine\nb@x.io,\"open\nc@x.io,more\n";
        let problems = survey(&text[..]).expect_err("unclosed");
        let first = problems.shown.first().expect("problem");
        assert_eq!(first.line, Some(3));
        assert_eq!(first.column, Some((2, "label".to_owned())));
        assert!(first.message.contains("never closed"), "{first}");
        // A quote inside an unquoted value is taken literally, as the csv crate does.
        let got = ok_rows(b"email,label\na@x.io,12\" screen\n");
        assert_eq!(
            got.first().and_then(|r| r.label.as_deref()),
            Some("12\" screen")
        );
    }

    #[test]
    fn invalid_utf8_is_a_problem_with_a_place() {
        let problems = survey(&b"email,label\na@x.io,caf\xE9\n"[..]).expect_err("latin-1");
        let first = problems.shown.first().expect("problem");
        assert_eq!(first.line, Some(2));
        assert_eq!(first.column, Some((2, "label".to_owned())));
        assert!(first.message.contains("UTF-8"), "{first}");
    }

    #[test]
    fn a_survey_counts_rows_and_shared_passwords_and_warns() {
        let text = b"email,password,expect,scope,extra\na@x.io,,invalid_grnat,market:1234,1\nb@x.io,pw,,,2\nc@x.io,,,,3\n";
        let found = survey(&text[..]).expect("good file");
        assert_eq!(found.rows, 3);
        assert_eq!(found.without_password, 2);
        assert_eq!(found.ignored_columns, ["extra"]);
        assert_eq!(found.warnings.len(), 2, "{:?}", found.warnings);
    }

    #[test]
    fn a_survey_lists_the_first_problems_and_counts_them_all() {
        let mut text = b"email,expect\n".to_vec();
        for _ in 0..30 {
            text.extend_from_slice(b"a@x.io,what?\n");
        }
        let problems = survey(&text[..]).expect_err("bad");
        assert_eq!(problems.total, 30);
        assert_eq!(problems.shown.len(), PROBLEMS_SHOWN);
    }

    #[test]
    fn the_bom_survives_reads_of_any_size() {
        struct OneByte<'a>(&'a [u8]);
        impl Read for OneByte<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                match (self.0.split_first(), buf.first_mut()) {
                    (Some((b, rest)), Some(out)) => {
                        *out = *b;
                        self.0 = rest;
                        Ok(1)
                    }
                    _ => Ok(0),
                }
            }
        }
        let text = b"\xEF\xBB\xBFemail\na@x.io\n";
        let got: Vec<_> = Rows::open(OneByte(text)).expect("header").collect();
        assert_eq!(got.len(), 1);
        assert!(Rows::open(OneByte(b"em")).is_err(), "shorter than a BOM");
    }
}
