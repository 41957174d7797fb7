//! The support report of what the window shows: copied as Markdown, saved as Markdown or JSON
//! where the person chooses (owner-only, in the background), previewed before either, with the
//! two masking choices. The login page shows it under the answer (`view::below`), the history
//! page beside a kept entry (`view::panel`). The report itself is `crate::report`'s: the window
//! only chooses what it is of.

pub mod view;

use std::path::PathBuf;
use std::time::SystemTime;

use egui::Context;

use crate::attempt::Attempt;
use crate::clock::{rfc3339, Clock};
use crate::diagnosis::Diagnosis;
use crate::gui::clipboard::Copies;
use crate::gui::pages::login::CopyItem;
use crate::gui::tasks::{Event, Tasks};
use crate::gui::widgets::Note;
use crate::report::file::{write_owner_only, IfExists};
use crate::report::{Format, Masking, Report};

/// What a report is of: an answer, a login beside its guest token, a login Diagnose looked
/// into, or a report kept from an earlier session.
#[derive(Clone, Copy)]
pub enum Subject<'a> {
    Attempt(&'a Attempt),
    Diagnosis(&'a Diagnosis),
    /// Masked when it was kept: the masking choices no longer apply.
    Kept(&'a Report),
}

impl Subject<'_> {
    pub fn report(self, masking: Masking, now: SystemTime) -> Report {
        match self {
            Subject::Attempt(attempt) => Report::of_attempt(attempt, masking, now),
            Subject::Diagnosis(diagnosis) => Report::of_diagnosis(diagnosis, masking, now),
            Subject::Kept(report) => report.clone(),
        }
    }

    /// Whether the masking choices change this report.
    pub fn maskable(self) -> bool {
        !matches!(self, Subject::Kept(_))
    }

    /// Which report it is, so that "Saved to …" shows under that one only.
    fn key(self) -> Key {
        match self {
            Subject::Attempt(attempt) => Key::Sent(attempt.started_at),
            Subject::Diagnosis(diagnosis) => Key::Sent(
                diagnosis
                    .probes
                    .last()
                    .map_or(diagnosis.login.started_at, |(_, probe)| probe.started_at),
            ),
            Subject::Kept(report) => Key::Kept(format!(
                "{} {}",
                report.generated_at, report.attempt.sent_at
            )),
        }
    }
}

/// A report's identity: when its last request was sent, or a kept report's times.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Sent(SystemTime),
    Kept(String),
}

/// What the report views ask for; applied at the end of the frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportCommand {
    /// Put this Markdown on the clipboard.
    Copy(String),
    /// Write the save dialog's report to its file.
    Save(IfExists),
}

/// "Save report…": the report as it was when the dialog opened, and where it goes.
pub struct SaveDialog {
    report: Box<Report>,
    key: Key,
    pub format: Format,
    pub path: String,
    /// Why the last try failed, under the path.
    pub problem: Option<String>,
    /// The file is already there: offer to replace it.
    pub exists: bool,
    pub saving: bool,
    /// Focus the path when the dialog first shows.
    focus: bool,
}

impl SaveDialog {
    fn new(report: Report, key: Key, now: SystemTime) -> Self {
        let format = Format::Md;
        Self {
            report: Box::new(report),
            key,
            format,
            path: default_path(format, now).display().to_string(),
            problem: None,
            exists: false,
            saving: false,
            focus: true,
        }
    }

    /// Another format, and the file name's extension with it when it was the other one's.
    pub fn choose(&mut self, format: Format) {
        if format == self.format {
            return;
        }
        let old = format!(".{}", self.format.extension());
        if let Some(stem) = self.path.strip_suffix(&old) {
            self.path = format!("{stem}.{}", format.extension());
        }
        self.format = format;
        self.exists = false;
        self.problem = None;
    }
}

/// What the report views show and edit.
#[derive(Default)]
pub struct ReportsState {
    /// Chosen for each ticket, and for this session only: the next report may go to someone
    /// who must not see the customer's email, whatever was chosen last week.
    pub masking: Masking,
    pub save: Option<SaveDialog>,
    /// "Preview report…" is open over the window.
    pub preview: bool,
    /// The last save, shown under the report it was of.
    saved: Option<(Key, Note)>,
}

impl ReportsState {
    /// Opens "Save report…" for `subject` as it is now.
    fn open_save(&mut self, subject: Subject<'_>, now: SystemTime) {
        let report = subject.report(self.masking, now);
        self.save = Some(SaveDialog::new(report, subject.key(), now));
    }

    fn saved_note(&self, subject: Subject<'_>) -> Option<&Note> {
        self.saved
            .as_ref()
            .filter(|(key, _)| *key == subject.key())
            .map(|(_, note)| note)
    }
}

/// A save that finished.
pub struct Saved {
    key: Key,
    path: PathBuf,
    result: std::io::Result<()>,
}

/// The report views' state and the saves running in the background.
pub struct Reports {
    pub state: ReportsState,
    tasks: Tasks<Saved>,
}

impl Reports {
    pub fn new(runtime: tokio::runtime::Handle, ctx: Context, clock: Clock) -> Self {
        Self {
            state: ReportsState::default(),
            tasks: Tasks::new(runtime, ctx, clock),
        }
    }

    /// The start of a frame: takes in the saves that finished.
    pub fn logic(&mut self) {
        for event in self.tasks.drain() {
            match event {
                Event::Done { message, .. } | Event::Progress { message, .. } => {
                    self.finish(message);
                }
                Event::Lost { .. } => {
                    if let Some(dialog) = &mut self.state.save {
                        dialog.saving = false;
                        dialog.problem = Some(
                            "The save stopped without an answer (an internal error): the file may not have been written."
                                .to_owned(),
                        );
                    }
                }
            }
        }
    }

    fn finish(&mut self, saved: Saved) {
        let state = &mut self.state;
        match saved.result {
            Ok(()) => {
                state.save = None;
                let text = format!("Saved to {} (readable by you only).", saved.path.display());
                state.saved = Some((saved.key, Note { ok: true, text }));
            }
            Err(e) => {
                if let Some(dialog) = &mut state.save {
                    dialog.saving = false;
                    if e.kind() == std::io::ErrorKind::AlreadyExists {
                        dialog.exists = true;
                        dialog.problem = None;
                    } else {
                        dialog.problem = Some(format!("Could not save it there: {e}."));
                    }
                }
            }
        }
    }

    /// Whether a save is still running.
    pub fn is_busy(&self) -> bool {
        self.tasks.is_busy()
    }

    /// Applies what the report views asked for.
    pub fn apply(&mut self, ctx: &Context, command: ReportCommand, copies: &mut Copies<CopyItem>) {
        match command {
            // Nothing secret in it: clipboard managers may keep it, and it is not cleared.
            ReportCommand::Copy(markdown) => {
                copies.copy(ctx, CopyItem::Report, markdown, false, false);
            }
            ReportCommand::Save(if_exists) => self.save(if_exists),
        }
    }

    /// Writes the dialog's report in the background: a slow or network disk must not freeze
    /// the window.
    fn save(&mut self, if_exists: IfExists) {
        let Some(dialog) = &mut self.state.save else {
            return;
        };
        if dialog.saving {
            return;
        }
        let typed = dialog.path.trim();
        if typed.is_empty() {
            dialog.problem = Some("Type where to save the report.".to_owned());
            return;
        }
        let path = expand_home(typed);
        let text = dialog.report.render(dialog.format);
        let key = dialog.key.clone();
        dialog.saving = true;
        dialog.problem = None;
        self.tasks.detach_blocking("Saving the report", move || {
            let path = std::path::absolute(&path).unwrap_or(path);
            let result = write_owner_only(&path, &text, if_exists);
            Saved { key, path, result }
        });
    }
}

/// The folder a report is offered in: the home folder, else the working folder.
fn home() -> Option<PathBuf> {
    ["HOME", "USERPROFILE"]
        .iter()
        .filter_map(std::env::var_os)
        .find(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// `~/cl-login-tester-report-20261130T040000Z.md`: sorted by time, and never the same twice.
fn default_path(format: Format, now: SystemTime) -> PathBuf {
    let stamp: String = rfc3339(now)
        .chars()
        .filter(|c| !matches!(c, '-' | ':'))
        .collect();
    let name = format!("cl-login-tester-report-{stamp}.{}", format.extension());
    home().map_or_else(|| PathBuf::from(&name), |home| home.join(&name))
}

/// `~/x.md` means the home folder, as in a shell.
fn expand_home(typed: &str) -> PathBuf {
    let rest = match typed.strip_prefix('~') {
        Some("") => Some(""),
        Some(rest) => rest.strip_prefix(['/', std::path::MAIN_SEPARATOR]),
        None => None,
    };
    match (rest, home()) {
        (Some(""), Some(home)) => home,
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(typed),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::attempt::canned;
    use crate::auth::Grant;

    fn attempt() -> Attempt {
        let grant = Grant::ClientCredentials {
            client_secret: None,
        };
        let request = canned::request("http://127.0.0.1:4000", "client", grant, None);
        let body = r#"{"access_token":"a"}"#;
        canned::answered(request, SystemTime::UNIX_EPOCH, Duration::ZERO, 200, body)
    }

    #[test]
    fn the_offered_file_is_named_by_the_time_and_follows_the_format() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_000_000);
        let path = default_path(Format::Md, now);
        assert!(
            path.ends_with("cl-login-tester-report-20261130T005320Z.md"),
            "{}",
            path.display()
        );
        let report = Report::of_attempt(&attempt(), Masking::default(), now);
        let mut dialog = SaveDialog::new(report, Key::Sent(now), now);
        dialog.choose(Format::Json);
        assert!(
            dialog.path.ends_with("20261130T005320Z.json"),
            "{}",
            dialog.path
        );
        dialog.path = "ticket.txt".to_owned();
        dialog.choose(Format::Md);
        assert_eq!(dialog.path, "ticket.txt", "a name the person chose stays");
    }

    #[test]
    fn a_tilde_means_the_home_folder() {
        let Some(home) = home() else {
            return;
        };
        assert_eq!(expand_home("~/x.md"), home.join("x.md"));
        assert_eq!(expand_home("~"), home);
        assert_eq!(expand_home("~x/y.md"), PathBuf::from("~x/y.md"));
        assert_eq!(expand_home("reports/y.md"), PathBuf::from("reports/y.md"));
    }
}
