//! Outlook .msg intake end to end: a SEN-shaped .msg dropped on the window (a forward with the SEN
//! embedded) or picked becomes a SEN; the real Outlook samples (none is a SEN) are read and refused
//! with their subject in the message; `bad_outlook.msg` is refused cleanly; nothing is stored by a
//! refusal. The CLI does the same, and `sen import-email --dry-run` works on a fresh install.
//!
//! The fixtures are desk-core's (src-tauri/crates/desk-core/tests/it/fixtures/msg, see its README).

use anyhow::{Context, Result};
use e2e::{app_binary, Desk};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

use e2e::WAIT;

fn msg_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src-tauri/crates/desk-core/tests/it/fixtures/msg").join(name)
}

/// `incident-desk --data-dir D args…`: exit code, stdout, stderr.
fn cli(data_dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(app_binary())
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("INCIDENT_DESK_DATA_DIR")
        .output()
        .expect("run incident-desk");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn import(data_dir: &Path, name: &str, extra: &[&str]) -> (i32, String, String) {
    let path = msg_fixture(name);
    let mut args = vec!["sen", "import-email", path.to_str().expect("path")];
    args.extend_from_slice(extra);
    cli(data_dir, &args)
}

/// Refused input: exit 2, one line on stderr mentioning `mentions`, nothing on stdout.
fn assert_refused((code, stdout, stderr): (i32, String, String), mentions: &str) {
    assert_eq!(code, 2, "exit code; stderr: {stderr}");
    assert!(stdout.is_empty(), "nothing on stdout: {stdout}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr:?}");
    assert!(stderr.contains(mentions), "{stderr:?} should mention {mentions:?}");
}

const ASCII_SUBJECT: &str = "\u{201c}creating an outlook message file\u{201d}";
const OUTLOOK_SUBJECT: &str =
    "\u{201c}FW: [WARNING: ATTACHMENT(S) MAY CONTAIN MALWARE]Please check all aspects in documents\u{201d}";

#[test]
fn cli_imports_msg_and_refuses_the_real_samples() {
    let data = tempfile::tempdir().expect("tempdir");
    let d = data.path();

    // A dry run on a fresh install: printed, nothing created (no database, no key).
    let (code, stdout, stderr) = import(d, "sen_unicode.msg", &["--dry-run"]);
    assert_eq!(code, 0, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!((v["sen_number"].as_str(), v["level"].as_str()), (Some("SOC-2101"), Some("critical")));
    assert_eq!(v["sent_at"], "2026-03-09T09:05:13-07:00", "Date from the transport headers, in the calendar's zone");
    assert_eq!(v["sender"], "Cal-CSIRS <calcsirs@caloes.ca.gov>");
    assert!(v["summary"].as_str().unwrap_or_default().contains("(\u{e9}quipe r\u{e9}seau) is beaconing"), "{v}");
    assert!(!d.join(desk_core::store::DB_FILE).exists(), "a dry run creates no database");

    assert_refused(import(d, "ascii.msg", &[]), &format!("not a SEN notification: {ASCII_SUBJECT}"));
    assert_refused(import(d, "attachment.msg", &["--dry-run"]), &format!("not a SEN notification: {OUTLOOK_SUBJECT}"));
    assert_refused(import(d, "bad_outlook.msg", &[]), "bad_outlook.msg: not an Outlook message (.msg)");

    // Recorded: the ANSI one, then the forward (the embedded SEN's number and time).
    let (code, stdout, stderr) = import(d, "sen_ansi.msg", &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\"SOC-2102\""), "{stdout}");
    let (code, stdout, stderr) = import(d, "sen_forward_embedded.msg", &[]);
    assert_eq!(code, 0, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        (v["sen_number"].as_str(), v["sent_at"].as_str()),
        (Some("SOC-2103"), Some("2026-03-11T08:30:00-07:00"))
    );
    let (code, stdout, _) = cli(d, &["sen", "list"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("SOC-2102") && stdout.contains("SOC-2103") && !stdout.contains("SOC-2101"), "{stdout}");
}

/// Drops one file on the SEN page as the web view gets it (dragDropEnabled is off: an HTML5 drop
/// with a File object), its bytes carried as base64.
async fn drop_file(desk: &Desk, name: &str) -> Result<()> {
    let bytes = std::fs::read(msg_fixture(name)).context("fixture")?;
    let script = "const bin = atob(arguments[0]);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], arguments[1], { type: 'application/vnd.ms-outlook' }));
        for (const type of ['dragenter', 'dragover', 'drop']) {
          document.getElementById('main').dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
        }
        return true;";
    desk.client.execute(script, vec![Value::String(base64(&bytes)), Value::String(name.into())]).await?;
    Ok(())
}

/// Waits until a refusal card names `text`, and returns that card's text.
async fn refusal(desk: &Desk, text: &str) -> Result<String> {
    let find = format!(
        "[...document.querySelectorAll('.intake-refused')].map((e) => e.textContent).find((t) => t.includes({text:?})) || ''"
    );
    desk.wait_js(&format!("({find}) !== ''"), WAIT).await?;
    let found = desk.client.execute(&format!("return {find};"), vec![]).await?;
    Ok(found.as_str().unwrap_or_default().to_string())
}

#[tokio::test]
async fn msg_dropped_on_the_window_becomes_a_sen_and_real_samples_are_refused() -> Result<()> {
    let data = tempfile::tempdir()?;
    let desk = Desk::launch(data.path(), &[]).await?;
    desk.goto("sens").await?;
    desk.wait_css("#sen-eml-input", WAIT).await?;

    // A forward from a colleague with the SEN embedded: previewed as the SEN, then recorded.
    drop_file(&desk, "sen_forward_embedded.msg").await?;
    let record = desk.wait_css("#intake-record-SOC-2103", WAIT).await?;
    let preview = desk.css("[data-intake='SOC-2103']").await?.text().await?;
    assert!(preview.contains("MEDIUM") || preview.contains("Medium"), "{preview}");
    assert!(preview.contains("sen_forward_embedded.msg") && preview.contains("calcsirs@caloes.ca.gov"), "{preview}");
    // The summary line (from PR_BODY) is clipped to one line: read its text, not what is visible.
    let summary = desk
        .client
        .execute("return document.querySelector(\"[data-intake='SOC-2103'] .summary\")?.textContent ?? '';", vec![])
        .await?;
    assert!(summary.as_str().unwrap_or_default().contains("Phishing campaign"), "the summary from PR_BODY: {summary}");
    record.click().await?;
    desk.wait_css("tr[data-sen='SOC-2103'] .level.level-medium", WAIT).await?;

    // The real Outlook samples: read, and refused with their subject; bad_outlook.msg cleanly.
    drop_file(&desk, "ascii.msg").await?;
    let text = refusal(&desk, ASCII_SUBJECT).await?;
    assert!(text.contains("not a SEN notification") && text.contains("Nothing was stored"), "{text}");
    drop_file(&desk, "attachment.msg").await?;
    let text = refusal(&desk, OUTLOOK_SUBJECT).await?;
    assert!(text.contains("not a SEN notification") && text.contains("Nothing was stored"), "{text}");
    drop_file(&desk, "bad_outlook.msg").await?;
    let text = refusal(&desk, "not an Outlook message").await?;
    assert!(text.contains("bad_outlook.msg") && text.contains("Nothing was stored"), "{text}");
    desk.settled_screenshot("sen-msg-refusals").await?;

    // The file picker takes an .msg too (Unicode properties, the transport headers' Date).
    let picked = msg_fixture("sen_unicode.msg");
    desk.css("#sen-eml-input").await?.send_keys(picked.to_str().context("path")?).await?;
    desk.wait_css("#intake-record-SOC-2101", WAIT).await?.click().await?;
    desk.wait_css("tr[data-sen='SOC-2101'] .level.level-critical", WAIT).await?;

    let rows = desk.client.execute("return document.querySelectorAll('tr[data-sen]').length;", vec![]).await?;
    assert_eq!(rows.as_u64(), Some(2), "only the two SENs are on the board");
    desk.quit().await?;
    Ok(())
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len() / 3 * 4 + 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (j, b)| n | u32::from(*b) << (16 - 8 * j));
        for k in 0..4 {
            out.push(if k <= chunk.len() { ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char } else { '=' });
        }
    }
    out
}
