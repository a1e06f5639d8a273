//! Accountability: every report revision, report event and SEN history row records who did it,
//! and the rows are hash-chained, so a row edited or deleted with the key in hand (an SQL shell
//! on the database) is found by `audit::verify`, named by table, row and record.

use chrono::{DateTime, Utc};
use desk_core::audit::{self, Actor};
use desk_core::profile::Profile;
use desk_core::report::{self, ReportId};
use desk_core::sen::store as sens;
use desk_core::sen::{NewSen, Source};
use desk_core::Store;
use serde_json::json;
use std::collections::BTreeMap;

fn now() -> DateTime<Utc> {
    "2026-03-10T16:00:00Z".parse().expect("time")
}

/// A report edited, readied and submitted by two people, and a SEN recorded and acknowledged.
fn real_flow(store: &Store) -> (ReportId, desk_core::sen::SenNumber) {
    let conn = store.conn();
    let ada = Actor::new("ada", "iso-desk-01");
    let bob = Actor::new("bob", "iso-laptop-07");
    let id = report::create_draft(conn, &Profile::default(), now(), &ada).expect("draft").report_id;
    for (field, value, who) in [
        ("incident.description", json!("Ransomware on the file server"), &ada),
        ("incident.discovered_at", json!("2026-03-10T08:30:00-07:00"), &bob),
        ("entity.name", json!("Department of Examples"), &ada),
        ("reporting_person.name", json!("Ada Lovelace"), &ada),
        ("reporting_person.phones", json!(["(916) 555-0100"]), &bob),
        ("federal.category", json!("cat_1"), &bob),
    ] {
        report::set_field(conn, &id, field, value, now(), who).expect(field);
    }
    report::ready(conn, &id, now(), &ada).expect("ready");
    report::submit(conn, &id, now(), &ada).expect("submit");
    let sen = sens::create(
        conn,
        NewSen {
            sen_number: "SOC-7001".into(),
            level: "high".into(),
            sent_at: now(),
            summary: "Beaconing".into(),
            source: Source::Manual,
        },
        now(),
        &bob,
    )
    .expect("sen");
    let values: BTreeMap<String, String> = [("findings_by".to_string(), "end of day".to_string())].into();
    sens::acknowledge(conn, &sen.sen_number, "investigating", &values, now(), &bob).expect("acknowledge");
    (id, sen.sen_number)
}

#[test]
fn every_history_row_names_its_actor_and_the_chains_verify() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    let (id, sen) = real_flow(&store);

    let revisions = report::revisions(store.conn(), &id).expect("revisions");
    assert_eq!(revisions[0].actor, Actor::new("ada", "iso-desk-01"));
    assert_eq!(revisions[2].actor, Actor::new("bob", "iso-laptop-07"), "{:?}", revisions[2]);
    let log = report::revision_log(store.conn(), &id, None, 100).expect("log");
    assert!(log.iter().all(|e| !e.actor.user.is_empty()));
    let events = report::store::events(store.conn(), &id).expect("events");
    assert_eq!(events.iter().map(|e| e.event.as_str()).collect::<Vec<_>>(), ["readied", "submitted"]);
    assert!(events.iter().all(|e| e.actor == Actor::new("ada", "iso-desk-01")));
    let history = sens::history(store.conn(), &sen).expect("history");
    assert!(history.iter().all(|h| h.actor == Actor::new("bob", "iso-laptop-07")), "{history:?}");

    let verified = audit::verify(store.conn()).expect("walk").expect("sound");
    // One chain per report and table (revisions, events) and one per SEN.
    assert_eq!(verified.chains, 3);
    assert_eq!(verified.rows, revisions.len() + events.len() + history.len());
}

fn broken(store: &Store) -> audit::BrokenLink {
    audit::verify(store.conn()).expect("walk").expect_err("must find the break")
}

#[test]
fn an_edited_row_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    let (id, sen) = real_flow(&store);
    let conn = store.conn();
    let row: i64 = conn
        .query_row("SELECT id FROM report_revisions WHERE report_id = ?1 AND revision = 3", [&id], |r| r.get(0))
        .expect("row");
    // With the key in hand the append-only trigger is no obstacle; the chain is.
    conn.execute_batch("DROP TRIGGER report_revisions_no_update").expect("drop trigger");
    conn.execute("UPDATE report_revisions SET value = '\"Nothing happened\"' WHERE id = ?1", [row]).expect("edit");
    let link = broken(&store);
    assert_eq!(
        (link.table.as_str(), link.row_id, link.record.as_str()),
        ("report_revisions", row, id.as_str()),
        "{link}"
    );
    assert!(link.reason.contains("edited"), "{link}");

    // The actor alone rewritten is an edit too.
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    let (_, sen2) = real_flow(&store);
    assert_eq!(sen, sen2);
    let conn = store.conn();
    let row: i64 = conn.query_row("SELECT max(id) FROM sen_history", [], |r| r.get(0)).expect("row");
    conn.execute_batch("DROP TRIGGER sen_history_no_update").expect("drop trigger");
    conn.execute("UPDATE sen_history SET actor_user = 'someone-else' WHERE id = ?1", [row]).expect("edit");
    let link = broken(&store);
    assert_eq!((link.table.as_str(), link.row_id, link.record.as_str()), ("sen_history", row, sen.as_str()), "{link}");
}

#[test]
fn a_deleted_row_is_found_at_the_row_after_it_and_a_deleted_tail_at_the_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    let (id, sen) = real_flow(&store);
    let conn = store.conn();
    let rows: Vec<i64> = conn
        .prepare("SELECT id FROM sen_history WHERE sen_number = ?1 ORDER BY id")
        .expect("prepare")
        .query_map([&sen], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(rows.len(), 2);
    conn.execute_batch("DROP TRIGGER sen_history_no_delete").expect("drop trigger");
    conn.execute("DELETE FROM sen_history WHERE id = ?1", [rows[0]]).expect("delete");
    let link = broken(&store);
    assert_eq!((link.table.as_str(), link.row_id), ("sen_history", rows[1]), "{link}");
    assert!(link.reason.contains("deleted"), "{link}");

    // The newest revision deleted: nothing after it to break, but the report says how far its
    // history goes.
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    let (id2, _) = real_flow(&store);
    let conn = store.conn();
    conn.execute_batch("DROP TRIGGER report_revisions_no_delete").expect("drop trigger");
    conn.execute("DELETE FROM report_revisions WHERE id = (SELECT max(id) FROM report_revisions)", []).expect("delete");
    let link = broken(&store);
    assert_eq!((link.table.as_str(), link.record.as_str()), ("reports", id2.as_str()), "{link}");
    assert!(link.reason.contains("deleted"), "{link}");
    let _ = id;
}

/// A database from before migration 0008: its history rows are chained by the migration (actor
/// unknown), verify passes, and the append-only triggers are back.
#[test]
fn rows_written_before_the_migration_are_chained_by_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(desk_core::store::DB_FILE);
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        for name in [
            "0001_settings",
            "0002_sens",
            "0003_reports",
            "0004_outbox",
            "0005_reminders",
            "0006_fallback_calls",
            "0007_search_pending",
        ] {
            let sql =
                std::fs::read_to_string(format!("{}/migrations/{name}.sql", env!("CARGO_MANIFEST_DIR"))).expect("sql");
            conn.execute_batch(&sql).expect(name);
        }
        conn.execute_batch(
            "PRAGMA user_version = 7;
             INSERT INTO reports (report_id, state, created_at, updated_at, revision, doc) VALUES ('r-old', 'draft', 't', 't', 2, '{}');
             INSERT INTO report_revisions (report_id, revision, at, kind) VALUES ('r-old', 1, '2025-01-01T00:00:00Z', 'created');
             INSERT INTO report_revisions (report_id, revision, at, kind, field, value) VALUES ('r-old', 2, '2025-01-01T00:01:00Z', 'set', 'incident.description', '\"old\"');
             INSERT INTO report_events (report_id, at, event, revision) VALUES ('r-old', '2025-01-01T00:02:00Z', 'readied', 2);
             INSERT INTO sens (sen_number, level, sent_at, source, created_at, updated_at) VALUES ('SOC-0001', 'high', 't', 'manual', 't', 't');
             INSERT INTO sen_history (sen_number, event, at) VALUES ('SOC-0001', 'created', '2025-01-01T00:00:00Z');",
        )
        .expect("legacy rows");
    }
    let store = Store::open(&path).expect("migrates");
    let verified = audit::verify(store.conn()).expect("walk").expect("sound");
    assert_eq!((verified.chains, verified.rows), (3, 4));
    let unsealed: i64 = store
        .conn()
        .query_row(
            "SELECT (SELECT count(*) FROM report_revisions WHERE hash IS NULL) + (SELECT count(*) FROM sen_history WHERE hash IS NULL)",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(unsealed, 0);
    for sql in [
        "UPDATE report_revisions SET kind = 'set'",
        "UPDATE sen_history SET event = 'x'",
        "UPDATE report_events SET event = 'x'",
    ] {
        let err = store.conn().execute(sql, []).expect_err("append-only");
        assert!(err.to_string().contains("append-only"), "{err}");
    }
    // New rows chain on from the sealed ones.
    report::set_field(
        store.conn(),
        &ReportId::from_stored("r-old".into()),
        "incident.description",
        json!("new"),
        now(),
        &Actor::new("ada", "h"),
    )
    .ok();
    assert!(audit::verify(store.conn()).expect("walk").is_ok());
}
