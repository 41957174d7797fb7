//! Bulk checks: hundreds of customer logins from a CSV, paced at the rate limit, every row
//! accounted for, nothing secret written.
//!
//! `input` reads and checks the file, `runner` sends the rows and says how each ended,
//! `results` writes them in input order and reads them back to resume, `expect` judges a row
//! against what it expected. The faces (the CLI's `batch`, later the window's page) decide what
//! to do with each row and with the progress.

pub mod expect;
pub mod input;
pub mod results;
pub mod runner;

pub use expect::Expectation;
pub use input::{survey, FileProblem, Problems, Row, Rows, Survey};
pub use results::{Previous, ResultsError, ResultsFile, RowOutcome, RowRecord};
pub use runner::{
    Control, ControlReceiver, Controls, Finished, Progress, RunState, Runner, Settings, Sink,
    StopReason, Summary, Tally, Work, MAX_TRIES,
};
