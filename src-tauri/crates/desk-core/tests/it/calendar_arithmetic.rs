//! Business-hour arithmetic (domain.md "Readings"): hours outside business hours do not count, a
//! deadline landing on closing time is that closing time, a start outside hours counts from the
//! next opening, and a business day is its wall-clock hours even on a DST change day.

use chrono::{DateTime, TimeDelta, Utc};
use desk_core::calendar::{BusinessCalendar, Closure, CompiledCalendar, OpenHours, WeeklyHours};
use proptest::prelude::*;

use crate::common::{default_calendar, la, utc};

/// `start` (LA wall clock) plus `minutes` business minutes lands on `expected` (LA wall clock), in
/// the fast implementation and the minute-stepping reference alike.
fn check(start: &str, minutes: u32, expected: &str) {
    let calendar = default_calendar();
    let due = calendar.add_business_minutes(la(start), minutes);
    assert_eq!(calendar.format_local(due), calendar.format_local(la(expected)), "{start} + {minutes} min");
    assert_eq!(due, la(expected), "{start} + {minutes} min");
    assert_eq!(calendar.add_business_minutes_reference(la(start), minutes), due, "reference: {start} + {minutes}");
}

#[test]
fn typed_times_are_rfc3339_or_wall_clock_in_the_calendar_zone() {
    let calendar = default_calendar();
    assert_eq!(calendar.parse_time("2026-03-09T09:00:00-07:00"), Ok(utc("2026-03-09T16:00:00Z")));
    assert_eq!(calendar.parse_time(" 2026-03-09T16:00:00Z "), Ok(utc("2026-03-09T16:00:00Z")));
    // Wall clock in Sacramento, as <input type=datetime-local> sends it: PDT after the change, PST before.
    assert_eq!(calendar.parse_time("2026-03-09T09:00"), Ok(la("2026-03-09 09:00")));
    assert_eq!(calendar.parse_time("2026-03-06 16:30"), Ok(utc("2026-03-07T00:30:00Z")));
    assert_eq!(calendar.parse_time("2026-03-06T16:30:15"), Ok(utc("2026-03-07T00:30:15Z")));
    let message = calendar.parse_time("next tuesday").expect_err("refused");
    assert!(message.contains("America/Los_Angeles"), "{message}");
    assert!(calendar.parse_time("  ").is_err());
}

#[test]
fn within_one_business_day() {
    check("2026-03-03 09:00", 120, "2026-03-03 11:00");
    check("2026-03-03 08:00", 540, "2026-03-03 17:00");
}

#[test]
fn deadline_landing_on_close_of_business_is_that_close() {
    check("2026-03-03 15:00", 120, "2026-03-03 17:00");
    check("2026-03-03 13:00", 240, "2026-03-03 17:00");
    check("2026-03-03 16:59", 1, "2026-03-03 17:00");
}

#[test]
fn time_after_close_continues_next_morning() {
    check("2026-03-03 16:00", 120, "2026-03-04 09:00");
    check("2026-03-03 17:00", 60, "2026-03-04 09:00"); // starting exactly at close
    check("2026-03-03 16:59", 2, "2026-03-04 08:01");
}

#[test]
fn sen_sent_outside_hours_counts_from_next_opening() {
    check("2026-03-03 06:30", 120, "2026-03-03 10:00"); // early morning
    check("2026-03-03 19:45", 120, "2026-03-04 10:00"); // evening
    check("2026-03-04 00:00", 60, "2026-03-04 09:00"); // midnight
    check("2026-03-07 11:00", 60, "2026-03-09 09:00"); // Saturday
}

#[test]
fn friday_evening_sen_is_due_monday() {
    check("2026-02-06 18:00", 120, "2026-02-09 10:00");
    check("2026-02-06 16:00", 240, "2026-02-09 11:00");
    check("2026-02-06 16:30", 30, "2026-02-06 17:00");
}

#[test]
fn holiday_weekends_are_skipped() {
    check("2026-09-04 16:30", 120, "2026-09-08 09:30"); // Labor Day Monday
    check("2026-11-25 15:00", 240, "2026-11-30 10:00"); // Thanksgiving Thursday + Friday
    check("2026-12-24 16:00", 120, "2026-12-28 09:00"); // Christmas Friday
    check("2028-11-09 16:00", 120, "2028-11-13 09:00"); // Veterans Day observed Friday 2028-11-10
    check("2027-07-02 16:00", 120, "2027-07-06 09:00"); // Jul 4 Sunday, observed Monday 2027-07-05
    check("2027-12-31 16:00", 120, "2028-01-03 09:00"); // Friday Dec 31 is a work day (Jan 1 Saturday not moved)
    check("2024-03-29 16:00", 120, "2024-04-02 09:00"); // Cesar Chavez Day observed Monday 2024-04-01
}

#[test]
fn zero_minutes_is_the_start_itself() {
    let calendar = default_calendar();
    let start = la("2026-03-07 23:10");
    assert_eq!(calendar.add_business_minutes(start, 0), start);
}

#[test]
fn seconds_are_kept() {
    let calendar = default_calendar();
    let start = la("2026-03-03 09:00") + TimeDelta::seconds(42) + TimeDelta::milliseconds(5);
    assert_eq!(calendar.add_business_minutes(start, 60), start + TimeDelta::hours(1));
    let late = la("2026-03-03 16:59") + TimeDelta::seconds(30);
    assert_eq!(calendar.add_business_minutes(late, 1), la("2026-03-04 08:00") + TimeDelta::seconds(30));
}

#[test]
fn spring_forward_weekend_business_window_counts_wall_hours() {
    let calendar = default_calendar();
    // Friday 16:00 PST + 2 business hours = Monday 09:00 PDT, i.e. 16:00Z (not 17:00Z).
    let due = calendar.add_business_minutes(la("2026-03-06 16:00"), 120);
    assert_eq!(due, utc("2026-03-09T16:00:00Z"));
    assert_eq!(calendar.format_local(due), "Mon 2026-03-09 09:00 PDT");
}

#[test]
fn fall_back_weekend_business_window_counts_wall_hours() {
    let calendar = default_calendar();
    let due = calendar.add_business_minutes(la("2026-10-30 16:00"), 120);
    assert_eq!(due, utc("2026-11-02T17:00:00Z"));
    assert_eq!(calendar.format_local(due), "Mon 2026-11-02 09:00 PST");
}

/// An entity open on Sundays 00:00-09:00 spans the 02:00 change: its day is still 9 wall hours.
fn sunday_night_shift() -> CompiledCalendar {
    let mut calendar = BusinessCalendar { california_holidays: false, ..BusinessCalendar::default() };
    calendar.hours = WeeklyHours { sunday: Some(OpenHours::new("00:00", "09:00")), ..WeeklyHours::default() };
    calendar.compile().expect("compiles")
}

#[test]
fn business_day_is_nine_wall_hours_on_dst_days() {
    let calendar = sunday_night_shift();
    for (day, real_hours) in [("2026-03-08", 8), ("2026-11-01", 10), ("2026-03-15", 9)] {
        let open = la(&format!("{day} 00:00"));
        let close = la(&format!("{day} 09:00"));
        assert_eq!((close - open).num_hours(), real_hours, "{day}");
        assert_eq!(calendar.business_minutes_between(open, close + TimeDelta::hours(3)), 540, "{day}");
        assert_eq!(calendar.add_business_minutes(open, 540), close, "{day}");
    }
}

#[test]
fn default_day_is_nine_hours_whatever_the_date() {
    let calendar = default_calendar();
    for day in ["2026-03-09", "2026-11-02", "2026-06-15"] {
        let morning = la(&format!("{day} 00:00"));
        assert_eq!(calendar.business_minutes_between(morning, morning + TimeDelta::days(1)), 540, "{day}");
    }
}

#[test]
fn business_minutes_between_skips_nights_weekends_holidays() {
    let calendar = default_calendar();
    assert_eq!(calendar.business_minutes_between(la("2026-02-06 16:00"), la("2026-02-09 09:00")), 120);
    assert_eq!(calendar.business_minutes_between(la("2026-11-25 15:00"), la("2026-11-30 10:00")), 240);
    assert_eq!(calendar.business_minutes_between(la("2026-02-07 10:00"), la("2026-02-08 10:00")), 0);
    assert_eq!(calendar.business_minutes_between(la("2026-02-09 10:00"), la("2026-02-09 09:00")), 0, "reversed");
}

#[test]
fn open_at_and_next_opening() {
    let calendar = default_calendar();
    assert!(calendar.is_open_at(la("2026-03-03 08:00")));
    assert!(!calendar.is_open_at(la("2026-03-03 17:00")), "closing time is closed");
    assert!(!calendar.is_open_at(la("2026-12-25 10:00")), "Christmas");
    assert_eq!(calendar.next_opening(la("2026-12-24 17:30")), la("2026-12-28 08:00"));
    assert_eq!(calendar.next_opening(la("2026-12-24 12:00")), la("2026-12-24 12:00"));
    // Business time runs until the day's closing; stopped, it resumes at the next opening.
    let clock = |at| {
        let c = calendar.business_clock_at(la(at));
        (c.running, c.until)
    };
    assert_eq!(clock("2026-12-24 12:00"), (true, la("2026-12-24 17:00")));
    assert_eq!(clock("2026-12-24 08:00"), (true, la("2026-12-24 17:00")), "opening time is open");
    assert_eq!(clock("2026-12-24 17:00"), (false, la("2026-12-28 08:00")), "over Christmas and the weekend");
    assert_eq!(clock("2026-12-24 07:59"), (false, la("2026-12-24 08:00")));
    assert_eq!(
        calendar.closure_reason("2027-07-05".parse().expect("date")).as_deref(),
        Some("Independence Day (observed)")
    );
}

#[test]
fn extra_closure_days_and_holiday_switch() {
    let mut calendar = BusinessCalendar::default();
    calendar.closures.push(Closure { date: "2026-03-04".parse().expect("date"), label: "Office move".into() });
    let compiled = calendar.compile().expect("compiles");
    assert_eq!(compiled.add_business_minutes(la("2026-03-03 16:00"), 120), la("2026-03-05 09:00"));
    assert_eq!(compiled.closure_reason("2026-03-04".parse().expect("date")).as_deref(), Some("Office move"));
    calendar.california_holidays = false;
    let no_holidays = calendar.compile().expect("compiles");
    assert_eq!(no_holidays.add_business_minutes(la("2026-12-24 16:00"), 120), la("2026-12-25 09:00"));
}

#[test]
fn years_outside_the_precomputed_range_use_the_rules() {
    let calendar = default_calendar();
    // 2199-12-25 is a Wednesday; 2199-12-24 a Tuesday.
    assert_eq!(
        calendar.add_business_minutes(la("2199-12-24 16:00"), 120),
        la("2199-12-26 09:00"),
        "Christmas 2199 is closed"
    );
}

#[test]
fn other_time_zones() {
    let calendar = BusinessCalendar { time_zone: "America/New_York".into(), ..BusinessCalendar::default() };
    let compiled = calendar.compile().expect("compiles");
    // 16:00 Eastern Friday + 2 h → Monday 09:00 Eastern = 14:00Z in March after the change.
    assert_eq!(compiled.add_business_minutes(utc("2026-03-06T21:00:00Z"), 120), utc("2026-03-09T13:00:00Z"));
}

mod properties {
    use super::*;

    fn odd_hours() -> CompiledCalendar {
        let calendar = BusinessCalendar {
            hours: WeeklyHours {
                monday: None,
                tuesday: Some(OpenHours::new("06:30", "19:15")),
                wednesday: Some(OpenHours::new("07:05", "11:55")),
                thursday: Some(OpenHours::new("06:30", "19:15")),
                friday: Some(OpenHours::new("09:00", "09:01")),
                saturday: Some(OpenHours::new("10:00", "14:00")),
                sunday: None,
            },
            closures: vec![
                Closure { date: "2026-06-02".parse().expect("date"), label: "Furlough".into() },
                Closure { date: "2027-01-05".parse().expect("date"), label: "Furlough".into() },
            ],
            ..BusinessCalendar::default()
        };
        calendar.compile().expect("compiles")
    }

    /// Minute-aligned starts between 2024 and 2030, and a calendar choice.
    fn start() -> impl Strategy<Value = DateTime<Utc>> {
        let from = la("2024-01-01 00:00").timestamp() / 60;
        let to = la("2030-12-31 00:00").timestamp() / 60;
        (from..to).prop_map(|m| DateTime::from_timestamp(m * 60, 0).expect("in range"))
    }

    fn calendars() -> [CompiledCalendar; 2] {
        [default_calendar(), odd_hours()]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn due_is_never_before_start(start in start(), seconds in 0i64..60, minutes in 0u32..5_000) {
            let start = start + TimeDelta::seconds(seconds);
            for calendar in calendars() {
                prop_assert!(calendar.add_business_minutes(start, minutes) >= start);
            }
        }

        #[test]
        fn business_minutes_between_start_and_due_equal_the_window(start in start(), seconds in 0i64..60, minutes in 0u32..5_000) {
            let start = start + TimeDelta::seconds(seconds);
            for calendar in calendars() {
                let due = calendar.add_business_minutes(start, minutes);
                prop_assert_eq!(calendar.business_time_between(start, due), TimeDelta::minutes(i64::from(minutes)));
            }
        }

        #[test]
        fn adding_in_two_steps_equals_adding_once(start in start(), seconds in 0i64..60, a in 0u32..2_000, b in 0u32..2_000) {
            let start = start + TimeDelta::seconds(seconds);
            for calendar in calendars() {
                let twice = calendar.add_business_minutes(calendar.add_business_minutes(start, a), b);
                prop_assert_eq!(twice, calendar.add_business_minutes(start, a + b));
            }
        }

        #[test]
        fn fast_equals_minute_stepping_reference(start in start(), minutes in 0u32..1_500) {
            for calendar in calendars() {
                prop_assert_eq!(
                    calendar.add_business_minutes(start, minutes),
                    calendar.add_business_minutes_reference(start, minutes)
                );
            }
        }
    }
}
