//! Bulk checks: hundreds of customer logins from a CSV, paced at the rate limit, every row
//! accounted for, nothing secret written.
//!
//! `input` reads and checks the file, `runner` sends the rows and says how each ended,
//! `results` writes them in input order and reads them back to resume, `expect` judges a row
//! against what it expected, `progress` counts, `control` steers a run. The faces (the CLI's `batch`, later the window's page) decide what
//! to do with each row and with the progress.

pub mod control;
pub mod expect;
pub mod input;
pub mod progress;
pub mod results;
pub mod runner;

pub use control::{Control, ControlReceiver, Controls, StopReason};
pub use expect::Expectation;
pub use input::{survey, FileProblem, Problems, Row, Rows, Survey};
pub use progress::{Progress, RunState, Summary, Tally};
pub use results::{Previous, ResultsError, ResultsFile, RowOutcome, RowRecord};
pub use runner::{Finished, Runner, Settings, Sink, Work, MAX_TRIES};
