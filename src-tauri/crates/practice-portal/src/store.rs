//! The portal's records in SQLite (in memory or a file): incidents, supplements, SENs, the ISO's
//! responses to SENs, and the idempotency ledger. One connection behind a mutex: each request is
//! one short transaction, which also makes "look up the key, create, remember the answer" atomic.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use serde_json::Value;
use std::path::Path;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS incidents (
    seq              INTEGER PRIMARY KEY,
    incident_number  TEXT NOT NULL UNIQUE,
    report_id        TEXT NOT NULL,
    revision         INTEGER NOT NULL,
    body             TEXT NOT NULL,
    received_at      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS incidents_by_report ON incidents (report_id);
CREATE TABLE IF NOT EXISTS supplements (
    id               INTEGER PRIMARY KEY,
    incident_number  TEXT NOT NULL REFERENCES incidents (incident_number),
    revision         INTEGER NOT NULL,
    body             TEXT NOT NULL,
    received_at      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS supplements_by_incident ON supplements (incident_number, revision);
CREATE TABLE IF NOT EXISTS sens (
    seq         INTEGER PRIMARY KEY,
    sen_number  TEXT NOT NULL UNIQUE,
    level       TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    summary     TEXT NOT NULL,
    status      TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sen_responses (
    id           INTEGER PRIMARY KEY,
    sen_number   TEXT NOT NULL REFERENCES sens (sen_number),
    kind         TEXT NOT NULL,
    body         TEXT NOT NULL,
    received_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency (
    key       TEXT PRIMARY KEY,
    request   TEXT NOT NULL,
    response  TEXT NOT NULL
);
";

/// Fixed-width UTC text, so that stored times sort and compare as text.
pub fn stored_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Times on the wire: RFC 3339 with a numeric offset.
pub fn wire_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, false)
}

pub struct PortalStore {
    conn: Connection,
}

/// What the idempotency ledger says about a key.
pub enum KeyLookup {
    Unused,
    /// Same request as the first one: its answer.
    Replay(Value),
    /// The key was used for another request.
    Conflict,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sen {
    pub sen_number: String,
    pub level: String,
    #[serde(serialize_with = "serialize_wire_time")]
    pub sent_at: DateTime<Utc>,
    pub summary: String,
    pub status: String,
    /// Not in the contract's example; clients may use it as their next `updated_since`.
    #[serde(serialize_with = "serialize_wire_time")]
    pub updated_at: DateTime<Utc>,
}

fn serialize_wire_time<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&wire_time(*t))
}

#[derive(Debug, Serialize)]
pub struct ReportCount {
    pub report_id: String,
    pub count: i64,
    pub incident_numbers: Vec<String>,
    pub supplement_revisions: Vec<i64>,
}

#[derive(Debug, Serialize)]
pub struct SenRecord {
    #[serde(flatten)]
    pub sen: Sen,
    pub responses: Vec<Value>,
}

impl PortalStore {
    pub fn open(path: Option<&Path>) -> rusqlite::Result<PortalStore> {
        let conn = match path {
            Some(path) => {
                let conn = Connection::open(path)?;
                conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
                conn.execute_batch("PRAGMA synchronous = NORMAL;")?;
                conn
            }
            None => Connection::open_in_memory()?,
        };
        conn.execute_batch(SCHEMA)?;
        Ok(PortalStore { conn })
    }

    pub fn transaction(&mut self) -> rusqlite::Result<Transaction<'_>> {
        self.conn.transaction()
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// `request` identifies what was asked: method, path and the canonical JSON body.
pub fn lookup_key(conn: &Connection, key: &str, request: &str) -> rusqlite::Result<KeyLookup> {
    let found: Option<(String, String)> = conn
        .query_row("SELECT request, response FROM idempotency WHERE key = ?1", [key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match found {
        None => KeyLookup::Unused,
        Some((first, response)) if first == request => {
            KeyLookup::Replay(serde_json::from_str(&response).unwrap_or(Value::Null))
        }
        Some(_) => KeyLookup::Conflict,
    })
}

pub fn remember_key(conn: &Connection, key: &str, request: &str, response: &Value) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO idempotency (key, request, response) VALUES (?1, ?2, ?3)",
        params![key, request, response.to_string()],
    )?;
    Ok(())
}

/// Records an incident and returns its new number.
pub fn insert_incident(
    conn: &Connection,
    report_id: &str,
    revision: i64,
    body: &Value,
    received_at: DateTime<Utc>,
) -> rusqlite::Result<String> {
    let next: i64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM incidents", [], |r| r.get(0))?;
    let number = format!("CIR-{next:06}");
    conn.execute(
        "INSERT INTO incidents (seq, incident_number, report_id, revision, body, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![next, number, report_id, revision, body.to_string(), stored_time(received_at)],
    )?;
    Ok(number)
}

/// The latest revision known for an incident (its own or a supplement's), `None` if unknown.
pub fn incident_revision(conn: &Connection, incident_number: &str) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT MAX(i.revision, COALESCE((SELECT MAX(s.revision) FROM supplements s
                                           WHERE s.incident_number = i.incident_number), 0))
         FROM incidents i WHERE i.incident_number = ?1",
        [incident_number],
        |r| r.get(0),
    )
    .optional()
}

pub fn insert_supplement(
    conn: &Connection,
    incident_number: &str,
    revision: i64,
    body: &Value,
    received_at: DateTime<Utc>,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO supplements (incident_number, revision, body, received_at) VALUES (?1, ?2, ?3, ?4)",
        params![incident_number, revision, body.to_string(), stored_time(received_at)],
    )?;
    Ok(())
}

fn sen_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Sen> {
    Ok(Sen {
        sen_number: r.get(0)?,
        level: r.get(1)?,
        sent_at: time_column(r, 2)?,
        summary: r.get(3)?,
        status: r.get(4)?,
        updated_at: time_column(r, 5)?,
    })
}

fn time_column(r: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = r.get(index)?;
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e)))
}

const SEN_COLUMNS: &str = "sen_number, level, sent_at, summary, status, updated_at";

pub fn sen(conn: &Connection, sen_number: &str) -> rusqlite::Result<Option<Sen>> {
    conn.query_row(&format!("SELECT {SEN_COLUMNS} FROM sens WHERE sen_number = ?1"), [sen_number], sen_from_row)
        .optional()
}

/// SENs updated at or after `since` (inclusive, so that an update in the same microsecond as the
/// client's cursor is not lost; clients upsert by number), oldest update first.
pub fn sens_updated_since(conn: &Connection, since: Option<DateTime<Utc>>) -> rusqlite::Result<Vec<Sen>> {
    let since = since.map(stored_time).unwrap_or_default();
    let mut stmt =
        conn.prepare(&format!("SELECT {SEN_COLUMNS} FROM sens WHERE updated_at >= ?1 ORDER BY updated_at, seq"))?;
    let rows = stmt.query_map([since], sen_from_row)?;
    rows.collect()
}

pub fn next_sen_number(conn: &Connection) -> rusqlite::Result<String> {
    let next: i64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM sens", [], |r| r.get(0))?;
    Ok(format!("SOC-{next:04}"))
}

/// Creates or replaces a SEN (training endpoint).
pub fn upsert_sen(conn: &Connection, sen: &Sen) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO sens (sen_number, level, sent_at, summary, status, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (sen_number) DO UPDATE SET level = excluded.level, sent_at = excluded.sent_at,
             summary = excluded.summary, status = excluded.status, updated_at = excluded.updated_at",
        params![
            sen.sen_number,
            sen.level,
            stored_time(sen.sent_at),
            sen.summary,
            sen.status,
            stored_time(sen.updated_at)
        ],
    )?;
    Ok(())
}

pub fn insert_sen_response(
    conn: &Connection,
    sen_number: &str,
    kind: &str,
    body: &Value,
    new_status: &str,
    received_at: DateTime<Utc>,
) -> rusqlite::Result<()> {
    let at = stored_time(received_at);
    conn.execute(
        "INSERT INTO sen_responses (sen_number, kind, body, received_at) VALUES (?1, ?2, ?3, ?4)",
        params![sen_number, kind, body.to_string(), at],
    )?;
    conn.execute(
        "UPDATE sens SET status = ?2, updated_at = ?3 WHERE sen_number = ?1",
        params![sen_number, new_status, at],
    )?;
    Ok(())
}

pub fn incident_exists(conn: &Connection, incident_number: &str) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM incidents WHERE incident_number = ?1)", [incident_number], |r| {
        r.get(0)
    })
}

/// Incidents received, grouped by report id (a count above 1 is a duplicate the client created).
pub fn counts_by_report(conn: &Connection, report_id: Option<&str>) -> rusqlite::Result<Vec<ReportCount>> {
    let mut stmt = conn.prepare(
        "SELECT report_id, COUNT(*), json_group_array(incident_number) FROM incidents
         WHERE ?1 IS NULL OR report_id = ?1 GROUP BY report_id ORDER BY MIN(seq)",
    )?;
    let grouped: Vec<(String, i64, String)> =
        stmt.query_map([report_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    let mut revisions = conn.prepare(
        "SELECT s.revision FROM supplements s JOIN incidents i USING (incident_number)
         WHERE i.report_id = ?1 ORDER BY s.id",
    )?;
    grouped
        .into_iter()
        .map(|(report_id, count, numbers)| {
            let supplement_revisions =
                revisions.query_map([&report_id], |r| r.get(0))?.collect::<Result<Vec<i64>, _>>()?;
            Ok(ReportCount {
                incident_numbers: serde_json::from_str(&numbers).unwrap_or_default(),
                report_id,
                count,
                supplement_revisions,
            })
        })
        .collect()
}

pub fn sen_records(conn: &Connection) -> rusqlite::Result<Vec<SenRecord>> {
    let mut stmt = conn.prepare(&format!("SELECT {SEN_COLUMNS} FROM sens ORDER BY seq"))?;
    let sens = stmt.query_map([], sen_from_row)?.collect::<Result<Vec<_>, _>>()?;
    let mut responses = conn.prepare(
        "SELECT json_object('kind', kind, 'received_at', received_at, 'body', json(body))
         FROM sen_responses WHERE sen_number = ?1 ORDER BY id",
    )?;
    sens.into_iter()
        .map(|sen| {
            let responses = responses
                .query_map([&sen.sen_number], |r| r.get::<_, String>(0))?
                .map(|json| json.map(|j| serde_json::from_str(&j).unwrap_or(Value::Null)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(SenRecord { sen, responses })
        })
        .collect()
}
