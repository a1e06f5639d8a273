//! Accountability: who wrote each history row (the OS user and the machine, read at the edge and
//! passed in like `now`), and the hash chains that make a history row edited or deleted behind the
//! app's back visible (`incident-desk audit verify`).
//!
//! Three append-only tables hold history: `report_revisions` and `report_events` (one chain per
//! report and table) and `sen_history` (one chain per SEN). Each row stores `prev_hash` (the hash
//! of the row before it in its chain, `''` for the first) and `hash` = SHA-256 over `prev_hash`
//! and the row's canonical content (its table, record and every content column, actor included,
//! as a JSON array of the stored values). Rows written before migration 0008 are chained by that
//! migration, in its transaction, in id order (their actor is unknown: empty).
//!
//! The hashes carry no secret: someone holding the database key who also rewrites every later
//! hash goes unnoticed. What the chain gives is that an edit or a deletion made with an SQL shell
//! leaves a visible break, named by table, row and record.

use crate::error::{Error, Result};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Who did it: the OS user name and the machine's host name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Actor {
    pub user: String,
    pub host: String,
}

impl Actor {
    pub fn new(user: impl Into<String>, host: impl Into<String>) -> Actor {
        Actor { user: user.into(), host: host.into() }
    }
}

/// One history table: its chain key and the columns its hash covers, in order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chain {
    pub table: &'static str,
    pub record: &'static str,
    pub content: &'static [&'static str],
}

pub(crate) const REPORT_REVISIONS: Chain = Chain {
    table: "report_revisions",
    record: "report_id",
    content: &["revision", "at", "kind", "field", "value", "snapshot", "actor_user", "actor_host"],
};
pub(crate) const REPORT_EVENTS: Chain = Chain {
    table: "report_events",
    record: "report_id",
    content: &["at", "event", "revision", "detail", "actor_user", "actor_host"],
};
pub(crate) const SEN_HISTORY: Chain = Chain {
    table: "sen_history",
    record: "sen_number",
    content: &["event", "at", "detail", "actor_user", "actor_host"],
};

const CHAINS: [Chain; 3] = [REPORT_REVISIONS, REPORT_EVENTS, SEN_HISTORY];

fn value_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => serde_json::Value::from(*i),
        Value::Real(f) => serde_json::Value::from(*f),
        Value::Text(t) => serde_json::Value::from(t.as_str()),
        Value::Blob(b) => serde_json::Value::from(b.iter().map(|x| format!("{x:02x}")).collect::<String>()),
    }
}

/// SHA-256 (hex) over the previous hash and the canonical content.
fn row_hash(chain: &Chain, record: &str, content: &[Value], prev_hash: &str) -> String {
    let mut canonical = vec![serde_json::Value::from(chain.table), serde_json::Value::from(record)];
    canonical.extend(content.iter().map(value_json));
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(serde_json::Value::Array(canonical).to_string().as_bytes());
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn last_hash(conn: &Connection, chain: &Chain, record: &str) -> Result<String> {
    let sql =
        format!("SELECT hash FROM {t} WHERE {r} = ?1 ORDER BY id DESC LIMIT 1", t = chain.table, r = chain.record);
    let hash: Option<Option<String>> = conn.prepare_cached(&sql)?.query_row([record], |r| r.get(0)).optional()?;
    Ok(hash.flatten().unwrap_or_default())
}

/// Appends one history row with its actor and its link in the chain. `content` holds the values
/// of `chain.content` without the two actor columns (they come from `actor`), in order.
pub(crate) fn append(conn: &Connection, chain: &Chain, record: &str, content: Vec<Value>, actor: &Actor) -> Result<()> {
    let mut content = content;
    content.push(Value::Text(actor.user.clone()));
    content.push(Value::Text(actor.host.clone()));
    if content.len() != chain.content.len() {
        return Err(Error::Internal(format!(
            "{}: {} values for {} columns",
            chain.table,
            content.len(),
            chain.content.len()
        )));
    }
    let prev = last_hash(conn, chain, record)?;
    let hash = row_hash(chain, record, &content, &prev);
    let columns = chain.content.join(", ");
    let marks: Vec<String> = (1..=chain.content.len() + 3).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT INTO {t} ({r}, {columns}, prev_hash, hash) VALUES ({marks})",
        t = chain.table,
        r = chain.record,
        marks = marks.join(", ")
    );
    let mut values = Vec::with_capacity(content.len() + 3);
    values.push(Value::Text(record.to_string()));
    values.extend(content);
    values.push(Value::Text(prev));
    values.push(Value::Text(hash));
    conn.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

/// The first broken link found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenLink {
    pub table: String,
    pub row_id: i64,
    /// The report id or SEN number whose chain breaks there.
    pub record: String,
    pub reason: String,
}

impl std::fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} row {} (record {}): {}", self.table, self.row_id, self.record, self.reason)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verified {
    /// Chains walked (one per report and table, one per SEN).
    pub chains: usize,
    pub rows: usize,
}

struct StoredRow {
    id: i64,
    record: String,
    content: Vec<Value>,
    prev_hash: Option<String>,
    hash: Option<String>,
}

fn walk(conn: &Connection, chain: &Chain, mut each: impl FnMut(StoredRow) -> Result<()>) -> Result<()> {
    let sql = format!(
        "SELECT id, {r}, prev_hash, hash, {c} FROM {t} ORDER BY {r}, id",
        r = chain.record,
        c = chain.content.join(", "),
        t = chain.table
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let content =
            (0..chain.content.len()).map(|i| r.get::<_, Value>(4 + i)).collect::<rusqlite::Result<Vec<_>>>()?;
        each(StoredRow { id: r.get(0)?, record: r.get(1)?, prev_hash: r.get(2)?, hash: r.get(3)?, content })?;
    }
    Ok(())
}

/// Walks every chain: `Ok(Err(link))` names the first broken one (edited, deleted, reordered or
/// unsealed row); a report whose newest revision row is missing breaks at the report itself.
pub fn verify(conn: &Connection) -> Result<std::result::Result<Verified, BrokenLink>> {
    let mut verified = Verified { chains: 0, rows: 0 };
    for chain in CHAINS {
        let mut current: Option<(String, String, Option<i64>)> = None; // record, last hash, last revision
        let mut broken: Option<BrokenLink> = None;
        let mut tails: Vec<(String, i64, Option<i64>)> = Vec::new(); // record, last row id, last revision
        walk(conn, &chain, |row| {
            if broken.is_some() {
                return Ok(());
            }
            let fail = |reason: &str| BrokenLink {
                table: chain.table.to_string(),
                row_id: row.id,
                record: row.record.clone(),
                reason: reason.to_string(),
            };
            let (prev, prev_revision) = match &current {
                Some((record, hash, revision)) if *record == row.record => (hash.clone(), *revision),
                _ => {
                    if let Some((record, _, revision)) = &current {
                        tails.push((record.clone(), 0, *revision));
                    }
                    verified.chains += 1;
                    (String::new(), None)
                }
            };
            verified.rows += 1;
            let (Some(stored_prev), Some(stored_hash)) = (&row.prev_hash, &row.hash) else {
                broken = Some(fail("the row carries no hash (written outside the app)"));
                return Ok(());
            };
            if row_hash(&chain, &row.record, &row.content, stored_prev) != *stored_hash {
                broken = Some(fail("its content does not match its hash (the row was edited)"));
                return Ok(());
            }
            if *stored_prev != prev {
                broken = Some(fail(if prev.is_empty() {
                    "it links to a row that is not in the chain (rows before it were deleted)"
                } else {
                    "it does not link to the row before it (a row between them was deleted or changed)"
                }));
                return Ok(());
            }
            let revision = (chain.table == REPORT_REVISIONS.table).then(|| match row.content.first() {
                Some(Value::Integer(r)) => *r,
                _ => -1,
            });
            if let (Some(r), Some(p)) = (revision, prev_revision) {
                if r != p + 1 {
                    broken = Some(fail(&format!("revision {r} follows revision {p} (revisions between were deleted)")));
                    return Ok(());
                }
            }
            current = Some((row.record.clone(), stored_hash.clone(), revision));
            Ok(())
        })?;
        if let Some(link) = broken {
            return Ok(Err(link));
        }
        if let Some((record, _, revision)) = current {
            tails.push((record, 0, revision));
        }
        if chain.table == REPORT_REVISIONS.table {
            if let Some(link) = check_revision_tails(conn, &tails)? {
                return Ok(Err(link));
            }
        }
    }
    Ok(Ok(verified))
}

/// A report's current revision must be the last row of its revision chain (a deleted tail).
fn check_revision_tails(conn: &Connection, tails: &[(String, i64, Option<i64>)]) -> Result<Option<BrokenLink>> {
    let mut stmt = conn.prepare("SELECT id, report_id, revision FROM reports ORDER BY id")?;
    let reports = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (id, report_id, revision) in reports {
        let last = tails.iter().find(|(record, _, _)| *record == report_id).and_then(|(_, _, r)| *r);
        if last != Some(revision) {
            return Ok(Some(BrokenLink {
                table: "reports".to_string(),
                row_id: id,
                record: report_id,
                reason: format!(
                    "the report is at revision {revision} but its history ends at {} (history rows were deleted)",
                    last.map(|r| r.to_string()).unwrap_or_else(|| "nothing".to_string())
                ),
            }));
        }
    }
    Ok(None)
}

/// Migration 0008's second half, in its transaction: chains the rows written before it (their
/// actor unknown) and puts the append-only triggers back (the SQL half dropped them).
pub(crate) fn seal_existing(tx: &Transaction) -> std::result::Result<(), rusqlite_migration::HookError> {
    for chain in CHAINS {
        let mut pending: Vec<(i64, String, Vec<Value>)> = Vec::new();
        walk(tx, &chain, |row| {
            pending.push((row.id, row.record, row.content));
            Ok(())
        })
        .map_err(|e| rusqlite_migration::HookError::Hook(e.to_string()))?;
        let mut prev: Option<(String, String)> = None;
        for (id, record, content) in pending {
            let prev_hash = match &prev {
                Some((r, h)) if *r == record => h.clone(),
                _ => String::new(),
            };
            let hash = row_hash(&chain, &record, &content, &prev_hash);
            tx.execute(
                &format!("UPDATE {} SET prev_hash = ?1, hash = ?2 WHERE id = ?3", chain.table),
                params![prev_hash, hash, id],
            )?;
            prev = Some((record, hash));
        }
    }
    tx.execute_batch(APPEND_ONLY_TRIGGERS)?;
    Ok(())
}

/// The triggers of 0002/0003, unchanged.
const APPEND_ONLY_TRIGGERS: &str = "
CREATE TRIGGER sen_history_no_update BEFORE UPDATE ON sen_history
BEGIN
    SELECT RAISE(ABORT, 'sen_history is append-only');
END;
CREATE TRIGGER report_revisions_no_update BEFORE UPDATE ON report_revisions
BEGIN
    SELECT RAISE(ABORT, 'report revisions are append-only');
END;
CREATE TRIGGER report_events_no_update BEFORE UPDATE ON report_events
BEGIN
    SELECT RAISE(ABORT, 'report events are append-only');
END;
";
