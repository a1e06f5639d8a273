//! The append-only field-level history: revisions with periodic snapshots, replay, restore.

use super::autosave::{save_change, Autosaved};
use super::{json_text, load};

use crate::audit::{self, Actor};
use crate::error::{Error, Result};
use crate::report::doc::ReportDoc;
use crate::report::ReportId;
use crate::store::atomically;
use crate::store::time::{parse_stored, stored};
use chrono::{DateTime, Utc};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::Value;

/// A full copy of the content every this many revisions bounds the replay of `document_at`.
const SNAPSHOT_EVERY: i64 = 100;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision {
    pub revision: i64,
    pub at: DateTime<Utc>,
    /// `created`, `set`, `add_row`, `remove_row`, `restore`, `imported`.
    pub kind: String,
    /// The field set (`incident.description`), the list or row, or nothing.
    pub field: Option<String>,
    /// The value stored by `set`; the revision restored by `restore`.
    pub value: Option<Value>,
    /// Who saved it (empty for revisions saved before accountability).
    pub actor: Actor,
}

/// One saved change to the content.
pub(super) struct Change<'a> {
    pub(super) kind: &'static str,
    pub(super) field: Option<&'a str>,
    pub(super) value: Option<Value>,
    pub(super) snapshot: bool,
}

pub(super) fn insert_revision(
    conn: &Connection,
    report_id: &ReportId,
    revision: i64,
    at: DateTime<Utc>,
    change: &Change,
    doc_json: &str,
    actor: &Actor,
) -> Result<()> {
    let snapshot = (change.snapshot || revision % SNAPSHOT_EVERY == 0).then_some(doc_json);
    let value = change.value.as_ref().map(json_text).transpose()?;
    let text = |t: Option<String>| t.map_or(SqlValue::Null, SqlValue::Text);
    let content = vec![
        SqlValue::Integer(revision),
        SqlValue::Text(stored(at)),
        SqlValue::Text(change.kind.to_string()),
        text(change.field.map(str::to_string)),
        text(value),
        text(snapshot.map(str::to_string)),
    ];
    audit::append(conn, &audit::REPORT_REVISIONS, report_id.as_str(), content, actor)
}

/// The history, oldest first.
pub fn revisions(conn: &Connection, report_id: &ReportId) -> Result<Vec<Revision>> {
    load(conn, report_id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT revision, at, kind, field, value, actor_user, actor_host FROM report_revisions WHERE report_id = ?1 ORDER BY revision",
    )?;
    let rows = stmt.query_map([report_id], |r| {
        Ok((
            (
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
            ),
            Actor::new(r.get::<_, String>(5)?, r.get::<_, String>(6)?),
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let ((revision, at, kind, field, value), actor) = row?;
        let value = value
            .map(|v| serde_json::from_str(&v))
            .transpose()
            .map_err(|e| Error::Internal(format!("stored revision: {e}")))?;
        out.push(Revision { revision, at: parse_stored(&at)?, kind, field, value, actor });
    }
    Ok(out)
}

/// One line of the history as a person reads it: the value shortened to its end (what was
/// typed last), so a long history of one field stays readable and light.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevisionEntry {
    pub revision: i64,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub field: Option<String>,
    /// Text values: at most `PREVIEW_CHARS` characters, the end of the text (with a leading
    /// ellipsis when cut); other values as JSON; the revision restored for `restore`.
    pub preview: Option<String>,
    /// Who saved it (empty for revisions saved before accountability).
    pub actor: Actor,
}

pub const PREVIEW_CHARS: usize = 80;

fn preview(value: &Value) -> String {
    match value {
        Value::String(s) => {
            let flat: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
            let count = flat.chars().count();
            if count <= PREVIEW_CHARS {
                flat
            } else {
                let tail: String = flat.chars().skip(count - (PREVIEW_CHARS - 1)).collect();
                format!("\u{2026}{tail}")
            }
        }
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The history newest first, a page at a time: up to `limit` revisions older than `before`
/// (all of them from the newest when `None`).
pub fn revision_log(
    conn: &Connection,
    report_id: &ReportId,
    before: Option<i64>,
    limit: usize,
) -> Result<Vec<RevisionEntry>> {
    load(conn, report_id)?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut stmt = conn.prepare_cached(
        "SELECT revision, at, kind, field, value, actor_user, actor_host FROM report_revisions
         WHERE report_id = ?1 AND (?2 IS NULL OR revision < ?2) ORDER BY revision DESC LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![report_id, before, limit], |r| {
        Ok((
            (
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
            ),
            Actor::new(r.get::<_, String>(5)?, r.get::<_, String>(6)?),
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let ((revision, at, kind, field, value), actor) = row?;
        let value: Option<Value> = value
            .map(|v| serde_json::from_str(&v))
            .transpose()
            .map_err(|e| Error::Internal(format!("stored revision: {e}")))?;
        out.push(RevisionEntry {
            revision,
            at: parse_stored(&at)?,
            kind,
            field,
            preview: value.as_ref().map(preview),
            actor,
        });
    }
    Ok(out)
}

/// The content as it was at `revision`: the nearest snapshot, then the changes after it replayed.
pub fn document_at(conn: &Connection, report_id: &ReportId, revision: i64) -> Result<ReportDoc> {
    let current = load(conn, report_id)?.report;
    if revision < 1 || revision > current.revision {
        return Err(Error::invalid("revision", format!("report {report_id} has revisions 1 to {}", current.revision)));
    }
    let (start, snapshot): (i64, String) = conn.query_row(
        "SELECT revision, snapshot FROM report_revisions
         WHERE report_id = ?1 AND revision <= ?2 AND snapshot IS NOT NULL ORDER BY revision DESC LIMIT 1",
        params![report_id, revision],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut doc: ReportDoc =
        serde_json::from_str(&snapshot).map_err(|e| Error::Internal(format!("stored snapshot: {e}")))?;
    let mut stmt = conn.prepare_cached(
        "SELECT kind, field, value FROM report_revisions WHERE report_id = ?1 AND revision > ?2 AND revision <= ?3 ORDER BY revision",
    )?;
    let changes = stmt.query_map(params![report_id, start, revision], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, Option<String>>(2)?))
    })?;
    for change in changes {
        let (kind, field, value) = change?;
        let field = field.unwrap_or_default();
        let replay = match kind.as_str() {
            "set" => {
                let value = value
                    .as_deref()
                    .map(serde_json::from_str)
                    .transpose()
                    .map_err(|e| Error::Internal(format!("stored value: {e}")))?;
                doc.set(&field, value.unwrap_or(Value::Null)).map(|_| ())
            }
            "add_row" => doc.add_row(&field).map(|_| ()),
            "remove_row" => doc.remove_row(&field),
            other => Err(Error::Internal(format!("revision kind {other} without a snapshot"))),
        };
        replay.map_err(|e| Error::Internal(format!("replaying the history of {report_id}: {e}")))?;
    }
    Ok(doc)
}

/// Makes the content of an earlier revision current again, as a NEW revision (history is never
/// rewritten).
pub fn restore_revision(
    conn: &Connection,
    report_id: &ReportId,
    revision: i64,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Autosaved> {
    atomically(conn, |conn| {
        let doc = document_at(conn, report_id, revision)?;
        let row = load(conn, report_id)?;
        save_change(
            conn,
            &row,
            &doc,
            Change { kind: "restore", field: None, value: Some(Value::from(revision)), snapshot: true },
            now,
            actor,
        )
    })
}
