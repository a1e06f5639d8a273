//! Full-text search (FTS5), indexed at the next search rather than per keystroke, and the list.

use super::parse_doc;

use crate::error::Result;
use crate::report::{ReportId, State};
use crate::store::atomically;
use crate::store::time::parse_stored;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

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
    pub report_id: ReportId,
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
            r.get::<_, ReportId>(0)?,
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
            cal_csirs_due_at: discovered_at.map(crate::report::deadline::cal_csirs_due),
            incident_number,
        });
    }
    Ok(out)
}
