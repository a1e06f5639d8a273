//! The practice portal over real loopback HTTP: every endpoint and error class of portal-api.md.

// Test and benchmark code: a failed unwrap is a failed test (the workspace lints deny it in the
// shipped code).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use practice_portal::{Config, DownMode, Faults, Handle, PracticePortal, DEFAULT_TOKEN};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

struct Portal {
    handle: Handle,
    http: reqwest::Client,
}

struct Answer {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

const T: &str = "2024-03-01T08:00:00-08:00";

fn new_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn report(report_id: &str) -> Value {
    json!({"report_id": report_id, "revision": 1, "description": "phishing", "discovered_at": T})
}

impl Portal {
    async fn start() -> Portal {
        Portal::start_with(Config::ephemeral()).await
    }

    async fn start_with(config: Config) -> Portal {
        let handle = PracticePortal::start(config).await.expect("portal starts");
        let http = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().expect("client");
        Portal { handle, http }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.handle.base_url())
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        key: Option<&str>,
        body: Option<&Value>,
    ) -> Answer {
        self.try_send(method, path, token, key, body).await.expect("an HTTP answer")
    }

    async fn try_send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        key: Option<&str>,
        body: Option<&Value>,
    ) -> reqwest::Result<Answer> {
        let mut request = self.http.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        if let Some(body) = body {
            request = request.header("Content-Type", "application/json; charset=utf-8").body(body.to_string());
        }
        let response = request.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await?;
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Ok(Answer { status, headers, body })
    }

    async fn post(&self, path: &str, key: &str, body: &Value) -> Answer {
        self.send(Method::POST, path, Some(DEFAULT_TOKEN), Some(key), Some(body)).await
    }

    async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, Some(DEFAULT_TOKEN), None, None).await
    }

    async fn new_sen(&self, number: &str, level: &str) -> Value {
        let answer = self
            .send(
                Method::POST,
                "/practice/sens",
                Some(DEFAULT_TOKEN),
                None,
                Some(&json!({
                "sen_number": number, "level": level, "summary": "beaconing", "sent_at": T})),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        answer.body
    }

    async fn incident_count(&self, report_id: &str) -> i64 {
        let answer = self.get(&format!("/practice/incidents?report_id={report_id}")).await;
        answer.body["total"].as_i64().expect("total")
    }
}

fn error_fields(answer: &Answer) -> Vec<Option<String>> {
    let mut fields: Vec<Option<String>> = answer.body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("an errors array in {}", answer.body))
        .iter()
        .map(|e| {
            assert!(e["message"].is_string(), "{e}");
            e["field"].as_str().map(String::from)
        })
        .collect();
    fields.sort();
    fields
}

#[tokio::test]
async fn health_needs_no_token() {
    let portal = Portal::start().await;
    let answer = portal.send(Method::GET, "/api/v1/health", None, None, None).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body, json!({"status": "ok"}));
    let content_type = answer.headers["content-type"].to_str().expect("ascii");
    assert_eq!(content_type, "application/json; charset=utf-8");
}

#[tokio::test]
async fn every_other_call_needs_the_token() {
    let portal = Portal::start().await;
    let id = uuid::Uuid::new_v4().to_string();
    for token in [None, Some("wrong")] {
        for (method, path) in [
            (Method::POST, "/api/v1/incidents"),
            (Method::GET, "/api/v1/sens"),
            (Method::POST, "/api/v1/sens/SOC-0001/acknowledgement"),
            (Method::GET, "/practice/incidents"),
        ] {
            let answer = portal.send(method, path, token, Some(&new_key()), Some(&report(&id))).await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{path} with {token:?}");
            assert_eq!(answer.headers["www-authenticate"], "Bearer");
            assert_eq!(error_fields(&answer), vec![None]);
        }
    }
    assert_eq!(portal.incident_count(&id).await, 0);
}

#[tokio::test]
async fn incident_is_created_once_and_replayed_with_200() {
    let portal = Portal::start().await;
    let id = uuid::Uuid::new_v4().to_string();
    let key = new_key();
    let first = portal.post("/api/v1/incidents", &key, &report(&id)).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let number = first.body["incident_number"].as_str().expect("number");
    assert!(number.starts_with("CIR-"), "{number}");
    assert_eq!(first.body["report_id"], json!(id));
    let received = first.body["received_at"].as_str().expect("received_at");
    assert!(chrono::DateTime::parse_from_rfc3339(received).is_ok(), "{received}");

    // The same body written in another member order is the same request.
    let reordered: Value = serde_json::from_str(&format!(
        r#"{{"discovered_at":"{T}","description":"phishing","revision":1,"report_id":"{id}"}}"#
    ))
    .expect("json");
    let again = portal.post("/api/v1/incidents", &key, &reordered).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, first.body, "the first answer again");

    let mut changed = report(&id);
    changed["description"] = json!("ransomware");
    let conflict = portal.post("/api/v1/incidents", &key, &changed).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert_eq!(error_fields(&conflict), vec![None]);
    assert_eq!(portal.incident_count(&id).await, 1);
}

#[tokio::test]
async fn a_second_key_for_the_same_report_is_counted_as_a_duplicate() {
    let portal = Portal::start().await;
    let id = uuid::Uuid::new_v4().to_string();
    for _ in 0..2 {
        assert_eq!(portal.post("/api/v1/incidents", &new_key(), &report(&id)).await.status, StatusCode::CREATED);
    }
    let answer = portal.get(&format!("/practice/incidents?report_id={id}")).await;
    assert_eq!(answer.body["reports"][0]["count"], json!(2));
    assert_eq!(answer.body["reports"][0]["incident_numbers"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn malformed_requests_are_refused_before_anything_is_recorded() {
    let portal = Portal::start().await;
    let id = uuid::Uuid::new_v4().to_string();
    let body = report(&id);
    let without_key = portal.send(Method::POST, "/api/v1/incidents", Some(DEFAULT_TOKEN), None, Some(&body)).await;
    assert_eq!(without_key.status, StatusCode::BAD_REQUEST);
    let bad_key = portal.send(Method::POST, "/api/v1/incidents", Some(DEFAULT_TOKEN), Some("k1"), Some(&body)).await;
    assert_eq!(bad_key.status, StatusCode::BAD_REQUEST);

    let url = portal.url("/api/v1/incidents");
    let plain_text = portal
        .http
        .post(&url)
        .bearer_auth(DEFAULT_TOKEN)
        .header("Idempotency-Key", new_key())
        .header("Content-Type", "text/plain")
        .body(body.to_string())
        .send()
        .await
        .expect("answer");
    assert_eq!(plain_text.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let not_json = portal
        .http
        .post(&url)
        .bearer_auth(DEFAULT_TOKEN)
        .header("Idempotency-Key", new_key())
        .header("Content-Type", "application/json")
        .body("{report")
        .send()
        .await
        .expect("answer");
    assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
    assert_eq!(portal.incident_count(&id).await, 0);
}

#[tokio::test]
async fn invalid_bodies_get_422_with_json_pointers() {
    let portal = Portal::start().await;
    portal.new_sen("SOC-0100", "critical").await;
    let id = uuid::Uuid::new_v4().to_string();
    let check = |path: &'static str, body: Value, expected: &'static [&'static str]| {
        let portal = &portal;
        async move {
            let answer = portal.post(path, &new_key(), &body).await;
            assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{path} {body}: {}", answer.body);
            let expected: Vec<Option<String>> = expected.iter().map(|f| Some(f.to_string())).collect();
            assert_eq!(error_fields(&answer), expected, "{path} {body}");
        }
    };
    check("/api/v1/incidents", json!({"revision": 1}), &["/report_id"]).await;
    check("/api/v1/incidents", json!({"report_id": id}), &["/revision"]).await;
    check("/api/v1/incidents", json!({"report_id": id, "revision": 1, "occurred_at": "yesterday"}), &["/occurred_at"])
        .await;
    check("/api/v1/sens/SOC-0100/acknowledgement", json!({"at": T, "format": "thumbs_up", "text": "x"}), &["/format"])
        .await;
    check(
        "/api/v1/sens/SOC-0100/acknowledgement",
        json!({"at": "2024-03-01 08:00", "format": "investigating", "text": "x"}),
        &["/at"],
    )
    .await;
    check(
        "/api/v1/sens/SOC-0100/determination",
        json!({"at": T, "outcome": "probably_fine", "details": "x"}),
        &["/outcome"],
    )
    .await;
    check("/api/v1/sens/SOC-0100/incident-link", json!({"incident_number": "CIR-999999"}), &["/incident_number"]).await;
    assert_eq!(portal.incident_count(&id).await, 0);
}

#[tokio::test]
async fn unknown_incident_or_sen_is_404() {
    let portal = Portal::start().await;
    let supplement = json!({"revision": 2, "changes": {"description": "more"}});
    let answer = portal.post("/api/v1/incidents/CIR-424242/supplements", &new_key(), &supplement).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(error_fields(&answer), vec![None]);
    let ack = json!({"at": T, "format": "investigating", "text": "looking"});
    let answer = portal.post("/api/v1/sens/SOC-9999/acknowledgement", &new_key(), &ack).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn supplements_follow_the_incident_in_revision_order() {
    let portal = Portal::start().await;
    let id = uuid::Uuid::new_v4().to_string();
    let created = portal.post("/api/v1/incidents", &new_key(), &report(&id)).await;
    let number = created.body["incident_number"].as_str().expect("number").to_string();
    let path = format!("/api/v1/incidents/{number}/supplements");
    let supplement = json!({"revision": 2, "changes": {"actions_taken": "isolated host"}});
    let answer = portal.post(&path, &new_key(), &supplement).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    assert_eq!(answer.body["incident_number"], json!(number));
    assert_eq!(answer.body["revision"], json!(2));
    let stale = portal.post(&path, &new_key(), &supplement).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&stale), vec![Some("/revision".to_string())]);
    let counts = portal.get(&format!("/practice/incidents?report_id={id}")).await;
    assert_eq!(counts.body["reports"][0]["supplement_revisions"], json!([2]));
}

#[tokio::test]
async fn sen_feed_acknowledgement_determination_and_link() {
    let portal = Portal::start().await;
    portal.new_sen("SOC-0123", "critical").await;
    portal.new_sen("SOC-0124", "low").await;
    let all = portal.get("/api/v1/sens").await;
    assert_eq!(all.status, StatusCode::OK);
    let sens = all.body["sens"].as_array().expect("sens");
    assert_eq!(sens.len(), 2);
    assert_eq!(sens[1]["level"], json!("low"), "levels are free strings");
    for member in ["sen_number", "level", "sent_at", "summary", "status"] {
        assert!(sens[0][member].is_string(), "{member} in {}", sens[0]);
    }

    let cursor = chrono::Utc::now();
    tokio::time::sleep(Duration::from_millis(5)).await;
    let ack = json!({"at": T, "format": "investigating", "text": "Receipt of SEN acknowledged"});
    let answer = portal.post("/api/v1/sens/SOC-0123/acknowledgement", &new_key(), &ack).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    assert_eq!(answer.body["sen_number"], json!("SOC-0123"));

    // `+00:00` unencoded in a query arrives as a space: still understood.
    let since = cursor.to_rfc3339_opts(chrono::SecondsFormat::Micros, false);
    let changed = portal.get(&format!("/api/v1/sens?updated_since={since}")).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let numbers: Vec<&str> =
        changed.body["sens"].as_array().expect("sens").iter().filter_map(|s| s["sen_number"].as_str()).collect();
    assert_eq!(numbers, ["SOC-0123"]);
    assert_eq!(changed.body["sens"][0]["status"], json!("acknowledged"));
    let bad = portal.get("/api/v1/sens?updated_since=yesterday").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    let determination = json!({"at": T, "outcome": "confirmed_incident", "details": "host beaconing"});
    let answer = portal.post("/api/v1/sens/SOC-0123/determination", &new_key(), &determination).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let id = uuid::Uuid::new_v4().to_string();
    let created = portal.post("/api/v1/incidents", &new_key(), &report(&id)).await;
    let link = json!({"incident_number": created.body["incident_number"]});
    let answer = portal.post("/api/v1/sens/SOC-0123/incident-link", &new_key(), &link).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let records = portal.get("/practice/sens").await;
    assert_eq!(records.body["sens"][0]["responses"].as_array().map(Vec::len), Some(3));
    assert_eq!(records.body["sens"][0]["status"], json!("incident_linked"));
}

#[tokio::test]
async fn rate_limit_and_maintenance_carry_retry_after() {
    let portal = Portal::start().await;
    let id = uuid::Uuid::new_v4().to_string();
    portal.handle.set_faults(Faults { rate_limit_rate: 1.0, retry_after_secs: 7, ..Faults::default() });
    let answer = portal.post("/api/v1/incidents", &new_key(), &report(&id)).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answer.headers["retry-after"], "7");

    portal.handle.set_faults(Faults {
        rate_limit_rate: 1.0,
        retry_after_secs: 7,
        retry_after_http_date: true,
        ..Faults::default()
    });
    let answer = portal.post("/api/v1/incidents", &new_key(), &report(&id)).await;
    let date = answer.headers["retry-after"].to_str().expect("ascii");
    assert!(date.ends_with(" GMT"), "{date}");

    let until = chrono::Utc::now() + chrono::Duration::seconds(30);
    portal.handle.set_faults(Faults { down_until: Some(until), ..Faults::default() });
    for path in ["/api/v1/health", "/api/v1/incidents"] {
        let answer = portal.post(path, &new_key(), &report(&id)).await;
        let answer = if path.ends_with("health") { portal.get(path).await } else { answer };
        assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        let secs: u64 = answer.headers["retry-after"].to_str().expect("ascii").parse().expect("seconds");
        assert!((29..=30).contains(&secs), "{secs}");
    }
    assert_eq!(portal.incident_count(&id).await, 0);
}

#[tokio::test]
async fn injected_server_errors_and_garbage_record_nothing() {
    let portal = Portal::start().await;
    let id = uuid::Uuid::new_v4().to_string();
    portal.handle.set_faults(Faults { error_rate: 1.0, ..Faults::default() });
    for _ in 0..6 {
        let answer = portal.post("/api/v1/incidents", &new_key(), &report(&id)).await;
        assert!(answer.status.is_server_error(), "{}", answer.status);
    }
    portal.handle.set_faults(Faults { garbage_rate: 1.0, ..Faults::default() });
    let answer = portal.post("/api/v1/incidents", &new_key(), &report(&id)).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.body.is_string(), "not JSON: {}", answer.body);
    assert_eq!(portal.incident_count(&id).await, 0);
}

#[tokio::test]
async fn a_lost_answer_is_recovered_by_replaying_the_key() {
    let portal = Portal::start().await;
    let id = uuid::Uuid::new_v4().to_string();
    let key = new_key();
    portal.handle.set_faults(Faults { drop_response_rate: 1.0, ..Faults::default() });
    let lost =
        portal.try_send(Method::POST, "/api/v1/incidents", Some(DEFAULT_TOKEN), Some(&key), Some(&report(&id))).await;
    let error = lost.err().expect("the connection is closed without an answer");
    assert!(!error.is_connect(), "the request went through: {error}");
    assert_eq!(portal.incident_count(&id).await, 1, "recorded although unanswered");

    portal.handle.set_faults(Faults::default());
    let replay = portal.post("/api/v1/incidents", &key, &report(&id)).await;
    assert_eq!(replay.status, StatusCode::OK);
    assert_eq!(portal.incident_count(&id).await, 1);

    portal.handle.set_faults(Faults { drop_request_rate: 1.0, ..Faults::default() });
    let other = uuid::Uuid::new_v4().to_string();
    let dropped = portal
        .try_send(Method::POST, "/api/v1/incidents", Some(DEFAULT_TOKEN), Some(&new_key()), Some(&report(&other)))
        .await;
    assert!(dropped.is_err());
    assert_eq!(portal.incident_count(&other).await, 0, "dropped before processing");
    let stats = portal.get("/practice/stats").await;
    assert_eq!(stats.body["dropped"], json!(2), "{}", stats.body);
}

#[tokio::test]
async fn refuse_mode_closes_the_port_until_the_down_time_ends() {
    let portal = Portal::start().await;
    assert_eq!(portal.get("/api/v1/health").await.status, StatusCode::OK);
    let until = chrono::Utc::now() + chrono::Duration::milliseconds(600);
    portal
        .handle
        .switch_faults(Faults { down_until: Some(until), down_mode: DownMode::Refuse, ..Faults::default() })
        .await;
    let refused = tokio::net::TcpStream::connect(portal.handle.addr).await;
    assert_eq!(refused.err().map(|e| e.kind()), Some(std::io::ErrorKind::ConnectionRefused));
    let error = portal.try_send(Method::GET, "/api/v1/health", None, None, None).await.err().expect("refused");
    assert!(error.is_connect(), "{error}");

    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Ok(answer) = portal.try_send(Method::GET, "/api/v1/health", None, None, None).await {
            assert_eq!(answer.status, StatusCode::OK);
            break;
        }
        assert!(Instant::now() < deadline, "the portal came back");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Test control: a fault switched on is in force when `switch_faults` returns, and switched off
/// the portal answers at once (no window to wait out).
#[tokio::test]
async fn refuse_mode_switched_on_and_off_applies_before_the_switch_returns() {
    let portal = Portal::start().await;
    let an_hour = chrono::Utc::now() + chrono::Duration::hours(1);
    portal
        .handle
        .switch_faults(Faults { down_until: Some(an_hour), down_mode: DownMode::Refuse, ..Faults::default() })
        .await;
    let refused = tokio::net::TcpStream::connect(portal.handle.addr).await;
    assert_eq!(refused.err().map(|e| e.kind()), Some(std::io::ErrorKind::ConnectionRefused));

    portal.handle.switch_faults(Faults::default()).await;
    assert_eq!(portal.get("/api/v1/health").await.status, StatusCode::OK);

    // Switching a fault that needs no accept-loop change returns at once too.
    portal.handle.switch_faults(Faults { down_until: Some(an_hour), ..Faults::default() }).await;
    assert_eq!(portal.get("/api/v1/health").await.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn faults_can_be_switched_over_http() {
    let portal = Portal::start().await;
    let set = portal
        .send(
            Method::PUT,
            "/practice/faults",
            Some(DEFAULT_TOKEN),
            None,
            Some(&json!({"latency_ms": 150, "down_for_secs": 0})),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(portal.handle.faults().latency_ms, 150);
    let started = Instant::now();
    assert_eq!(portal.get("/api/v1/health").await.status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(150));

    let typo =
        portal.send(Method::PUT, "/practice/faults", Some(DEFAULT_TOKEN), None, Some(&json!({"eror_rate": 1}))).await;
    assert_eq!(typo.status, StatusCode::UNPROCESSABLE_ENTITY);
    let out_of_range =
        portal.send(Method::PUT, "/practice/faults", Some(DEFAULT_TOKEN), None, Some(&json!({"error_rate": 2}))).await;
    assert_eq!(error_fields(&out_of_range), vec![Some("/error_rate".to_string())]);
    let read = portal.get("/practice/faults").await;
    assert_eq!(read.body["latency_ms"], json!(150));
}

#[tokio::test]
async fn a_file_store_keeps_records_and_keys_across_restarts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config { db: Some(dir.path().join("portal.sqlite3")), ..Config::ephemeral() };
    let id = uuid::Uuid::new_v4().to_string();
    let key = new_key();
    let first = Portal::start_with(config.clone()).await;
    let created = first.post("/api/v1/incidents", &key, &report(&id)).await;
    first.handle.shutdown().await;
    let second = Portal::start_with(config).await;
    let replay = second.post("/api/v1/incidents", &key, &report(&id)).await;
    assert_eq!(replay.status, StatusCode::OK);
    assert_eq!(replay.body, created.body);
    let next = second.post("/api/v1/incidents", &new_key(), &report(&uuid::Uuid::new_v4().to_string())).await;
    assert_ne!(next.body["incident_number"], created.body["incident_number"]);
}

#[tokio::test]
async fn refuse_field_trains_a_portal_refusal() {
    let portal = Portal::start().await;
    portal.handle.set_faults(Faults { refuse_field: Some("/description".into()), ..Faults::default() });
    let id = uuid::Uuid::new_v4().to_string();
    let answer = portal.post("/api/v1/incidents", &new_key(), &report(&id)).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&answer), vec![Some("/description".to_string())]);
    let mut without = report(&id);
    without.as_object_mut().expect("object").remove("description");
    assert_eq!(portal.post("/api/v1/incidents", &new_key(), &without).await.status, StatusCode::CREATED);
}
