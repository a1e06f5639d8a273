//! Deadline reminders with an injected `now`: the plan, the one-notice rule, and the fired store on
//! a real SQLite file, across restarts (a new connection), suspends (a pass long after the last),
//! DST changes, early acknowledgements, quiet hours, more time and report deadlines.

use chrono::{DateTime, TimeDelta, Utc};
use desk_core::calendar::BusinessCalendar;
use desk_core::profile::Profile;
use desk_core::reminders::{
    self, next_wake_in, pass, prefs, store, Planner, Point, ReminderKey, ReminderPrefs, Severity, Upcoming,
};
use desk_core::sen::store as sens;
use desk_core::sen::{Determination, EscalationClock, NewSen, Outcome, SenSettings, Source};
use desk_core::{report, Store};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{la, utc};

fn min(m: i64) -> TimeDelta {
    TimeDelta::minutes(m)
}

struct Desk {
    dir: tempfile::TempDir,
    store: Store,
}

impl Desk {
    fn new() -> Desk {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open_in_dir(dir.path()).expect("open");
        Desk { dir, store }
    }

    /// A restart: the process is gone, a new one opens the same database.
    fn restart(self) -> Desk {
        let Desk { dir, store } = self;
        drop(store);
        let store = Store::open_in_dir(dir.path()).expect("reopen");
        Desk { dir, store }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn sen(&self, number: &str, level: &str, sent_at: DateTime<Utc>) {
        let new = NewSen {
            sen_number: number.into(),
            level: level.into(),
            sent_at,
            summary: format!("Beaconing from host {number} to a known C2 address"),
            source: Source::Manual,
        };
        sens::create(self.store.conn(), new, sent_at, &crate::common::actor()).expect("create SEN");
    }

    fn acknowledge(&self, number: &str, at: DateTime<Utc>) {
        let values: BTreeMap<String, String> = [("findings_by".to_string(), "end of day".to_string())].into();
        sens::acknowledge(
            self.store.conn(),
            &crate::common::sen_number(number),
            "investigating",
            &values,
            at,
            &crate::common::actor(),
        )
        .expect("acknowledge");
    }

    /// One scheduler pass at `now`; the notice it shows, marked shown as the shell does.
    fn pass(&self, now: DateTime<Utc>) -> Option<store::StoredNotice> {
        let pass = pass::run(self.store.conn(), now).expect("pass");
        if let Some(notice) = &pass.notice {
            store::mark_shown(self.store.conn(), notice.id, Some(1), now).expect("shown");
        }
        pass.notice
    }

    fn next_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        pass::view(self.store.conn(), now).expect("view").reminders.into_iter().map(|r| r.at).find(|at| *at > now)
    }

    fn keys(&self, now: DateTime<Utc>) -> Vec<String> {
        pass::view(self.store.conn(), now).expect("view").reminders.into_iter().map(|r| r.key.to_string()).collect()
    }

    /// Runs the scheduler from `from` to `to` on a simulated clock, the way the shell's loop
    /// (src-tauri/src/reminders.rs) does: a pass of one `Planner`, its notice shown, pending
    /// notices shown, then the sleep `next_wake_in` decides. Returns every notice shown with the
    /// time it was shown.
    fn run(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<(DateTime<Utc>, store::StoredNotice)> {
        let conn = self.store.conn();
        let mut planner = Planner::default();
        let mut shown = Vec::new();
        let mut now = from;
        while now <= to {
            let pass = planner.pass(conn, now).expect("pass");
            if let Some(notice) = pass.notice {
                store::mark_shown(conn, notice.id, Some(1), now).expect("shown");
                shown.push((now, notice));
            }
            // Then the notices still pending (recorded before a crash, or refused earlier).
            for notice in store::pending(conn, now).expect("pending") {
                store::mark_shown(conn, notice.id, Some(1), now).expect("shown");
                shown.push((now, notice));
            }
            let upcoming =
                Upcoming { reminder: pass.next_at, notice_retry: store::next_retry_at(conn).expect("retry") };
            now += TimeDelta::from_std(next_wake_in(now, Some(upcoming))).expect("wait");
        }
        shown
    }
}

#[test]
fn a_critical_sen_is_reminded_at_half_window_15_minutes_before_due_and_each_escalation() {
    let desk = Desk::new();
    let sent = la("2026-03-10 09:00");
    desk.sen("SOC-0101", "critical", sent);
    let plan = pass::view(desk.store.conn(), sent).expect("view").reminders;
    let got: Vec<(String, DateTime<Utc>, Severity)> =
        plan.iter().map(|r| (r.key.to_string(), r.at, r.severity)).collect();
    assert_eq!(
        got,
        vec![
            ("sen:SOC-0101:acknowledge:half".to_string(), sent + min(30), Severity::Critical),
            ("sen:SOC-0101:acknowledge:15min".to_string(), sent + min(45), Severity::Critical),
            // Level 1 escalation happens at the due time: one reminder says both.
            ("sen:SOC-0101:acknowledge:due".to_string(), sent + min(60), Severity::Critical),
            ("sen:SOC-0101:acknowledge:escalation-2".to_string(), sent + min(150), Severity::Critical),
            ("sen:SOC-0101:acknowledge:escalation-3".to_string(), sent + min(180), Severity::Critical),
        ]
    );
    let fifteen = &plan[1];
    assert_eq!(fifteen.title, "SOC-0101 Critical: acknowledgement due in 15 min");
    assert!(
        fifteen.body.starts_with("Acknowledge receipt of the SEN by Tue 2026-03-10 10:00 PDT."),
        "{}",
        fifteen.body
    );
    assert!(
        fifteen.body.contains(
            "Next escalation: Level 1 (Statewide Incident Program Manager (SIPM)) at Tue 2026-03-10 10:00 PDT"
        ),
        "{}",
        fifteen.body
    );
    // Details are off by default: the SOC's summary stays in the window (desk_core::privacy).
    assert!(!fifteen.body.contains("Beaconing"), "{}", fifteen.body);
    assert_eq!(fifteen.route, "#/sens/SOC-0101");
    let due = &plan[2];
    assert_eq!(due.title, "SOC-0101 Critical: acknowledgement due now");
    assert!(
        due.body.contains("Level 1 escalation to the Statewide Incident Program Manager (SIPM) at the same time"),
        "{}",
        due.body
    );
    let l2 = &plan[3];
    assert_eq!(l2.title, "SOC-0101 Critical: escalated to Level 2");
    assert!(l2.body.contains("State Chief Information Security Officer (CISO) and State Deputy CISO"), "{}", l2.body);
    assert!(
        l2.body.contains(
            "Level 3 (State Chief Information Officer (CIO) and State Deputy CIO) at Tue 2026-03-10 12:00 PDT"
        ),
        "{}",
        l2.body
    );

    // Run the whole window: each reminder once, on time, alone.
    let shown = desk.run(sent, sent + min(240));
    let at: Vec<DateTime<Utc>> = shown.iter().map(|(t, _)| *t).collect();
    assert_eq!(at, vec![sent + min(30), sent + min(45), sent + min(60), sent + min(150), sent + min(180)]);
    assert!(shown.iter().all(|(_, n)| n.critical && n.keys.len() == 1));
    assert_eq!(shown[0].1.title, "SOC-0101 Critical: acknowledgement due in 30 min");
    assert!(desk.pass(sent + min(300)).is_none(), "nothing fires twice");
}

#[test]
fn high_sen_half_window_is_counted_in_business_hours() {
    let desk = Desk::new();
    // Friday 16:00: 2 business hours = 1 h Friday + 1 h Monday; due Monday 09:00.
    desk.sen("SOC-0102", "high", la("2026-03-13 16:00"));
    let plan = pass::view(desk.store.conn(), la("2026-03-13 16:00")).expect("view").reminders;
    let at = |key: &str| plan.iter().find(|r| r.key == key).map(|r| r.at).expect(key);
    assert_eq!(at("sen:SOC-0102:acknowledge:half"), la("2026-03-13 17:00"));
    assert_eq!(at("sen:SOC-0102:acknowledge:15min"), la("2026-03-16 08:45"));
    assert_eq!(at("sen:SOC-0102:acknowledge:due"), la("2026-03-16 09:00"));
    let half = plan.iter().find(|r| r.point == Point::Half).expect("half");
    assert_eq!(half.severity, Severity::High);
    assert!(half.body.contains("Window: 2 business hours from Fri 2026-03-13 16:00 PDT"), "{}", half.body);
}

#[test]
fn restart_in_the_middle_of_a_window_neither_repeats_nor_loses() {
    let desk = Desk::new();
    let sent = la("2026-03-10 09:00");
    desk.sen("SOC-0201", "critical", sent);
    let half = desk.pass(sent + min(30)).expect("half window");
    assert_eq!(half.keys, ["sen:SOC-0201:acknowledge:half"]);

    // Restart at 09:40, between two reminders: nothing repeats, the next one is 09:45.
    let desk = desk.restart();
    assert!(desk.pass(sent + min(40)).is_none(), "the half-window reminder must not fire again");
    assert_eq!(desk.next_at(sent + min(40)), Some(sent + min(45)));
    let fifteen = desk.pass(sent + min(45)).expect("15 min before");
    assert_eq!(fifteen.keys, ["sen:SOC-0201:acknowledge:15min"]);

    // Stopped from 09:46 to 09:50 across nothing, then from 09:50 to 10:20 across the due time:
    // the missed reminder fires once at the start, saying it is late.
    let desk = desk.restart();
    assert!(desk.pass(sent + min(50)).is_none());
    let desk = desk.restart();
    let caught_up = desk.pass(sent + min(80)).expect("missed due-time reminder");
    assert_eq!(caught_up.keys, ["sen:SOC-0201:acknowledge:due"]);
    assert_eq!(caught_up.title, "SOC-0201 Critical: acknowledgement overdue by 20 min");
    assert!(
        caught_up.body.contains("Reminder planned for Tue 2026-03-10 10:00 PDT; Incident Desk was not running"),
        "{}",
        caught_up.body
    );
    let desk = desk.restart();
    assert!(desk.pass(sent + min(81)).is_none());
}

#[test]
fn a_notice_recorded_but_not_shown_before_a_crash_is_shown_after_the_restart_and_not_fired_again() {
    let desk = Desk::new();
    let sent = la("2026-03-10 09:00");
    desk.sen("SOC-0202", "critical", sent);
    // The pass records the notice, then the process dies before the notification server answers.
    let pass = pass::run(desk.store.conn(), sent + min(30)).expect("pass");
    let recorded = pass.notice.expect("notice");
    let desk = desk.restart();
    let pending = store::pending(desk.store.conn(), sent + min(31)).expect("pending");
    assert_eq!(pending.iter().map(|n| n.id).collect::<Vec<_>>(), [recorded.id], "shown again after the restart");
    assert!(desk.pass(sent + min(31)).is_none(), "its reminder is not planned a second time");
    store::mark_shown(desk.store.conn(), recorded.id, Some(7), sent + min(31)).expect("shown");
    assert!(store::pending(desk.store.conn(), sent + min(32)).expect("pending").is_empty());

    // No notification server: retried with backoff, given up after a day.
    let desk = desk.restart();
    let n = desk.pass(sent + min(45)).expect("15 min");
    let conn = desk.store.conn();
    let n = store::get(conn, n.id).expect("get");
    assert_eq!(n.state, "shown");
    let p = pass::run(conn, sent + min(60)).expect("pass").notice.expect("due");
    let failed =
        store::mark_failed(conn, p.id, "org.freedesktop.DBus.Error.ServiceUnknown", sent + min(60)).expect("failed");
    assert_eq!(failed.state, "pending");
    assert!(store::pending(conn, sent + min(60)).expect("pending").is_empty(), "not before the backoff");
    assert_eq!(store::next_retry_at(conn).expect("next"), Some(sent + min(60) + TimeDelta::seconds(30)));
    let again = store::mark_failed(conn, p.id, "still no server", sent + min(61)).expect("failed");
    assert_eq!(again.attempts, 2);
    assert_eq!(store::next_retry_at(conn).expect("next"), Some(sent + min(62)));
    let expired =
        store::mark_failed(conn, p.id, "no server for a day", sent + min(60) + TimeDelta::hours(24)).expect("failed");
    assert_eq!(expired.state, "expired");
}

#[test]
fn a_suspend_across_three_reminders_gives_one_notice() {
    // One SEN: half window, 15 minutes before and due time all pass while asleep.
    let desk = Desk::new();
    let sent = la("2026-03-10 09:00");
    desk.sen("SOC-0301", "critical", sent);
    assert!(desk.pass(sent + min(29)).is_none());
    assert_eq!(desk.next_at(sent + min(29)), Some(sent + min(30)));
    // Asleep from 09:29 to 10:05; the wake makes one pass.
    let notice = desk.pass(sent + min(65)).expect("one notice after the wake");
    assert_eq!(
        notice.keys,
        ["sen:SOC-0301:acknowledge:half", "sen:SOC-0301:acknowledge:15min", "sen:SOC-0301:acknowledge:due"]
    );
    assert_eq!(notice.title, "SOC-0301 Critical: acknowledgement overdue by 5 min");
    assert!(notice.body.contains("(3 reminders for SOC-0301 came due together.)"), "{}", notice.body);
    assert!(notice.critical);
    assert!(desk.pass(sent + min(66)).is_none());

    // Three SENs, one reminder each during the sleep: ONE summary naming all three.
    let desk = Desk::new();
    desk.sen("SOC-0311", "critical", sent);
    desk.sen("SOC-0312", "high", sent + min(5));
    desk.sen("SOC-0313", "medium", sent + min(10));
    desk.pass(sent + min(11));
    let quiet_prefs =
        ReminderPrefs { minutes_before: vec![], at_due: false, at_escalations: false, ..ReminderPrefs::default() };
    prefs::save(desk.store.conn(), quiet_prefs, sent).expect("prefs");
    // Half windows: 09:30 (Critical), 10:05 and 10:10 (High, Medium: 1 business hour).
    let summary = desk.pass(sent + min(75)).expect("summary");
    assert_eq!(summary.keys.len(), 3, "{:?}", summary.keys);
    assert_eq!(summary.title, "3 deadline reminders: SOC-0311, SOC-0312, SOC-0313");
    let lines: Vec<&str> = summary.body.lines().collect();
    assert_eq!(lines.len(), 3, "{}", summary.body);
    assert!(
        lines[0].starts_with("SOC-0311 Critical: acknowledgement overdue by 15 min (Tue 2026-03-10 10:00 PDT)"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("SOC-0312 High: acknowledgement due in 50 min (Tue 2026-03-10 11:05 PDT)"),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("SOC-0313 Medium:"), "{}", lines[2]);
    assert!(summary.critical, "a summary with a Critical line is critical");
    assert_eq!(summary.route, "#/sens");
    assert!(desk.pass(sent + min(76)).is_none());
}

#[test]
fn across_the_autumn_dst_change_windows_are_real_hours_and_times_show_the_new_offset() {
    let desk = Desk::new();
    // 01:30 PDT, the first of the two 01:30s of Sunday 2025-11-02.
    let sent = utc("2025-11-02T08:30:00Z");
    desk.sen("SOC-0401", "critical", sent);
    let plan = pass::view(desk.store.conn(), sent).expect("view").reminders;
    let ack: Vec<(String, DateTime<Utc>)> = plan
        .iter()
        .filter(|r| r.key.as_str().contains(":acknowledge:"))
        .map(|r| (r.key.to_string(), r.at))
        .take(3)
        .collect();
    assert_eq!(
        ack,
        vec![
            ("sen:SOC-0401:acknowledge:half".to_string(), utc("2025-11-02T09:00:00Z")),
            ("sen:SOC-0401:acknowledge:15min".to_string(), utc("2025-11-02T09:15:00Z")),
            ("sen:SOC-0401:acknowledge:due".to_string(), utc("2025-11-02T09:30:00Z")),
        ]
    );
    let due = plan.iter().find(|r| r.key.as_str().ends_with(":acknowledge:due")).expect("due");
    // One real hour after 01:30 PDT is 01:30 PST.
    assert!(due.body.starts_with("Acknowledge receipt of the SEN by Sun 2025-11-02 01:30 PST."), "{}", due.body);
    assert!(due.body.contains("Window: 1 clock hour from Sun 2025-11-02 01:30 PDT."), "{}", due.body);
    let shown = desk.run(sent, utc("2025-11-02T10:00:00Z"));
    assert_eq!(shown.len(), 3);
}

#[test]
fn across_the_spring_dst_change_the_wall_clock_skips_but_the_reminders_do_not() {
    let desk = Desk::new();
    // 01:30 PST on Sunday 2026-03-08; 02:00-03:00 does not exist that night.
    let sent = utc("2026-03-08T09:30:00Z");
    desk.sen("SOC-0402", "critical", sent);
    let shown = desk.run(sent, sent + min(61));
    let titles: Vec<(DateTime<Utc>, &str)> = shown.iter().map(|(t, n)| (*t, n.title.as_str())).collect();
    assert_eq!(
        titles,
        vec![
            (sent + min(30), "SOC-0402 Critical: acknowledgement due in 30 min"),
            (sent + min(45), "SOC-0402 Critical: acknowledgement due in 15 min"),
            (sent + min(60), "SOC-0402 Critical: acknowledgement due now"),
        ]
    );
    assert!(
        shown[2].1.body.starts_with("Acknowledge receipt of the SEN by Sun 2026-03-08 03:30 PDT."),
        "{}",
        shown[2].1.body
    );
}

#[test]
fn quiet_hours_hold_back_high_and_medium_never_critical() {
    let desk = Desk::new();
    let conn = desk.store.conn();
    // Escalations counted in literal clock hours, so an after-hours High SEN escalates at night.
    desk_core::sen::save_settings(
        conn,
        SenSettings { escalation_clock: EscalationClock::LiteralClockHours },
        la("2026-03-10 20:00"),
    )
    .expect("sen settings");
    let prefs = ReminderPrefs {
        quiet_hours: reminders::QuietHours { enabled: true, start: "22:00".into(), end: "07:00".into() },
        ..ReminderPrefs::default()
    };
    prefs::save(conn, prefs, la("2026-03-10 20:00")).expect("prefs");
    desk.sen("SOC-0501", "high", la("2026-03-10 21:00"));
    desk.sen("SOC-0502", "critical", la("2026-03-10 22:30"));

    let shown = desk.run(la("2026-03-10 21:00"), la("2026-03-11 07:30"));
    let when: Vec<(DateTime<Utc>, Vec<String>)> =
        shown.iter().map(|(t, n)| (*t, n.keys.iter().map(ToString::to_string).collect())).collect();
    // Critical: every reminder on time, through the night.
    for (t, key) in [
        (la("2026-03-10 23:00"), "sen:SOC-0502:acknowledge:half"),
        (la("2026-03-10 23:15"), "sen:SOC-0502:acknowledge:15min"),
        (la("2026-03-10 23:30"), "sen:SOC-0502:acknowledge:due"),
        (la("2026-03-11 01:00"), "sen:SOC-0502:acknowledge:escalation-2"),
        (la("2026-03-11 01:30"), "sen:SOC-0502:acknowledge:escalation-3"),
    ] {
        assert!(when.contains(&(t, vec![key.to_string()])), "{key} at {t}: {when:?}");
    }
    // High: its clock-hour escalations (23:00, 23:30, 00:00) wait for 07:00, as one notice.
    let morning = shown.iter().find(|(t, _)| *t == la("2026-03-11 07:00")).expect("07:00 notice");
    assert_eq!(
        morning.1.keys,
        [
            "sen:SOC-0501:acknowledge:escalation-1",
            "sen:SOC-0501:acknowledge:escalation-2",
            "sen:SOC-0501:acknowledge:escalation-3"
        ]
    );
    assert!(!morning.1.critical);
    assert!(morning.1.body.contains("Held back by quiet hours from Wed 2026-03-11 00:00 PDT."), "{}", morning.1.body);
    assert!(shown.iter().all(|(t, n)| n.critical || *t == la("2026-03-11 07:00")), "nothing High during quiet hours");
}

#[test]
fn a_sen_acknowledged_early_drops_its_later_acknowledgement_reminders() {
    let desk = Desk::new();
    let sent = la("2026-03-10 09:00");
    desk.sen("SOC-0601", "critical", sent);
    desk.pass(sent + min(30)).expect("half");
    desk.acknowledge("SOC-0601", sent + min(35));
    let keys = desk.keys(sent + min(35));
    assert!(keys.iter().all(|k| !k.contains(":acknowledge:")), "{keys:?}");
    // The determination window now runs from the acknowledgement: 2 clock hours.
    assert_eq!(
        keys,
        [
            "sen:SOC-0601:determine:half",
            "sen:SOC-0601:determine:15min",
            "sen:SOC-0601:determine:due",
            "sen:SOC-0601:determine:escalation-2",
            "sen:SOC-0601:determine:escalation-3"
        ]
    );
    assert_eq!(desk.next_at(sent + min(35)), Some(sent + min(35 + 60)));
    assert!(desk.pass(sent + min(46)).is_none(), "the 09:45 reminder is gone");
    assert!(desk.pass(sent + min(61)).is_none(), "the 10:00 reminder is gone");
    // A false positive closes the SEN: nothing left.
    sens::determine(
        desk.store.conn(),
        &crate::common::sen_number("SOC-0601"),
        Determination { outcome: Outcome::FalsePositive, details: "scanner".into(), findings_by: None },
        sent + min(70),
        &crate::common::actor(),
    )
    .expect("determine");
    assert!(desk.keys(sent + min(70)).is_empty());
}

#[test]
fn more_time_moves_the_determination_reminders_and_they_fire_again() {
    let desk = Desk::new();
    let sent = la("2026-03-10 09:00");
    desk.sen("SOC-0602", "critical", sent);
    desk.acknowledge("SOC-0602", sent + min(10));
    let shown = desk.run(sent + min(10), sent + min(130));
    assert_eq!(
        shown.last().map(|(_, n)| n.keys.clone()),
        Some(vec![ReminderKey::from_stored("sen:SOC-0602:determine:due".into())])
    );
    let by = la("2026-03-11 12:00");
    sens::determine(
        desk.store.conn(),
        &crate::common::sen_number("SOC-0602"),
        Determination { outcome: Outcome::MoreTime, details: "waiting for logs".into(), findings_by: Some(by) },
        // At the due time, still in time (a later request would leave the stage late).
        sent + min(130),
        &crate::common::actor(),
    )
    .expect("more time");
    let plan = pass::view(desk.store.conn(), sent + min(130)).expect("view").reminders;
    let due = plan.iter().find(|r| r.key == "sen:SOC-0602:determine:due").expect("due planned again");
    assert_eq!(due.at, by);
    assert!(due.body.contains("Window: until the findings date given"), "{}", due.body);
    assert!(desk.pass(by).is_some_and(|n| n.keys.iter().any(|k| k == "sen:SOC-0602:determine:due")));
}

#[test]
fn changing_the_preferences_does_not_replay_points_already_passed() {
    let desk = Desk::new();
    let sent = la("2026-03-10 09:00");
    desk.sen("SOC-0701", "critical", sent);
    desk.pass(sent + min(45)).expect("catch-up of half + 15 min");
    // 40 minutes before (09:20) is in the past and the ISO was told at 09:45: covered.
    let more = ReminderPrefs { minutes_before: vec![15, 40, 5], ..ReminderPrefs::default() };
    let saved = prefs::save(desk.store.conn(), more, sent + min(46)).expect("save");
    assert_eq!(saved.minutes_before, [40, 15, 5]);
    assert!(desk.pass(sent + min(46)).is_none());
    assert_eq!(desk.next_at(sent + min(46)), Some(sent + min(55)), "5 minutes before is new and ahead");
}

#[test]
fn preferences_are_validated_field_by_field_and_nothing_is_written_on_error() {
    let desk = Desk::new();
    let conn = desk.store.conn();
    let now = la("2026-03-10 09:00");
    assert_eq!(prefs::load(conn).expect("load"), ReminderPrefs::default());
    let bad = ReminderPrefs {
        minutes_before: vec![0, 15, 2000],
        quiet_hours: reminders::QuietHours { enabled: true, start: "25:00".into(), end: "7".into() },
        ..ReminderPrefs::default()
    };
    let err = prefs::save(conn, bad, now).expect_err("invalid");
    let fields: Vec<&str> = err.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["minutes_before", "quiet_hours.start", "quiet_hours.end"]);
    assert_eq!(prefs::load(conn).expect("load"), ReminderPrefs::default());
    let same = ReminderPrefs {
        quiet_hours: reminders::QuietHours { enabled: true, start: "22:00".into(), end: "22:00".into() },
        ..ReminderPrefs::default()
    };
    assert_eq!(prefs::save(conn, same, now).expect_err("same").fields()[0].field, "quiet_hours.end");
    let ok = ReminderPrefs {
        quiet_hours: reminders::QuietHours { enabled: true, start: " 9:30".into(), end: "13:00".into() },
        ..ReminderPrefs::default()
    };
    assert_eq!(prefs::save(conn, ok, now).expect("save").quiet_hours.start, "09:30");
}

#[test]
fn report_deadlines_are_reminded_as_critical_until_the_portal_has_the_report() {
    let desk = Desk::new();
    let conn = desk.store.conn();
    let discovered = la("2026-03-10 09:00");
    let id =
        report::create_draft(conn, &Profile::default(), discovered, &crate::common::actor()).expect("draft").report_id;
    report::set_field(
        conn,
        &id,
        "incident.description",
        json!("Ransomware on the finance file server\nDetails"),
        discovered,
        &crate::common::actor(),
    )
    .expect("description");
    report::set_field(
        conn,
        &id,
        "incident.discovered_at",
        json!("2026-03-10T09:00:00-07:00"),
        discovered,
        &crate::common::actor(),
    )
    .expect("discovered");
    report::set_field(conn, &id, "federal.category", json!("cat_1"), discovered, &crate::common::actor())
        .expect("category");
    let plan = pass::view(conn, discovered).expect("view").reminders;
    let got: Vec<(String, DateTime<Utc>)> = plan.iter().map(|r| (r.key.to_string(), r.at)).collect();
    assert_eq!(
        got,
        vec![
            (format!("report:{id}:cal_csirs:half"), discovered + min(30)),
            (format!("report:{id}:cal_csirs:15min"), discovered + min(45)),
            (format!("report:{id}:cal_csirs:due"), discovered + min(60)),
        ],
        "CAT 1's one hour ends with the Cal-CSIRS hour: said once"
    );
    let r = &plan[1];
    assert!(r.severity.is_critical());
    let number: String = id.as_str().chars().take(8).collect();
    assert_eq!(r.title, format!("Cal-CSIRS report due in 15 min: report {number}"));
    assert!(!r.body.contains("Ransomware"), "no report text outside the window: {}", r.body);
    assert!(r.body.contains("Report the incident to Cal-CSIRS by Tue 2026-03-10 10:00 PDT"), "{}", r.body);
    assert!(r.body.contains("The federal CAT 1"), "{}", r.body);
    assert_eq!(r.route, format!("#/reports/{id}"));

    // CAT 2 ongoing: a second window of 2 hours.
    report::set_field(conn, &id, "federal.category", json!("cat_2"), discovered, &crate::common::actor())
        .expect("category");
    report::set_field(conn, &id, "federal.cat2_ongoing_unmitigated", json!(true), discovered, &crate::common::actor())
        .expect("ongoing");
    let keys = desk.keys(discovered);
    assert!(keys.contains(&format!("report:{id}:federal:due")), "{keys:?}");
    let plan = pass::view(conn, discovered).expect("view").reminders;
    let federal = plan.iter().find(|r| r.key == format!("report:{id}:federal:half")).expect("federal half");
    assert_eq!(federal.at, discovered + min(60));
    assert!(federal.title.starts_with("Federal report due in 1 h"), "{}", federal.title);

    // Reminders for reports can be switched off.
    let off = ReminderPrefs { report_deadlines: false, ..ReminderPrefs::default() };
    prefs::save(conn, off, discovered).expect("prefs");
    assert!(desk.keys(discovered).is_empty());
    prefs::save(conn, ReminderPrefs::default(), discovered).expect("prefs");
    assert!(!desk.keys(discovered).is_empty());

    // Submitted (queued in the outbox): queued is not reported, the clock keeps counting.
    let now = discovered + min(20);
    for (field, value) in [
        ("entity.name", json!("Department of Examples")),
        ("reporting_person.name", json!("Ada Lovelace")),
        ("reporting_person.phones", json!(["(916) 555-0100"])),
    ] {
        report::set_field(conn, &id, field, value, now, &crate::common::actor()).expect(field);
    }
    report::ready(conn, &id, now, &crate::common::actor()).expect("ready");
    assert!(!desk.keys(now).is_empty(), "ready is not sent yet");
    report::submit(conn, &id, now, &crate::common::actor()).expect("submit");
    let plan = pass::view(conn, now).expect("view").reminders;
    let due =
        plan.iter().find(|r| r.key == format!("report:{id}:cal_csirs:due")).expect("a queued report is still reminded");
    assert_eq!(due.at, discovered + min(60));
    assert!(due.body.contains("Queued, not yet received by Cal-CSIRS."), "{}", due.body);
    // The portal confirmed receipt with an incident number: nothing left to remind.
    report::mark_sent(conn, &id, "CIR-2026-0001", now + min(1), &crate::common::actor()).expect("sent");
    assert!(desk.keys(now + min(1)).is_empty());
}

/// Notifications and the tray leave the window: by default they carry the deadline, the level and
/// the SEN or report number only; with details on, the SOC's summary and the report's title too.
#[test]
fn notices_and_the_tray_carry_no_summary_or_title_unless_details_are_on() {
    use desk_core::privacy::{self, Privacy};
    let desk = Desk::new();
    let conn = desk.store.conn();
    let t = la("2026-03-10 09:00");
    desk.sen("SOC-0901", "critical", t - min(30));
    let id = report::create_draft(conn, &Profile::default(), t, &crate::common::actor()).expect("draft").report_id;
    report::set_field(
        conn,
        &id,
        "incident.description",
        json!("Payroll database exfiltrated"),
        t,
        &crate::common::actor(),
    )
    .expect("text");
    report::set_field(
        conn,
        &id,
        "incident.discovered_at",
        json!("2026-03-10T09:00:00-07:00"),
        t,
        &crate::common::actor(),
    )
    .expect("time");
    let number: String = id.as_str().chars().take(8).collect();

    let view = pass::view(conn, t).expect("view");
    for r in &view.reminders {
        for text in [&r.title, &r.body] {
            assert!(!text.contains("Beaconing") && !text.contains("Payroll"), "details leaked: {text}");
        }
    }
    assert!(view.reminders.iter().any(|r| r.title.contains("SOC-0901 Critical")));
    assert!(view.reminders.iter().any(|r| r.title.contains(&format!("report {number}"))));
    let shown = desk.pass(t).expect("notice");
    assert!(!shown.body.contains("Beaconing") && !shown.title.contains("Payroll"), "{} / {}", shown.title, shown.body);
    let outlook = pass::view(conn, t + min(31)).expect("view").outlook;
    assert!(!outlook.next_text.contains("Payroll"), "{}", outlook.next_text);
    assert!(outlook.next_text.contains(&format!("report {number}")), "{}", outlook.next_text);

    privacy::save(conn, Privacy { details_outside_window: true }, t).expect("details on");
    assert_eq!(privacy::load(conn).expect("load"), Privacy { details_outside_window: true });
    let view = pass::view(conn, t).expect("view");
    assert!(view.reminders.iter().any(|r| r.body.contains("SOC summary: Beaconing from host SOC-0901")));
    assert!(view.reminders.iter().any(|r| r.title.contains("Payroll database exfiltrated")));
    assert!(pass::view(conn, t + min(31)).expect("view").outlook.next_text.contains("Payroll"));
}

#[test]
fn outlook_names_the_next_deadline_and_counts_the_overdue() {
    let desk = Desk::new();
    let t = la("2026-03-10 09:00");
    desk.sen("SOC-0801", "critical", t - min(90));
    desk.sen("SOC-0802", "critical", t - min(20));
    desk.sen("SOC-0803", "high", t - min(10));
    let view = pass::view(desk.store.conn(), t).expect("view");
    assert_eq!(view.outlook.overdue, 1);
    assert_eq!(view.outlook.overdue_text, "1 overdue");
    let next = view.outlook.next.expect("next");
    assert_eq!(next.what, "SOC-0802 Critical acknowledgement");
    assert_eq!(next.due, t + min(40));
    assert_eq!(next.route, "#/sens/SOC-0802");
    assert_eq!(view.outlook.next_text, "Next: SOC-0802 Critical acknowledgement, Tue 2026-03-10 09:40 PDT (in 40 min)");
}

#[test]
fn banners_stay_while_their_window_is_open_and_until_dismissed() {
    let desk = Desk::new();
    let sent = la("2026-03-10 09:00");
    desk.sen("SOC-0901", "critical", sent);
    desk.sen("SOC-0902", "critical", sent);
    let n = desk.pass(sent + min(30)).expect("summary");
    let conn = desk.store.conn();
    assert_eq!(pass::banners(conn, sent + min(31)).expect("banners").len(), 1);
    desk.acknowledge("SOC-0901", sent + min(32));
    assert_eq!(pass::banners(conn, sent + min(32)).expect("banners").len(), 1, "SOC-0902 is still open");
    desk.acknowledge("SOC-0902", sent + min(33));
    assert!(pass::banners(conn, sent + min(33)).expect("banners").is_empty());

    desk.sen("SOC-0903", "critical", sent + min(40));
    let m = desk.pass(sent + min(70)).expect("half of SOC-0903");
    assert_ne!(m.id, n.id);
    store::dismiss(conn, m.id, sent + min(71)).expect("dismiss");
    assert!(pass::banners(conn, sent + min(71)).expect("banners").is_empty());
    assert_eq!(store::dismiss(conn, 999, sent).expect_err("unknown").code(), "not_found");
    let _ = desk.path();
}

#[test]
fn calendar_edits_keep_business_reminders_on_the_edited_hours() {
    let desk = Desk::new();
    let conn = desk.store.conn();
    let mut calendar = BusinessCalendar::default();
    calendar.hours.set(chrono::Weekday::Tue, Some(desk_core::calendar::OpenHours::new("07:00", "15:00")));
    desk_core::calendar::save(conn, calendar, la("2026-03-10 06:00")).expect("calendar");
    desk.sen("SOC-1001", "medium", la("2026-03-10 14:00"));
    let plan = pass::view(conn, la("2026-03-10 14:00")).expect("view").reminders;
    let half = plan.iter().find(|r| r.point == Point::Half).expect("half");
    assert_eq!(half.at, la("2026-03-10 15:00"), "1 business hour in, at Tuesday's close");
    let due = plan.iter().find(|r| r.point == Point::Due).expect("due");
    assert_eq!(due.at, la("2026-03-11 09:00"));
}

#[test]
fn a_long_lived_planner_sees_what_other_connections_commit_and_never_fires_twice() {
    let desk = Desk::new();
    // The window's commands write through their own connection; the scheduler keeps its plan.
    let commands = Store::open_in_dir(desk.path()).expect("second connection");
    let conn = desk.store.conn();
    let sent = la("2026-03-10 09:00");
    let mut planner = reminders::Planner::default();
    let idle = planner.pass(conn, sent).expect("pass");
    assert!(idle.notice.is_none() && idle.next_at.is_none());

    sens::create(
        commands.conn(),
        NewSen {
            sen_number: "SOC-1101".into(),
            level: "critical".into(),
            sent_at: sent,
            summary: String::new(),
            source: Source::Portal,
        },
        sent,
        &crate::common::actor(),
    )
    .expect("create");
    let pass = planner.pass(conn, sent + min(1)).expect("pass");
    assert_eq!(pass.next_at, Some(sent + min(30)), "the new SEN is planned without a restart");
    let half = planner.pass(conn, sent + min(30)).expect("pass").notice.expect("half window");
    assert_eq!(half.keys, ["sen:SOC-1101:acknowledge:half"]);
    let again = planner.pass(conn, sent + min(31)).expect("pass");
    assert!(again.notice.is_none(), "fired once");
    assert_eq!(again.next_at, Some(sent + min(45)));
    assert_eq!(again.outlook.next.map(|n| n.due), Some(sent + min(60)));

    let values: BTreeMap<String, String> = [("findings_by".to_string(), "noon".to_string())].into();
    sens::acknowledge(
        commands.conn(),
        &crate::common::sen_number("SOC-1101"),
        "investigating",
        &values,
        sent + min(40),
        &crate::common::actor(),
    )
    .expect("ack");
    let after = planner.pass(conn, sent + min(46)).expect("pass");
    assert!(after.notice.is_none(), "the acknowledgement reminders are gone");
    assert_eq!(after.next_at, Some(sent + min(100)), "the determination window's half");
}
