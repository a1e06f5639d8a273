//! Security Event Notifications (SIMM 5335-A): levels as data, the response clock, the six
//! response formats, and the SEN records with their history.

pub mod deadlines;
pub mod levels;
pub mod responses;
pub mod store;

pub use deadlines::{
    schedule, status, ClockStatus, DeterminationTimes, Escalation, Outcome, Schedule, SenTimes,
    StageDue,
};
pub use levels::{
    ClockKind, EscalationClock, LevelInfo, LevelRule, Stage, ESCALATION_CLOCK_SEED_WORDS,
};
pub use store::{
    Determination, HistoryEntry, NewSen, PortalSen, PortalSync, Sen, SenStatus, Source,
};

use crate::calendar::CompiledCalendar;
use crate::error::Result;
use crate::settings;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Settings key of [`SenSettings`].
pub const SETTINGS_KEY: &str = "sen";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SenSettings {
    pub escalation_clock: EscalationClock,
}

pub fn load_settings(conn: &rusqlite::Connection) -> Result<SenSettings> {
    Ok(settings::get(conn, SETTINGS_KEY)?.unwrap_or_default())
}

pub fn save_settings(
    conn: &rusqlite::Connection,
    value: SenSettings,
    now: DateTime<Utc>,
) -> Result<SenSettings> {
    settings::put(conn, SETTINGS_KEY, &value, now)?;
    Ok(value)
}

/// One SEN as the board shows it: the record, its level, and (for levels with rules) its clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SenCard {
    pub sen: Sen,
    pub level: LevelInfo,
    /// `None` for levels this edition of the standard has no windows for (see `level.note`).
    pub schedule: Option<Schedule>,
    pub status: Option<ClockStatus>,
}

pub fn card(
    sen: Sen,
    calendar: &CompiledCalendar,
    escalation_clock: EscalationClock,
    now: DateTime<Utc>,
) -> SenCard {
    let level = levels::describe(&sen.level);
    let schedule = level
        .rule
        .map(|rule| schedule(rule, calendar, &sen.times(), escalation_clock));
    let status = schedule.as_ref().map(|s| status(s, calendar, now));
    SenCard {
        sen,
        level,
        schedule,
        status,
    }
}

/// The open SENs (oldest first) with their clocks: what the SEN board and `sen list` show.
pub fn board(
    conn: &rusqlite::Connection,
    calendar: &CompiledCalendar,
    escalation_clock: EscalationClock,
    now: DateTime<Utc>,
) -> Result<Vec<SenCard>> {
    Ok(store::list_open(conn)?
        .into_iter()
        .map(|sen| card(sen, calendar, escalation_clock, now))
        .collect())
}
