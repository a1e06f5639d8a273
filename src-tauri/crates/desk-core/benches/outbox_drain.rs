//! Drains 10,000 queued items to the practice portal on loopback and prints items/s, beside the
//! portal's own ingest rate under a plain HTTP load (same number of POSTs, same concurrency, no
//! queue) measured in the same run. Target: the drain at least half the plain rate.
//!
//! `cargo bench -p desk-core --bench outbox_drain` (ITEMS=n to change the count).

// Test and benchmark code: a failed unwrap is a failed test (the workspace lints deny it in the
// shipped code).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, Utc};
use desk_core::error::Result;
use desk_core::outbox::{self, DeliveryEffects, ItemKind, RunOptions, SyncConfig};
use desk_core::portal::wire::PortalFieldError;
use desk_core::portal::{Outcome, PortalClient};
use desk_core::secrets::PortalToken;
use desk_core::Store;
use practice_portal::{Config, PracticePortal, DEFAULT_TOKEN};
use rusqlite::Connection;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The drain measures the queue, not the report module: effects that do nothing.
struct NoEffects;

impl DeliveryEffects for NoEffects {
    fn incident_number(&self, _: &Connection, _: &str) -> Result<Option<String>> {
        Ok(None)
    }
    fn incident_sent(&self, _: &Connection, _: &str, _: &str, _: DateTime<Utc>) -> Result<()> {
        Ok(())
    }
    fn supplement_sent(&self, _: &Connection, _: &str, _: i64, _: DateTime<Utc>) -> Result<()> {
        Ok(())
    }
    fn report_refused(&self, _: &Connection, _: &str, _: &[PortalFieldError], _: DateTime<Utc>) -> Result<()> {
        Ok(())
    }
}

fn report_body() -> Value {
    json!({
        "report_id": uuid::Uuid::new_v4().to_string(),
        "revision": 3,
        "entity": {"name": "Department of Examples", "address": "1 Capitol Mall, Sacramento"},
        "incident": {
            "description": "Phishing e-mail led to a compromised mailbox; forwarding rule removed.",
            "discovered_at": "2024-03-01T08:10:00-08:00",
            "occurred_at": "2024-03-01T07:55:00-08:00"
        },
        "federal": {"category": "cat_1"}
    })
}

fn client(base: &str) -> PortalClient {
    PortalClient::new(base, Some(PortalToken::new(DEFAULT_TOKEN).expect("token"))).expect("client")
}

/// POSTs `count` incidents with `concurrency` workers, straight from memory.
async fn plain_load(base: &str, count: usize, concurrency: usize) -> Duration {
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..concurrency {
        let client = client(base);
        let share = count / concurrency + usize::from(worker < count % concurrency);
        workers.spawn(async move {
            for _ in 0..share {
                let key = uuid::Uuid::new_v4().to_string();
                let outcome = client.post(&["api", "v1", "incidents"], &key, &report_body()).await;
                assert!(matches!(outcome, Outcome::Created(_)), "{outcome:?}");
            }
        });
    }
    while let Some(done) = workers.join_next().await {
        done.expect("worker");
    }
    started.elapsed()
}

async fn portal_total(base: &str) -> i64 {
    let counts: Value = reqwest::Client::new()
        .get(format!("{base}/practice/incidents"))
        .bearer_auth(DEFAULT_TOKEN)
        .send()
        .await
        .expect("stats")
        .json()
        .await
        .expect("json");
    counts["total"].as_i64().unwrap_or(-1)
}

fn main() {
    let count: usize = std::env::var("ITEMS").ok().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let config = SyncConfig::default();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        // 1. The portal's own ingest rate.
        let portal = PracticePortal::start(Config::ephemeral()).await.expect("portal");
        let plain = plain_load(&portal.base_url(), count, config.concurrency).await;
        assert_eq!(portal_total(&portal.base_url()).await, count as i64);
        portal.shutdown().await;

        // 2. The same number of items queued, then drained by the runner.
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open_in_dir(dir.path()).expect("store");
        let queued_at = Instant::now();
        {
            let tx = store.conn_mut().transaction().expect("tx");
            for _ in 0..count {
                let body = report_body();
                let id = body["report_id"].as_str().unwrap_or_default().to_string();
                outbox::enqueue(&tx, ItemKind::Incident, &id, &body, Utc::now()).expect("enqueue");
            }
            tx.commit().expect("commit");
        }
        let queueing = queued_at.elapsed();
        let portal = PracticePortal::start(Config::ephemeral()).await.expect("portal");
        let options = RunOptions {
            until_empty: true,
            timeout: Some(Duration::from_secs(600)),
            sync: config,
            ..RunOptions::default()
        };
        let started = Instant::now();
        let summary = outbox::run(&mut store, &client(&portal.base_url()), &NoEffects, options).await.expect("run");
        let drain = started.elapsed();
        assert_eq!((summary.sent, summary.pending), (count, 0), "{summary:?}");
        assert_eq!(portal_total(&portal.base_url()).await, count as i64, "each item once on the portal");
        portal.shutdown().await;

        let rate = |d: Duration| count as f64 / d.as_secs_f64();
        let (plain_rate, drain_rate) = (rate(plain), rate(drain));
        println!("outbox_drain: {count} items, {} requests in flight, loopback, in-memory portal", config.concurrency);
        println!("  portal ingest (plain HTTP load)  {plain_rate:>8.0} items/s  ({:.2} s)", plain.as_secs_f64());
        println!("  outbox drain (queue → portal)    {drain_rate:>8.0} items/s  ({:.2} s)", drain.as_secs_f64());
        println!("  drain / ingest                   {:>8.2}  (target ≥ 0.50)", drain_rate / plain_rate);
        println!("  queueing {count} items in one transaction: {:.2} s", queueing.as_secs_f64());
    });
}
