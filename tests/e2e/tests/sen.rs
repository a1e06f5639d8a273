//! SEN response clock end to end.
//!
//! Window: a real-shaped SEN e-mail is imported through the window's file picker, shows up on the
//! board with a ticking countdown, is acknowledged with a III.F response format (the finished text
//! is shown to copy), and the determination stage's due time moves from its projection to two
//! clock hours after the real acknowledgement; more time and a confirmed incident follow. Other SENs
//! arrive by a pasted subject line and by a drop. The calendar settings then drive the CLI.
//!
//! CLI: `incident-desk sen deadlines | import-email | list` on a temporary data directory, exactly
//! as the issue specifies (JSON on stdout, times in the calendar's zone with its offset, exit 2 with
//! one line for anything that is not a SEN).

use anyhow::{bail, Context, Result};
use e2e::{app_binary, Desk};
use fantoccini::key::Key;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use e2e::WAIT;

fn mail_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src-tauri/crates/desk-core/tests/it/fixtures/mail").join(name)
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }
}

fn cli(data_dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(app_binary())
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("INCIDENT_DESK_DATA_DIR")
        .output()
        .expect("run incident-desk");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn deadlines(data_dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["sen", "deadlines"];
    all.extend_from_slice(args);
    let run = cli(data_dir, &all);
    assert_eq!(run.code, 0, "sen deadlines {args:?}: {}", run.stderr);
    run.json()
}

fn stages(v: &Value) -> Vec<(String, String)> {
    v["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| (s["stage"].as_str().unwrap().to_string(), s["due"].as_str().unwrap().to_string()))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

/// Refused input: exit 2 and exactly one line on stderr, nothing on stdout.
fn assert_refused(run: &Run, mentions: &str) {
    assert_eq!(run.code, 2, "exit code; stderr: {}", run.stderr);
    assert!(run.stdout.is_empty(), "nothing on stdout: {}", run.stdout);
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "one line: {:?}", run.stderr);
    assert!(run.stderr.contains(mentions), "{:?} should mention {mentions:?}", run.stderr);
}

#[test]
fn cli_deadlines_table() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();

    // High, sent Friday 16:30 PST: 30 business minutes on Friday, the rest on Monday, after the
    // spring-forward weekend (PDT). Escalations run on business hours by default.
    let v = deadlines(d, &["--level", "high", "--sent", "2026-03-06T16:30:00-08:00"]);
    assert_eq!(
        v,
        json!({
            "level": "high",
            "stages": [
                {"stage": "acknowledge", "due": "2026-03-09T09:30:00-07:00"},
                {"stage": "determine", "due": "2026-03-09T13:30:00-07:00"},
                {"stage": "record", "due": "2026-03-09T14:30:00-07:00"}
            ],
            "escalations": [
                {"stage": "acknowledge", "level": 1, "at": "2026-03-09T09:30:00-07:00"},
                {"stage": "acknowledge", "level": 2, "at": "2026-03-09T10:00:00-07:00"},
                {"stage": "acknowledge", "level": 3, "at": "2026-03-09T10:30:00-07:00"},
                {"stage": "determine", "level": 1, "at": "2026-03-09T13:30:00-07:00"},
                {"stage": "determine", "level": 2, "at": "2026-03-09T14:00:00-07:00"},
                {"stage": "determine", "level": 3, "at": "2026-03-09T14:30:00-07:00"},
                {"stage": "record", "level": 1, "at": "2026-03-09T14:30:00-07:00"},
                {"stage": "record", "level": 2, "at": "2026-03-09T15:00:00-07:00"},
                {"stage": "record", "level": 3, "at": "2026-03-09T15:30:00-07:00"}
            ]
        })
    );

    // Critical runs on the clock: 1 h, 2 h after the acknowledgement, 30 min after the determination,
    // here across the autumn change (01:30 PDT + 1 h = 01:30 PST).
    let v = deadlines(d, &["--level", "critical", "--sent", "2026-11-01T01:30:00-07:00"]);
    assert_eq!(
        stages(&v),
        pairs(&[
            ("acknowledge", "2026-11-01T01:30:00-08:00"),
            ("determine", "2026-11-01T03:30:00-08:00"),
            ("record", "2026-11-01T04:00:00-08:00"),
        ])
    );
    let v = deadlines(
        d,
        &[
            "--level",
            "critical",
            "--sent",
            "2026-11-01T08:30:00Z",
            "--acknowledged",
            "2026-11-01T01:45:00-07:00",
            "--determined",
            "2026-11-01T02:10:00-08:00",
        ],
    );
    assert_eq!(
        stages(&v),
        pairs(&[
            ("acknowledge", "2026-11-01T01:30:00-08:00"),
            ("determine", "2026-11-01T02:45:00-08:00"),
            ("record", "2026-11-01T02:40:00-08:00"),
        ]),
        "real times replace the projections"
    );
    let ladder: Vec<String> = v["escalations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["stage"] == "record")
        .map(|e| e["at"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ladder, ["2026-11-01T02:40:00-08:00", "2026-11-01T03:10:00-08:00", "2026-11-01T05:10:00-08:00"]);

    // Medium, sent Wednesday 15:00 before Thanksgiving: 2 h lands on close of business (17:00, not
    // the next morning); determination skips Thanksgiving and the Friday after, and the weekend.
    let v = deadlines(d, &["--level", "medium", "--sent", "2026-11-25T15:00:00-08:00"]);
    assert_eq!(
        stages(&v),
        pairs(&[
            ("acknowledge", "2026-11-25T17:00:00-08:00"),
            ("determine", "2026-11-30T12:00:00-08:00"),
            ("record", "2026-11-30T14:00:00-08:00"),
        ])
    );

    // High sent at night counts from the next opening.
    let v = deadlines(d, &["--level", "HIGH", "--sent", "2026-06-10T05:40:00Z"]);
    assert_eq!(stages(&v)[0], ("acknowledge".to_string(), "2026-06-10T10:00:00-07:00".to_string()));
}

#[test]
fn cli_deadlines_refuse_bad_input_in_one_line() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    assert_refused(&cli(d, &["sen", "deadlines", "--level", "low", "--sent", "2026-03-06T16:30:00-08:00"]), "--level");
    assert_refused(&cli(d, &["sen", "deadlines", "--level", "high", "--sent", "2026-03-06 16:30"]), "--sent");
    assert_refused(
        &cli(
            d,
            &[
                "sen",
                "deadlines",
                "--level",
                "high",
                "--sent",
                "2026-03-06T16:30:00-08:00",
                "--determined",
                "2026-03-09T10:00:00-07:00",
            ],
        ),
        "--acknowledged",
    );
    assert_refused(
        &cli(
            d,
            &[
                "sen",
                "deadlines",
                "--level",
                "high",
                "--sent",
                "2026-03-06T16:30:00-08:00",
                "--acknowledged",
                "2026-03-06T16:00:00-08:00",
            ],
        ),
        "before --sent",
    );
}

#[test]
fn cli_import_email_and_list() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let q_encoded = mail_fixture("sen_q_encoded.eml");
    let q_encoded = q_encoded.to_str().unwrap();

    // Dry run: printed, not stored.
    let run = cli(d, &["sen", "import-email", q_encoded, "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = run.json();
    assert_eq!(
        json!({"sen_number": v["sen_number"], "level": v["level"], "sent_at": v["sent_at"]}),
        json!({"sen_number": "SOC-0123", "level": "critical", "sent_at": "2026-03-02T09:14:27-08:00"})
    );
    assert!(v["sender"].is_string() && v["summary"].is_string(), "what would be recorded: {v}");
    assert_eq!(cli(d, &["sen", "list"]).json(), json!([]), "a dry run stores nothing");

    // Real imports: an RFC 2047 Q-encoded subject, and a multipart message with a B-encoded subject.
    let run = cli(d, &["sen", "import-email", q_encoded]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["sen_number"], "SOC-0123");
    let run = cli(d, &["sen", "import-email", mail_fixture("sen_b_encoded_multipart.eml").to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = run.json();
    assert_eq!(
        json!({"sen_number": v["sen_number"], "level": v["level"], "sent_at": v["sent_at"]}),
        json!({"sen_number": "SOC-0456", "level": "high", "sent_at": "2026-03-03T16:52:05-08:00"})
    );

    // The same mail again (a mail rule run twice) changes nothing and is not an error.
    let run = cli(d, &["sen", "import-email", q_encoded]);
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("already recorded"), "{}", run.stderr);

    // Not SEN notifications: exit 2, one line, nothing stored.
    assert_refused(
        &cli(d, &["sen", "import-email", mail_fixture("not_sen_meeting.eml").to_str().unwrap()]),
        "not a SEN notification",
    );
    assert_refused(
        &cli(d, &["sen", "import-email", mail_fixture("not_sen_newsletter.eml").to_str().unwrap()]),
        "not a SEN",
    );
    let garbage = d.join("garbage.eml");
    std::fs::write(&garbage, [0xffu8, 0x00, 0x13, 0x37, b'\n', 0x80]).unwrap();
    assert_refused(&cli(d, &["sen", "import-email", garbage.to_str().unwrap()]), "garbage.eml");
    assert_refused(&cli(d, &["sen", "import-email", d.join("missing.eml").to_str().unwrap()]), "cannot read");

    // The open SENs, oldest first, with their due times in the calendar's zone.
    let list = cli(d, &["sen", "list"]).json();
    let numbers: Vec<&str> = list.as_array().unwrap().iter().map(|s| s["sen_number"].as_str().unwrap()).collect();
    assert_eq!(numbers, ["SOC-0123", "SOC-0456"]);
    let critical = &list[0];
    assert_eq!(critical["level"], "critical");
    assert_eq!(critical["status"], "new");
    assert_eq!(
        critical["stages"][0],
        json!({"stage": "acknowledge", "due": "2026-03-02T10:14:27-08:00", "state": "overdue", "projected": false})
    );
    assert_eq!(critical["stages"][1]["due"], "2026-03-02T12:14:27-08:00");
    assert_eq!(critical["escalated"].as_array().unwrap().len(), 3, "no acknowledgement: all three levels have passed");
    assert_eq!(critical["escalated"][0]["to"], "Statewide Incident Program Manager (SIPM)");
    // High, sent Tuesday 16:52 PST: 8 business minutes that day, 112 the next morning.
    assert_eq!(list[1]["stages"][0]["due"], "2026-03-04T09:52:05-08:00");
}

/// An RFC 5322 date for a moment `minutes_ago` before now, e.g. "Mon, 23 Nov 2026 05:35:00 +0000".
fn mail_date(minutes_ago: u64) -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() - minutes_ago * 60;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days.rem_euclid(7)) as usize];
    let month_name =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][(month - 1) as usize];
    format!("{weekday}, {day:02} {month_name} {year} {:02}:{:02}:{:02} +0000", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// A SEN notification as Cal-CSIRS sends it: RFC 2047 B-encoded subject with an en dash,
/// multipart/alternative body.
fn sen_mail(number: &str, level: &str, date: &str) -> String {
    let subject = format!(
        "Cal-CSIRS Notification: A Security Event Notification \u{2013} {number} requires your attention. The SEN Level is: [{level}]"
    );
    let encoded = base64(subject.as_bytes());
    format!(
        "Return-Path: <noreply@calcsirs.example.ca.gov>\r\n\
         Date: {date}\r\n\
         From: \"Cal-CSIRS\" <noreply@calcsirs.example.ca.gov>\r\n\
         To: <iso@agency.example.ca.gov>\r\n\
         Subject: =?UTF-8?B?{encoded}?=\r\n\
         Message-ID: <{number}@calcsirs.example.ca.gov>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/alternative; boundary=\"b1\"\r\n\
         \r\n\
         --b1\r\n\
         Content-Type: text/plain; charset=UTF-8\r\n\
         \r\n\
         SEN record {number} ({level}).\r\n\
         Summary: Host 10.20.30.40 beaconing to a known command-and-control domain.\r\n\
         --b1\r\n\
         Content-Type: text/html; charset=UTF-8\r\n\
         \r\n\
         <p>SEN record <b>{number}</b></p>\r\n\
         --b1--\r\n"
    )
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() { ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char } else { '=' });
        }
    }
    out
}

async fn js(desk: &Desk, script: &str) -> Result<Value> {
    Ok(desk.client.execute(&format!("return ({script});"), vec![]).await?)
}

async fn js_str(desk: &Desk, script: &str) -> Result<String> {
    Ok(js(desk, script).await?.as_str().context(format!("{script} is not a string"))?.to_string())
}

#[tokio::test]
async fn sen_imported_through_the_window_is_acknowledged_and_its_clock_moves() -> Result<()> {
    let data = tempfile::tempdir()?;
    let mail = data.path().join("SOC-4242 notification.eml");
    std::fs::write(&mail, sen_mail("SOC-4242", "CRITICAL", &mail_date(10)))?;
    let not_sen = mail_fixture("not_sen_meeting.eml");

    // A SEN recorded months ago by a mail rule (the CLI): long overdue.
    let run = cli(data.path(), &["sen", "import-email", mail_fixture("sen_q_encoded.eml").to_str().context("path")?]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let desk = Desk::launch(data.path(), &[]).await?;
    desk.goto("sens").await?;
    // Overdue is unmistakable: flagged row, the stage cell marked, the words "overdue by".
    desk.wait_js("document.querySelector(\"tr[data-sen='SOC-0123']\").classList.contains('overdue')", WAIT).await?;
    let overdue = desk.css("tr[data-sen='SOC-0123']").await?.text().await?;
    assert!(overdue.contains("OVERDUE") && overdue.contains("overdue by"), "{overdue}");
    assert!(overdue.contains("Escalated: level 3"), "{overdue}");

    // Mail that is not a SEN is refused with the reason; nothing is stored.
    desk.wait_css("#sen-eml-input", WAIT).await?.send_keys(not_sen.to_str().context("path")?).await?;
    desk.wait_css(".intake-refused", WAIT).await?;
    let refusal = desk.css(".intake-refused").await?.text().await?;
    assert!(refusal.contains("not a SEN notification") && refusal.contains("Nothing was stored"), "{refusal}");

    // The SEN e-mail: previewed with its clock, then recorded.
    desk.wait_css("#sen-eml-input", WAIT).await?.send_keys(mail.to_str().context("path")?).await?;
    let record = desk.wait_css("#intake-record-SOC-4242", WAIT).await?;
    let preview = desk.css("[data-intake='SOC-4242']").await?.text().await?;
    assert!(preview.contains("CRITICAL") && preview.contains("Acknowledge"), "{preview}");
    assert!(
        desk.client.find(fantoccini::Locator::Css("tr[data-sen='SOC-4242']")).await.is_err(),
        "not on the board before Record"
    );
    record.click().await?;
    desk.wait_css("tr[data-sen='SOC-4242']", WAIT).await?;
    // The board is redrawn on every change: elements are looked up when used.
    let badge =
        js_str(&desk, "document.querySelector(\"tr[data-sen='SOC-4242'] .level.level-critical\").textContent").await?;
    assert_eq!(badge, "Critical", "level colour with its label");

    // The acknowledgement countdown ticks without a refetch: about 50 min left, and it changes.
    let countdown =
        "document.querySelector(\"tr[data-sen='SOC-4242'] td[data-stage='acknowledge'] .countdown\").textContent";
    let first = js_str(&desk, countdown).await?.replace('\u{a0}', " ");
    assert!(first.starts_with("in ") && first.contains(" min "), "countdown: {first}");
    let minutes: u32 = first.trim_start_matches("in ").split(' ').next().unwrap_or("").parse()?;
    assert!((48..=50).contains(&minutes), "sent 10 min ago, 1 clock hour to acknowledge: {first}");
    desk.wait_js(&format!("{countdown}.replace(/\\u00a0/g, ' ') !== {first:?}"), Duration::from_secs(3)).await?;
    let next =
        js_str(&desk, "document.querySelector(\"tr[data-sen='SOC-4242'] td.escalation-cell\").textContent").await?;
    assert!(next.contains("Level 1") && next.contains("Statewide Incident Program Manager"), "next escalation: {next}");
    desk.screenshot("sen-board").await?;

    // Keyboard: focus the row, Enter opens the SEN.
    desk.css("tr[data-sen='SOC-4242']").await?.send_keys(&Key::Enter).await?;
    desk.wait_css("#sen-title", WAIT).await?;
    desk.wait_css("#stage-determine", WAIT).await?;
    let projected_due = js_str(&desk, "document.getElementById('stage-determine').dataset.due").await?;
    let projected_text = desk.css("#stage-determine .stage-due").await?.text().await?;
    let projected = js(&desk, "Date.parse(document.getElementById('stage-determine').dataset.due) - Date.parse(document.getElementById('stage-acknowledge').dataset.due)").await?;
    assert_eq!(projected.as_f64(), Some(7_200_000.0), "determination projected 2 h after the acknowledgement due time");

    // Acknowledge with a response format and its bracketed values; the preview is the finished text.
    desk.by_id("ack-format-remediation_planned").await?.click().await?;
    desk.wait_css("[id='ack-values.remediation_status']", WAIT).await?;
    desk.css("[id='ack-values.remediation_status'] option[value='in progress']").await?.click().await?;
    desk.css("[id='ack-values.completion_date']").await?.send_keys("2026-12-15").await?;
    let expected = "Risk known by entity and remediation in progress and will be completed by 2026-12-15.";
    desk.wait_js(&format!("document.getElementById('ack-preview').textContent === {expected:?}"), WAIT).await?;
    desk.wait_js("!document.getElementById('ack-preview-copy').disabled", WAIT).await?;
    js(&desk, "document.getElementById('ack-preview').scrollIntoView({block: 'center'})").await?;
    desk.screenshot("sen-detail-acknowledge").await?;
    let before_click = js(&desk, "Date.now()").await?.as_f64().context("now")?;
    desk.by_id("ack-submit").await?.click().await?;
    desk.wait_css("#ack-text", WAIT).await?;
    assert_eq!(desk.text("ack-text").await?, expected, "the finished text is shown to copy");
    assert_eq!(js_str(&desk, "document.getElementById('sen-status').dataset.status").await?, "acknowledged");

    // The determination stage now starts at the real acknowledgement and is due 2 clock hours later.
    let start = js(&desk, "Date.parse(document.getElementById('stage-determine').dataset.start)")
        .await?
        .as_f64()
        .context("start")?;
    let due = js(&desk, "Date.parse(document.getElementById('stage-determine').dataset.due)")
        .await?
        .as_f64()
        .context("due")?;
    if !(before_click - 2_000.0..=before_click + 30_000.0).contains(&start) {
        bail!("the determination starts at the acknowledgement ({start}), clicked at {before_click}");
    }
    assert_eq!(due - start, 7_200_000.0, "2 clock hours after the acknowledgement");
    assert_ne!(js_str(&desk, "document.getElementById('stage-determine').dataset.due").await?, projected_due);
    let moved_text = desk.css("#stage-determine .stage-due").await?.text().await?;
    assert_ne!(moved_text, projected_text, "the due time shown moved");
    assert!(desk.css("#stage-acknowledge").await?.text().await?.contains("done"), "acknowledge stage done");
    assert!(
        desk.css("#sen-history").await?.text().await?.contains("acknowledged with"),
        "history has the acknowledgement"
    );
    desk.wait_css("#det-form", WAIT).await?;
    js(&desk, "document.getElementById('main').scrollTop = 0").await?;
    desk.screenshot("sen-detail").await?;
    js(&desk, "document.getElementById('ack-text').scrollIntoView({block: 'center'})").await?;
    desk.screenshot("sen-detail-acknowledged").await?;

    // Help or more time requested: the determination is due at the date given (wall clock in the
    // calendar's zone), and the SEN stays open.
    desk.by_id("det-outcome-more_time").await?.click().await?;
    desk.wait_js("!document.getElementById('det-findings-wrap').hidden", WAIT).await?;
    desk.fill("det-details", "Firewall logs requested from the hosting vendor.").await?;
    // WebKit's datetime-local control takes typed digits field by field; set it as the picker would.
    js(&desk, "(() => { const el = document.getElementById('det-findings_by'); el.value = '2030-01-15T10:00'; el.dispatchEvent(new Event('input', {bubbles: true})); return true; })()").await?;
    desk.by_id("det-submit").await?.click().await?;
    desk.wait_js("document.getElementById('sen-status').dataset.status === 'more_time'", WAIT).await?;
    assert_eq!(js_str(&desk, "document.getElementById('stage-determine').dataset.due").await?, "2030-01-15T18:00:00Z");
    assert!(
        desk.text("stage-determine").await?.contains("2030-01-15 10:00 \u{2212}08:00"),
        "shown in the calendar's zone"
    );

    // Who else the SOC told for a Critical SEN (Table 2, phone attempts in order) and each
    // escalation level's whole distribution (Table 3).
    let phoned = desk.text("told-phoned").await?;
    assert!(phoned.contains("Designated entity ISO") && phoned.contains("Designated entity backup AISO"), "{phoned}");
    assert!(desk.text("told-level-2").await?.contains("State Chief Information Security Officer"));
    js(&desk, "document.getElementById('sen-told').scrollIntoView({block: 'start'})").await?;
    // The page redraws on every change: scrolled again until it stays.
    desk.wait_js("(() => { const el = document.getElementById('sen-told'); el.scrollIntoView({block: 'start'}); return el.getBoundingClientRect().top < 400; })()", WAIT).await?;
    desk.settled_screenshot("sen-detail-who-was-told").await?;

    // Help requested from the SOC, in time: no running deadline, the contacts to call; a final
    // determination still follows.
    desk.by_id("det-outcome-request_help").await?.click().await?;
    desk.wait_js("!document.getElementById('det-help-hint').hidden", WAIT).await?;
    desk.wait_js("document.getElementById('det-findings-wrap').hidden", WAIT).await?;
    desk.fill("det-details", "Need the SOC's packet capture to tell beaconing from the backup agent.").await?;
    desk.by_id("det-submit").await?.click().await?;
    desk.wait_js("document.getElementById('help-state')?.dataset.state === 'pending'", WAIT).await?;
    assert!(desk.text("sen-help").await?.contains("Cal-CSIC"), "the contact for help is named");
    js(&desk, "document.getElementById('sen-help').scrollIntoView({block: 'start'})").await?;
    // The page redraws on every change: scrolled again until it stays.
    desk.wait_js("(() => { const el = document.getElementById('sen-help'); el.scrollIntoView({block: 'start'}); return el.getBoundingClientRect().top < 400; })()", WAIT).await?;
    desk.settled_screenshot("sen-detail-help-requested").await?;

    // Confirmed incident: the incident-record stage starts; the report association is offered.
    desk.by_id("det-outcome-confirmed_incident").await?.click().await?;
    desk.fill("det-details", "Beaconing confirmed from the EDR console; host isolated.").await?;
    desk.by_id("det-submit").await?.click().await?;
    desk.wait_js("document.getElementById('sen-status').dataset.status === 'confirmed'", WAIT).await?;
    desk.wait_css("#link-form", WAIT).await?;
    let record_stage = js(&desk, "Date.parse(document.getElementById('stage-record').dataset.due) - Date.parse(document.getElementById('stage-record').dataset.start)").await?;
    assert_eq!(record_stage.as_f64(), Some(1_800_000.0), "30 clock minutes to associate the incident record");
    let history = desk.text("sen-history").await?;
    assert!(history.contains("More time requested") && history.contains("Confirmed incident"), "{history}");

    // Esc goes back to the board, where the row now counts down the incident record.
    desk.css("body").await?.send_keys(&Key::Escape).await?;
    desk.wait_js("location.hash === '#/sens'", WAIT).await?;
    desk.wait_css("tr[data-sen='SOC-4242'] td[data-stage='acknowledge'].stage-done", WAIT).await?;
    desk.wait_css("tr[data-sen='SOC-4242'] td[data-stage='record'] .countdown", WAIT).await?;

    // A pasted subject line becomes a SEN too (sent now when no time is given).
    desk.fill("sen-subject", "FW: Cal-CSIRS Notification: A Security Event Notification - soc-0777 requires your attention. The SEN Level is: medium").await?;
    desk.by_id("sen-subject-read").await?.click().await?;
    desk.wait_css("#intake-record-SOC-0777", WAIT).await?.click().await?;
    desk.wait_css("tr[data-sen='SOC-0777']", WAIT).await?;
    let badge =
        js_str(&desk, "document.querySelector(\"tr[data-sen='SOC-0777'] .level.level-medium\").textContent").await?;
    assert_eq!(badge, "Medium", "level colour with its label");

    // An .eml dropped on the window (an HTML5 drop: dragDropEnabled is off, so the page gets File objects).
    let dropped = sen_mail("SOC-0888", "HIGH", &mail_date(3));
    let script = "const dt = new DataTransfer();
        dt.items.add(new File([arguments[0]], 'SOC-0888.eml', { type: 'message/rfc822' }));
        for (const type of ['dragenter', 'dragover', 'drop']) {
          document.getElementById('main').dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
        }
        return true;";
    desk.client.execute(script, vec![Value::String(dropped)]).await?;
    desk.wait_css("#intake-record-SOC-0888", WAIT).await?.click().await?;
    desk.wait_css("tr[data-sen='SOC-0888'] .level.level-high", WAIT).await?;
    desk.screenshot("sen-board-several").await?;
    desk.quit().await?;
    Ok(())
}

#[tokio::test]
async fn calendar_settings_are_stored_and_used_by_the_cli() -> Result<()> {
    let data = tempfile::tempdir()?;
    let ics = data.path().join("closures.ics");
    std::fs::write(
        &ics,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//Closures//EN\r\nBEGIN:VEVENT\r\nUID:1@example\r\n\
         DTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260309\r\nDTEND;VALUE=DATE:20260310\r\n\
         SUMMARY:Office move\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )?;
    let desk = Desk::launch(data.path(), &[]).await?;
    desk.goto("settings").await?;
    desk.wait_css("#cal-save", WAIT).await?;
    assert!(
        desk.text("esc-seed-words").await?.contains("clock hours"),
        "the escalation setting shows the seed's words"
    );
    // The year's closed days list the holidays by rule.
    desk.fill("cal-year", "2027").await?;
    desk.wait_js("document.getElementById('cal-closed-days').textContent.includes('2027-11-11')", WAIT).await?;

    // A zone that does not exist is refused on its field; what was typed stays, nothing is saved.
    desk.fill("cal-time_zone", "Mars/Olympus_Mons").await?;
    desk.by_id("cal-save").await?.click().await?;
    desk.wait_js("document.getElementById('cal-status').textContent.startsWith('Not saved')", WAIT).await?;
    desk.wait_js("document.getElementById('cal-time_zone').getAttribute('aria-invalid') === 'true'", WAIT).await?;
    assert!(desk.text("cal-time_zone-error").await?.contains("not a time zone"), "message on the field");
    assert_eq!(desk.value("cal-time_zone").await?, "Mars/Olympus_Mons");
    // With the zone field focused WebKit shows its suggestion list, and a screenshot then misses the page.
    js(&desk, "document.activeElement.blur() || true").await?;
    desk.screenshot("settings-calendar-invalid").await?;
    desk.fill("cal-time_zone", "America/Los_Angeles").await?;

    // Import closure days from an .ics file: merged into the form and saved.
    desk.by_id("cal-ics-input").await?.send_keys(ics.to_str().context("path")?).await?;
    desk.wait_js("document.getElementById('cal-status').textContent.includes('1 closure day added')", WAIT).await?;
    desk.fill("cal-year", "2026").await?;
    desk.wait_js("document.getElementById('cal-closed-days').textContent.includes('Office move')", WAIT).await?;
    desk.screenshot("settings-calendar").await?;
    desk.quit().await?;

    // The CLI uses the stored calendar: Friday 16:30 PST, the Monday is closed (office move), so the
    // High acknowledgement is due Tuesday 09:30 PDT.
    let v = deadlines(data.path(), &["--level", "high", "--sent", "2026-03-06T16:30:00-08:00"]);
    assert_eq!(stages(&v)[0], ("acknowledge".to_string(), "2026-03-10T09:30:00-07:00".to_string()));
    Ok(())
}

/// `incident-desk fallback` on a fresh install (no database, no key): the contact for the moment
/// on the state office calendar, ENTAC outside its hours when law enforcement is needed.
#[test]
fn cli_fallback_answers_on_the_state_office_calendar() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let run = |args: &[&str]| {
        let mut all = vec!["fallback"];
        all.extend_from_slice(args);
        let run = cli(d, &all);
        assert_eq!(run.code, 0, "fallback {args:?}: {}", run.stderr);
        run.json()
    };
    // Saturday, law enforcement needed: ENTAC, then the CISO on Monday 08:00.
    let v = run(&["--at", "2026-03-07T10:00:00-08:00", "--law-enforcement-needed"]);
    assert_eq!(v["contact"], "entac");
    assert_eq!(v["phone"], "(916) 843-4199");
    assert!(v.get("email").is_none());
    assert_eq!(v["next_business_day"], "2026-03-09T08:00:00-07:00");
    assert!(v["seed_words"].as_str().unwrap().contains("outside of normal business hours"));
    // Friday 16:30 before Martin Luther King Jr. Day, no law enforcement: the CISO now.
    let v = run(&["--at", "2026-01-16T16:30:00-08:00"]);
    assert_eq!((v["contact"].as_str(), v["email"].as_str()), (Some("ciso"), Some("security@state.ca.gov")));
    assert!(v.get("next_business_day").is_none());
    // The holiday itself, no law enforcement: the CISO at Tuesday's opening.
    let v = run(&["--at", "2026-01-19T10:00:00-08:00"]);
    assert_eq!(
        (v["contact"].as_str(), v["next_business_day"].as_str()),
        (Some("ciso"), Some("2026-01-20T08:00:00-08:00"))
    );
    assert!(
        !d.join("incident-desk.sqlite3").exists()
            && std::fs::read_dir(d).unwrap().all(|e| e.unwrap().file_name() == "logs"),
        "read-only: nothing created but logs"
    );
    assert_refused(&cli(d, &["fallback", "--at", "tomorrow"]), "--at");
}
