//! The History page: every attempt of this session, and, once "Keep history" is on, the
//! redacted reports kept from earlier sessions. A session attempt is the real Attempt (its
//! answer can be shown again, the form filled from it); a kept one is only its report, so it can
//! be read and copied but not run again. The kept file is read, written and cleared on the
//! runtime's blocking threads, never on the UI thread.

mod view;

use std::sync::{Arc, Mutex, PoisonError};

use egui::Context;

use crate::attempt::Attempt;
use crate::clock::Clock;
use crate::gui::preferences::Preferences;
use crate::gui::tasks::{Event, Tasks};
use crate::profiles::Profile;
use crate::report::history::{History, HistoryError, Kept};
use crate::report::Report;

/// One attempt of this session.
pub struct Entry {
    /// 1 for the session's first attempt: how the list and its buttons name it.
    pub number: usize,
    /// The answer, its body cut to [`SESSION_BODY`] bytes.
    pub attempt: Attempt,
    /// The body's whole length, when it was cut.
    pub body_cut_from: Option<usize>,
    /// The profile chosen when it was sent, when the client ID was the profile's.
    pub profile: Option<String>,
}

/// The most of a body the session's list keeps: a hostile megabyte must not stay in memory
/// once another answer is on screen. Everything else of the answer is kept whole.
pub const SESSION_BODY: usize = 64 * 1024;

/// The answer as the session's list keeps it, and the body's whole length when it was cut.
fn kept_in_session(attempt: &Attempt) -> (Attempt, Option<usize>) {
    let mut kept = attempt.clone();
    if kept.body.len() <= SESSION_BODY {
        return (kept, None);
    }
    let mut cut = SESSION_BODY;
    while !kept.body.is_char_boundary(cut) {
        cut -= 1;
    }
    kept.body.truncate(cut);
    kept.body.shrink_to_fit();
    (kept, Some(attempt.body.len()))
}

/// The reports kept from earlier sessions.
enum KeptList {
    /// No data folder to keep them in.
    Unavailable,
    Reading,
    Read {
        entries: Vec<Report>,
        unreadable: usize,
    },
    Failed(String),
}

/// A row of the list, to confirm a copy next to the button that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Session(usize),
    Kept(usize),
}

/// What the History page's views ask for; applied at the end of the frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryCommand {
    /// Show this session attempt's answer again on the login page.
    Show(usize),
    /// Fill the login form from this session attempt.
    RunAgain(usize),
    /// Forget the session's attempts and the kept ones (confirmed).
    Clear,
}

/// What the kept file's background work brought back.
pub enum Stored {
    Read(Result<Kept, HistoryError>),
    Appended(Result<(), HistoryError>),
    Cleared(Result<(), HistoryError>),
}

pub struct HistoryPage {
    /// Oldest first.
    session: Vec<Entry>,
    kept: KeptList,
    selected_kept: Option<usize>,
    confirm_clear: bool,
    /// A problem with the kept file, in one sentence.
    notice: Option<String>,
    copied_row: Option<Row>,
    /// One file operation at a time: two appends read and write the whole file.
    file: Option<Arc<Mutex<History>>>,
    /// Where it is, to say so (the lock is the background work's, never the UI thread's).
    path: Option<String>,
    tasks: Tasks<Stored>,
    clock: Clock,
}

impl HistoryPage {
    /// The page, reading what earlier sessions kept in `file` in the background.
    pub fn new(
        file: Option<History>,
        runtime: tokio::runtime::Handle,
        ctx: Context,
        clock: Clock,
    ) -> Self {
        let mut page = Self {
            session: Vec::new(),
            kept: KeptList::Unavailable,
            selected_kept: None,
            confirm_clear: false,
            notice: None,
            copied_row: None,
            path: file.as_ref().map(|f| f.path().display().to_string()),
            file: file.map(|f| Arc::new(Mutex::new(f))),
            tasks: Tasks::new(runtime, ctx, clock),
            clock,
        };
        page.read_kept();
        page
    }

    fn read_kept(&mut self) {
        let Some(file) = self.file.clone() else {
            return;
        };
        self.kept = KeptList::Reading;
        self.tasks
            .detach_blocking("Reading the kept history", move || {
                Stored::Read(lock(&file).load())
            });
    }

    /// Adds an attempt that just came back; with "Keep history" on, also to the kept file (as
    /// a masked report, in the background).
    pub fn record(&mut self, attempt: &Attempt, profile: Option<&Profile>, prefs: &Preferences) {
        let (kept, body_cut_from) = kept_in_session(attempt);
        self.session.push(Entry {
            number: self.session.len() + 1,
            attempt: kept,
            body_cut_from,
            profile: profile
                .filter(|p| p.client_id == attempt.request.client_id)
                .map(|p| p.name.as_str().to_owned()),
        });
        if !prefs.keep_history {
            return;
        }
        let Some(file) = self.file.clone() else {
            self.notice = Some(
                "Keep history is on, but this system gives no data folder to keep it in (HOME is not set): attempts are listed for this session only."
                    .to_owned(),
            );
            return;
        };
        let attempt = attempt.clone();
        let now = (self.clock)();
        self.tasks
            .detach_blocking("Keeping the attempt in the history", move || {
                Stored::Appended(lock(&file).append(&attempt, now))
            });
    }

    /// The session attempt numbered `number`.
    pub fn entry(&self, number: usize) -> Option<&Entry> {
        self.session.iter().find(|e| e.number == number)
    }

    /// Whether the kept file is still being read or written.
    pub fn is_busy(&self) -> bool {
        self.tasks.is_busy()
    }

    /// The start of a frame: takes in what the file work brought back.
    pub fn logic(&mut self) {
        for event in self.tasks.drain() {
            match event {
                Event::Done { message, .. } | Event::Progress { message, .. } => {
                    self.finish(message);
                }
                Event::Lost { label, .. } => {
                    self.notice = Some(format!(
                        "{label} stopped without an answer (an internal error)."
                    ));
                }
            }
        }
    }

    fn finish(&mut self, stored: Stored) {
        match stored {
            Stored::Read(Ok(kept)) => {
                self.kept = KeptList::Read {
                    entries: kept.entries,
                    unreadable: kept.unreadable,
                };
            }
            Stored::Read(Err(e)) => self.kept = KeptList::Failed(e.to_string()),
            Stored::Appended(Ok(())) => {}
            Stored::Appended(Err(e)) => {
                self.notice = Some(format!("The attempt was not kept: {e}."));
            }
            Stored::Cleared(Ok(())) => {
                self.kept = KeptList::Read {
                    entries: Vec::new(),
                    unreadable: 0,
                };
            }
            Stored::Cleared(Err(e)) => {
                self.notice = Some(format!("The kept history was not cleared: {e}."));
            }
        }
    }

    /// Forgets this session's attempts at once and the kept file in the background.
    pub fn clear(&mut self) {
        self.session.clear();
        self.selected_kept = None;
        self.copied_row = None;
        self.confirm_clear = false;
        self.notice = None;
        if let Some(file) = self.file.clone() {
            self.tasks
                .detach_blocking("Clearing the kept history", move || {
                    Stored::Cleared(lock(&file).clear())
                });
        }
    }

    fn kept_entries(&self) -> &[Report] {
        match &self.kept {
            KeptList::Read { entries, .. } => entries,
            _ => &[],
        }
    }
}

/// The file, for one operation; a panic in another one leaves it as whole as the file is.
fn lock(file: &Mutex<History>) -> std::sync::MutexGuard<'_, History> {
    file.lock().unwrap_or_else(PoisonError::into_inner)
}
