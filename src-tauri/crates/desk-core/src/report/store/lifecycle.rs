//! The one-way lifecycle towards the portal: ready, submitted (queued), sent, supplements, and
//! the portal's refusals; each step an event in the report's audit chain.

use super::history::document_at;
use super::{json_text, load, messages_text, Row};

use crate::audit::{self, Actor};
use crate::error::{Error, FieldError, Result, StepRefusal};
use crate::outbox::{self, ItemKind};
use crate::report::validate;
use crate::report::{exchange, Report, ReportId, State};
use crate::store::atomically;
use crate::store::time::{parse_stored, stored};
use chrono::{DateTime, Utc};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupplementQueued {
    pub report_id: ReportId,
    pub revision: i64,
    pub changes: Value,
    pub outbox_item: i64,
}

pub(super) fn event(
    conn: &Connection,
    report_id: &ReportId,
    at: DateTime<Utc>,
    name: &str,
    revision: i64,
    detail: Option<&str>,
    actor: &Actor,
) -> Result<()> {
    let detail = detail.map_or(SqlValue::Null, |d| SqlValue::Text(d.to_string()));
    let content =
        vec![SqlValue::Text(stored(at)), SqlValue::Text(name.to_string()), SqlValue::Integer(revision), detail];
    audit::append(conn, &audit::REPORT_EVENTS, report_id.as_str(), content, actor)
}

/// One lifecycle event (readied, submitted, sent, returned by the portal, ...).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventEntry {
    pub at: DateTime<Utc>,
    pub event: String,
    pub revision: i64,
    pub detail: Option<String>,
    pub actor: Actor,
}

/// The lifecycle events of a report, oldest first.
pub fn events(conn: &Connection, report_id: &ReportId) -> Result<Vec<EventEntry>> {
    load(conn, report_id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT at, event, revision, detail, actor_user, actor_host FROM report_events WHERE report_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([report_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (at, event, revision, detail, user, host) = row?;
        out.push(EventEntry { at: parse_stored(&at)?, event, revision, detail, actor: Actor::new(user, host) });
    }
    Ok(out)
}

fn set_state(conn: &Connection, row: &Row, state: State, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("UPDATE reports SET state = ?1, updated_at = ?2 WHERE id = ?3")?.execute(params![
        state.as_str(),
        stored(now),
        row.id
    ])?;
    Ok(())
}

/// A step this report's state refuses, with why (its code).
fn refused(report: &Report, why: StepRefusal, action: &str) -> Error {
    Error::ReportStepRefused {
        report_id: report.report_id.to_string(),
        state: report.state.as_str(),
        action: action.to_string(),
        why,
    }
}

/// A delivery the outbox records against a report in a state it does not fit (never a step the
/// window offers): a plain conflict.
fn out_of_step(report: &Report, action: &str) -> Error {
    Error::Conflict(format!("report {} is {}: cannot {action}", report.report_id, report.state.as_str()))
}

/// draft → ready, when the report passes the submission checks: nothing malformed and every
/// required field filled. Otherwise `Error::Invalid` with a message on each field. Ready again
/// is a no-op.
pub fn ready(conn: &Connection, report_id: &ReportId, now: DateTime<Utc>, actor: &Actor) -> Result<Report> {
    atomically(conn, |conn| {
        let row = load(conn, report_id)?;
        match row.report.state {
            State::Ready => return Ok(row.report),
            State::Draft => {}
            _ => return Err(refused(&row.report, StepRefusal::Submitted, "make it ready (it was submitted)")),
        }
        let check = validate::check(&row.report.doc, now);
        if !check.is_ready() {
            return Err(Error::Invalid(check.blocking_errors()));
        }
        set_state(conn, &row, State::Ready, now)?;
        event(conn, report_id, now, "readied", row.report.revision, None, actor)?;
        Ok(load(conn, report_id)?.report)
    })
}

/// ready → draft, to edit again. Draft already: no-op. Refused once submitted.
pub fn to_draft(conn: &Connection, report_id: &ReportId, now: DateTime<Utc>, actor: &Actor) -> Result<Report> {
    atomically(conn, |conn| {
        let row = load(conn, report_id)?;
        match row.report.state {
            State::Draft => return Ok(row.report),
            State::Ready => {}
            _ => {
                return Err(refused(
                    &row.report,
                    StepRefusal::Submitted,
                    "return to draft (it was submitted: edits become a supplement)",
                ))
            }
        }
        set_state(conn, &row, State::Draft, now)?;
        event(conn, report_id, now, "back_to_draft", row.report.revision, None, actor)?;
        Ok(load(conn, report_id)?.report)
    })
}

/// ready → queued, and the incident POST into the outbox in the same transaction. The body is the
/// report's content with `report_id` and `revision` (portal-api.md).
pub fn submit(conn: &Connection, report_id: &ReportId, now: DateTime<Utc>, actor: &Actor) -> Result<Report> {
    atomically(conn, |conn| {
        let row = load(conn, report_id)?;
        let report = &row.report;
        match report.state {
            State::Ready => {}
            State::Draft => return Err(refused(report, StepRefusal::NotReady, "submit it (make it ready first)")),
            State::Queued | State::Sent => {
                return Err(refused(report, StepRefusal::Submitted, "submit it (make it ready first)"))
            }
        }
        let check = validate::check(&report.doc, now);
        if !check.is_ready() {
            return Err(Error::Invalid(check.blocking_errors()));
        }
        let body = exchange::incident_body(report_id, report.revision, &report.doc)?;
        let content = json_text(&exchange::content(&report.doc)?)?;
        outbox::enqueue(conn, ItemKind::Incident, report_id.as_str(), &body, now)?;
        conn.execute(
            "UPDATE reports SET state = 'queued', updated_at = ?1, submitted_revision = ?2, queued_revision = ?2,
                    queued_content = ?3, portal_messages = '[]'
             WHERE id = ?4",
            params![stored(now), report.revision, content, row.id],
        )?;
        event(conn, report_id, now, "submitted", report.revision, None, actor)?;
        Ok(load(conn, report_id)?.report)
    })
}

/// After submission: queues a supplement with the fields added or changed since the last
/// revision queued: `{"report_id", "revision": n, "changes": {…}}` (the outbox resolves the
/// incident number at delivery). Refused when nothing changed or the changes fail the checks.
pub fn queue_supplement(
    conn: &Connection,
    report_id: &ReportId,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<SupplementQueued> {
    atomically(conn, |conn| {
        let row = load(conn, report_id)?;
        let report = &row.report;
        if !matches!(report.state, State::Queued | State::Sent) {
            return Err(refused(report, StepRefusal::NotSubmitted, "send a supplement (submit the report first)"));
        }
        let base: Option<String> =
            conn.query_row("SELECT queued_content FROM reports WHERE id = ?1", [row.id], |r| r.get(0))?;
        let base: Value = match base {
            Some(text) => serde_json::from_str(&text).map_err(|e| Error::Internal(format!("stored content: {e}")))?,
            None => return Err(Error::Internal(format!("report {report_id} was submitted without its content"))),
        };
        let current = exchange::content(&report.doc)?;
        let Some(changes) = exchange::changes(&base, &current) else {
            return Err(Error::Conflict(format!(
                "nothing changed since revision {} was queued",
                report.queued_revision.unwrap_or(report.revision)
            )));
        };
        let check = validate::check(&report.doc, now);
        if !check.is_ready() {
            return Err(Error::Invalid(check.blocking_errors()));
        }
        let payload = serde_json::json!({"report_id": report_id, "revision": report.revision, "changes": changes});
        let item = outbox::enqueue(conn, ItemKind::Supplement, report_id.as_str(), &payload, now)?;
        conn.execute(
            "UPDATE reports SET queued_revision = ?1, queued_content = ?2, updated_at = ?3 WHERE id = ?4",
            params![report.revision, json_text(&current)?, stored(now), row.id],
        )?;
        event(conn, report_id, now, "supplement_queued", report.revision, None, actor)?;
        Ok(SupplementQueued { report_id: report_id.clone(), revision: report.revision, changes, outbox_item: item })
    })
}

/// The outbox delivered the incident: queued → sent with the portal's incident number.
/// Delivered again with the same number: no-op.
pub fn mark_sent(
    conn: &Connection,
    report_id: &ReportId,
    incident_number: &str,
    received_at: DateTime<Utc>,
    actor: &Actor,
) -> Result<Report> {
    atomically(conn, |conn| {
        let row = load(conn, report_id)?;
        let report = &row.report;
        match (report.state, report.incident_number.as_deref()) {
            (State::Sent, Some(known)) if known == incident_number => return Ok(row.report),
            (State::Queued, _) => {}
            (State::Draft | State::Ready, _) => {
                return Err(refused(
                    report,
                    StepRefusal::NotSubmitted,
                    &format!("record it as sent as {incident_number}"),
                ))
            }
            (State::Sent, _) => return Err(out_of_step(report, &format!("record it as sent as {incident_number}"))),
        }
        if incident_number.trim().is_empty() {
            return Err(Error::invalid("incident_number", "the portal returned an empty incident number"));
        }
        let sent_revision = report.submitted_revision.max(report.sent_revision);
        conn.execute(
            "UPDATE reports SET state = 'sent', incident_number = ?1, sent_revision = ?2, sent_at = ?3 WHERE id = ?4",
            params![incident_number, sent_revision, stored(received_at), row.id],
        )?;
        event(
            conn,
            report_id,
            received_at,
            "sent",
            report.submitted_revision.unwrap_or(report.revision),
            Some(incident_number),
            actor,
        )?;
        Ok(load(conn, report_id)?.report)
    })
}

/// The outbox delivered a supplement.
pub fn mark_supplement_sent(
    conn: &Connection,
    report_id: &ReportId,
    revision: i64,
    received_at: DateTime<Utc>,
    actor: &Actor,
) -> Result<Report> {
    atomically(conn, |conn| {
        let row = load(conn, report_id)?;
        let report = &row.report;
        const ACTION: &str = "record a supplement as sent before the incident";
        match report.state {
            State::Sent => {}
            State::Draft | State::Ready => return Err(refused(report, StepRefusal::NotSubmitted, ACTION)),
            State::Queued => return Err(out_of_step(report, ACTION)),
        }
        if report.sent_revision.is_some_and(|s| s >= revision) {
            return Ok(row.report);
        }
        conn.execute("UPDATE reports SET sent_revision = ?1 WHERE id = ?2", params![revision, row.id])?;
        event(conn, report_id, received_at, "supplement_sent", revision, None, actor)?;
        Ok(load(conn, report_id)?.report)
    })
}

/// The portal refused (422) with messages on fields (map its JSON pointers with
/// `field_from_json_pointer`). A refused incident: queued → draft, messages on the fields, the
/// content untouched. A refused supplement: the report stays sent, and the next supplement is
/// computed again from the last revision the portal confirmed, so no change is lost.
pub fn return_to_draft(
    conn: &Connection,
    report_id: &ReportId,
    errors: Vec<FieldError>,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Report> {
    atomically(conn, |conn| {
        let row = load(conn, report_id)?;
        let report = &row.report;
        let messages = messages_text(&errors)?;
        let detail = json_text(&errors.iter().map(|e| e.to_string()).collect::<Vec<_>>())?;
        match report.state {
            State::Queued | State::Draft => {
                conn.execute(
                    "UPDATE reports SET state = 'draft', submitted_revision = NULL, queued_revision = NULL,
                            queued_content = NULL, portal_messages = ?1, updated_at = ?2 WHERE id = ?3",
                    params![messages, stored(now), row.id],
                )?;
                event(conn, report_id, now, "returned_by_portal", report.revision, Some(&detail), actor)?;
            }
            State::Sent => {
                let confirmed = report.sent_revision.unwrap_or(1);
                let content = json_text(&exchange::content(&document_at(conn, report_id, confirmed)?)?)?;
                conn.execute(
                    "UPDATE reports SET queued_revision = ?1, queued_content = ?2, portal_messages = ?3, updated_at = ?4
                     WHERE id = ?5",
                    params![confirmed, content, messages, stored(now), row.id],
                )?;
                event(conn, report_id, now, "supplement_returned_by_portal", report.revision, Some(&detail), actor)?;
            }
            State::Ready => {
                return Err(refused(
                    report,
                    StepRefusal::NotSubmitted,
                    "take the portal's refusal (it was not submitted)",
                ))
            }
        }
        Ok(load(conn, report_id)?.report)
    })
}
