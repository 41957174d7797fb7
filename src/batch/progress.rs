//! What a run reports as it goes and when it ends: counts by outcome, pace, ETA.

use std::time::Duration;

use super::control::StopReason;
use super::results::{RowOutcome, RowRecord};

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
