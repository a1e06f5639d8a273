//! The fallback when Cal-CSIRS is unreachable (seed 001 section 4): which contact for the hour on
//! the entity's business calendar, which reports are near their deadline, and the ENTAC call
//! record whose CISO follow-up stays open until done.

use crate::common::profile;
use chrono::{Duration, NaiveDate, Utc};
use chrono_tz::America::Los_Angeles;
use desk_core::calendar::{BusinessCalendar, Closure, OpenHours};
use desk_core::fallback::{self, Called, Route, CISO_EMAIL, CISO_PHONE, ENTAC_PHONE};
use desk_core::report::{self, ReportId, ReportSummary, State};
use desk_core::Store;
use serde_json::json;

use crate::common::{default_calendar as calendar, la};

#[test]
fn business_hours_call_the_ciso_whatever_the_need() {
    for law_enforcement in [false, true] {
        let g = fallback::guidance(&calendar(), la("2024-05-01 10:00"), law_enforcement);
        assert_eq!(g.route, Route::Ciso);
        assert!(g.business_hours);
        assert_eq!((g.contacts[0].phone, g.contacts[0].email), (CISO_PHONE, Some(CISO_EMAIL)));
        assert!(
            g.headline.contains("(916) 445-5239") && g.headline.contains("security@state.ca.gov"),
            "{}",
            g.headline
        );
        assert_eq!(g.next_business_opening, None);
        assert!(g.still_owed.contains("still owed"));
        assert!(g.seed_words.contains("offline during normal business hours"));
    }
}

#[test]
fn opening_is_open_and_closing_is_closed() {
    assert_eq!(fallback::guidance(&calendar(), la("2024-05-01 08:00"), true).route, Route::Ciso);
    assert_eq!(fallback::guidance(&calendar(), la("2024-05-01 16:59"), true).route, Route::Ciso);
    assert_eq!(fallback::guidance(&calendar(), la("2024-05-01 17:00"), true).route, Route::Entac);
    assert_eq!(fallback::guidance(&calendar(), la("2024-05-01 07:59"), true).route, Route::Entac);
}

#[test]
fn after_hours_with_law_enforcement_needed_call_entac_then_the_ciso_next_business_day() {
    let g = fallback::guidance(&calendar(), la("2024-05-01 20:00"), true);
    assert_eq!(g.route, Route::Entac);
    assert!(!g.business_hours && g.law_enforcement_needed);
    assert_eq!(g.contacts[0].phone, ENTAC_PHONE);
    assert!(g.contacts[0].hours.contains("24 hours"));
    assert_eq!(g.next_business_opening, Some(la("2024-05-02 08:00")));
    assert_eq!(g.next_business_opening_local.as_deref(), Some("Thu 2024-05-02 08:00 PDT"));
    assert!(
        g.steps.iter().any(|s| s.contains("Notify the CISO") && s.contains("Thu 2024-05-02 08:00 PDT")),
        "{:?}",
        g.steps
    );
    assert_eq!(g.reading, None);
}

#[test]
fn weekends_and_state_holidays_are_outside_business_hours() {
    // Saturday morning: ENTAC, the CISO on Monday.
    let g = fallback::guidance(&calendar(), la("2024-05-04 10:00"), true);
    assert_eq!((g.route, g.next_business_opening), (Route::Entac, Some(la("2024-05-06 08:00"))));
    // Independence Day (Thursday) at 10:00: closed, the CISO on Friday.
    let g = fallback::guidance(&calendar(), la("2024-07-04 10:00"), true);
    assert_eq!((g.route, g.next_business_opening), (Route::Entac, Some(la("2024-07-05 08:00"))));
    // Friday after Thanksgiving, then the weekend: Monday.
    let g = fallback::guidance(&calendar(), la("2024-11-29 09:00"), true);
    assert_eq!(g.next_business_opening, Some(la("2024-12-02 08:00")));
}

#[test]
fn after_hours_without_law_enforcement_the_report_waits_for_the_next_opening() {
    let g = fallback::guidance(&calendar(), la("2024-05-03 18:00"), false);
    assert_eq!(g.route, Route::CisoNextBusinessDay);
    assert_eq!(g.next_business_opening, Some(la("2024-05-06 08:00")));
    assert!(g.reading.is_some(), "the seed is silent here: the reading is shown");
    assert!(g.steps.iter().any(|s| s.contains(ENTAC_PHONE)), "ENTAC stays one step away: {:?}", g.steps);
}

#[test]
fn the_entitys_own_calendar_decides_the_hour() {
    let mut cal = BusinessCalendar::default();
    cal.hours.saturday = Some(OpenHours::new("09:00", "13:00"));
    cal.closures
        .push(Closure { date: NaiveDate::from_ymd_opt(2024, 5, 1).expect("date"), label: "Office move".into() });
    let compiled = cal.compile().expect("compiles");
    assert_eq!(fallback::guidance(&compiled, la("2024-05-04 10:00"), true).route, Route::Ciso, "open on Saturdays");
    let g = fallback::guidance(&compiled, la("2024-05-01 10:00"), true);
    assert_eq!((g.route, g.next_business_opening), (Route::Entac, Some(la("2024-05-02 08:00"))), "closure day");
    let new_york = BusinessCalendar { time_zone: "America/New_York".into(), ..BusinessCalendar::default() };
    // 06:00 in Sacramento is 09:00 in New York.
    assert_eq!(
        fallback::guidance(&new_york.compile().expect("compiles"), la("2024-05-01 06:00"), true).route,
        Route::Ciso
    );
}

fn summary(id: &str, state: State, discovered: Option<&str>) -> ReportSummary {
    let at = la("2024-05-01 09:00");
    ReportSummary {
        report_id: ReportId::from_stored(id.into()),
        state,
        title: format!("report {id}"),
        revision: 1,
        created_at: at,
        updated_at: at,
        discovered_at: discovered.map(la),
        cal_csirs_due_at: discovered.map(la).map(desk_core::report::deadline::cal_csirs_due),
        incident_number: None,
    }
}

#[test]
fn owed_reports_are_the_unsent_ones_near_or_past_their_sixty_minutes() {
    let now = la("2024-05-01 10:00");
    let reports = [
        summary("far", State::Queued, Some("2024-05-01 09:45")), // due 10:45: 45 min left
        summary("near", State::Queued, Some("2024-05-01 09:20")), // due 10:20: 20 min left
        summary("edge", State::Ready, Some("2024-05-01 09:30")), // due 10:30: exactly 30 min
        summary("late", State::Draft, Some("2024-05-01 08:30")), // due 09:30: 30 min over
        summary("sent", State::Sent, Some("2024-05-01 09:20")),  // received: nothing owed
        summary("unknown", State::Draft, None),                  // no discovery time yet
    ];
    let owed = fallback::owed_reports(&reports, now, fallback::NEAR);
    let ids: Vec<(&str, i64)> = owed.iter().map(|o| (o.report_id.as_str(), o.minutes_left)).collect();
    assert_eq!(ids, [("late", -30), ("near", 20), ("edge", 30)]);
    assert_eq!(owed[1].due_at, la("2024-05-01 10:20"));
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    (dir, store)
}

#[test]
fn owed_reports_come_from_the_store() {
    let (_dir, store) = store();
    let conn = store.conn();
    let now = Utc::now();
    let id = report::create_draft(conn, &profile(), now, &crate::common::actor()).expect("draft").report_id;
    let discovered = (now - Duration::minutes(50)).with_timezone(&Los_Angeles).to_rfc3339();
    report::set_field(conn, &id, "incident.discovered_at", json!(discovered), now, &crate::common::actor())
        .expect("discovered");
    let owed = fallback::owed_reports_in(conn, now, fallback::NEAR).expect("owed");
    assert_eq!(owed.len(), 1);
    assert_eq!((owed[0].report_id.as_str(), owed[0].state), (id.as_str(), State::Draft));
    assert!((9..=10).contains(&owed[0].minutes_left), "{}", owed[0].minutes_left);
}

#[test]
fn an_entac_call_leaves_the_ciso_follow_up_open_until_done() {
    let (_dir, store) = store();
    let conn = store.conn();
    let report_id =
        report::create_draft(conn, &profile(), Utc::now(), &crate::common::actor()).expect("draft").report_id;
    let friday_night = la("2024-05-03 22:15");
    let call = fallback::record_call(
        conn,
        &calendar(),
        Called::Entac,
        Some(report_id.as_str()),
        " Officer Diaz, ref 42 ",
        friday_night,
    )
    .expect("record");
    assert_eq!(
        (call.called, call.report_id.as_ref().map(ReportId::as_str), call.note.as_str()),
        (Called::Entac, Some(report_id.as_str()), "Officer Diaz, ref 42")
    );
    assert_eq!(call.ciso_due_at, Some(la("2024-05-06 08:00")), "the next business day is Monday");
    assert!(call.follow_up_open());
    assert_eq!(fallback::open_follow_ups(conn).expect("open"), vec![call.clone()]);

    let ciso =
        fallback::record_call(conn, &calendar(), Called::Ciso, None, "", la("2024-05-06 08:05")).expect("ciso call");
    assert_eq!(ciso.ciso_due_at, None, "a CISO call owes no follow-up");
    assert_eq!(fallback::ciso_notified(conn, ciso.id, Utc::now()).expect_err("nothing to close").code(), "conflict");

    let done = fallback::ciso_notified(conn, call.id, la("2024-05-06 08:05")).expect("done");
    assert_eq!(done.ciso_notified_at, Some(la("2024-05-06 08:05")));
    assert!(fallback::open_follow_ups(conn).expect("open").is_empty());
    assert_eq!(fallback::calls(conn).expect("calls").len(), 2);
}

#[test]
fn a_call_for_an_unknown_report_or_with_an_overlong_note_is_refused() {
    let (_dir, store) = store();
    let conn = store.conn();
    let now = la("2024-05-03 22:15");
    let err =
        fallback::record_call(conn, &calendar(), Called::Entac, Some("no-such-report"), "", now).expect_err("unknown");
    assert_eq!(err.code(), "not_found");
    let err = fallback::record_call(conn, &calendar(), Called::Entac, None, &"x".repeat(2_001), now).expect_err("long");
    assert_eq!(err.fields()[0].field, "note");
    assert!(fallback::calls(conn).expect("calls").is_empty(), "nothing written");
}
