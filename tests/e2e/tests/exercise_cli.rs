//! A whole CAT 0 exercise without the window, on the built binary and a temporary `--data-dir`:
//! a report drafted field by field, readied, submitted and delivered to the practice portal
//! (`outbox sync`) until it is sent with an incident number; a SEN imported from its e-mail,
//! acknowledged, determined and linked to the report, each response delivered too; the deadline
//! feed file following along. Every step asserts the JSON printed; bad input exits 2 with one line
//! naming the field, and nothing is saved. Needs the private session (the database key is in the
//! keyring).

use e2e::portal::{cli_with_input, practice_get, PortalProcess};
use e2e::{free_port, require_session};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Output;

fn run(dir: &Path, args: &[&str]) -> Output {
    cli_with_input(dir, args, "", &[]).expect("run incident-desk")
}

fn ok(dir: &Path, args: &[&str]) -> Value {
    let out = run(dir, args);
    assert!(out.status.success(), "{args:?}: exit {:?}: {}", out.status.code(), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// Exit 2, nothing on stdout, one line on stderr naming `field`.
fn refused(dir: &Path, args: &[&str], field: &str) -> String {
    let out = run(dir, args);
    let err = String::from_utf8_lossy(&out.stderr).trim_end().to_string();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout when refused");
    assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err:?}");
    assert!(err.contains(field), "{args:?}: the refusal names {field}: {err}");
    println!("refused {args:?} -> {err}");
    err
}

fn feed_file(dir: &Path) -> PathBuf {
    dir.join("feeds").join("deadlines.ics")
}

/// `deadlines ics` on stdout equals the feed file, which is owner-only.
fn feed(dir: &Path) -> String {
    let out = run(dir, &["deadlines", "ics"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8(out.stdout).expect("utf-8");
    let file = std::fs::read_to_string(feed_file(dir)).expect("the feed file is written");
    assert_eq!(printed, file);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(feed_file(dir)).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the feed file is owner-only");
    }
    assert!(printed.starts_with("BEGIN:VCALENDAR\r\n") && printed.trim_end().ends_with("END:VCALENDAR"));
    printed
}

/// The lines of the VEVENT with this UID, unfolded.
fn event(feed: &str, uid: &str) -> Option<Vec<String>> {
    let unfolded = feed.replace("\r\n ", "");
    unfolded
        .split("BEGIN:VEVENT\r\n")
        .skip(1)
        .find(|e| e.lines().any(|l| l == format!("UID:{uid}")))
        .map(|e| e.lines().map(str::to_string).collect())
}

fn prop(lines: &[String], name: &str) -> Option<String> {
    lines.iter().find_map(|l| l.strip_prefix(&format!("{name}:")).map(str::to_string))
}

fn mail_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src-tauri/crates/desk-core/tests/it/fixtures/mail").join(name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_exercise_from_the_command_line() -> anyhow::Result<()> {
    require_session()?;
    let data = tempfile::tempdir()?;
    let portal_dir = tempfile::tempdir()?;
    let dir = data.path();

    // Read-only commands on a fresh install: no database, no key created.
    let shown = ok(dir, &["calendar", "show"]);
    assert_eq!(shown["calendar"]["time_zone"], "America/Los_Angeles");
    let empty = String::from_utf8(run(dir, &["deadlines", "ics"]).stdout)?;
    assert!(empty.contains("BEGIN:VCALENDAR") && !empty.contains("BEGIN:VEVENT"));
    assert!(!dir.join(desk_core::store::DB_FILE).exists(), "a read-only command creates no database");

    // The practice portal and the desk's portal settings.
    let port = free_port()?;
    let portal = PortalProcess::start(portal_dir.path(), &["--port", &port.to_string()])?;
    ok(dir, &["portal", "configure", "--url", &portal.url]);
    assert!(cli_with_input(dir, &["portal", "token", "--stdin"], "practice-token", &[])?.status.success());

    // A new report from the profile, then its fields by the form's ids.
    let created = ok(dir, &["report", "new"]);
    assert_eq!(created["report"]["state"], "draft");
    let id = created["report"]["report_id"].as_str().expect("report_id").to_string();
    let discovered = (chrono::Utc::now() - chrono::TimeDelta::minutes(10)).to_rfc3339();
    for (field, value) in [
        ("entity.name", "Department of Exercises"),
        ("reporting_person.name", "Rita Reporter"),
        ("reporting_person.phones", "(916) 555-0101; (916) 555-0102"),
        ("iso.email", "iso@exercise.ca.gov"),
        ("incident.description", "CAT 0 tabletop: simulated beaconing from WS-17"),
        ("incident.discovered_at", discovered.as_str()),
        ("incident.occurred_unknown", "true"),
        ("federal.category", "cat_0"),
        ("computers.0.ip", "10.20.30.40"),
        ("computers.0.hostname", "WS-17"),
    ] {
        let saved = ok(dir, &["report", "set", &id, field, value]);
        assert_eq!(saved["report_id"], id.as_str());
        assert_eq!(saved["field"], field);
        assert_eq!(saved["state"], "draft");
        assert!(saved["field_errors"].as_array().expect("list").iter().all(|e| e["field"] != field), "{saved}");
    }
    let saved = ok(dir, &["report", "set", &id, "incident.occurred_unknown", "false"]);
    assert_eq!(saved["value"], json!(false), "a tick box reads true/false");
    let phones = ok(dir, &["report", "set", &id, "reporting_person.phones", "(916) 555-0101; (916) 555-0102"]);
    assert_eq!(phones["value"], json!(["(916) 555-0101", "(916) 555-0102"]));

    // Bad input: exit 2 naming the field; nothing saved is lost.
    let before = run(dir, &["report", "export", &id]).stdout;
    refused(dir, &["report", "set", &id, "incident.colour", "blue"], "incident.colour");
    refused(dir, &["report", "set", &id, "iso.email", "not-an-address"], "iso.email");
    refused(dir, &["report", "set", &id, "computers.0.ip", "10.0.0.999"], "computers.0.ip");
    refused(dir, &["report", "set", &id, "computers.5.ip", "10.0.0.9"], "computers.5.ip");
    refused(dir, &["report", "set", &id, "federal.category", "cat_9"], "federal.category");
    refused(dir, &["report", "set", &id, "incident.occurred_unknown", "maybe"], "incident.occurred_unknown");
    refused(dir, &["report", "set", "no-such-report", "iso.email", "a@b.gov"], "no-such-report");
    assert_eq!(run(dir, &["report", "export", &id]).stdout, before, "refused input changed nothing");

    // The report's deadline is in the feed; no report text is.
    let text = feed(dir);
    let cal = event(&text, &format!("report-{id}-cal_csirs@incident-desk")).expect("the 60-minute deadline");
    assert_eq!(
        prop(&cal, "SUMMARY").as_deref(),
        Some(format!("Report {}: Cal-CSIRS 60-minute deadline", &id[..8]).as_str())
    );
    assert!(!text.contains("WS-17") && !text.contains("tabletop"), "no report text in the feed");

    // Ready, submit, deliver: sent with an incident number.
    let ready = ok(dir, &["report", "ready", &id]);
    assert_eq!(ready["report"]["state"], "ready");
    let queued = ok(dir, &["report", "submit", &id]);
    assert_eq!(queued["state"], "queued");
    let synced = ok(dir, &["outbox", "sync", "--until-empty", "--timeout", "60"]);
    assert!(synced["sent"].as_u64().unwrap_or(0) >= 1, "{synced}");
    let listed = ok(dir, &["report", "list", "--state", "sent"]);
    let sent = listed
        .as_array()
        .expect("list")
        .iter()
        .find(|r| r["report_id"] == id.as_str())
        .expect("the report is sent")
        .clone();
    let number = sent["incident_number"].as_str().expect("incident number").to_string();
    assert!(number.starts_with("CIR-"), "{number}");
    let received = practice_get(&portal.url, &format!("/practice/incidents?report_id={id}"), "practice-token").await?;
    assert_eq!(received["reports"][0]["count"], 1, "exactly once: {received}");
    let text = feed(dir);
    let cal = event(&text, &format!("report-{id}-cal_csirs@incident-desk")).expect("kept, cancelled");
    assert_eq!(prop(&cal, "STATUS").as_deref(), Some("CANCELLED"), "a submitted report's deadline is cancelled");

    // A supplement after submission: an edit, queued as the changes since the revision sent.
    let edited = ok(dir, &["report", "set", &id, "response.impact", "None: exercise"]);
    assert_eq!(edited["state"], "sent");
    let supplement = ok(dir, &["report", "supplement", &id]);
    assert_eq!(supplement["report_id"], id.as_str());
    assert!(supplement["changes"].to_string().contains("None: exercise"), "{supplement}");

    // The SOC sends a SEN: on the portal, and by e-mail.
    let mail = mail_fixture("sen_q_encoded.eml");
    let client = reqwest::Client::new();
    let posted = client
        .post(format!("{}/practice/sens", portal.url))
        .bearer_auth("practice-token")
        .json(&json!({"sen_number": "SOC-0123", "level": "critical", "summary": "Beaconing", "sent_at": "2026-03-02T09:14:27-08:00"}))
        .send()
        .await?;
    assert!(posted.status().is_success(), "{}", posted.status());
    let imported = ok(dir, &["sen", "import-email", mail.to_str().expect("path")]);
    assert_eq!(
        (&imported["sen_number"], &imported["level"], &imported["sent_at"]),
        (&json!("SOC-0123"), &json!("critical"), &json!("2026-03-02T09:14:27-08:00")),
        "{imported}"
    );
    let text = feed(dir);
    let ack_uid = "sen-SOC-0123-acknowledge@incident-desk";
    let ack = event(&text, ack_uid).expect("the acknowledgement stage appears");
    assert_eq!(prop(&ack, "SUMMARY").as_deref(), Some("SEN SOC-0123 (Critical): acknowledge due"));
    assert!(ack.iter().any(|l| l == "BEGIN:VALARM"), "alarms at the reminder times");
    assert!(!text.contains("10.20.30.40") && !text.contains("beaconing"), "no SOC summary in the feed");
    let ack_sequence: u32 = prop(&ack, "SEQUENCE").expect("SEQUENCE").parse()?;

    // Acknowledge: bad input first.
    refused(dir, &["sen", "acknowledge", "SOC-0123", "--format", "thumbs_up", "--values", "a=b"], "format");
    refused(
        dir,
        &[
            "sen",
            "acknowledge",
            "SOC-0123",
            "--format",
            "remediation_planned",
            "--values",
            "remediation_status=planned",
        ],
        "values.completion_date",
    );
    refused(
        dir,
        &["sen", "acknowledge", "SOC-0999", "--format", "investigating", "--values", "findings_by=Friday"],
        "SOC-0999",
    );
    let acked = ok(
        dir,
        &["sen", "acknowledge", "SOC-0123", "--format", "investigating", "--values", "findings_by=Friday 5 pm"],
    );
    assert!(acked["text"].as_str().expect("text").contains("by Friday 5 pm"), "{acked}");
    assert_eq!(acked["sen"]["sen"]["status"], "acknowledged");
    let text = feed(dir);
    let ack = event(&text, ack_uid).expect("kept");
    assert_eq!(prop(&ack, "STATUS").as_deref(), Some("CANCELLED"), "done: cancelled");
    assert!(prop(&ack, "SEQUENCE").expect("SEQUENCE").parse::<u32>()? > ack_sequence);
    let det = event(&text, "sen-SOC-0123-determine@incident-desk").expect("the determination stage appears");
    assert_eq!(prop(&det, "SUMMARY").as_deref(), Some("SEN SOC-0123 (Critical): determine due"));

    // Determine, link.
    refused(dir, &["sen", "determine", "SOC-0123", "--outcome", "maybe", "--details", "x"], "--outcome");
    refused(dir, &["sen", "determine", "SOC-0123", "--outcome", "confirmed_incident", "--details", " "], "details");
    let determined = ok(
        dir,
        &[
            "sen",
            "determine",
            "SOC-0123",
            "--outcome",
            "confirmed_incident",
            "--details",
            "Exercise: confirmed by the SOC tabletop",
        ],
    );
    assert_eq!(determined["sen"]["sen"]["status"], "confirmed");
    refused(dir, &["sen", "link", "SOC-0123", ""], "report_id");
    let linked = ok(dir, &["sen", "link", "SOC-0123", &id]);
    assert_eq!(linked["sen"]["sen"]["status"], "closed");
    assert_eq!(linked["sen"]["sen"]["linked_report_id"], id.as_str());
    let text = feed(dir);
    assert_eq!(
        prop(&event(&text, "sen-SOC-0123-determine@incident-desk").expect("kept"), "STATUS").as_deref(),
        Some("CANCELLED")
    );

    // Every response reaches the portal.
    let synced = ok(dir, &["outbox", "sync", "--until-empty", "--timeout", "60"]);
    assert_eq!(synced["pending"], 0, "{synced}");
    let status = ok(dir, &["outbox", "status"]);
    println!("outbox after the exercise: {status}");
    let sens = practice_get(&portal.url, "/practice/sens", "practice-token").await?;
    println!("portal SENs: {sens}");
    assert!(sens.to_string().contains(&number), "the incident link reached the portal: {sens}");

    // The calendar: an .ics of closure days, dry run first (nothing saved), then imported.
    let ics = data.path().join("closures.ics");
    std::fs::write(&ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:c1\r\nSUMMARY:Office closed\r\nDTSTART;VALUE=DATE:20301224\r\nDTEND;VALUE=DATE:20301225\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")?;
    let dry = ok(dir, &["calendar", "import-ics", ics.to_str().expect("path"), "--dry-run"]);
    assert_eq!((dry["dry_run"].clone(), dry["added"].clone()), (json!(true), json!(1)));
    assert_eq!(ok(dir, &["calendar", "show"])["calendar"]["closures"], json!([]), "a dry run saves nothing");
    let done = ok(dir, &["calendar", "import-ics", ics.to_str().expect("path")]);
    assert_eq!(done["added"], 1);
    assert_eq!(ok(dir, &["calendar", "show"])["calendar"]["closures"][0]["date"], "2030-12-24");
    let bad = data.path().join("meeting.ics");
    std::fs::write(&bad, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Standup\r\nDTSTART:20301224T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")?;
    refused(dir, &["calendar", "import-ics", bad.to_str().expect("path")], "meeting.ics");
    portal.stop();
    Ok(())
}
