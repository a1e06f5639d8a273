//! The portal client against the practice portal over loopback: every outcome class of the
//! contract, from real HTTP answers.

use desk_core::portal::{Outcome, PortalClient, Timeouts};
use desk_core::secrets::PortalToken;
use practice_portal::{Config, DownMode, Faults, Handle, PracticePortal, DEFAULT_TOKEN};
use serde_json::{json, Value};
use std::time::Duration;

async fn portal() -> Handle {
    PracticePortal::start(Config::ephemeral()).await.expect("practice portal")
}

fn client(handle: &Handle, token: Option<&str>) -> PortalClient {
    let token = token.map(|t| PortalToken::new(t).expect("token"));
    let timeouts = Timeouts { connect: Duration::from_secs(2), request: Duration::from_secs(2) };
    PortalClient::with_timeouts(&handle.base_url(), token, timeouts).expect("client")
}

fn key() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn report() -> Value {
    json!({"report_id": uuid::Uuid::new_v4().to_string(), "revision": 1,
           "incident": {"description": "phishing", "discovered_at": "2024-03-01T08:10:00-08:00"}})
}

const INCIDENTS: [&str; 3] = ["api", "v1", "incidents"];

#[tokio::test]
async fn created_then_replayed_then_conflict() {
    let handle = portal().await;
    let client = client(&handle, Some(DEFAULT_TOKEN));
    let (key, body) = (key(), report());
    let Outcome::Created(first) = client.post(&INCIDENTS, &key, &body).await else { panic!("created") };
    assert!(first["incident_number"].as_str().is_some_and(|n| n.starts_with("CIR-")), "{first}");
    assert_eq!(client.post(&INCIDENTS, &key, &body).await, Outcome::Replayed(first));
    let mut other = body.clone();
    other["revision"] = json!(2);
    match client.post(&INCIDENTS, &key, &other).await {
        Outcome::Rejected { status: 409, .. } => {}
        other => panic!("409 expected, got {other:?}"),
    }
}

#[tokio::test]
async fn missing_or_wrong_token_is_unauthorized_but_health_needs_none() {
    let handle = portal().await;
    for token in [None, Some("not-the-token")] {
        let client = client(&handle, token);
        assert!(matches!(client.post(&INCIDENTS, &key(), &report()).await, Outcome::Unauthorized { status: 401, .. }));
        assert!(matches!(client.pull_sens(None).await, Err(Outcome::Unauthorized { status: 401, .. })));
        assert_eq!(client.health().await, Ok(()));
    }
}

#[tokio::test]
async fn validation_names_fields_by_pointer() {
    let handle = portal().await;
    let client = client(&handle, Some(DEFAULT_TOKEN));
    let mut body = report();
    body["incident"]["occurred_at"] = json!("yesterday");
    body.as_object_mut().expect("object").remove("revision");
    let Outcome::Validation(errors) = client.post(&INCIDENTS, &key(), &body).await else { panic!("422") };
    let mut fields: Vec<String> = errors.into_iter().filter_map(|e| e.field).collect();
    fields.sort();
    assert_eq!(fields, ["/incident/occurred_at", "/revision"]);
}

#[tokio::test]
async fn unknown_incident_is_rejected() {
    let handle = portal().await;
    let client = client(&handle, Some(DEFAULT_TOKEN));
    let body = json!({"revision": 2, "changes": {"incident": {"description": "more"}}});
    let outcome = client.post(&["api", "v1", "incidents", "CIR-404404", "supplements"], &key(), &body).await;
    assert!(matches!(outcome, Outcome::Rejected { status: 404, .. }), "{outcome:?}");
}

#[tokio::test]
async fn retry_after_in_seconds_and_as_a_date() {
    let handle = portal().await;
    let client = client(&handle, Some(DEFAULT_TOKEN));
    handle.set_faults(Faults { rate_limit_rate: 1.0, retry_after_secs: 9, ..Faults::default() });
    assert_eq!(
        client.post(&INCIDENTS, &key(), &report()).await,
        Outcome::RetryAfter { status: 429, after: Some(Duration::from_secs(9)) }
    );
    handle.set_faults(Faults {
        rate_limit_rate: 1.0,
        retry_after_secs: 120,
        retry_after_http_date: true,
        ..Faults::default()
    });
    match client.post(&INCIDENTS, &key(), &report()).await {
        // An HTTP date has whole seconds: 119 or 120 from now.
        Outcome::RetryAfter { status: 429, after: Some(after) } => {
            assert!((118..=120).contains(&after.as_secs()), "{after:?}")
        }
        other => panic!("{other:?}"),
    }
    handle.set_faults(Faults {
        down_until: Some(chrono::Utc::now() + chrono::Duration::seconds(30)),
        ..Faults::default()
    });
    assert!(matches!(
        client.post(&INCIDENTS, &key(), &report()).await,
        Outcome::RetryAfter { status: 503, after: Some(_) }
    ));
    assert!(matches!(client.health().await, Err(Outcome::RetryAfter { status: 503, .. })));
}

fn check_transient(outcome: Outcome, expect_unreachable: bool) {
    match outcome {
        Outcome::Transient { unreachable, message } => assert_eq!(unreachable, expect_unreachable, "{message}"),
        other => panic!("transient expected, got {other:?}"),
    }
}

#[tokio::test]
async fn server_errors_garbage_drops_and_timeouts_are_transient() {
    let handle = portal().await;
    let client = client(&handle, Some(DEFAULT_TOKEN));
    for faults in [
        Faults { error_rate: 1.0, ..Faults::default() },
        Faults { garbage_rate: 1.0, ..Faults::default() },
        Faults { drop_request_rate: 1.0, ..Faults::default() },
        Faults { drop_response_rate: 1.0, ..Faults::default() },
    ] {
        handle.set_faults(faults.clone());
        for _ in 0..3 {
            check_transient(client.post(&INCIDENTS, &key(), &report()).await, false);
        }
    }
    handle.set_faults(Faults { latency_ms: 1_000, ..Faults::default() });
    let timeouts = Timeouts { connect: Duration::from_secs(2), request: Duration::from_millis(200) };
    let impatient = PortalClient::with_timeouts(&handle.base_url(), None, timeouts).expect("client");
    check_transient(impatient.post(&INCIDENTS, &key(), &report()).await, false);
}

#[tokio::test]
async fn a_refused_connection_is_unreachable() {
    let handle = portal().await;
    let client = client(&handle, Some(DEFAULT_TOKEN));
    let until = chrono::Utc::now() + chrono::Duration::seconds(30);
    handle.switch_faults(Faults { down_until: Some(until), down_mode: DownMode::Refuse, ..Faults::default() }).await;
    check_transient(client.post(&INCIDENTS, &key(), &report()).await, true);
    assert!(matches!(client.health().await, Err(Outcome::Transient { unreachable: true, .. })));
}

#[tokio::test]
async fn sens_are_pulled_with_free_lower_case_levels_and_a_cursor() {
    let handle = portal().await;
    let http = reqwest::Client::new();
    for (number, level) in [("SOC-0001", "critical"), ("SOC-0002", "low")] {
        let status = http
            .post(format!("{}/practice/sens", handle.base_url()))
            .bearer_auth(DEFAULT_TOKEN)
            .json(&json!({"sen_number": number, "level": level, "summary": "scan", "sent_at": "2024-03-01T08:00:00-08:00"}))
            .send()
            .await
            .expect("training post")
            .status();
        assert_eq!(status, 201);
    }
    let client = client(&handle, Some(DEFAULT_TOKEN));
    let pull = client.pull_sens(None).await.expect("pull");
    let levels: Vec<&str> = pull.sens.iter().map(|s| s.level.as_str()).collect();
    assert_eq!(levels, ["critical", "low"]);
    assert!(pull.rejected.is_empty());
    let cursor = desk_core::portal::feed::advance(None, &pull.sens).expect("the practice portal gives updated_at");
    let again = client.pull_sens(Some(cursor)).await.expect("pull since");
    assert_eq!(again.sens.iter().map(|s| s.sen_number.as_str()).collect::<Vec<_>>(), ["SOC-0002"], "inclusive cursor");
    // The wire's SEN is the one the SEN store merges (no conversion), its level lower-cased.
    let sen: &desk_core::sen::PortalSen = &again.sens[0];
    assert_eq!(sen.level, "low");
}
