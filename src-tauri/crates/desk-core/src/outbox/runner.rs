//! Delivery passes. One pass ([`sync_once`]) sends every due item, a few records at a time
//! (items of different records in parallel; one record's items in order), and commits each
//! round's results in one transaction. [`run`] repeats passes, sleeping until the next item is
//! due, or polling the health check while the portal is unreachable.
//!
//! Kill safety: nothing is written before a request; the result and its effect are written in
//! one transaction after it. Killed before the commit, the item is still pending with the same
//! key: the next pass sends the same request and the portal answers with the first answer.

use super::decide::{decide, Attempt, Decision, FailureClass, RetryPolicy};
use super::deliver::{resolve, DeliveryEffects, Resolved};
use super::queue::{self, DueItem};
use crate::error::{Error, Result};
use crate::portal::{Outcome, PortalClient};
use crate::store::Store;
use chrono::{DateTime, Utc};
use rusqlite::TransactionBehavior;
use serde::Serialize;
use std::collections::HashSet;
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

async fn deliver_due(
    store: &mut Store,
    client: &PortalClient,
    effects: &dyn DeliveryEffects,
    now: DateTime<Utc>,
    config: &SyncConfig,
    summary: &mut Summary,
) -> Result<()> {
    // Tried in this pass: a retry due "now" (Retry-After: 0) waits for the next pass.
    let mut tried = HashSet::new();
    loop {
        let due = queue::due_items(store.conn(), now, config.concurrency.max(1), &tried)?;
        if due.is_empty() {
            return Ok(());
        }
        let mut ready = Vec::new();
        let mut unusable = Vec::new();
        for item in due {
            match resolve(store.conn(), effects, item.kind, &item.record_id, &item.payload) {
                Ok(Resolved::Ready(request)) => ready.push((item, request)),
                // Not tried, so not in `tried`: woken in this pass if its incident goes out.
                Ok(Resolved::Waiting(reason)) => {
                    let until = now + chrono::Duration::from_std(config.policy.min_delay).unwrap_or_default();
                    queue::mark_waiting(store.conn(), item.id, &reason, until)?;
                }
                Ok(Resolved::Unusable(reason)) => unusable.push((item, reason)),
                Err(Error::NotFound(what)) => unusable.push((item, format!("{what} not found"))),
                Err(e) => return Err(e),
            }
        }
        tried.extend(ready.iter().map(|(item, _)| item.id));
        tried.extend(unusable.iter().map(|(item, _)| item.id));

        let outcomes = send_all(client, &ready).await;

        let tx = rusqlite::Transaction::new_unchecked(store.conn(), TransactionBehavior::Immediate)?;
        let (mut answered, mut offline, mut paused) = (false, false, false);
        for (item, reason) in unusable {
            queue::apply(&tx, &item, Decision::Park { error: reason }, effects, now)?;
        }
        for ((item, _), outcome) in ready.iter().zip(outcomes) {
            match &outcome {
                Outcome::Transient { unreachable: true, .. } => {}
                _ => answered = true,
            }
            let attempt = Attempt {
                kind: item.kind,
                attempts: item.attempts,
                idempotency_key: &item.idempotency_key,
                payload: &item.payload,
            };
            let decision = decide(&attempt, &outcome, now, &config.policy);
            match &decision {
                Decision::PauseQueue { .. } => paused = true,
                Decision::Retry { class: FailureClass::Offline, .. } => offline = true,
                _ => {}
            }
            if queue::apply(&tx, item, decision, effects, now)? {
                summary.sent += 1;
            } else {
                summary.failed += 1;
            }
        }
        if answered {
            queue::note_contact(&tx, now)?;
        }
        if offline {
            queue::note_offline(&tx, now)?;
        }
        tx.commit()?;
        // Unreachable or refused token: the other items would fare the same; stop here.
        if offline || paused {
            return Ok(());
        }
    }
}

/// The POSTs of one round, in parallel; outcomes in the order of `ready`.
async fn send_all(client: &PortalClient, ready: &[(DueItem, super::Request)]) -> Vec<Outcome> {
    let mut requests = tokio::task::JoinSet::new();
    for (index, (item, request)) in ready.iter().enumerate() {
        let (client, key, request) = (client.clone(), item.idempotency_key.clone(), request.clone());
        requests.spawn(async move {
            let segments: Vec<&str> = request.segments.iter().map(String::as_str).collect();
            (index, client.post(&segments, &key, &request.body).await)
        });
    }
    let mut outcomes: Vec<Option<Outcome>> = vec![None; ready.len()];
    while let Some(joined) = requests.join_next().await {
        if let Ok((index, outcome)) = joined {
            outcomes[index] = Some(outcome);
        }
    }
    outcomes
        .into_iter()
        .map(|outcome| {
            outcome.unwrap_or(Outcome::Transient { message: "the request task failed".into(), unreachable: false })
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunOptions {
    /// Return when no pending item can go without the user (rather than waiting for new ones).
    pub until_empty: bool,
    /// Return after this long in any case.
    pub timeout: Option<Duration>,
    /// How often the health check is polled while the portal cannot be reached.
    pub health_interval: Duration,
    /// Longest sleep between passes (new items queued meanwhile are picked up by then).
    pub idle_poll: Duration,
    pub sync: SyncConfig,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            until_empty: false,
            timeout: None,
            health_interval: Duration::from_secs(5),
            idle_poll: Duration::from_secs(2),
            sync: SyncConfig::default(),
        }
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
        let mut wait = if total.offline {
            options.health_interval
        } else {
            match queue::next_due(store.conn())? {
                Some(next) => (next - Utc::now()).to_std().unwrap_or_default().clamp(Duration::from_millis(5), options.idle_poll),
                None => options.idle_poll,
            }
        };
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
