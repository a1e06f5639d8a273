//! The ISO's reminder preferences, stored in settings under "reminders": which points of each
//! window to be reminded at, and quiet hours (which never hold back a Critical SEN or a report
//! deadline).

use crate::calendar::parse_time_of_day;
use crate::error::{FieldError, Result};
use crate::settings;
use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// Settings key of [`ReminderPrefs`].
pub const SETTINGS_KEY: &str = "reminders";
/// At most this many "minutes before" points.
pub const MINUTES_BEFORE_MAX_COUNT: usize = 4;
/// A "minutes before" point is at most a day before the due time.
pub const MINUTES_BEFORE_MAX: u32 = 24 * 60;

/// What quiet hours do, shown next to the setting.
pub const QUIET_HOURS_HELP: &str = "During quiet hours, reminders for High and Medium SENs are held and shown \
when quiet hours end (together, as one summary). Critical SENs and report deadlines are never held: \
their clocks run in clock hours, nights and weekends included.";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReminderPrefs {
    /// Remind when half of a stage's window has passed (on the window's own clock).
    pub at_half_window: bool,
    /// Remind this many clock minutes before each due time.
    pub minutes_before: Vec<u32>,
    /// Remind at the due time.
    pub at_due: bool,
    /// Remind at each escalation level (SIMM 5335-A III.G) of a stage still open.
    pub at_escalations: bool,
    /// Remind before the incident report deadlines (Cal-CSIRS 60 minutes, federal CAT timeframe).
    pub report_deadlines: bool,
    pub quiet_hours: QuietHours,
}

impl Default for ReminderPrefs {
    fn default() -> Self {
        ReminderPrefs {
            at_half_window: true,
            minutes_before: vec![15],
            at_due: true,
            at_escalations: true,
            report_deadlines: true,
            quiet_hours: QuietHours::default(),
        }
    }
}

/// A daily quiet period in the business calendar's time zone; `start` after `end` spans midnight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QuietHours {
    pub enabled: bool,
    /// "HH:MM", 24-hour.
    pub start: String,
    pub end: String,
}

impl Default for QuietHours {
    fn default() -> Self {
        QuietHours { enabled: false, start: "22:00".into(), end: "07:00".into() }
    }
}

impl QuietHours {
    /// Start and end as times of day, when enabled and valid.
    pub fn window(&self) -> Option<(NaiveTime, NaiveTime)> {
        if !self.enabled {
            return None;
        }
        let start = parse_time_of_day(&self.start).ok()?;
        let end = parse_time_of_day(&self.end).ok()?;
        (start != end).then_some((start, end))
    }
}

impl ReminderPrefs {
    /// Every problem at once, each naming its field.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.minutes_before.len() > MINUTES_BEFORE_MAX_COUNT {
            errors.push(FieldError::new(
                "minutes_before",
                format!("give at most {MINUTES_BEFORE_MAX_COUNT} reminder times before a deadline"),
            ));
        }
        if let Some(bad) = self.minutes_before.iter().find(|m| **m == 0 || **m > MINUTES_BEFORE_MAX) {
            errors.push(FieldError::new(
                "minutes_before",
                format!("{bad} is not a number of minutes from 1 to {MINUTES_BEFORE_MAX} (a day)"),
            ));
        }
        let start = parse_time_of_day(&self.quiet_hours.start);
        let end = parse_time_of_day(&self.quiet_hours.end);
        if let Err(m) = &start {
            errors.push(FieldError::new("quiet_hours.start", m.clone()));
        }
        if let Err(m) = &end {
            errors.push(FieldError::new("quiet_hours.end", m.clone()));
        }
        if let (Ok(s), Ok(e)) = (start, end) {
            if s == e && self.quiet_hours.enabled {
                errors.push(FieldError::new("quiet_hours.end", "quiet hours must end at another time than they start"));
            }
        }
        errors
    }

    /// Trims the times, sorts the minutes (largest first) and drops repeats.
    pub fn normalized(mut self) -> ReminderPrefs {
        self.minutes_before.sort_unstable_by(|a, b| b.cmp(a));
        self.minutes_before.dedup();
        let tidy = |s: &mut String| {
            *s = match parse_time_of_day(s) {
                Ok(t) => t.format("%H:%M").to_string(),
                Err(_) => s.trim().to_string(),
            }
        };
        tidy(&mut self.quiet_hours.start);
        tidy(&mut self.quiet_hours.end);
        self
    }
}

/// The stored preferences, or the defaults.
/// Where the reminder preferences are kept.
pub const SETTING: settings::Key<ReminderPrefs> = settings::Key::new(SETTINGS_KEY);

pub fn load(conn: &rusqlite::Connection) -> Result<ReminderPrefs> {
    settings::load(conn, &SETTING)
}

/// Validates then stores the preferences; on any invalid field nothing is written.
pub fn save(conn: &rusqlite::Connection, prefs: ReminderPrefs, now: DateTime<Utc>) -> Result<ReminderPrefs> {
    settings::save(conn, &SETTING, prefs, now)
}

impl settings::Setting for ReminderPrefs {
    fn checked(self) -> Result<ReminderPrefs> {
        let prefs = self.normalized();
        let errors = prefs.validate();
        settings::refuse_if_any(prefs, errors)
    }
}
