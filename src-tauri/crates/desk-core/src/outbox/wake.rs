//! When a delivery loop makes its next pass: THE wait policy of the window's background task and
//! of [`super::run`] (the CLI's `outbox sync --until-empty`). Pure: the loops read the clock, ask
//! here, and sleep. Retry times themselves (backoff, jitter, Retry-After) are decided per item by
//! [`super::decide`] and stored; this only reads the earliest one.

use super::runner::Summary;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// How a loop paces its passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pacing {
    /// How often the health check is polled while the portal cannot be reached.
    pub health_interval: Duration,
    /// The longest sleep: with nothing due, or the queue paused (items queued meanwhile, or a
    /// new token, are picked up by then at the latest).
    pub idle: Duration,
    /// The shortest sleep before an item already due (no busy loop on a retry due "now").
    pub floor: Duration,
}

impl Pacing {
    /// The window's background task: change notices wake it early, so it idles a minute.
    pub const WINDOW: Pacing = Pacing {
        health_interval: Duration::from_secs(5),
        idle: Duration::from_secs(60),
        floor: Duration::from_millis(20),
    };

    /// [`super::run`]: nothing else wakes it, so it looks for new items every 2 seconds.
    pub const RUN: Pacing = Pacing {
        health_interval: Duration::from_secs(5),
        idle: Duration::from_secs(2),
        floor: Duration::from_millis(5),
    };
}

/// How long to sleep after a pass that ended with `pass` (its queue state) at `now`, when the
/// earliest pending item is due at `next_attempt_at`: the idle time while paused, the health
/// interval while offline, else until that item is due, within `floor..=idle`.
pub fn next_pass_in(
    now: DateTime<Utc>,
    pass: &Summary,
    next_attempt_at: Option<DateTime<Utc>>,
    pacing: &Pacing,
) -> Duration {
    if pass.paused.is_some() {
        return pacing.idle;
    }
    if pass.offline {
        return pacing.health_interval;
    }
    match next_attempt_at {
        Some(next) => (next - now).to_std().unwrap_or_default().max(pacing.floor).min(pacing.idle),
        None => pacing.idle,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000 + seconds, 0).expect("time")
    }

    #[test]
    fn sleeps_until_the_next_item_within_floor_and_idle() {
        let now = at(0);
        let pass = Summary::default();
        let window = Pacing::WINDOW;
        assert_eq!(next_pass_in(now, &pass, Some(at(7)), &window), Duration::from_secs(7));
        assert_eq!(next_pass_in(now, &pass, Some(now + TimeDelta::milliseconds(1)), &window), window.floor);
        assert_eq!(next_pass_in(now, &pass, Some(at(-30)), &window), window.floor, "overdue: soon, not at once");
        assert_eq!(next_pass_in(now, &pass, Some(at(3_600)), &window), window.idle);
        assert_eq!(next_pass_in(now, &pass, None, &window), window.idle);
        assert_eq!(next_pass_in(now, &pass, Some(at(7)), &Pacing::RUN), Pacing::RUN.idle);
    }

    #[test]
    fn offline_polls_the_health_check_and_paused_idles() {
        let now = at(0);
        let offline = Summary { offline: true, ..Summary::default() };
        assert_eq!(next_pass_in(now, &offline, Some(at(1)), &Pacing::WINDOW), Duration::from_secs(5));
        let paused = Summary { paused: Some("token needed".into()), offline: true, ..Summary::default() };
        assert_eq!(next_pass_in(now, &paused, Some(at(1)), &Pacing::WINDOW), Duration::from_secs(60));
    }
}
