//! Delivery passes. One pass ([`sync_once`]) sends every due item with a few requests in flight
//! (items of different records in parallel; one record's items in order) and commits the results
//! in groups, each item with its effect. [`run`] repeats passes, sleeping until the next item is
//! due, or polling the health check while the portal is unreachable.
//!
//! Kill safety: nothing is written before a request; the result and its effect are written in
//! one transaction after it. Killed before the commit, the item is still pending with the same
//! key: the next pass sends the same request and the portal answers with the first answer.

use super::decide::{decide, Attempt, Decision, FailureClass, RetryPolicy};
use super::deliver::{resolve, DeliveryEffects, Resolved};
use super::queue::{self, DueItem};
use super::wake::{next_pass_in, Pacing};
use crate::error::{Error, Result};
use crate::portal::{Outcome, PortalClient};
use crate::store::Store;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyncConfig {
    pub policy: RetryPolicy,
    /// Requests in flight at once (each for a different record).
    pub concurrency: usize,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig { policy: RetryPolicy::default(), concurrency: 8 }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Items delivered.
    pub sent: usize,
    /// Attempts that did not deliver (to be retried, parked, returned, or pausing the queue).
    pub failed: usize,
    /// Items still pending afterwards.
    pub pending: usize,
    /// Of those, the ones that cannot go without the user (see `QueueStatus::blocked`).
    pub blocked: usize,
    /// "Token needed": the portal refused the token; nothing more is tried until a new one.
    pub paused: Option<String>,
    /// The portal could not be reached.
    pub offline: bool,
    /// `run` stopped at its timeout.
    pub timed_out: bool,
}

/// One pass with the default configuration.
pub async fn sync_once(
    store: &mut Store,
    client: &PortalClient,
    effects: &dyn DeliveryEffects,
    now: DateTime<Utc>,
) -> Result<Summary> {
    sync_once_with(store, client, effects, now, &SyncConfig::default()).await
}

/// One pass: nothing while paused; while offline, the health check first, then (if it answers)
/// every item that failed for being offline at once.
pub async fn sync_once_with(
    store: &mut Store,
    client: &PortalClient,
    effects: &dyn DeliveryEffects,
    now: DateTime<Utc>,
    config: &SyncConfig,
) -> Result<Summary> {
    let mut summary = Summary::default();
    let before = queue::queue_status(store.conn())?;
    if before.paused.is_none() {
        let reachable = !before.offline || client.health().await.is_ok();
        if reachable {
            if before.offline {
                queue::back_online(store.conn(), now)?;
            }
            deliver_due(store, client, effects, now, config, &mut summary).await?;
        }
    }
    let after = queue::queue_status(store.conn())?;
    summary.pending = after.pending;
    summary.blocked = after.blocked;
    summary.paused = after.paused;
    summary.offline = after.offline;
    Ok(summary)
}

/// Results committed together: one durable commit (fsync) for many items.
const COMMIT_EVERY: usize = 128;
/// Due items read per query.
const FETCH_BATCH: usize = 64;

/// Keeps `concurrency` requests in flight, each for the first due item of a different record
/// (an item's successor is due only once the item's result is committed), and commits the
/// results in groups.
async fn deliver_due(
    store: &mut Store,
    client: &PortalClient,
    effects: &dyn DeliveryEffects,
    now: DateTime<Utc>,
    config: &SyncConfig,
    summary: &mut Summary,
) -> Result<()> {
    let width = config.concurrency.max(1);
    // Tried in this pass: a retry due "now" (Retry-After: 0) waits for the next pass.
    let mut tried = HashSet::new();
    // Due items resolved and waiting for a free request slot (fetched in batches: one query
    // per batch rather than per item).
    let mut ready: VecDeque<(DueItem, super::Request)> = VecDeque::new();
    let mut in_flight = tokio::task::JoinSet::new();
    let mut answers: Vec<(DueItem, Outcome)> = Vec::new();
    let mut unusable: Vec<(DueItem, String)> = Vec::new();
    // Unreachable or refused token: the other items would fare the same; send no more.
    let mut stopping = false;
    // No due item left until the next commit (which may make successors due).
    let mut drained = false;
    loop {
        if ready.is_empty() && !stopping && !drained {
            let due = queue::due_items(store.conn(), now, FETCH_BATCH.max(width), &tried)?;
            drained = due.is_empty();
            for item in due {
                tried.insert(item.id);
                match resolve(store.conn(), effects, item.kind, &item.record_id, &item.payload) {
                    Ok(Resolved::Ready(request)) => ready.push_back((item, request)),
                    // Due again once its incident goes out (even in this pass).
                    Ok(Resolved::Waiting(reason)) => {
                        tried.remove(&item.id);
                        let until = now + chrono::Duration::from_std(config.policy.min_delay).unwrap_or_default();
                        queue::mark_waiting(store.conn(), item.id, &reason, until)?;
                    }
                    Ok(Resolved::Unusable(reason)) => unusable.push((item, reason)),
                    Err(Error::NotFound(what)) => unusable.push((item, format!("{what} not found"))),
                    Err(e) => return Err(e),
                }
            }
        }
        while !stopping && in_flight.len() < width {
            let Some((item, request)) = ready.pop_front() else { break };
            let (client, key) = (client.clone(), item.idempotency_key.clone());
            in_flight.spawn(async move {
                let segments: Vec<&str> = request.segments.iter().map(String::as_str).collect();
                let outcome = client.post(&segments, &key, &request.body).await;
                (item, outcome)
            });
        }
        if let Some(joined) = in_flight.join_next().await {
            // A request task cannot fail short of a panic; its item stays pending for the next pass.
            let (item, outcome) = joined.map_err(|e| Error::Internal(format!("outbox request task: {e}")))?;
            stopping |= matches!(outcome, Outcome::Unauthorized { .. } | Outcome::Transient { unreachable: true, .. });
            answers.push((item, outcome));
        }
        let idle = in_flight.is_empty() && (stopping || ready.is_empty());
        let buffered = answers.len() + unusable.len();
        if buffered >= COMMIT_EVERY || (idle && buffered > 0) {
            commit(store, &mut answers, &mut unusable, effects, now, config, summary)?;
            drained = false;
        } else if idle && (stopping || drained) {
            return Ok(());
        }
    }
}

/// Records a group of results, each with its effect, in one transaction.
fn commit(
    store: &mut Store,
    answers: &mut Vec<(DueItem, Outcome)>,
    unusable: &mut Vec<(DueItem, String)>,
    effects: &dyn DeliveryEffects,
    now: DateTime<Utc>,
    config: &SyncConfig,
    summary: &mut Summary,
) -> Result<()> {
    crate::store::atomically(store.conn(), |tx| {
        for (item, reason) in unusable.drain(..) {
            queue::apply(tx, &item, Decision::Park { error: reason }, effects, now)?;
            summary.failed += 1;
        }
        let (mut answered, mut offline) = (false, false);
        for (item, outcome) in answers.drain(..) {
            let attempt = Attempt {
                kind: item.kind,
                attempts: item.attempts,
                idempotency_key: &item.idempotency_key,
                payload: &item.payload,
            };
            let decision = decide(&attempt, &outcome, now, &config.policy);
            match &decision {
                Decision::Retry { class: FailureClass::Offline, .. } => offline = true,
                _ => answered = true,
            }
            if queue::apply(tx, &item, decision, effects, now)? {
                summary.sent += 1;
            } else {
                summary.failed += 1;
            }
        }
        if answered {
            queue::note_contact(tx, now)?;
        }
        if offline {
            queue::note_offline(tx, now)?;
        }
        Ok(())
    })
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunOptions {
    /// Return when no pending item can go without the user (rather than waiting for new ones).
    pub until_empty: bool,
    /// Return after this long in any case.
    pub timeout: Option<Duration>,
    /// When the next pass is made (see [`next_pass_in`]).
    pub pacing: Pacing,
    pub sync: SyncConfig,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions { until_empty: false, timeout: None, pacing: Pacing::RUN, sync: SyncConfig::default() }
    }
}

/// Passes until done: with `until_empty`, when nothing deliverable is left; always when the
/// queue is paused (a token is needed) or at `timeout`. Without either it runs until its future
/// is dropped, which is safe at any await point. The clock is read here (an edge).
pub async fn run(
    store: &mut Store,
    client: &PortalClient,
    effects: &dyn DeliveryEffects,
    options: RunOptions,
) -> Result<Summary> {
    let started = Instant::now();
    let mut total = Summary::default();
    loop {
        let pass = sync_once_with(store, client, effects, Utc::now(), &options.sync).await?;
        total = Summary { sent: total.sent + pass.sent, failed: total.failed + pass.failed, ..pass };
        if total.paused.is_some() || (options.until_empty && total.pending <= total.blocked) {
            return Ok(total);
        }
        let mut wait = next_pass_in(Utc::now(), &total, queue::next_due(store.conn())?, &options.pacing);
        if let Some(timeout) = options.timeout {
            let left = timeout.saturating_sub(started.elapsed());
            if left.is_zero() {
                total.timed_out = true;
                return Ok(total);
            }
            wait = wait.min(left);
        }
        tokio::time::sleep(wait).await;
    }
}
