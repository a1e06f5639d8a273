//! Report store: autosave keeps what was typed, messages land on the right field, the history is
//! append-only and restorable, and search finds text.

use chrono::{DateTime, Duration, Utc};
use desk_core::profile::{Contact, Entity, Profile};
use desk_core::report::{self, ListQuery, ReportId, State};
use desk_core::Store;
use serde_json::{json, Value};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-03-01T17:00:00Z").expect("time").with_timezone(&Utc)
}

fn profile() -> Profile {
    Profile {
        entity: Entity { name: "Department of Examples".into(), address: "1 Capitol Mall, Sacramento".into() },
        reporting_person: Contact {
            name: "Rita Reporter".into(),
            address: String::new(),
            email: "rita@example.ca.gov".into(),
            phones: vec!["(916) 555-0101".into()],
        },
        iso: Contact { name: "Ada ISO".into(), email: "ada@example.ca.gov".into(), ..Contact::default() },
        ..Profile::default()
    }
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("open");
    (dir, store)
}

#[test]
fn a_new_draft_is_prefilled_from_the_profile() {
    let (_dir, store) = store();
    let r = report::create_draft(store.conn(), &profile(), now(), &crate::common::actor()).expect("create");
    assert_eq!(r.state, State::Draft);
    assert_eq!(r.revision, 1);
    assert!(uuid::Uuid::parse_str(r.report_id.as_str()).is_ok());
    assert_eq!(r.doc.entity.name, "Department of Examples");
    assert_eq!(r.doc.reporting_person.phones, ["(916) 555-0101"]);
    assert_eq!(r.doc.iso.name, "Ada ISO");
    assert_eq!(report::get(store.conn(), &r.report_id).expect("get"), r);
}

/// Sets `value` at `path` on a fresh draft; the value must be stored as typed and `message_part`
/// must appear in a message on `path` (or no message when `None`).
fn check(path: &str, value: Value, message_part: Option<&str>) {
    let (_dir, store) = store();
    let conn = store.conn();
    let id = report::create_draft(conn, &profile(), now(), &crate::common::actor()).expect("create").report_id;
    report::add_row(conn, &id, "computers", now(), &crate::common::actor()).expect("row");
    let saved = report::set_field(conn, &id, path, value.clone(), now(), &crate::common::actor()).expect(path);
    let on_field: Vec<&str> =
        saved.status.check.field_errors.iter().filter(|e| e.field == path).map(|e| e.message.as_str()).collect();
    match message_part {
        Some(part) => {
            assert!(on_field.iter().any(|m| m.contains(part)), "{path}={value}: {:?}", saved.status.check.field_errors)
        }
        None => assert!(on_field.is_empty(), "{path}={value}: {on_field:?}"),
    }
    // The draft keeps what was typed, whatever the verdict.
    let stored = report::get(conn, &id).expect("get").doc.to_value().expect("json");
    let pointer = format!("/{}", path.replace('.', "/"));
    assert_eq!(stored.pointer(&pointer), Some(&value), "{path}");
}

#[test]
fn bad_values_are_kept_and_named_on_their_field() {
    check("computers.0.ip", json!("10.0.0.256"), Some("not an IPv4 or IPv6 address"));
    check("computers.0.ip", json!("10.0.0.25"), None);
    check("network.source_ip", json!("2001:db8::zz"), Some("not an IPv4 or IPv6 address"));
    check("network.destination_ip", json!("2001:db8::1"), None);
    check("network.source_port", json!("0"), Some("1 to 65535"));
    check("network.destination_port", json!("65536"), Some("1 to 65535"));
    check("network.destination_port", json!("443"), None);
    check("network.source_port", json!("80a"), Some("1 to 65535"));
    check("incident.discovered_at", json!("2024-03-01T18:00:00Z"), Some("in the future"));
    check("incident.discovered_at", json!("2024-03-01T08:30:00-08:00"), None);
    check("incident.discovered_at", json!("yesterday at 9"), Some("not a date and time"));
    check("incident.discovered_at", json!("2024-03-01T09:30:00"), Some("time zone"));
    check("reporting_person.email", json!("rita at example"), Some("not an e-mail address"));
    check("iso.phones", json!(["(916) 555-0100", "call me"]), Some("not a phone number"));
    check("entity.name", json!("x".repeat(201)), Some("too long"));
    check("incident.description", json!("d".repeat(50_000)), None);
    check("incident.description", json!("d".repeat(50_001)), Some("too long"));
    check("personal_info.residents_to_notify", json!("many"), None); // hidden until PI = yes
    check("federal.category", json!("cat_9"), Some("not one of the options"));
    check("computers.0.hostname", json!("ws\u{7}bell"), Some("control characters"));
}

#[test]
fn occurred_after_discovered_is_an_error_on_occurred() {
    let (_dir, store) = store();
    let conn = store.conn();
    let id = report::create_draft(conn, &profile(), now(), &crate::common::actor()).expect("create").report_id;
    report::set_field(
        conn,
        &id,
        "incident.discovered_at",
        json!("2024-03-01T08:00:00-08:00"),
        now(),
        &crate::common::actor(),
    )
    .expect("set");
    let saved = report::set_field(
        conn,
        &id,
        "incident.occurred_at",
        json!("2024-03-01T08:30:00-08:00"),
        now(),
        &crate::common::actor(),
    )
    .expect("set");
    assert_eq!(saved.status.check.field_errors.len(), 1, "{:?}", saved.status.check.field_errors);
    assert_eq!(saved.status.check.field_errors[0].field, "incident.occurred_at");
    let saved = report::set_field(conn, &id, "incident.occurred_unknown", json!(true), now(), &crate::common::actor())
        .expect("set");
    assert!(saved.status.check.field_errors.is_empty(), "unknown occurrence: the typed time is not judged");
}

#[test]
fn hidden_fields_appear_with_their_condition() {
    let (_dir, store) = store();
    let conn = store.conn();
    let id = report::create_draft(conn, &profile(), now(), &crate::common::actor()).expect("create").report_id;
    report::set_field(conn, &id, "personal_info.residents_to_notify", json!("many"), now(), &crate::common::actor())
        .expect("set");
    let saved = report::set_field(conn, &id, "personal_info.involved", json!("yes"), now(), &crate::common::actor())
        .expect("set");
    assert!(saved.status.check.field_errors.iter().any(|e| e.field == "personal_info.residents_to_notify"));
    assert!(saved.status.check.missing_recommended.iter().any(|m| m.field == "personal_info.types"));
}

#[test]
fn readiness_lists_required_and_recommended() {
    let (_dir, store) = store();
    let conn = store.conn();
    let id = report::create_draft(conn, &Profile::default(), now(), &crate::common::actor()).expect("create").report_id;
    let saved = report::set_field(conn, &id, "incident.description", json!("Phishing"), now(), &crate::common::actor())
        .expect("set");
    let required: Vec<&str> = saved.status.check.missing_required.iter().map(|m| m.field.as_str()).collect();
    assert_eq!(required, ["entity.name", "reporting_person.name", "reporting_person.phones", "incident.discovered_at"]);
    let recommended: Vec<&str> = saved.status.check.missing_recommended.iter().map(|m| m.field.as_str()).collect();
    for expected in ["incident.occurred_at", "categories", "federal.category", "personal_info.involved"] {
        assert!(recommended.contains(&expected), "{expected} in {recommended:?}");
    }
    assert!(!recommended.contains(&"computers"), "no theft or crime ticked");
    let saved =
        report::set_field(conn, &id, "categories.criminal_activity", json!(true), now(), &crate::common::actor())
            .expect("set");
    let recommended: Vec<&str> = saved.status.check.missing_recommended.iter().map(|m| m.field.as_str()).collect();
    assert!(recommended.contains(&"computers"), "theft or crime: affected computers recommended");
    assert!(!recommended.contains(&"categories"));
    let saved = report::add_row(conn, &id, "computers", now(), &crate::common::actor()).expect("row");
    assert_eq!(saved.row.as_deref(), Some("computers.0"));
    assert!(saved.status.check.missing_recommended.iter().any(|m| m.field == "computers.0.serial_number"));
}

#[test]
fn markup_is_stored_and_exported_as_text() {
    let (_dir, store) = store();
    let conn = store.conn();
    let id = report::create_draft(conn, &profile(), now(), &crate::common::actor()).expect("create").report_id;
    let markup = "<img src=x onerror=alert(1)> & <script>alert('x')</script> \"quoted\"";
    let saved = report::set_field(conn, &id, "incident.description", json!(markup), now(), &crate::common::actor())
        .expect("set");
    assert!(saved.status.check.field_errors.is_empty(), "markup is plain text: {:?}", saved.status.check.field_errors);
    assert_eq!(report::get(conn, &id).expect("get").doc.incident.description, markup);
    let exported = report::export(conn, &id).expect("export");
    let file: Value = serde_json::from_str(&exported).expect("json");
    assert_eq!(file["report"]["incident"]["description"], markup);
    let copy = report::import(conn, &exported, now(), &crate::common::actor()).expect("import");
    assert_eq!(copy.doc.incident.description, markup);
    assert!(report::phone_summary(&copy).contains(markup));
}

#[test]
fn unknown_paths_and_missing_rows_are_refused_and_nothing_is_written() {
    let (_dir, store) = store();
    let conn = store.conn();
    let id = report::create_draft(conn, &profile(), now(), &crate::common::actor()).expect("create").report_id;
    for (path, value) in
        [("incident.nope", json!("x")), ("computers.0.ip", json!("10.0.0.1")), ("report_id", json!("x"))]
    {
        let err = report::set_field(conn, &id, path, value, now(), &crate::common::actor()).expect_err(path);
        assert_eq!(err.code(), "invalid");
        assert_eq!(err.fields()[0].field, path);
    }
    assert_eq!(report::get(conn, &id).expect("get").revision, 1);
    assert_eq!(
        report::set_field(
            conn,
            &ReportId::parse("no-such-report").expect("id"),
            "incident.description",
            json!("x"),
            now(),
            &crate::common::actor()
        )
        .expect_err("missing")
        .code(),
        "not_found"
    );
}

#[test]
fn history_is_field_level_append_only_and_restorable() {
    let (_dir, store) = store();
    let conn = store.conn();
    let id = report::create_draft(conn, &profile(), now(), &crate::common::actor()).expect("create").report_id;
    report::set_field(conn, &id, "incident.description", json!("first"), now(), &crate::common::actor()).expect("set"); // 2
    report::add_row(conn, &id, "computers", now(), &crate::common::actor()).expect("row"); // 3
    report::set_field(conn, &id, "computers.0.hostname", json!("ws-1"), now(), &crate::common::actor()).expect("set"); // 4
    report::set_field(conn, &id, "incident.description", json!("second"), now(), &crate::common::actor()).expect("set"); // 5
    let unchanged =
        report::set_field(conn, &id, "incident.description", json!("second"), now(), &crate::common::actor())
            .expect("same");
    assert_eq!(unchanged.revision, 5, "an unchanged value writes nothing");

    let history = report::revisions(conn, &id).expect("revisions");
    let kinds: Vec<(&str, Option<&str>)> = history.iter().map(|r| (r.kind.as_str(), r.field.as_deref())).collect();
    assert_eq!(
        kinds,
        [
            ("created", None),
            ("set", Some("incident.description")),
            ("add_row", Some("computers")),
            ("set", Some("computers.0.hostname")),
            ("set", Some("incident.description")),
        ]
    );
    assert_eq!(history[4].value, Some(json!("second")));

    for sql in ["UPDATE report_revisions SET value = '\"x\"'", "DELETE FROM report_revisions"] {
        let err = conn.execute(sql, []).expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }

    assert_eq!(report::document_at(conn, &id, 2).expect("at 2").incident.description, "first");
    assert!(report::document_at(conn, &id, 2).expect("at 2").computers.is_empty());
    let restored = report::restore_revision(conn, &id, 2, now(), &crate::common::actor()).expect("restore");
    assert_eq!(restored.revision, 6, "a restore is a new revision");
    let r = report::get(conn, &id).expect("get");
    assert_eq!(r.doc.incident.description, "first");
    assert!(r.doc.computers.is_empty());
    assert_eq!(report::revisions(conn, &id).expect("revisions").len(), 6);
    assert_eq!(report::document_at(conn, &id, 5).expect("at 5").incident.description, "second");
    assert_eq!(
        report::restore_revision(conn, &id, 99, now(), &crate::common::actor()).expect_err("no such").code(),
        "invalid"
    );
}

#[test]
fn long_histories_rebuild_from_snapshots() {
    let (_dir, store) = store();
    let conn = store.conn();
    let id = report::create_draft(conn, &profile(), now(), &crate::common::actor()).expect("create").report_id;
    for i in 0..250 {
        report::set_field(
            conn,
            &id,
            "incident.description",
            json!(format!("text {i}")),
            now(),
            &crate::common::actor(),
        )
        .expect("set");
    }
    assert_eq!(report::document_at(conn, &id, 2).expect("at").incident.description, "text 0");
    assert_eq!(report::document_at(conn, &id, 151).expect("at").incident.description, "text 149");
    assert_eq!(report::document_at(conn, &id, 251).expect("at").incident.description, "text 249");
}

#[test]
fn search_finds_text_and_follows_edits() {
    let (_dir, store) = store();
    let conn = store.conn();
    let a = report::create_draft(conn, &profile(), now(), &crate::common::actor()).expect("a").report_id;
    let b = report::create_draft(conn, &profile(), now() + Duration::seconds(1), &crate::common::actor())
        .expect("b")
        .report_id;
    report::set_field(
        conn,
        &a,
        "incident.description",
        json!("Ransomware on the payroll server"),
        now(),
        &crate::common::actor(),
    )
    .expect("set");
    report::add_row(conn, &b, "computers", now(), &crate::common::actor()).expect("row");
    report::set_field(conn, &b, "computers.0.hostname", json!("LAPTOP-ÉTÉ-42"), now(), &crate::common::actor())
        .expect("set");
    let find = |text: &str| -> Vec<ReportId> {
        report::list(conn, &ListQuery { text: Some(text.into()), ..ListQuery::default() })
            .expect("list")
            .into_iter()
            .map(|s| s.report_id)
            .collect()
    };
    assert_eq!(find("ransom"), std::slice::from_ref(&a));
    assert_eq!(find("payroll ransomware"), std::slice::from_ref(&a));
    assert_eq!(find("laptop-ete"), std::slice::from_ref(&b));
    assert!(find("\"unbalanced AND (").is_empty(), "typed FTS syntax is literal text");
    assert_eq!(find("examples").len(), 2);
    report::set_field(conn, &a, "incident.description", json!("Lost laptop"), now(), &crate::common::actor())
        .expect("set");
    assert!(find("ransomware").is_empty(), "the index follows edits");
    // Autosave marks the report for indexing; the search indexes it, and then nothing is left.
    report::set_field(conn, &b, "computers.0.hostname", json!("KIOSK-7"), now(), &crate::common::actor()).expect("set");
    assert_eq!(find("kiosk"), std::slice::from_ref(&b));
    assert_eq!(report::refresh_search_index(conn).expect("refresh"), 0, "the search indexed what autosave marked");
    let all = report::list(conn, &ListQuery::default()).expect("list");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].title, "Lost laptop");
    let ready_only =
        report::list(conn, &ListQuery { state: Some(State::Ready), ..ListQuery::default() }).expect("list");
    assert!(ready_only.is_empty());
}

#[test]
fn rows_can_be_removed_and_the_limit_holds() {
    let (_dir, store) = store();
    let conn = store.conn();
    let id = report::create_draft(conn, &profile(), now(), &crate::common::actor()).expect("create").report_id;
    for _ in 0..3 {
        report::add_row(conn, &id, "computers", now(), &crate::common::actor()).expect("row");
    }
    report::set_field(conn, &id, "computers.2.hostname", json!("third"), now(), &crate::common::actor()).expect("set");
    report::remove_row(conn, &id, "computers.0", now(), &crate::common::actor()).expect("remove");
    let r = report::get(conn, &id).expect("get");
    assert_eq!(r.doc.computers.len(), 2);
    assert_eq!(r.doc.computers[1].hostname, "third");
    assert_eq!(
        report::remove_row(conn, &id, "computers.7", now(), &crate::common::actor()).expect_err("no row").fields()[0]
            .field,
        "computers.7"
    );
    assert_eq!(
        report::add_row(conn, &id, "network", now(), &crate::common::actor()).expect_err("not a list").code(),
        "invalid"
    );
}

#[test]
fn the_history_log_pages_newest_first_with_short_previews() {
    let (_dir, store) = store();
    let conn = store.conn();
    let id = report::create_draft(conn, &profile(), now(), &crate::common::actor()).expect("create").report_id;
    let long = format!("{}THE END", "x".repeat(500));
    report::set_field(conn, &id, "incident.description", json!(long), now(), &crate::common::actor()).expect("set"); // 2
    report::set_field(conn, &id, "categories.media_coverage", json!(true), now(), &crate::common::actor())
        .expect("set"); // 3
    report::set_field(conn, &id, "iso.phones", json!("(916) 555-0100; (916) 555-0199"), now(), &crate::common::actor())
        .expect("set"); // 4
    report::restore_revision(conn, &id, 2, now(), &crate::common::actor()).expect("restore"); // 5

    let page = report::revision_log(conn, &id, None, 3).expect("log");
    let revisions: Vec<i64> = page.iter().map(|e| e.revision).collect();
    assert_eq!(revisions, [5, 4, 3]);
    assert_eq!(page[0].kind, "restore");
    assert_eq!(page[0].preview.as_deref(), Some("2"));
    assert_eq!(page[1].preview.as_deref(), Some("(916) 555-0100; (916) 555-0199"));
    assert_eq!(page[2].preview.as_deref(), Some("true"));
    let older = report::revision_log(conn, &id, Some(3), 10).expect("older");
    assert_eq!(older.iter().map(|e| e.revision).collect::<Vec<_>>(), [2, 1]);
    let description = older[0].preview.as_deref().expect("preview");
    assert_eq!(description.chars().count(), report::store::PREVIEW_CHARS);
    assert!(description.starts_with('\u{2026}') && description.ends_with("THE END"), "{description}");
    assert_eq!(older[1].kind, "created");
    assert_eq!(older[1].preview, None);
    assert_eq!(
        report::revision_log(conn, &ReportId::parse("nope").expect("id"), None, 10).expect_err("missing").code(),
        "not_found"
    );
}

#[test]
fn the_list_carries_the_cal_csirs_due_time() {
    let (_dir, store) = store();
    let conn = store.conn();
    let id = report::create_draft(conn, &profile(), now(), &crate::common::actor()).expect("create").report_id;
    assert_eq!(report::list(conn, &ListQuery::default()).expect("list")[0].cal_csirs_due_at, None);
    report::set_field(
        conn,
        &id,
        "incident.discovered_at",
        json!("2024-03-01T08:30:00-08:00"),
        now(),
        &crate::common::actor(),
    )
    .expect("set");
    let listed = report::list(conn, &ListQuery::default()).expect("list");
    let due = DateTime::parse_from_rfc3339("2024-03-01T17:30:00Z").expect("time").with_timezone(&Utc);
    assert_eq!(listed[0].cal_csirs_due_at, Some(due));
}
