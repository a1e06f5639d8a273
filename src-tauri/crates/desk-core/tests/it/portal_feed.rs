//! The SEN feed into the store: a pull from the practice portal over loopback creates the SENs,
//! the cursor moves so the next pull asks only for what changed, a SEN the SOC updates is
//! refreshed, and the pull's reachability feeds the outbox's offline flag.

use chrono::Utc;
use desk_core::outbox;
use desk_core::portal::{feed, PortalClient};
use desk_core::secrets::PortalToken;
use desk_core::sen::store as sen_store;
use desk_core::Store;
use practice_portal::{Config, PracticePortal, DEFAULT_TOKEN};
use serde_json::json;

async fn post_sen(base: &str, body: serde_json::Value) {
    let status = reqwest::Client::new()
        .post(format!("{base}/practice/sens"))
        .bearer_auth(DEFAULT_TOKEN)
        .json(&body)
        .send()
        .await
        .expect("training post")
        .status();
    assert_eq!(status, 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pulled_sens_land_in_the_store_and_the_cursor_moves() {
    let portal = PracticePortal::start(Config::ephemeral()).await.expect("portal");
    let base = portal.base_url();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    let client = PortalClient::new(&base, Some(PortalToken::new(DEFAULT_TOKEN).expect("token"))).expect("client");
    post_sen(&base, json!({"sen_number": "SOC-0101", "level": "critical", "summary": "beaconing", "sent_at": "2024-05-01T09:00:00-07:00"})).await;
    post_sen(&base, json!({"sen_number": "SOC-0102", "level": "low", "summary": "scan", "sent_at": "2024-05-01T09:05:00-07:00"})).await;

    assert_eq!(feed::cursor(store.conn()).expect("cursor"), None);
    let sent_at = Utc::now();
    let pull = client.pull_sens(None).await.expect("pull");
    let applied = feed::apply(store.conn(), pull, sent_at, Utc::now(), &crate::common::actor()).expect("apply");
    assert_eq!(applied.created, ["SOC-0101", "SOC-0102"]);
    assert!(applied.changed());
    assert_eq!(sen_store::get(store.conn(), "SOC-0102").expect("sen").level, "low");
    let cursor = feed::cursor(store.conn()).expect("cursor").expect("set");

    // The SOC raises one: the next pull (from the cursor) refreshes it and creates nothing.
    post_sen(&base, json!({"sen_number": "SOC-0102", "level": "high", "summary": "scan, now of a classified system", "sent_at": "2024-05-01T09:05:00-07:00"})).await;
    let pull = client.pull_sens(Some(cursor)).await.expect("pull since");
    assert!(pull.sens.iter().all(|s| s.sen_number != "SOC-0101" || s.updated_at == Some(cursor)), "only what changed");
    let applied = feed::apply(store.conn(), pull, Utc::now(), Utc::now(), &crate::common::actor()).expect("apply");
    assert_eq!(applied.updated, ["SOC-0102"]);
    assert!(applied.created.is_empty());
    assert_eq!(sen_store::get(store.conn(), "SOC-0102").expect("sen").level, "high");
    assert!(feed::cursor(store.conn()).expect("cursor").expect("set") >= cursor, "never back");
    portal.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_that_cannot_reach_the_portal_marks_the_queue_offline_and_an_answer_clears_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    // A port nobody listens on: bind one, note it, let it go.
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let client = PortalClient::new(&format!("http://127.0.0.1:{port}"), Some(PortalToken::new(DEFAULT_TOKEN).expect("token"))).expect("client");
    let failure = client.pull_sens(None).await.expect_err("nobody listens");
    assert!(matches!(failure, desk_core::portal::Outcome::Transient { unreachable: true, .. }), "{failure:?}");
    outbox::portal_unreachable(store.conn(), Utc::now()).expect("note");
    let status = outbox::queue_status(store.conn()).expect("status");
    assert!(status.offline && status.offline_since.is_some());
    outbox::portal_answered(store.conn(), Utc::now()).expect("answered");
    let status = outbox::queue_status(store.conn()).expect("status");
    assert!(!status.offline && status.last_contact_at.is_some());
}
