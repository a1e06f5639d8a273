//! The deadline calendar feed, read back by a real iCalendar parser (the icalendar crate's) from
//! the file a calendar subscribes to: a SEN's acknowledgement stage appears with its alarms, moves
//! (same UID, higher SEQUENCE, new DTSTART) when the calendar changes and when the SEN is
//! acknowledged (the determination stage starts for real), and is cancelled when done; SEQUENCE
//! only grows, across restarts (the state is in the database).

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use desk_core::calendar::{self, Closure};
use desk_core::sen::store as sens;
use desk_core::sen::{Determination, NewSen, Outcome, Source};
use desk_core::{feed, Store};
use icalendar::{Calendar, Component, EventStatus};
use std::collections::BTreeMap;
use std::path::Path;

use crate::common::la;

const SUMMARY: &str = "Beaconing from host WS-17 to a known C2 address";
const ACK: &str = "sen-SOC-0123-acknowledge@incident-desk";
const DETERMINE: &str = "sen-SOC-0123-determine@incident-desk";

#[derive(Debug, Clone, PartialEq)]
struct Seen {
    sequence: u32,
    start: String,
    status: Option<EventStatus>,
    summary: String,
    alarms: Vec<String>,
}

/// Refreshes the feed, writes the file where a calendar subscribes (as the app does), and reads the
/// FILE back, as a subscriber would.
fn subscribe(store: &Store, dir: &Path, now: DateTime<Utc>) -> (String, BTreeMap<String, Seen>) {
    let text = feed::refresh(store.conn(), now).expect("refresh");
    let file = feed::file_path(dir);
    feed::write_file(&file, &text).expect("write feed");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the feed is owner-only");
    }
    assert!(!file.with_file_name(".deadlines.ics.partial").exists(), "renamed into place");
    let read = std::fs::read_to_string(&file).expect("read feed");
    let calendar: Calendar = read.parse().expect("a valid iCalendar file");
    let mut events = BTreeMap::new();
    for event in calendar.events() {
        let start = event.property_value("DTSTART").expect("DTSTART").to_string();
        let alarms = event
            .components()
            .iter()
            .filter(|c| c.component_kind() == "VALARM")
            .map(|c| c.property_value("TRIGGER").expect("TRIGGER").to_string())
            .collect();
        events.insert(
            event.get_uid().expect("UID").to_string(),
            Seen {
                sequence: event.get_sequence().expect("SEQUENCE"),
                start,
                status: event.get_status(),
                summary: event.get_summary().expect("SUMMARY").to_string(),
                alarms,
            },
        );
    }
    (read, events)
}

#[test]
fn a_stage_appears_moves_and_is_cancelled_in_the_subscribed_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sent = la("2026-03-09 09:00"); // a Monday
    let mut store = Store::open_in_dir(dir.path()).expect("open");
    let new = NewSen {
        sen_number: "SOC-0123".into(),
        level: "high".into(),
        sent_at: sent,
        summary: SUMMARY.into(),
        source: Source::Manual,
    };
    sens::create(store.conn(), new, sent, &crate::common::actor()).expect("create SEN");

    // Appears: the open stage with its alarms, the next one projected, the escalations.
    let now = sent + TimeDelta::minutes(5);
    let (text, first) = subscribe(&store, dir.path(), now);
    assert!(!text.contains(SUMMARY) && !text.contains("WS-17"), "the SOC's summary never leaves the window:\n{text}");
    let ack = first.get(ACK).expect("the acknowledgement stage is in the feed").clone();
    assert_eq!(ack.sequence, 0);
    assert_eq!(ack.status, Some(EventStatus::Confirmed));
    assert_eq!(ack.summary, "SEN SOC-0123 (High): acknowledge due");
    assert!(!ack.alarms.is_empty(), "alarms at the reminder times");
    assert!(ack.alarms.iter().any(|t| t == "-PT900S"), "15 minutes before by default: {:?}", ack.alarms);
    let det = first.get(DETERMINE).expect("the determination stage, projected").clone();
    assert!(det.summary.ends_with("(projected)"), "{}", det.summary);
    assert!(first.keys().any(|uid| uid.starts_with("sen-SOC-0123-acknowledge-escalation-")), "{:?}", first.keys());

    // The same data again: the same bytes, the same SEQUENCE (a subscriber sees no change).
    let (again, _) = subscribe(&store, dir.path(), now + TimeDelta::minutes(1));
    assert_eq!(again, text);

    // Moves: the day becomes a closure day, so the business-hours window starts the next day.
    let mut cal = calendar::load(store.conn()).expect("calendar");
    cal.merge_closures(vec![Closure {
        date: NaiveDate::from_ymd_opt(2026, 3, 9).expect("date"),
        label: "Office closed".into(),
    }]);
    calendar::save(store.conn(), cal, now).expect("save calendar");
    let (_, moved) = subscribe(&store, dir.path(), now + TimeDelta::minutes(2));
    let ack_moved = moved.get(ACK).expect("still there").clone();
    assert_eq!(ack_moved.sequence, 1, "same UID, higher SEQUENCE");
    assert_ne!(ack_moved.start, ack.start, "new DTSTART");

    // A restart: the state issued is in the database, so SEQUENCE keeps growing.
    drop(store);
    store = Store::open_in_dir(dir.path()).expect("reopen");

    // Acknowledged: the acknowledgement is cancelled, the determination stage moves from its
    // projection to its real due time.
    let acked = now + TimeDelta::minutes(10);
    let mut values = BTreeMap::new();
    values.insert("findings_by".to_string(), "2026-03-12".to_string());
    sens::acknowledge(
        store.conn(),
        &crate::common::sen_number("SOC-0123"),
        "investigating",
        &values,
        acked,
        &crate::common::actor(),
    )
    .expect("acknowledge");
    let (_, after_ack) = subscribe(&store, dir.path(), acked);
    let ack_done = after_ack.get(ACK).expect("kept, cancelled");
    assert_eq!(ack_done.status, Some(EventStatus::Cancelled));
    assert_eq!(ack_done.sequence, 2);
    let det_open = after_ack.get(DETERMINE).expect("determination").clone();
    assert_eq!(det_open.sequence, moved.get(DETERMINE).expect("determination").sequence + 1);
    assert!(det_open.sequence > det.sequence);
    assert_ne!(det_open.start, moved.get(DETERMINE).expect("determination").start, "new DTSTART");
    assert_eq!(det_open.summary, "SEN SOC-0123 (High): determine due");
    assert!(!det_open.alarms.is_empty());
    assert!(!after_ack.keys().any(|uid| uid.starts_with("sen-SOC-0123-acknowledge-escalation-")
        && after_ack[uid].status != Some(EventStatus::Cancelled)));

    // Determined (false positive): every event of the SEN is cancelled; SEQUENCE never goes down.
    let determined = acked + TimeDelta::minutes(10);
    sens::determine(
        store.conn(),
        &crate::common::sen_number("SOC-0123"),
        Determination { outcome: Outcome::FalsePositive, details: "Permitted scanner".into(), findings_by: None },
        determined,
        &crate::common::actor(),
    )
    .expect("determine");
    let (_, done) = subscribe(&store, dir.path(), determined);
    let det_done = done.get(DETERMINE).expect("kept, cancelled");
    assert_eq!(det_done.status, Some(EventStatus::Cancelled));
    assert_eq!(det_done.sequence, det_open.sequence + 1);
    assert!(done.values().all(|e| e.status == Some(EventStatus::Cancelled)), "{done:?}");
    assert_eq!(done.get(ACK).expect("ack").sequence, 2, "a cancellation is issued once");

    // After a week the cancelled events leave the feed.
    let (_, later) = subscribe(&store, dir.path(), determined + TimeDelta::days(8));
    assert!(later.is_empty(), "{later:?}");
}

#[test]
fn a_fresh_install_feed_is_a_valid_empty_calendar() {
    let calendar: Calendar = feed::empty().parse().expect("valid");
    assert_eq!(calendar.events().count(), 0);
}
