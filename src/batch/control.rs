//! How a face steers a run (pause, stop, stop at once) and why a run ended early.

use std::sync::Arc;

use tokio::sync::watch;

/// Why a run ended before its last row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// Ctrl-C, or Stop in the window.
    Interrupted,
    /// This many network or 5xx failures in a row.
    Failures(u32),
    /// The server refused the client ID with this code: every row would fail.
    ClientRefused(String),
    /// The input could no longer be read (it changed under the run).
    InputFailed(String),
    /// The results could not be written.
    OutputFailed(String),
}

impl StopReason {
    /// The `error_code` of the rows not run.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Interrupted => "interrupted",
            Self::Failures(_) => "too_many_failures",
            Self::ClientRefused(_) => "client_refused",
            Self::InputFailed(_) => "input_failed",
            Self::OutputFailed(_) => "output_failed",
        }
    }

    /// Why, in plain words (for the rows not run and the summary).
    pub fn explanation(&self) -> String {
        match self {
            Self::Interrupted => "The run was stopped before this row got an answer.".to_owned(),
            Self::Failures(n) => format!(
                "The run stopped after {n} network or server failures in a row; the server may be down."
            ),
            Self::ClientRefused(code) => format!(
                "The server refused the client ID (`{code}`), which would fail every row: check the client ID and base URL."
            ),
            Self::InputFailed(why) => format!("The input could no longer be read: {why}."),
            Self::OutputFailed(why) => format!("The results could not be written: {why}."),
        }
    }
}

/// What the face asks of a running run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Run,
    /// Send nothing new; requests in flight finish.
    Pause,
    /// Send nothing new, let the requests in flight finish, write the rest as not run.
    Stop,
    /// As `Stop`, without waiting for the requests in flight.
    StopNow,
}

/// The face's handle on a run. Cheap to clone. A stop is never taken back.
#[derive(Debug, Clone)]
pub struct Controls {
    tx: Arc<watch::Sender<Control>>,
}

/// What the runner listens to.
pub type ControlReceiver = watch::Receiver<Control>;

impl Controls {
    pub fn new() -> (Self, ControlReceiver) {
        let (tx, rx) = watch::channel(Control::Run);
        (Self { tx: Arc::new(tx) }, rx)
    }

    fn set(&self, wanted: Control) {
        self.tx.send_if_modified(|now| {
            let allowed = match (*now, wanted) {
                (Control::StopNow, _) => false,
                (Control::Stop, w) => w == Control::StopNow,
                (n, w) => n != w,
            };
            if allowed {
                *now = wanted;
            }
            allowed
        });
    }

    pub fn pause(&self) {
        self.set(Control::Pause);
    }

    pub fn resume(&self) {
        self.set(Control::Run);
    }

    pub fn stop(&self) {
        self.set(Control::Stop);
    }

    pub fn stop_now(&self) {
        self.set(Control::StopNow);
    }

    pub fn state(&self) -> Control {
        *self.tx.borrow()
    }
}
