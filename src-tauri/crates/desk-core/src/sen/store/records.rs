//! Intake of new SENs (THE rule for a number already recorded), their validation, and the queries.

use super::{append_history, find, find_existing, select_many, time_text, NewSen, Sen};

use crate::audit::Actor;
use crate::error::{Error, FieldError, Result};
use crate::sen::{levels, SenNumber};
use crate::store::time::stored;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use serde_json::json;

const SUMMARY_MAX: usize = 2_000;
const LEVEL_MAX: usize = 40;
/// How far in the future a sent time may be (clock skew between the SOC and this workstation).
pub(super) const FUTURE_SKEW_MINUTES: i64 = 10;

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

pub(super) fn validate_new(new: NewSen, now: DateTime<Utc>) -> Result<NewSen> {
    let mut errors = Vec::new();
    let sen_number = SenNumber::normalize(&new.sen_number).map(String::from).unwrap_or_else(|m| {
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
        // Validated: the number is the normalized one just written.
        Ok(Intake::Recorded(find_existing(tx, &SenNumber::from_stored(new.sen_number))?))
    })
}

/// The record a notice's SEN number names, when it is a well-formed number already recorded (a
/// malformed one is refused by the validation that follows, with the other fields' messages).
fn recorded(conn: &Connection, sen_number: &str) -> Result<Option<Sen>> {
    match SenNumber::normalize(sen_number) {
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

pub(super) fn insert(
    tx: &Connection,
    new: &NewSen,
    portal_status: Option<&str>,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<()> {
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

pub fn get(conn: &Connection, sen_number: &SenNumber) -> Result<Sen> {
    find_existing(conn, sen_number)
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
