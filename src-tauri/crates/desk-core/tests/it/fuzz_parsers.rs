//! Fuzz-style property tests for every parser that takes outside input: e-mail intake, report
//! JSON import, portal answers and the SEN feed, iCalendar closures. Inputs are random bytes and
//! mutations (truncation, byte flips, splices) of real-shaped samples. Each parser must answer
//! without panicking, and either accept or refuse with an error of the documented kind; a refused
//! import stores nothing. Case counts are bounded to keep CI time small.

use chrono::{DateTime, Utc};
use desk_core::calendar::import_ics;
use desk_core::intake::{parse_eml, parse_subject};
use desk_core::portal::{classify, parse_retry_after, wire};
use desk_core::report;
use desk_core::Store;
use proptest::prelude::*;

fn now() -> DateTime<Utc> {
    "2026-11-23T16:00:00Z".parse().expect("time")
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/it/fixtures/mail/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

const SAMPLE_ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agency//Closures//EN\r\nBEGIN:VEVENT\r\nUID:1@agency\r\nDTSTART;VALUE=DATE:20261224\r\nSUMMARY:Office closed\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:2@agency\r\nDTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270102\r\nSUMMARY:Year end\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

/// A real-shaped sample, then cut, flipped and spliced with random bytes.
fn mutated(sample: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = sample.len().max(1);
    (
        0..len,
        proptest::collection::vec((0..len, any::<u8>()), 0..24),
        proptest::collection::vec(any::<u8>(), 0..64),
        0..len,
    )
        .prop_map(move |(cut, flips, splice, at)| {
            let mut bytes = sample.clone();
            for (i, b) in flips {
                if i < bytes.len() {
                    bytes[i] ^= b;
                }
            }
            let at = at.min(bytes.len());
            bytes.splice(at..at, splice);
            bytes.truncate(cut.max(1) + 64);
            bytes
        })
}

fn exported_report() -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    let r = report::create_draft(store.conn(), &Default::default(), now(), &crate::common::actor()).expect("draft");
    report::set_field(
        store.conn(),
        &r.report_id,
        "incident.description",
        serde_json::json!("Ransom note on file server"),
        now(),
        &crate::common::actor(),
    )
    .expect("field");
    report::add_row(store.conn(), &r.report_id, "computers", now(), &crate::common::actor()).expect("row");
    report::set_field(
        store.conn(),
        &r.report_id,
        "computers.0.ip",
        serde_json::json!("10.1.2.3"),
        now(),
        &crate::common::actor(),
    )
    .expect("ip");
    report::export(store.conn(), &r.report_id).expect("export")
}

fn report_count(store: &Store) -> i64 {
    store.conn().query_row("SELECT count(*) FROM reports", [], |r| r.get(0)).expect("count")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_sen_mail_is_read_or_refused(bytes in mutated(fixture("sen_b_encoded_multipart.eml"))) {
        if let Err(e) = parse_eml(&bytes) {
            prop_assert_eq!(e.code(), "unreadable", "{}", e);
            prop_assert!(!e.to_string().contains('\n'));
        }
    }

    #[test]
    fn mutated_forwarded_mail_is_read_or_refused(bytes in mutated(fixture("sen_forwarded_as_attachment.eml"))) {
        if let Err(e) = parse_eml(&bytes) {
            prop_assert_eq!(e.code(), "unreadable", "{}", e);
        }
    }

    #[test]
    fn subjects_with_random_decorations_are_read_or_refused(
        prefix in "(RE: |FW: |Fwd: |\\[EXT\\] |){0,3}",
        number in "[A-Za-z0-9\\-\\[\\]]{0,12}",
        level in "\\PC{0,12}",
    ) {
        let subject = format!("{prefix}Cal-CSIRS Notification: A Security Event Notification – {number} requires your attention. The SEN Level is: {level}");
        if let Err(e) = parse_subject(&subject) {
            prop_assert!(matches!(e.code(), "unreadable" | "invalid"), "{}", e);
        }
    }

    #[test]
    fn mutated_report_files_are_imported_whole_or_not_at_all(bytes in mutated(exported_report().into_bytes())) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open_in_dir(dir.path()).expect("store");
        let text = String::from_utf8_lossy(&bytes);
        match report::import(store.conn(), &text, now(), &crate::common::actor()) {
            Ok(r) => prop_assert_eq!(report::get(store.conn(), &r.report_id).expect("stored"), r),
            Err(e) => {
                prop_assert!(matches!(e.code(), "invalid" | "unreadable"), "{}", e);
                prop_assert_eq!(report_count(&store), 0, "a refused import stores nothing");
            }
        }
    }

    #[test]
    fn random_json_is_never_a_report(value in any::<String>().prop_map(|s| serde_json::json!({"format": s, "report": {"x": 1}}).to_string())) {
        prop_assert!(report::exchange::parse_import(&value, now()).is_err());
    }

    #[test]
    fn any_portal_answer_is_classified(status in 100u16..600, body in proptest::collection::vec(any::<u8>(), 0..300),
                                       retry in proptest::option::of("\\PC{0,40}"), location in proptest::option::of("\\PC{0,40}")) {
        let _ = classify(status, retry.as_deref(), location.as_deref(), &body, now());
    }

    #[test]
    fn any_retry_after_is_a_duration_or_nothing(value in "\\PC{0,40}") {
        let _ = parse_retry_after(&value, now());
    }

    #[test]
    fn mutated_sen_feeds_never_panic(bytes in mutated(br#"{"sens":[{"sen_number":"SOC-0123","level":"critical","sent_at":"2026-11-23T08:00:00-08:00","summary":"Beaconing","status":"open"}]}"#.to_vec())) {
        let _ = serde_json::from_slice::<wire::SenFeed>(&bytes);
        let _ = classify(200, None, None, &bytes, now());
    }

    #[test]
    fn mutated_calendars_are_imported_or_refused(bytes in mutated(SAMPLE_ICS.as_bytes().to_vec())) {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = import_ics(&text) {
            prop_assert_eq!(e.code(), "unreadable", "{}", e);
            prop_assert!(!e.to_string().contains('\n'), "one line: {}", e);
        }
    }

    #[test]
    fn random_text_is_not_a_calendar_or_is_read(text in "\\PC{0,400}") {
        let _ = import_ics(&text);
    }

    /// Seeded with hostile values: huge and negative day and week counts, far years. Every
    /// answer is a closure list inside the supported years or a one-line refusal naming a line.
    #[test]
    fn hostile_durations_and_dates_never_panic(
        year in prop_oneof![Just(1i64), Just(1969), Just(2026), Just(2200), Just(2201), Just(9999), 0i64..10_000],
        count in prop_oneof![Just(0i64), Just(1), Just(-1), Just(366), Just(367), Just(99_999_999), Just(i64::MAX), Just(i64::MIN), any::<i64>()],
        unit in prop_oneof![Just("D"), Just("W"), Just("DT0S")],
        sign in prop_oneof![Just(""), Just("+"), Just("-")],
    ) {
        let text = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;VALUE=DATE:{year:04}0101\r\nDURATION:{sign}P{count}{unit}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        );
        match import_ics(&text) {
            Ok(closures) => {
                prop_assert!(closures.len() <= 366);
                for c in closures {
                    prop_assert!((1970..=2201).contains(&chrono::Datelike::year(&c.date)), "{:?}", c);
                }
            }
            Err(e) => {
                prop_assert_eq!(e.code(), "unreadable", "{}", e);
                prop_assert!(e.to_string().contains("line 3"), "names the line: {}", e);
                prop_assert!(!e.to_string().contains('\n'), "one line: {}", e);
            }
        }
    }
}

#[test]
fn the_samples_themselves_parse() {
    assert!(parse_eml(&fixture("sen_b_encoded_multipart.eml")).is_ok());
    assert_eq!(import_ics(SAMPLE_ICS).expect("ics").len(), 3);
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    assert!(report::import(store.conn(), &exported_report(), now(), &crate::common::actor()).is_ok());
    assert!(serde_json::from_slice::<wire::SenFeed>(br#"{"sens":[]}"#).is_ok());
}
