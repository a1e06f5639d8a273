//! The durable outbox: everything sent to the portal is queued here first, in the same transaction
//! as the state change that caused it, and delivered exactly once (idempotency key chosen here).

use crate::error::Result;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

/// What an item delivers; each maps to one POST of portal-api.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// `POST /api/v1/incidents`; record = report id.
    Incident,
    /// `POST /api/v1/incidents/{incident_number}/supplements`; record = report id.
    Supplement,
    /// `POST /api/v1/sens/{sen_number}/acknowledgement`; record = SEN number.
    Acknowledgement,
    /// `POST /api/v1/sens/{sen_number}/determination`; record = SEN number.
    Determination,
    /// `POST /api/v1/sens/{sen_number}/incident-link`; record = SEN number.
    IncidentLink,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Incident => "incident",
            ItemKind::Supplement => "supplement",
            ItemKind::Acknowledgement => "acknowledgement",
            ItemKind::Determination => "determination",
            ItemKind::IncidentLink => "incident_link",
        }
    }
}

/// Queues one item. Call it inside the transaction that changes the record's state, so a crash
/// leaves either both or neither. Returns the item id.
pub fn enqueue(
    conn: &Connection,
    kind: ItemKind,
    record_id: &str,
    payload: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<i64> {
    let key = uuid::Uuid::new_v4().to_string();
    conn.execute(
        "INSERT INTO outbox (kind, record_id, payload, idempotency_key, next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![kind.as_str(), record_id, serde_json::to_string(payload)?, key, now.to_rfc3339()],
    )?;
    Ok(conn.last_insert_rowid())
}
