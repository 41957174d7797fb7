//! Pacing requests under a sliding-window rate limit, so a long run keeps the window full and
//! never meets a 429 (shared/docs/commerce-layer-auth.md, "Rate limit").
//!
//! A token bucket with a burst of N lets up to 2N through in the first period, which a sliding
//! window refuses. So the pacer keeps the times of the last N requests instead, counted from
//! when each answer *arrived* (the server saw the request before that, so this is a safe
//! bound), and lets the next request go only when the oldest of them has left the window, plus
//! a small margin for clock and network jitter. A request still in flight holds its place.
//! After a 429 nothing goes out until `Retry-After` (or a whole window) has passed.
//!
//! The bulk runner uses it today; anything else that sends many requests to the token endpoint
//! (a scope matrix, a diagnosis) should share the same [`Pacer`], since the limit is per IP.

use std::collections::VecDeque;
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

/// `N` requests per `period`, sliding window: the server's limit and the pace a client keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub max: u32,
    pub period: Duration,
}

/// Commerce Layer's documented limit for `/oauth/token`: 30 requests a minute per IP.
pub const COMMERCE_LAYER_LIMIT: RateLimit = RateLimit {
    max: 30,
    period: Duration::from_secs(60),
};

/// How long after a window has passed the pacer still waits: covers a server clock that ticks
/// in coarser steps and answers whose arrival was measured a little early.
pub const MARGIN: Duration = Duration::from_millis(100);

impl FromStr for RateLimit {
    type Err = String;

    /// `30/60s`, `30/min`, `5/10s`, `100/1h`, `2/500ms`, `30` (per minute).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{text}` is not a rate limit like 30/min, 30/60s or 5/10s");
        let (count, period) = text.split_once('/').unwrap_or((text, "min"));
        let max: u32 = count.trim().parse().map_err(|_| bad())?;
        let period = period.trim();
        let period = match period {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "m" | "min" | "minute" => Duration::from_secs(60),
            "h" | "hour" => Duration::from_secs(3600),
            other => {
                let (digits, unit) = other.split_at(
                    other
                        .find(|c: char| !c.is_ascii_digit())
                        .unwrap_or(other.len()),
                );
                let n: u64 = digits.parse().map_err(|_| bad())?;
                let secs = |per: u64| n.checked_mul(per).map(Duration::from_secs).ok_or_else(bad);
                match unit {
                    "" | "s" => Duration::from_secs(n),
                    "m" | "min" => secs(60)?,
                    "h" => secs(3600)?,
                    "ms" => Duration::from_millis(n),
                    _ => return Err(bad()),
                }
            }
        };
        if max == 0 || period.is_zero() {
            return Err(bad());
        }
        Ok(Self { max, period })
    }
}

/// `30/min`, `5/2s`, `2/500ms`, `100/h`: a form [`RateLimit::from_str`] reads back.
impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.period.as_millis();
        let (n, unit) = [(3_600_000, "h"), (60_000, "min"), (1000, "s")]
            .into_iter()
            .find(|(per, _)| ms % per == 0)
            .map_or((ms, "ms"), |(per, unit)| (ms / per, unit));
        if n == 1 && unit != "ms" {
            write!(f, "{}/{unit}", self.max)
        } else {
            write!(f, "{}/{n}{unit}", self.max)
        }
    }
}

impl RateLimit {
    /// The least time `requests` requests can take under this limit when answers are instant:
    /// the first `max` go at once, and each further `max` one period later.
    pub fn ideal(self, requests: u64) -> Duration {
        let windows = requests.saturating_sub(1) / u64::from(self.max);
        self.period
            .saturating_mul(u32::try_from(windows).unwrap_or(u32::MAX))
    }
}

/// Shares one rate limit between everything that sends. Cheap to clone; every clone paces
/// against the same window.
#[derive(Debug, Clone)]
pub struct Pacer {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    limit: RateLimit,
    /// How long a request occupies its place after its answer arrived: the period plus margin.
    hold: Duration,
    window: Mutex<Window>,
    /// Wakes waiters when a place may have freed or a hold-off was set.
    changed: Notify,
}

#[derive(Debug, Default)]
struct Window {
    /// When recent answers arrived, oldest first (pushed as they arrive, so already sorted).
    answered: VecDeque<Instant>,
    /// Requests sent and not yet answered: each holds a place until its answer arrives.
    in_flight: usize,
    /// After a 429: nothing goes out before this.
    quiet_until: Option<Instant>,
}

/// Why a request may not go yet.
enum Wait {
    /// Until this instant (a place frees, or a hold-off ends).
    Until(Instant),
    /// Until an answer arrives: every place is held by a request in flight.
    ForAnswer,
}

impl Window {
    fn forget_old(&mut self, now: Instant, hold: Duration) {
        while self.answered.front().is_some_and(|t| *t + hold <= now) {
            self.answered.pop_front();
        }
    }

    fn take(&mut self, now: Instant, limit: RateLimit, hold: Duration) -> Result<(), Wait> {
        if let Some(until) = self.quiet_until {
            if until > now {
                return Err(Wait::Until(until));
            }
            self.quiet_until = None;
        }
        self.forget_old(now, hold);
        let used = self.answered.len() + self.in_flight;
        if used < limit.max as usize {
            self.in_flight += 1;
            return Ok(());
        }
        match self.answered.front() {
            Some(oldest) => Err(Wait::Until(*oldest + hold)),
            None => Err(Wait::ForAnswer),
        }
    }
}

impl Pacer {
    pub fn new(limit: RateLimit) -> Self {
        Self::with_margin(limit, MARGIN)
    }

    pub fn with_margin(limit: RateLimit, margin: Duration) -> Self {
        Self {
            shared: Arc::new(Shared {
                limit,
                hold: limit.period.saturating_add(margin),
                window: Mutex::new(Window::default()),
                changed: Notify::new(),
            }),
        }
    }

    pub fn limit(&self) -> RateLimit {
        self.shared.limit
    }

    fn window(&self) -> MutexGuard<'_, Window> {
        self.shared
            .window
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a place in the window and takes it. Cancel-safe: a place is taken only when
    /// this returns, so it can sit in a `select!` next to other work.
    pub async fn slot(&self) -> Slot {
        loop {
            let changed = self.shared.changed.notified();
            tokio::pin!(changed);
            // Registered before looking, so a change between the look and the wait is not lost.
            changed.as_mut().enable();
            let wait = {
                let mut window = self.window();
                window.take(Instant::now(), self.shared.limit, self.shared.hold)
            };
            match wait {
                Ok(()) => {
                    return Slot {
                        pacer: self.clone(),
                        open: true,
                    }
                }
                Err(Wait::Until(at)) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(at) => {}
                        () = &mut changed => {}
                    }
                }
                Err(Wait::ForAnswer) => changed.await,
            }
        }
    }

    /// Nothing goes out until `retry_after` (the server's `Retry-After`), or a whole window
    /// when the server did not say, has passed, plus the margin.
    pub fn hold_off(&self, retry_after: Option<Duration>) {
        let wait = retry_after.map_or(self.shared.hold, |w| w.saturating_add(MARGIN));
        let until = Instant::now() + wait;
        {
            let mut window = self.window();
            window.quiet_until = Some(window.quiet_until.map_or(until, |t| t.max(until)));
        }
        self.shared.changed.notify_waiters();
    }

    /// When a 429's hold-off ends, if one is running.
    pub fn quiet_until(&self) -> Option<Instant> {
        self.window()
            .quiet_until
            .filter(|until| *until > Instant::now())
    }

    fn close(&self, rate_limited: Option<Option<Duration>>) {
        {
            let mut window = self.window();
            window.in_flight = window.in_flight.saturating_sub(1);
            window.answered.push_back(Instant::now());
        }
        match rate_limited {
            Some(retry_after) => self.hold_off(retry_after),
            None => self.shared.changed.notify_waiters(),
        }
    }

    /// How long until `requests` more requests have been sent and answered, if each answer
    /// takes `latency`: the places held now free in turn, and each place is reused once per
    /// period (plus margin and latency). An estimate for an ETA, not a promise.
    pub fn eta(&self, requests: u64, latency: Duration) -> Duration {
        if requests == 0 {
            return Duration::ZERO;
        }
        let now = Instant::now();
        let mut window = self.window();
        window.forget_old(now, self.shared.hold);
        let start = window.quiet_until.map_or(now, |t| t.max(now));
        let max = u64::from(self.shared.limit.max);
        let held = window.answered.len() as u64 + window.in_flight as u64;
        let free = max.saturating_sub(held);
        // Places in the order they come free: free ones now, then the answered ones oldest
        // first, then those in flight (their answers are still to come).
        let last = requests - 1;
        let place = last % max;
        let reuse = last / max;
        let first_use = if place < free {
            start
        } else {
            let answered_index = usize::try_from(place - free).unwrap_or(usize::MAX);
            match window.answered.get(answered_index) {
                Some(t) => (*t + self.shared.hold).max(start),
                None => (now + latency + self.shared.hold).max(start),
            }
        };
        let cycle = latency.saturating_add(self.shared.hold);
        let send = first_use + cycle.saturating_mul(u32::try_from(reuse).unwrap_or(u32::MAX));
        (send + latency).saturating_duration_since(now)
    }
}

/// A place in the window, held by one request. Say how its answer came back; dropped without
/// a word (the request was cancelled), it counts from the drop, since the server may have
/// seen it anyway.
#[derive(Debug)]
#[must_use = "a place counts only once its request is sent"]
pub struct Slot {
    pacer: Pacer,
    open: bool,
}

impl Slot {
    /// The answer arrived (whatever it said, or none at all): the request counts from now.
    pub fn answered(mut self) {
        self.open = false;
        self.pacer.close(None);
    }

    /// The server answered 429: the request counts from now, and nothing goes out until
    /// `retry_after` (or a whole window) has passed.
    pub fn rate_limited(mut self, retry_after: Option<Duration>) {
        self.open = false;
        self.pacer.close(Some(retry_after));
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if self.open {
            self.pacer.close(None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(text: &str) -> RateLimit {
        text.parse().expect("rate limit")
    }

    #[test]
    fn rate_limits_parse() {
        assert_eq!(
            "30/min".parse(),
            Ok(RateLimit {
                max: 30,
                period: Duration::from_secs(60)
            })
        );
        assert_eq!(
            "5/10s".parse(),
            Ok(RateLimit {
                max: 5,
                period: Duration::from_secs(10)
            })
        );
        assert_eq!(
            "2/500ms".parse(),
            Ok(RateLimit {
                max: 2,
                period: Duration::from_millis(500)
            })
        );
        assert!("0/min".parse::<RateLimit>().is_err());
        assert!("x/min".parse::<RateLimit>().is_err());
    }

    #[test]
    fn a_period_too_long_to_count_is_not_a_rate_limit() {
        for text in ["1/307445734561825861min", "1/5124095576030432h"] {
            let err = text.parse::<RateLimit>().expect_err(text);
            assert!(err.contains("is not a rate limit"), "{err}");
        }
        let longest = u64::MAX / 3600;
        assert_eq!(
            format!("1/{longest}h").parse(),
            Ok(RateLimit {
                max: 1,
                period: Duration::from_secs(longest * 3600)
            })
        );
    }

    #[test]
    fn a_rate_limit_reads_back_what_it_writes() {
        for text in ["30/min", "5/2s", "2/500ms", "100/1h", "7/90s"] {
            let parsed = limit(text);
            assert_eq!(parsed.to_string().parse(), Ok(parsed), "{text}");
        }
        assert_eq!(limit("30/min").to_string(), "30/min");
        assert_eq!(limit("5/2s").to_string(), "5/2s");
    }

    #[test]
    fn the_ideal_time_counts_whole_windows_after_the_first() {
        let l = limit("30/min");
        assert_eq!(l.ideal(0), Duration::ZERO);
        assert_eq!(l.ideal(30), Duration::ZERO);
        assert_eq!(l.ideal(31), Duration::from_secs(60));
        assert_eq!(l.ideal(200), Duration::from_secs(360));
    }

    /// Sends `requests` through the pacer, each answered after `latency`, and returns when each
    /// was sent and answered (from the start).
    async fn run(pacer: &Pacer, requests: usize, latency: Duration) -> Vec<(Duration, Duration)> {
        let start = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..requests {
            let slot = pacer.slot().await;
            let sent = start.elapsed();
            tasks.spawn(async move {
                tokio::time::sleep(latency).await;
                slot.answered();
                (sent, start.elapsed())
            });
        }
        let mut times = tasks.join_all().await;
        times.sort();
        times
    }

    #[tokio::test(start_paused = true)]
    async fn the_first_window_goes_at_once_and_the_rest_keep_it_full() {
        let pacer = Pacer::new(limit("5/2s"));
        let latency = Duration::from_millis(30);
        let times = run(&pacer, 12, latency).await;
        let sent: Vec<Duration> = times.iter().map(|t| t.0).collect();
        assert!(sent.iter().take(5).all(|t| t.is_zero()), "{sent:?}");
        // The sixth waits for the first answer (30 ms) plus the window and the margin.
        let second_window = latency + Duration::from_secs(2) + MARGIN;
        assert_eq!(sent.get(5..10), Some(&[second_window; 5][..]));
        let third_window = second_window + latency + Duration::from_secs(2) + MARGIN;
        assert_eq!(sent.get(10..12), Some(&[third_window; 2][..]));
    }

    #[tokio::test(start_paused = true)]
    async fn no_window_ever_holds_more_than_the_limit() {
        let pacer = Pacer::new(limit("4/1s"));
        // Answers of uneven length: the window is counted from each answer.
        let mut tasks = tokio::task::JoinSet::new();
        let start = Instant::now();
        for i in 0..30u64 {
            let slot = pacer.slot().await;
            let sent = start.elapsed();
            tasks.spawn(async move {
                tokio::time::sleep(Duration::from_millis(10 + (i * 37) % 90)).await;
                slot.answered();
                (sent, start.elapsed())
            });
        }
        let times = tasks.join_all().await;
        // A server may see a request any time between its sending and its answer. The worst
        // case for a window opening with request i: i seen as late as its answer, the others
        // as early as they were sent.
        for (_, answered) in &times {
            let within = times
                .iter()
                .filter(|(s, a)| a >= answered && *s < *answered + Duration::from_secs(1))
                .count();
            assert!(
                within <= 4,
                "{within} requests within a second of {answered:?}"
            );
        }
        let last = times.iter().map(|t| t.0).max().expect("times");
        assert!(
            last < limit("4/1s").ideal(30) + Duration::from_secs(2),
            "{last:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn after_a_429_nothing_goes_until_retry_after() {
        let pacer = Pacer::new(limit("10/1s"));
        let start = Instant::now();
        pacer
            .slot()
            .await
            .rate_limited(Some(Duration::from_secs(3)));
        assert!(pacer.quiet_until().is_some());
        let next = pacer.slot().await;
        assert_eq!(start.elapsed(), Duration::from_secs(3) + MARGIN);
        next.answered();
        assert!(pacer.quiet_until().is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_without_retry_after_waits_a_whole_window() {
        let pacer = Pacer::new(limit("10/2s"));
        let start = Instant::now();
        pacer.slot().await.rate_limited(None);
        drop(pacer.slot().await);
        assert_eq!(start.elapsed(), Duration::from_secs(2) + MARGIN);
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_given_up_on_still_counts() {
        let pacer = Pacer::new(limit("1/1s"));
        let start = Instant::now();
        let slot = pacer.slot().await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        drop(slot);
        drop(pacer.slot().await);
        assert_eq!(
            start.elapsed(),
            Duration::from_millis(400) + Duration::from_secs(1) + MARGIN
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_window_of_requests_in_flight_waits_for_an_answer() {
        let pacer = Pacer::new(limit("2/1s"));
        let first = pacer.slot().await;
        let second = pacer.slot().await;
        let waiter = {
            let pacer = pacer.clone();
            tokio::spawn(async move {
                let start = Instant::now();
                drop(pacer.slot().await);
                start.elapsed()
            })
        };
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert!(
            !waiter.is_finished(),
            "no place frees while both are in flight"
        );
        first.answered();
        let waited = waiter.await.expect("waiter");
        assert_eq!(waited, Duration::from_secs(6) + MARGIN);
        second.answered();
    }

    #[tokio::test(start_paused = true)]
    async fn the_eta_follows_the_window() {
        let pacer = Pacer::with_margin(limit("30/min"), Duration::ZERO);
        let latency = Duration::ZERO;
        assert_eq!(pacer.eta(0, latency), Duration::ZERO);
        assert_eq!(pacer.eta(30, latency), Duration::ZERO);
        assert_eq!(pacer.eta(31, latency), Duration::from_secs(60));
        assert_eq!(pacer.eta(200, latency), Duration::from_secs(360));
        for _ in 0..30 {
            pacer.slot().await.answered();
        }
        tokio::time::sleep(Duration::from_secs(20)).await;
        // The window is full: the next 30 go when the first 30 leave it, 40 s from now.
        assert_eq!(pacer.eta(1, latency), Duration::from_secs(40));
        assert_eq!(pacer.eta(30, latency), Duration::from_secs(40));
        assert_eq!(pacer.eta(31, latency), Duration::from_secs(100));
    }
}
