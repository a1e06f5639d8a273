//! `incident-desk report ...` on the built binary with a temporary `--data-dir`: JSON on stdout,
//! exit 2 with one line naming the field for refused input, nothing stored when refused. Needs no
//! display.

use chrono::{DateTime, Utc};
use desk_core::profile::{Contact, Entity, Profile};
use desk_core::report;
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Output};

fn desk(data: &Path, args: &[&str]) -> Output {
    Command::new(e2e::app_binary())
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("INCIDENT_DESK_DATA_DIR")
        .output()
        .expect("run incident-desk")
}

fn stdout_json(out: &Output) -> Value {
    assert!(out.status.success(), "exit {:?}: {}", out.status.code(), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// Exit 2, nothing on stdout, exactly one line on stderr; returns that line.
fn refused(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty(), "nothing on stdout when refused");
    let err = String::from_utf8(out.stderr.clone()).expect("utf-8");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err:?}");
    err.trim_end().to_string()
}

fn listed(data: &Path) -> Vec<Value> {
    stdout_json(&desk(data, &["report", "list"])).as_array().expect("a JSON list").clone()
}

const GOOD: &str = r#"{
  "format": "incident-desk/report",
  "version": 1,
  "report": {
    "entity": {"name": "Department of Examples"},
    "incident": {
      "description": "Stolen laptop <img src=x onerror=alert(1)>\nsecond line",
      "discovered_at": "2024-03-01T08:00:00-08:00",
      "occurred_unknown": true
    },
    "categories": {"criminal_activity": true, "criminal": {"theft_or_destruction": true}},
    "federal": {"category": "cat_1"},
    "computers": [{"hostname": "LT-042", "ip": "10.1.2.3"}, {"ip": "2001:db8::1"}],
    "personal_info": {"involved": "yes", "residents_to_notify": "1200"}
  }
}"#;

#[test]
fn import_list_export_round_trip() {
    let data = tempfile::tempdir().expect("tempdir");
    let files = tempfile::tempdir().expect("tempdir");
    assert_eq!(listed(data.path()), Vec::<Value>::new(), "a new data dir has no reports");

    let file = files.path().join("good.json");
    std::fs::write(&file, GOOD).expect("write");
    let imported = stdout_json(&desk(data.path(), &["report", "import", file.to_str().expect("path")]));
    assert_eq!(imported["state"], "draft");
    assert_eq!(imported["doc"]["incident"]["description"], "Stolen laptop <img src=x onerror=alert(1)>\nsecond line");
    let id = imported["report_id"].as_str().expect("report_id").to_string();

    let list = listed(data.path());
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["report_id"], id.as_str());
    assert_eq!(list[0]["title"], "Stolen laptop <img src=x onerror=alert(1)>");
    assert_eq!(list[0]["cal_csirs_due_at"], "2024-03-01T17:00:00Z");
    let found = stdout_json(&desk(data.path(), &["report", "list", "--text", "lapt", "--state", "draft"]));
    assert_eq!(found.as_array().map(Vec::len), Some(1));
    let none = stdout_json(&desk(data.path(), &["report", "list", "--text", "ransomware"]));
    assert_eq!(none, json!([]));

    // export → import → export: the same bytes.
    let exported = desk(data.path(), &["report", "export", &id]);
    assert!(exported.status.success());
    let first = String::from_utf8(exported.stdout).expect("utf-8");
    assert!(first.starts_with("{\n  \"format\": \"incident-desk/report\""), "{first}");
    assert!(first.ends_with("}\n"));
    let again = files.path().join("again.json");
    std::fs::write(&again, &first).expect("write");
    let copy = stdout_json(&desk(data.path(), &["report", "import", again.to_str().expect("path")]));
    let copy_id = copy["report_id"].as_str().expect("id");
    assert_ne!(copy_id, id, "an import is a new report");
    let second = desk(data.path(), &["report", "export", copy_id]);
    assert_eq!(String::from_utf8(second.stdout).expect("utf-8"), first);

    // `-` reads stdin.
    let mut child = Command::new(e2e::app_binary())
        .arg("--data-dir")
        .arg(data.path())
        .args(["report", "import", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), first.as_bytes()).expect("stdin");
    assert!(child.wait_with_output().expect("wait").status.success());
    assert_eq!(listed(data.path()).len(), 3);
}

#[test]
fn bad_files_are_refused_naming_the_field_and_nothing_is_stored() {
    let data = tempfile::tempdir().expect("tempdir");
    let files = tempfile::tempdir().expect("tempdir");
    let cases: &[(&str, String, &str)] = &[
        ("bad-ip", GOOD.replace("10.1.2.3", "10.1.2.999"), "computers.0.ip"),
        (
            "bad-port",
            GOOD.replace("\"federal\"", "\"network\": {\"source_port\": \"70000\"}, \"federal\""),
            "network.source_port",
        ),
        ("future", GOOD.replace("2024-03-01T08:00:00-08:00", "2999-01-01T00:00:00Z"), "incident.discovered_at"),
        ("unknown-member", GOOD.replace("\"hostname\"", "\"nickname\""), "computers.0"),
        (
            "wrong-type",
            GOOD.replace("\"occurred_unknown\": true", "\"occurred_unknown\": \"yes\""),
            "incident.occurred_unknown",
        ),
        ("long", GOOD.replace("second line", &"x".repeat(50_001)), "incident.description"),
        ("format", GOOD.replace("incident-desk/report", "something-else"), "format"),
        ("broken", GOOD[..GOOD.len() - 3].to_string(), "line"),
    ];
    for (name, text, field) in cases {
        let file = files.path().join(format!("{name}.json"));
        std::fs::write(&file, text).expect("write");
        let line = refused(&desk(data.path(), &["report", "import", file.to_str().expect("path")]));
        assert!(line.starts_with("incident-desk: "), "{name}: {line}");
        assert!(line.contains(field), "{name}: the message names {field}: {line}");
        assert!(line.contains("nothing imported"), "{name}: {line}");
    }
    let missing = refused(&desk(data.path(), &["report", "import", "/no/such/file.json"]));
    assert!(missing.contains("cannot read /no/such/file.json"), "{missing}");
    assert_eq!(listed(data.path()), Vec::<Value>::new(), "nothing was stored");
    let unknown = refused(&desk(data.path(), &["report", "export", "no-such-report"]));
    assert!(unknown.contains("no-such-report not found"), "{unknown}");
}

fn now() -> DateTime<Utc> {
    Utc::now()
}

#[test]
fn submit_queues_a_ready_report_and_refuses_anything_else() {
    let data = tempfile::tempdir().expect("tempdir");
    let (draft, ready) = {
        let store = e2e::open_store(data.path()).expect("store");
        let conn = store.conn();
        let profile = Profile {
            entity: Entity { name: "Department of Examples".into(), ..Entity::default() },
            reporting_person: Contact {
                name: "Rita Reporter".into(),
                phones: vec!["(916) 555-0101".into()],
                ..Contact::default()
            },
            ..Profile::default()
        };
        let draft = report::create_draft(conn, &profile, now(), &desk_core::audit::Actor::new("e2e", "test-host"))
            .expect("draft")
            .report_id;
        let ready = report::create_draft(conn, &profile, now(), &desk_core::audit::Actor::new("e2e", "test-host"))
            .expect("draft")
            .report_id;
        for (path, value) in [
            ("incident.description", json!("Phishing led to a compromised mailbox.")),
            ("incident.discovered_at", json!("2024-03-01T08:10:00-08:00")),
        ] {
            report::set_field(conn, &ready, path, value, now(), &desk_core::audit::Actor::new("e2e", "test-host"))
                .expect(path);
        }
        report::ready(conn, &ready, now(), &desk_core::audit::Actor::new("e2e", "test-host")).expect("ready");
        (draft, ready)
    };

    let line = refused(&desk(data.path(), &["report", "submit", draft.as_str()]));
    assert!(line.contains("is draft: cannot submit it (make it ready first)"), "{line}");
    let line = refused(&desk(data.path(), &["report", "submit", "no-such-report"]));
    assert!(line.contains("not found"), "{line}");

    let queued = stdout_json(&desk(data.path(), &["report", "submit", ready.as_str()]));
    assert_eq!(queued["state"], "queued");
    assert_eq!(queued["submitted_revision"], queued["revision"]);
    let line = refused(&desk(data.path(), &["report", "submit", ready.as_str()]));
    assert!(line.contains("is queued: cannot submit it"), "{line}");

    let store = e2e::open_store(data.path()).expect("store");
    let items: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM outbox WHERE record_id = ?1 AND kind = 'incident'", [&ready], |r| r.get(0))
        .expect("count");
    assert_eq!(items, 1, "exactly one incident POST in the outbox");
    let states: Vec<Value> = listed(data.path()).iter().map(|r| r["state"].clone()).collect();
    assert!(states.contains(&json!("queued")) && states.contains(&json!("draft")), "{states:?}");
}
