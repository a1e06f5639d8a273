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

use crate::events::{self, Topic};
use crate::notify::Notifier;
use crate::state::AppState;
use crate::tray;
use chrono::{DateTime, TimeDelta, Utc};
use desk_core::reminders::{next_wake_in, store, Planner, StoredNotice, Upcoming};
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
        loop {
            let clocks = Clocks::now();
            let drift = last.drift(&clocks);
            if drift.abs() > JUMP {
                tracing::info!(seconds = drift.num_seconds(), "reminders: wall clock moved apart from the monotonic clock (wake from suspend or clock change): catching up");
            }
            let upcoming = self.pass(clocks.wall).await;
            last = Clocks::now();
            let wait = next_wake_in(last.wall, upcoming);
            if !wait_for(&mut changes, wait).await {
                tracing::info!("reminders: scheduler stopped");
                return;
            }
        }
    }

    /// The calendar feed follows the same data as the plan: written again when another connection
    /// committed since (a command, the CLI, sync), and hourly (cancelled events age out).
    fn refresh_feed(&mut self, now: DateTime<Utc>) {
        let version = match self.store.conn().query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0)) {
            Ok(version) => version,
            Err(e) => {
                tracing::warn!(error = %e, "calendar feed: cannot read the data version");
                return;
            }
        };
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

    /// One pass; returns what comes next (`None`: the pass failed).
    async fn pass(&mut self, now: DateTime<Utc>) -> Option<Upcoming> {
        self.refresh_feed(now);
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

/// Waits `wait`, or less when something the plan depends on changes. False once the app is ending.
async fn wait_for(changes: &mut broadcast::Receiver<Topic>, wait: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(deadline) => return true,
            changed = changes.recv() => match changed {
                // Outbox deliveries and the reminders' own notices change nothing the plan reads.
                Ok(Topic::Outbox | Topic::Reminders) => continue,
                Ok(_) | Err(RecvError::Lagged(_)) => break,
                Err(RecvError::Closed) => return false,
            },
        }
    }
    tokio::time::sleep_until(deadline.min(tokio::time::Instant::now() + SETTLE)).await;
    loop {
        match changes.try_recv() {
            Ok(_) | Err(broadcast::error::TryRecvError::Lagged(_)) => continue,
            Err(broadcast::error::TryRecvError::Closed) => return false,
            Err(broadcast::error::TryRecvError::Empty) => return true,
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
        assert!(wait_for(&mut rx, Duration::from_millis(300)).await);
        assert!(started.elapsed() >= Duration::from_millis(300));

        // A SEN change wakes it after the burst settles...
        let started = Instant::now();
        for _ in 0..5 {
            tx.send(Topic::Sens).expect("send");
        }
        assert!(wait_for(&mut rx, Duration::from_secs(20)).await);
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
        assert!(rx.is_empty(), "the burst is drained");

        // ...but never later than the next reminder.
        let started = Instant::now();
        tx.send(Topic::Settings).expect("send");
        assert!(wait_for(&mut rx, Duration::from_millis(100)).await);
        assert!(started.elapsed() < Duration::from_millis(600), "{:?}", started.elapsed());

        drop(tx);
        assert!(!wait_for(&mut rx, Duration::from_secs(5)).await, "the app is ending");
    }
}
