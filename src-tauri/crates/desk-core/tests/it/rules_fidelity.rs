//! Issue 13, second pass on the seeds: SEN timelines around holidays, weekends, closing time and
//! the November DST change; late and in-time more-time requests; a findings date on a closed day;
//! the repeated DST hour on a 24/7 calendar; the fallback on the state office calendar; help
//! requests in time and late; SIMM 5335-A Table 2 per level; a state holiday added by edit; the
//! readings shown with the seed's words.

use chrono::{DateTime, TimeDelta, Utc};
use desk_core::calendar::{self, BusinessCalendar, OpenHours, WeeklyHours};
use desk_core::fallback::{self, Route};
use desk_core::sen::deadlines::{status, DeterminationTimes, Outcome, Schedule, StageState};
use desk_core::sen::levels::{EscalationClock, Stage};
use desk_core::Store;

use crate::common::{default_calendar as calendar, la, plan, plan_with, sent, utc};

fn dues(s: &Schedule) -> [DateTime<Utc>; 3] {
    [s.stages[0].due, s.stages[1].due, s.stages[2].due]
}

fn ladder(s: &Schedule, stage: Stage) -> Vec<(DateTime<Utc>, bool)> {
    s.escalations.iter().filter(|e| e.stage == stage).map(|e| (e.at, e.averted)).collect()
}

fn at(s: &Schedule, stage: Stage) -> Vec<DateTime<Utc>> {
    ladder(s, stage).into_iter().map(|(t, _)| t).collect()
}

#[test]
fn high_sent_friday_1630_before_martin_luther_king_jr_day() {
    // MLK Day 2026 is Monday 19 January (3rd Monday): 30 min on Friday, then Tuesday.
    let s = plan("high", &sent(la("2026-01-16 16:30")));
    assert_eq!(dues(&s), [la("2026-01-20 09:30"), la("2026-01-20 13:30"), la("2026-01-20 14:30")]);
    assert_eq!(at(&s, Stage::Acknowledge), [la("2026-01-20 09:30"), la("2026-01-20 10:00"), la("2026-01-20 10:30")]);
    assert_eq!(at(&s, Stage::Determine), [la("2026-01-20 13:30"), la("2026-01-20 14:00"), la("2026-01-20 14:30")]);
    assert_eq!(at(&s, Stage::Record), [la("2026-01-20 14:30"), la("2026-01-20 15:00"), la("2026-01-20 15:30")]);
    // Monday (the holiday) counts nothing: the acknowledgement still has 90 business minutes.
    let st = status(&s, &calendar(), la("2026-01-19 12:00"));
    assert_eq!(st.stages[0].business_minutes_left, Some(90));
}

#[test]
fn medium_sent_on_a_saturday_starts_at_monday_opening() {
    let s = plan("medium", &sent(la("2026-03-07 10:00")));
    assert_eq!(dues(&s), [la("2026-03-09 10:00"), la("2026-03-09 14:00"), la("2026-03-09 16:00")]);
    assert_eq!(at(&s, Stage::Acknowledge), [la("2026-03-09 10:00"), la("2026-03-09 10:30"), la("2026-03-09 11:00")]);
    assert_eq!(at(&s, Stage::Record), [la("2026-03-09 16:00"), la("2026-03-09 16:30"), la("2026-03-09 17:00")]);
}

#[test]
fn critical_across_the_november_dst_change_through_all_three_stages() {
    // 1 November 2026: 02:00 PDT becomes 01:00 PST. Clock hours are real elapsed time.
    let mut times = sent(utc("2026-11-01T00:30:00-07:00"));
    let s = plan("critical", &times);
    assert_eq!(dues(&s), [utc("2026-11-01T08:30:00Z"), utc("2026-11-01T10:30:00Z"), utc("2026-11-01T11:00:00Z")]);
    assert_eq!(
        at(&s, Stage::Acknowledge),
        [utc("2026-11-01T08:30:00Z"), utc("2026-11-01T10:00:00Z"), utc("2026-11-01T10:30:00Z")]
    );
    assert_eq!(
        at(&s, Stage::Determine),
        [utc("2026-11-01T10:30:00Z"), utc("2026-11-01T11:00:00Z"), utc("2026-11-01T11:30:00Z")]
    );
    assert_eq!(
        at(&s, Stage::Record),
        [utc("2026-11-01T11:00:00Z"), utc("2026-11-01T11:30:00Z"), utc("2026-11-01T13:30:00Z")]
    );

    // Acknowledged at 01:10 PST (the second 01:10): 40 min late, level 1 passed, 2 and 3 averted.
    times.acknowledged_at = Some(utc("2026-11-01T01:10:00-08:00"));
    let s = plan("critical", &times);
    assert_eq!(s.stages[1].due, utc("2026-11-01T11:10:00Z"));
    let ack = ladder(&s, Stage::Acknowledge);
    assert_eq!(ack.iter().map(|e| e.1).collect::<Vec<_>>(), [false, true, true]);
    assert_eq!(
        at(&s, Stage::Determine),
        [utc("2026-11-01T11:10:00Z"), utc("2026-11-01T11:40:00Z"), utc("2026-11-01T12:10:00Z")]
    );
    let st = status(&s, &calendar(), utc("2026-11-01T09:20:00Z"));
    assert_eq!(st.stages[0].state, StageState::Done { at: utc("2026-11-01T09:10:00Z"), late_by_minutes: 40 });

    // Determined (confirmed) at 02:40 PST, linked 25 min later: everything after averted.
    times.determination = Some(DeterminationTimes {
        at: utc("2026-11-01T02:40:00-08:00"),
        outcome: Outcome::ConfirmedIncident,
        findings_by: None,
        requested_at: None,
        help_requested_at: None,
    });
    times.linked_at = Some(utc("2026-11-01T11:05:00Z"));
    let s = plan("critical", &times);
    assert_eq!(s.stages[2].due, utc("2026-11-01T11:10:00Z"));
    assert_eq!(
        at(&s, Stage::Record),
        [utc("2026-11-01T11:10:00Z"), utc("2026-11-01T11:40:00Z"), utc("2026-11-01T13:40:00Z")]
    );
    assert!(ladder(&s, Stage::Determine).iter().chain(&ladder(&s, Stage::Record)).all(|e| e.1));
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
    assert_eq!(dues(&s), [la("2026-03-02 17:00"), la("2026-03-03 12:00"), la("2026-03-03 13:00")]);
    let st = status(&s, &calendar(), la("2026-03-02 17:00"));
    assert_eq!(st.stages[0].state, StageState::Done { at: la("2026-03-02 17:00"), late_by_minutes: 0 });
    assert!(ladder(&s, Stage::Acknowledge).iter().all(|e| e.1), "no acknowledgement escalation");
}

fn more_time(requested: DateTime<Utc>, by: DateTime<Utc>) -> Option<DeterminationTimes> {
    Some(DeterminationTimes {
        at: requested,
        outcome: Outcome::MoreTime,
        findings_by: Some(by),
        requested_at: Some(requested),
        help_requested_at: None,
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
    assert_eq!(at(&s, Stage::Determine), [la("2026-03-02 13:30"), la("2026-03-02 14:00"), la("2026-03-02 14:30")]);
    let st = status(&s, &calendar(), la("2026-03-02 14:05"));
    assert_eq!(st.stages[1].state, StageState::Overdue { minutes: 35 });
    let passed: Vec<u8> = st.escalated.iter().filter(|e| e.stage == Stage::Determine).map(|e| e.level).collect();
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
    assert_eq!(s.stages[1].due, la("2026-03-15 12:00"), "the date the entity gave");
    assert_eq!(at(&s, Stage::Determine), [la("2026-03-16 08:00"), la("2026-03-16 08:30"), la("2026-03-16 09:00")]);
    assert_eq!(s.stages[2].due, la("2026-03-16 09:00"), "record projected from the rolled date");
    // Medium rolls the same way.
    let m = plan("medium", &times);
    assert_eq!(at(&m, Stage::Determine), [la("2026-03-16 08:00"), la("2026-03-16 08:30"), la("2026-03-16 09:00")]);
    // On the literal clock-hour reading nothing is closed: the ladder stays on Sunday.
    let c = plan_with("high", &times, EscalationClock::LiteralClockHours);
    assert_eq!(at(&c, Stage::Determine), [la("2026-03-15 12:00"), la("2026-03-15 12:30"), la("2026-03-15 13:00")]);
    // A findings date exactly at a closing stays there (that closing, not the next morning).
    times.determination = more_time(la("2026-03-09 11:00"), la("2026-03-12 17:00"));
    let s = plan("high", &times);
    assert_eq!(at(&s, Stage::Determine), [la("2026-03-12 17:00"), la("2026-03-13 08:30"), la("2026-03-13 09:00")]);
}

fn all_week() -> BusinessCalendar {
    let mut hours = WeeklyHours::default();
    for (day, _) in WeeklyHours::DAYS {
        hours.set(day, Some(OpenHours::new("00:00", "23:59")));
    }
    BusinessCalendar { hours, california_holidays: false, ..BusinessCalendar::default() }
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
            assert!(end > start, "{start} + {minutes} business min = {end} went backwards");
            let shorter = cal.add_business_minutes(start, minutes - 1);
            assert!(end >= shorter, "{start}: {minutes} min ends before {} min", minutes - 1);
        }
    }
    // 01:30 PST (the second pass) + 10 min is 01:40 PST, not 01:40 PDT.
    assert_eq!(cal.add_business_minutes(utc("2026-11-01T01:30:00-08:00"), 10), utc("2026-11-01T01:40:00-08:00"));
}

#[test]
fn the_fallback_keeps_the_state_office_hours_whatever_the_entity_calendar_says() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    // The entity is open on Saturdays.
    let mut entity = BusinessCalendar::default();
    entity.hours.set(chrono::Weekday::Sat, Some(OpenHours::new("08:00", "17:00")));
    calendar::save(store.conn(), entity, Utc::now()).expect("save");
    let office = calendar::load_state_office(store.conn()).expect("load").compile().expect("compiles");
    let saturday = la("2026-03-07 10:00");
    let g = fallback::guidance(&office, saturday, true);
    assert_eq!(g.route, Route::Entac, "Saturday is outside the state office's hours");
    assert!(g.hours_reading.contains("normal business hours"));
    let a = fallback::contact_answer(&office, saturday, true);
    assert_eq!((a.contact, a.phone, a.email), ("entac", fallback::ENTAC_PHONE, None));
    assert_eq!(a.next_business_day.as_deref(), Some("2026-03-09T08:00:00-07:00"));
    assert!(a.seed_words.contains("outside of normal business hours"));
    // No law enforcement need: the CISO at the next opening.
    let a = fallback::contact_answer(&office, saturday, false);
    assert_eq!((a.contact, a.email), ("ciso", Some(fallback::CISO_EMAIL)));
    assert_eq!(a.next_business_day.as_deref(), Some("2026-03-09T08:00:00-07:00"));
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
    let office = calendar::load_state_office(store.conn()).expect("load").compile().expect("compiles");
    assert_eq!(fallback::contact_answer(&office, la("2026-03-09 10:00"), true).contact, "entac");
    assert_eq!(calendar::load(store.conn()).expect("entity").hours.saturday, Some(OpenHours::new("08:00", "17:00")));
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
    let id = report::create_draft(conn, &Profile::default(), now, &crate::common::actor()).expect("draft").report_id;
    let discovered = (now - TimeDelta::minutes(50)).to_rfc3339();
    report::set_field(conn, &id, "incident.discovered_at", json!(discovered), now, &crate::common::actor())
        .expect("discovered");
    let summary = report::phone_summary(&report::get(conn, &id).expect("get"));
    assert!(!summary.contains("CCIU"), "{summary}");
    let owed = fallback::owed_reports_in(conn, now, fallback::NEAR).expect("owed");
    assert!(!owed[0].law_enforcement_sensitive);

    report::set_field(conn, &id, "incident.law_enforcement_sensitive", json!("yes"), now, &crate::common::actor())
        .expect("answer");
    let summary = report::phone_summary(&report::get(conn, &id).expect("get"));
    let lines: Vec<&str> = summary.lines().collect();
    assert!(
        lines[1].starts_with("Law enforcement sensitive: contact the CHP Computer Crimes Investigation Unit (CCIU)"),
        "{summary}"
    );
    assert!(lines[1].contains("still owed"), "the Cal-CSIRS report is still owed");
    let owed = fallback::owed_reports_in(conn, now, fallback::NEAR).expect("owed");
    assert!(owed[0].law_enforcement_sensitive);
    // Exported and imported with the report (the portal body carries it too).
    let text = report::export(conn, &id).expect("export");
    assert!(text.contains("law_enforcement_sensitive"), "{text}");
}

// ---- help requests (seed 002 III.A 3d, seed 000 Cal-CSIC) ----------------------------------------

fn help(requested: DateTime<Utc>) -> Option<DeterminationTimes> {
    Some(DeterminationTimes {
        at: requested,
        outcome: Outcome::RequestHelp,
        findings_by: None,
        requested_at: None,
        help_requested_at: Some(requested),
    })
}

/// High, sent Monday 2 March 2026 09:00, acknowledged 09:30: the determination is due 13:30.
fn acked_high() -> desk_core::sen::deadlines::SenTimes {
    let mut times = sent(la("2026-03-02 09:00"));
    times.acknowledged_at = Some(la("2026-03-02 09:30"));
    times
}

#[test]
fn a_help_request_in_time_stops_the_determination_clock_and_its_escalations() {
    let mut times = acked_high();
    times.determination = help(la("2026-03-02 13:00"));
    let s = plan("high", &times);
    let det = &s.stages[1];
    assert_eq!(det.help_requested_at, Some(la("2026-03-02 13:00")));
    assert!(det.help_pending && s.stages[2].help_pending);
    assert_eq!(det.due, la("2026-03-02 13:30"), "the due time that was in force");
    assert!(
        ladder(&s, Stage::Determine).iter().all(|e| e.1),
        "a help request in time averts the determination's escalations"
    );
    // Hours later: no overdue, no escalation, nothing to remind of.
    let now = la("2026-03-03 16:00");
    let st = status(&s, &calendar(), now);
    assert_eq!(st.stages[1].state, StageState::HelpRequested { since: la("2026-03-02 13:00") });
    assert!(st.stages[1].text.contains("help requested"), "{}", st.stages[1].text);
    assert_eq!(st.stages[2].state, StageState::Waiting);
    assert!(st.escalated.is_empty() && st.next_escalation.is_none());
    assert_eq!(st.current_stage, Some(Stage::Determine));
    let clock = desk_core::reminders::SenClock {
        sen_number: crate::common::sen_number("SOC-0777"),
        level: "high".into(),
        level_label: "High".into(),
        summary: String::new(),
        schedule: s.clone(),
    };
    let outlook = desk_core::reminders::outlook(&[clock], &[], &calendar(), now);
    assert_eq!((outlook.overdue, outlook.next), (0, None), "the tray shows no false overdue");

    // The final determination made the next day is on time; the record stage starts from it.
    times.determination = Some(DeterminationTimes {
        at: la("2026-03-03 10:00"),
        outcome: Outcome::ConfirmedIncident,
        findings_by: None,
        requested_at: None,
        help_requested_at: Some(la("2026-03-02 13:00")),
    });
    let s = plan("high", &times);
    assert!(!s.stages[1].help_pending && !s.stages[2].help_pending);
    let st = status(&s, &calendar(), la("2026-03-03 10:05"));
    assert_eq!(st.stages[1].state, StageState::Done { at: la("2026-03-03 10:00"), late_by_minutes: 0 });
    assert_eq!((s.stages[2].start, s.stages[2].due), (la("2026-03-03 10:00"), la("2026-03-03 11:00")));

    // Exactly at the due time is still in time; Critical (clock hours) the same.
    times.determination = help(la("2026-03-02 13:30"));
    assert!(plan("high", &times).stages[1].help_pending);
    let mut critical = sent(la("2026-11-01 00:30"));
    critical.acknowledged_at = Some(la("2026-11-01 01:00"));
    critical.determination = help(utc("2026-11-01T01:30:00-08:00"));
    assert!(plan("critical", &critical).stages[1].help_pending);
}

#[test]
fn a_late_help_request_leaves_the_stage_late_and_passed_escalations_passed() {
    let mut times = acked_high();
    times.determination = help(la("2026-03-02 14:00"));
    let s = plan("high", &times);
    let det = &s.stages[1];
    assert_eq!(det.help_requested_at, None);
    assert!(!det.help_pending);
    assert_eq!(det.late_request_at, Some(la("2026-03-02 14:00")));
    assert_eq!(det.due, la("2026-03-02 13:30"));
    let st = status(&s, &calendar(), la("2026-03-02 14:05"));
    assert_eq!(st.stages[1].state, StageState::Overdue { minutes: 35 });
    assert!(st.stages[1].text.contains("does not move it"), "{}", st.stages[1].text);
    let passed: Vec<u8> = st.escalated.iter().filter(|e| e.stage == Stage::Determine).map(|e| e.level).collect();
    assert_eq!(passed, [1, 2]);
    // A final determination after it is late by the whole delay.
    times.determination = Some(DeterminationTimes {
        at: la("2026-03-02 15:00"),
        outcome: Outcome::FalsePositive,
        findings_by: None,
        requested_at: None,
        help_requested_at: Some(la("2026-03-02 14:00")),
    });
    let st = status(&plan("high", &times), &calendar(), la("2026-03-02 15:00"));
    assert_eq!(st.stages[1].state, StageState::Done { at: la("2026-03-02 15:00"), late_by_minutes: 90 });
}

#[test]
fn help_and_more_time_requests_count_in_the_order_they_were_made() {
    // More time in time (to Thursday), then help on Wednesday (before the new due): help counts.
    let mut times = acked_high();
    times.determination = Some(DeterminationTimes {
        at: la("2026-03-04 10:00"),
        outcome: Outcome::RequestHelp,
        findings_by: Some(la("2026-03-05 12:00")),
        requested_at: Some(la("2026-03-02 13:00")),
        help_requested_at: Some(la("2026-03-04 10:00")),
    });
    let s = plan("high", &times);
    assert!(s.stages[1].help_pending);
    assert_eq!(s.stages[1].due, la("2026-03-05 12:00"));
    // Help on Friday, after the Thursday findings date: late, the findings date stands.
    if let Some(d) = times.determination.as_mut() {
        d.at = la("2026-03-06 10:00");
        d.help_requested_at = Some(la("2026-03-06 10:00"));
    }
    let s = plan("high", &times);
    assert!(!s.stages[1].help_pending);
    assert_eq!(s.stages[1].due, la("2026-03-05 12:00"));
    assert_eq!(s.stages[1].late_request_at, Some(la("2026-03-06 10:00")));
    // Help first, then more time with a date: the date gives the stage a deadline again.
    times.determination = Some(DeterminationTimes {
        at: la("2026-03-03 09:00"),
        outcome: Outcome::MoreTime,
        findings_by: Some(la("2026-03-06 12:00")),
        requested_at: Some(la("2026-03-03 09:00")),
        help_requested_at: Some(la("2026-03-02 13:00")),
    });
    let s = plan("high", &times);
    assert!(!s.stages[1].help_pending);
    assert_eq!(s.stages[1].due, la("2026-03-06 12:00"));
}

fn open_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    (dir, store)
}

fn outbox_payloads(store: &Store) -> Vec<serde_json::Value> {
    let mut stmt =
        store.conn().prepare("SELECT payload FROM outbox WHERE kind = 'determination' ORDER BY id").expect("prepare");
    stmt.query_map([], |r| r.get::<_, String>(0))
        .expect("query")
        .map(|p| serde_json::from_str(&p.expect("row")).expect("json"))
        .collect()
}

#[test]
fn a_help_request_is_recorded_sent_as_more_time_and_a_final_determination_follows() {
    use desk_core::sen::store::{self as sen_store, Determination, NewSen, SenStatus, Source};
    use desk_core::sen::HELP_DETAILS_PREFIX;
    use serde_json::json;
    let (_dir, store) = open_store();
    let conn = store.conn();
    let actor = crate::common::actor();
    sen_store::create(
        conn,
        NewSen {
            sen_number: "SOC-0777".into(),
            level: "high".into(),
            sent_at: la("2026-03-02 09:00"),
            summary: String::new(),
            source: Source::Manual,
        },
        la("2026-03-02 09:01"),
        &actor,
    )
    .expect("create");
    let values = [("findings_by".to_string(), "end of day".to_string())].into();
    sen_store::acknowledge(
        conn,
        &crate::common::sen_number("SOC-0777"),
        "investigating",
        &values,
        la("2026-03-02 09:30"),
        &actor,
    )
    .expect("ack");
    let ask = |findings_by| Determination {
        outcome: Outcome::RequestHelp,
        details: "  The beaconing host is a vendor appliance we cannot inspect. ".into(),
        findings_by,
    };
    let err = sen_store::determine(
        conn,
        &crate::common::sen_number("SOC-0777"),
        ask(Some(la("2026-03-04 12:00"))),
        la("2026-03-02 13:00"),
        &actor,
    )
    .expect_err("no findings date with a help request");
    assert_eq!(err.fields()[0].field, "findings_by");
    let sen =
        sen_store::determine(conn, &crate::common::sen_number("SOC-0777"), ask(None), la("2026-03-02 13:00"), &actor)
            .expect("help");
    assert_eq!(
        (sen.status, sen.outcome, sen.help_requested_at, sen.findings_by),
        (SenStatus::HelpRequested, Some(Outcome::RequestHelp), Some(la("2026-03-02 13:00")), None)
    );
    assert_eq!(
        outbox_payloads(&store),
        [json!({
            "at": "2026-03-02T21:00:00.000000Z",
            "outcome": "more_time",
            "details": format!("{HELP_DETAILS_PREFIX}The beaconing host is a vendor appliance we cannot inspect."),
        })]
    );
    let history = sen_store::history(conn, &crate::common::sen_number("SOC-0777")).expect("history");
    let last = history.last().expect("entry");
    assert_eq!((last.event.as_str(), &last.detail["outcome"]), ("determined", &json!("request_help")));
    assert_eq!(last.detail["sent_as"]["outcome"], json!("more_time"));
    // Still open on the board, with no running determination deadline.
    let card = desk_core::sen::card(sen.clone(), &calendar(), EscalationClock::SameAsWindow, la("2026-03-03 16:00"));
    let st = card.status.expect("status");
    assert!(matches!(st.stages[1].state, StageState::HelpRequested { .. }));
    assert!(st.escalated.is_empty());

    // The final determination later: on time, the help request kept.
    let sen = sen_store::determine(
        conn,
        &crate::common::sen_number("SOC-0777"),
        Determination {
            outcome: Outcome::ConfirmedIncident,
            details: "The SOC found the C2 traffic.".into(),
            findings_by: None,
        },
        la("2026-03-03 10:00"),
        &actor,
    )
    .expect("confirmed");
    assert_eq!(
        (sen.status, sen.outcome, sen.help_requested_at),
        (SenStatus::Confirmed, Some(Outcome::ConfirmedIncident), Some(la("2026-03-02 13:00")))
    );
    let card = desk_core::sen::card(sen, &calendar(), EscalationClock::SameAsWindow, la("2026-03-03 10:05"));
    assert_eq!(
        card.status.expect("status").stages[1].state,
        StageState::Done { at: la("2026-03-03 10:00"), late_by_minutes: 0 }
    );
    assert_eq!(outbox_payloads(&store)[1]["outcome"], json!("confirmed_incident"));
}

#[test]
fn a_late_help_request_made_through_the_store_stays_late_after_the_final_determination() {
    use desk_core::sen::store::{self as sen_store, Determination, NewSen, Source};
    let (_dir, store) = open_store();
    let conn = store.conn();
    let actor = crate::common::actor();
    let new = NewSen {
        sen_number: "SOC-0778".into(),
        level: "high".into(),
        sent_at: la("2026-03-02 09:00"),
        summary: String::new(),
        source: Source::Manual,
    };
    sen_store::create(conn, new, la("2026-03-02 09:01"), &actor).expect("create");
    let values = [("findings_by".to_string(), "end of day".to_string())].into();
    sen_store::acknowledge(
        conn,
        &crate::common::sen_number("SOC-0778"),
        "investigating",
        &values,
        la("2026-03-02 09:30"),
        &actor,
    )
    .expect("ack");
    let late = Determination { outcome: Outcome::RequestHelp, details: "Need help.".into(), findings_by: None };
    sen_store::determine(conn, &crate::common::sen_number("SOC-0778"), late, la("2026-03-02 14:00"), &actor)
        .expect("help");
    let done = Determination { outcome: Outcome::FalsePositive, details: "Scanner.".into(), findings_by: None };
    let sen = sen_store::determine(conn, &crate::common::sen_number("SOC-0778"), done, la("2026-03-02 15:00"), &actor)
        .expect("fp");
    let card = desk_core::sen::card(sen, &calendar(), EscalationClock::SameAsWindow, la("2026-03-02 15:00"));
    assert_eq!(
        card.status.expect("status").stages[1].state,
        StageState::Done { at: la("2026-03-02 15:00"), late_by_minutes: 90 }
    );
}

// ---- SIMM 5335-A Table 2 and Table 3 ------------------------------------------------------------

#[test]
fn table_2_who_the_soc_phones_and_emails_per_level() {
    use desk_core::sen::levels::{escalation_level, initial_distribution, ESCALATION_LADDER};
    let order = [
        "Designated entity ISO",
        "Designated entity backup ISO",
        "Designated entity CIO",
        "Designated entity backup CIO",
        "Designated AISO",
        "Designated entity backup AISO",
    ];
    let email =
        ["Designated entity ISO", "Designated entity backup ISO", "Entity established SOC notify group email address"];
    for (level, phoned) in [("critical", &order[..]), ("High", &order[..]), ("medium", &[][..])] {
        let d = initial_distribution(level).expect(level);
        assert_eq!(d.from, "SOC Analyst", "{level}");
        assert_eq!(d.telephone, phoned, "{level}");
        assert_eq!(d.email, email, "{level}");
    }
    assert!(initial_distribution("low").is_none(), "levels this edition has no row for");
    // Table 3: every level has its sender, calls and copies, not only its recipient.
    assert_eq!(ESCALATION_LADDER.len(), 3);
    for level in 1..=3 {
        let l = escalation_level(level).expect("level");
        assert!(!l.email_from.is_empty() && !l.telephone.is_empty() && !l.email_copies.is_empty());
        assert!(l.email_copies.contains(&"Entity established SOC notify group email address"));
    }
    assert_eq!(escalation_level(2).expect("2").email_from, "Cal-CSIRS or SIPM");
}

// ---- holidays as data ----------------------------------------------------------------------------

#[test]
fn a_state_holiday_added_by_edit_moves_a_high_sens_deadline_and_the_fallback() {
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 10).expect("date");
    let mut cal = BusinessCalendar::default();
    let before = desk_core::sen::deadlines::schedule(
        desk_core::sen::levels::rule("high").expect("high"),
        &cal.compile().expect("compiles"),
        &sent(la("2026-03-09 16:00")),
        EscalationClock::SameAsWindow,
    );
    assert_eq!(before.stages[0].due, la("2026-03-10 09:00"));
    cal.added_state_holidays.push(calendar::Closure { date, label: " New state holiday (by statute) ".into() });
    let compiled = cal.compile().expect("compiles");
    let after = desk_core::sen::deadlines::schedule(
        desk_core::sen::levels::rule("high").expect("high"),
        &compiled,
        &sent(la("2026-03-09 16:00")),
        EscalationClock::SameAsWindow,
    );
    assert_eq!(after.stages[0].due, la("2026-03-11 09:00"), "Tuesday is now closed");
    assert_eq!(compiled.closure_reason(date).as_deref(), Some(" New state holiday (by statute) "));
    // Listed with the year's holidays, as an added one.
    let days = cal.clone().normalized().closed_days(2026);
    let added: Vec<_> = days.iter().filter(|d| d.kind == "added_state_holiday").collect();
    assert_eq!(added.len(), 1);
    assert_eq!((added[0].date, added[0].label.as_str()), (date, "New state holiday (by statute)"));
    assert!(days.iter().any(|d| d.kind == "california_holiday" && d.label == "Martin Luther King Jr. Day"));
    // A name is required.
    let mut unnamed = BusinessCalendar::default();
    unnamed.added_state_holidays.push(calendar::Closure { date, label: "  ".into() });
    assert_eq!(unnamed.validate()[0].field, "added_state_holidays.0.label");
    // With the state holidays off, the added ones are off too (they are state holidays).
    let mut off = cal.clone();
    off.california_holidays = false;
    assert!(!off.compile().expect("compiles").is_closed_day(date));

    // Saved: an edit of the calendar, and the state office calendar (the fallback) closes too.
    let (_dir, store) = open_store();
    calendar::save(store.conn(), cal, Utc::now()).expect("save");
    let office = calendar::load_state_office(store.conn()).expect("office");
    assert_eq!(office.added_state_holidays.len(), 1);
    let office = office.compile().expect("compiles");
    assert_eq!(fallback::contact_answer(&office, la("2026-03-10 10:00"), true).contact, "entac");
    assert!(calendar::HOLIDAYS_SOURCE.contains("Government Code section 19853"));
    // The one-step edit (CLI): a second date, and the first renamed.
    let later = chrono::NaiveDate::from_ymd_opt(2027, 6, 18).expect("date");
    calendar::add_state_holiday(store.conn(), later, "Another", Utc::now()).expect("add");
    let saved = calendar::add_state_holiday(store.conn(), date, "Renamed", Utc::now()).expect("rename");
    let names: Vec<&str> = saved.added_state_holidays.iter().map(|h| h.label.as_str()).collect();
    assert_eq!(names, ["Renamed", "Another"]);
    assert_eq!(
        calendar::load_state_office(store.conn()).expect("office").added_state_holidays,
        saved.added_state_holidays
    );
    let err = calendar::add_state_holiday(store.conn(), later, " ", Utc::now()).expect_err("a name");
    assert!(err.fields()[0].field.starts_with("added_state_holidays."));
}

// ---- readings shown with the seed's words --------------------------------------------------------

#[test]
fn readings_carry_the_seeds_words() {
    use desk_core::report::{deadlines, ReportDoc};
    use desk_core::sen::levels::SEN_READINGS;
    let mut doc = ReportDoc::default();
    doc.federal.category = "cat_2".into();
    let d = deadlines(&doc).federal.expect("federal");
    assert!(d
        .reading
        .expect("reading")
        .contains("still ongoing and the agency is unable to successfully mitigate activity"));
    doc.federal.cat2_ongoing_unmitigated = true;
    assert_eq!(deadlines(&doc).federal.expect("federal").reading, None);
    doc.federal.category = "cat_3".into();
    doc.federal.cat3_widespread = true;
    assert_eq!(deadlines(&doc).federal.expect("federal").reading, None);
    doc.federal.cat3_quarantined_by_av = true;
    let d = deadlines(&doc).federal.expect("federal");
    assert!(d.reading.expect("reading").contains("widespread as beating quarantined"));
    assert!(SEN_READINGS.clock_hours.contains("one (1) clock hour"));
    assert!(SEN_READINGS.projections.contains("from the time a SEN is acknowledged"));
    assert!(SEN_READINGS.initial_distribution.contains("best reading of the table layout"));
    assert!(fallback::READING_NO_LAW_ENFORCEMENT.contains("when business hours start"));
    let help = desk_core::sen::HELP_GUIDE;
    assert!(help.seed_words.contains("may request SOC assistance with making a determination"));
    assert!(help.contacts.iter().any(|c| c.id == "cal_csic" && c.phone.is_none()));
}
