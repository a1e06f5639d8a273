//! Issue 13, second pass on the seeds: SEN timelines around holidays, weekends, closing time and
//! the November DST change; late and in-time more-time requests; a findings date on a closed day;
//! the repeated DST hour on a 24/7 calendar; the fallback on the state office calendar.

use chrono::{DateTime, TimeDelta, Utc};
use desk_core::calendar::{self, BusinessCalendar, OpenHours, WeeklyHours};
use desk_core::fallback::{self, Route};
use desk_core::sen::deadlines::{
    status, DeterminationTimes, Outcome, Schedule, StageState,
};
use desk_core::sen::levels::{EscalationClock, Stage};
use desk_core::Store;

use crate::common::{default_calendar as calendar, la, plan, plan_with, sent, utc};

fn dues(s: &Schedule) -> [DateTime<Utc>; 3] {
    [s.stages[0].due, s.stages[1].due, s.stages[2].due]
}

fn ladder(s: &Schedule, stage: Stage) -> Vec<(DateTime<Utc>, bool)> {
    s.escalations
        .iter()
        .filter(|e| e.stage == stage)
        .map(|e| (e.at, e.averted))
        .collect()
}

fn at(s: &Schedule, stage: Stage) -> Vec<DateTime<Utc>> {
    ladder(s, stage).into_iter().map(|(t, _)| t).collect()
}

#[test]
fn high_sent_friday_1630_before_martin_luther_king_jr_day() {
    // MLK Day 2026 is Monday 19 January (3rd Monday): 30 min on Friday, then Tuesday.
    let s = plan("high", &sent(la("2026-01-16 16:30")));
    assert_eq!(
        dues(&s),
        [
            la("2026-01-20 09:30"),
            la("2026-01-20 13:30"),
            la("2026-01-20 14:30")
        ]
    );
    assert_eq!(
        at(&s, Stage::Acknowledge),
        [
            la("2026-01-20 09:30"),
            la("2026-01-20 10:00"),
            la("2026-01-20 10:30")
        ]
    );
    assert_eq!(
        at(&s, Stage::Determine),
        [
            la("2026-01-20 13:30"),
            la("2026-01-20 14:00"),
            la("2026-01-20 14:30")
        ]
    );
    assert_eq!(
        at(&s, Stage::Record),
        [
            la("2026-01-20 14:30"),
            la("2026-01-20 15:00"),
            la("2026-01-20 15:30")
        ]
    );
    // Monday (the holiday) counts nothing: the acknowledgement still has 90 business minutes.
    let st = status(&s, &calendar(), la("2026-01-19 12:00"));
    assert_eq!(st.stages[0].business_minutes_left, Some(90));
}

#[test]
fn medium_sent_on_a_saturday_starts_at_monday_opening() {
    let s = plan("medium", &sent(la("2026-03-07 10:00")));
    assert_eq!(
        dues(&s),
        [
            la("2026-03-09 10:00"),
            la("2026-03-09 14:00"),
            la("2026-03-09 16:00")
        ]
    );
    assert_eq!(
        at(&s, Stage::Acknowledge),
        [
            la("2026-03-09 10:00"),
            la("2026-03-09 10:30"),
            la("2026-03-09 11:00")
        ]
    );
    assert_eq!(
        at(&s, Stage::Record),
        [
            la("2026-03-09 16:00"),
            la("2026-03-09 16:30"),
            la("2026-03-09 17:00")
        ]
    );
}

#[test]
fn critical_across_the_november_dst_change_through_all_three_stages() {
    // 1 November 2026: 02:00 PDT becomes 01:00 PST. Clock hours are real elapsed time.
    let mut times = sent(utc("2026-11-01T00:30:00-07:00"));
    let s = plan("critical", &times);
    assert_eq!(
        dues(&s),
        [
            utc("2026-11-01T08:30:00Z"),
            utc("2026-11-01T10:30:00Z"),
            utc("2026-11-01T11:00:00Z")
        ]
    );
    assert_eq!(
        at(&s, Stage::Acknowledge),
        [
            utc("2026-11-01T08:30:00Z"),
            utc("2026-11-01T10:00:00Z"),
            utc("2026-11-01T10:30:00Z")
        ]
    );
    assert_eq!(
        at(&s, Stage::Determine),
        [
            utc("2026-11-01T10:30:00Z"),
            utc("2026-11-01T11:00:00Z"),
            utc("2026-11-01T11:30:00Z")
        ]
    );
    assert_eq!(
        at(&s, Stage::Record),
        [
            utc("2026-11-01T11:00:00Z"),
            utc("2026-11-01T11:30:00Z"),
            utc("2026-11-01T13:30:00Z")
        ]
    );

    // Acknowledged at 01:10 PST (the second 01:10): 40 min late, level 1 passed, 2 and 3 averted.
    times.acknowledged_at = Some(utc("2026-11-01T01:10:00-08:00"));
    let s = plan("critical", &times);
    assert_eq!(s.stages[1].due, utc("2026-11-01T11:10:00Z"));
    let ack = ladder(&s, Stage::Acknowledge);
    assert_eq!(
        ack.iter().map(|e| e.1).collect::<Vec<_>>(),
        [false, true, true]
    );
    assert_eq!(
        at(&s, Stage::Determine),
        [
            utc("2026-11-01T11:10:00Z"),
            utc("2026-11-01T11:40:00Z"),
            utc("2026-11-01T12:10:00Z")
        ]
    );
    let st = status(&s, &calendar(), utc("2026-11-01T09:20:00Z"));
    assert_eq!(
        st.stages[0].state,
        StageState::Done {
            at: utc("2026-11-01T09:10:00Z"),
            late_by_minutes: 40
        }
    );

    // Determined (confirmed) at 02:40 PST, linked 25 min later: everything after averted.
    times.determination = Some(DeterminationTimes {
        at: utc("2026-11-01T02:40:00-08:00"),
        outcome: Outcome::ConfirmedIncident,
        findings_by: None,
        requested_at: None,
    });
    times.linked_at = Some(utc("2026-11-01T11:05:00Z"));
    let s = plan("critical", &times);
    assert_eq!(s.stages[2].due, utc("2026-11-01T11:10:00Z"));
    assert_eq!(
        at(&s, Stage::Record),
        [
            utc("2026-11-01T11:10:00Z"),
            utc("2026-11-01T11:40:00Z"),
            utc("2026-11-01T13:40:00Z")
        ]
    );
    assert!(ladder(&s, Stage::Determine)
        .iter()
        .chain(&ladder(&s, Stage::Record))
        .all(|e| e.1));
    let st = status(&s, &calendar(), utc("2026-11-01T12:00:00Z"));
    assert_eq!(st.current_stage, None);
    assert!(st.escalated.is_empty());
}

#[test]
fn high_acknowledged_at_exactly_1700_is_on_time_and_determination_starts_next_morning() {
    let mut times = sent(la("2026-03-02 15:00"));
    assert_eq!(plan("high", &times).stages[0].due, la("2026-03-02 17:00"));
    times.acknowledged_at = Some(la("2026-03-02 17:00"));
    let s = plan("high", &times);
    assert_eq!(
        dues(&s),
        [
            la("2026-03-02 17:00"),
            la("2026-03-03 12:00"),
            la("2026-03-03 13:00")
        ]
    );
    let st = status(&s, &calendar(), la("2026-03-02 17:00"));
    assert_eq!(
        st.stages[0].state,
        StageState::Done {
            at: la("2026-03-02 17:00"),
            late_by_minutes: 0
        }
    );
    assert!(
        ladder(&s, Stage::Acknowledge).iter().all(|e| e.1),
        "no acknowledgement escalation"
    );
}

fn more_time(requested: DateTime<Utc>, by: DateTime<Utc>) -> Option<DeterminationTimes> {
    Some(DeterminationTimes {
        at: requested,
        outcome: Outcome::MoreTime,
        findings_by: Some(by),
        requested_at: Some(requested),
    })
}

#[test]
fn a_late_more_time_request_leaves_the_stage_late() {
    // High, acknowledged 09:30: the determination was due 13:30; more time asked at 14:00.
    let mut times = sent(la("2026-03-02 09:00"));
    times.acknowledged_at = Some(la("2026-03-02 09:30"));
    times.determination = more_time(la("2026-03-02 14:00"), la("2026-03-05 12:00"));
    let s = plan("high", &times);
    assert_eq!(s.stages[1].due, la("2026-03-02 13:30"));
    assert!(!s.stages[1].due_from_findings_by);
    assert_eq!(
        at(&s, Stage::Determine),
        [
            la("2026-03-02 13:30"),
            la("2026-03-02 14:00"),
            la("2026-03-02 14:30")
        ]
    );
    let st = status(&s, &calendar(), la("2026-03-02 14:05"));
    assert_eq!(st.stages[1].state, StageState::Overdue { minutes: 35 });
    let passed: Vec<u8> = st
        .escalated
        .iter()
        .filter(|e| e.stage == Stage::Determine)
        .map(|e| e.level)
        .collect();
    assert_eq!(passed, [1, 2], "the escalations already passed stay passed");

    // The same request at 13:00 (in time) moves the due date to the date given.
    times.determination = more_time(la("2026-03-02 13:00"), la("2026-03-05 12:00"));
    let s = plan("high", &times);
    assert_eq!(s.stages[1].due, la("2026-03-05 12:00"));
    assert!(s.stages[1].due_from_findings_by);
    // Exactly at the due time is still in time.
    times.determination = more_time(la("2026-03-02 13:30"), la("2026-03-05 12:00"));
    assert_eq!(plan("high", &times).stages[1].due, la("2026-03-05 12:00"));
}

#[test]
fn a_findings_date_on_a_sunday_rolls_every_escalation_level_the_same_way() {
    let mut times = sent(la("2026-03-09 09:00"));
    times.acknowledged_at = Some(la("2026-03-09 09:30"));
    times.determination = more_time(la("2026-03-09 11:00"), la("2026-03-15 12:00"));
    let s = plan("high", &times);
    assert_eq!(
        s.stages[1].due,
        la("2026-03-15 12:00"),
        "the date the entity gave"
    );
    assert_eq!(
        at(&s, Stage::Determine),
        [
            la("2026-03-16 08:00"),
            la("2026-03-16 08:30"),
            la("2026-03-16 09:00")
        ]
    );
    assert_eq!(
        s.stages[2].due,
        la("2026-03-16 09:00"),
        "record projected from the rolled date"
    );
    // Medium rolls the same way.
    let m = plan("medium", &times);
    assert_eq!(
        at(&m, Stage::Determine),
        [
            la("2026-03-16 08:00"),
            la("2026-03-16 08:30"),
            la("2026-03-16 09:00")
        ]
    );
    // On the literal clock-hour reading nothing is closed: the ladder stays on Sunday.
    let c = plan_with("high", &times, EscalationClock::LiteralClockHours);
    assert_eq!(
        at(&c, Stage::Determine),
        [
            la("2026-03-15 12:00"),
            la("2026-03-15 12:30"),
            la("2026-03-15 13:00")
        ]
    );
    // A findings date exactly at a closing stays there (that closing, not the next morning).
    times.determination = more_time(la("2026-03-09 11:00"), la("2026-03-12 17:00"));
    let s = plan("high", &times);
    assert_eq!(
        at(&s, Stage::Determine),
        [
            la("2026-03-12 17:00"),
            la("2026-03-13 08:30"),
            la("2026-03-13 09:00")
        ]
    );
}

fn all_week() -> BusinessCalendar {
    let mut hours = WeeklyHours::default();
    for (day, _) in WeeklyHours::DAYS {
        hours.set(day, Some(OpenHours::new("00:00", "23:59")));
    }
    BusinessCalendar {
        hours,
        california_holidays: false,
        ..BusinessCalendar::default()
    }
}

#[test]
fn repeated_dst_hour_on_a_24_7_calendar_never_goes_backwards() {
    let cal = all_week().compile().expect("compiles");
    // Every minute through both passes of 01:00-02:00 on 1 November 2026, plus 0..=120 minutes.
    let first = utc("2026-11-01T00:30:00-07:00");
    for step in 0..=150 {
        let start = first + TimeDelta::minutes(step);
        for minutes in [1u32, 10, 29, 30, 59, 60, 61, 90, 120] {
            let end = cal.add_business_minutes(start, minutes);
            assert!(
                end > start,
                "{start} + {minutes} business min = {end} went backwards"
            );
            let shorter = cal.add_business_minutes(start, minutes - 1);
            assert!(
                end >= shorter,
                "{start}: {minutes} min ends before {} min",
                minutes - 1
            );
        }
    }
    // 01:30 PST (the second pass) + 10 min is 01:40 PST, not 01:40 PDT.
    assert_eq!(
        cal.add_business_minutes(utc("2026-11-01T01:30:00-08:00"), 10),
        utc("2026-11-01T01:40:00-08:00")
    );
}

#[test]
fn the_fallback_keeps_the_state_office_hours_whatever_the_entity_calendar_says() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    // The entity is open on Saturdays.
    let mut entity = BusinessCalendar::default();
    entity
        .hours
        .set(chrono::Weekday::Sat, Some(OpenHours::new("08:00", "17:00")));
    calendar::save(store.conn(), entity, Utc::now()).expect("save");
    let office = calendar::load_state_office(store.conn())
        .expect("load")
        .compile()
        .expect("compiles");
    let saturday = la("2026-03-07 10:00");
    let g = fallback::guidance(&office, saturday, true);
    assert_eq!(
        g.route,
        Route::Entac,
        "Saturday is outside the state office's hours"
    );
    assert!(g.hours_reading.contains("normal business hours"));
    let a = fallback::contact_answer(&office, saturday, true);
    assert_eq!(
        (a.contact, a.phone, a.email),
        ("entac", fallback::ENTAC_PHONE, None)
    );
    assert_eq!(
        a.next_business_day.as_deref(),
        Some("2026-03-09T08:00:00-07:00")
    );
    assert!(a.seed_words.contains("outside of normal business hours"));
    // No law enforcement need: the CISO at the next opening.
    let a = fallback::contact_answer(&office, saturday, false);
    assert_eq!((a.contact, a.email), ("ciso", Some(fallback::CISO_EMAIL)));
    assert_eq!(
        a.next_business_day.as_deref(),
        Some("2026-03-09T08:00:00-07:00")
    );
    // In the state office's hours: the CISO, no next day.
    let a = fallback::contact_answer(&office, la("2026-03-09 10:00"), true);
    assert_eq!((a.contact, a.next_business_day), ("ciso", None));
    // The state office calendar is edited on its own (an added holiday is an edit, not a release).
    let mut edited = BusinessCalendar::default();
    edited.closures.push(calendar::Closure {
        date: chrono::NaiveDate::from_ymd_opt(2026, 3, 9).expect("date"),
        label: "New state holiday".into(),
    });
    calendar::save_state_office(store.conn(), edited, Utc::now()).expect("save office");
    let office = calendar::load_state_office(store.conn())
        .expect("load")
        .compile()
        .expect("compiles");
    assert_eq!(
        fallback::contact_answer(&office, la("2026-03-09 10:00"), true).contact,
        "entac"
    );
    assert_eq!(
        calendar::load(store.conn()).expect("entity").hours.saturday,
        Some(OpenHours::new("08:00", "17:00"))
    );
}

#[test]
fn law_enforcement_sensitive_puts_cciu_first_in_the_phone_summary_and_the_fallback() {
    use desk_core::profile::Profile;
    use desk_core::report;
    use serde_json::json;
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    let conn = store.conn();
    let now = Utc::now();
    let id = report::create_draft(conn, &Profile::default(), now, &crate::common::actor())
        .expect("draft")
        .report_id;
    let discovered = (now - TimeDelta::minutes(50)).to_rfc3339();
    report::set_field(conn, &id, "incident.discovered_at", json!(discovered), now, &crate::common::actor())
        .expect("discovered");
    let summary = report::phone_summary(&report::get(conn, &id).expect("get"));
    assert!(!summary.contains("CCIU"), "{summary}");
    let owed = fallback::owed_reports_in(conn, now, fallback::NEAR).expect("owed");
    assert!(!owed[0].law_enforcement_sensitive);

    report::set_field(
        conn,
        &id,
        "incident.law_enforcement_sensitive",
        json!("yes"),
        now,
        &crate::common::actor(),
    )
    .expect("answer");
    let summary = report::phone_summary(&report::get(conn, &id).expect("get"));
    let lines: Vec<&str> = summary.lines().collect();
    assert!(
        lines[1].starts_with(
            "Law enforcement sensitive: contact the CHP Computer Crimes Investigation Unit (CCIU)"
        ),
        "{summary}"
    );
    assert!(
        lines[1].contains("still owed"),
        "the Cal-CSIRS report is still owed"
    );
    let owed = fallback::owed_reports_in(conn, now, fallback::NEAR).expect("owed");
    assert!(owed[0].law_enforcement_sensitive);
    // Exported and imported with the report (the portal body carries it too).
    let text = report::export(conn, &id).expect("export");
    assert!(text.contains("law_enforcement_sensitive"), "{text}");
}
