//! California state paid holidays 2024-2030, checked against the observed dates (worked out by
//! hand from the rules in Gov. Code 19853 / CalHR and a perpetual calendar, not from the code).

use chrono::{Datelike, NaiveDate, Weekday};
use desk_core::calendar::{california_holiday_on, california_holidays, BusinessCalendar};

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// One year: the observed dates in order, each with the holiday's name.
fn check(year: i32, expected: &[(&str, &str)]) {
    let actual: Vec<(String, &str)> =
        california_holidays(year).into_iter().map(|h| (h.observed.to_string(), h.name)).collect();
    let expected: Vec<(String, &str)> = expected.iter().map(|(d, n)| (d.to_string(), *n)).collect();
    assert_eq!(actual, expected, "holidays of {year}");
}

#[test]
fn holidays_2024() {
    check(
        2024,
        &[
            ("2024-01-01", "New Year's Day"),
            ("2024-01-15", "Martin Luther King Jr. Day"),
            ("2024-02-19", "Presidents' Day"),
            ("2024-04-01", "Cesar Chavez Day"), // Mar 31 is a Sunday
            ("2024-05-27", "Memorial Day"),
            ("2024-07-04", "Independence Day"),
            ("2024-09-02", "Labor Day"),
            ("2024-11-11", "Veterans Day"),
            ("2024-11-28", "Thanksgiving Day"),
            ("2024-11-29", "Day after Thanksgiving"),
            ("2024-12-25", "Christmas Day"),
        ],
    );
}

#[test]
fn holidays_2025() {
    check(
        2025,
        &[
            ("2025-01-01", "New Year's Day"),
            ("2025-01-20", "Martin Luther King Jr. Day"),
            ("2025-02-17", "Presidents' Day"),
            ("2025-03-31", "Cesar Chavez Day"),
            ("2025-05-26", "Memorial Day"),
            ("2025-07-04", "Independence Day"),
            ("2025-09-01", "Labor Day"),
            ("2025-11-11", "Veterans Day"),
            ("2025-11-27", "Thanksgiving Day"),
            ("2025-11-28", "Day after Thanksgiving"),
            ("2025-12-25", "Christmas Day"),
        ],
    );
}

#[test]
fn holidays_2026() {
    check(
        2026,
        &[
            ("2026-01-01", "New Year's Day"),
            ("2026-01-19", "Martin Luther King Jr. Day"),
            ("2026-02-16", "Presidents' Day"),
            ("2026-03-31", "Cesar Chavez Day"),
            ("2026-05-25", "Memorial Day"),
            ("2026-07-04", "Independence Day"), // Saturday: not moved
            ("2026-09-07", "Labor Day"),
            ("2026-11-11", "Veterans Day"),
            ("2026-11-26", "Thanksgiving Day"),
            ("2026-11-27", "Day after Thanksgiving"),
            ("2026-12-25", "Christmas Day"), // Friday
        ],
    );
}

#[test]
fn holidays_2027() {
    check(
        2027,
        &[
            ("2027-01-01", "New Year's Day"),
            ("2027-01-18", "Martin Luther King Jr. Day"),
            ("2027-02-15", "Presidents' Day"),
            ("2027-03-31", "Cesar Chavez Day"),
            ("2027-05-31", "Memorial Day"),
            ("2027-07-05", "Independence Day"), // Jul 4 is a Sunday → Monday
            ("2027-09-06", "Labor Day"),
            ("2027-11-11", "Veterans Day"), // Thursday
            ("2027-11-25", "Thanksgiving Day"),
            ("2027-11-26", "Day after Thanksgiving"),
            ("2027-12-25", "Christmas Day"), // Saturday: not moved
        ],
    );
}

#[test]
fn holidays_2028() {
    check(
        2028,
        &[
            ("2028-01-01", "New Year's Day"), // Saturday: not moved (Dec 31, 2027 stays a work day)
            ("2028-01-17", "Martin Luther King Jr. Day"),
            ("2028-02-21", "Presidents' Day"),
            ("2028-03-31", "Cesar Chavez Day"),
            ("2028-05-29", "Memorial Day"),
            ("2028-07-04", "Independence Day"),
            ("2028-09-04", "Labor Day"),
            ("2028-11-10", "Veterans Day"), // Nov 11 is a Saturday → the Friday before
            ("2028-11-23", "Thanksgiving Day"),
            ("2028-11-24", "Day after Thanksgiving"),
            ("2028-12-25", "Christmas Day"),
        ],
    );
}

#[test]
fn holidays_2029() {
    check(
        2029,
        &[
            ("2029-01-01", "New Year's Day"),
            ("2029-01-15", "Martin Luther King Jr. Day"),
            ("2029-02-19", "Presidents' Day"),
            ("2029-03-31", "Cesar Chavez Day"), // Saturday: not moved
            ("2029-05-28", "Memorial Day"),
            ("2029-07-04", "Independence Day"),
            ("2029-09-03", "Labor Day"),
            ("2029-11-12", "Veterans Day"), // Nov 11 is a Sunday → Monday
            ("2029-11-22", "Thanksgiving Day"),
            ("2029-11-23", "Day after Thanksgiving"),
            ("2029-12-25", "Christmas Day"),
        ],
    );
}

#[test]
fn holidays_2030() {
    check(
        2030,
        &[
            ("2030-01-01", "New Year's Day"),
            ("2030-01-21", "Martin Luther King Jr. Day"),
            ("2030-02-18", "Presidents' Day"),
            ("2030-04-01", "Cesar Chavez Day"), // Mar 31 is a Sunday
            ("2030-05-27", "Memorial Day"),
            ("2030-07-04", "Independence Day"),
            ("2030-09-02", "Labor Day"),
            ("2030-11-11", "Veterans Day"),
            ("2030-11-28", "Thanksgiving Day"),
            ("2030-11-29", "Day after Thanksgiving"),
            ("2030-12-25", "Christmas Day"),
        ],
    );
}

#[test]
fn moved_holidays_say_observed_and_keep_their_calendar_date() {
    let veterans = california_holiday_on(date("2028-11-10")).expect("observed Veterans Day");
    assert_eq!(veterans.nominal, date("2028-11-11"));
    assert_eq!(veterans.label(), "Veterans Day (observed)");
    let july = california_holiday_on(date("2027-07-05")).expect("observed Independence Day");
    assert_eq!(july.label(), "Independence Day (observed)");
    assert_eq!(california_holiday_on(date("2027-12-24")), None, "Saturday Christmas is not moved to Friday");
    assert_eq!(california_holiday_on(date("2027-12-31")), None, "Saturday New Year is not moved to Friday");
}

#[test]
fn every_year_has_eleven_holidays_none_on_sunday() {
    for year in 1990..=2200 {
        let days = california_holidays(year);
        assert_eq!(days.len(), 11, "{year}");
        assert!(days.iter().all(|h| h.observed.weekday() != Weekday::Sun), "{year}");
        assert!(days.iter().all(|h| h.observed.year() == year), "{year}");
    }
}

#[test]
fn calendar_lists_holidays_and_closures_of_a_year() {
    let mut calendar = BusinessCalendar::default();
    calendar
        .merge_closures(vec![desk_core::calendar::Closure { date: date("2026-12-24"), label: "Office closed".into() }]);
    let days = calendar.closed_days(2026);
    assert_eq!(days.len(), 12);
    let eve = days.iter().find(|d| d.date == date("2026-12-24")).expect("closure listed");
    assert_eq!((eve.label.as_str(), eve.kind), ("Office closed", "closure"));
    calendar.california_holidays = false;
    assert_eq!(calendar.closed_days(2026).len(), 1);
}
