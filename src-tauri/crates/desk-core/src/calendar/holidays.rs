//! California state paid holidays (Gov. Code 19853, CalHR), computed by rule for any year.
//!
//! Observance: a holiday on a Sunday is observed the Monday after; on a Saturday it is not moved
//! (state staff get holiday credit instead), except Veterans Day, observed the Friday before.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

/// One holiday of one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holiday {
    /// The day offices are closed (may differ from `nominal` when the holiday falls on a weekend).
    pub observed: NaiveDate,
    /// The calendar date of the holiday itself.
    pub nominal: NaiveDate,
    pub name: &'static str,
}

impl Holiday {
    /// "Independence Day (observed)" when moved, the plain name otherwise.
    pub fn label(&self) -> String {
        if self.observed == self.nominal {
            self.name.to_string()
        } else {
            format!("{} (observed)", self.name)
        }
    }
}

/// The holidays of `year`, in date order. Years chrono cannot represent give an empty list.
pub fn california_holidays(year: i32) -> Vec<Holiday> {
    let fixed = |month, day, name| {
        NaiveDate::from_ymd_opt(year, month, day).map(|nominal| Holiday {
            observed: observe(nominal, name),
            nominal,
            name,
        })
    };
    let floating = |month, weekday, n, name| {
        nth_weekday(year, month, weekday, n).map(|date| Holiday { observed: date, nominal: date, name })
    };
    let thanksgiving = nth_weekday(year, 11, Weekday::Thu, 4);
    let day_after = thanksgiving.and_then(|d| d.succ_opt()).map(|date| Holiday {
        observed: date,
        nominal: date,
        name: "Day after Thanksgiving",
    });
    let mut days: Vec<Holiday> = [
        fixed(1, 1, NEW_YEAR),
        floating(1, Weekday::Mon, 3, "Martin Luther King Jr. Day"),
        floating(2, Weekday::Mon, 3, "Presidents' Day"),
        fixed(3, 31, "Cesar Chavez Day"),
        last_weekday(year, 5, Weekday::Mon).map(|d| Holiday { observed: d, nominal: d, name: "Memorial Day" }),
        fixed(7, 4, "Independence Day"),
        floating(9, Weekday::Mon, 1, "Labor Day"),
        fixed(11, 11, VETERANS_DAY),
        thanksgiving.map(|d| Holiday { observed: d, nominal: d, name: "Thanksgiving Day" }),
        day_after,
        fixed(12, 25, "Christmas Day"),
    ]
    .into_iter()
    .flatten()
    .collect();
    days.sort_by_key(|h| h.observed);
    days
}

/// The holiday observed on `date`, if any.
pub fn california_holiday_on(date: NaiveDate) -> Option<Holiday> {
    // Observed dates never leave their year (Jan 1 moves forward, Nov 11 back, Dec 25 forward to the 26th).
    california_holidays(date.year()).into_iter().find(|h| h.observed == date)
}

const NEW_YEAR: &str = "New Year's Day";
const VETERANS_DAY: &str = "Veterans Day";

fn observe(nominal: NaiveDate, name: &str) -> NaiveDate {
    match nominal.weekday() {
        Weekday::Sun => nominal + Duration::days(1),
        Weekday::Sat if name == VETERANS_DAY => nominal - Duration::days(1),
        _ => nominal,
    }
}

/// The `n`-th (1-based) `weekday` of the month.
fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u8) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
}

fn last_weekday(year: i32, month: u32, weekday: Weekday) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = first_of_next.pred_opt()?;
    let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    Some(last - Duration::days(i64::from(back)))
}
