//! `history`: the attempts the window kept between sessions (only when that setting is on), as
//! redacted reports.

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::Args;

use super::exit::Exit;
use super::print::emit;
use crate::facts::shown;
use crate::report::history::History;

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Print one JSON array of the kept reports (the report's JSON shape) instead of a table.
    #[arg(long)]
    pub json: bool,

    /// Forget every kept attempt.
    #[arg(long, conflicts_with = "json")]
    pub clear: bool,
}

pub fn run(args: &HistoryArgs) -> ExitCode {
    let history = match History::in_data_folder() {
        Ok(history) => history,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Failed.into();
        }
    };
    if args.clear {
        return match history.clear() {
            Ok(()) => {
                eprintln!("history cleared ({})", history.path().display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                Exit::Failed.into()
            }
        };
    }
    let kept = match history.load() {
        Ok(kept) => kept,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Failed.into();
        }
    };
    if args.json {
        let value = serde_json::to_string(&kept.entries).unwrap_or_else(|_| "[]".to_owned());
        emit(&format!("{value}\n"));
    } else if kept.entries.is_empty() {
        eprintln!(
            "no history kept: the window keeps attempts between sessions only when \"Keep history\" is on in its Settings ({})",
            history.path().display()
        );
    } else {
        emit(&table(&kept.entries));
    }
    if kept.unreadable > 0 {
        eprintln!(
            "warning: {} line(s) of {} could not be read and were skipped",
            kept.unreadable,
            history.path().display()
        );
    }
    ExitCode::SUCCESS
}

fn table(entries: &[crate::report::Report]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<20}  {:<14}  {:<24}  {:<22}  {:<16}  http",
        "sent", "client", "customer", "scope", "outcome"
    );
    for report in entries {
        let a = &report.attempt;
        let http = a
            .http_status
            .map_or_else(|| "-".to_owned(), |s| s.to_string());
        let _ = writeln!(
            out,
            "{:<20}  {:<14}  {:<24}  {:<22}  {:<16}  {http}",
            shown(&a.sent_at),
            shown(&a.client_id),
            shown(a.email.as_deref().unwrap_or("(guest)")),
            shown(a.scope_asked.as_deref().unwrap_or("market:all")),
            a.outcome
        );
    }
    out
}
