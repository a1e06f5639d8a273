//! The outbox tables: which items are due, recording what was decided, the queue's pause and
//! offline flags, and the listing of the Outbox page.

use super::decide::{Decision, SentEffect};
use super::deliver::DeliveryEffects;
use super::{ItemKind, ItemState};
use crate::error::{Error, Result};
use crate::store::time::{parse_stored, stored};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashSet;

/// A pending item whose turn has come.
#[derive(Debug, Clone)]
pub(crate) struct DueItem {
    pub id: i64,
    pub kind: ItemKind,
    pub record_id: String,
    pub payload: Value,
    pub idempotency_key: String,
    pub attempts: u32,
}

/// Pending items due at `now` that are first of their record (no earlier item of the record is
/// pending or parked), oldest first, leaving out `skip`.
pub(crate) fn due_items(
    conn: &Connection,
    now: DateTime<Utc>,
    limit: usize,
    skip: &HashSet<i64>,
) -> Result<Vec<DueItem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.id, o.kind, o.record_id, o.payload, o.idempotency_key, o.attempts FROM outbox o
         WHERE o.state = 'pending' AND o.next_attempt_at <= ?1
           AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.record_id = o.record_id AND e.id < o.id
                                                   AND e.state IN ('pending', 'parked'))
         ORDER BY o.id LIMIT ?2",
    )?;
    let fetch = i64::try_from(limit + skip.len()).unwrap_or(i64::MAX);
    let rows = stmt.query_map(params![stored(now), fetch], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })?;
    let mut items = Vec::new();
    for row in rows {
        let (id, kind, record_id, payload, idempotency_key, attempts) = row?;
        if skip.contains(&id) {
            continue;
        }
        let kind = ItemKind::parse(&kind)
            .ok_or_else(|| Error::Internal(format!("outbox item {id} has unknown kind {kind}")))?;
        let payload = serde_json::from_str(&payload)?;
        items.push(DueItem { id, kind, record_id, payload, idempotency_key, attempts });
        if items.len() == limit {
            break;
        }
    }
    Ok(items)
}

/// Not attempted: waits (for its report's incident number) until `until`, or until woken.
pub(crate) fn mark_waiting(conn: &Connection, id: i64, reason: &str, until: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET last_error = ?2, last_failure = 'waiting', next_attempt_at = ?3 WHERE id = ?1 AND state = 'pending'",
        params![id, reason, stored(until)],
    )?;
    Ok(())
}

/// Records the decision about an attempt, with its effect, in the caller's transaction. An
/// effect that fails is rolled back alone and parks the item (the portal has the record; a
/// retry will replay the key). Returns whether the item was sent.
pub(crate) fn apply(
    conn: &Connection,
    item: &DueItem,
    decision: Decision,
    effects: &dyn DeliveryEffects,
    now: DateTime<Utc>,
) -> Result<bool> {
    match crate::store::atomically(conn, |conn| apply_inner(conn, item, &decision, effects, now)) {
        Ok(sent) => Ok(sent),
        Err(e) => {
            let error = format!("the portal's answer could not be recorded: {e}");
            tracing::warn!(item = item.id, "{error}");
            park(conn, item.id, &error)?;
            Ok(false)
        }
    }
}

fn park(conn: &Connection, id: i64, error: &str) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET state = 'parked', attempts = attempts + 1, last_error = ?2, last_failure = NULL
         WHERE id = ?1 AND state = 'pending'",
        params![id, error],
    )?;
    Ok(())
}

fn apply_inner(
    conn: &Connection,
    item: &DueItem,
    decision: &Decision,
    effects: &dyn DeliveryEffects,
    now: DateTime<Utc>,
) -> Result<bool> {
    match decision {
        Decision::Sent { response, effect } => {
            let changed = conn.execute(
                "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?2, response = ?3,
                                   last_error = NULL, last_failure = NULL
                 WHERE id = ?1 AND state = 'pending'",
                params![item.id, stored(now), response.to_string()],
            )?;
            // Another runner recorded it first (same key, same answer): its effect is done.
            if changed == 0 {
                return Ok(false);
            }
            match effect {
                SentEffect::Incident { incident_number, received_at } => {
                    effects.incident_sent(conn, &item.record_id, incident_number, *received_at)?;
                    // Items waiting for this number may go now.
                    conn.execute(
                        "UPDATE outbox SET next_attempt_at = ?2 WHERE state = 'pending' AND last_failure = 'waiting'
                            AND (record_id = ?1 OR json_extract(payload, '$.report_id') = ?1)",
                        params![item.record_id, stored(now)],
                    )?;
                }
                SentEffect::Supplement { revision, received_at } => {
                    effects.supplement_sent(conn, &item.record_id, *revision, *received_at)?;
                }
                SentEffect::Sen { received_at } => {
                    effects.sen_item_sent(conn, item.kind, &item.record_id, *received_at)?
                }
            }
            Ok(true)
        }
        Decision::Retry { at, error, class } => {
            conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3, last_failure = ?4
                 WHERE id = ?1 AND state = 'pending'",
                params![item.id, stored(*at), error, class.as_str()],
            )?;
            Ok(false)
        }
        Decision::PauseQueue { error } => {
            conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, last_failure = 'unauthorized'
                 WHERE id = ?1 AND state = 'pending'",
                params![item.id, error],
            )?;
            pause(conn, error, now)?;
            Ok(false)
        }
        Decision::ReturnToDraft { errors, error } => {
            let changed = conn.execute(
                "UPDATE outbox SET state = 'returned', attempts = attempts + 1, last_error = ?2, last_failure = NULL
                 WHERE id = ?1 AND state = 'pending'",
                params![item.id, error],
            )?;
            if changed == 0 {
                return Ok(false);
            }
            // Later report items were computed from content the portal refused: the next send
            // (a new submission, or a supplement against the last confirmed revision) carries them.
            conn.execute(
                "UPDATE outbox SET state = 'superseded', last_error = ?3, last_failure = NULL
                 WHERE record_id = ?1 AND id > ?2 AND state = 'pending' AND kind IN ('incident', 'supplement')",
                params![
                    item.record_id,
                    item.id,
                    format!("superseded: item {} was refused and the report went back to draft", item.id)
                ],
            )?;
            effects.report_refused(conn, &item.record_id, errors, now)?;
            Ok(false)
        }
        Decision::Park { error } => {
            park(conn, item.id, error)?;
            Ok(false)
        }
    }
}

// ---- the queue as a whole --------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QueueStatus {
    /// Set when the portal refused the token: "token needed". Nothing is tried until
    /// [`resume`] (a new token) or [`retry_now`].
    pub paused: Option<String>,
    pub paused_at: Option<DateTime<Utc>>,
    /// The portal could not be reached at the last attempt; the health check is polled.
    pub offline: bool,
    pub offline_since: Option<DateTime<Utc>>,
    /// The last time the portal answered anything.
    pub last_contact_at: Option<DateTime<Utc>>,
    pub pending: usize,
    pub parked: usize,
    pub returned: usize,
    pub sent: usize,
    /// Pending items that cannot go without the user: behind a parked item of their record, or
    /// waiting for an incident number no queued item will bring.
    pub blocked: usize,
    /// When the next item can be tried (among items whose turn it is).
    pub next_attempt_at: Option<DateTime<Utc>>,
}

fn time_opt(text: Option<String>) -> Option<DateTime<Utc>> {
    text.as_deref().and_then(|t| parse_stored(t).ok())
}

pub fn queue_status(conn: &Connection) -> Result<QueueStatus> {
    let (paused, paused_at, offline_since, last_contact_at) = conn.query_row(
        "SELECT paused_reason, paused_at, offline_since, last_contact_at FROM outbox_queue WHERE id = 1",
        [],
        |r| Ok((r.get::<_, Option<String>>(0)?, r.get(1)?, r.get::<_, Option<String>>(2)?, r.get(3)?)),
    )?;
    let mut status = QueueStatus {
        paused,
        paused_at: time_opt(paused_at),
        offline: offline_since.is_some(),
        offline_since: time_opt(offline_since),
        last_contact_at: time_opt(last_contact_at),
        ..QueueStatus::default()
    };
    let mut stmt = conn.prepare_cached("SELECT state, COUNT(*) FROM outbox GROUP BY state")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (state, count) = row?;
        let count = usize::try_from(count).unwrap_or(0);
        match ItemState::parse(&state) {
            Some(ItemState::Pending) => status.pending = count,
            Some(ItemState::Parked) => status.parked = count,
            Some(ItemState::Returned) => status.returned = count,
            Some(ItemState::Sent) => status.sent = count,
            Some(ItemState::Superseded) | None => {}
        }
    }
    let blocked: i64 = conn.query_row(
        "SELECT COUNT(*) FROM outbox o WHERE o.state = 'pending' AND (
             EXISTS (SELECT 1 FROM outbox e WHERE e.record_id = o.record_id AND e.id < o.id AND e.state = 'parked')
             OR (o.last_failure = 'waiting' AND NOT EXISTS (
                 SELECT 1 FROM outbox i WHERE i.kind = 'incident' AND i.state = 'pending'
                    AND i.record_id = CASE o.kind WHEN 'incident_link' THEN json_extract(o.payload, '$.report_id')
                                                  ELSE o.record_id END)))",
        [],
        |r| r.get(0),
    )?;
    status.blocked = usize::try_from(blocked).unwrap_or(0);
    status.next_attempt_at = next_due(conn)?;
    Ok(status)
}

/// When the next item can be tried: the earliest retry time among items whose turn it is (an
/// item behind another of its record goes only after it, whatever its own time).
pub fn next_due(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    let next: Option<String> = conn.query_row(
        "SELECT MIN(o.next_attempt_at) FROM outbox o WHERE o.state = 'pending'
           AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.record_id = o.record_id AND e.id < o.id
                                                   AND e.state IN ('pending', 'parked'))",
        [],
        |r| r.get(0),
    )?;
    Ok(time_opt(next))
}

pub(crate) fn pause(conn: &Connection, reason: &str, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE outbox_queue SET paused_reason = ?1, paused_at = ?2 WHERE id = 1",
        params![reason, stored(now)],
    )?;
    Ok(())
}

/// Lifts a pause (call it when the user gives a new token). Items keep their retry times,
/// except those stopped by the refused token, which go at the next sync.
pub fn resume(conn: &Connection, now: DateTime<Utc>) -> Result<()> {
    conn.execute("UPDATE outbox_queue SET paused_reason = NULL, paused_at = NULL WHERE id = 1", [])?;
    conn.execute(
        "UPDATE outbox SET next_attempt_at = ?1 WHERE state = 'pending' AND last_failure = 'unauthorized'",
        [stored(now)],
    )?;
    Ok(())
}

pub(crate) fn note_contact(conn: &Connection, now: DateTime<Utc>) -> Result<()> {
    conn.execute("UPDATE outbox_queue SET offline_since = NULL, last_contact_at = ?1 WHERE id = 1", [stored(now)])?;
    Ok(())
}

pub(crate) fn note_offline(conn: &Connection, now: DateTime<Utc>) -> Result<()> {
    conn.execute("UPDATE outbox_queue SET offline_since = COALESCE(offline_since, ?1) WHERE id = 1", [stored(now)])?;
    Ok(())
}

/// The portal answers again: items that failed only because it could not be reached go now.
pub(crate) fn back_online(conn: &Connection, now: DateTime<Utc>) -> Result<usize> {
    note_contact(conn, now)?;
    Ok(conn.execute(
        "UPDATE outbox SET next_attempt_at = ?1 WHERE state = 'pending' AND last_failure = 'offline' AND next_attempt_at > ?1",
        [stored(now)],
    )?)
}

/// Something other than a delivery (the SEN pull, a connection test) reached the portal: the
/// offline flag clears and items that failed only for being offline go at once.
pub fn portal_answered(conn: &Connection, now: DateTime<Utc>) -> Result<()> {
    back_online(conn, now).map(drop)
}

/// Something other than a delivery could not reach the portal: the queue is offline (the runner
/// polls the health check before its next attempt).
pub fn portal_unreachable(conn: &Connection, now: DateTime<Utc>) -> Result<()> {
    note_offline(conn, now)
}

/// "Retry now" on one item: a pending or parked item is due at once, and a pause is lifted (the
/// user acts, so the token question is theirs to answer again if it recurs).
pub fn retry_now(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<()> {
    let state: Option<String> =
        conn.query_row("SELECT state FROM outbox WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    match state.as_deref().and_then(ItemState::parse) {
        None => Err(Error::NotFound(format!("outbox item {id}"))),
        Some(ItemState::Pending | ItemState::Parked) => {
            conn.execute(
                "UPDATE outbox SET state = 'pending', next_attempt_at = ?2, last_failure = NULL WHERE id = ?1",
                params![id, stored(now)],
            )?;
            conn.execute("UPDATE outbox_queue SET paused_reason = NULL, paused_at = NULL WHERE id = 1", [])?;
            Ok(())
        }
        Some(state) => {
            Err(Error::Conflict(format!("outbox item {id} is {}: there is nothing to retry", state.as_str())))
        }
    }
}

/// One row of the Outbox page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStatus {
    pub id: i64,
    pub kind: ItemKind,
    pub record_id: String,
    pub state: ItemState,
    pub attempts: u32,
    /// For a pending item: when it is tried next (it may also wait for its turn).
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// An earlier item of the same record that must go first.
    pub waits_for: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// What the record is, for people: the report's title, or the SEN's summary.
    pub title: Option<String>,
    /// The portal's incident number: from the portal's answer, else the report's once it has one.
    pub incident_number: Option<String>,
}

/// Every item, newest first (the queue never forgets what it sent).
pub fn list(conn: &Connection) -> Result<Vec<ItemStatus>> {
    list_recent(conn, usize::MAX)
}

/// The `limit` newest items, newest first.
pub fn list_recent(conn: &Connection, limit: usize) -> Result<Vec<ItemStatus>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.id, o.kind, o.record_id, o.state, o.attempts, o.next_attempt_at, o.last_error, o.created_at, o.sent_at,
                (SELECT MAX(e.id) FROM outbox e WHERE e.record_id = o.record_id AND e.id < o.id
                                                  AND e.state IN ('pending', 'parked')),
                COALESCE(NULLIF(r.title, ''), NULLIF(s.summary, '')),
                COALESCE(json_extract(o.response, '$.incident_number'), r.incident_number)
         FROM outbox o
         LEFT JOIN reports r ON o.kind IN ('incident', 'supplement') AND r.report_id = o.record_id
         LEFT JOIN sens s ON o.kind NOT IN ('incident', 'supplement') AND s.sen_number = o.record_id
         ORDER BY o.id DESC LIMIT ?1",
    )?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = stmt.query_map([limit], |r| {
        Ok((
            (
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u32>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
            ),
            (
                r.get::<_, String>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<i64>>(9)?,
                r.get::<_, Option<String>>(10)?,
                r.get::<_, Option<String>>(11)?,
            ),
        ))
    })?;
    let mut items = Vec::new();
    for row in rows {
        let (
            (id, kind, record_id, state, attempts, next, last_error),
            (created, sent, waits_for, title, incident_number),
        ) = row?;
        let unknown = |what: &str| Error::Internal(format!("outbox item {id} has an unknown {what}"));
        let state = ItemState::parse(&state).ok_or_else(|| unknown("state"))?;
        items.push(ItemStatus {
            id,
            kind: ItemKind::parse(&kind).ok_or_else(|| unknown("kind"))?,
            record_id,
            state,
            attempts,
            next_attempt_at: (state == ItemState::Pending).then(|| parse_stored(&next).ok()).flatten(),
            last_error,
            waits_for: if state == ItemState::Pending { waits_for } else { None },
            created_at: parse_stored(&created).ok().ok_or_else(|| unknown("creation time"))?,
            sent_at: time_opt(sent),
            title,
            incident_number,
        });
    }
    Ok(items)
}
