//! When the reminder scheduler wakes next: THE scheduler's wait policy. Pure: the shell's
//! scheduler reads the clock, makes a pass, asks here, and sleeps (what is due at a wake is
//! [`super::Planner::pass`]'s decision).

use chrono::{DateTime, Utc};
use std::time::Duration;

/// The longest sleep: a wake from suspend or a clock jump is noticed within this (the shell sleeps
/// on the monotonic clock, which stops during suspend and ignores wall-clock changes).
pub const TICK: Duration = Duration::from_secs(30);
/// After a failed pass (database busy, disk error), try again after this.
pub const AFTER_FAILED_PASS: Duration = Duration::from_secs(5);

/// What comes next after a pass that succeeded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Upcoming {
    /// The next reminder of the plan ([`super::Pass::next_at`]).
    pub reminder: Option<DateTime<Utc>>,
    /// The next retry of a notice the notification server refused ([`super::store::next_retry_at`]).
    pub notice_retry: Option<DateTime<Utc>>,
}

/// How long to sleep from `now`: until the first upcoming instant (at once if it passed), at most
/// [`TICK`]; [`AFTER_FAILED_PASS`] when the pass failed (`None`).
pub fn next_wake_in(now: DateTime<Utc>, upcoming: Option<Upcoming>) -> Duration {
    let Some(upcoming) = upcoming else { return AFTER_FAILED_PASS };
    match [upcoming.reminder, upcoming.notice_retry].into_iter().flatten().min() {
        Some(at) => (at - now).to_std().unwrap_or(Duration::ZERO).min(TICK),
        None => TICK,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    #[test]
    fn sleeps_until_the_first_of_reminder_and_retry_at_most_a_tick() {
        let now = DateTime::from_timestamp(1_780_000_000, 0).expect("time");
        let soon = Upcoming { reminder: Some(now + TimeDelta::seconds(12)), notice_retry: None };
        assert_eq!(next_wake_in(now, Some(soon)), Duration::from_secs(12));
        let retry_first = Upcoming { notice_retry: Some(now + TimeDelta::seconds(3)), ..soon };
        assert_eq!(next_wake_in(now, Some(retry_first)), Duration::from_secs(3));
        let later = Upcoming { reminder: Some(now + TimeDelta::hours(2)), notice_retry: None };
        assert_eq!(next_wake_in(now, Some(later)), TICK);
        let passed = Upcoming { reminder: Some(now - TimeDelta::minutes(1)), notice_retry: None };
        assert_eq!(next_wake_in(now, Some(passed)), Duration::ZERO);
        assert_eq!(next_wake_in(now, Some(Upcoming::default())), TICK);
        assert_eq!(next_wake_in(now, None), AFTER_FAILED_PASS);
    }
}
