//! The bulk check page: a CSV of customers run through the core's bulk runner (`crate::batch`)
//! with the login page's client ID, scope and base URL, paced at the rate limit. The file is
//! read and checked off the UI thread (`file`), rows arrive as they end into the results grid
//! (`grid`), a row's whole answer is drawn with the login page's answer view, and the results
//! can be exported or summed up (`view` lays it all out).

mod file;
mod grid;
mod view;

use std::io::BufReader;
use std::path::PathBuf;

use egui::Context;
use secrecy::SecretString;
use zeroize::Zeroizing;

pub use self::view::dropped_file;

use self::file::Opened;
use self::grid::Grid;
use super::login::answer::Tab;
use super::login::LoginCommand;
use crate::attempt::Attempt;
use crate::auth::scope::parse_scopes;
use crate::auth::url::token_url;
use crate::auth_host::Transport;
use crate::batch::progress::{summary_text, MISMATCHES_SHOWN};
use crate::batch::results::{export_csv, export_json_lines};
use crate::batch::{
    Controls, Finished, Progress, ResultsError, RowRecord, Rows, Runner, Settings, Sink, Summary,
    Work,
};
use crate::clock::Clock;
use crate::gui::preferences::Preferences;
use crate::gui::tasks::{self, Event, Tasks};
use crate::gui::widgets::Note;
use crate::pacing::{Pacer, RateLimit, COMMERCE_LAYER_LIMIT};
use std::time::Duration;

/// Requests in flight by default, as in the CLI.
const DEFAULT_CONCURRENCY: u16 = 4;
/// Network or 5xx failures in a row that stop a run, as in the CLI.
const STOP_AFTER: u32 = 5;

/// What the page's views ask for; applied at the end of the frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkCommand {
    /// Read and check the file whose path is typed.
    Open,
    /// A file dropped onto the window.
    OpenDropped(PathBuf),
    Start,
    Pause,
    Resume,
    Stop,
    /// Show this row's whole answer (an index into the run's rows).
    Select(usize),
    Export(Format),
    CopySummary,
    /// A button of the selected row's answer view.
    Answer(LoginCommand),
}

/// How results are exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    JsonLines,
    Csv,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::JsonLines => "JSON Lines",
            Format::Csv => "CSV",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// Reading and checking a file.
    Open,
    Run,
}

enum Message {
    Opened(Box<Result<Opened, String>>),
    Row(Box<Finished>),
    Progress(Box<Progress>),
    Ended(Box<Summary>),
    /// The run could not start reading the file (it changed or went away since the check).
    Failed(String),
    Exported(Result<String, String>),
}

/// A row that ended: what the results hold and, when it was sent, the whole answer.
pub struct BulkRow {
    pub record: RowRecord,
    pub attempt: Option<Attempt>,
}

/// A run started from the page: while it goes and after it ended.
pub struct Run {
    controls: Controls,
    rate: RateLimit,
    total: u64,
    rows: Vec<BulkRow>,
    progress: Option<Progress>,
    summary: Option<Summary>,
    failed: Option<String>,
}

impl Run {
    fn is_over(&self) -> bool {
        self.summary.is_some() || self.failed.is_some()
    }
}

pub struct BulkPage {
    /// The CSV file's path as typed (or dropped).
    pub path: String,
    opened: Option<Opened>,
    open_error: Option<String>,
    /// For rows without a password of their own. Zeroized when replaced or dropped; never
    /// persisted.
    pub password: Zeroizing<String>,
    reveal_password: bool,
    /// Requests per sliding window, as the CLI's `--rate` reads it.
    pub rate: String,
    pub concurrency: u16,
    /// Why Start did nothing.
    start_error: Option<String>,
    run: Option<Run>,
    grid: Grid,
    tab: Tab,
    /// The answer view's "include the password in curl": the page keeps no row's password.
    include_password_in_curl: bool,
    pub export_path: String,
    note: Option<Note>,
    tasks: Tasks<Message, Slot>,
    transport: Transport,
    clock: Clock,
}

impl BulkPage {
    pub fn new(
        transport: Transport,
        runtime: tokio::runtime::Handle,
        ctx: Context,
        clock: Clock,
    ) -> Self {
        Self {
            path: String::new(),
            opened: None,
            open_error: None,
            password: Zeroizing::default(),
            reveal_password: false,
            rate: COMMERCE_LAYER_LIMIT.to_string(),
            concurrency: DEFAULT_CONCURRENCY,
            start_error: None,
            run: None,
            grid: Grid::default(),
            tab: Tab::Summary,
            include_password_in_curl: false,
            export_path: String::new(),
            note: None,
            tasks: Tasks::new(runtime, ctx, clock),
            transport,
            clock,
        }
    }

    /// Whether a file is being read or a run goes on (paused included).
    pub fn is_busy(&self) -> bool {
        self.tasks.is_busy()
    }

    /// Whether a run goes on (paused included).
    pub fn is_running(&self) -> bool {
        self.tasks.is_running(Slot::Run)
    }

    /// The rows of the last run that ended so far.
    pub fn rows(&self) -> &[BulkRow] {
        self.run.as_ref().map_or(&[], |run| run.rows.as_slice())
    }

    /// The answer of the selected row, when it was sent.
    pub fn selected_attempt(&self) -> Option<&Attempt> {
        let index = self.grid.selected?;
        self.rows().get(index)?.attempt.as_ref()
    }

    /// The start of a frame: takes in what the file check and the run brought back.
    pub fn logic(&mut self) {
        for event in self.tasks.drain() {
            match event {
                Event::Done { message, .. } | Event::Progress { message, .. } => {
                    self.take(message);
                }
                Event::Lost { slot, label, .. } => {
                    let text = format!("{label} stopped without an answer (an internal error).");
                    match (slot, self.run.as_mut()) {
                        (Some(Slot::Run), Some(run)) => run.failed = Some(text),
                        _ => self.note = Some(Note { ok: false, text }),
                    }
                }
            }
        }
    }

    fn take(&mut self, message: Message) {
        match message {
            Message::Opened(opened) => match *opened {
                Ok(opened) => {
                    self.open_error = None;
                    self.opened = Some(opened);
                }
                Err(why) => {
                    self.opened = None;
                    self.open_error = Some(why);
                }
            },
            Message::Row(row) => {
                if let Some(run) = &mut self.run {
                    let Finished {
                        record, attempt, ..
                    } = *row;
                    run.rows.push(BulkRow { record, attempt });
                }
            }
            Message::Progress(progress) => {
                if let Some(run) = &mut self.run {
                    run.progress = Some(*progress);
                }
            }
            Message::Ended(summary) => {
                if let Some(run) = &mut self.run {
                    run.summary = Some(*summary);
                }
            }
            Message::Failed(why) => {
                if let Some(run) = &mut self.run {
                    run.failed = Some(why);
                }
            }
            Message::Exported(result) => {
                self.note = Some(match result {
                    Ok(text) => Note { ok: true, text },
                    Err(text) => Note { ok: false, text },
                });
            }
        }
    }

    /// Applies what the page's views asked for. `client_id` and `prefs` are the login form's:
    /// a run uses its client ID, scope, base URL, encoding and timeout.
    pub fn apply(&mut self, command: BulkCommand, client_id: &str, prefs: &Preferences) {
        match command {
            BulkCommand::Open => self.open(PathBuf::from(self.path.trim())),
            BulkCommand::OpenDropped(path) => {
                self.path = path.display().to_string();
                self.open(path);
            }
            BulkCommand::Start => {
                if let Err(why) = self.start(client_id, prefs) {
                    self.start_error = Some(why);
                }
            }
            BulkCommand::Pause => self.with_controls(Controls::pause),
            BulkCommand::Resume => self.with_controls(Controls::resume),
            BulkCommand::Stop => self.with_controls(Controls::stop),
            BulkCommand::Select(index) => {
                self.grid.selected = (self.grid.selected != Some(index)).then_some(index);
            }
            BulkCommand::Export(format) => self.export(format),
            // The app applies these: they need the clipboard and the login page.
            BulkCommand::CopySummary | BulkCommand::Answer(_) => {}
        }
    }

    fn with_controls(&self, act: impl FnOnce(&Controls)) {
        if let Some(run) = self.run.as_ref().filter(|run| !run.is_over()) {
            act(&run.controls);
        }
    }

    fn open(&mut self, path: PathBuf) {
        if path.as_os_str().is_empty() {
            self.open_error =
                Some("Type the path of a CSV file, or drop one onto the window.".to_owned());
            return;
        }
        if self.is_running() {
            self.note = Some(Note {
                ok: false,
                text: "A run goes on: stop it before opening another file.".to_owned(),
            });
            return;
        }
        self.start_error = None;
        self.tasks
            .start(Slot::Open, "Reading the file", async move {
                let opened = tokio::task::spawn_blocking(move || file::open(path))
                    .await
                    .unwrap_or_else(|e| Err(format!("Reading the file stopped: {e}")));
                Message::Opened(Box::new(opened))
            });
    }

    /// Checks what the run needs and starts it; why not, in words for the page.
    fn start(&mut self, client_id: &str, prefs: &Preferences) -> Result<(), String> {
        if self.is_running() {
            return Err("A run goes on already.".to_owned());
        }
        let opened = self.opened.as_ref().ok_or("Open a CSV file first.")?;
        let found = opened
            .runnable()
            .ok_or("This file cannot run: see its problems above.")?;
        let (total, without_password, path) =
            (found.rows, found.without_password, opened.path.clone());
        let rate: RateLimit = self.rate.trim().parse()?;
        let client_id = client_id.trim();
        if client_id.is_empty() {
            return Err(
                "The client ID is empty: fill it in on the Login page (or choose a profile there)."
                    .to_owned(),
            );
        }
        token_url(&prefs.base_url)
            .map_err(|e| format!("The base URL (Login page, Advanced): {e}"))?;
        let scopes = vec![prefs.scope_text.clone()];
        parse_scopes(&scopes).map_err(|e| format!("The scope (Login page): {e}"))?;
        let password = if without_password > 0 {
            if self.password.is_empty() {
                return Err(format!(
                    "{without_password} rows have no password of their own: type the password to use for them."
                ));
            }
            Some(SecretString::from(self.password.as_str().to_owned()))
        } else {
            None
        };
        if prefs.clear_password_after_attempt {
            self.password = Zeroizing::default();
        }
        let settings = Settings {
            base_url: prefs.base_url.clone(),
            client_id: client_id.to_owned(),
            scopes,
            encoding: prefs.encoding,
            timeout: Duration::from_secs(prefs.timeout_secs),
            concurrency: usize::from(self.concurrency.max(1)),
            stop_after: STOP_AFTER,
            revoke: false,
        };
        let runner = Runner::new(self.transport.clone(), Pacer::new(rate), settings, password);
        let (controls, listener) = Controls::new();
        self.tasks.start_reporting(
            Slot::Run,
            format!("Checking {total} logins"),
            move |progress| async move {
                let rows = match std::fs::File::open(&path)
                    .map_err(|e| e.to_string())
                    .and_then(|f| Rows::open(BufReader::new(f)).map_err(|p| p.to_string()))
                {
                    Ok(rows) => rows,
                    Err(why) => {
                        return Message::Failed(format!(
                            "{} could not be read again: {why}. Nothing was sent.",
                            path.display()
                        ))
                    }
                };
                let source = rows.map(|row| row.map(Work::Run).map_err(|p| p.to_string()));
                let mut sink = WindowSink { to: progress };
                let summary = runner.run(source, total, listener, &mut sink).await;
                Message::Ended(Box::new(summary))
            },
        );
        self.start_error = None;
        self.note = None;
        self.grid.reset();
        self.run = Some(Run {
            controls,
            rate,
            total,
            rows: Vec::new(),
            progress: None,
            summary: None,
            failed: None,
        });
        Ok(())
    }

    fn export(&mut self, format: Format) {
        let path = PathBuf::from(self.export_path.trim());
        if path.as_os_str().is_empty() {
            self.note = Some(Note {
                ok: false,
                text: "Type the path of the file to export to.".to_owned(),
            });
            return;
        }
        let records: Vec<RowRecord> = self.rows().iter().map(|r| r.record.clone()).collect();
        self.tasks
            .detach_blocking("Exporting the results", move || {
                let written = match format {
                    Format::JsonLines => export_json_lines(&path, &records),
                    Format::Csv => export_csv(&path, &records),
                };
                Message::Exported(match written {
                    Ok(()) => Ok(format!(
                        "{} rows exported as {} to {} (only you can read it).",
                        records.len(),
                        format.name(),
                        path.display()
                    )),
                    Err(ResultsError::Exists { path }) => Err(format!(
                        "{} already exists: choose another file name (nothing is overwritten).",
                        path.display()
                    )),
                    Err(e) => Err(format!("Could not export: {e}")),
                })
            });
    }

    /// The summary "Copy summary" puts on the clipboard: counts, the rows that did not match,
    /// time and pace. Never a password or a token.
    pub fn summary_text(&self) -> Option<String> {
        let run = self.run.as_ref()?;
        let summary = run.summary.as_ref()?;
        let mismatches: Vec<RowRecord> = run
            .rows
            .iter()
            .filter(|r| !r.record.matched)
            .take(MISMATCHES_SHOWN)
            .map(|r| r.record.clone())
            .collect();
        Some(summary_text(summary, &mismatches, None))
    }
}

/// Where the runner reports: every row and every progress go back to the page as they come.
struct WindowSink {
    to: tasks::Progress<Message>,
}

impl Sink for WindowSink {
    fn row(&mut self, row: Finished) -> Result<(), String> {
        self.to.send(Message::Row(Box::new(row)));
        Ok(())
    }

    fn progress(&mut self, progress: &Progress) {
        self.to.send(Message::Progress(Box::new(progress.clone())));
    }
}
