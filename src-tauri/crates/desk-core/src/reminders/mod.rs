//! Deadline reminders: what to remind the ISO of, and when, for every open SEN stage and every
//! unsent incident report, and the record of what was already shown.
//!
//! - [`plan`] is pure: from the open SENs' schedules, the reports' deadlines, the preferences, the
//!   reminders already fired and `now`, the ordered list of reminders still due (past ones included:
//!   a reminder whose time passed while the app was not running is still due, once).
//! - [`compose`] turns the reminders due at one moment into ONE notice: the reminder itself, or one
//!   summary when there are several (after a start, a wake from suspend or a clock jump).
//! - [`Planner::pass`] is what the shell's scheduler calls at each wake: plan (read again only when
//!   the data changed), and record the notice with its keys in one transaction, before it is
//!   shown ([`store`] explains the ordering); [`next_wake_in`] says how long it then sleeps.
//! - [`outlook`] is the tray's line: the next deadline and how many are overdue.
//!
//! Keys ([`ReminderKey`]) are stable: `sen:SOC-0123:acknowledge:15min`,
//! `sen:SOC-0123:determine:escalation-2`, `report:<id>:cal_csirs:due`. A key fires at most once for a given planned time; if its deadline
//! moves later (more time requested, a calendar change), the reminder is planned again.

mod key;
mod outlook;
pub mod pass;
mod plan;
pub mod prefs;
pub mod store;
mod text;
pub mod wake;

pub use key::ReminderKey;
pub use outlook::{outlook, NextDeadline, Outlook};
pub use pass::{Pass, PlanView, Planner};
pub use plan::{live_stages, plan, ReportClock, SenClock, QUEUED_NOT_RECEIVED};
pub use prefs::{QuietHours, ReminderPrefs};
pub use store::StoredNotice;
pub use text::{compose, render, Notice, Texts};
pub use wake::{next_wake_in, Upcoming};

use crate::report::ReportId;
use crate::sen::{ClockKind, SenNumber, Stage};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashMap;

/// Reminders already fired: key → when it last fired.
pub type Fired = HashMap<ReminderKey, DateTime<Utc>>;

/// How loudly to remind. Critical uses the notification server's critical urgency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Critical,
    High,
    Medium,
    /// A SEN level this edition of the standard has no rule for (none are planned today).
    Other,
}

impl Severity {
    pub fn of_level(level: &str) -> Severity {
        match level.trim().to_ascii_lowercase().as_str() {
            "critical" => Severity::Critical,
            "high" => Severity::High,
            "medium" => Severity::Medium,
            _ => Severity::Other,
        }
    }

    pub fn is_critical(self) -> bool {
        self == Severity::Critical
    }
}

/// The record a reminder is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    Sen { sen_number: SenNumber },
    Report { report_id: ReportId },
}

impl Record {
    /// First part of the reminder keys: `sen:SOC-0123`, `report:<id>`.
    pub fn key(&self) -> String {
        match self {
            Record::Sen { sen_number } => format!("sen:{sen_number}"),
            Record::Report { report_id } => format!("report:{report_id}"),
        }
    }

    /// Where the window shows it: `#/sens/SOC-0123`, `#/reports/<id>`.
    pub fn route(&self) -> String {
        match self {
            Record::Sen { sen_number } => format!("#/sens/{sen_number}"),
            Record::Report { report_id } => format!("#/reports/{report_id}"),
        }
    }
}

/// What is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Subject {
    /// A SEN response stage (SIMM 5335-A III.D).
    Stage { stage: Stage },
    /// The Cal-CSIRS report, 60 minutes from detection (CA-CND).
    CalCsirs,
    /// The federal category timeframe (US-CERT), when it is counted in hours.
    Federal { title: &'static str },
}

impl Subject {
    pub fn key(self) -> &'static str {
        match self {
            Subject::Stage { stage } => stage.as_str(),
            Subject::CalCsirs => "cal_csirs",
            Subject::Federal { .. } => "federal",
        }
    }
}

/// Which point of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Point {
    /// Half of the window has passed.
    Half,
    /// This many clock minutes before the due time.
    Before { minutes: u32 },
    /// The due time.
    Due,
    /// An escalation level (1-3) of a stage still open.
    Escalation { level: u8 },
}

impl Point {
    pub fn key(self) -> String {
        match self {
            Point::Half => "half".into(),
            Point::Before { minutes } => format!("{minutes}min"),
            Point::Due => "due".into(),
            Point::Escalation { level } => format!("escalation-{level}"),
        }
    }

    /// Which of two points at the same instant is kept.
    fn rank(self) -> u8 {
        match self {
            Point::Half => 0,
            Point::Before { .. } => 1,
            Point::Due => 2,
            Point::Escalation { .. } => 3,
        }
    }
}

/// An escalation of the stage a reminder is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EscalationNote {
    pub level: u8,
    pub at: DateTime<Utc>,
    pub recipients: &'static str,
}

/// One reminder of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    /// Stable id: `sen:SOC-0123:acknowledge:15min`.
    pub key: ReminderKey,
    /// When to show it (after quiet hours, if they held it back).
    pub at: DateTime<Utc>,
    /// When its rule puts it.
    pub planned_at: DateTime<Utc>,
    /// True when quiet hours moved it from `planned_at` to `at`.
    pub held_by_quiet_hours: bool,
    pub record: Record,
    /// "SOC-0123", or the report's title.
    pub label: String,
    pub severity: Severity,
    /// "Critical", "High", "Medium", "Report".
    pub severity_label: String,
    pub subject: Subject,
    pub point: Point,
    /// Start and due time of the window.
    pub start: DateTime<Utc>,
    pub due: DateTime<Utc>,
    pub clock: ClockKind,
    /// The window's length on its clock, e.g. "1 clock hour", "2 business hours".
    pub window: String,
    /// The stage's escalations not yet passed at `at`, or the one this reminder is about.
    pub escalations: Vec<EscalationNote>,
    /// The SOC's summary of the SEN, or the report's title.
    pub context: String,
    /// What the notification says when shown on time.
    pub title: String,
    pub body: String,
    /// Where "Open" goes.
    pub route: String,
}
