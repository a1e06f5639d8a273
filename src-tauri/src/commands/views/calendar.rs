//! The business calendar settings' views: the calendar as stored and the closed days of a year.

use chrono::NaiveDate;
use desk_core::calendar::{BusinessCalendar, ClosedDay, Closure, OpenHours, WeeklyHours};
use serde::Serialize;

/// The calendar's zone, weekly hours, holidays and closures.
#[derive(Serialize)]
pub struct BusinessCalendarView {
    time_zone: String,
    hours: WeeklyHoursView,
    california_holidays: bool,
    closures: Vec<ClosureView>,
    added_state_holidays: Vec<ClosureView>,
}

impl From<BusinessCalendar> for BusinessCalendarView {
    fn from(c: BusinessCalendar) -> Self {
        BusinessCalendarView {
            time_zone: c.time_zone,
            hours: c.hours.into(),
            california_holidays: c.california_holidays,
            closures: c.closures.into_iter().map(Into::into).collect(),
            added_state_holidays: c.added_state_holidays.into_iter().map(Into::into).collect(),
        }
    }
}

/// Opening hours per weekday; `None` is a closed day.
#[derive(Serialize)]
pub struct WeeklyHoursView {
    monday: Option<OpenHoursView>,
    tuesday: Option<OpenHoursView>,
    wednesday: Option<OpenHoursView>,
    thursday: Option<OpenHoursView>,
    friday: Option<OpenHoursView>,
    saturday: Option<OpenHoursView>,
    sunday: Option<OpenHoursView>,
}

impl From<WeeklyHours> for WeeklyHoursView {
    fn from(w: WeeklyHours) -> Self {
        WeeklyHoursView {
            monday: w.monday.map(Into::into),
            tuesday: w.tuesday.map(Into::into),
            wednesday: w.wednesday.map(Into::into),
            thursday: w.thursday.map(Into::into),
            friday: w.friday.map(Into::into),
            saturday: w.saturday.map(Into::into),
            sunday: w.sunday.map(Into::into),
        }
    }
}

#[derive(Serialize)]
pub struct OpenHoursView {
    open: String,
    close: String,
}

impl From<OpenHours> for OpenHoursView {
    fn from(h: OpenHours) -> Self {
        OpenHoursView { open: h.open, close: h.close }
    }
}

#[derive(Serialize)]
pub struct ClosureView {
    date: NaiveDate,
    label: String,
}

impl From<Closure> for ClosureView {
    fn from(c: Closure) -> Self {
        ClosureView { date: c.date, label: c.label }
    }
}

/// A closed day of a year and why.
#[derive(Serialize)]
pub struct ClosedDayView {
    date: NaiveDate,
    label: String,
    kind: &'static str,
}

impl From<ClosedDay> for ClosedDayView {
    fn from(d: ClosedDay) -> Self {
        ClosedDayView { date: d.date, label: d.label, kind: d.kind }
    }
}
