//! What a run reports as it goes and when it ends: counts by outcome, pace, ETA, and the words
//! every face uses for them (the CLI's progress line and summary, the window's bar and "Copy
//! summary").

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use super::control::StopReason;
use super::results::{RowOutcome, RowRecord};
use crate::pacing::RateLimit;

/// How many rows that did not match a summary lists (the results have them all).
pub const MISMATCHES_SHOWN: usize = 20;

/// Rows ended so far, by outcome and by whether they matched their expectation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    counts: [u64; RowOutcome::ALL.len()],
    pub matched: u64,
    pub mismatched: u64,
    /// Rows with a network or 5xx failure that did not expect one: resume runs them again.
    pub unanswered: u64,
}

impl Tally {
    fn index(outcome: RowOutcome) -> usize {
        RowOutcome::ALL
            .iter()
            .position(|o| *o == outcome)
            .unwrap_or_default()
    }

    pub fn add(&mut self, record: &RowRecord) {
        if let Some(count) = self.counts.get_mut(Self::index(record.outcome)) {
            *count += 1;
        }
        if record.matched {
            self.matched += 1;
        } else {
            self.mismatched += 1;
            if matches!(
                record.outcome,
                RowOutcome::TransportError | RowOutcome::ServerError
            ) {
                self.unanswered += 1;
            }
        }
    }

    pub fn count(&self, outcome: RowOutcome) -> u64 {
        self.counts
            .get(Self::index(outcome))
            .copied()
            .unwrap_or_default()
    }

    /// Rows that ended, whatever the outcome.
    pub fn done(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Rows that ended neither ok nor refused: the "other" of a progress line.
    pub fn other(&self) -> u64 {
        self.done() - self.count(RowOutcome::Ok) - self.count(RowOutcome::Refused)
    }
}

/// Where a run is, for a progress line or bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunState {
    Running,
    Paused,
    Stopping(StopReason),
}

#[derive(Debug, Clone)]
pub struct Progress {
    pub total: u64,
    pub tally: Tally,
    pub in_flight: usize,
    /// Requests sent: tries and revocations included.
    pub requests: u64,
    /// 429 answers met on the way (rows retried or still rate limited).
    pub rate_limited: u64,
    pub elapsed: Duration,
    /// Until the last row ends, at the pace the rate limit allows; `None` before any answer.
    pub eta: Option<Duration>,
    /// Waiting out a 429 for this long.
    pub held_for: Option<Duration>,
    pub state: RunState,
}

/// How a run ended.
#[derive(Debug, Clone)]
pub struct Summary {
    pub total: u64,
    pub tally: Tally,
    pub requests: u64,
    pub rate_limited: u64,
    pub elapsed: Duration,
    pub stopped: Option<StopReason>,
}

/// `42 s`, `6 min 40 s`, `1 h 5 min`: rounded to the second, the two largest units.
pub fn duration_words(d: Duration) -> String {
    let secs = d.as_secs() + u64::from(d.subsec_millis() >= 500);
    match secs {
        0 if d.is_zero() => "0 s".to_owned(),
        0 => "under a second".to_owned(),
        1..60 => format!("{secs} s"),
        60..3600 => match secs % 60 {
            0 => format!("{} min", secs / 60),
            s => format!("{} min {s} s", secs / 60),
        },
        _ => match secs % 3600 / 60 {
            0 => format!("{} h", secs / 3600),
            m => format!("{} h {m} min", secs / 3600),
        },
    }
}

/// "200 rows at 30/min: about 6 min 40 s". `time` is what the rate limit allows: the ideal
/// before a run ([`RateLimit::ideal`]), the runner's ETA during one.
pub fn eta_words(rows: u64, rate: RateLimit, time: Duration) -> String {
    let noun = if rows == 1 { "row" } else { "rows" };
    format!("{rows} {noun} at {rate}: about {}", duration_words(time))
}

/// One line for logs and `--json` runs: rows by outcome, how many matched, how long.
pub fn one_line(summary: &Summary) -> String {
    let tally = &summary.tally;
    let counts: Vec<String> = RowOutcome::ALL
        .iter()
        .filter(|o| tally.count(**o) > 0)
        .map(|o| format!("{} {}", o.as_str(), tally.count(*o)))
        .collect();
    format!(
        "batch: {} rows ({}), {} matched, in {}",
        summary.total,
        counts.join(", "),
        tally.matched,
        duration_words(summary.elapsed)
    )
}

/// The summary table: rows by outcome and how many matched, the rows that did not match (the
/// first [`MISMATCHES_SHOWN`]), time and pace, where the results are. Never a password or a
/// token: only what a result row holds.
pub fn summary_text(summary: &Summary, mismatches: &[RowRecord], output: Option<&Path>) -> String {
    let tally = &summary.tally;
    let mut out = String::new();
    let _ = writeln!(out, "{:<18}{:>8}", "outcome", "rows");
    for outcome in RowOutcome::ALL {
        let count = tally.count(outcome);
        if count > 0 {
            let _ = writeln!(out, "{:<18}{count:>8}", outcome.as_str());
        }
    }
    let _ = writeln!(out, "{:<18}{:>8}", "total", tally.done());
    let _ = writeln!(
        out,
        "\nmatched   {} of {} rows as expected",
        tally.matched,
        tally.done()
    );
    if !mismatches.is_empty() {
        let more = tally.mismatched.saturating_sub(mismatches.len() as u64);
        let _ = writeln!(out, "not as expected:");
        for record in mismatches {
            let got = match &record.error_code {
                Some(code) => format!("{} ({code})", record.outcome.as_str()),
                None => record.outcome.as_str().to_owned(),
            };
            let label = record
                .label
                .as_deref()
                .map(|l| format!("  [{l}]"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  row {:<6} {}{label}: expected {}, got {got}",
                record.row, record.email, record.expect
            );
        }
        if more > 0 {
            let _ = writeln!(out, "  and {more} more (see the results)");
        }
    }
    let minutes = summary.elapsed.as_secs_f64() / 60.0;
    let pace = if minutes > 0.0 {
        summary.requests as f64 / minutes
    } else {
        0.0
    };
    let _ = writeln!(
        out,
        "time      {} for {} requests ({pace:.1} a minute), {} answered 429",
        duration_words(summary.elapsed),
        summary.requests,
        summary.rate_limited
    );
    if let Some(path) = output {
        let _ = writeln!(out, "results   {}", path.display());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_the_way_people_say_them() {
        assert_eq!(duration_words(Duration::ZERO), "0 s");
        assert_eq!(duration_words(Duration::from_millis(300)), "under a second");
        assert_eq!(duration_words(Duration::from_millis(41_600)), "42 s");
        assert_eq!(duration_words(Duration::from_secs(400)), "6 min 40 s");
        assert_eq!(duration_words(Duration::from_secs(360)), "6 min");
        assert_eq!(duration_words(Duration::from_secs(3900)), "1 h 5 min");
    }

    #[test]
    fn an_eta_names_the_rows_and_the_rate() {
        let rate: RateLimit = "30/min".parse().expect("rate");
        assert_eq!(
            eta_words(200, rate, Duration::from_secs(400)),
            "200 rows at 30/min: about 6 min 40 s"
        );
        assert_eq!(
            eta_words(1, rate, Duration::ZERO),
            "1 row at 30/min: about 0 s"
        );
    }
}
