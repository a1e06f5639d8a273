//! The durable outbox: everything sent to the portal is queued here first, in the same transaction
//! as the state change that caused it, and delivered exactly once (idempotency key chosen here).
//!
//! - Order: items of one record (report id, SEN number) go in queue order, and an item waits while
//!   an earlier item of its record is pending or parked. An incident link also waits until its
//!   report has an incident number.
//! - What to do after an attempt is the pure [`decide`] of the item, the portal's answer and `now`.
//! - When to make the next pass is the pure [`next_pass_in`], for the window's task and [`run`] alike.
//! - Exactly once: an item is marked sent in the same transaction as its effect (the report gets
//!   its incident number, ...). A process killed between the portal's answer and that commit
//!   leaves the item pending; the retry carries the same key and the portal answers 200 with the
//!   first answer, so the record exists once and the effect is applied once.

mod decide;
mod deliver;
mod queue;
mod runner;
mod wake;

pub use decide::{backoff_delay, decide, Attempt, Decision, FailureClass, RetryPolicy, SentEffect};
pub use deliver::{resolve, DeliveryEffects, Request, Resolved};
pub use queue::{
    list, list_recent, next_due, portal_answered, portal_unreachable, queue_status, resume, retry_now, ItemStatus,
    QueueStatus,
};
pub use runner::{run, sync_once, sync_once_with, RunOptions, Summary, SyncConfig};
pub use wake::{next_pass_in, Pacing};

use crate::error::Result;
use crate::store::time::stored;
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
    pub const ALL: [ItemKind; 5] = [
        ItemKind::Incident,
        ItemKind::Supplement,
        ItemKind::Acknowledgement,
        ItemKind::Determination,
        ItemKind::IncidentLink,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Incident => "incident",
            ItemKind::Supplement => "supplement",
            ItemKind::Acknowledgement => "acknowledgement",
            ItemKind::Determination => "determination",
            ItemKind::IncidentLink => "incident_link",
        }
    }

    pub fn parse(text: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// Items about a report (a refusal of their fields sends the report back to draft).
    pub fn is_report(self) -> bool {
        matches!(self, ItemKind::Incident | ItemKind::Supplement)
    }
}

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// To deliver (possibly waiting for its turn, its report's incident number, or a retry time).
    Pending,
    /// Delivered; its effect was committed with this state.
    Sent,
    /// Refused by the portal (4xx other than 401/403/422, or an answer we could not record):
    /// waits for the user, and holds back later items of its record.
    Parked,
    /// Its fields were refused (422): the report went back to draft.
    Returned,
    /// Dropped because an earlier item of its report was returned: the next send carries it.
    Superseded,
}

impl ItemState {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemState::Pending => "pending",
            ItemState::Sent => "sent",
            ItemState::Parked => "parked",
            ItemState::Returned => "returned",
            ItemState::Superseded => "superseded",
        }
    }

    pub fn parse(text: &str) -> Option<ItemState> {
        [ItemState::Pending, ItemState::Sent, ItemState::Parked, ItemState::Returned, ItemState::Superseded]
            .into_iter()
            .find(|state| state.as_str() == text)
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
        params![kind.as_str(), record_id, serde_json::to_string(payload)?, key, stored(now)],
    )?;
    Ok(conn.last_insert_rowid())
}
