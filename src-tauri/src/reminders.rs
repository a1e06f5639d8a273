//! The reminder scheduler: the only place that reads the clock for reminders. It sleeps until the
//! next reminder, wakes on change notices (data, settings) to plan again, and makes one pass of
//! `desk_core::reminders::Planner::pass` at each wake: whatever came due (one reminder, or everything
//! missed while the app was stopped, the machine asleep or the clock moved) becomes ONE notice.
//!
//! Ordering (see `desk_core::reminders::store`): the pass records the notice and takes its keys in
//! one transaction, THEN the notice is shown, THEN it is marked shown. A SIGKILL before the record
//! loses nothing (the reminders are still due at the next start); after it, the notice is pending
//! and the next start shows it; the keys are taken, so nothing fires twice.
//!
//! Suspend and clock jumps: tokio sleeps on the monotonic clock, which stops during suspend and
//! ignores wall-clock changes, so no sleep is longer than `desk_core::reminders::wake::TICK`
//! ([`next_wake_in`], the scheduler's wait policy); each wake compares how far the
//! wall clock and the monotonic clock moved and logs a jump; the pass itself catches up.
//!
//! Changes from elsewhere: the pages do not poll, and a command announces its own changes, but the
//! CLI writes the database while the app runs. Each pass reads `PRAGMA data_version` (it moves
//! when another connection commits); if it moved while no change notice woke the scheduler
//! ([`announces_changes`]), the window is told the data topics changed ([`ANNOUNCED`]).

use crate::events::{self, Topic};
use crate::notify::Notifier;
use crate::state::AppState;
use crate::tray;
use chrono::{DateTime, TimeDelta, Utc};
use desk_core::reminders::{next_wake_in, store, Planner, StoredNotice, Upcoming};
use desk_core::store::data_version;
use desk_core::Store;
use std::time::{Duration, Instant};
use tauri::{AppHandle, Manager};
use tokio::sync::broadcast::{self, error::RecvError};

/// Wall and monotonic clocks moving apart by more than this is a jump (or a suspend).
const JUMP: TimeDelta = TimeDelta::seconds(2);
/// Change notices come in bursts (an autosave per keystroke): plan again at most about once per
/// SETTLE while they keep coming, never later than the next reminder.
const SETTLE: Duration = Duration::from_secs(1);
/// The calendar feed is written again at least this often, changed or not.
const FEED_REWRITE: TimeDelta = TimeDelta::hours(1);
/// What the window is told changed when another process committed: every topic a page refreshes
/// on, except the reminders' own notices (only this scheduler records those).
const ANNOUNCED: [Topic; 4] = [Topic::Sens, Topic::Reports, Topic::Outbox, Topic::Settings];

/// Starts the scheduler on its own database connection.
pub fn start(app: &AppHandle) {
    let state = app.state::<AppState>();
    let changes = state.changes.subscribe();
    let store = match state.open_store() {
        Ok(store) => store,
        Err(e) => {
            tracing::error!(code = e.code(), error = %e, "reminders: cannot open the store; no reminders this run");
            return;
        }
    };
    let scheduler = Scheduler {
        app: app.clone(),
        store,
        planner: Planner::default(),
        notifier: Notifier::default(),
        data_dir: state.data_dir.clone(),
        feed_written: None,
        data_seen: None,
    };
    tauri::async_runtime::spawn(scheduler.run(changes));
}

struct Scheduler {
    app: AppHandle,
    store: Store,
    /// The plan, kept between wakes and read again when the data changed.
    planner: Planner,
    notifier: Notifier,
    data_dir: std::path::PathBuf,
    /// The data version and time the calendar feed was last written at.
    feed_written: Option<(i64, DateTime<Utc>)>,
    /// The data version at the last pass (`None` before the first).
    data_seen: Option<i64>,
}

/// Why [`wait_for`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wake {
    /// The wait ran out (the next reminder, or the longest sleep).
    Timer,
    /// A change notice from this process; whoever sent it told the window too.
    Changed,
    /// The app is ending.
    Ending,
}

/// Whether a pass tells the window the data changed: the data version moved since the last pass
/// (`seen`; the first pass only records it) while no change notice woke the scheduler, so the
/// commit came from elsewhere (the CLI, say) and nobody announced it. After a notice, the version moved
/// because of the change announced; anything else committed meanwhile is not told (rare, and the
/// next announced change refreshes the same pages).
fn announces_changes(seen: Option<i64>, now: i64, wake: Wake) -> bool {
    wake == Wake::Timer && seen.is_some_and(|seen| seen != now)
}

/// Where the two clocks were at the last wake.
struct Clocks {
    monotonic: Instant,
    wall: DateTime<Utc>,
}

impl Clocks {
    fn now() -> Clocks {
        Clocks { monotonic: Instant::now(), wall: Utc::now() }
    }

    /// How much further the wall clock moved than the monotonic one since `self`.
    fn drift(&self, now: &Clocks) -> TimeDelta {
        let monotonic = TimeDelta::from_std(now.monotonic - self.monotonic).unwrap_or(TimeDelta::MAX);
        (now.wall - self.wall) - monotonic
    }
}

impl Scheduler {
    async fn run(mut self, mut changes: broadcast::Receiver<Topic>) {
        tracing::info!("reminders: scheduler started");
        let mut last = Clocks::now();
        // The first pass has no version to compare with (`data_seen` is `None`).
        let mut wake = Wake::Timer;
        loop {
            let clocks = Clocks::now();
            let drift = last.drift(&clocks);
            if drift.abs() > JUMP {
                tracing::info!(seconds = drift.num_seconds(), "reminders: wall clock moved apart from the monotonic clock (wake from suspend or clock change): catching up");
            }
            let upcoming = self.pass(clocks.wall, wake).await;
            last = Clocks::now();
            let wait = next_wake_in(last.wall, upcoming);
            wake = wait_for(&mut changes, wait).await;
            if wake == Wake::Ending {
                tracing::info!("reminders: scheduler stopped");
                return;
            }
        }
    }

    /// Tells the window what another process committed since the last pass (see
    /// [`announces_changes`]). Only the window: the background tasks read the data themselves, and
    /// waking them could have them write, which would be announced again at the next pass.
    fn announce_changes_from_elsewhere(&mut self, version: i64, wake: Wake) {
        if announces_changes(self.data_seen, version, wake) {
            tracing::debug!("reminders: data committed elsewhere; telling the window");
            for topic in ANNOUNCED {
                events::tell_window(&self.app, topic);
            }
        }
        self.data_seen = Some(version);
    }

    /// The calendar feed follows the same data as the plan: written again when another connection
    /// committed since (a command, the CLI, sync), and hourly (cancelled events age out).
    fn refresh_feed(&mut self, version: i64, now: DateTime<Utc>) {
        if let Some((written, at)) = self.feed_written {
            if written == version && now - at < FEED_REWRITE {
                return;
            }
        }
        match crate::feed::refresh(&self.store, &self.data_dir, now) {
            Ok(_) => self.feed_written = Some((version, now)),
            Err(e) => {
                tracing::warn!(code = e.code(), error = %e, "calendar feed: not written; retrying at the next pass")
            }
        }
    }

    /// One pass after `wake`; returns what comes next (`None`: the pass failed).
    async fn pass(&mut self, now: DateTime<Utc>, wake: Wake) -> Option<Upcoming> {
        match data_version(self.store.conn()) {
            Ok(version) => {
                self.announce_changes_from_elsewhere(version, wake);
                self.refresh_feed(version, now);
            }
            Err(e) => {
                tracing::warn!(code = e.code(), error = %e, "reminders: cannot read the data version; feed and announcements wait")
            }
        }
        let pass = match self.planner.pass(self.store.conn(), now) {
            Ok(pass) => pass,
            Err(e) => {
                tracing::warn!(code = e.code(), error = %e, "reminders: pass failed; retrying");
                return None;
            }
        };
        if let Some(notice) = &pass.notice {
            tracing::info!(
                notice = notice.id,
                reminders = notice.keys.len(),
                critical = notice.critical,
                "reminders: due"
            );
            events::changed(&self.app, Topic::Reminders);
            self.deliver(notice).await;
        }
        // Notices recorded before a crash, or refused earlier by the notification server.
        match store::pending(self.store.conn(), Utc::now()) {
            Ok(pending) => {
                for notice in pending {
                    tracing::info!(
                        notice = notice.id,
                        attempts = notice.attempts,
                        "reminders: showing a pending notice"
                    );
                    self.deliver(&notice).await;
                }
            }
            Err(e) => tracing::warn!(error = %e, "reminders: cannot read pending notices"),
        }
        tray::refresh(&self.app, &pass.outlook);
        let notice_retry = store::next_retry_at(self.store.conn()).ok().flatten();
        Some(Upcoming { reminder: pass.next_at, notice_retry })
    }

    async fn deliver(&mut self, notice: &StoredNotice) {
        let shown = self.notifier.show(&self.app, notice).await;
        let conn = self.store.conn();
        let recorded = match shown {
            Ok(server_id) => store::mark_shown(conn, notice.id, Some(server_id), Utc::now()),
            Err(e) => {
                tracing::warn!(notice = notice.id, error = %e, "reminders: the notification was not shown; will retry");
                store::mark_failed(conn, notice.id, &e, Utc::now()).map(drop)
            }
        };
        if let Err(e) = recorded {
            tracing::error!(notice = notice.id, error = %e, "reminders: cannot record the delivery");
        }
    }
}

/// Waits `wait`, or less when something the plan depends on changes; says which.
async fn wait_for(changes: &mut broadcast::Receiver<Topic>, wait: Duration) -> Wake {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(deadline) => return Wake::Timer,
            changed = changes.recv() => match changed {
                // Outbox deliveries and the reminders' own notices change nothing the plan reads.
                Ok(Topic::Outbox | Topic::Reminders) => continue,
                Ok(_) | Err(RecvError::Lagged(_)) => break,
                Err(RecvError::Closed) => return Wake::Ending,
            },
        }
    }
    tokio::time::sleep_until(deadline.min(tokio::time::Instant::now() + SETTLE)).await;
    loop {
        match changes.try_recv() {
            Ok(_) | Err(broadcast::error::TryRecvError::Lagged(_)) => continue,
            Err(broadcast::error::TryRecvError::Closed) => return Wake::Ending,
            Err(broadcast::error::TryRecvError::Empty) => return Wake::Changed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drift_is_how_much_further_the_wall_clock_moved() {
        let before = Clocks { monotonic: Instant::now(), wall: Utc::now() };
        let suspended = Clocks {
            monotonic: before.monotonic + Duration::from_secs(30),
            wall: before.wall + TimeDelta::minutes(40),
        };
        assert_eq!(before.drift(&suspended), TimeDelta::minutes(40) - TimeDelta::seconds(30));
        let set_back =
            Clocks { monotonic: before.monotonic + Duration::from_secs(30), wall: before.wall - TimeDelta::hours(1) };
        assert!(before.drift(&set_back) < -JUMP);
    }

    #[tokio::test]
    async fn waits_for_changes_the_plan_reads_and_never_past_the_deadline() {
        let (tx, mut rx) = broadcast::channel(8);
        // Outbox deliveries and reminder notices do not wake the scheduler.
        tx.send(Topic::Outbox).expect("send");
        tx.send(Topic::Reminders).expect("send");
        let started = Instant::now();
        assert_eq!(wait_for(&mut rx, Duration::from_millis(300)).await, Wake::Timer);
        assert!(started.elapsed() >= Duration::from_millis(300));

        // A SEN change wakes it after the burst settles...
        let started = Instant::now();
        for _ in 0..5 {
            tx.send(Topic::Sens).expect("send");
        }
        assert_eq!(wait_for(&mut rx, Duration::from_secs(20)).await, Wake::Changed);
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
        assert!(rx.is_empty(), "the burst is drained");

        // ...but never later than the next reminder.
        let started = Instant::now();
        tx.send(Topic::Settings).expect("send");
        assert_eq!(wait_for(&mut rx, Duration::from_millis(100)).await, Wake::Changed);
        assert!(started.elapsed() < Duration::from_millis(600), "{:?}", started.elapsed());

        // Every data topic at once (what a command touching several sends) is one wake, then
        // quiet again: the next wait runs out.
        for topic in ANNOUNCED {
            tx.send(topic).expect("send");
        }
        assert_eq!(wait_for(&mut rx, Duration::from_secs(20)).await, Wake::Changed);
        assert_eq!(wait_for(&mut rx, Duration::from_millis(100)).await, Wake::Timer);

        drop(tx);
        assert_eq!(wait_for(&mut rx, Duration::from_secs(5)).await, Wake::Ending, "the app is ending");
    }

    #[test]
    fn announces_only_what_was_committed_elsewhere_unannounced() {
        // The first pass only records the version.
        assert!(!announces_changes(None, 7, Wake::Timer));
        // Nothing committed elsewhere: nothing to tell.
        assert!(!announces_changes(Some(7), 7, Wake::Timer));
        // The CLI committed and no notice came: tell the window.
        assert!(announces_changes(Some(7), 8, Wake::Timer));
        // A command committed and announced it itself.
        assert!(!announces_changes(Some(7), 8, Wake::Changed));
        assert!(!announces_changes(Some(7), 7, Wake::Changed));
        assert!(!announces_changes(Some(7), 8, Wake::Ending));
    }

    #[test]
    fn an_announcement_is_made_once_per_commit_elsewhere() {
        // The scheduler's memory over a run of passes: (version read, why it woke) → announced?
        let passes = [
            (3, Wake::Timer, false),   // start
            (3, Wake::Timer, false),   // quiet
            (4, Wake::Timer, true),    // the CLI imported SENs
            (4, Wake::Changed, false), // a notice (even one echoing the announcement) announces nothing
            (4, Wake::Timer, false),   // quiet again: not announced twice
            (5, Wake::Changed, false), // a command wrote and announced
            (5, Wake::Timer, false),
        ];
        let mut seen = None;
        for (i, (version, wake, expected)) in passes.into_iter().enumerate() {
            assert_eq!(announces_changes(seen, version, wake), expected, "pass {i}");
            seen = Some(version);
        }
    }
}
