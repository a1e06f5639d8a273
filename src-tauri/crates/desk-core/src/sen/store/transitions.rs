//! The ISO's responses, in order: acknowledgement (one of the six III.F formats), determination
//! (more time or help may come first), association with the incident report. Each one queues its
//! portal item in the same transaction.

use super::records::get;
use super::{append_history, find_existing, time_text, Sen, SenStatus};

use crate::audit::Actor;
use crate::error::{Error, FieldError, Result};
use crate::outbox::{self, ItemKind};
use crate::report::ReportId;
use crate::sen::deadlines::Outcome;
use crate::sen::{help, responses, SenNumber};
use crate::store::time::stored;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;

const DETAILS_MAX: usize = 20_000;

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

/// Acknowledges a new SEN with one of the six response formats; queues the portal acknowledgement
/// `{"at","format","text"}` in the same transaction.
pub fn acknowledge(
    conn: &Connection,
    sen_number: &SenNumber,
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
        append_history(tx, sen.sen_number.as_str(), "acknowledged", now, &body, actor)?;
        outbox::enqueue(tx, ItemKind::Acknowledgement, sen.sen_number.as_str(), &body, now)?;
        Ok(sen.sen_number)
    })?;
    get(conn, &number)
}

/// Records a determination (after the acknowledgement). `MoreTime` may be given more than once
/// (each moves the due date); a final outcome only once. Queues the portal determination
/// `{"at","outcome","details","findings_by"?}`.
pub fn determine(
    conn: &Connection,
    sen_number: &SenNumber,
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
        outbox::enqueue(tx, ItemKind::Determination, sen.sen_number.as_str(), &body, now)?;
        let history = if outcome == Outcome::RequestHelp {
            json!({"at": stored(now), "outcome": outcome.as_str(), "details": details, "sent_as": body})
        } else {
            body
        };
        append_history(tx, sen.sen_number.as_str(), "determined", now, &history, actor)?;
        Ok(sen.sen_number)
    })?;
    get(conn, &number)
}

/// Associates the incident report (local report id) with a confirmed SEN and closes it. Queues
/// the portal incident link with payload `{"report_id": …}`; the outbox resolves the incident
/// number when it delivers.
pub fn link_report(
    conn: &Connection,
    sen_number: &SenNumber,
    report_id: &ReportId,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Sen> {
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
        append_history(
            tx,
            sen.sen_number.as_str(),
            "linked",
            now,
            &json!({"report_id": report_id, "at": stored(now)}),
            actor,
        )?;
        outbox::enqueue(tx, ItemKind::IncidentLink, sen.sen_number.as_str(), &body, now)?;
        Ok(sen.sen_number)
    })?;
    get(conn, &number)
}
