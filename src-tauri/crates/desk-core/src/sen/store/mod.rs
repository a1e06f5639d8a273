//! SEN records and their append-only history. Each function is one SQLite transaction taking `now`;
//! a state change and the outbox item that tells the portal about it commit together or not at all.
//! One file per concept: the record and its history here, intake and queries (records.rs), the
//! response transitions (transitions.rs), the portal feed's merge (portal.rs).

mod portal;
mod records;
mod transitions;

pub use portal::{upsert_from_portal, PortalSen, PortalSync};
pub use records::{already_recorded_message, create, get, list_all, list_open, list_recent_closed, take_in, Intake};
pub use transitions::{acknowledge, determine, link_report, Determination};

use crate::audit::{self, Actor};
use crate::error::{Error, Result};
use crate::report::ReportId;
use crate::sen::deadlines::{DeterminationTimes, Outcome, SenTimes};
use crate::sen::SenNumber;
use crate::store::time::stored;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// Where a SEN record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Email,
    Portal,
    Manual,
    Paste,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Email => "email",
            Source::Portal => "portal",
            Source::Manual => "manual",
            Source::Paste => "paste",
        }
    }

    fn parse(value: &str) -> Option<Source> {
        [Source::Email, Source::Portal, Source::Manual, Source::Paste].into_iter().find(|s| s.as_str() == value)
    }
}

/// Local response state of a SEN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SenStatus {
    /// Not acknowledged yet.
    New,
    /// Acknowledged, no determination yet.
    Acknowledged,
    /// More time requested; the determination is due by `findings_by`.
    MoreTime,
    /// Assistance requested from the SOC (the latest determination); stored as `more_time`.
    HelpRequested,
    /// Confirmed incident; the incident report still has to be associated.
    Confirmed,
    /// Nothing more owed (false positive, or the incident report is associated).
    Closed,
}

impl SenStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SenStatus::New => "new",
            SenStatus::Acknowledged => "acknowledged",
            SenStatus::MoreTime => "more_time",
            SenStatus::HelpRequested => "help_requested",
            SenStatus::Confirmed => "confirmed",
            SenStatus::Closed => "closed",
        }
    }

    /// The stored form: the status CHECK of migration 0002 predates help requests, which are
    /// stored as `more_time` (told apart by `help_requested_at`, see migration 0010).
    fn column(self) -> &'static str {
        match self {
            SenStatus::HelpRequested => SenStatus::MoreTime.as_str(),
            other => other.as_str(),
        }
    }

    fn parse(value: &str) -> Option<SenStatus> {
        [SenStatus::New, SenStatus::Acknowledged, SenStatus::MoreTime, SenStatus::Confirmed, SenStatus::Closed]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// A SEN to record (manual entry, pasted subject, imported e-mail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSen {
    pub sen_number: String,
    pub level: String,
    pub sent_at: DateTime<Utc>,
    #[serde(default)]
    pub summary: String,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sen {
    pub sen_number: SenNumber,
    pub level: String,
    pub sent_at: DateTime<Utc>,
    pub summary: String,
    pub status: SenStatus,
    pub source: Source,
    pub portal_status: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub ack_format: Option<String>,
    pub ack_text: Option<String>,
    pub determined_at: Option<DateTime<Utc>>,
    pub outcome: Option<Outcome>,
    pub details: Option<String>,
    pub findings_by: Option<DateTime<Utc>>,
    /// When more time was last requested (kept after a later determination).
    pub more_time_requested_at: Option<DateTime<Utc>>,
    /// When assistance was last requested from the SOC (kept after a later determination).
    pub help_requested_at: Option<DateTime<Utc>>,
    pub linked_report_id: Option<ReportId>,
    pub linked_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl Sen {
    /// The record `new` would become if created at `now`, without storing anything: what an
    /// intake preview (dry run) shows, clock included. Refuses what [`create`] would refuse.
    pub fn unsaved(new: NewSen, now: DateTime<Utc>) -> Result<Sen> {
        let new = records::validate_new(new, now)?;
        Ok(Sen {
            sen_number: SenNumber::from_stored(new.sen_number),
            level: new.level,
            sent_at: new.sent_at,
            summary: new.summary,
            status: SenStatus::New,
            source: new.source,
            portal_status: None,
            created_at: now,
            updated_at: now,
            acknowledged_at: None,
            ack_format: None,
            ack_text: None,
            determined_at: None,
            outcome: None,
            details: None,
            findings_by: None,
            more_time_requested_at: None,
            help_requested_at: None,
            linked_report_id: None,
            linked_at: None,
            closed_at: None,
        })
    }

    /// The timeline the deadline engine needs.
    pub fn times(&self) -> SenTimes {
        SenTimes {
            sent_at: self.sent_at,
            acknowledged_at: self.acknowledged_at,
            determination: match (self.determined_at, self.outcome) {
                (Some(at), Some(outcome)) => Some(DeterminationTimes {
                    at,
                    outcome,
                    findings_by: self.findings_by,
                    // Rows written before migration 0010 know it only while the request is the
                    // latest determination.
                    requested_at: self.more_time_requested_at.or((outcome == Outcome::MoreTime).then_some(at)),
                    help_requested_at: self.help_requested_at,
                }),
                _ => None,
            },
            linked_at: self.linked_at,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    pub id: i64,
    pub sen_number: SenNumber,
    /// created | portal_update | acknowledged | determined | linked
    pub event: String,
    pub at: DateTime<Utc>,
    pub detail: serde_json::Value,
    /// Who did it (empty for rows written before accountability).
    pub actor: Actor,
}

/// Every transition of one SEN, oldest first.
pub fn history(conn: &Connection, sen_number: &SenNumber) -> Result<Vec<HistoryEntry>> {
    let sen = get(conn, sen_number)?;
    let mut stmt = conn.prepare(
        "SELECT id, sen_number, event, at, detail, actor_user, actor_host FROM sen_history WHERE sen_number = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([&sen.sen_number], |r| {
        let detail: String = r.get(4)?;
        Ok(HistoryEntry {
            id: r.get(0)?,
            sen_number: r.get(1)?,
            event: r.get(2)?,
            at: parse_ts(r, 3)?,
            detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
            actor: Actor::new(r.get::<_, String>(5)?, r.get::<_, String>(6)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn append_history(
    tx: &Connection,
    sen_number: &str,
    event: &str,
    at: DateTime<Utc>,
    detail: &serde_json::Value,
    actor: &Actor,
) -> Result<()> {
    let content = vec![
        SqlValue::Text(event.to_string()),
        SqlValue::Text(stored(at)),
        SqlValue::Text(serde_json::to_string(detail)?),
    ];
    audit::append(tx, &audit::SEN_HISTORY, sen_number, content, actor)
}

const COLUMNS: &str = "sen_number, level, sent_at, summary, status, source, portal_status, created_at, updated_at,
    acknowledged_at, ack_format, ack_text, determined_at, outcome, details, findings_by, linked_report_id, linked_at, closed_at,
    more_time_requested_at, help_requested_at";

/// The SEN a transition is about, or NotFound naming it.
fn find_existing(conn: &Connection, sen_number: &SenNumber) -> Result<Sen> {
    find(conn, sen_number)?.ok_or_else(|| Error::NotFound(format!("SEN {sen_number}")))
}

fn find(conn: &Connection, sen_number: &SenNumber) -> Result<Option<Sen>> {
    Ok(conn
        .query_row(&format!("SELECT {COLUMNS} FROM sens WHERE sen_number = ?1"), [sen_number], row_to_sen)
        .optional()?)
}

fn select_many(conn: &Connection, tail: &str) -> Result<Vec<Sen>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM sens {tail}"))?;
    let rows = stmt.query_map([], row_to_sen)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn row_to_sen(r: &Row<'_>) -> rusqlite::Result<Sen> {
    let status: String = r.get(4)?;
    let source: String = r.get(5)?;
    let outcome: Option<String> = r.get(13)?;
    let determined_at = parse_opt_ts(r, 12)?;
    let more_time_requested_at = parse_opt_ts(r, 19)?;
    let help_requested_at = parse_opt_ts(r, 20)?;
    let mut outcome = match outcome {
        Some(o) => Some(Outcome::parse(&o).ok_or_else(|| bad_value(13, &o))?),
        None => None,
    };
    let mut status = SenStatus::parse(&status).ok_or_else(|| bad_value(4, &status))?;
    // A help request is stored as more_time (migration 0010): it is the latest determination when
    // its time is the determination's own.
    if outcome == Some(Outcome::MoreTime)
        && help_requested_at.is_some()
        && help_requested_at == determined_at
        && more_time_requested_at != determined_at
    {
        outcome = Some(Outcome::RequestHelp);
        if status == SenStatus::MoreTime {
            status = SenStatus::HelpRequested;
        }
    }
    Ok(Sen {
        sen_number: r.get(0)?,
        level: r.get(1)?,
        sent_at: parse_ts(r, 2)?,
        summary: r.get(3)?,
        status,
        source: Source::parse(&source).ok_or_else(|| bad_value(5, &source))?,
        portal_status: r.get(6)?,
        created_at: parse_ts(r, 7)?,
        updated_at: parse_ts(r, 8)?,
        acknowledged_at: parse_opt_ts(r, 9)?,
        ack_format: r.get(10)?,
        ack_text: r.get(11)?,
        determined_at,
        outcome,
        details: r.get(14)?,
        findings_by: parse_opt_ts(r, 15)?,
        more_time_requested_at,
        help_requested_at,
        linked_report_id: r.get(16)?,
        linked_at: parse_opt_ts(r, 17)?,
        closed_at: parse_opt_ts(r, 18)?,
    })
}

fn bad_value(column: usize, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        format!("unexpected value \u{201c}{value}\u{201d}").into(),
    )
}

fn parse_ts(r: &Row<'_>, column: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = r.get(column)?;
    crate::store::time::parse_stored(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e)))
}

fn parse_opt_ts(r: &Row<'_>, column: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let text: Option<String> = r.get(column)?;
    match text {
        None => Ok(None),
        Some(_) => parse_ts(r, column).map(Some),
    }
}

/// A time in a message to the user: to the second.
fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}
