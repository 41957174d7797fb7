//! Runs a bulk check: rows from a source in input order, each logged in through the shared
//! transport, paced by a [`Pacer`], at most `concurrency` at a time; every row accounted for.
//!
//! The runner never prints. Rows (in input order, each with its whole [`Attempt`]) and progress
//! go to a [`Sink`]: the CLI writes a row and drops it, the window keeps it. [`Controls`] pause,
//! stop (the rows in flight finish and are written) or stop at once.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use tokio::task::{Id, JoinError, JoinSet};
use tokio::time::{Instant, MissedTickBehavior};

use super::control::{Control, ControlReceiver, StopReason};
use super::input::Row;
use super::progress::{Progress, RunState, Summary, Tally};
use super::results::{Reorder, RowRecord};
use crate::attempt::follow_up::revoke_request;
use crate::attempt::Attempt;
use crate::attempt::TokenKind;
use crate::auth::{Encoding, Grant, OutcomeKind, RequestDraft, RevokeRequest, TokenRequest};
use crate::auth_host::{KeyCache, Transport};
use crate::pacing::{Pacer, Slot};

/// A row gets at most this many tries when the server answers 429.
pub const MAX_TRIES: u32 = 5;

/// Refusals that say the client ID itself is wrong, so every other row would fail the same way.
const CLIENT_REFUSALS: [&str; 2] = ["invalid_client", "unsupported_grant_type"];

/// How a run sends: the same for every row.
#[derive(Debug, Clone)]
pub struct Settings {
    pub base_url: String,
    pub client_id: String,
    /// For rows without a scope of their own; already checked.
    pub scopes: Vec<String>,
    pub encoding: Encoding,
    pub timeout: Duration,
    /// Requests in flight at most.
    pub concurrency: usize,
    /// Stop after this many network or 5xx failures in a row; 0 never stops.
    pub stop_after: u32,
    /// Revoke each issued token (refresh and access) right after its row, through the pacer.
    pub revoke: bool,
}

/// What a source gives, in input order.
#[derive(Debug)]
pub enum Work {
    /// A row to log in.
    Run(Row),
    /// A row a resumed run keeps: its previous, final result.
    Keep(RowRecord),
}

/// A row that ended: its record and, when it was sent, the whole answer (and revocations).
#[derive(Debug)]
pub struct Finished {
    pub record: RowRecord,
    pub attempt: Option<Attempt>,
    pub revocations: Vec<(TokenKind, Attempt)>,
}

/// Where a run reports. Rows come in input order.
pub trait Sink {
    /// A row ended. An error (the results cannot be written) stops the run.
    fn row(&mut self, row: Finished) -> Result<(), String>;
    fn progress(&mut self, progress: &Progress);
}

/// The services a run uses: one transport, one key cache, one pacer shared with anything else
/// that sends to the same token endpoint.
#[derive(Debug, Clone)]
pub struct Runner {
    transport: Transport,
    keys: KeyCache,
    pacer: Pacer,
    settings: Settings,
    /// For rows without a password of their own.
    password: Option<SecretString>,
}

#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    rate_limited: AtomicU64,
}

/// A row on its way: sent, waiting for a retry, or having its tokens revoked.
struct Pending {
    seq: u64,
    row: Row,
    request: Arc<TokenRequest>,
    tries: u32,
    /// The last answer: a 429 while waiting for a retry, the login while revoking.
    attempt: Option<Attempt>,
}

enum Done {
    Login {
        seq: u64,
        attempt: Box<Attempt>,
    },
    Revoked {
        seq: u64,
        revocations: Vec<(TokenKind, Attempt)>,
    },
}

impl Runner {
    pub fn new(
        transport: Transport,
        pacer: Pacer,
        settings: Settings,
        password: Option<SecretString>,
    ) -> Self {
        Self {
            keys: KeyCache::new(transport.clone()),
            transport,
            pacer,
            settings,
            password,
        }
    }

    pub fn pacer(&self) -> &Pacer {
        &self.pacer
    }

    /// Runs every row of `source` (`total` rows, kept ones included) and returns how it went.
    /// Every row reaches the sink exactly once, unless the source itself fails.
    pub async fn run<I, S>(
        &self,
        source: I,
        total: u64,
        controls: ControlReceiver,
        sink: &mut S,
    ) -> Summary
    where
        I: Iterator<Item = Result<Work, String>>,
        S: Sink,
    {
        let mut run = Run {
            runner: self,
            sink,
            source,
            source_done: false,
            total,
            next_seq: 0,
            reorder: Reorder::default(),
            tally: Tally::default(),
            in_flight: HashMap::new(),
            tasks: JoinSet::new(),
            task_rows: HashMap::new(),
            retry: VecDeque::new(),
            stop: None,
            control: *controls.borrow(),
            failures_in_a_row: 0,
            counters: Arc::new(Counters::default()),
            started: Instant::now(),
            latency: None,
        };
        run.go(controls).await;
        Summary {
            total,
            tally: run.tally.clone(),
            requests: run.counters.requests.load(Ordering::Relaxed),
            rate_limited: run.counters.rate_limited.load(Ordering::Relaxed),
            elapsed: run.started.elapsed(),
            stopped: run.stop.clone(),
        }
    }

    fn request_for(&self, row: &Row) -> Result<TokenRequest, String> {
        let password = row
            .password
            .clone()
            .or_else(|| self.password.clone())
            .ok_or_else(|| {
                "no password: the row has none and none was given for such rows".to_owned()
            })?;
        let scopes = match &row.scope {
            Some(scope) => std::slice::from_ref(scope),
            None => self.settings.scopes.as_slice(),
        };
        RequestDraft {
            base_url: &self.settings.base_url,
            client_id: &self.settings.client_id,
            grant: Grant::Password {
                username: row.email.clone(),
                password,
            },
            scopes,
            check_scopes: true,
            encoding: self.settings.encoding,
            timeout: self.settings.timeout,
        }
        .check()
        .map(|checked| checked.request)
        .map_err(|e| e.to_string())
    }

    /// The scope a row asks, as it would be sent.
    pub fn scope_for(&self, row: &Row) -> Option<String> {
        match &row.scope {
            Some(scope) => Some(scope.clone()),
            None => crate::auth::scope::parse_scopes(&self.settings.scopes)
                .ok()
                .map(|s| crate::auth::scope::join_scopes(&s))
                .filter(|s| !s.is_empty()),
        }
    }
}

struct Run<'a, I, S> {
    runner: &'a Runner,
    sink: &'a mut S,
    source: I,
    source_done: bool,
    total: u64,
    next_seq: u64,
    reorder: Reorder<Finished>,
    tally: Tally,
    in_flight: HashMap<u64, Pending>,
    tasks: JoinSet<Done>,
    task_rows: HashMap<Id, u64>,
    /// Rows put back after a 429, in input order: they go first.
    retry: VecDeque<Pending>,
    stop: Option<StopReason>,
    control: Control,
    failures_in_a_row: u32,
    counters: Arc<Counters>,
    started: Instant,
    /// How long answers take, smoothed.
    latency: Option<Duration>,
}

impl<I, S> Run<'_, I, S>
where
    I: Iterator<Item = Result<Work, String>>,
    S: Sink,
{
    async fn go(&mut self, mut controls: ControlReceiver) {
        let mut controls_open = true;
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut next: Option<Pending> = None;
        self.apply(self.control);
        loop {
            let sending = self.stop.is_none() && self.control == Control::Run;
            let room = self.in_flight.len() < self.runner.settings.concurrency.max(1);
            if sending && room && next.is_none() {
                next = self.retry.pop_front().or_else(|| self.pull());
            }
            if self.in_flight.is_empty()
                && (self.stop.is_some()
                    || (next.is_none() && self.retry.is_empty() && self.source_done))
            {
                break;
            }
            let want_slot = self.stop.is_none() && self.control == Control::Run && room;
            tokio::select! {
                biased;
                changed = controls.changed(), if controls_open => match changed {
                    Ok(()) => {
                        let control = *controls.borrow_and_update();
                        self.apply(control);
                    }
                    Err(_) => controls_open = false,
                },
                Some(joined) = self.tasks.join_next_with_id(), if !self.tasks.is_empty() => {
                    self.on_done(joined);
                    self.report();
                }
                slot = self.runner.pacer.slot(), if want_slot && next.is_some() => {
                    if let Some(pending) = next.take() {
                        self.send(pending, slot);
                        self.report();
                    }
                }
                _ = tick.tick(), if self.control != Control::Pause => self.report(),
            }
        }
        self.account_for_the_rest(next);
        self.report();
    }

    fn apply(&mut self, control: Control) {
        self.control = control;
        match control {
            Control::Run | Control::Pause => {}
            Control::Stop => {
                self.stop.get_or_insert(StopReason::Interrupted);
            }
            Control::StopNow => {
                self.stop.get_or_insert(StopReason::Interrupted);
                self.abandon_in_flight();
            }
        }
        self.report();
    }

    /// The next row to send, passing kept rows straight to the results.
    fn pull(&mut self) -> Option<Pending> {
        while !self.source_done {
            match self.source.next() {
                None => self.source_done = true,
                Some(Err(why)) => {
                    self.source_done = true;
                    self.stop.get_or_insert(StopReason::InputFailed(why));
                }
                Some(Ok(Work::Keep(record))) => {
                    let seq = self.take_seq();
                    self.finish(
                        seq,
                        Finished {
                            record,
                            attempt: None,
                            revocations: Vec::new(),
                        },
                    );
                }
                Some(Ok(Work::Run(row))) => {
                    let seq = self.take_seq();
                    match self.runner.request_for(&row) {
                        Ok(request) => {
                            return Some(Pending {
                                seq,
                                row,
                                request: Arc::new(request),
                                tries: 0,
                                attempt: None,
                            })
                        }
                        Err(why) => {
                            let scope = self.runner.scope_for(&row);
                            let record = RowRecord::not_run(&row, scope, 0, "bad_input", why);
                            self.finish(
                                seq,
                                Finished {
                                    record,
                                    attempt: None,
                                    revocations: Vec::new(),
                                },
                            );
                        }
                    }
                }
            }
        }
        None
    }

    fn take_seq(&mut self) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        seq
    }

    fn send(&mut self, pending: Pending, slot: Slot) {
        let transport = self.runner.transport.clone();
        let keys = self.runner.keys.clone();
        let request = pending.request.clone();
        let counters = self.counters.clone();
        let seq = pending.seq;
        counters.requests.fetch_add(1, Ordering::Relaxed);
        let handle = self.tasks.spawn(async move {
            let mut attempt = transport.token(&request).await;
            match attempt.outcome.error.as_ref() {
                Some(problem) if attempt.kind() == OutcomeKind::RateLimited => {
                    counters.rate_limited.fetch_add(1, Ordering::Relaxed);
                    slot.rate_limited(problem.retry_after_s.map(Duration::from_secs));
                }
                _ => slot.answered(),
            }
            if let Some(token) = &attempt.outcome.token {
                let check = keys
                    .check(&token.access_token, &attempt.request.url, request.timeout)
                    .await;
                attempt.signature = Some(check);
            }
            Done::Login {
                seq,
                attempt: Box::new(attempt),
            }
        });
        self.task_rows.insert(handle.id(), seq);
        self.in_flight.insert(seq, pending);
    }

    fn on_done(&mut self, joined: Result<(Id, Done), JoinError>) {
        match joined {
            Ok((id, Done::Login { seq, attempt })) => {
                self.task_rows.remove(&id);
                self.on_login(seq, *attempt);
            }
            Ok((id, Done::Revoked { seq, revocations })) => {
                self.task_rows.remove(&id);
                if let Some(mut pending) = self.in_flight.remove(&seq) {
                    match pending.attempt.take() {
                        Some(attempt) => {
                            let revoked =
                                revocations.iter().all(|(_, a)| a.kind() == OutcomeKind::Ok);
                            self.finish_ran(pending, attempt, Some(revoked), revocations);
                        }
                        None => self.finish_unanswered(
                            pending,
                            "internal_error",
                            "The login's answer was lost inside the tool.".to_owned(),
                        ),
                    }
                }
            }
            Err(error) => {
                // A task that panicked or was aborted: its row ends without an answer.
                let seq = self.task_rows.remove(&error.id());
                if let Some(pending) = seq.and_then(|seq| self.in_flight.remove(&seq)) {
                    self.finish_unanswered(
                        pending,
                        "internal_error",
                        format!("The request failed inside the tool: {error}."),
                    );
                }
            }
        }
    }

    fn on_login(&mut self, seq: u64, attempt: Attempt) {
        let Some(mut pending) = self.in_flight.remove(&seq) else {
            return;
        };
        pending.tries += 1;
        let took = attempt.elapsed;
        self.latency = Some(match self.latency {
            Some(before) => (before * 7 + took) / 8,
            None => took,
        });
        let kind = attempt.kind();
        if kind == OutcomeKind::RateLimited && pending.tries < MAX_TRIES && self.stop.is_none() {
            // The pacer holds everything back now; the row goes first when sending resumes.
            pending.attempt = Some(attempt);
            let at = self.retry.partition_point(|p| p.seq < pending.seq);
            self.retry.insert(at, pending);
            return;
        }
        if matches!(kind, OutcomeKind::TransportError | OutcomeKind::ServerError) {
            self.failures_in_a_row += 1;
            let limit = self.runner.settings.stop_after;
            if limit > 0 && self.failures_in_a_row >= limit {
                self.stop
                    .get_or_insert(StopReason::Failures(self.failures_in_a_row));
            }
        } else {
            self.failures_in_a_row = 0;
        }
        if kind == OutcomeKind::Refused {
            if let Some(code) = attempt
                .outcome
                .error
                .as_ref()
                .map(|p| p.code.as_str())
                .filter(|c| CLIENT_REFUSALS.contains(c))
            {
                self.stop
                    .get_or_insert(StopReason::ClientRefused(code.to_owned()));
            }
        }
        if self.runner.settings.revoke && attempt.outcome.token.is_some() {
            self.revoke(pending, attempt);
        } else {
            self.finish_ran(pending, attempt, None, Vec::new());
        }
    }

    /// Revokes the row's tokens (the refresh token first: it lives longest), each through the
    /// pacer, retrying a 429 like a login.
    fn revoke(&mut self, mut pending: Pending, attempt: Attempt) {
        let timeout = self.runner.settings.timeout;
        let requests: Vec<(TokenKind, RevokeRequest)> = TokenKind::BOTH
            .iter()
            .filter_map(|&kind| Some((kind, revoke_request(&attempt, kind, timeout)?.ok()?)))
            .collect();
        let seq = pending.seq;
        let transport = self.runner.transport.clone();
        let pacer = self.runner.pacer.clone();
        let counters = self.counters.clone();
        let handle = self.tasks.spawn(async move {
            let mut revocations = Vec::new();
            for (kind, request) in requests {
                let mut tries = 0;
                let attempt = loop {
                    let slot = pacer.slot().await;
                    counters.requests.fetch_add(1, Ordering::Relaxed);
                    let attempt = transport.revoke(&request).await;
                    tries += 1;
                    match attempt.outcome.error.as_ref() {
                        Some(problem) if attempt.kind() == OutcomeKind::RateLimited => {
                            counters.rate_limited.fetch_add(1, Ordering::Relaxed);
                            slot.rate_limited(problem.retry_after_s.map(Duration::from_secs));
                            if tries < MAX_TRIES {
                                continue;
                            }
                        }
                        _ => slot.answered(),
                    }
                    break attempt;
                };
                revocations.push((kind, attempt));
            }
            Done::Revoked { seq, revocations }
        });
        self.task_rows.insert(handle.id(), seq);
        pending.attempt = Some(attempt);
        self.in_flight.insert(seq, pending);
    }

    /// Stop at once: rows being revoked keep their login (tokens not revoked), rows waiting
    /// for their answer end as not run.
    fn abandon_in_flight(&mut self) {
        self.tasks.abort_all();
        self.tasks = JoinSet::new();
        self.task_rows.clear();
        let mut rows: Vec<Pending> = self.in_flight.drain().map(|(_, p)| p).collect();
        rows.sort_by_key(|p| p.seq);
        for mut pending in rows {
            let revoking = self.runner.settings.revoke
                && pending
                    .attempt
                    .as_ref()
                    .is_some_and(|a| a.outcome.token.is_some());
            match pending.attempt.take() {
                Some(attempt) if revoking => {
                    self.finish_ran(pending, attempt, Some(false), Vec::new());
                }
                _ => {
                    let why = StopReason::Interrupted.explanation();
                    self.finish_unanswered(pending, StopReason::Interrupted.code(), why);
                }
            }
        }
    }

    fn finish_ran(
        &mut self,
        pending: Pending,
        attempt: Attempt,
        revoked: Option<bool>,
        revocations: Vec<(TokenKind, Attempt)>,
    ) {
        let record = RowRecord::ran(&pending.row, &attempt, pending.tries, revoked);
        self.finish(
            pending.seq,
            Finished {
                record,
                attempt: Some(attempt),
                revocations,
            },
        );
    }

    fn finish_unanswered(&mut self, pending: Pending, code: &str, why: String) {
        let scope = pending.request.scope.clone();
        let record = RowRecord::not_run(&pending.row, scope, pending.tries, code, why);
        self.finish(
            pending.seq,
            Finished {
                record,
                attempt: None,
                revocations: Vec::new(),
            },
        );
    }

    fn finish(&mut self, seq: u64, finished: Finished) {
        self.tally.add(&finished.record);
        self.reorder.push(seq, finished);
        while let Some(ready) = self.reorder.pop_ready() {
            if let Err(why) = self.sink.row(ready) {
                self.stop.get_or_insert(StopReason::OutputFailed(why));
            }
        }
    }

    /// After the loop: the row about to be sent, rows waiting for a retry and every row the
    /// source still holds end as not run (or, after a 429, as rate limited).
    fn account_for_the_rest(&mut self, next: Option<Pending>) {
        let reason = self.stop.clone().unwrap_or(StopReason::Interrupted);
        let mut waiting: Vec<Pending> = next.into_iter().chain(self.retry.drain(..)).collect();
        waiting.sort_by_key(|p| p.seq);
        for mut pending in waiting {
            match pending.attempt.take() {
                Some(attempt) => self.finish_ran(pending, attempt, None, Vec::new()),
                None => self.finish_unanswered(pending, reason.code(), reason.explanation()),
            }
        }
        while !self.source_done {
            match self.source.next() {
                None => self.source_done = true,
                Some(Err(why)) => {
                    self.source_done = true;
                    self.stop.get_or_insert(StopReason::InputFailed(why));
                }
                Some(Ok(work)) => {
                    let seq = self.take_seq();
                    let record = match work {
                        Work::Keep(record) => record,
                        Work::Run(row) => {
                            let scope = self.runner.scope_for(&row);
                            RowRecord::not_run(&row, scope, 0, reason.code(), reason.explanation())
                        }
                    };
                    self.finish(
                        seq,
                        Finished {
                            record,
                            attempt: None,
                            revocations: Vec::new(),
                        },
                    );
                }
            }
        }
    }

    fn eta(&self) -> Option<Duration> {
        let latency = self.latency?;
        let remaining = self.total.saturating_sub(self.tally.done());
        let per_row = if self.runner.settings.revoke { 3 } else { 1 };
        let unsent = remaining.saturating_sub(self.in_flight.len() as u64);
        let paced = self.runner.pacer.eta(unsent * per_row, latency);
        let concurrency = self.runner.settings.concurrency.max(1) as u64;
        let bounded = latency.saturating_mul(
            u32::try_from(remaining.div_ceil(concurrency) * per_row).unwrap_or(u32::MAX),
        );
        Some(paced.max(bounded))
    }

    fn report(&mut self) {
        let state = match (&self.stop, self.control) {
            (Some(reason), _) => RunState::Stopping(reason.clone()),
            (None, Control::Pause) => RunState::Paused,
            (None, _) => RunState::Running,
        };
        let progress = Progress {
            total: self.total,
            tally: self.tally.clone(),
            in_flight: self.in_flight.len(),
            requests: self.counters.requests.load(Ordering::Relaxed),
            rate_limited: self.counters.rate_limited.load(Ordering::Relaxed),
            elapsed: self.started.elapsed(),
            eta: self.eta(),
            held_for: self
                .runner
                .pacer
                .quiet_until()
                .map(|until| until.saturating_duration_since(Instant::now())),
            state,
        };
        self.sink.progress(&progress);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::control::Controls;
    use crate::batch::expect::Expectation;
    use crate::batch::results::RowOutcome;
    use crate::demo::qa::{qa_email, QA_PASSWORD};
    use crate::demo::{self, catalog, DemoConfig};

    #[derive(Default)]
    struct Collect {
        rows: Vec<Finished>,
        last: Option<Progress>,
    }

    impl Sink for Collect {
        fn row(&mut self, row: Finished) -> Result<(), String> {
            self.rows.push(row);
            Ok(())
        }

        fn progress(&mut self, progress: &Progress) {
            self.last = Some(progress.clone());
        }
    }

    fn rows(count: u32) -> impl Iterator<Item = Result<Work, String>> {
        (1..=count).map(|n| {
            Ok(Work::Run(Row {
                number: u64::from(n),
                line: u64::from(n) + 1,
                email: qa_email(n),
                password: None,
                scope: None,
                expect: Expectation::Ok,
                label: None,
            }))
        })
    }

    fn runner(base_url: &str, rate: &str) -> Runner {
        let settings = Settings {
            base_url: base_url.to_owned(),
            client_id: catalog::TEST_CLIENT_ID.to_owned(),
            scopes: vec!["market:code:europe".to_owned()],
            encoding: Encoding::Json,
            timeout: Duration::from_secs(5),
            concurrency: 2,
            stop_after: 5,
            revoke: false,
        };
        Runner::new(
            Transport::new().expect("transport"),
            Pacer::new(rate.parse().expect("rate")),
            settings,
            Some(SecretString::from(QA_PASSWORD)),
        )
    }

    #[tokio::test]
    async fn a_paused_run_sends_nothing_until_it_resumes() {
        let demo = demo::start(DemoConfig::default()).await.expect("demo");
        let runner = runner(demo.url(), "100/1s");
        let (controls, listener) = Controls::new();
        controls.pause();
        let mut sink = Collect::default();
        let steer = async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            assert!(demo.token_arrivals().is_empty(), "sent while paused");
            controls.resume();
        };
        let (summary, ()) = tokio::join!(runner.run(rows(4), 4, listener, &mut sink), steer);
        assert_eq!(summary.tally.count(RowOutcome::Ok), 4);
        let numbers: Vec<u64> = sink.rows.iter().map(|r| r.record.row).collect();
        assert_eq!(numbers, [1, 2, 3, 4], "in input order");
        let first = sink.rows.first().and_then(|r| r.attempt.as_ref());
        assert!(
            first.is_some_and(|a| a.outcome.token.is_some() && a.signature.is_some()),
            "each row keeps its whole answer for the window"
        );
        assert_eq!(sink.last.map(|p| p.tally.done()), Some(4));
    }

    #[tokio::test]
    async fn a_stop_does_not_wait_for_the_pace() {
        let demo = demo::start(DemoConfig::default()).await.expect("demo");
        // Two requests, then a ten-second wait for the window: a stop must not sit it out.
        let runner = runner(demo.url(), "2/10s");
        let (controls, listener) = Controls::new();
        let mut sink = Collect::default();
        let steer = async {
            while demo.token_arrivals().len() < 2 {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            controls.stop();
            controls.resume();
            assert_eq!(
                controls.state(),
                Control::Stop,
                "a stop is never taken back"
            );
        };
        let started = std::time::Instant::now();
        let (summary, ()) = tokio::join!(runner.run(rows(6), 6, listener, &mut sink), steer);
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(summary.stopped, Some(StopReason::Interrupted));
        assert_eq!(summary.tally.count(RowOutcome::Ok), 2);
        assert_eq!(summary.tally.count(RowOutcome::NotRun), 4);
        assert_eq!(sink.rows.len(), 6, "every row accounted for");
        assert!(sink
            .rows
            .iter()
            .skip(2)
            .all(|r| r.record.error_code.as_deref() == Some("interrupted") && r.attempt.is_none()));
    }
}
