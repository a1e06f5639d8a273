//! The outbox's decision after an attempt: pure, from the item, the outcome and `now`.

use chrono::{DateTime, Duration as TimeDelta, Utc};
use desk_core::outbox::{backoff_delay, decide, Attempt, Decision, FailureClass, ItemKind, RetryPolicy, SentEffect};
use desk_core::portal::wire::PortalFieldError;
use desk_core::portal::Outcome;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::time::Duration;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-05-01T12:00:00Z").expect("time").with_timezone(&Utc)
}

const KEY: &str = "3f1d6c4e-0f43-4d8a-8d55-8f9a8e2f6b01";

fn check(kind: ItemKind, attempts: u32, outcome: Outcome, expected: Decision) {
    let payload = json!({"report_id": "r-1", "revision": 3, "changes": {}});
    let item = Attempt { kind, attempts, idempotency_key: KEY, payload: &payload };
    assert_eq!(decide(&item, &outcome, now(), &RetryPolicy::default()), expected, "{kind:?} after {outcome:?}");
}

fn backoff_at(attempt: u32) -> DateTime<Utc> {
    now() + TimeDelta::from_std(backoff_delay(&RetryPolicy::default(), attempt, KEY)).expect("delay")
}

fn field(pointer: &str, message: &str) -> PortalFieldError {
    PortalFieldError { field: Some(pointer.into()), message: message.into() }
}

#[test]
fn success_carries_the_effect_to_commit() {
    let receipt =
        json!({"incident_number": "CIR-000042", "report_id": "r-1", "received_at": "2024-05-01T11:59:00-07:00"});
    let received = DateTime::parse_from_rfc3339("2024-05-01T18:59:00Z").expect("time").with_timezone(&Utc);
    let sent = Decision::Sent {
        response: receipt.clone(),
        effect: SentEffect::Incident { incident_number: "CIR-000042".into(), received_at: received },
    };
    check(ItemKind::Incident, 0, Outcome::Created(receipt.clone()), sent.clone());
    check(ItemKind::Incident, 4, Outcome::Replayed(receipt), sent);

    let supplement = json!({"incident_number": "CIR-000042", "revision": 3, "received_at": "2024-05-01T18:59:00Z"});
    check(
        ItemKind::Supplement,
        0,
        Outcome::Created(supplement.clone()),
        Decision::Sent { response: supplement, effect: SentEffect::Supplement { revision: 3, received_at: received } },
    );
    check(
        ItemKind::Determination,
        1,
        Outcome::Created(json!({"received_at": "2024-05-01T18:59:00Z"})),
        Decision::Sent {
            response: json!({"received_at": "2024-05-01T18:59:00Z"}),
            effect: SentEffect::Sen { received_at: received },
        },
    );
}

#[test]
fn an_incident_answer_without_its_number_is_parked_not_retried() {
    let payload = json!({});
    let item = Attempt { kind: ItemKind::Incident, attempts: 0, idempotency_key: KEY, payload: &payload };
    let decision = decide(&item, &Outcome::Created(json!({"ok": true})), now(), &RetryPolicy::default());
    assert!(matches!(decision, Decision::Park { .. }), "{decision:?}");
}

#[test]
fn a_refused_token_pauses_the_queue() {
    for kind in ItemKind::ALL {
        let payload = Value::Null;
        let item = Attempt { kind, attempts: 0, idempotency_key: KEY, payload: &payload };
        let outcome = Outcome::Unauthorized { status: 403, message: "expired".into() };
        let decision = decide(&item, &outcome, now(), &RetryPolicy::default());
        assert!(matches!(&decision, Decision::PauseQueue { error } if error.contains("token needed")), "{decision:?}");
    }
}

#[test]
fn refused_fields_return_a_report_but_park_a_sen_response() {
    let errors = vec![field("/incident/description", "too short")];
    let outcome = Outcome::Validation(errors.clone());
    let error = outcome.describe();
    for kind in [ItemKind::Incident, ItemKind::Supplement] {
        check(kind, 0, outcome.clone(), Decision::ReturnToDraft { errors: errors.clone(), error: error.clone() });
    }
    for kind in [ItemKind::Acknowledgement, ItemKind::Determination, ItemKind::IncidentLink] {
        check(kind, 0, outcome.clone(), Decision::Park { error: error.clone() });
    }
}

#[test]
fn other_refusals_park() {
    for status in [400, 404, 409, 410] {
        let outcome = Outcome::Rejected { status, message: "no".into(), errors: vec![] };
        check(ItemKind::Incident, 2, outcome.clone(), Decision::Park { error: outcome.describe() });
    }
}

#[test]
fn retry_after_is_honoured_and_capped() {
    let outcome = Outcome::RetryAfter { status: 429, after: Some(Duration::from_secs(7)) };
    let error = outcome.describe();
    check(
        ItemKind::Incident,
        0,
        outcome,
        Decision::Retry { at: now() + TimeDelta::seconds(7), error, class: FailureClass::RetryAfter },
    );

    let outcome = Outcome::RetryAfter { status: 503, after: Some(Duration::from_secs(30 * 24 * 3600)) };
    let error = outcome.describe();
    let cap = RetryPolicy::default().max_retry_after;
    let capped = now() + TimeDelta::from_std(cap).expect("cap");
    check(ItemKind::Incident, 0, outcome, Decision::Retry { at: capped, error, class: FailureClass::RetryAfter });

    // Without a usable Retry-After: the item's own backoff.
    let outcome = Outcome::RetryAfter { status: 503, after: None };
    let error = outcome.describe();
    check(ItemKind::Incident, 2, outcome, Decision::Retry { at: backoff_at(3), error, class: FailureClass::Transient });

    // A zero wait (or a date already past on a portal clock behind ours) never retries sooner
    // than the backoff: a rate-limiting portal is not hammered.
    let outcome = Outcome::RetryAfter { status: 429, after: Some(Duration::ZERO) };
    let error = outcome.describe();
    check(
        ItemKind::Acknowledgement,
        5,
        outcome,
        Decision::Retry { at: backoff_at(6), error, class: FailureClass::RetryAfter },
    );
}

#[test]
fn transient_failures_back_off_and_unreachable_means_offline() {
    for (attempts, unreachable, class) in
        [(0, false, FailureClass::Transient), (5, false, FailureClass::Transient), (1, true, FailureClass::Offline)]
    {
        let outcome = Outcome::Transient { message: "reset".into(), unreachable };
        let expected = Decision::Retry { at: backoff_at(attempts + 1), error: "reset".into(), class };
        check(ItemKind::Acknowledgement, attempts, outcome, expected);
    }
    assert!(backoff_at(2) > backoff_at(1), "later retries wait longer");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Every delay is within [base, 2 × base] where base = min(2 s × 2^(n-1), 4 min).
    #[test]
    fn backoff_stays_within_its_envelope(attempt in 1u32..200, key in "[a-f0-9-]{8,36}") {
        let policy = RetryPolicy::default();
        let delay = backoff_delay(&policy, attempt, &key);
        let exponent = attempt.saturating_sub(1).min(20);
        let base = (policy.min_delay * 2u32.pow(exponent)).min(policy.max_delay);
        prop_assert!(delay >= base && delay <= base * 2, "attempt {attempt}: {delay:?} vs {base:?}");
        prop_assert_eq!(delay, backoff_delay(&policy, attempt, &key));
    }
}
