//! Autosave: one field (or row) per transaction, stored even when invalid, judged once for the form.

use super::history::{insert_revision, Change};
use super::{discovered_utc, json_text, load, messages_text, Row};

use crate::audit::Actor;
use crate::error::{Error, FieldError, Result};
use crate::report::doc::ReportDoc;
use crate::report::validate;
use crate::report::{schema, Report, ReportId, State, Status};
use crate::store::atomically;
use crate::store::time::stored;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::Value;

/// What the form needs after a save: the revision now on disk and everything that may have
/// changed with it (messages, missing lists, both deadlines, tasks), judged once, in the save's
/// own transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Autosaved {
    pub report_id: ReportId,
    pub revision: i64,
    pub state: State,
    /// The row `add_row` created (`computers.3`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    /// The portal's messages still standing (those on the edited field are cleared).
    pub portal_messages: Vec<FieldError>,
    pub status: Status,
}

fn autosaved(
    report: &Report,
    revision: i64,
    doc: &ReportDoc,
    portal_messages: Vec<FieldError>,
    now: DateTime<Utc>,
) -> Autosaved {
    Autosaved {
        report_id: report.report_id.clone(),
        revision,
        state: report.state,
        row: None,
        portal_messages,
        status: Status::of(doc, revision, report.queued_revision, now),
    }
}

/// Writes a new content revision: the row, the history, and the search index.
pub(super) fn save_change(
    conn: &Connection,
    row: &Row,
    doc: &ReportDoc,
    change: Change,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Autosaved> {
    let report = &row.report;
    if !report.state.is_editable() {
        return Err(Error::ReportNotEditable { report_id: report.report_id.to_string(), state: report.state.as_str() });
    }
    let revision = report.revision + 1;
    let doc_json = json_text(doc)?;
    let mut messages = report.portal_messages.clone();
    if let Some(field) = change.field {
        messages.retain(|m| m.field != field && !m.field.starts_with(&format!("{field}.")));
    }
    conn.prepare_cached(
        "UPDATE reports SET doc = ?1, revision = ?2, updated_at = ?3, title = ?4, discovered_at = ?5, portal_messages = ?6
         WHERE id = ?7",
    )?
    .execute(params![doc_json, revision, stored(now), doc.title(), discovered_utc(doc), messages_text(&messages)?, row.id])?;
    insert_revision(conn, &report.report_id, revision, now, &change, &doc_json, actor)?;
    // Indexed when next searched (refresh_search_index), not per keystroke.
    conn.prepare_cached("INSERT OR IGNORE INTO reports_fts_pending (report_rowid) VALUES (?1)")?.execute([row.id])?;
    Ok(autosaved(report, revision, doc, messages, now))
}

/// Autosave of one field. The value is stored even when it is invalid (the draft keeps what was
/// typed; `field_errors` says what is wrong). Refused, with nothing written: an unknown path, a
/// row that does not exist, a JSON type the control cannot produce, a report that is `ready`.
/// Setting the value already stored writes nothing and returns the current revision.
pub fn set_field(
    conn: &Connection,
    report_id: &ReportId,
    field_path: &str,
    value: Value,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Autosaved> {
    atomically(conn, |conn| {
        let row = load(conn, report_id)?;
        let mut doc = row.report.doc.clone();
        let stored = doc.set(field_path, value)?;
        if doc == row.report.doc && row.report.state.is_editable() {
            return Ok(autosaved(&row.report, row.report.revision, &doc, row.report.portal_messages.clone(), now));
        }
        save_change(
            conn,
            &row,
            &doc,
            Change { kind: "set", field: Some(field_path), value: Some(stored), snapshot: false },
            now,
            actor,
        )
    })
}

/// A value typed as text (the command line), read per the field's type in the schema: `true`/`false`
/// for a tick box, an option's value for a choice, `a; b` for phone numbers, RFC 3339 for a time,
/// the text itself otherwise. Refused naming the field: an unknown id, a value the type cannot hold.
pub fn value_from_text(field_path: &str, text: &str) -> Result<Value> {
    use crate::form::FieldKind;
    let field = schema::field(field_path).ok_or_else(|| {
        Error::invalid(
            field_path,
            "this report has no such field (use the form's dotted ids, e.g. iso.email, computers.0.ip)",
        )
    })?;
    let trimmed = text.trim();
    match &field.field.kind {
        FieldKind::Checkbox => match trimmed.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" | "on" => Ok(Value::Bool(true)),
            "false" | "no" | "0" | "off" | "" => Ok(Value::Bool(false)),
            _ => Err(Error::invalid(field_path, format!("\u{201c}{text}\u{201d} is not true or false"))),
        },
        FieldKind::Choice { options } => {
            if trimmed.is_empty() || options.iter().any(|o| o.value == trimmed) {
                Ok(Value::String(trimmed.to_string()))
            } else {
                let known: Vec<&str> = options.iter().map(|o| o.value).collect();
                Err(Error::invalid(
                    field_path,
                    format!("\u{201c}{text}\u{201d} is not one of the options ({})", known.join(", ")),
                ))
            }
        }
        FieldKind::DateTime if trimmed.is_empty() => Ok(Value::Null),
        FieldKind::DateTime => Ok(Value::String(trimmed.to_string())),
        _ => Ok(Value::String(text.to_string())),
    }
}

/// The command line's autosave of one field typed as text ([`value_from_text`]). Unlike the
/// window (whose draft keeps a malformed value and shows the message beside it), a script gets
/// the refusal and nothing is written: the field's own message (`iso.email: ...`). A row one past
/// the last (`computers.N.ip` with N rows) is added first, in the same transaction. Then the
/// window's own [`add_row`] and [`set_field`].
pub fn set_field_text(
    conn: &Connection,
    report_id: &ReportId,
    field_path: &str,
    text: &str,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Autosaved> {
    let value = value_from_text(field_path, text)?;
    atomically(conn, |conn| {
        let row = load(conn, report_id)?;
        let mut doc = row.report.doc.clone();
        let new_row = match field_path.split('.').collect::<Vec<_>>().as_slice() {
            [crate::report::doc::COMPUTERS, index, _] => {
                index.parse::<usize>().ok().filter(|i| *i == doc.computers.len())
            }
            _ => None,
        };
        if new_row.is_some() {
            doc.add_row(crate::report::doc::COMPUTERS)?;
        }
        doc.set(field_path, value.clone())?;
        if let Some(error) = validate::check(&doc, now).field_errors.into_iter().find(|e| e.field == field_path) {
            return Err(Error::Invalid(vec![error]));
        }
        if new_row.is_some() {
            add_row(conn, report_id, crate::report::doc::COMPUTERS, now, actor)?;
        }
        set_field(conn, report_id, field_path, value, now, actor)
    })
}

/// Appends an empty row to a list (`computers`); `Autosaved::row` names it.
pub fn add_row(
    conn: &Connection,
    report_id: &ReportId,
    list: &str,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Autosaved> {
    atomically(conn, |conn| {
        let row = load(conn, report_id)?;
        let mut doc = row.report.doc.clone();
        let path = doc.add_row(list)?;
        let mut saved = save_change(
            conn,
            &row,
            &doc,
            Change { kind: "add_row", field: Some(list), value: None, snapshot: false },
            now,
            actor,
        )?;
        saved.row = Some(path);
        Ok(saved)
    })
}

/// Removes a row (`computers.3`); later rows move up.
pub fn remove_row(
    conn: &Connection,
    report_id: &ReportId,
    row_path: &str,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Autosaved> {
    atomically(conn, |conn| {
        let row = load(conn, report_id)?;
        let mut doc = row.report.doc.clone();
        doc.remove_row(row_path)?;
        save_change(
            conn,
            &row,
            &doc,
            Change { kind: "remove_row", field: Some(row_path), value: None, snapshot: false },
            now,
            actor,
        )
    })
}
