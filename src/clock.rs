//! Time as people read it, and the clock the faces read (fixed in tests).

use std::time::{Duration, SystemTime};

/// Reads "now"; a plain function so tests can pin it.
pub type Clock = fn() -> SystemTime;

pub fn system_now() -> SystemTime {
    SystemTime::now()
}

/// `4h 0m`, `12m`, `42s`: minutes are enough once a minute is left.
pub fn human_duration(secs: u64) -> String {
    let (h, m) = (secs / 3600, secs % 3600 / 60);
    match (h, m) {
        (0, 0) => format!("{secs}s"),
        (0, _) => format!("{m}m"),
        _ => format!("{h}h {m}m"),
    }
}

/// "in 4h 0m" or "expired 3m ago".
pub fn countdown(seconds_left: i64) -> String {
    if seconds_left >= 0 {
        format!("in {}", human_duration(seconds_left.unsigned_abs()))
    } else {
        format!(
            "expired {} ago",
            human_duration(seconds_left.unsigned_abs())
        )
    }
}

/// How long until [`countdown`] shows different text: the window repaints then, not before.
pub fn countdown_changes_in(seconds_left: i64) -> Duration {
    let abs = seconds_left.unsigned_abs();
    if abs < 60 {
        Duration::from_secs(1)
    } else if seconds_left >= 0 {
        Duration::from_secs(abs % 60 + 1)
    } else {
        Duration::from_secs(60 - abs % 60)
    }
}

/// `2026-11-30T04:00:00Z`, or a plain sentence for a time RFC 3339 cannot write (after 9999):
/// printing must never panic on what a server sent.
pub fn rfc3339(at: SystemTime) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    match write!(out, "{}", humantime::format_rfc3339_seconds(at)) {
        Ok(()) => out,
        Err(_) => "(a time past the year 9999)".to_owned(),
    }
}

/// `2026-11-30 04:00:00 UTC`.
pub fn utc(at: SystemTime) -> String {
    rfc3339(at).replace('T', " ").replace('Z', " UTC")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(14_400), "4h 0m");
        assert_eq!(human_duration(725), "12m");
        assert_eq!(human_duration(42), "42s");
        assert_eq!(countdown(-42), "expired 42s ago");
        assert_eq!(countdown(3661), "in 1h 1m");
    }

    #[test]
    fn repaints_when_the_text_changes() {
        assert_eq!(countdown_changes_in(3661), Duration::from_secs(2));
        assert_eq!(countdown_changes_in(30), Duration::from_secs(1));
        assert_eq!(countdown_changes_in(-61), Duration::from_secs(59));
    }

    #[test]
    fn times_past_9999_do_not_panic() {
        let far = SystemTime::UNIX_EPOCH + Duration::from_secs(300_000_000_000);
        assert_eq!(rfc3339(far), "(a time past the year 9999)");
    }

    #[test]
    fn utc_is_readable() {
        assert_eq!(utc(SystemTime::UNIX_EPOCH), "1970-01-01 00:00:00 UTC");
    }
}
