//! Reports on disk. Every public function is ONE transaction (or one savepoint when the caller
//! already holds a transaction, e.g. the outbox marking an item and the report together), takes
//! `now` from the caller, and leaves nothing half-written on error. One file per concept: the
//! record itself here (create, load, export/import), autosave, history, search, lifecycle.

mod autosave;
mod history;
mod lifecycle;
mod search;

pub use autosave::{add_row, remove_row, set_field, set_field_text, value_from_text, Autosaved};
pub use history::{document_at, restore_revision, revision_log, revisions, Revision, RevisionEntry, PREVIEW_CHARS};
pub use lifecycle::{
    events, mark_sent, mark_supplement_sent, queue_supplement, ready, return_to_draft, submit, to_draft, EventEntry,
    SupplementQueued,
};
pub use search::{list, refresh_search_index, ListQuery, ReportSummary};

use crate::audit::Actor;
use crate::error::{Error, FieldError, Result};
use crate::profile::Profile;
use crate::report::doc::ReportDoc;
use crate::report::validate::parse_time;
use crate::report::{exchange, Report, ReportId, State};
use crate::store::atomically;
use crate::store::time::{parse_stored, stored};
use chrono::{DateTime, Utc};
use history::{insert_revision, Change};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct StoredMessage {
    field: String,
    message: String,
}

fn json_text<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(format!("to JSON: {e}")))
}

struct Row {
    id: i64,
    report: Report,
}

const COLUMNS: &str = "id, report_id, state, revision, created_at, updated_at, incident_number, submitted_revision, \
                       queued_revision, sent_revision, sent_at, portal_messages, doc";

fn load(conn: &Connection, report_id: &ReportId) -> Result<Row> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM reports WHERE report_id = ?1"))?;
    let raw = stmt
        .query_row([report_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, ReportId>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<i64>>(7)?,
                r.get::<_, Option<i64>>(8)?,
                r.get::<_, Option<i64>>(9)?,
                r.get::<_, Option<String>>(10)?,
                r.get::<_, String>(11)?,
                r.get::<_, String>(12)?,
            ))
        })
        .optional()?;
    let Some((
        id,
        report_id,
        state,
        revision,
        created,
        updated,
        number,
        submitted,
        queued,
        sent,
        sent_at,
        messages,
        doc,
    )) = raw
    else {
        return Err(Error::NotFound(format!("report {report_id}")));
    };
    let messages: Vec<StoredMessage> =
        serde_json::from_str(&messages).map_err(|e| Error::Internal(format!("stored portal messages: {e}")))?;
    let doc = parse_doc(&doc)?;
    Ok(Row {
        id,
        report: Report {
            report_id,
            state: State::parse(&state)?,
            revision,
            created_at: parse_stored(&created)?,
            updated_at: parse_stored(&updated)?,
            incident_number: number,
            submitted_revision: submitted,
            queued_revision: queued,
            sent_revision: sent,
            sent_at: sent_at.as_deref().map(parse_stored).transpose()?,
            portal_messages: messages.into_iter().map(|m| FieldError::new(m.field, m.message)).collect(),
            doc,
        },
    })
}

fn parse_doc(text: &str) -> Result<ReportDoc> {
    serde_json::from_str(text).map_err(|e| Error::Internal(format!("stored report: {e}")))
}

fn messages_text(messages: &[FieldError]) -> Result<String> {
    json_text(
        &messages
            .iter()
            .map(|m| StoredMessage { field: m.field.clone(), message: m.message.clone() })
            .collect::<Vec<_>>(),
    )
}

fn discovered_utc(doc: &ReportDoc) -> Option<String> {
    doc.incident.discovered_at.as_deref().and_then(parse_time).map(|t| stored(t.with_timezone(&Utc)))
}

fn insert_report(
    conn: &Connection,
    doc: &ReportDoc,
    kind: &'static str,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Report> {
    let report_id = ReportId::issue();
    let doc_json = json_text(doc)?;
    conn.execute(
        "INSERT INTO reports (report_id, state, created_at, updated_at, discovered_at, revision, doc, title)
         VALUES (?1, 'draft', ?2, ?2, ?3, 1, ?4, ?5)",
        params![report_id, stored(now), discovered_utc(doc), doc_json, doc.title()],
    )?;
    let id = conn.last_insert_rowid();
    insert_revision(
        conn,
        &report_id,
        1,
        now,
        &Change { kind, field: None, value: None, snapshot: true },
        &doc_json,
        actor,
    )?;
    conn.execute("INSERT INTO reports_fts (rowid, body) VALUES (?1, ?2)", params![id, doc.search_text()])?;
    Ok(load(conn, &report_id)?.report)
}

/// A new draft, pre-filled from the entity profile, with its `report_id` fixed for good.
pub fn create_draft(conn: &Connection, profile: &Profile, now: DateTime<Utc>, actor: &Actor) -> Result<Report> {
    atomically(conn, |conn| insert_report(conn, &ReportDoc::from_profile(profile), "created", now, actor))
}

pub fn get(conn: &Connection, report_id: &ReportId) -> Result<Report> {
    Ok(load(conn, report_id)?.report)
}

/// The report's content as a canonical JSON file (see `exchange::export_doc`).
pub fn export(conn: &Connection, report_id: &ReportId) -> Result<String> {
    exchange::export_doc(&get(conn, report_id)?.doc)
}

/// Imports an export file as a NEW draft with a NEW report_id: an import is a new report (a
/// template, a copy moved between machines); reusing the file's identity could make the portal
/// take a second, different incident for a retry of the first. Invalid input: `Error::Invalid`
/// naming the field (or the line and column of broken JSON), nothing stored.
pub fn import(conn: &Connection, text: &str, now: DateTime<Utc>, actor: &Actor) -> Result<Report> {
    let doc = exchange::parse_import(text, now)?;
    atomically(conn, |conn| insert_report(conn, &doc, "imported", now, actor))
}
