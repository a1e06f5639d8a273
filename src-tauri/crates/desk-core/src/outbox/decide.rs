//! What to do after an attempt: a pure function of the item, the portal's answer and `now`.
//! Backoff delays come from `backon`'s `ExponentialBuilder` (capped, with jitter); the jitter is
//! seeded from the item's idempotency key, so the delay of an item's n-th attempt is
//! reproducible (testable, and the same after a restart) while different items spread out.

use super::ItemKind;
use crate::portal::wire::{IncidentReceipt, PortalFieldError, SenReceipt};
use crate::portal::Outcome;
use backon::{BackoffBuilder, ExponentialBuilder};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Delay before the first retry.
    pub min_delay: Duration,
    /// Cap of the exponential delay; jitter adds up to as much again.
    pub max_delay: Duration,
    pub factor: f32,
    /// A `Retry-After` longer than this is taken as this (a broken header must not stall the
    /// queue for days).
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 2 s, 4 s, 8 s ... capped at 4 min (+ up to 100 % jitter, so at most 8 min): an outage
    /// of the portal never delays a report more than a few minutes after it ends, and offline
    /// items are retried at once when the health check answers again.
    fn default() -> Self {
        RetryPolicy {
            min_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(240),
            factor: 2.0,
            max_retry_after: Duration::from_secs(6 * 3600),
        }
    }
}

/// Past this many attempts the exponential delay is long capped: iterate no further.
const ATTEMPTS_COUNTED: u32 = 64;

/// Stable 64-bit FNV-1a: the jitter seed of an item (std's hasher may change between releases).
fn seed_of(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// The delay before retry number `attempt` (1 = the first retry) of the item with this key.
pub fn backoff_delay(policy: &RetryPolicy, attempt: u32, idempotency_key: &str) -> Duration {
    let nth = attempt.clamp(1, ATTEMPTS_COUNTED) as usize - 1;
    ExponentialBuilder::default()
        .with_min_delay(policy.min_delay)
        .with_max_delay(policy.max_delay)
        .with_factor(policy.factor)
        .with_jitter()
        .with_jitter_seed(seed_of(idempotency_key))
        .without_max_times()
        .build()
        .nth(nth)
        .unwrap_or(policy.max_delay)
}

/// What `decide` needs to know of the item.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    pub kind: ItemKind,
    /// Attempts made before this one.
    pub attempts: u32,
    pub idempotency_key: &'a str,
    pub payload: &'a Value,
}

/// Why an item waits for a retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureClass {
    /// The portal could not be reached: retried at once when the health check answers.
    Offline,
    Transient,
    /// The portal said when (429/503 `Retry-After`).
    RetryAfter,
}

impl FailureClass {
    pub fn as_str(self) -> &'static str {
        match self {
            FailureClass::Offline => "offline",
            FailureClass::Transient => "transient",
            FailureClass::RetryAfter => "retry_after",
        }
    }
}

/// The effect committed with the item's `sent` state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SentEffect {
    Incident { incident_number: String, received_at: DateTime<Utc> },
    Supplement { revision: i64, received_at: DateTime<Utc> },
    Sen { received_at: DateTime<Utc> },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Sent {
        response: Value,
        effect: SentEffect,
    },
    Retry {
        at: DateTime<Utc>,
        error: String,
        class: FailureClass,
    },
    /// 401/403: the whole queue stops until the user gives a token.
    PauseQueue {
        error: String,
    },
    /// 422 on a report item: the report goes back to draft with the messages on its fields.
    ReturnToDraft {
        errors: Vec<PortalFieldError>,
        error: String,
    },
    /// Waits for the user (refused request, or an answer we cannot use).
    Park {
        error: String,
    },
}

fn to_utc(delay: Duration) -> chrono::Duration {
    chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::MAX)
}

fn retry(item: &Attempt<'_>, now: DateTime<Utc>, policy: &RetryPolicy, error: String, class: FailureClass) -> Decision {
    let delay = backoff_delay(policy, item.attempts.saturating_add(1), item.idempotency_key);
    Decision::Retry { at: now + to_utc(delay), error, class }
}

/// Reads the portal's receipt into the effect to commit; `Err` when it is unusable.
fn sent_effect(item: &Attempt<'_>, answer: &Value, now: DateTime<Utc>) -> Result<SentEffect, String> {
    match item.kind {
        ItemKind::Incident => serde_json::from_value::<IncidentReceipt>(answer.clone())
            .map(|r| SentEffect::Incident { incident_number: r.incident_number, received_at: r.received_at })
            .map_err(|e| format!("the portal accepted the report but its answer is unusable ({e}): {answer}")),
        ItemKind::Supplement => {
            let revision =
                item.payload.get("revision").and_then(Value::as_i64).ok_or("the queued supplement has no revision")?;
            let received_at =
                answer.get("received_at").and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or(now);
            Ok(SentEffect::Supplement { revision, received_at })
        }
        ItemKind::Acknowledgement | ItemKind::Determination | ItemKind::IncidentLink => {
            let receipt: SenReceipt = serde_json::from_value(answer.clone()).unwrap_or_default();
            Ok(SentEffect::Sen { received_at: receipt.received_at.unwrap_or(now) })
        }
    }
}

pub fn decide(item: &Attempt<'_>, outcome: &Outcome, now: DateTime<Utc>, policy: &RetryPolicy) -> Decision {
    match outcome {
        Outcome::Created(answer) | Outcome::Replayed(answer) => match sent_effect(item, answer, now) {
            Ok(effect) => Decision::Sent { response: answer.clone(), effect },
            Err(error) => Decision::Park { error },
        },
        Outcome::Unauthorized { .. } => Decision::PauseQueue { error: outcome.describe() },
        Outcome::Validation(errors) if item.kind.is_report() => {
            Decision::ReturnToDraft { errors: errors.clone(), error: outcome.describe() }
        }
        Outcome::Validation(_) | Outcome::Rejected { .. } => Decision::Park { error: outcome.describe() },
        Outcome::RetryAfter { after: Some(after), .. } => {
            // Never sooner than the backoff would wait: a zero, or a date already past (a portal
            // whose clock is behind ours), must not turn the queue into a tight loop.
            let floor = backoff_delay(policy, item.attempts.saturating_add(1), item.idempotency_key);
            Decision::Retry {
                at: now + to_utc((*after).max(floor).min(policy.max_retry_after)),
                error: outcome.describe(),
                class: FailureClass::RetryAfter,
            }
        }
        Outcome::RetryAfter { after: None, .. } => {
            retry(item, now, policy, outcome.describe(), FailureClass::Transient)
        }
        Outcome::Transient { unreachable, .. } => {
            let class = if *unreachable { FailureClass::Offline } else { FailureClass::Transient };
            retry(item, now, policy, outcome.describe(), class)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).expect("time").with_timezone(&Utc)
    }

    #[test]
    fn backoff_grows_is_capped_and_is_stable_per_key() {
        let policy = RetryPolicy::default();
        let delays: Vec<Duration> = (1..=12).map(|n| backoff_delay(&policy, n, "key-a")).collect();
        for (n, delay) in delays.iter().enumerate() {
            let base = (policy.min_delay * 2u32.pow(n as u32)).min(policy.max_delay);
            assert!(*delay >= base && *delay <= base * 2, "attempt {}: {delay:?} outside [{base:?}, 2×]", n + 1);
        }
        assert_eq!(delays, (1..=12).map(|n| backoff_delay(&policy, n, "key-a")).collect::<Vec<_>>(), "reproducible");
        assert_ne!(backoff_delay(&policy, 3, "key-a"), backoff_delay(&policy, 3, "key-b"), "jitter differs per item");
        assert!(backoff_delay(&policy, 10_000, "key-a") <= policy.max_delay * 2);
    }

    #[test]
    fn sen_receipts_without_a_time_use_now() {
        let now = at("2024-05-01T12:00:00Z");
        let payload = json!({});
        let item = Attempt { kind: ItemKind::Acknowledgement, attempts: 0, idempotency_key: "k", payload: &payload };
        let decision = decide(&item, &Outcome::Created(json!({})), now, &RetryPolicy::default());
        assert_eq!(decision, Decision::Sent { response: json!({}), effect: SentEffect::Sen { received_at: now } });
    }
}
