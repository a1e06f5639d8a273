//! SEN records: transitions in one transaction with their outbox item, illegal transitions refused,
//! append-only history, portal feed that never overwrites local response state.

use chrono::{DateTime, Utc};
use desk_core::calendar::BusinessCalendar;
use desk_core::report::ReportId;
use desk_core::sen::store::{self, Determination, NewSen, PortalSen, SenStatus, Source};
use desk_core::sen::{self as sen, EscalationClock, Outcome};
use desk_core::Store;
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("time").with_timezone(&Utc)
}

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
}

fn open() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("open");
    Fixture { _dir: dir, store }
}

fn new_sen(number: &str, level: &str, sent: &str) -> NewSen {
    NewSen {
        sen_number: number.into(),
        level: level.into(),
        sent_at: t(sent),
        summary: "Beaconing from 10.1.2.3".into(),
        source: Source::Email,
    }
}

/// A report id as the window or the CLI gives it: through the one check.
fn report_id(text: &str) -> ReportId {
    ReportId::parse(text).expect("report id")
}

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// (kind, record_id, payload) of every outbox item, in order.
fn outbox(f: &Fixture) -> Vec<(String, String, Value)> {
    let mut stmt = f.store.conn().prepare("SELECT kind, record_id, payload FROM outbox ORDER BY id").expect("prepare");
    stmt.query_map([], |r| {
        let payload: String = r.get(2)?;
        Ok((r.get(0)?, r.get(1)?, serde_json::from_str(&payload).expect("json")))
    })
    .expect("query")
    .collect::<Result<_, _>>()
    .expect("rows")
}

fn events(f: &Fixture, number: &str) -> Vec<String> {
    store::history(f.store.conn(), &crate::common::sen_number(number))
        .expect("history")
        .into_iter()
        .map(|h| h.event)
        .collect()
}

fn acknowledged(f: &Fixture) {
    store::create(
        f.store.conn(),
        new_sen("SOC-0123", "high", "2026-03-02T17:00:00Z"),
        t("2026-03-02T17:01:00Z"),
        &crate::common::actor(),
    )
    .expect("create");
    store::acknowledge(
        f.store.conn(),
        &crate::common::sen_number("SOC-0123"),
        "investigating",
        &values(&[("findings_by", "end of day")]),
        t("2026-03-02T17:20:00Z"),
        &crate::common::actor(),
    )
    .expect("acknowledge");
}

fn determination(outcome: Outcome, findings_by: Option<&str>) -> Determination {
    Determination { outcome, details: "Checked the proxy logs.".into(), findings_by: findings_by.map(t) }
}

#[test]
fn create_normalizes_and_records_history() {
    let f = open();
    let created = store::create(
        f.store.conn(),
        new_sen(" soc-0123 ", "CRITICAL", "2026-03-02T17:00:00Z"),
        t("2026-03-02T17:05:00Z"),
        &crate::common::actor(),
    )
    .expect("create");
    assert_eq!((created.sen_number.as_str(), created.level.as_str()), ("SOC-0123", "critical"));
    assert_eq!((created.status, created.source), (SenStatus::New, Source::Email));
    assert_eq!(store::get(f.store.conn(), &crate::common::sen_number("soc-0123")).expect("get"), created);
    assert_eq!(events(&f, "SOC-0123"), ["created"]);
    assert!(outbox(&f).is_empty(), "a SEN comes from the portal: nothing to send");
}

#[test]
fn duplicate_sen_number_is_a_conflict_and_changes_nothing() {
    let f = open();
    let first = store::create(
        f.store.conn(),
        new_sen("SOC-0123", "high", "2026-03-02T17:00:00Z"),
        t("2026-03-02T17:05:00Z"),
        &crate::common::actor(),
    )
    .expect("create");
    let err = store::create(
        f.store.conn(),
        new_sen("SOC-0123", "critical", "2026-03-03T17:00:00Z"),
        t("2026-03-03T17:05:00Z"),
        &crate::common::actor(),
    )
    .expect_err("duplicate");
    assert_eq!(err.code(), "conflict");
    assert!(err.to_string().contains("SOC-0123 is already recorded"), "{err}");
    assert_eq!(store::get(f.store.conn(), &crate::common::sen_number("SOC-0123")).expect("get"), first);
    assert_eq!(events(&f, "SOC-0123"), ["created"]);
}

#[test]
fn invalid_new_sen_names_fields() {
    let f = open();
    let mut bad = new_sen("0123 x", "", "2026-03-02T17:00:00Z");
    bad.sent_at = t("2026-03-05T00:00:00Z");
    let err =
        store::create(f.store.conn(), bad, t("2026-03-02T17:00:00Z"), &crate::common::actor()).expect_err("invalid");
    let fields: Vec<&str> = err.fields().iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["sen_number", "level", "sent_at"]);
    assert!(store::list_all(f.store.conn()).expect("list").is_empty());
}

#[test]
fn acknowledge_fills_the_format_and_queues_the_portal_body() {
    let f = open();
    acknowledged(&f);
    let sen = store::get(f.store.conn(), &crate::common::sen_number("SOC-0123")).expect("get");
    assert_eq!(sen.status, SenStatus::Acknowledged);
    assert_eq!(sen.acknowledged_at, Some(t("2026-03-02T17:20:00Z")));
    assert_eq!(sen.ack_format.as_deref(), Some("investigating"));
    let text = "Receipt of SEN acknowledged, and Agency/state entity is investigating. Agency/state entity will provide status or investigative findings by end of day.";
    assert_eq!(sen.ack_text.as_deref(), Some(text));
    assert_eq!(
        outbox(&f),
        [(
            "acknowledgement".to_string(),
            "SOC-0123".to_string(),
            json!({"at": "2026-03-02T17:20:00.000000Z", "format": "investigating", "text": text}),
        )]
    );
    assert_eq!(events(&f, "SOC-0123"), ["created", "acknowledged"]);
}

#[test]
fn refused_acknowledgements_change_nothing() {
    let f = open();
    store::create(
        f.store.conn(),
        new_sen("SOC-0123", "high", "2026-03-02T17:00:00Z"),
        t("2026-03-02T17:01:00Z"),
        &crate::common::actor(),
    )
    .expect("create");
    let now = t("2026-03-02T17:10:00Z");
    let err = store::acknowledge(
        f.store.conn(),
        &crate::common::sen_number("SOC-0123"),
        "thanks",
        &values(&[]),
        now,
        &crate::common::actor(),
    )
    .expect_err("format");
    assert_eq!(err.fields()[0].field, "format");
    let err = store::acknowledge(
        f.store.conn(),
        &crate::common::sen_number("SOC-0123"),
        "remediation_completed",
        &values(&[]),
        now,
        &crate::common::actor(),
    )
    .expect_err("values");
    assert_eq!(err.fields()[0].field, "values.completed_on");
    let err = store::acknowledge(
        f.store.conn(),
        &crate::common::sen_number("SOC-9999"),
        "remediation_completed",
        &values(&[("completed_on", "today")]),
        now,
        &crate::common::actor(),
    )
    .expect_err("unknown SEN");
    assert_eq!(err.code(), "not_found");
    assert_eq!(store::get(f.store.conn(), &crate::common::sen_number("SOC-0123")).expect("get").status, SenStatus::New);
    assert!(outbox(&f).is_empty());

    store::acknowledge(
        f.store.conn(),
        &crate::common::sen_number("SOC-0123"),
        "remediation_completed",
        &values(&[("completed_on", "today")]),
        now,
        &crate::common::actor(),
    )
    .expect("ack");
    let err = store::acknowledge(
        f.store.conn(),
        &crate::common::sen_number("SOC-0123"),
        "remediation_completed",
        &values(&[("completed_on", "today")]),
        now,
        &crate::common::actor(),
    )
    .expect_err("twice");
    assert_eq!(err.code(), "conflict");
    assert!(err.to_string().contains("already acknowledged"), "{err}");
    assert_eq!(outbox(&f).len(), 1);
}

#[test]
fn determine_before_acknowledge_is_a_conflict() {
    let f = open();
    store::create(
        f.store.conn(),
        new_sen("SOC-0123", "high", "2026-03-02T17:00:00Z"),
        t("2026-03-02T17:01:00Z"),
        &crate::common::actor(),
    )
    .expect("create");
    let err = store::determine(
        f.store.conn(),
        &crate::common::sen_number("SOC-0123"),
        determination(Outcome::FalsePositive, None),
        t("2026-03-02T18:00:00Z"),
        &crate::common::actor(),
    )
    .expect_err("not acknowledged");
    assert_eq!(err.code(), "conflict");
    assert!(err.to_string().contains("acknowledge it before"), "{err}");
    assert_eq!(events(&f, "SOC-0123"), ["created"]);
}

#[test]
fn more_time_then_confirmed_then_linked() {
    let f = open();
    acknowledged(&f);
    let conn = f.store.conn();
    let err = store::determine(
        conn,
        &crate::common::sen_number("SOC-0123"),
        determination(Outcome::MoreTime, None),
        t("2026-03-02T18:00:00Z"),
        &crate::common::actor(),
    )
    .expect_err("no date");
    assert_eq!(err.fields()[0].field, "findings_by");
    let err = store::determine(
        conn,
        &crate::common::sen_number("SOC-0123"),
        determination(Outcome::MoreTime, Some("2026-03-02T17:59:00Z")),
        t("2026-03-02T18:00:00Z"),
        &crate::common::actor(),
    )
    .expect_err("past date");
    assert_eq!(err.fields()[0].field, "findings_by");
    let err = store::determine(
        conn,
        &crate::common::sen_number("SOC-0123"),
        Determination { details: " ".into(), ..determination(Outcome::FalsePositive, None) },
        t("2026-03-02T18:00:00Z"),
        &crate::common::actor(),
    )
    .expect_err("no details");
    assert_eq!(err.fields()[0].field, "details");

    let sen = store::determine(
        conn,
        &crate::common::sen_number("SOC-0123"),
        determination(Outcome::MoreTime, Some("2026-03-05T20:00:00Z")),
        t("2026-03-02T18:00:00Z"),
        &crate::common::actor(),
    )
    .expect("more time");
    assert_eq!((sen.status, sen.findings_by), (SenStatus::MoreTime, Some(t("2026-03-05T20:00:00Z"))));
    let err = store::link_report(
        conn,
        &crate::common::sen_number("SOC-0123"),
        &report_id("rep-1"),
        t("2026-03-02T18:05:00Z"),
        &crate::common::actor(),
    )
    .expect_err("not confirmed");
    assert_eq!(err.code(), "conflict");

    let sen = store::determine(
        conn,
        &crate::common::sen_number("SOC-0123"),
        determination(Outcome::ConfirmedIncident, None),
        t("2026-03-04T19:00:00Z"),
        &crate::common::actor(),
    )
    .expect("confirmed");
    assert_eq!((sen.status, sen.outcome), (SenStatus::Confirmed, Some(Outcome::ConfirmedIncident)));
    assert_eq!(sen.findings_by, Some(t("2026-03-05T20:00:00Z")), "the more-time date stays for the clock");
    let times = sen.times();
    assert_eq!(
        times.determination.map(|d| (d.at, d.findings_by)),
        Some((t("2026-03-04T19:00:00Z"), Some(t("2026-03-05T20:00:00Z"))))
    );

    let err = store::determine(
        conn,
        &crate::common::sen_number("SOC-0123"),
        determination(Outcome::FalsePositive, None),
        t("2026-03-04T19:10:00Z"),
        &crate::common::actor(),
    )
    .expect_err("twice");
    assert_eq!(err.code(), "conflict");
    assert!(err.to_string().contains("already has a determination (confirmed incident"), "{err}");

    let sen = store::link_report(
        conn,
        &crate::common::sen_number("SOC-0123"),
        &report_id("2b7c1a52-0000-4000-8000-000000000001"),
        t("2026-03-04T19:20:00Z"),
        &crate::common::actor(),
    )
    .expect("link");
    assert_eq!((sen.status, sen.closed_at), (SenStatus::Closed, Some(t("2026-03-04T19:20:00Z"))));
    let err = store::link_report(
        conn,
        &crate::common::sen_number("SOC-0123"),
        &report_id("another"),
        t("2026-03-04T19:30:00Z"),
        &crate::common::actor(),
    )
    .expect_err("twice");
    assert!(err.to_string().contains("already associated"), "{err}");

    let items = outbox(&f);
    let kinds: Vec<&str> = items.iter().map(|(k, _, _)| k.as_str()).collect();
    assert_eq!(kinds, ["acknowledgement", "determination", "determination", "incident_link"]);
    assert_eq!(
        items[1].2,
        json!({"at": "2026-03-02T18:00:00.000000Z", "outcome": "more_time", "details": "Checked the proxy logs.", "findings_by": "2026-03-05T20:00:00.000000Z"})
    );
    assert_eq!(
        items[2].2,
        json!({"at": "2026-03-04T19:00:00.000000Z", "outcome": "confirmed_incident", "details": "Checked the proxy logs."})
    );
    assert_eq!(items[3].2, json!({"report_id": "2b7c1a52-0000-4000-8000-000000000001"}));
    assert!(items.iter().all(|(_, record, _)| record == "SOC-0123"));
    assert_eq!(events(&f, "SOC-0123"), ["created", "acknowledged", "determined", "determined", "linked"]);
}

#[test]
fn false_positive_closes_and_cannot_be_linked() {
    let f = open();
    acknowledged(&f);
    let sen = store::determine(
        f.store.conn(),
        &crate::common::sen_number("SOC-0123"),
        determination(Outcome::FalsePositive, None),
        t("2026-03-02T18:00:00Z"),
        &crate::common::actor(),
    )
    .expect("false positive");
    assert_eq!((sen.status, sen.closed_at), (SenStatus::Closed, Some(t("2026-03-02T18:00:00Z"))));
    let err = store::determine(
        f.store.conn(),
        &crate::common::sen_number("SOC-0123"),
        determination(Outcome::ConfirmedIncident, Some("2026-03-09T00:00:00Z")),
        t("2026-03-02T18:10:00Z"),
        &crate::common::actor(),
    )
    .expect_err("findings date with a final outcome");
    assert_eq!(err.fields()[0].field, "findings_by");
    let err = store::link_report(
        f.store.conn(),
        &crate::common::sen_number("SOC-0123"),
        &report_id("rep-1"),
        t("2026-03-02T18:10:00Z"),
        &crate::common::actor(),
    )
    .expect_err("false positive");
    assert!(err.to_string().contains("false positive"), "{err}");
    assert!(store::list_open(f.store.conn()).expect("open").is_empty());
}

#[test]
fn history_is_append_only() {
    let f = open();
    acknowledged(&f);
    let conn = f.store.conn();
    let update = conn.execute("UPDATE sen_history SET event = 'forged'", []).expect_err("update refused");
    assert!(update.to_string().contains("append-only"), "{update}");
    let delete = conn.execute("DELETE FROM sen_history", []).expect_err("delete refused");
    assert!(delete.to_string().contains("append-only"), "{delete}");
    assert_eq!(events(&f, "SOC-0123"), ["created", "acknowledged"]);
}

#[test]
fn state_change_and_outbox_item_commit_together() {
    let f = open();
    store::create(
        f.store.conn(),
        new_sen("SOC-0123", "high", "2026-03-02T17:00:00Z"),
        t("2026-03-02T17:01:00Z"),
        &crate::common::actor(),
    )
    .expect("create");
    f.store.conn().execute_batch("ALTER TABLE outbox RENAME TO outbox_gone").expect("break the outbox");
    store::acknowledge(
        f.store.conn(),
        &crate::common::sen_number("SOC-0123"),
        "remediation_completed",
        &values(&[("completed_on", "today")]),
        t("2026-03-02T17:10:00Z"),
        &crate::common::actor(),
    )
    .expect_err("queueing fails");
    let sen = store::get(f.store.conn(), &crate::common::sen_number("SOC-0123")).expect("get");
    assert_eq!((sen.status, sen.acknowledged_at), (SenStatus::New, None), "rolled back");
    assert_eq!(events(&f, "SOC-0123"), ["created"]);
}

#[test]
fn portal_feed_creates_refreshes_and_never_touches_responses() {
    let f = open();
    acknowledged(&f);
    let feed: Vec<PortalSen> = serde_json::from_value(json!([
        {"sen_number": "SOC-0123", "level": "high", "sent_at": "2026-03-02T09:00:00-08:00", "summary": "Beaconing, updated", "status": "acknowledged"},
        {"sen_number": "SOC-0124", "level": "low", "sent_at": "2026-03-02T10:00:00-08:00", "summary": "Scan", "status": "open"},
        {"sen_number": "", "level": "critical", "sent_at": "2026-03-02T10:00:00-08:00"},
    ]))
    .expect("portal JSON");
    let sync = store::upsert_from_portal(f.store.conn(), &feed, t("2026-03-02T19:00:00Z"), &crate::common::actor())
        .expect("sync");
    assert_eq!(
        (sync.created.as_slice(), sync.updated.as_slice(), sync.unchanged),
        (&["SOC-0124".to_string()][..], &["SOC-0123".to_string()][..], 0)
    );
    assert_eq!(sync.rejected.len(), 1, "{:?}", sync.rejected);

    let kept = store::get(f.store.conn(), &crate::common::sen_number("SOC-0123")).expect("get");
    assert_eq!(kept.status, SenStatus::Acknowledged);
    assert_eq!(kept.acknowledged_at, Some(t("2026-03-02T17:20:00Z")));
    assert_eq!(kept.ack_format.as_deref(), Some("investigating"));
    assert_eq!((kept.summary.as_str(), kept.portal_status.as_deref()), ("Beaconing, updated", Some("acknowledged")));
    assert_eq!(kept.source, Source::Email);
    let low = store::get(f.store.conn(), &crate::common::sen_number("SOC-0124")).expect("get");
    assert_eq!((low.level.as_str(), low.source, low.sent_at), ("low", Source::Portal, t("2026-03-02T18:00:00Z")));

    let again =
        store::upsert_from_portal(f.store.conn(), &feed[..2], t("2026-03-02T19:05:00Z"), &crate::common::actor())
            .expect("sync again");
    assert_eq!((again.created.len(), again.updated.len(), again.unchanged), (0, 0, 2));
    assert_eq!(events(&f, "SOC-0123"), ["created", "acknowledged", "portal_update"]);
}

#[test]
fn board_shows_clocks_and_unknown_levels() {
    let f = open();
    let conn = f.store.conn();
    store::create(
        conn,
        new_sen("SOC-0200", "critical", "2026-03-02T17:00:00Z"),
        t("2026-03-02T17:01:00Z"),
        &crate::common::actor(),
    )
    .expect("create");
    store::create(
        conn,
        new_sen("SOC-0100", "low", "2026-03-02T16:00:00Z"),
        t("2026-03-02T17:01:00Z"),
        &crate::common::actor(),
    )
    .expect("create");
    let calendar = BusinessCalendar::default().compile().expect("calendar");
    let board = sen::board(conn, &calendar, EscalationClock::SameAsWindow, t("2026-03-02T17:30:00Z")).expect("board");
    let numbers: Vec<&str> = board.iter().map(|c| c.sen.sen_number.as_str()).collect();
    assert_eq!(numbers, ["SOC-0100", "SOC-0200"], "oldest first");
    assert!(board[0].schedule.is_none() && board[0].status.is_none());
    assert!(board[0].level.note.is_some());
    let status = board[1].status.as_ref().expect("critical has a clock");
    assert_eq!(status.stages[0].due, t("2026-03-02T18:00:00Z"));
    assert_eq!(status.stages[0].state, desk_core::sen::deadlines::StageState::DueIn { minutes: 30 });
    let json = serde_json::to_value(&board[1]).expect("serializes for IPC");
    assert_eq!(json["status"]["stages"][0]["state"], "due_in");
    assert_eq!(json["level"]["colour"], "red");
}

#[test]
fn settings_round_trip() {
    let f = open();
    assert_eq!(sen::load_settings(f.store.conn()).expect("load").escalation_clock, EscalationClock::SameAsWindow);
    sen::save_settings(
        f.store.conn(),
        sen::SenSettings { escalation_clock: EscalationClock::LiteralClockHours },
        t("2026-03-02T17:00:00Z"),
    )
    .expect("save");
    assert_eq!(sen::load_settings(f.store.conn()).expect("load").escalation_clock, EscalationClock::LiteralClockHours);
}

#[test]
fn unsaved_record_is_what_create_would_store_and_stores_nothing() {
    let f = open();
    let conn = f.store.conn();
    let now = t("2026-03-02T17:01:00Z");
    let preview = store::Sen::unsaved(new_sen(" soc-0777 ", "HIGH", "2026-03-02T17:00:00Z"), now).expect("valid");
    assert_eq!((preview.sen_number.as_str(), preview.level.as_str()), ("SOC-0777", "high"));
    assert_eq!(preview.status, SenStatus::New);
    assert!(store::list_all(conn).expect("list").is_empty(), "nothing stored");
    let refused = store::Sen::unsaved(new_sen("SOC-0778", "high", "2026-03-03T17:00:00Z"), now)
        .expect_err("a sent time a day ahead is refused, as create refuses it");
    assert_eq!(refused.fields()[0].field, "sent_at");
    let created =
        store::create(conn, new_sen("SOC-0777", "high", "2026-03-02T17:00:00Z"), now, &crate::common::actor())
            .expect("create");
    assert_eq!(created, preview, "the preview is the record create stores");
}

#[test]
fn cards_carry_their_times_in_the_calendar_zone() {
    let f = open();
    let conn = f.store.conn();
    // Friday 16:30 PST; due Monday after the spring-forward weekend (PDT).
    store::create(
        conn,
        new_sen("SOC-0300", "high", "2026-03-07T00:30:00Z"),
        t("2026-03-07T00:31:00Z"),
        &crate::common::actor(),
    )
    .expect("create");
    let calendar = BusinessCalendar::default().compile().expect("calendar");
    let board = sen::board(conn, &calendar, EscalationClock::SameAsWindow, t("2026-03-07T01:00:00Z")).expect("board");
    let local = &board[0].local;
    assert_eq!(local.time_zone, "America/Los_Angeles");
    assert_eq!(local.sent_at, "2026-03-06T16:30:00-08:00");
    let dues: Vec<&str> = local.stages.iter().map(|s| s.due.as_str()).collect();
    assert_eq!(dues, ["2026-03-09T09:30:00-07:00", "2026-03-09T13:30:00-07:00", "2026-03-09T14:30:00-07:00"]);
    let schedule = board[0].schedule.as_ref().expect("schedule");
    assert_eq!(local.escalations.len(), schedule.escalations.len());
    assert_eq!(local.escalations[0], "2026-03-09T09:30:00-07:00");
    assert_eq!(local.next_escalation.as_deref(), Some("2026-03-09T09:30:00-07:00"));
}

#[test]
fn intake_of_a_recorded_number_changes_nothing_and_says_so() {
    let f = open();
    let conn = f.store.conn();
    let actor = crate::common::actor();
    let dry = store::take_in(
        conn,
        new_sen("soc-0123", "high", "2026-03-02T17:00:00Z"),
        true,
        t("2026-03-02T17:05:00Z"),
        &actor,
    )
    .expect("dry run");
    assert!(matches!(dry, store::Intake::Unsaved(ref s) if s.sen_number == "SOC-0123"), "{dry:?}");
    assert!(store::list_all(conn).expect("list").is_empty(), "a dry run stores nothing");
    let first = match store::take_in(
        conn,
        new_sen("SOC-0123", "high", "2026-03-02T17:00:00Z"),
        false,
        t("2026-03-02T17:05:00Z"),
        &actor,
    )
    .expect("take in")
    {
        store::Intake::Recorded(sen) => sen,
        other => panic!("expected Recorded, got {other:?}"),
    };
    for dry_run in [true, false] {
        // The same number again, whatever else the notice says: the record as stored, unchanged.
        let again = store::take_in(
            conn,
            new_sen(" soc-0123", "critical", "2026-03-03T17:00:00Z"),
            dry_run,
            t("2026-03-03T17:05:00Z"),
            &actor,
        )
        .expect("again");
        assert_eq!(again, store::Intake::AlreadyRecorded(first.clone()), "dry run {dry_run}");
    }
    assert_eq!(events(&f, "SOC-0123"), ["created"]);
    assert!(store::already_recorded_message(&first).contains("SOC-0123 is already recorded"));
}

#[test]
fn recent_closed_lists_only_closed_sens_newest_first() {
    let f = open();
    let conn = f.store.conn();
    let actor = crate::common::actor();
    for (number, sent) in
        [("SOC-1", "2026-03-02T17:00:00Z"), ("SOC-2", "2026-03-03T17:00:00Z"), ("SOC-3", "2026-03-04T17:00:00Z")]
    {
        store::create(conn, new_sen(number, "high", sent), t("2026-03-05T00:00:00Z"), &actor).expect("create");
    }
    for number in ["SOC-1", "SOC-3"] {
        store::acknowledge(
            conn,
            &crate::common::sen_number(number),
            "investigating",
            &values(&[("findings_by", "end of day")]),
            t("2026-03-05T01:00:00Z"),
            &actor,
        )
        .expect("acknowledge");
        store::determine(
            conn,
            &crate::common::sen_number(number),
            Determination { outcome: Outcome::FalsePositive, details: "benign scanner".into(), findings_by: None },
            t("2026-03-05T02:00:00Z"),
            &actor,
        )
        .expect("determine");
    }
    let closed: Vec<String> =
        store::list_recent_closed(conn, 20).expect("closed").into_iter().map(|s| String::from(s.sen_number)).collect();
    assert_eq!(closed, ["SOC-3", "SOC-1"]);
    let one: Vec<String> =
        store::list_recent_closed(conn, 1).expect("closed").into_iter().map(|s| String::from(s.sen_number)).collect();
    assert_eq!(one, ["SOC-3"]);
}
