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
    post_sen(
        &base,
        json!({"sen_number": "SOC-0102", "level": "low", "summary": "scan", "sent_at": "2024-05-01T09:05:00-07:00"}),
    )
    .await;

    assert_eq!(feed::cursor(store.conn()).expect("cursor"), None);
    let pull = client.pull_sens(None).await.expect("pull");
    let applied = feed::apply(store.conn(), pull, Utc::now(), &crate::common::actor()).expect("apply");
    assert_eq!(applied.created, ["SOC-0101", "SOC-0102"]);
    assert!(applied.changed());
    assert_eq!(sen_store::get(store.conn(), &crate::common::sen_number("SOC-0102")).expect("sen").level, "low");
    let cursor = feed::cursor(store.conn()).expect("cursor").expect("set");

    // The SOC raises one: the next pull (from the cursor) refreshes it and creates nothing.
    post_sen(&base, json!({"sen_number": "SOC-0102", "level": "high", "summary": "scan, now of a classified system", "sent_at": "2024-05-01T09:05:00-07:00"})).await;
    let pull = client.pull_sens(Some(cursor)).await.expect("pull since");
    assert!(pull.sens.iter().any(|s| s.sen_number == "SOC-0102"), "the change is in the pull");
    let applied = feed::apply(store.conn(), pull, Utc::now(), &crate::common::actor()).expect("apply");
    assert_eq!(applied.updated, ["SOC-0102"]);
    assert!(applied.created.is_empty());
    assert_eq!(sen_store::get(store.conn(), &crate::common::sen_number("SOC-0102")).expect("sen").level, "high");
    assert!(feed::cursor(store.conn()).expect("cursor").expect("set") >= cursor, "never back");
    portal.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_that_cannot_reach_the_portal_marks_the_queue_offline_and_an_answer_clears_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    // A port nobody listens on: bind one, note it, let it go.
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let client =
        PortalClient::new(&format!("http://127.0.0.1:{port}"), Some(PortalToken::new(DEFAULT_TOKEN).expect("token")))
            .expect("client");
    let failure = client.pull_sens(None).await.expect_err("nobody listens");
    assert!(matches!(failure, desk_core::portal::Outcome::Transient { unreachable: true, .. }), "{failure:?}");
    outbox::portal_unreachable(store.conn(), Utc::now()).expect("note");
    let status = outbox::queue_status(store.conn()).expect("status");
    assert!(status.offline && status.offline_since.is_some());
    outbox::portal_answered(store.conn(), Utc::now()).expect("answered");
    let status = outbox::queue_status(store.conn()).expect("status");
    assert!(!status.offline && status.last_contact_at.is_some());
}

// ---- The cursor, as a pure function of the portal's own times ----

use crate::common;
use chrono::{DateTime, Duration as TimeDelta};
use desk_core::portal::wire::WireSen;

fn wire(number: &str, sent_at: DateTime<Utc>, updated_at: Option<DateTime<Utc>>) -> WireSen {
    WireSen {
        sen_number: number.into(),
        level: "high".into(),
        sent_at,
        summary: Some("scan".into()),
        status: None,
        updated_at,
    }
}

/// A portal whose clock is `skew` off the local one: it stamps `updated_at` with its own time
/// and answers `updated_since` inclusively, as the contract's portals do.
struct SkewedPortal {
    skew: TimeDelta,
    records: Vec<WireSen>,
    gives_updated_at: bool,
}

impl SkewedPortal {
    /// The SOC writes (or updates) a SEN at local time `local`; `late` back-dates its stamp (a
    /// transaction that committed after a newer one).
    fn write(&mut self, number: &str, local: DateTime<Utc>, late: TimeDelta) {
        let stamp = local + self.skew - late;
        self.records.retain(|r| r.sen_number != number);
        let record = if self.gives_updated_at { wire(number, stamp, Some(stamp)) } else { wire(number, stamp, None) };
        self.records.push(record);
    }

    fn pull(&self, since: Option<DateTime<Utc>>) -> Vec<WireSen> {
        self.records.iter().filter(|r| since.is_none_or(|s| feed::record_time(r) >= s)).cloned().collect()
    }
}

/// Pulls every 5 minutes of local time while SENs arrive, some back-dated within the overlap;
/// checks that every SEN is seen at its latest version and the cursor never passes the newest
/// time the portal returned.
fn run_feed(skew: TimeDelta, gives_updated_at: bool) {
    let local0 = common::utc("2026-03-02T16:00:00Z");
    let mut portal = SkewedPortal { skew, records: Vec::new(), gives_updated_at };
    let mut seen_until: Option<DateTime<Utc>> = None;
    let mut seen: std::collections::BTreeMap<String, DateTime<Utc>> = Default::default();
    for step in 0..40i64 {
        let local = local0 + TimeDelta::minutes(5 * step);
        portal.write(&format!("SOC-{step:04}"), local, TimeDelta::zero());
        if step % 3 == 0 {
            // Stamped before the previous pull's newest time but visible only now (a late commit):
            // within the overlap, so the next pull still asks for it.
            portal.write(&format!("SOC-L{step:04}"), local, TimeDelta::minutes(8));
        }
        if step % 7 == 0 && step > 0 {
            portal.write("SOC-0000", local, TimeDelta::zero()); // an update of an old SEN
        }
        let pulled = feed::dedupe(portal.pull(feed::updated_since(seen_until)));
        let newest_returned = pulled.iter().map(feed::record_time).max();
        let next = feed::advance(seen_until, &pulled);
        assert!(next >= seen_until, "never back");
        assert!(next <= newest_returned.max(seen_until), "never past the newest time the portal returned");
        for sen in &pulled {
            seen.insert(sen.sen_number.clone(), feed::record_time(sen));
        }
        seen_until = next;
    }
    for record in &portal.records {
        assert_eq!(
            seen.get(&record.sen_number),
            Some(&feed::record_time(record)),
            "{} skipped (skew {skew})",
            record.sen_number
        );
    }
    // The cursor is in the portal's time, whatever the local clock says.
    let newest = portal.records.iter().map(feed::record_time).max();
    assert_eq!(seen_until, newest, "skew {skew}");
}

#[test]
fn the_feed_never_skips_with_the_portal_clock_an_hour_ahead_behind_or_right() {
    for skew in [TimeDelta::hours(1), TimeDelta::hours(-1), TimeDelta::zero()] {
        run_feed(skew, true);
        run_feed(skew, false);
    }
}

#[test]
fn the_cursor_uses_updated_at_else_sent_at_and_dedupes_by_number_and_time() {
    let t = |m: i64| common::utc("2026-03-02T16:00:00Z") + TimeDelta::minutes(m);
    let sens = vec![
        wire("SOC-1", t(0), Some(t(30))),
        wire("SOC-2", t(10), None),
        wire("SOC-1", t(0), Some(t(20))), // an older version listed later: dropped
        wire("SOC-3", t(5), Some(t(25))),
        wire("SOC-3", t(5), Some(t(25))), // the same version twice: once
    ];
    let kept = feed::dedupe(sens.clone());
    let kept: Vec<(&str, DateTime<Utc>)> = kept.iter().map(|s| (s.sen_number.as_str(), feed::record_time(s))).collect();
    assert_eq!(kept, [("SOC-1", t(30)), ("SOC-2", t(10)), ("SOC-3", t(25))]);
    assert_eq!(feed::advance(None, &sens), Some(t(30)));
    assert_eq!(feed::advance(Some(t(45)), &sens), Some(t(45)), "an older pull never moves it back");
    assert_eq!(feed::advance(Some(t(45)), &[]), Some(t(45)), "an empty pull leaves it");
    assert_eq!(feed::advance(None, &[]), None, "no time from the local clock");
    assert_eq!(feed::updated_since(Some(t(30))), Some(t(30) - feed::OVERLAP));
    assert_eq!(feed::updated_since(None), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stored_cursor_is_the_portal_time_not_the_local_clock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    // The portal is an hour behind: its newest stamp is an hour before the local now.
    let portal_now = Utc::now() - TimeDelta::hours(1);
    let pull =
        desk_core::portal::SenPull { sens: vec![wire("SOC-0201", portal_now, Some(portal_now))], rejected: Vec::new() };
    feed::apply(store.conn(), pull, Utc::now(), &crate::common::actor()).expect("apply");
    assert_eq!(feed::seen_until(store.conn()).expect("read"), Some(portal_now));
    assert_eq!(feed::cursor(store.conn()).expect("read"), Some(portal_now - feed::OVERLAP));
    // A pull with nothing new leaves it where the portal put it.
    feed::apply(
        store.conn(),
        desk_core::portal::SenPull { sens: Vec::new(), rejected: Vec::new() },
        Utc::now(),
        &crate::common::actor(),
    )
    .expect("apply");
    assert_eq!(feed::seen_until(store.conn()).expect("read"), Some(portal_now));
}

#[test]
fn a_sen_stamped_in_our_future_by_a_portal_clock_ahead_is_stored_not_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    let now = common::utc("2026-03-02T16:00:00Z");
    // The portal runs an hour ahead: its SEN is stamped an hour after our now.
    let ahead = now + TimeDelta::hours(1);
    let pull = || desk_core::portal::SenPull { sens: vec![wire("SOC-9001", ahead, Some(ahead))], rejected: Vec::new() };
    let sync = feed::apply(store.conn(), pull(), now, &crate::common::actor()).expect("apply");
    assert_eq!(sync.created, ["SOC-9001"], "stored, not refused: {sync:?}");
    assert!(sync.rejected.is_empty(), "{sync:?}");
    let sen = desk_core::sen::store::get(store.conn(), &crate::common::sen_number("SOC-9001")).expect("stored");
    assert_eq!(sen.sent_at, now, "counted from its arrival here");
    // The next pull (the overlap brings it again, a few minutes later) changes nothing: its
    // clock does not restart.
    let later = now + TimeDelta::minutes(5);
    let again = feed::apply(store.conn(), pull(), later, &crate::common::actor()).expect("apply");
    assert_eq!((again.created.len(), again.updated.len(), again.unchanged), (0, 0, 1), "{again:?}");
    assert_eq!(
        desk_core::sen::store::get(store.conn(), &crate::common::sen_number("SOC-9001")).expect("stored").sent_at,
        now
    );
    // The cursor is the portal's own time.
    assert_eq!(feed::seen_until(store.conn()).expect("read"), Some(ahead));
}
