//! iCalendar import of closure days, and the calendar settings (load / save / validation).

use chrono::NaiveDate;
use desk_core::calendar::{self, import_ics, BusinessCalendar, Closure, OpenHours};
use desk_core::Store;

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn ics(events: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agency//Closures//EN\r\n{}END:VCALENDAR\r\n",
        events.replace('\n', "\r\n")
    )
}

fn closures(list: &[(&str, &str)]) -> Vec<Closure> {
    list.iter().map(|(d, l)| Closure { date: date(d), label: l.to_string() }).collect()
}

/// Imports `text` and expects an Unreadable error containing every `fragment`.
fn check_refused(text: &str, fragments: &[&str]) {
    let err = import_ics(text).expect_err("must be refused");
    assert_eq!(err.code(), "unreadable", "{err}");
    let message = err.to_string();
    assert!(!message.contains('\n'), "one line: {message}");
    for fragment in fragments {
        assert!(message.contains(fragment), "{message:?} should mention {fragment:?}");
    }
}

#[test]
fn all_day_and_multi_day_events_become_closure_days() {
    let text = ics("BEGIN:VEVENT
UID:1@agency
DTSTAMP:20260101T000000Z
DTSTART;VALUE=DATE:20261224
DTEND;VALUE=DATE:20261225
SUMMARY:Christmas Eve closure
END:VEVENT
BEGIN:VEVENT
UID:2@agency
DTSTAMP:20260101T000000Z
DTSTART;VALUE=DATE:20260601
DTEND;VALUE=DATE:20260604
SUMMARY:Data center move\\, phase 1
END:VEVENT
BEGIN:VEVENT
UID:3@agency
DTSTAMP:20260101T000000Z
DTSTART;VALUE=DATE:20260812
SUMMARY:Furlough day
END:VEVENT
BEGIN:VEVENT
UID:4@agency
DTSTAMP:20260101T000000Z
DTSTART;VALUE=DATE:20261005
DURATION:P2D
SUMMARY:Training
END:VEVENT
");
    assert_eq!(
        import_ics(&text).expect("imports"),
        closures(&[
            ("2026-06-01", "Data center move, phase 1"),
            ("2026-06-02", "Data center move, phase 1"),
            ("2026-06-03", "Data center move, phase 1"),
            ("2026-08-12", "Furlough day"),
            ("2026-10-05", "Training"),
            ("2026-10-06", "Training"),
            ("2026-12-24", "Christmas Eve closure"),
        ])
    );
}

#[test]
fn folded_lines_midnight_to_midnight_and_cancelled_events() {
    let text = ics("BEGIN:VEVENT
UID:5@agency
DTSTART;TZID=America/Los_Angeles:20261231T000000
DTEND;TZID=America/Los_Angeles:20270101T000000
SUMMARY:Office closed for the
  year-end shutdown
END:VEVENT
BEGIN:VEVENT
UID:6@agency
DTSTART;VALUE=DATE:20261230
STATUS:CANCELLED
SUMMARY:Not happening
END:VEVENT
");
    assert_eq!(
        import_ics(&text).expect("imports"),
        closures(&[("2026-12-31", "Office closed for the year-end shutdown")])
    );
}

#[test]
fn timed_events_are_refused_naming_the_event_and_line() {
    let text = ics("BEGIN:VEVENT
UID:7@agency
DTSTART;VALUE=DATE:20261224
SUMMARY:Closed
END:VEVENT
BEGIN:VEVENT
UID:8@agency
DTSTART:20260310T170000Z
DTEND:20260310T180000Z
SUMMARY:Staff meeting
END:VEVENT
");
    check_refused(&text, &["event 2", "Staff meeting", "line 9", "time of day"]);
}

#[test]
fn repeating_events_and_bad_dates_are_refused() {
    check_refused(
        &ics("BEGIN:VEVENT\nUID:9\nDTSTART;VALUE=DATE:20260101\nRRULE:FREQ=YEARLY\nSUMMARY:Founders day\nEND:VEVENT\n"),
        &["Founders day", "RRULE"],
    );
    check_refused(
        &ics("BEGIN:VEVENT\nUID:10\nDTSTART;VALUE=DATE:2026-13-45\nSUMMARY:Oops\nEND:VEVENT\n"),
        &["Oops", "DTSTART", "not a date"],
    );
    check_refused(&ics("BEGIN:VEVENT\nUID:11\nSUMMARY:No start\nEND:VEVENT\n"), &["No start", "no DTSTART"]);
    check_refused(
        &ics("BEGIN:VEVENT\nUID:12\nDTSTART;VALUE=DATE:20260105\nDTEND;VALUE=DATE:20260101\nEND:VEVENT\n"),
        &["event 1 (line 4)", "before it starts"],
    );
    check_refused(
        &ics("BEGIN:VEVENT\nUID:13\nDTSTART;VALUE=DATE:20260101\nDTEND;VALUE=DATE:20290101\nSUMMARY:Forever\nEND:VEVENT\n"),
        &["Forever", "1096 days"],
    );
}

/// Hostile durations and dates: checked arithmetic, refused naming the event and its line (never
/// a panic, never a closure in the year 9999).
#[test]
fn huge_and_negative_durations_and_far_dates_are_refused() {
    let event = |props: &str| ics(&format!("BEGIN:VEVENT\nUID:20\nSUMMARY:Hostile\n{props}END:VEVENT\n"));
    let cases: &[(&str, &[&str])] = &[
        ("DTSTART;VALUE=DATE:20260101\nDURATION:P99999999D\n", &["Hostile", "line 4", "P99999999D", "at most 366"]),
        ("DTSTART;VALUE=DATE:20260101\nDURATION:P9223372036854775807D\n", &["line 4", "at most 366"]),
        ("DTSTART;VALUE=DATE:20260101\nDURATION:P2000000000000000000W\n", &["line 4", "not a whole number of days"]),
        ("DTSTART;VALUE=DATE:20260101\nDURATION:P9999999999999999W\n", &["line 4", "at most 366"]),
        ("DTSTART;VALUE=DATE:20260101\nDURATION:P99999999W\n", &["line 4", "at most 366"]),
        ("DTSTART;VALUE=DATE:20260101\nDURATION:P-5D\n", &["line 4", "before it starts"]),
        ("DTSTART;VALUE=DATE:20260101\nDURATION:-P1D\n", &["line 4", "not a whole number of days"]),
        ("DTSTART;VALUE=DATE:99991231\n", &["line 4", "DTSTART 9999-12-31", "outside the years"]),
        ("DTSTART;VALUE=DATE:20260101\nDTEND;VALUE=DATE:99990101\n", &["line 4", "DTEND 9999-01-01"]),
        ("DTSTART;VALUE=DATE:00010101\n", &["line 4", "outside the years"]),
    ];
    for (props, fragments) in cases {
        check_refused(&event(props), fragments);
    }
}

/// The merge is linear: 20 000 imported days against 20 000 known ones (quadratic took seconds).
#[test]
fn merging_many_closures_keeps_the_first_label_per_date() {
    let start = date("2030-01-01");
    let many = |label: &str, offset: i64| -> Vec<Closure> {
        (0..20_000)
            .map(|i| Closure { date: start + chrono::Duration::days(i + offset), label: label.to_string() })
            .collect()
    };
    let mut calendar = BusinessCalendar { closures: many("known", 0), ..BusinessCalendar::default() };
    let added = calendar.merge_closures(many("new", 10_000));
    assert_eq!(added, 10_000);
    assert_eq!(calendar.closures.len(), 30_000);
    assert_eq!(calendar.closures[10_000].label, "known");
    assert_eq!(calendar.closures[20_000].label, "new");
}

#[test]
fn garbage_is_refused_with_a_line() {
    check_refused("hello, this is not a calendar", &["not an iCalendar file", "line 1"]);
    check_refused("", &["not an iCalendar file"]);
    check_refused(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Closures\r\n  of the agency\r\nBEGIN:VEVENT\r\nthis line has no colon\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        &["VEVENT block starting at line 5"],
    );
    check_refused(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\n",
        &["not a readable iCalendar file"],
    );
    // 100,000 nested components (2.6 MB, under the size cap) once overflowed the parser's stack.
    let deep = format!(
        "BEGIN:VCALENDAR\r\n{}DTSTART;VALUE=DATE:20260101\r\n{}END:VCALENDAR\r\n",
        "BEGIN:VEVENT\r\n".repeat(100_000),
        "END:VEVENT\r\n".repeat(100_000)
    );
    check_refused(&deep, &["line 9", "nested more than 8 deep"]);
}

#[test]
fn merge_keeps_existing_labels_and_counts_new_days() {
    let mut calendar =
        BusinessCalendar { closures: closures(&[("2026-12-24", "Christmas Eve")]), ..BusinessCalendar::default() };
    let added = calendar.merge_closures(closures(&[("2026-12-24", "Imported"), ("2026-12-31", "Year end")]));
    assert_eq!(added, 1);
    assert_eq!(calendar.closures, closures(&[("2026-12-24", "Christmas Eve"), ("2026-12-31", "Year end")]));
}

fn now() -> chrono::DateTime<chrono::Utc> {
    "2026-03-02T17:00:00Z".parse().expect("now")
}

#[test]
fn settings_default_then_round_trip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("open");
    assert_eq!(calendar::load(store.conn()).expect("load"), BusinessCalendar::default());
    let mut custom = BusinessCalendar {
        time_zone: " America/New_York ".into(),
        closures: closures(&[("2026-12-31", " Year end "), ("2026-12-24", "Eve"), ("2026-12-24", "Eve")]),
        ..BusinessCalendar::default()
    };
    custom.hours.friday = Some(OpenHours::new("7:30", "16:00"));
    let saved = calendar::save(store.conn(), custom, now()).expect("save");
    assert_eq!(saved.time_zone, "America/New_York");
    assert_eq!(saved.hours.friday, Some(OpenHours::new("07:30", "16:00")));
    assert_eq!(saved.closures, closures(&[("2026-12-24", "Eve"), ("2026-12-31", "Year end")]));
    assert_eq!(calendar::load(store.conn()).expect("load"), saved);
}

/// Saving `edit` of the default calendar fails with exactly these (field, message fragment) pairs
/// and leaves the stored calendar as it was.
fn check_invalid(edit: impl FnOnce(&mut BusinessCalendar), expected: &[(&str, &str)]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("open");
    let before = calendar::save(store.conn(), BusinessCalendar::default(), now()).expect("save default");
    let mut bad = BusinessCalendar::default();
    edit(&mut bad);
    let err = calendar::save(store.conn(), bad.clone(), now()).expect_err("must be refused");
    assert_eq!(err.code(), "invalid");
    let fields: Vec<(&str, &str)> = err.fields().iter().map(|f| (f.field.as_str(), f.message.as_str())).collect();
    assert_eq!(fields.len(), expected.len(), "{fields:?}");
    for ((field, message), (want_field, fragment)) in fields.iter().zip(expected) {
        assert_eq!(field, want_field);
        assert!(message.contains(fragment), "{message:?} should contain {fragment:?}");
    }
    assert_eq!(bad.compile().expect_err("compile refuses too").code(), "invalid");
    assert_eq!(calendar::load(store.conn()).expect("load"), before, "saved calendar untouched");
}

#[test]
fn invalid_calendars_name_their_fields() {
    check_invalid(|c| c.time_zone = "Pacific".into(), &[("time_zone", "not a time zone name")]);
    check_invalid(
        |c| c.hours.monday = Some(OpenHours::new("17:00", "08:00")),
        &[("hours.monday.close", "must be after")],
    );
    check_invalid(
        |c| c.hours.tuesday = Some(OpenHours::new("09:00", "09:00")),
        &[("hours.tuesday.close", "must be after")],
    );
    check_invalid(
        |c| c.hours.wednesday = Some(OpenHours::new("8am", "5pm")),
        &[("hours.wednesday.open", "not a time of day"), ("hours.wednesday.close", "not a time of day")],
    );
    check_invalid(
        |c| {
            for (day, _) in desk_core::calendar::WeeklyHours::DAYS {
                c.hours.set(day, None);
            }
        },
        &[("hours", "at least one weekday")],
    );
    check_invalid(
        |c| c.closures = closures(&[("2026-01-02", "ok"), ("2026-01-03", "  ")]),
        &[("closures.1.label", "name")],
    );
}
