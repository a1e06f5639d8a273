//! What may leave the window. Desktop notifications (often shown on the lock screen), the tray's
//! menu, tooltip and title are seen by whoever walks past a shared workstation, so by default they
//! carry only the deadline, the level and the SEN or report number: never the SOC's summary of a
//! SEN nor the report's text or title. The ISO can turn details on (Settings → Reminders).

use crate::error::Result;
use crate::settings;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Settings key of [`Privacy`].
pub const SETTINGS_KEY: &str = "privacy";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Privacy {
    /// Notifications and the tray may show the SOC's summary and the report's title.
    pub details_outside_window: bool,
}

/// The stored setting, or details off when none was saved.
/// Where the privacy choice is kept.
pub const SETTING: settings::Key<Privacy> = settings::Key::new(SETTINGS_KEY);

impl settings::Setting for Privacy {}

pub fn load(conn: &rusqlite::Connection) -> Result<Privacy> {
    settings::load(conn, &SETTING)
}

pub fn save(conn: &rusqlite::Connection, privacy: Privacy, now: DateTime<Utc>) -> Result<Privacy> {
    settings::save(conn, &SETTING, privacy, now)
}

/// How a report is named outside the window when details are off: its number (the first eight
/// characters of its id, as its file names and the window show it), never its title.
pub fn report_number(report_id: &str) -> String {
    let short: String = report_id.chars().take(8).collect();
    format!("report {short}")
}
