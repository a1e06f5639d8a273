//! Security Event Notifications (SIMM 5335-A): levels as data, the response clock, the six
//! response formats, and the SEN records with their history.

pub mod deadlines;
pub mod help;
pub mod levels;
pub mod number;
pub mod responses;
pub mod store;

pub use deadlines::{
    schedule, status, ClockStatus, DeterminationTimes, Escalation, OutOfOrder, Outcome, Schedule, SenTimes, StageDue,
};
pub use help::{HelpContact, HelpGuide, HELP_DETAILS_PREFIX, HELP_GUIDE};
pub use levels::{
    initial_distribution, ClockKind, EscalationClock, InitialDistribution, LevelInfo, LevelRule, SenReadings, Stage,
    ESCALATION_CLOCK_SEED_WORDS, INITIAL_DISTRIBUTION, SEN_READINGS,
};
pub use number::SenNumber;
pub use store::{Determination, HistoryEntry, Intake, NewSen, PortalSen, PortalSync, Sen, SenStatus, Source};

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

/// Where the SEN readings are kept.
pub const SETTING: settings::Key<SenSettings> = settings::Key::new(SETTINGS_KEY);

impl settings::Setting for SenSettings {}

pub fn load_settings(conn: &rusqlite::Connection) -> Result<SenSettings> {
    settings::load(conn, &SETTING)
}

pub fn save_settings(conn: &rusqlite::Connection, value: SenSettings, now: DateTime<Utc>) -> Result<SenSettings> {
    settings::save(conn, &SETTING, value, now)
}

/// One SEN as the board shows it: the record, its level, and (for levels with rules) its clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SenCard {
    pub sen: Sen,
    pub level: LevelInfo,
    /// `None` for levels this edition of the standard has no windows for (see `level.note`).
    pub schedule: Option<Schedule>,
    pub status: Option<ClockStatus>,
    /// The card's times in the calendar's zone, for display.
    pub local: LocalTimes,
}

/// Times of one card as RFC 3339 in the calendar's zone with that zone's offset
/// (`2026-03-09T09:00:00-07:00`): what the edges show, so nobody converts zones by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalTimes {
    /// IANA name of the calendar's zone.
    pub time_zone: String,
    pub sent_at: String,
    /// One per stage of `schedule`, in order (empty without a schedule).
    pub stages: Vec<LocalStage>,
    /// One per entry of `schedule.escalations`, same order.
    pub escalations: Vec<String>,
    /// `status.next_escalation.at`, when there is one.
    pub next_escalation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalStage {
    pub stage: Stage,
    pub start: String,
    pub due: String,
    pub completed_at: Option<String>,
}

impl LocalTimes {
    fn new(
        calendar: &CompiledCalendar,
        sent_at: DateTime<Utc>,
        schedule: Option<&Schedule>,
        status: Option<&ClockStatus>,
    ) -> LocalTimes {
        let local = |t| calendar.to_local_rfc3339(t);
        LocalTimes {
            time_zone: calendar.time_zone().name().to_string(),
            sent_at: local(sent_at),
            stages: schedule
                .map(|s| {
                    s.stages
                        .iter()
                        .map(|d| LocalStage {
                            stage: d.stage,
                            start: local(d.start),
                            due: local(d.due),
                            completed_at: d.completed_at.map(local),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            escalations: schedule.map(|s| s.escalations.iter().map(|e| local(e.at)).collect()).unwrap_or_default(),
            next_escalation: status.and_then(|s| s.next_escalation.as_ref()).map(|e| local(e.at)),
        }
    }
}

pub fn card(sen: Sen, calendar: &CompiledCalendar, escalation_clock: EscalationClock, now: DateTime<Utc>) -> SenCard {
    let level = levels::describe(&sen.level);
    let schedule = level.rule.map(|rule| schedule(rule, calendar, &sen.times(), escalation_clock));
    let status = schedule.as_ref().map(|s| status(s, calendar, now));
    let local = LocalTimes::new(calendar, sen.sent_at, schedule.as_ref(), status.as_ref());
    SenCard { sen, level, schedule, status, local }
}

/// When SEN clocks next read differently other than by counting down (see
/// [`ClockStatus::changes_at`]), including business time starting or stopping while one counts it:
/// a page showing them asks again then, instead of on a timer.
pub fn clocks_change_at<'a>(
    statuses: impl IntoIterator<Item = &'a ClockStatus>,
    calendar: &CompiledCalendar,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let statuses: Vec<&ClockStatus> = statuses.into_iter().collect();
    let business_turns =
        statuses.iter().any(|status| status.counts_business_time()).then(|| calendar.business_clock_at(now).until);
    statuses.iter().filter_map(|status| status.changes_at()).chain(business_turns).filter(|at| *at > now).min()
}

/// The open SENs (oldest first) with their clocks: what the SEN board and `sen list` show.
pub fn board(
    conn: &rusqlite::Connection,
    calendar: &CompiledCalendar,
    escalation_clock: EscalationClock,
    now: DateTime<Utc>,
) -> Result<Vec<SenCard>> {
    Ok(store::list_open(conn)?.into_iter().map(|sen| card(sen, calendar, escalation_clock, now)).collect())
}
