//! Security Event Notifications (SIMM 5335-A): levels as data, the response clock, the six
//! response formats.

pub mod deadlines;
pub mod levels;
pub mod responses;

pub use deadlines::{schedule, status, ClockStatus, DeterminationTimes, Escalation, Outcome, Schedule, SenTimes, StageDue};
pub use levels::{ClockKind, EscalationClock, LevelInfo, LevelRule, Stage, ESCALATION_CLOCK_SEED_WORDS};

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

pub fn save_settings(conn: &rusqlite::Connection, value: SenSettings, now: DateTime<Utc>) -> Result<SenSettings> {
    settings::put(conn, SETTINGS_KEY, &value, now)?;
    Ok(value)
}
