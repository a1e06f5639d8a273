//! The entity's business calendar (opening hours, time zone, California state holidays, closure
//! days) and the arithmetic the SEN response clock runs on.
//!
//! `BusinessCalendar` is the editable data, stored in settings under "calendar". `CompiledCalendar`
//! is its fast form (parsed zone, closed-day bitset) that the deadline engine computes with.

mod compiled;
mod holidays;
mod ics;

pub use compiled::{BusinessClock, CompiledCalendar};
pub use holidays::{california_holiday_on, california_holidays, Holiday};
pub use ics::import_ics;

use crate::error::{Error, FieldError, Result};
use crate::{settings, validate};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Settings key of the calendar document.
pub const SETTINGS_KEY: &str = "calendar";
pub const DEFAULT_TIME_ZONE: &str = "America/Los_Angeles";
const LABEL_MAX: usize = 200;
const CLOSURES_MAX: usize = 5_000;

/// The seed's words behind the business-hours reading, shown next to the calendar settings.
pub const BUSINESS_HOURS_SEED_WORDS: &str =
    "SIMM 5335-A III.D counts High and Medium windows in \u{201c}business hours\u{201d} \
(e.g. \u{201c}two (2) business hours from the time an initial SEN was sent to an Agency/state entity to acknowledge \
receipt of the SEN\u{201d}) without defining them. Incident Desk reads them as Monday-Friday 08:00-17:00 \
America/Los_Angeles, excluding California state paid holidays (Gov. Code 19853); time outside business hours \
does not count, a deadline landing exactly at closing time is that closing time, and a business day is its \
wall-clock hours even on a daylight-saving change day. Edit the hours and closures to match your entity.";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BusinessCalendar {
    /// IANA zone name, e.g. America/Los_Angeles.
    pub time_zone: String,
    pub hours: WeeklyHours,
    /// Whether the California state paid holidays are closed days.
    pub california_holidays: bool,
    /// The entity's own closure days (furlough days, office moves, imported from iCalendar).
    pub closures: Vec<Closure>,
    /// State holidays added after this release (by statute or proclamation), each a date with its
    /// name: closed like the holidays computed by rule whenever `california_holidays` is on. Saving
    /// the entity calendar copies this list to the state office calendar too (see [`save`]).
    pub added_state_holidays: Vec<Closure>,
}

impl Default for BusinessCalendar {
    fn default() -> Self {
        BusinessCalendar {
            time_zone: DEFAULT_TIME_ZONE.to_string(),
            hours: WeeklyHours::default(),
            california_holidays: true,
            closures: Vec::new(),
            added_state_holidays: Vec::new(),
        }
    }
}

/// Opening hours per weekday; `None` is a closed day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WeeklyHours {
    pub monday: Option<OpenHours>,
    pub tuesday: Option<OpenHours>,
    pub wednesday: Option<OpenHours>,
    pub thursday: Option<OpenHours>,
    pub friday: Option<OpenHours>,
    pub saturday: Option<OpenHours>,
    pub sunday: Option<OpenHours>,
}

impl Default for WeeklyHours {
    fn default() -> Self {
        let office = || Some(OpenHours::new("08:00", "17:00"));
        WeeklyHours {
            monday: office(),
            tuesday: office(),
            wednesday: office(),
            thursday: office(),
            friday: office(),
            saturday: None,
            sunday: None,
        }
    }
}

impl WeeklyHours {
    /// Weekday field names in Monday-first order, as used in field paths (`hours.monday.open`).
    pub const DAYS: [(Weekday, &'static str); 7] = [
        (Weekday::Mon, "monday"),
        (Weekday::Tue, "tuesday"),
        (Weekday::Wed, "wednesday"),
        (Weekday::Thu, "thursday"),
        (Weekday::Fri, "friday"),
        (Weekday::Sat, "saturday"),
        (Weekday::Sun, "sunday"),
    ];

    pub fn day(&self, weekday: Weekday) -> Option<&OpenHours> {
        match weekday {
            Weekday::Mon => self.monday.as_ref(),
            Weekday::Tue => self.tuesday.as_ref(),
            Weekday::Wed => self.wednesday.as_ref(),
            Weekday::Thu => self.thursday.as_ref(),
            Weekday::Fri => self.friday.as_ref(),
            Weekday::Sat => self.saturday.as_ref(),
            Weekday::Sun => self.sunday.as_ref(),
        }
    }

    pub fn set(&mut self, weekday: Weekday, hours: Option<OpenHours>) {
        let slot = match weekday {
            Weekday::Mon => &mut self.monday,
            Weekday::Tue => &mut self.tuesday,
            Weekday::Wed => &mut self.wednesday,
            Weekday::Thu => &mut self.thursday,
            Weekday::Fri => &mut self.friday,
            Weekday::Sat => &mut self.saturday,
            Weekday::Sun => &mut self.sunday,
        };
        *slot = hours;
    }
}

/// Opening and closing wall-clock times, "HH:MM" (24-hour). Strings so a bad value can be refused
/// with a message naming its field instead of failing the whole document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenHours {
    pub open: String,
    pub close: String,
}

impl OpenHours {
    pub fn new(open: &str, close: &str) -> Self {
        OpenHours { open: open.to_string(), close: close.to_string() }
    }
}

/// A day the entity is closed, with what to call it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Closure {
    pub date: NaiveDate,
    pub label: String,
}

/// A closed day and why, for listing a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClosedDay {
    pub date: NaiveDate,
    pub label: String,
    /// "california_holiday", "added_state_holiday" or "closure".
    pub kind: &'static str,
}

/// Parses "H:MM", "HH:MM" or "HH:MM:SS" (24-hour clock).
pub fn parse_time_of_day(value: &str) -> std::result::Result<NaiveTime, String> {
    let v = value.trim();
    NaiveTime::parse_from_str(v, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(v, "%H:%M:%S"))
        .map_err(|_| format!("\u{201c}{v}\u{201d} is not a time of day (use 24-hour HH:MM, e.g. 08:00)"))
}

impl BusinessCalendar {
    /// Every problem at once, each naming its field.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if chrono_tz::Tz::from_str(self.time_zone.trim()).is_err() {
            errors.push(FieldError::new(
                "time_zone",
                format!(
                    "\u{201c}{}\u{201d} is not a time zone name (use an IANA name such as America/Los_Angeles)",
                    self.time_zone.trim()
                ),
            ));
        }
        let mut any_open = false;
        for (weekday, name) in WeeklyHours::DAYS {
            let Some(hours) = self.hours.day(weekday) else {
                continue;
            };
            let open = parse_time_of_day(&hours.open);
            let close = parse_time_of_day(&hours.close);
            if let Err(message) = &open {
                errors.push(FieldError::new(format!("hours.{name}.open"), message.clone()));
            }
            if let Err(message) = &close {
                errors.push(FieldError::new(format!("hours.{name}.close"), message.clone()));
            }
            if let (Ok(open), Ok(close)) = (open, close) {
                if open >= close {
                    errors.push(FieldError::new(
                        format!("hours.{name}.close"),
                        format!(
                            "closing time {} must be after opening time {} (hours past midnight are not supported)",
                            close.format("%H:%M"),
                            open.format("%H:%M")
                        ),
                    ));
                } else {
                    any_open = true;
                }
            }
        }
        if !any_open && !errors.iter().any(|e| e.field.starts_with("hours.")) {
            errors.push(FieldError::new("hours", "at least one weekday must have opening hours"));
        }
        if self.closures.len() > CLOSURES_MAX {
            errors.push(FieldError::new("closures", format!("at most {CLOSURES_MAX} closure days")));
        }
        for (i, closure) in self.closures.iter().enumerate() {
            if closure.label.trim().is_empty() {
                errors.push(FieldError::new(format!("closures.{i}.label"), "give the closure a name"));
            } else if let Err(message) = validate::text(&closure.label, LABEL_MAX) {
                errors.push(FieldError::new(format!("closures.{i}.label"), message));
            }
        }
        if self.added_state_holidays.len() > CLOSURES_MAX {
            errors.push(FieldError::new("added_state_holidays", format!("at most {CLOSURES_MAX} added holidays")));
        }
        for (i, holiday) in self.added_state_holidays.iter().enumerate() {
            let field = format!("added_state_holidays.{i}.label");
            if holiday.label.trim().is_empty() {
                errors.push(FieldError::new(
                    field,
                    "give the holiday its name (as the statute or proclamation names it)",
                ));
            } else if let Err(message) = validate::text(&holiday.label, LABEL_MAX) {
                errors.push(FieldError::new(field, message));
            }
        }
        errors
    }

    /// Trims names and times ("8:00" → "08:00") and sorts closures by date, dropping exact repeats.
    pub fn normalized(mut self) -> BusinessCalendar {
        self.time_zone = self.time_zone.trim().to_string();
        for (weekday, _) in WeeklyHours::DAYS {
            let tidy = self.hours.day(weekday).map(|h| {
                let fmt = |s: &str| {
                    parse_time_of_day(s).map(|t| t.format("%H:%M").to_string()).unwrap_or(s.trim().to_string())
                };
                OpenHours { open: fmt(&h.open), close: fmt(&h.close) }
            });
            self.hours.set(weekday, tidy);
        }
        for closure in &mut self.closures {
            closure.label = closure.label.trim().to_string();
        }
        self.closures.sort();
        self.closures.dedup();
        for holiday in &mut self.added_state_holidays {
            holiday.label = holiday.label.trim().to_string();
        }
        self.added_state_holidays.sort();
        self.added_state_holidays.dedup();
        self
    }

    /// Adds closures not already present for their date; returns how many were added.
    pub fn merge_closures(&mut self, closures: Vec<Closure>) -> usize {
        // A set of the known dates keeps this linear (an .ics of thousands of days against a
        // calendar of thousands was quadratic).
        let mut known: std::collections::HashSet<chrono::NaiveDate> = self.closures.iter().map(|c| c.date).collect();
        let before = self.closures.len();
        self.closures.extend(closures.into_iter().filter(|c| known.insert(c.date)));
        self.closures.sort();
        self.closures.len() - before
    }

    /// The fast form used for deadline arithmetic; refuses an invalid calendar.
    pub fn compile(&self) -> Result<CompiledCalendar> {
        CompiledCalendar::new(self)
    }

    /// Closed days of `year` that fall on otherwise open weekdays or not (every holiday and closure),
    /// in date order, for the calendar screen.
    pub fn closed_days(&self, year: i32) -> Vec<ClosedDay> {
        let mut days: Vec<ClosedDay> = Vec::new();
        if self.california_holidays {
            days.extend(california_holidays(year).into_iter().map(|h| ClosedDay {
                date: h.observed,
                label: h.label(),
                kind: "california_holiday",
            }));
            days.extend(
                self.added_state_holidays
                    .iter()
                    .filter(|c| chrono::Datelike::year(&c.date) == year)
                    .map(|c| ClosedDay { date: c.date, label: c.label.clone(), kind: "added_state_holiday" }),
            );
        }
        days.extend(self.closures.iter().filter(|c| chrono::Datelike::year(&c.date) == year).map(|c| ClosedDay {
            date: c.date,
            label: c.label.clone(),
            kind: "closure",
        }));
        days.sort_by(|a, b| a.date.cmp(&b.date).then(a.kind.cmp(b.kind)));
        days
    }
}

/// Every IANA zone name a calendar may use, sorted, for the settings screen's suggestions.
pub fn time_zone_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
    names.sort_unstable();
    names
}

/// What importing an iCalendar file into a calendar gives (nothing stored yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IcsMerge {
    /// Closure days the file added (dates already closed keep their label).
    pub added: usize,
    /// All-day events read from the file.
    pub read: usize,
    /// The closures the file holds, in date order.
    pub closures: Vec<Closure>,
    /// `calendar` with the file's closure days merged in, validated as `save` would.
    pub merged: BusinessCalendar,
}

/// Merges the closure days of an iCalendar document into `calendar` (pure: the window's import
/// and the command line's, a dry run included, decide the same). Refused: a file that is not
/// iCalendar or has an event that is not all-day (named by its line), or a merged calendar that
/// would not save.
pub fn merge_ics(calendar: BusinessCalendar, text: &str) -> Result<IcsMerge> {
    let closures = import_ics(text)?;
    let read = closures.len();
    let mut merged = calendar;
    let added = merged.merge_closures(closures.clone());
    let merged = merged.normalized();
    let errors = merged.validate();
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    Ok(IcsMerge { added, read, closures, merged })
}

/// The stored calendar, or the default one if none was saved.
pub fn load(conn: &rusqlite::Connection) -> Result<BusinessCalendar> {
    settings::load(conn, &ENTITY_CALENDAR)
}

/// Where the entity's calendar is kept (the SEN business-hours clock).
pub const ENTITY_CALENDAR: settings::Key<BusinessCalendar> = settings::Key::new(SETTINGS_KEY);
/// Where the state office calendar is kept (the fallback's hours).
pub const STATE_OFFICE_CALENDAR: settings::Key<BusinessCalendar> = settings::Key::new(STATE_OFFICE_SETTINGS_KEY);

impl settings::Setting for BusinessCalendar {
    fn checked(self) -> Result<BusinessCalendar> {
        let calendar = self.normalized();
        let errors = calendar.validate();
        settings::refuse_if_any(calendar, errors)
    }
}

/// Validates then stores the calendar. On any invalid field nothing is written. The state
/// holidays added to it are the state's, so the state office calendar (the fallback's hours) gets
/// the same list in the same transaction.
pub fn save(conn: &rusqlite::Connection, calendar: BusinessCalendar, now: DateTime<Utc>) -> Result<BusinessCalendar> {
    crate::store::atomically(conn, |conn| {
        let saved = settings::save(conn, &ENTITY_CALENDAR, calendar, now)?;
        let mut office = load_state_office(conn)?;
        if office.added_state_holidays != saved.added_state_holidays {
            office.added_state_holidays = saved.added_state_holidays.clone();
            settings::save(conn, &STATE_OFFICE_CALENDAR, office, now)?;
        }
        Ok(saved)
    })
}

/// Adds a holiday the state added (a date and its name, e.g. by statute) to the stored entity
/// calendar and saves it, the state office calendar too (see [`save`]). A date already added is
/// renamed. An edit, not a release.
pub fn add_state_holiday(
    conn: &rusqlite::Connection,
    date: NaiveDate,
    name: &str,
    now: DateTime<Utc>,
) -> Result<BusinessCalendar> {
    let mut calendar = load(conn)?;
    calendar.added_state_holidays.retain(|h| h.date != date);
    calendar.added_state_holidays.push(Closure { date, label: name.to_string() });
    save(conn, calendar, now)
}

// ---- the state office calendar -----------------------------------------------------------------
//
// The same calendar type, a second instance: the hours of the state's own offices (the CISO's
// phone line), used by the Cal-CSIRS fallback and the CISO next-business-day follow-up. The
// entity's calendar above stays the SEN business-hours clock.

/// Settings key of the state office calendar document.
pub const STATE_OFFICE_SETTINGS_KEY: &str = "state_office_calendar";

/// The reading behind the state office calendar, with the seed's words (001, section 4).
pub const STATE_OFFICE_READING: &str = "Seed 001: \u{201c}In the case that the Cal-CSIRS system is offline during normal \
business hours, contact CISO directly\u{201d} \u{2026} \u{201c}If the Cal-CSIRS system is offline outside of normal business \
hours and you require immediate law enforcement assistance, contact CHP\u{2019}s \u{2026} (ENTAC)\u{201d}. Incident Desk reads \
\u{201c}normal business hours\u{201d} as the state office\u{2019}s (the CISO\u{2019}s phone line), not your entity\u{2019}s: \
Monday-Friday 08:00-17:00 America/Los_Angeles without the California state holidays, whatever your own calendar says.";

/// Where the state holiday list comes from, shown beside it in Settings.
pub const HOLIDAYS_SOURCE: &str =
    "California state paid holidays: Government Code section 19853, as published by CalHR. \
A holiday the state adds (by statute or proclamation) is added here as a date with its name under \u{201c}State \
holidays added\u{201d}: an edit of this calendar, not a new release. It closes your calendar and the state office \
calendar (the fallback's hours) alike.";

/// The stored state office calendar, or the default (Mon-Fri 08:00-17:00 Pacific, state holidays).
pub fn load_state_office(conn: &rusqlite::Connection) -> Result<BusinessCalendar> {
    settings::load(conn, &STATE_OFFICE_CALENDAR)
}

/// Validates then stores the state office calendar. On any invalid field nothing is written.
pub fn save_state_office(
    conn: &rusqlite::Connection,
    calendar: BusinessCalendar,
    now: DateTime<Utc>,
) -> Result<BusinessCalendar> {
    settings::save(conn, &STATE_OFFICE_CALENDAR, calendar, now)
}
