//! Report lifecycle: draft → ready → queued → sent, then supplements; illegal moves refused; the
//! outbox item is written in the same transaction; a portal 422 returns the draft with messages.

use crate::common::profile;
use chrono::{DateTime, Duration, Utc};
use desk_core::error::FieldError;
use desk_core::portal::wire::PortalFieldError;
use desk_core::profile::Profile;
use desk_core::report::{self, ReportId, State};
use desk_core::Store;
use rusqlite::Connection;
use serde_json::{json, Value};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-03-01T17:00:00Z").expect("time").with_timezone(&Utc)
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("open");
    (dir, store)
}

/// A draft that passes the submission checks.
fn complete_draft(conn: &Connection) -> ReportId {
    let id = report::create_draft(conn, &profile(), now(), &crate::common::actor()).expect("create").report_id;
    for (path, value) in [
        ("incident.description", json!("Phishing led to a compromised mailbox.")),
        ("incident.discovered_at", json!("2024-03-01T08:10:00-08:00")),
        ("federal.category", json!("cat_1")),
    ] {
        report::set_field(conn, &id, path, value, now(), &crate::common::actor()).expect(path);
    }
    id
}

fn outbox(conn: &Connection) -> Vec<(String, String, Value)> {
    let mut stmt = conn.prepare("SELECT kind, record_id, payload FROM outbox ORDER BY id").expect("prepare");
    stmt.query_map([], |r| {
        let payload: String = r.get(2)?;
        Ok((r.get(0)?, r.get(1)?, serde_json::from_str(&payload).expect("payload json")))
    })
    .expect("query")
    .map(|r| r.expect("row"))
    .collect()
}

#[test]
fn ready_refuses_with_messages_on_the_missing_required_fields() {
    let (_dir, store) = store();
    let conn = store.conn();
    let id = report::create_draft(conn, &Profile::default(), now(), &crate::common::actor()).expect("create").report_id;
    report::set_field(conn, &id, "network.source_port", json!("99999"), now(), &crate::common::actor()).expect("set");
    let err = report::ready(conn, &id, now(), &crate::common::actor()).expect_err("not ready");
    assert_eq!(err.code(), "invalid");
    let fields: Vec<&str> = err.fields().iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "network.source_port",
            "entity.name",
            "reporting_person.name",
            "reporting_person.phones",
            "incident.description",
            "incident.discovered_at"
        ]
    );
    assert_eq!(report::get(conn, &id).expect("get").state, State::Draft);
    assert_eq!(report::get(conn, &id).expect("get").doc.network.source_port, "99999", "draft kept");
}

#[test]
fn the_whole_way_with_illegal_moves_refused() {
    let (_dir, store) = store();
    let conn = store.conn();
    let id = complete_draft(conn);

    let err = report::submit(conn, &id, now(), &crate::common::actor()).expect_err("draft");
    assert_eq!(err.code(), "report_not_ready");
    assert_eq!(err.to_string(), format!("report {id} is draft: cannot submit it (make it ready first)"));
    assert_eq!(
        report::mark_sent(conn, &id, "CIR-1", now(), &crate::common::actor()).expect_err("draft").code(),
        "report_not_submitted"
    );
    let err = report::queue_supplement(conn, &id, now(), &crate::common::actor()).expect_err("draft");
    assert_eq!(err.code(), "report_not_submitted");
    assert_eq!(err.to_string(), format!("report {id} is draft: cannot send a supplement (submit the report first)"));

    assert_eq!(report::ready(conn, &id, now(), &crate::common::actor()).expect("ready").state, State::Ready);
    assert_eq!(
        report::ready(conn, &id, now(), &crate::common::actor()).expect("again").state,
        State::Ready,
        "idempotent"
    );
    let err = report::set_field(conn, &id, "incident.description", json!("edit"), now(), &crate::common::actor())
        .expect_err("frozen");
    assert_eq!(err.code(), "report_not_editable");
    assert_eq!(report::to_draft(conn, &id, now(), &crate::common::actor()).expect("back").state, State::Draft);
    report::ready(conn, &id, now(), &crate::common::actor()).expect("ready");

    let queued = report::submit(conn, &id, now(), &crate::common::actor()).expect("submit");
    assert_eq!(queued.state, State::Queued);
    assert_eq!(queued.submitted_revision, Some(queued.revision));
    let items = outbox(conn);
    assert_eq!(items.len(), 1);
    let (kind, record, body) = &items[0];
    assert_eq!((kind.as_str(), record.as_str()), ("incident", id.as_str()));
    assert_eq!(body["report_id"], json!(id));
    assert_eq!(body["revision"], json!(queued.revision));
    assert_eq!(body["incident"]["description"], "Phishing led to a compromised mailbox.");
    assert_eq!(body["incident"]["occurred_at"], Value::Null);

    let err = report::to_draft(conn, &id, now(), &crate::common::actor()).expect_err("queued");
    assert_eq!(err.code(), "report_submitted");
    assert_eq!(
        err.to_string(),
        format!("report {id} is queued: cannot return to draft (it was submitted: edits become a supplement)")
    );
    let err = report::ready(conn, &id, now(), &crate::common::actor()).expect_err("queued");
    assert_eq!(err.code(), "report_submitted");
    assert_eq!(err.to_string(), format!("report {id} is queued: cannot make it ready (it was submitted)"));
    assert_eq!(
        report::submit(conn, &id, now(), &crate::common::actor()).expect_err("twice").code(),
        "report_submitted"
    );
    assert_eq!(outbox(conn).len(), 1, "nothing queued twice");
    assert_eq!(
        report::mark_supplement_sent(conn, &id, 9, now(), &crate::common::actor()).expect_err("before incident").code(),
        "conflict"
    );

    let sent = report::mark_sent(conn, &id, "CIR-2024-0001", now() + Duration::minutes(1), &crate::common::actor())
        .expect("sent");
    assert_eq!(sent.state, State::Sent);
    assert_eq!(sent.incident_number.as_deref(), Some("CIR-2024-0001"));
    assert_eq!(sent.sent_revision, sent.submitted_revision);
    assert_eq!(
        report::mark_sent(conn, &id, "CIR-2024-0001", now(), &crate::common::actor()).expect("again").state,
        State::Sent
    );
    assert_eq!(
        report::mark_sent(conn, &id, "CIR-OTHER", now(), &crate::common::actor()).expect_err("other number").code(),
        "conflict"
    );
    assert_eq!(
        report::to_draft(conn, &id, now(), &crate::common::actor()).expect_err("sent").code(),
        "report_submitted"
    );
    assert_eq!(report::ready(conn, &id, now(), &crate::common::actor()).expect_err("sent").code(), "report_submitted");

    let events: Vec<String> = conn
        .prepare("SELECT event FROM report_events ORDER BY id")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect();
    assert_eq!(events, ["readied", "back_to_draft", "readied", "submitted", "sent"]);
    for sql in ["UPDATE report_events SET event = 'x'", "DELETE FROM report_events"] {
        let err = conn.execute(sql, []).expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
}

#[test]
fn supplements_carry_only_what_changed_since_the_last_revision_queued() {
    let (_dir, store) = store();
    let conn = store.conn();
    let id = complete_draft(conn);
    report::add_row(conn, &id, "computers", now(), &crate::common::actor()).expect("row");
    report::set_field(conn, &id, "computers.0.hostname", json!("ws-1"), now(), &crate::common::actor()).expect("set");
    report::ready(conn, &id, now(), &crate::common::actor()).expect("ready");
    report::submit(conn, &id, now(), &crate::common::actor()).expect("submit");

    // Edits while queued are allowed: they become the first supplement.
    assert_eq!(
        report::queue_supplement(conn, &id, now(), &crate::common::actor()).expect_err("nothing changed").code(),
        "conflict"
    );
    report::set_field(
        conn,
        &id,
        "response.impact",
        json!("Mailbox rules exfiltrated invoices"),
        now(),
        &crate::common::actor(),
    )
    .expect("set");
    report::set_field(conn, &id, "computers.0.ip", json!("10.1.2.3"), now(), &crate::common::actor()).expect("set");
    let first = report::queue_supplement(conn, &id, now(), &crate::common::actor()).expect("supplement");
    assert_eq!(
        first.changes,
        json!({"response": {"impact": "Mailbox rules exfiltrated invoices"}, "computers": {"0": {"ip": "10.1.2.3"}}})
    );

    report::mark_sent(conn, &id, "CIR-7", now(), &crate::common::actor()).expect("sent");
    report::set_field(conn, &id, "response.resolution", json!("Password reset"), now(), &crate::common::actor())
        .expect("set");
    report::set_field(
        conn,
        &id,
        "response.resolution",
        json!("Password reset, MFA enforced"),
        now(),
        &crate::common::actor(),
    )
    .expect("set");
    let before = report::get(conn, &id).expect("get");
    assert!(before.status(now()).unsent_changes);
    let second = report::queue_supplement(conn, &id, now(), &crate::common::actor()).expect("supplement");
    assert_eq!(second.changes, json!({"response": {"resolution": "Password reset, MFA enforced"}}));
    assert_eq!(second.revision, before.revision);
    assert!(second.revision > first.revision);

    let items = outbox(conn);
    let kinds: Vec<&str> = items.iter().map(|(k, _, _)| k.as_str()).collect();
    assert_eq!(kinds, ["incident", "supplement", "supplement"]);
    assert_eq!(items[2].2, json!({"report_id": id, "revision": second.revision, "changes": second.changes}));

    report::mark_supplement_sent(conn, &id, first.revision, now(), &crate::common::actor()).expect("first sent");
    let r =
        report::mark_supplement_sent(conn, &id, second.revision, now(), &crate::common::actor()).expect("second sent");
    assert_eq!(r.sent_revision, Some(second.revision));
    assert!(!r.status(now()).unsent_changes);

    // A supplement that fails the checks is not queued.
    report::set_field(conn, &id, "network.source_ip", json!("300.1.1.1"), now(), &crate::common::actor()).expect("set");
    let err = report::queue_supplement(conn, &id, now(), &crate::common::actor()).expect_err("invalid");
    assert_eq!(err.fields()[0].field, "network.source_ip");
    assert_eq!(outbox(conn).len(), 3);
}

#[test]
fn a_portal_refusal_returns_the_draft_with_messages_on_the_fields() {
    let (_dir, store) = store();
    let conn = store.conn();
    let id = complete_draft(conn);
    report::ready(conn, &id, now(), &crate::common::actor()).expect("ready");
    let queued = report::submit(conn, &id, now(), &crate::common::actor()).expect("submit");
    let portal_error = |field: Option<&str>, message: &str| PortalFieldError {
        field: field.map(str::to_string),
        message: message.to_string(),
    };
    let portal = [
        portal_error(Some("/incident/description"), "too vague"),
        portal_error(Some("/computers/0/ip"), "unknown host"),
        portal_error(None, "general"),
    ];
    let errors = report::exchange::portal_errors(&portal);
    assert_eq!(errors[0], FieldError::new("incident.description", "too vague"));
    assert_eq!(errors[1].field, "computers.0.ip");
    let r = report::return_to_draft(conn, &id, errors, now(), &crate::common::actor()).expect("returned");
    assert_eq!(r.state, State::Draft);
    assert_eq!(r.doc, queued.doc, "content untouched");
    assert_eq!(r.portal_messages.len(), 3);
    assert_eq!(r.submitted_revision, None);

    let saved = report::set_field(
        conn,
        &id,
        "incident.description",
        json!("Phishing: 3 mailboxes"),
        now(),
        &crate::common::actor(),
    )
    .expect("edit");
    let fields: Vec<&str> = saved.portal_messages.iter().map(|m| m.field.as_str()).collect();
    assert_eq!(fields, ["computers.0.ip", ""], "the edited field's message is cleared");

    report::ready(conn, &id, now(), &crate::common::actor()).expect("ready");
    let again = report::submit(conn, &id, now(), &crate::common::actor()).expect("resubmit");
    assert!(again.portal_messages.is_empty());
    assert_eq!(again.report_id, id, "same report_id: the portal's duplicate protection");
    assert!(again.submitted_revision > queued.submitted_revision);
}

#[test]
fn a_refused_supplement_is_offered_again() {
    let (_dir, store) = store();
    let conn = store.conn();
    let id = complete_draft(conn);
    report::ready(conn, &id, now(), &crate::common::actor()).expect("ready");
    report::submit(conn, &id, now(), &crate::common::actor()).expect("submit");
    report::mark_sent(conn, &id, "CIR-9", now(), &crate::common::actor()).expect("sent");
    report::set_field(conn, &id, "response.impact", json!("Payroll delayed"), now(), &crate::common::actor())
        .expect("set");
    report::queue_supplement(conn, &id, now(), &crate::common::actor()).expect("supplement");
    let r = report::return_to_draft(
        conn,
        &id,
        vec![FieldError::new("response.impact", "say more")],
        now(),
        &crate::common::actor(),
    )
    .expect("returned");
    assert_eq!(r.state, State::Sent, "an incident the portal holds stays sent");
    report::set_field(conn, &id, "response.resolution", json!("Restored from backup"), now(), &crate::common::actor())
        .expect("set");
    let again = report::queue_supplement(conn, &id, now(), &crate::common::actor()).expect("again");
    assert_eq!(again.changes, json!({"response": {"impact": "Payroll delayed", "resolution": "Restored from backup"}}));
}

#[test]
fn the_outbox_can_mark_inside_its_own_transaction() {
    let (_dir, mut store) = store();
    let id = complete_draft(store.conn());
    report::ready(store.conn(), &id, now(), &crate::common::actor()).expect("ready");
    report::submit(store.conn(), &id, now(), &crate::common::actor()).expect("submit");
    let tx = store.conn_mut().transaction().expect("tx");
    tx.execute("UPDATE outbox SET state = 'sent'", []).expect("outbox");
    report::mark_sent(&tx, &id, "CIR-3", now(), &crate::common::actor()).expect("mark inside");
    drop(tx); // rolled back: both or neither
    assert_eq!(report::get(store.conn(), &id).expect("get").state, State::Queued);
    let tx = store.conn_mut().transaction().expect("tx");
    report::mark_sent(&tx, &id, "CIR-3", now(), &crate::common::actor()).expect("mark inside");
    tx.commit().expect("commit");
    assert_eq!(report::get(store.conn(), &id).expect("get").state, State::Sent);
}
