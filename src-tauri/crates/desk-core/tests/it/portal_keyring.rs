//! The portal token through the real Secret Service (gnome-keyring-daemon on the private D-Bus
//! session that `make test` starts) and the practice portal over loopback: the token read back
//! from the keyring is the one the portal accepts, a replaced token lifts the pause a refused one
//! caused, and the token never reaches the database file.
//! `#[ignore]`d for a bare `cargo test`; the session runs them with `--include-ignored`.

use chrono::Utc;
use desk_core::outbox;
use desk_core::portal::PortalClient;
use desk_core::report::ReportEffects;
use desk_core::report::{self, ReportId, State};
use desk_core::secrets::{self, PortalToken};
use desk_core::Store;
use practice_portal::{Config, PracticePortal};
use serde_json::json;

fn submitted_report(store: &Store) -> ReportId {
    let conn = store.conn();
    let now = Utc::now();
    let profile = crate::common::profile();
    let id = report::create_draft(conn, &profile, now, &crate::common::actor()).expect("create").report_id;
    for (path, value) in [
        ("incident.description", json!("Phishing led to a compromised mailbox.")),
        ("incident.discovered_at", json!("2024-03-01T08:10:00-08:00")),
        ("federal.category", json!("cat_1")),
    ] {
        report::set_field(conn, &id, path, value, now, &crate::common::actor()).expect(path);
    }
    report::ready(conn, &id, now, &crate::common::actor()).expect("ready");
    report::submit(conn, &id, now, &crate::common::actor()).expect("submit");
    id
}

/// The keyring's blocking D-Bus calls, off the async runtime's threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.expect("blocking task")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the private Secret Service session: make test runs it"]
async fn the_token_from_the_keyring_delivers_and_a_new_one_lifts_the_pause() {
    let token_text = format!("kr-{}", uuid::Uuid::new_v4().simple());
    let mut config = Config::ephemeral();
    config.tokens = vec![token_text.clone()];
    let portal = PracticePortal::start(config).await.expect("portal");
    let base = portal.base_url();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open_in_dir(dir.path()).expect("store");
    let first = submitted_report(&store);

    // A wrong token first: the queue pauses and asks for one.
    let (url, wrong) = (base.clone(), PortalToken::new("not-the-token").expect("token"));
    blocking(move || secrets::set_token(&url, &wrong)).await.expect("keyring set");
    let url = base.clone();
    let token = blocking(move || secrets::get_token(&url)).await.expect("keyring get").expect("stored");
    let client = PortalClient::new(&base, Some(token)).expect("client");
    let summary = outbox::sync_once(&mut store, &client, &ReportEffects::new(crate::common::actor()), Utc::now())
        .await
        .expect("sync");
    assert!(summary.paused.is_some(), "{summary:?}");

    // The right one replaces it in the keyring; resuming delivers.
    let (url, right) = (base.clone(), PortalToken::new(&token_text).expect("token"));
    blocking(move || secrets::set_token(&url, &right)).await.expect("keyring replace");
    let url = base.clone();
    let token = blocking(move || secrets::get_token(&url)).await.expect("keyring get").expect("stored");
    assert_eq!(token.expose(), token_text);
    outbox::resume(store.conn(), Utc::now()).expect("resume");
    let client = PortalClient::new(&base, Some(token)).expect("client");
    let summary = outbox::sync_once(&mut store, &client, &ReportEffects::new(crate::common::actor()), Utc::now())
        .await
        .expect("sync");
    assert_eq!((summary.sent, summary.pending, summary.paused.clone()), (1, 0, None), "{summary:?}");
    let sent = report::get(store.conn(), &first).expect("report");
    assert_eq!(sent.state, State::Sent);
    assert!(sent.incident_number.is_some_and(|n| n.starts_with("CIR-")));

    drop(store);
    for name in ["incident-desk.sqlite3", "incident-desk.sqlite3-wal", "incident-desk.sqlite3-shm"] {
        if let Ok(bytes) = std::fs::read(dir.path().join(name)) {
            assert!(!bytes.windows(token_text.len()).any(|w| w == token_text.as_bytes()), "token found in {name}");
        }
    }
    let url = base.clone();
    assert!(blocking(move || secrets::delete_token(&url)).await.expect("delete"));
    portal.shutdown().await;
}
