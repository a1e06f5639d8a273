//! The Outbox page's views: the queue as a whole and its items.

use chrono::{DateTime, Utc};
use desk_core::outbox::{ItemStatus, QueueStatus};
use serde::Serialize;

/// The queue's pause, connection and counts.
#[derive(Serialize)]
pub struct QueueStatusView {
    paused: Option<String>,
    paused_at: Option<DateTime<Utc>>,
    offline: bool,
    offline_since: Option<DateTime<Utc>>,
    last_contact_at: Option<DateTime<Utc>>,
    pending: usize,
    parked: usize,
    returned: usize,
    sent: usize,
    blocked: usize,
    next_attempt_at: Option<DateTime<Utc>>,
}

impl From<QueueStatus> for QueueStatusView {
    fn from(q: QueueStatus) -> Self {
        QueueStatusView {
            paused: q.paused,
            paused_at: q.paused_at,
            offline: q.offline,
            offline_since: q.offline_since,
            last_contact_at: q.last_contact_at,
            pending: q.pending,
            parked: q.parked,
            returned: q.returned,
            sent: q.sent,
            blocked: q.blocked,
            next_attempt_at: q.next_attempt_at,
        }
    }
}

/// One row of the Outbox page.
#[derive(Serialize)]
pub struct OutboxItemView {
    id: i64,
    kind: &'static str,
    record_id: String,
    state: &'static str,
    attempts: u32,
    next_attempt_at: Option<DateTime<Utc>>,
    last_error: Option<String>,
    waits_for: Option<i64>,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    title: Option<String>,
    incident_number: Option<String>,
}

impl From<ItemStatus> for OutboxItemView {
    fn from(i: ItemStatus) -> Self {
        OutboxItemView {
            id: i.id,
            kind: i.kind.as_str(),
            record_id: i.record_id,
            state: i.state.as_str(),
            attempts: i.attempts,
            next_attempt_at: i.next_attempt_at,
            last_error: i.last_error,
            waits_for: i.waits_for,
            created_at: i.created_at,
            sent_at: i.sent_at,
            title: i.title,
            incident_number: i.incident_number,
        }
    }
}
