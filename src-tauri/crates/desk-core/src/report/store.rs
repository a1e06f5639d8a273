//! Reports on disk: autosave with an append-only field-level history, full-text search, and the
//! lifecycle towards the portal. Every public function is ONE transaction (or one savepoint when
//! the caller already holds a transaction, e.g. the outbox marking an item and the report
//! together), takes `now` from the caller, and leaves nothing half-written on error.

use super::doc::ReportDoc;
use super::exchange;
use super::schema;
use super::validate::{self, parse_time};
use super::{Report, State, Status};
use crate::audit::{self, Actor};
use crate::error::{Error, FieldError, Result};
use crate::outbox::{self, ItemKind};
use crate::profile::Profile;
use crate::store::atomically;
use crate::store::time::{parse_stored, stored};
use chrono::{DateTime, Utc};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A full copy of the content every this many revisions bounds the replay of `document_at`.
const SNAPSHOT_EVERY: i64 = 100;

/// What the form needs after a save: the revision now on disk and everything that may have
/// changed with it (messages, missing lists, both deadlines, tasks), judged once, in the save's
/// own transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Autosaved {
    pub report_id: String,
    pub revision: i64,
    pub state: State,
    /// The row `add_row` created (`computers.3`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    /// The portal's messages still standing (those on the edited field are cleared).
    pub portal_messages: Vec<FieldError>,
    pub status: Status,
}

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

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// Words to find anywhere in the report's text (FTS5, each word a prefix).
    pub text: Option<String>,
    pub state: Option<State>,
    /// At most this many (default 200).
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportSummary {
    pub report_id: String,
    pub state: State,
    pub title: String,
    pub revision: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub discovered_at: Option<DateTime<Utc>>,
    /// The Cal-CSIRS 60-minute deadline, once a valid discovery time is known.
    pub cal_csirs_due_at: Option<DateTime<Utc>>,
    pub incident_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupplementQueued {
    pub report_id: String,
    pub revision: i64,
    pub changes: Value,
    pub outbox_item: i64,
}

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

fn load(conn: &Connection, report_id: &str) -> Result<Row> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM reports WHERE report_id = ?1"))?;
    let raw = stmt
        .query_row([report_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
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

fn event(
    conn: &Connection,
    report_id: &str,
    at: DateTime<Utc>,
    name: &str,
    revision: i64,
    detail: Option<&str>,
    actor: &Actor,
) -> Result<()> {
    let detail = detail.map_or(SqlValue::Null, |d| SqlValue::Text(d.to_string()));
    let content =
        vec![SqlValue::Text(stored(at)), SqlValue::Text(name.to_string()), SqlValue::Integer(revision), detail];
    audit::append(conn, &audit::REPORT_EVENTS, report_id, content, actor)
}

/// One saved change to the content.
struct Change<'a> {
    kind: &'static str,
    field: Option<&'a str>,
    value: Option<Value>,
    snapshot: bool,
}

fn insert_revision(
    conn: &Connection,
    report_id: &str,
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
    audit::append(conn, &audit::REPORT_REVISIONS, report_id, content, actor)
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
fn save_change(
    conn: &Connection,
    row: &Row,
    doc: &ReportDoc,
    change: Change,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Autosaved> {
    let report = &row.report;
    if !report.state.is_editable() {
        return Err(Error::Conflict(format!(
            "report {} is {}: return it to draft to edit it",
            report.report_id,
            report.state.as_str()
        )));
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

fn insert_report(
    conn: &Connection,
    doc: &ReportDoc,
    kind: &'static str,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Report> {
    let report_id = uuid::Uuid::new_v4().to_string();
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

pub fn get(conn: &Connection, report_id: &str) -> Result<Report> {
    Ok(load(conn, report_id)?.report)
}

/// Autosave of one field. The value is stored even when it is invalid (the draft keeps what was
/// typed; `field_errors` says what is wrong). Refused, with nothing written: an unknown path, a
/// row that does not exist, a JSON type the control cannot produce, a report that is `ready`.
/// Setting the value already stored writes nothing and returns the current revision.
pub fn set_field(
    conn: &Connection,
    report_id: &str,
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
    report_id: &str,
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
            [super::doc::COMPUTERS, index, _] => index.parse::<usize>().ok().filter(|i| *i == doc.computers.len()),
            _ => None,
        };
        if new_row.is_some() {
            doc.add_row(super::doc::COMPUTERS)?;
        }
        doc.set(field_path, value.clone())?;
        if let Some(error) = validate::check(&doc, now).field_errors.into_iter().find(|e| e.field == field_path) {
            return Err(Error::Invalid(vec![error]));
        }
        if new_row.is_some() {
            add_row(conn, report_id, super::doc::COMPUTERS, now, actor)?;
        }
        set_field(conn, report_id, field_path, value, now, actor)
    })
}

/// Appends an empty row to a list (`computers`); `Autosaved::row` names it.
pub fn add_row(conn: &Connection, report_id: &str, list: &str, now: DateTime<Utc>, actor: &Actor) -> Result<Autosaved> {
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
    report_id: &str,
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

/// The history, oldest first.
pub fn revisions(conn: &Connection, report_id: &str) -> Result<Vec<Revision>> {
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
pub fn events(conn: &Connection, report_id: &str) -> Result<Vec<EventEntry>> {
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
    report_id: &str,
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
pub fn document_at(conn: &Connection, report_id: &str, revision: i64) -> Result<ReportDoc> {
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
    report_id: &str,
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

/// FTS5 query from what a person typed: every word must appear, each as a prefix; quotes make
/// any punctuation literal (no FTS syntax from the user).
fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text.split_whitespace().map(|w| format!("\"{}\"*", w.replace('"', "\"\""))).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Indexes the reports changed since the last search (`reports_fts_pending`) and returns how many.
/// Autosave only marks them: re-tokenizing a whole report on every keystroke was most of the
/// keystroke's cost. Every text search calls this first, so results are always current.
pub fn refresh_search_index(conn: &Connection) -> Result<usize> {
    let any: bool =
        conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM reports_fts_pending)")?.query_row([], |r| r.get(0))?;
    if !any {
        return Ok(0);
    }
    atomically(conn, |conn| {
        // One report at a time: after a bulk change the marked reports need not fit in memory.
        let mut marked = conn
            .prepare_cached("SELECT r.id, r.doc FROM reports_fts_pending p JOIN reports r ON r.id = p.report_rowid")?;
        let mut rows = marked.query([])?;
        let mut indexed = 0;
        while let Some(row) = rows.next()? {
            let (id, doc): (i64, String) = (row.get(0)?, row.get(1)?);
            conn.prepare_cached("UPDATE reports_fts SET body = ?1 WHERE rowid = ?2")?
                .execute(params![parse_doc(&doc)?.search_text(), id])?;
            indexed += 1;
        }
        conn.execute("DELETE FROM reports_fts_pending", [])?;
        Ok(indexed)
    })
}

/// Reports, most recently changed first; with `text`, the matching reports, newest first (by
/// creation: FTS5 streams matches in rowid order, so a common word stays fast on 10,000 reports).
pub fn list(conn: &Connection, query: &ListQuery) -> Result<Vec<ReportSummary>> {
    if query.text.as_deref().and_then(fts_query).is_some() {
        refresh_search_index(conn)?;
    }
    let limit = i64::try_from(query.limit.unwrap_or(200)).unwrap_or(i64::MAX);
    let state = query.state.map(State::as_str);
    let columns =
        "r.report_id, r.state, r.title, r.revision, r.created_at, r.updated_at, r.discovered_at, r.incident_number";
    let (sql, search) = match query.text.as_deref().and_then(fts_query) {
        Some(q) => (
            format!(
                "SELECT {columns} FROM reports r
                 WHERE r.id IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?1) AND (?2 IS NULL OR r.state = ?2)
                 ORDER BY r.id DESC LIMIT ?3"
            ),
            Some(q),
        ),
        None => (
            format!(
                "SELECT {columns} FROM reports r WHERE ?1 IS NULL AND (?2 IS NULL OR r.state = ?2)
                 ORDER BY r.updated_at DESC LIMIT ?3"
            ),
            None,
        ),
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![search, state, limit], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, Option<String>>(6)?,
            r.get::<_, Option<String>>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (report_id, state, title, revision, created, updated, discovered, incident_number) = row?;
        let discovered_at = discovered.as_deref().map(parse_stored).transpose()?;
        out.push(ReportSummary {
            report_id,
            state: State::parse(&state)?,
            title,
            revision,
            created_at: parse_stored(&created)?,
            updated_at: parse_stored(&updated)?,
            discovered_at,
            cal_csirs_due_at: discovered_at.map(super::deadline::cal_csirs_due),
            incident_number,
        });
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

fn illegal(report: &Report, action: &str) -> Error {
    Error::Conflict(format!("report {} is {}: cannot {action}", report.report_id, report.state.as_str()))
}

/// draft → ready, when the report passes the submission checks: nothing malformed and every
/// required field filled. Otherwise `Error::Invalid` with a message on each field. Ready again
/// is a no-op.
pub fn ready(conn: &Connection, report_id: &str, now: DateTime<Utc>, actor: &Actor) -> Result<Report> {
    atomically(conn, |conn| {
        let row = load(conn, report_id)?;
        match row.report.state {
            State::Ready => return Ok(row.report),
            State::Draft => {}
            _ => return Err(illegal(&row.report, "make it ready (it was submitted)")),
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
pub fn to_draft(conn: &Connection, report_id: &str, now: DateTime<Utc>, actor: &Actor) -> Result<Report> {
    atomically(conn, |conn| {
        let row = load(conn, report_id)?;
        match row.report.state {
            State::Draft => return Ok(row.report),
            State::Ready => {}
            _ => return Err(illegal(&row.report, "return to draft (it was submitted: edits become a supplement)")),
        }
        set_state(conn, &row, State::Draft, now)?;
        event(conn, report_id, now, "back_to_draft", row.report.revision, None, actor)?;
        Ok(load(conn, report_id)?.report)
    })
}

/// ready → queued, and the incident POST into the outbox in the same transaction. The body is the
/// report's content with `report_id` and `revision` (portal-api.md).
pub fn submit(conn: &Connection, report_id: &str, now: DateTime<Utc>, actor: &Actor) -> Result<Report> {
    atomically(conn, |conn| {
        let row = load(conn, report_id)?;
        let report = &row.report;
        if report.state != State::Ready {
            return Err(illegal(report, "submit it (make it ready first)"));
        }
        let check = validate::check(&report.doc, now);
        if !check.is_ready() {
            return Err(Error::Invalid(check.blocking_errors()));
        }
        let body = exchange::incident_body(report_id, report.revision, &report.doc)?;
        let content = json_text(&exchange::content(&report.doc)?)?;
        outbox::enqueue(conn, ItemKind::Incident, report_id, &body, now)?;
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
    report_id: &str,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<SupplementQueued> {
    atomically(conn, |conn| {
        let row = load(conn, report_id)?;
        let report = &row.report;
        if !matches!(report.state, State::Queued | State::Sent) {
            return Err(illegal(report, "send a supplement (submit the report first)"));
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
        let item = outbox::enqueue(conn, ItemKind::Supplement, report_id, &payload, now)?;
        conn.execute(
            "UPDATE reports SET queued_revision = ?1, queued_content = ?2, updated_at = ?3 WHERE id = ?4",
            params![report.revision, json_text(&current)?, stored(now), row.id],
        )?;
        event(conn, report_id, now, "supplement_queued", report.revision, None, actor)?;
        Ok(SupplementQueued { report_id: report_id.to_string(), revision: report.revision, changes, outbox_item: item })
    })
}

/// The outbox delivered the incident: queued → sent with the portal's incident number.
/// Delivered again with the same number: no-op.
pub fn mark_sent(
    conn: &Connection,
    report_id: &str,
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
            _ => return Err(illegal(report, &format!("record it as sent as {incident_number}"))),
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
    report_id: &str,
    revision: i64,
    received_at: DateTime<Utc>,
    actor: &Actor,
) -> Result<Report> {
    atomically(conn, |conn| {
        let row = load(conn, report_id)?;
        let report = &row.report;
        if report.state != State::Sent {
            return Err(illegal(report, "record a supplement as sent before the incident"));
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
    report_id: &str,
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
            State::Ready => return Err(illegal(report, "take the portal's refusal (it was not submitted)")),
        }
        Ok(load(conn, report_id)?.report)
    })
}

/// The report's content as a canonical JSON file (see `exchange::export_doc`).
pub fn export(conn: &Connection, report_id: &str) -> Result<String> {
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
