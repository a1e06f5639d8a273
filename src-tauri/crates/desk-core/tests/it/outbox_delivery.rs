//! The outbox delivering real reports and SEN responses to the practice portal over loopback:
//! exactly once across lost answers and interrupted runs, order per record, pause on a refused
//! token, 422 back to draft, parking, offline and back, Retry-After.

use crate::common::profile;
use chrono::{DateTime, Duration as TimeDelta, SubsecRound, Utc};
use desk_core::outbox::{self, ItemKind, ItemState, Resolved, RetryPolicy, RunOptions, Summary, SyncConfig};
use desk_core::portal::{Outcome, PortalClient};
use desk_core::report::{self, ReportEffects, ReportId, State};
use desk_core::secrets::PortalToken;
use desk_core::sen::store::{self as sen_store, Determination, NewSen, Source};
use desk_core::sen::Outcome as SenOutcome;
use desk_core::Store;
use practice_portal::{Config, DownMode, Faults, Handle, PracticePortal, DEFAULT_TOKEN};
use rusqlite::Connection;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// Short delays, so that retries happen within a test.
fn quick() -> SyncConfig {
    SyncConfig {
        policy: RetryPolicy {
            min_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(40),
            ..RetryPolicy::default()
        },
        concurrency: 8,
    }
}

struct Fixture {
    dir: tempfile::TempDir,
    store: Store,
    portal: Handle,
    http: reqwest::Client,
}

impl Fixture {
    async fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open_in_dir(dir.path()).expect("store");
        let portal = PracticePortal::start(Config::ephemeral()).await.expect("portal");
        Fixture { dir, store, portal, http: reqwest::Client::new() }
    }

    fn conn(&self) -> &Connection {
        self.store.conn()
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    fn client_with(&self, token: &str) -> PortalClient {
        PortalClient::new(&self.portal.base_url(), Some(PortalToken::new(token).expect("token"))).expect("client")
    }

    fn client(&self) -> PortalClient {
        self.client_with(DEFAULT_TOKEN)
    }

    async fn sync_at(&mut self, now: DateTime<Utc>) -> Summary {
        let client = self.client();
        outbox::sync_once_with(&mut self.store, &client, &ReportEffects::new(crate::common::actor()), now, &quick())
            .await
            .expect("sync")
    }

    async fn sync(&mut self) -> Summary {
        self.sync_at(Utc::now()).await
    }

    async fn practice_get(&self, path: &str) -> Value {
        self.http
            .get(format!("{}{path}", self.portal.base_url()))
            .bearer_auth(DEFAULT_TOKEN)
            .send()
            .await
            .expect("practice endpoint")
            .json()
            .await
            .expect("json")
    }

    /// How many incidents the portal holds for a report (more than 1 would be a duplicate).
    async fn portal_count(&self, report_id: &ReportId) -> i64 {
        self.practice_get(&format!("/practice/incidents?report_id={report_id}")).await["total"].as_i64().expect("total")
    }

    async fn portal_sen(&self, number: &str) {
        let status = self
            .http
            .post(format!("{}/practice/sens", self.portal.base_url()))
            .bearer_auth(DEFAULT_TOKEN)
            .json(&json!({"sen_number": number, "level": "critical", "summary": "beaconing"}))
            .send()
            .await
            .expect("training post")
            .status();
        assert_eq!(status, 201);
    }

    fn states(&self) -> Vec<(ItemKind, ItemState, u32)> {
        let mut items = outbox::list(self.conn()).expect("list");
        items.reverse();
        items.into_iter().map(|i| (i.kind, i.state, i.attempts)).collect()
    }
}

/// A report submitted: state queued, its incident item in the outbox.
pub(crate) fn submitted_report(conn: &Connection) -> ReportId {
    let now = Utc::now();
    let id = report::create_draft(conn, &profile(), now, &crate::common::actor()).expect("create").report_id;
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

fn add_supplement(conn: &Connection, report_id: &ReportId, text: &str) {
    let now = Utc::now();
    report::set_field(conn, report_id, "incident.actions_taken", json!(text), now, &crate::common::actor())
        .expect("edit");
    report::queue_supplement(conn, report_id, now, &crate::common::actor()).expect("supplement");
}

fn confirmed_sen(conn: &Connection, number: &str) {
    let now = Utc::now();
    let new = NewSen {
        sen_number: number.into(),
        level: "critical".into(),
        sent_at: now - TimeDelta::minutes(30),
        summary: "beaconing".into(),
        source: Source::Email,
    };
    sen_store::create(conn, new, now, &crate::common::actor()).expect("sen");
    let values: BTreeMap<String, String> = [("findings_by".to_string(), "end of day".to_string())].into();
    sen_store::acknowledge(
        conn,
        &crate::common::sen_number(number),
        "investigating",
        &values,
        now,
        &crate::common::actor(),
    )
    .expect("ack");
    let determination =
        Determination { outcome: SenOutcome::ConfirmedIncident, details: "proxy logs".into(), findings_by: None };
    sen_store::determine(conn, &crate::common::sen_number(number), determination, now, &crate::common::actor())
        .expect("determine");
}

/// (payload, key) of an item, as the runner reads them.
fn queued(conn: &Connection, id: i64) -> (ItemKind, String, Value, String) {
    conn.query_row("SELECT kind, record_id, payload, idempotency_key FROM outbox WHERE id = ?1", [id], |r| {
        let kind: String = r.get(0)?;
        let payload: String = r.get(2)?;
        Ok((ItemKind::parse(&kind).expect("kind"), r.get(1)?, serde_json::from_str(&payload).expect("json"), r.get(3)?))
    })
    .expect("item")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_submitted_report_is_sent_once_and_gets_its_number() {
    let mut f = Fixture::new().await;
    let id = submitted_report(f.conn());
    let summary = f.sync().await;
    assert_eq!((summary.sent, summary.failed, summary.pending), (1, 0, 0), "{summary:?}");
    let sent = report::get(f.conn(), &id).expect("report");
    assert_eq!(sent.state, State::Sent);
    assert!(sent.incident_number.as_deref().is_some_and(|n| n.starts_with("CIR-")));
    assert_eq!(f.portal_count(&id).await, 1);
    assert_eq!(f.states(), [(ItemKind::Incident, ItemState::Sent, 1)]);
    assert_eq!(f.sync().await.sent, 0, "nothing twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_between_the_answer_and_the_commit_the_retry_replays_the_key() {
    let mut f = Fixture::new().await;
    let id = submitted_report(f.conn());
    let item = outbox::list(f.conn()).expect("list")[0].id;
    let (kind, record, payload, key) = queued(f.conn(), item);
    let Resolved::Ready(request) =
        outbox::resolve(f.conn(), &ReportEffects::new(crate::common::actor()), kind, &record, &payload)
            .expect("resolve")
    else {
        panic!("an incident is always ready")
    };
    // Delivered, then the process "dies": nothing committed.
    let segments: Vec<&str> = request.segments.iter().map(String::as_str).collect();
    let Outcome::Created(first) = f.client().post(&segments, &key, &request.body).await else { panic!("created") };
    assert_eq!(report::get(f.conn(), &id).expect("report").state, State::Queued);

    let summary = f.sync().await;
    assert_eq!(summary.sent, 1);
    assert_eq!(f.portal_count(&id).await, 1, "one record on the portal");
    let number = report::get(f.conn(), &id).expect("report").incident_number;
    assert_eq!(number.as_deref(), first["incident_number"].as_str(), "the first answer, replayed");
    let stats = f.practice_get("/practice/stats").await;
    assert_eq!(stats["by_status"]["200"], json!(1), "{stats}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_is_retried_under_the_same_key() {
    let mut f = Fixture::new().await;
    let id = submitted_report(f.conn());
    f.portal.set_faults(Faults { drop_response_rate: 1.0, ..Faults::default() });
    let summary = f.sync().await;
    assert_eq!((summary.sent, summary.failed, summary.offline), (0, 1, false), "{summary:?}");
    assert_eq!(f.portal_count(&id).await, 1, "the portal has it; we do not know");
    f.portal.set_faults(Faults::default());
    let summary = f.sync_at(Utc::now() + TimeDelta::seconds(1)).await;
    assert_eq!(summary.sent, 1);
    assert_eq!(f.portal_count(&id).await, 1);
    assert_eq!(f.states(), [(ItemKind::Incident, ItemState::Sent, 2)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supplement_never_overtakes_its_report() {
    let mut f = Fixture::new().await;
    let id = submitted_report(f.conn());
    add_supplement(f.conn(), &id, "Isolated the host.");
    add_supplement(f.conn(), &id, "Isolated the host. Reset passwords.");

    f.portal.set_faults(Faults { rate_limit_rate: 1.0, retry_after_secs: 60, ..Faults::default() });
    let summary = f.sync().await;
    assert_eq!((summary.sent, summary.failed, summary.pending), (0, 1, 3));
    assert_eq!(
        f.states(),
        [
            (ItemKind::Incident, ItemState::Pending, 1),
            (ItemKind::Supplement, ItemState::Pending, 0),
            (ItemKind::Supplement, ItemState::Pending, 0)
        ],
        "the supplements were not even tried"
    );
    let listed = outbox::list(f.conn()).expect("list");
    assert_eq!(listed[0].waits_for, Some(listed[1].id), "the Outbox page says what each waits for");

    f.portal.set_faults(Faults::default());
    let summary = f.sync_at(Utc::now() + TimeDelta::seconds(61)).await;
    assert_eq!(summary.sent, 3, "{summary:?}");
    let counts = f.practice_get(&format!("/practice/incidents?report_id={id}")).await;
    let revisions = counts["reports"][0]["supplement_revisions"].as_array().expect("revisions").clone();
    assert_eq!(revisions.len(), 2);
    assert!(revisions[0].as_i64() < revisions[1].as_i64(), "in order: {revisions:?}");
    let sent = report::get(f.conn(), &id).expect("report");
    assert_eq!(sent.sent_revision, revisions[1].as_i64());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incident_link_waits_for_the_incident_number() {
    let mut f = Fixture::new().await;
    f.portal_sen("SOC-0123").await;
    confirmed_sen(f.conn(), "SOC-0123");
    // The report is still a draft: the link cannot name its incident yet.
    let report_id =
        report::create_draft(f.conn(), &profile(), Utc::now(), &crate::common::actor()).expect("draft").report_id;
    sen_store::link_report(
        f.conn(),
        &crate::common::sen_number("SOC-0123"),
        &report_id,
        Utc::now(),
        &crate::common::actor(),
    )
    .expect("link");

    let summary = f.sync().await;
    assert_eq!((summary.sent, summary.pending, summary.blocked), (2, 1, 1), "{summary:?}");
    let link = &outbox::list(f.conn()).expect("list")[0];
    assert_eq!((link.kind, link.state, link.attempts), (ItemKind::IncidentLink, ItemState::Pending, 0));
    assert!(link.last_error.as_deref().is_some_and(|e| e.contains("incident number")), "{link:?}");
    let until_empty =
        RunOptions { until_empty: true, timeout: Some(Duration::from_secs(5)), sync: quick(), ..RunOptions::default() };
    let client = f.client();
    let ran = outbox::run(&mut f.store, &client, &ReportEffects::new(crate::common::actor()), until_empty)
        .await
        .expect("run");
    assert!(!ran.timed_out, "nothing deliverable: run returns at once");

    // Filling and submitting the report brings the number; the link goes in the same pass.
    for (path, value) in [
        ("incident.description", json!("Beaconing host confirmed.")),
        ("incident.discovered_at", json!("2024-03-01T08:10:00-08:00")),
        ("federal.category", json!("cat_1")),
    ] {
        report::set_field(f.conn(), &report_id, path, value, Utc::now(), &crate::common::actor()).expect(path);
    }
    report::ready(f.conn(), &report_id, Utc::now(), &crate::common::actor()).expect("ready");
    report::submit(f.conn(), &report_id, Utc::now(), &crate::common::actor()).expect("submit");
    let summary = f.sync().await;
    assert_eq!((summary.sent, summary.pending), (2, 0), "{summary:?}");
    let number = report::get(f.conn(), &report_id).expect("report").incident_number.expect("number");
    let sens = f.practice_get("/practice/sens").await;
    let responses = sens["sens"][0]["responses"].as_array().expect("responses");
    let kinds: Vec<&str> = responses.iter().filter_map(|r| r["kind"].as_str()).collect();
    assert_eq!(kinds, ["acknowledgement", "determination", "incident_link"]);
    assert_eq!(responses[2]["body"], json!({"incident_number": number}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_pauses_the_whole_queue_until_resumed() {
    let mut f = Fixture::new().await;
    let ids: Vec<ReportId> = (0..3).map(|_| submitted_report(f.conn())).collect();
    let wrong = f.client_with("expired-token");
    let summary =
        outbox::sync_once_with(&mut f.store, &wrong, &ReportEffects::new(crate::common::actor()), Utc::now(), &quick())
            .await
            .expect("sync");
    assert!(summary.paused.as_deref().is_some_and(|p| p.contains("token needed")), "{summary:?}");
    assert_eq!(summary.pending, 3);
    let requests = f.practice_get("/practice/stats").await["requests"].clone();

    // Paused: later passes try nothing, whatever the time.
    let later = outbox::sync_once_with(
        &mut f.store,
        &wrong,
        &ReportEffects::new(crate::common::actor()),
        Utc::now() + TimeDelta::hours(1),
        &quick(),
    )
    .await
    .expect("sync");
    assert_eq!((later.sent, later.failed), (0, 0));
    assert_eq!(f.practice_get("/practice/stats").await["requests"], requests, "no request while paused");
    assert!(outbox::queue_status(f.conn()).expect("status").paused.is_some());

    outbox::resume(f.conn(), Utc::now()).expect("resume");
    let summary = f.sync().await;
    assert_eq!((summary.sent, summary.pending, summary.paused), (3, 0, None));
    for id in ids {
        assert_eq!(f.portal_count(&id).await, 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_fields_return_the_report_to_draft_and_drop_its_queued_supplement() {
    let mut f = Fixture::new().await;
    let id = submitted_report(f.conn());
    add_supplement(f.conn(), &id, "Isolated the host.");
    f.portal.set_faults(Faults { refuse_field: Some("/incident/description".into()), ..Faults::default() });
    let summary = f.sync().await;
    assert_eq!((summary.sent, summary.failed, summary.pending), (0, 1, 0), "{summary:?}");
    let returned = report::get(f.conn(), &id).expect("report");
    assert_eq!(returned.state, State::Draft);
    let messages = serde_json::to_value(&returned).expect("json")["portal_messages"].clone();
    assert_eq!(messages[0]["field"], json!("incident.description"), "{messages}");
    assert_eq!(
        f.states(),
        [(ItemKind::Incident, ItemState::Returned, 1), (ItemKind::Supplement, ItemState::Superseded, 0)]
    );
    assert_eq!(f.portal_count(&id).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_request_is_parked_and_holds_back_its_record_only() {
    let mut f = Fixture::new().await;
    confirmed_sen(f.conn(), "SOC-0404"); // unknown to the portal: 404
    let other = submitted_report(f.conn());
    let summary = f.sync().await;
    assert_eq!((summary.sent, summary.pending, summary.blocked), (1, 1, 1), "{summary:?}");
    assert_eq!(f.portal_count(&other).await, 1, "other records go on");
    let items = outbox::list(f.conn()).expect("list");
    let ack = items.iter().find(|i| i.kind == ItemKind::Acknowledgement).expect("ack");
    assert_eq!(ack.state, ItemState::Parked);
    assert!(ack.last_error.as_deref().is_some_and(|e| e.contains("404")), "{ack:?}");
    let determination = items.iter().find(|i| i.kind == ItemKind::Determination).expect("determination");
    assert_eq!(
        (determination.state, determination.attempts, determination.waits_for),
        (ItemState::Pending, 0, Some(ack.id))
    );

    // The SOC's record appears; the user retries the parked item: both go, in order.
    f.portal_sen("SOC-0404").await;
    outbox::retry_now(f.conn(), ack.id, Utc::now()).expect("retry");
    let summary = f.sync().await;
    assert_eq!((summary.sent, summary.pending), (2, 0));
    let err = outbox::retry_now(f.conn(), ack.id, Utc::now()).expect_err("sent items cannot be retried");
    assert_eq!(err.code(), "conflict");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_then_the_health_check_answers_and_items_go_at_once() {
    let mut f = Fixture::new().await;
    let id = submitted_report(f.conn());
    // Down until switched off below (the hour is only an upper bound).
    let until = Utc::now() + TimeDelta::hours(1);
    f.portal.switch_faults(Faults { down_until: Some(until), down_mode: DownMode::Refuse, ..Faults::default() }).await;

    let t0 = Utc::now();
    let summary = f.sync_at(t0).await;
    assert!(summary.offline && summary.failed == 1, "{summary:?}");
    // Still down: the pass only polls health.
    let again = f.sync_at(t0 + TimeDelta::seconds(10)).await;
    assert!(again.offline && again.failed == 0 && again.sent == 0, "{again:?}");

    f.portal.switch_faults(Faults::default()).await;
    // Up again: at t0 + 1 ms the backoff would still hold the item; the health check lets it go.
    let summary = f.sync_at(t0 + TimeDelta::milliseconds(1)).await;
    assert_eq!((summary.sent, summary.offline), (1, false), "{summary:?}");
    assert_eq!(f.portal_count(&id).await, 1);
    assert!(outbox::queue_status(f.conn()).expect("status").last_contact_at.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_is_honoured_to_the_second() {
    let mut f = Fixture::new().await;
    submitted_report(f.conn());
    f.portal.set_faults(Faults { rate_limit_rate: 1.0, retry_after_secs: 7, ..Faults::default() });
    // Whole microseconds: the precision of the outbox's stored times.
    let t0 = Utc::now().trunc_subsecs(6);
    assert_eq!(f.sync_at(t0).await.failed, 1);
    f.portal.set_faults(Faults::default());
    let status = outbox::queue_status(f.conn()).expect("status");
    assert_eq!(status.next_attempt_at, Some(t0 + TimeDelta::seconds(7)));
    assert_eq!(f.sync_at(t0 + TimeDelta::milliseconds(6_999)).await.sent, 0, "not before");
    assert_eq!(f.sync_at(t0 + TimeDelta::seconds(7)).await.sent, 1);
}

/// Runs interrupted at random points (the future dropped mid-request or mid-pass, the store
/// closed as by a killed process) under injected faults: every report ends on the portal once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interrupted_runs_under_faults_lose_nothing_and_duplicate_nothing() {
    let f = Fixture::new().await;
    let ids: Vec<ReportId> = (0..40).map(|_| submitted_report(f.conn())).collect();
    f.portal.set_faults(Faults {
        error_rate: 0.15,
        rate_limit_rate: 0.1,
        retry_after_secs: 0,
        drop_response_rate: 0.15,
        drop_request_rate: 0.05,
        latency_ms: 0,
        latency_max_ms: Some(4),
        ..Faults::default()
    });
    let (data_dir, client) = (f.data_dir(), f.client());
    let options = RunOptions {
        until_empty: true,
        timeout: Some(Duration::from_secs(20)),
        sync: quick(),
        ..RunOptions::default()
    };
    for round in 0..200u64 {
        let (dir, client) = (data_dir.clone(), client.clone());
        let task = tokio::spawn(async move {
            let mut store = Store::open_in_dir(&dir).expect("reopen");
            outbox::run(&mut store, &client, &ReportEffects::new(crate::common::actor()), options).await.expect("run")
        });
        tokio::time::sleep(Duration::from_millis(3 + (round * 7) % 17)).await;
        if task.is_finished() {
            let summary = task.await.expect("task");
            if summary.pending == 0 {
                break;
            }
        } else {
            task.abort();
            let _ = task.await;
        }
    }
    f.portal.set_faults(Faults::default());
    let mut store = Store::open_in_dir(&data_dir).expect("reopen");
    let last = outbox::run(&mut store, &client, &ReportEffects::new(crate::common::actor()), options)
        .await
        .expect("final run");
    assert_eq!(last.pending, 0, "{last:?}");
    for id in &ids {
        assert_eq!(f.portal_count(id).await, 1, "report {id}");
        assert_eq!(report::get(store.conn(), id).expect("report").state, State::Sent);
    }
}

/// The window and the CLI may sync the same database at once: both may send an item (same key,
/// so one record on the portal), and only the first commit applies its effect.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_runners_on_one_database_deliver_each_item_once() {
    let f = Fixture::new().await;
    let ids: Vec<ReportId> = (0..30).map(|_| submitted_report(f.conn())).collect();
    f.portal.set_faults(Faults { latency_ms: 1, latency_max_ms: Some(5), ..Faults::default() });
    let options = RunOptions {
        until_empty: true,
        timeout: Some(Duration::from_secs(20)),
        sync: quick(),
        ..RunOptions::default()
    };
    let runners: Vec<_> = (0..2)
        .map(|_| {
            let (dir, client) = (f.data_dir(), f.client());
            tokio::spawn(async move {
                let mut store = Store::open_in_dir(&dir).expect("open");
                outbox::run(&mut store, &client, &ReportEffects::new(crate::common::actor()), options)
                    .await
                    .expect("run")
            })
        })
        .collect();
    let mut sent = 0;
    for runner in runners {
        let summary = runner.await.expect("runner");
        assert_eq!(summary.pending, 0, "{summary:?}");
        sent += summary.sent;
    }
    assert_eq!(sent, ids.len(), "each item recorded as sent by exactly one runner");
    for id in &ids {
        assert_eq!(f.portal_count(id).await, 1);
        assert_eq!(report::get(f.conn(), id).expect("report").state, State::Sent);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_help_request_reaches_the_practice_portal_as_more_time() {
    let mut f = Fixture::new().await;
    f.portal_sen("SOC-0124").await;
    let now = Utc::now();
    let new = NewSen {
        sen_number: "SOC-0124".into(),
        level: "critical".into(),
        sent_at: now - TimeDelta::minutes(30),
        summary: "beaconing".into(),
        source: Source::Email,
    };
    sen_store::create(f.conn(), new, now, &crate::common::actor()).expect("sen");
    let values: BTreeMap<String, String> = [("findings_by".to_string(), "end of day".to_string())].into();
    sen_store::acknowledge(
        f.conn(),
        &crate::common::sen_number("SOC-0124"),
        "investigating",
        &values,
        now,
        &crate::common::actor(),
    )
    .expect("ack");
    let help = Determination {
        outcome: SenOutcome::RequestHelp,
        details: "Cannot tell the beacon from the backup agent.".into(),
        findings_by: None,
    };
    sen_store::determine(f.conn(), &crate::common::sen_number("SOC-0124"), help, now, &crate::common::actor())
        .expect("help");

    let summary = f.sync().await;
    assert_eq!((summary.sent, summary.pending), (2, 0), "{summary:?}");
    let sens = f.practice_get("/practice/sens").await;
    let responses = sens["sens"][0]["responses"].as_array().expect("responses");
    let determination = &responses[1];
    assert_eq!(determination["kind"], "determination");
    assert_eq!(determination["body"]["outcome"], "more_time");
    assert!(determination["body"].get("findings_by").is_none(), "{determination}");
    assert_eq!(
        determination["body"]["details"],
        format!("{}Cannot tell the beacon from the backup agent.", desk_core::sen::HELP_DETAILS_PREFIX)
    );
}
