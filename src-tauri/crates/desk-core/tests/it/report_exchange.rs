//! Report outputs: export → import → export is byte-identical (property), bad files are refused
//! naming the field with nothing stored, the phone summary and PDF read well, tasks and deadlines.

use chrono::{DateTime, Duration, Utc};
use desk_core::profile::{Contact, Entity, Profile};
use desk_core::report::doc::{Computer, ReportDoc};
use desk_core::report::{self, exchange, schema, Timeframe};
use desk_core::Store;
use proptest::prelude::*;
use rusqlite::Connection;
use serde_json::json;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-03-01T17:00:00Z").expect("time").with_timezone(&Utc)
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("open");
    (dir, store)
}

fn count(conn: &Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM reports", [], |r| r.get(0)).expect("count")
}

// ---- generated reports -------------------------------------------------------------------

fn text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::string::string_regex(&format!("[^\\p{{Cc}}]{{0,{max}}}")).expect("regex"),
        1 => Just("<img src=x onerror=alert(1)> & \"q\" \\ \u{1F600}".to_string()),
        1 => Just(String::new()),
    ]
}

fn multiline() -> impl Strategy<Value = String> {
    proptest::collection::vec(text(50), 0..4).prop_map(|lines| lines.join("\n"))
}

fn email() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[a-z]{1,8}(\\.[a-z]{1,5})?@[a-z]{2,8}\\.ca\\.gov"]
}

fn phones() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec("\\(9[0-9]{2}\\) [0-9]{3}-[0-9]{4}( x[0-9]{1,3})?", 0..3)
}

fn contact() -> impl Strategy<Value = Contact> {
    (text(40), text(60), email(), phones()).prop_map(|(name, address, email, phones)| Contact {
        name,
        address,
        email,
        phones,
    })
}

fn ip() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        any::<std::net::Ipv4Addr>().prop_map(|a| a.to_string()),
        any::<std::net::Ipv6Addr>().prop_map(|a| a.to_string()),
    ]
}

fn port() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), (1u32..=65535).prop_map(|p| p.to_string())]
}

fn computer() -> impl Strategy<Value = Computer> {
    (text(30), text(20), text(20), ip(), text(30), text(40), text(30), text(20), text(30)).prop_map(
        |(make_model, serial_number, asset_number, ip, hostname, os, location, function, antivirus)| Computer {
            make_model,
            serial_number,
            asset_number,
            ip,
            hostname,
            os,
            location,
            function,
            antivirus,
        },
    )
}

/// A past time with a random offset, and an earlier one.
fn times() -> impl Strategy<Value = (Option<String>, Option<String>, bool)> {
    (0i64..5_000_000, 0i64..500_000, -12i32..=12, any::<bool>(), any::<bool>()).prop_map(
        |(ago, before, zone, known, unknown)| {
            let zone = chrono::FixedOffset::east_opt(zone * 3600).expect("offset");
            let discovered = now() - Duration::minutes(ago);
            let occurred = discovered - Duration::minutes(before);
            (
                known.then(|| occurred.with_timezone(&zone).to_rfc3339()),
                known.then(|| discovered.with_timezone(&zone).to_rfc3339()),
                unknown,
            )
        },
    )
}

fn report_doc() -> impl Strategy<Value = ReportDoc> {
    let people = ((text(40), text(60)), contact(), contact(), contact());
    let incident = (multiline(), times(), multiline());
    let flags = proptest::collection::vec(any::<bool>(), 14);
    let category = prop_oneof![Just(String::new()), (0..7).prop_map(|n| format!("cat_{n}"))];
    let computers = proptest::collection::vec(computer(), 0..4);
    let network = (ip(), port(), "[A-Z]{0,5}", ip(), port(), "[A-Z]{0,5}");
    let response = (multiline(), multiline(), multiline());
    let pi = (
        prop_oneof![Just(""), Just("yes"), Just("no"), Just("unknown")],
        text(40),
        prop_oneof![Just(String::new()), "[0-9]{1,6}"],
    );
    let sen = prop_oneof![Just(String::new()), "SOC-[0-9]{4}"];
    (people, incident, flags, category, computers, network, response, pi, sen).prop_map(
        |(people, incident, f, category, computers, network, response, pi, sen)| {
            let mut doc = ReportDoc {
                entity: Entity { name: people.0 .0, address: people.0 .1 },
                reporting_person: people.1,
                iso: people.2,
                alternate: people.3,
                ..ReportDoc::default()
            };
            let (description, (occurred, discovered, unknown), actions) = incident;
            doc.incident.description = description;
            doc.incident.occurred_at = occurred;
            doc.incident.discovered_at = discovered;
            doc.incident.occurred_unknown = unknown;
            doc.incident.actions_taken = actions;
            let c = &mut doc.categories;
            (c.loss_or_compromise, c.criminal_activity, c.media_coverage) = (f[0], f[1], f[2]);
            let k = &mut c.criminal;
            (k.unauthorized_access, k.attacks, k.inappropriate_use) = (f[3], f[4], f[5]);
            (k.outage_over_2_hours, k.theft_or_destruction, k.policy_violation) = (f[6], f[7], f[8]);
            doc.federal.category = category;
            let fed = &mut doc.federal;
            (fed.cat2_ongoing_unmitigated, fed.cat3_widespread, fed.cat3_quarantined_by_av, fed.cat5_classified) =
                (f[9], f[10], f[11], f[12]);
            doc.computers = computers;
            let n = &mut doc.network;
            (
                n.source_ip,
                n.source_port,
                n.source_protocol,
                n.destination_ip,
                n.destination_port,
                n.destination_protocol,
            ) = network;
            (doc.response.detection_method, doc.response.impact, doc.response.resolution) = response;
            doc.personal_info.involved = pi.0.to_string();
            doc.personal_info.types = pi.1;
            doc.personal_info.residents_to_notify = pi.2;
            doc.sen.sen_number = sen;
            doc
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn export_import_export_is_byte_identical(doc in report_doc()) {
        let (_dir, store) = store();
        let conn = store.conn();
        let file = exchange::export_doc(&doc).expect("export");
        let first = report::import(conn, &file, now(), &crate::common::actor()).expect("import generated");
        prop_assert_eq!(&first.doc, &doc);
        let exported = report::export(conn, &first.report_id).expect("export");
        prop_assert_eq!(&exported, &file);
        let second = report::import(conn, &exported, now(), &crate::common::actor()).expect("import exported");
        prop_assert_ne!(&second.report_id, &first.report_id);
        prop_assert_eq!(report::export(conn, &second.report_id).expect("export again"), exported);
    }
}

#[test]
fn export_is_canonical_and_imports_as_a_new_draft() {
    let (_dir, store) = store();
    let conn = store.conn();
    let r = report::create_draft(conn, &Profile::default(), now(), &crate::common::actor()).expect("create");
    report::set_field(
        conn,
        &r.report_id,
        "incident.description",
        json!("Stolen laptop"),
        now(),
        &crate::common::actor(),
    )
    .expect("set");
    let text = report::export(conn, &r.report_id).expect("export");
    assert!(text
        .starts_with("{\n  \"format\": \"incident-desk/report\",\n  \"version\": 1,\n  \"report\": {\n    \"entity\""));
    assert!(text.ends_with("}\n"));
    assert!(!text.contains(r.report_id.as_str()), "identity stays with the desk that filed it");
    let copy = report::import(conn, &text, now(), &crate::common::actor()).expect("import");
    assert_eq!(copy.state, report::State::Draft);
    assert_eq!(copy.revision, 1);
    assert_eq!(report::revisions(conn, &copy.report_id).expect("revisions")[0].kind, "imported");
}

/// Imports `file`; must be refused on `field` with `message_part`, and store nothing.
fn check_refused(file: &str, field: &str, message_part: &str) {
    let (_dir, store) = store();
    let conn = store.conn();
    let err = report::import(conn, file, now(), &crate::common::actor()).expect_err(file);
    assert_eq!(err.code(), "invalid", "{err}");
    let first = &err.fields()[0];
    assert_eq!(first.field, field, "{err}");
    assert!(first.message.contains(message_part), "{first}");
    assert_eq!(count(conn), 0, "nothing stored");
}

#[test]
fn bad_files_are_refused_naming_the_field() {
    let wrap = |report: &str| format!("{{\"format\": \"incident-desk/report\", \"version\": 1, \"report\": {report}}}");
    check_refused("{\n  \"format\": \"incident-desk/report\",\n  \"report\": {,\n}", "", "line 3 column");
    check_refused("[1, 2", "", "line 1 column");
    check_refused(
        "{\"format\": \"something-else\", \"version\": 1, \"report\": {}}",
        "format",
        "not an Incident Desk report",
    );
    check_refused(
        "{\"format\": \"incident-desk/report\", \"version\": 7, \"report\": {}}",
        "version",
        "unsupported version",
    );
    check_refused(&wrap("{\"computers\": [{\"ip\": 5}]}"), "computers.0.ip", "invalid type");
    check_refused(&wrap("{\"incident\": {\"surprise\": \"x\"}}"), "incident.surprise", "unknown field");
    check_refused(&wrap("{\"categories\": {\"attacks\": true}}"), "categories.attacks", "unknown field");
    check_refused(&wrap("{\"computers\": [{}, {\"ip\": \"10.0.0.300\"}]}"), "computers.1.ip", "not an IPv4");
    check_refused(&wrap("{\"network\": {\"source_port\": \"65536\"}}"), "network.source_port", "1 to 65535");
    check_refused(
        &wrap("{\"incident\": {\"discovered_at\": \"2030-01-01T00:00:00Z\"}}"),
        "incident.discovered_at",
        "future",
    );
    check_refused(
        &wrap(&format!("{{\"incident\": {{\"description\": \"{}\"}}}}", "x".repeat(50_001))),
        "incident.description",
        "too long",
    );
}

// ---- outputs -----------------------------------------------------------------------------

fn full_report(conn: &Connection, computers: usize) -> report::Report {
    let profile = Profile {
        entity: Entity { name: "Department of Examples".into(), address: "1 Capitol Mall, Sacramento".into() },
        reporting_person: Contact {
            name: "Rita Reporter".into(),
            phones: vec!["(916) 555-0101".into()],
            ..Contact::default()
        },
        iso: Contact { name: "Ada ISO".into(), email: "ada@example.ca.gov".into(), ..Contact::default() },
        ..Profile::default()
    };
    let id = report::create_draft(conn, &profile, now(), &crate::common::actor()).expect("create").report_id;
    let set = |path: &str, value: serde_json::Value| {
        report::set_field(conn, &id, path, value, now(), &crate::common::actor()).expect(path);
    };
    set("incident.description", json!(format!("Laptop stolen from a car. {}", "Details follow. ".repeat(400))));
    set("incident.discovered_at", json!("2024-03-01T08:10:00-08:00"));
    set("incident.occurred_unknown", json!(true));
    set("categories.criminal_activity", json!(true));
    set("categories.criminal.theft_or_destruction", json!(true));
    set("federal.category", json!("cat_1"));
    set("personal_info.involved", json!("yes"));
    set("personal_info.residents_to_notify", json!("1200"));
    for i in 0..computers {
        report::add_row(conn, &id, "computers", now(), &crate::common::actor()).expect("row");
        set(&format!("computers.{i}.hostname"), json!(format!("LT-{i:03}")));
        set(&format!("computers.{i}.ip"), json!(format!("10.0.{}.{}", i / 200, i % 200 + 1)));
    }
    report::get(conn, &id).expect("get")
}

#[test]
fn phone_summary_is_ordered_short_and_calls_out_what_is_missing() {
    let (_dir, store) = store();
    let r = full_report(store.conn(), 7);
    let text = report::phone_summary(&r);
    let order = [
        "(916) 445-5239",
        "(916) 843-4199",
        "1. Entity: Department of Examples",
        "2. Reporting person: Rita Reporter \u{2014} (916) 555-0101",
        "Discovered: 2024-03-01 08:10 -08:00 (Cal-CSIRS 60-minute deadline 2024-03-01 09:10 -08:00)",
        "Occurred: unknown",
        "Criminal activity (theft or destruction of government property)",
        "CAT 1 \u{2014} Unauthorized Access, within 1 hour of discovery",
        "What happened: Laptop stolen",
        "Affected computers: 7: LT-000 10.0.0.1",
        "and 2 more",
        "YES, 1200 California residents to notify",
        "Not known yet:",
        "To do: Send a sample copy",
    ];
    let mut at = 0;
    for part in order {
        let found = text[at..].find(part).unwrap_or_else(|| panic!("{part:?} after byte {at} in:\n{text}"));
        at += found + part.len();
    }
    assert!(text.contains("Make / model (computer 1)"), "{text}");
    assert!(text.lines().count() < 40, "short: {text}");
    assert!(!text.contains("MISSING (required)"));
    let (_dir, store) = self::store();
    let empty =
        report::create_draft(store.conn(), &Profile::default(), now(), &crate::common::actor()).expect("create");
    let text = report::phone_summary(&empty);
    assert!(text.contains("MISSING (required): Reporting entity entity name"), "{text}");
    assert!(text.contains("Discovered at"), "{text}");
}

#[test]
fn tasks_for_personal_information() {
    let mut doc = ReportDoc::default();
    let ids = |doc: &ReportDoc| report::tasks(doc).into_iter().map(|t| t.id).collect::<Vec<_>>();
    assert!(ids(&doc).is_empty());
    doc.personal_info.involved = "yes".into();
    doc.personal_info.residents_to_notify = "500".into();
    assert_eq!(ids(&doc), ["ciso_review_of_notice"]);
    doc.personal_info.residents_to_notify = "501".into();
    assert_eq!(ids(&doc), ["ciso_review_of_notice", "send_sample_notice_to_ag"]);
    doc.personal_info.involved = "unknown".into();
    assert_eq!(ids(&doc), ["determine_personal_info"]);
}

#[test]
fn status_carries_deadlines_with_the_seed_words() {
    let (_dir, store) = store();
    let r = full_report(store.conn(), 0);
    let status = r.status(now());
    let discovered = DateTime::parse_from_rfc3339("2024-03-01T16:10:00Z").expect("t").with_timezone(&Utc);
    assert_eq!(status.deadlines.cal_csirs.due_at, Some(discovered + Duration::minutes(60)));
    let federal = status.deadlines.federal.expect("federal");
    assert_eq!(federal.timeframe, Timeframe::WithinHours { hours: 1 });
    assert_eq!(federal.words, "Within one (1) hour of discovery/detection.");
    let json = serde_json::to_value(r.status(now())).expect("json");
    assert_eq!(json["deadlines"]["federal"]["timeframe"], json!({"kind": "within_hours", "hours": 1}));
    assert!(json["missing_recommended"].is_array());
}

#[test]
fn pdf_is_a_readable_multi_page_document() {
    let (_dir, store) = store();
    let r = full_report(store.conn(), 50);
    let mut bytes = Vec::new();
    report::write_pdf(&r, &mut bytes).expect("pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(bytes.ends_with(b"%%EOF") || bytes.ends_with(b"%%EOF\n"));
    let text = String::from_utf8_lossy(&bytes);
    let pages = text.matches("/Type /Page\n").count()
        + text.matches("/Type /Page ").count()
        + text.matches("/Type /Page>").count();
    assert!(text.contains("/Helvetica-Bold"));
    assert!(text.contains("Incident report") && text.contains("Cal-CSIRS"), "title shown");
    assert!(text.contains("(LT-049)"), "the last computer is printed");
    assert!(text.contains("page 1 of"), "footer");
    let count: usize = text
        .split("/Count ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .expect("page count");
    assert!(count >= 5, "50 computers and a long description take pages: {count} (objects {pages})");
}

#[test]
fn the_schema_serializes_for_the_ui() {
    let json = serde_json::to_value(schema::schema()).expect("json");
    let sections = json["sections"].as_array().expect("sections");
    let ids: Vec<&str> = sections.iter().map(|s| s["id"].as_str().unwrap_or("")).collect();
    assert_eq!(
        ids,
        [
            "entity",
            "reporting_person",
            "iso",
            "alternate",
            "incident",
            "categories",
            "federal",
            "computers",
            "network",
            "response",
            "personal_info",
            "sen"
        ]
    );
    let computers = &sections[7];
    assert_eq!(computers["repeat"]["list"], "computers");
    assert_eq!(computers["emphasised_when"], json!({"op": "ticked", "field": "categories.criminal_activity"}));
    assert_eq!(computers["fields"][3]["id"], "computers.*.ip");
    assert_eq!(computers["fields"][3]["kind"]["type"], "ip_address");
    let description = &sections[4]["fields"][0];
    assert_eq!(description["id"], "incident.description");
    assert_eq!(description["kind"]["type"], "textarea");
    assert_eq!(description["kind"]["max"], 50_000);
    assert_eq!(description["need"], "required");
    assert_eq!(description["required"], true);
    let cat2 = &sections[6]["fields"][1];
    assert_eq!(cat2["shown_when"], json!({"op": "equals", "field": "federal.category", "value": "cat_2"}));
    assert!(cat2["help"].as_str().unwrap_or("").contains("still ongoing"));
}
