//! SEN records and their append-only history. Each function is one SQLite transaction taking `now`;
//! a state change and the outbox item that tells the portal about it commit together or not at all.

use super::deadlines::{DeterminationTimes, Outcome, SenTimes};
use super::{help, levels, responses};
use crate::audit::{self, Actor};
use crate::error::{Error, FieldError, Result};
use crate::outbox::{self, ItemKind};
use crate::store::time::stored;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;

const SUMMARY_MAX: usize = 2_000;
const DETAILS_MAX: usize = 20_000;
const NUMBER_MAX: usize = 40;
const LEVEL_MAX: usize = 40;
/// How far in the future a sent time may be (clock skew between the SOC and this workstation).
const FUTURE_SKEW_MINUTES: i64 = 10;

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

/// One SEN of the portal feed (`GET /api/v1/sens`), deserializable from the portal's JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalSen {
    pub sen_number: String,
    pub level: String,
    pub sent_at: DateTime<Utc>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

/// What a portal sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PortalSync {
    pub created: Vec<String>,
    /// SENs whose SOC-side fields (level, sent time, summary, portal status) changed.
    pub updated: Vec<String>,
    pub unchanged: usize,
    /// Feed entries refused, one line each (the rest of the feed is still applied).
    pub rejected: Vec<String>,
}

/// A determination as the ISO records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Determination {
    pub outcome: Outcome,
    pub details: String,
    /// Required with `MoreTime`: when the entity will provide status or findings. Refused with
    /// `RequestHelp` (a help request needs no date).
    #[serde(default)]
    pub findings_by: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sen {
    pub sen_number: String,
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
    pub linked_report_id: Option<String>,
    pub linked_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl Sen {
    /// The record `new` would become if created at `now`, without storing anything: what an
    /// intake preview (dry run) shows, clock included. Refuses what [`create`] would refuse.
    pub fn unsaved(new: NewSen, now: DateTime<Utc>) -> Result<Sen> {
        let new = validate_new(new, now)?;
        Ok(Sen {
            sen_number: new.sen_number,
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
    pub sen_number: String,
    /// created | portal_update | acknowledged | determined | linked
    pub event: String,
    pub at: DateTime<Utc>,
    pub detail: serde_json::Value,
    /// Who did it (empty for rows written before accountability).
    pub actor: Actor,
}

/// "soc-0123 " → "SOC-0123", or a message saying what is wrong.
pub fn normalize_sen_number(value: &str) -> std::result::Result<String, String> {
    let v = value.trim().to_uppercase();
    if v.is_empty() {
        return Err("enter the SEN number, e.g. SOC-0123".into());
    }
    let ok = v.len() <= NUMBER_MAX
        && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && v.chars().any(|c| c.is_ascii_digit())
        && !v.starts_with('-');
    if ok {
        Ok(v)
    } else {
        Err(format!("\u{201c}{}\u{201d} is not a SEN number (expected e.g. SOC-0123)", value.trim()))
    }
}

fn validate_level(value: &str) -> std::result::Result<String, String> {
    let v = levels::normalize(value);
    if v.is_empty() {
        return Err("enter the SEN level (critical, high, medium, ...)".into());
    }
    if v.len() > LEVEL_MAX || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(format!("\u{201c}{}\u{201d} is not a SEN level (critical, high, medium, ...)", value.trim()));
    }
    Ok(v)
}

fn validate_new(new: NewSen, now: DateTime<Utc>) -> Result<NewSen> {
    let mut errors = Vec::new();
    let sen_number = normalize_sen_number(&new.sen_number).unwrap_or_else(|m| {
        errors.push(FieldError::new("sen_number", m));
        String::new()
    });
    let level = validate_level(&new.level).unwrap_or_else(|m| {
        errors.push(FieldError::new("level", m));
        String::new()
    });
    if new.sent_at > now + chrono::TimeDelta::minutes(FUTURE_SKEW_MINUTES) {
        errors.push(FieldError::new("sent_at", "the sent time is in the future; check the date and time"));
    }
    let summary = new.summary.trim().to_string();
    if let Err(m) = crate::validate::text(&summary, SUMMARY_MAX) {
        errors.push(FieldError::new("summary", m));
    }
    if errors.is_empty() {
        Ok(NewSen { sen_number, level, summary, ..new })
    } else {
        Err(Error::Invalid(errors))
    }
}

/// What taking in a SEN notice (a mail, a pasted subject line, a SEN typed in) came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intake {
    /// Recorded by this call.
    Recorded(Sen),
    /// A dry run: the record the notice would become; nothing was stored.
    Unsaved(Sen),
    /// A SEN with this number is already recorded (the same notice twice, a mail rule run again):
    /// nothing was changed. The record as stored.
    AlreadyRecorded(Sen),
}

/// THE intake rule, for every edge: a SEN number already recorded is never recorded again and
/// changes nothing ([`Intake::AlreadyRecorded`], whatever the notice says); otherwise the notice is
/// validated and recorded (or, with `dry_run`, only shown as [`Intake::Unsaved`]). Each edge
/// presents the outcome its own way (the CLI exits 0 saying "already recorded", the window gets
/// `sen_already_recorded`).
pub fn take_in(conn: &Connection, new: NewSen, dry_run: bool, now: DateTime<Utc>, actor: &Actor) -> Result<Intake> {
    if dry_run {
        return Ok(match recorded(conn, &new.sen_number)? {
            Some(existing) => Intake::AlreadyRecorded(existing),
            None => Intake::Unsaved(Sen::unsaved(new, now)?),
        });
    }
    crate::store::atomically(conn, |tx| -> Result<Intake> {
        if let Some(existing) = recorded(tx, &new.sen_number)? {
            return Ok(Intake::AlreadyRecorded(existing));
        }
        let new = validate_new(new, now)?;
        insert(tx, &new, None, now, actor)?;
        Ok(Intake::Recorded(find_existing(tx, &new.sen_number)?))
    })
}

/// The record a notice's SEN number names, when it is a well-formed number already recorded (a
/// malformed one is refused by the validation that follows, with the other fields' messages).
fn recorded(conn: &Connection, sen_number: &str) -> Result<Option<Sen>> {
    match normalize_sen_number(sen_number) {
        Ok(number) => find(conn, &number),
        Err(_) => Ok(None),
    }
}

/// What is said when a SEN number is already recorded.
pub fn already_recorded_message(existing: &Sen) -> String {
    format!(
        "{} is already recorded (level {}, sent {}, from {}); nothing was changed",
        existing.sen_number,
        existing.level,
        time_text(existing.sent_at),
        existing.source.as_str()
    )
}

/// Records a new SEN ([`take_in`]); a SEN number already present is a Conflict and changes nothing.
pub fn create(conn: &Connection, new: NewSen, now: DateTime<Utc>, actor: &Actor) -> Result<Sen> {
    match take_in(conn, new, false, now, actor)? {
        Intake::Recorded(created) | Intake::Unsaved(created) => Ok(created),
        Intake::AlreadyRecorded(existing) => Err(Error::Conflict(already_recorded_message(&existing))),
    }
}

fn insert(tx: &Connection, new: &NewSen, portal_status: Option<&str>, now: DateTime<Utc>, actor: &Actor) -> Result<()> {
    tx.execute(
        "INSERT INTO sens (sen_number, level, sent_at, summary, status, source, portal_status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'new', ?5, ?6, ?7, ?7)",
        params![
            new.sen_number,
            new.level,
            stored(new.sent_at),
            new.summary,
            new.source.as_str(),
            portal_status,
            stored(now)
        ],
    )?;
    let detail = json!({
        "level": new.level,
        "sent_at": stored(new.sent_at),
        "summary": new.summary,
        "source": new.source.as_str(),
    });
    append_history(tx, &new.sen_number, "created", now, &detail, actor)
}

/// Applies the portal feed: new SENs are created (source portal); known ones get the SOC-side
/// fields (level, sent time, non-empty summary, portal status) refreshed. Local response state
/// (acknowledgement, determination, link, local status) is never touched.
pub fn upsert_from_portal(
    conn: &Connection,
    feed: &[PortalSen],
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<PortalSync> {
    crate::store::atomically(conn, |tx| {
        let mut sync = PortalSync::default();
        for item in feed {
            // The portal's clock may run ahead of ours: a SEN stamped in our future is still a SEN
            // the SOC sent, never refused (the feed would skip it). It counts from when it reached
            // this workstation, and a known SEN keeps the time it was first counted from.
            let ahead = item.sent_at > now + chrono::TimeDelta::minutes(FUTURE_SKEW_MINUTES);
            if ahead {
                tracing::warn!(sen = %item.sen_number.trim(), "the portal's sent time is ahead of this workstation's clock; counted from its arrival");
            }
            let new = NewSen {
                sen_number: item.sen_number.clone(),
                level: item.level.clone(),
                sent_at: if ahead { now } else { item.sent_at },
                summary: item.summary.clone().unwrap_or_default(),
                source: Source::Portal,
            };
            let new = match validate_new(new, now) {
                Ok(new) => new,
                Err(e) => {
                    sync.rejected.push(format!("{}: {e}", item.sen_number.trim()));
                    continue;
                }
            };
            let portal_status = item.status.as_deref().map(str::trim).filter(|s| !s.is_empty());
            match find(tx, &new.sen_number)? {
                None => {
                    insert(tx, &new, portal_status, now, actor)?;
                    sync.created.push(new.sen_number);
                }
                Some(existing) => {
                    let new = if ahead { NewSen { sent_at: existing.sent_at, ..new } } else { new };
                    let mut changes = serde_json::Map::new();
                    if existing.level != new.level {
                        changes.insert("level".into(), json!({"from": existing.level, "to": new.level}));
                    }
                    if existing.sent_at != new.sent_at {
                        changes.insert(
                            "sent_at".into(),
                            json!({"from": stored(existing.sent_at), "to": stored(new.sent_at)}),
                        );
                    }
                    let summary = if new.summary.is_empty() { existing.summary.clone() } else { new.summary.clone() };
                    if existing.summary != summary {
                        changes.insert("summary".into(), json!({"from": existing.summary, "to": summary}));
                    }
                    let portal_status = portal_status.map(str::to_string).or(existing.portal_status.clone());
                    if existing.portal_status != portal_status {
                        changes.insert(
                            "portal_status".into(),
                            json!({"from": existing.portal_status, "to": portal_status}),
                        );
                    }
                    if changes.is_empty() {
                        sync.unchanged += 1;
                        continue;
                    }
                    tx.execute(
                        "UPDATE sens SET level = ?2, sent_at = ?3, summary = ?4, portal_status = ?5, updated_at = ?6
                         WHERE sen_number = ?1",
                        params![new.sen_number, new.level, stored(new.sent_at), summary, portal_status, stored(now)],
                    )?;
                    append_history(
                        tx,
                        &new.sen_number,
                        "portal_update",
                        now,
                        &serde_json::Value::Object(changes),
                        actor,
                    )?;
                    sync.updated.push(new.sen_number);
                }
            }
        }
        Ok(sync)
    })
}

pub fn get(conn: &Connection, sen_number: &str) -> Result<Sen> {
    let number = normalize_sen_number(sen_number).map_err(|m| Error::invalid("sen_number", m))?;
    find(conn, &number)?.ok_or_else(|| Error::NotFound(format!("SEN {number}")))
}

/// SENs still owing a response (every status but closed), oldest first.
pub fn list_open(conn: &Connection) -> Result<Vec<Sen>> {
    select_many(conn, "WHERE status != 'closed' ORDER BY sent_at, sen_number")
}

/// Every SEN, newest first.
pub fn list_all(conn: &Connection) -> Result<Vec<Sen>> {
    select_many(conn, "ORDER BY sent_at DESC, sen_number")
}

/// The latest closed SENs, newest first, at most `limit`: what the board lists under the open ones.
pub fn list_recent_closed(conn: &Connection, limit: usize) -> Result<Vec<Sen>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    select_many(conn, &format!("WHERE status = 'closed' ORDER BY sent_at DESC, sen_number LIMIT {limit}"))
}

/// Acknowledges a new SEN with one of the six response formats; queues the portal acknowledgement
/// `{"at","format","text"}` in the same transaction.
pub fn acknowledge(
    conn: &Connection,
    sen_number: &str,
    format_id: &str,
    values: &BTreeMap<String, String>,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Sen> {
    let format = responses::format(format_id).ok_or_else(|| {
        Error::invalid(
            "format",
            format!(
                "\u{201c}{format_id}\u{201d} is not a response format (one of: {})",
                responses::FORMATS.iter().map(|f| f.id).collect::<Vec<_>>().join(", ")
            ),
        )
    })?;
    let text = responses::fill(format, values)?;
    let number = crate::store::atomically(conn, |tx| {
        let sen = find_existing(tx, sen_number)?;
        if sen.status != SenStatus::New {
            let when = sen.acknowledged_at.map(time_text).unwrap_or_default();
            return Err(Error::Conflict(format!(
                "{} was already acknowledged ({when}); a SEN is acknowledged once",
                sen.sen_number
            )));
        }
        tx.execute(
            "UPDATE sens SET status = 'acknowledged', acknowledged_at = ?2, ack_format = ?3, ack_text = ?4, updated_at = ?2
             WHERE sen_number = ?1",
            params![sen.sen_number, stored(now), format.id, text],
        )?;
        let body = json!({"at": stored(now), "format": format.id, "text": text});
        append_history(tx, &sen.sen_number, "acknowledged", now, &body, actor)?;
        outbox::enqueue(tx, ItemKind::Acknowledgement, &sen.sen_number, &body, now)?;
        Ok(sen.sen_number)
    })?;
    get(conn, &number)
}

/// Records a determination (after the acknowledgement). `MoreTime` may be given more than once
/// (each moves the due date); a final outcome only once. Queues the portal determination
/// `{"at","outcome","details","findings_by"?}`.
pub fn determine(
    conn: &Connection,
    sen_number: &str,
    determination: Determination,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Sen> {
    let details = determination.details.trim().to_string();
    let mut errors = Vec::new();
    if details.is_empty() {
        errors.push(FieldError::new(
            "details",
            "describe how the determination was made (SIMM 5335-A III.A 3d: details help the SOC tune its tools)",
        ));
    } else if let Err(m) = crate::validate::text(&details, DETAILS_MAX) {
        errors.push(FieldError::new("details", m));
    }
    match (determination.outcome, determination.findings_by) {
        (Outcome::MoreTime, None) => {
            errors.push(FieldError::new("findings_by", "give the date by which status or findings will be provided"))
        }
        (Outcome::MoreTime, Some(by)) if by <= now => {
            errors.push(FieldError::new("findings_by", "the date for status or findings must be in the future"))
        }
        (Outcome::RequestHelp, Some(_)) => errors.push(FieldError::new(
            "findings_by",
            "a help request needs no findings date (request more time to give one)",
        )),
        (Outcome::ConfirmedIncident | Outcome::FalsePositive, Some(_)) => errors
            .push(FieldError::new("findings_by", "a findings date is only given when help or more time is requested")),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let number = crate::store::atomically(conn, |tx| {
        let sen = find_existing(tx, sen_number)?;
        match sen.status {
            SenStatus::Acknowledged | SenStatus::MoreTime | SenStatus::HelpRequested => {}
            SenStatus::New => {
                return Err(Error::Conflict(format!(
                    "{} has not been acknowledged yet: acknowledge it before recording a determination",
                    sen.sen_number
                )))
            }
            SenStatus::Confirmed | SenStatus::Closed => {
                let previous = sen.outcome.map(|o| o.label().to_lowercase()).unwrap_or_default();
                let when = sen.determined_at.map(time_text).unwrap_or_default();
                return Err(Error::Conflict(format!(
                    "{} already has a determination ({previous}, {when}); it cannot be changed here",
                    sen.sen_number
                )));
            }
        }
        let outcome = determination.outcome;
        let (status, closed_at) = match outcome {
            Outcome::ConfirmedIncident => (SenStatus::Confirmed, None),
            Outcome::FalsePositive => (SenStatus::Closed, Some(stored(now))),
            Outcome::MoreTime => (SenStatus::MoreTime, None),
            Outcome::RequestHelp => (SenStatus::HelpRequested, None),
        };
        // A later final determination keeps the findings date given with the more-time request, and
        // the times of the requests (a late request stays late).
        let findings_by = determination.findings_by.or(sen.findings_by);
        let more_time_requested_at = if outcome == Outcome::MoreTime { Some(now) } else { sen.more_time_requested_at };
        let help_requested_at = if outcome == Outcome::RequestHelp { Some(now) } else { sen.help_requested_at };
        tx.execute(
            "UPDATE sens SET status = ?2, determined_at = ?3, outcome = ?4, details = ?5, findings_by = ?6,
                             closed_at = ?7, updated_at = ?3, more_time_requested_at = ?8, help_requested_at = ?9
             WHERE sen_number = ?1",
            params![
                sen.sen_number,
                status.column(),
                stored(now),
                outcome.wire(),
                details,
                findings_by.map(stored),
                closed_at,
                more_time_requested_at.map(stored),
                help_requested_at.map(stored)
            ],
        )?;
        // The portal's body: a help request travels as more_time, no findings_by, details prefixed
        // (src/sen/help.rs). The history keeps what the ISO chose, and what was sent for it.
        let wire_details = match outcome {
            Outcome::RequestHelp => help::wire_details(&details),
            _ => details.clone(),
        };
        let mut body = json!({"at": stored(now), "outcome": outcome.wire(), "details": wire_details});
        if let Some(by) = determination.findings_by {
            body["findings_by"] = json!(stored(by));
        }
        outbox::enqueue(tx, ItemKind::Determination, &sen.sen_number, &body, now)?;
        let history = if outcome == Outcome::RequestHelp {
            json!({"at": stored(now), "outcome": outcome.as_str(), "details": details, "sent_as": body})
        } else {
            body
        };
        append_history(tx, &sen.sen_number, "determined", now, &history, actor)?;
        Ok(sen.sen_number)
    })?;
    get(conn, &number)
}

/// Associates the incident report (local report id) with a confirmed SEN and closes it. Queues
/// the portal incident link with payload `{"report_id": …}`; the outbox resolves the incident
/// number when it delivers.
pub fn link_report(
    conn: &Connection,
    sen_number: &str,
    report_id: &str,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Sen> {
    let report_id = report_id.trim();
    if report_id.is_empty() || report_id.len() > 100 || report_id.chars().any(char::is_control) {
        return Err(Error::invalid("report_id", "choose the incident report to associate"));
    }
    let number = crate::store::atomically(conn, |tx| {
        let sen = find_existing(tx, sen_number)?;
        match (sen.status, sen.outcome, &sen.linked_report_id) {
            (SenStatus::Confirmed, _, _) => {}
            (SenStatus::Closed, _, Some(existing)) => {
                return Err(Error::Conflict(format!(
                    "{} is already associated with incident report {existing}",
                    sen.sen_number
                )))
            }
            (SenStatus::Closed, Some(Outcome::FalsePositive), _) => {
                return Err(Error::Conflict(format!(
                    "{} was determined a false positive: there is no incident report to associate",
                    sen.sen_number
                )))
            }
            _ => {
                return Err(Error::Conflict(format!(
                    "{} has no \u{201c}confirmed incident\u{201d} determination yet: record it before associating an incident report",
                    sen.sen_number
                )))
            }
        }
        tx.execute(
            "UPDATE sens SET status = 'closed', linked_report_id = ?2, linked_at = ?3, closed_at = ?3, updated_at = ?3
             WHERE sen_number = ?1",
            params![sen.sen_number, report_id, stored(now)],
        )?;
        let body = json!({"report_id": report_id});
        append_history(tx, &sen.sen_number, "linked", now, &json!({"report_id": report_id, "at": stored(now)}), actor)?;
        outbox::enqueue(tx, ItemKind::IncidentLink, &sen.sen_number, &body, now)?;
        Ok(sen.sen_number)
    })?;
    get(conn, &number)
}

/// Every transition of one SEN, oldest first.
pub fn history(conn: &Connection, sen_number: &str) -> Result<Vec<HistoryEntry>> {
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
fn find_existing(conn: &Connection, sen_number: &str) -> Result<Sen> {
    find(conn, sen_number.trim())?.ok_or_else(|| Error::NotFound(format!("SEN {}", sen_number.trim())))
}

fn find(conn: &Connection, sen_number: &str) -> Result<Option<Sen>> {
    let number = sen_number.trim().to_uppercase();
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM sens WHERE sen_number = ?1"), [number], row_to_sen).optional()?)
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
