//! The incident report through the real window: a draft pre-filled from the profile, filled with
//! conditional sections, rows and bad input; the deadlines and what is missing; history and
//! restore; the one-way lifecycle to the outbox and a supplement; PDF, JSON export and the phone
//! summary; markup shown as text.

use anyhow::Result;
use e2e::report::{control, seed_profile};
use e2e::Desk;
use serde_json::Value;
use std::time::Duration;

use e2e::WAIT;

/// Types into a field (clearing it first), as a person would.
async fn type_into(desk: &Desk, path: &str, text: &str) -> Result<()> {
    let el = desk.wait_css(&control(path), WAIT).await?;
    el.clear().await?;
    el.send_keys(text).await?;
    Ok(())
}

async fn shown(desk: &Desk, path: &str) -> Result<bool> {
    Ok(desk.js(&format!("!document.getElementById('w-{path}').closest('[hidden]')")).await? == Value::Bool(true))
}

async fn text_of(desk: &Desk, id: &str) -> Result<String> {
    Ok(desk
        .js(&format!("document.getElementById('{id}') ? document.getElementById('{id}').textContent : ''"))
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string())
}

#[tokio::test]
async fn a_report_is_drafted_readied_submitted_and_supplemented_through_the_window() -> Result<()> {
    let data = tempfile::tempdir()?;
    let files = tempfile::tempdir()?;
    seed_profile(data.path())?;
    let desk = Desk::launch(data.path(), &[]).await?;
    let id = desk.new_report().await?;

    // Pre-filled from the profile.
    assert_eq!(desk.value("f-entity.name").await?, "Department of Examples");
    assert_eq!(desk.value("f-iso.phones").await?, "(916) 555-0100");

    // What is missing, with links that put the focus on the field.
    let required = text_of(&desk, "missing").await?;
    assert!(required.contains("Required before it can be sent (2)"), "{required}");
    desk.click_css("#missing .required button[data-path='incident.description']").await?;
    assert_eq!(desk.focused_id().await?, "f-incident.description");

    type_into(&desk, "incident.description", "Laptop stolen from a car in the district office parking lot.").await?;
    desk.click_css("#w-incident\\.discovered_at button").await?; // "Now"
    let clock = desk.wait_js("/^due in (59:|1:00:00)/.test(document.getElementById('deadline-cal-csirs-clock').textContent) && document.getElementById('deadline-cal-csirs-clock').textContent", WAIT).await?;
    println!("Cal-CSIRS clock right after discovery: {clock}");
    assert!(desk.value("f-incident.discovered_at").await?.len() >= 16);

    // Mandatory categories with their sub-types.
    assert!(
        !shown(&desk, "categories.criminal.theft_or_destruction").await?,
        "sub-types appear with criminal activity"
    );
    desk.click_css(&control("categories.criminal_activity")).await?;
    desk.wait_js("!document.getElementById('w-categories.criminal.theft_or_destruction').hidden", WAIT).await?;
    desk.click_css(&control("categories.criminal.theft_or_destruction")).await?;
    assert!(desk
        .js("document.getElementById('s-computers').classList.contains('emphasised')")
        .await?
        .as_bool()
        .unwrap_or(false));

    // Affected computers: add two, fill, remove the first.
    desk.click_css("#add-computers").await?;
    assert_eq!(desk.focused_id().await?, "f-computers.0.make_model", "a new row takes the focus");
    type_into(&desk, "computers.0.ip", "10.1.2.3").await?;
    desk.click_css("#add-computers").await?;
    type_into(&desk, "computers.1.hostname", "LT-0042").await?;
    type_into(&desk, "computers.1.ip", "10.1.2.999").await?;
    desk.wait_saved().await?;
    desk.click_css("#remove-computers-0").await?;
    desk.wait_saved().await?;
    assert_eq!(desk.value("f-computers.0.hostname").await?, "LT-0042", "the rows after a removed one move up");
    assert!(desk.js("!document.getElementById('f-computers.1.ip')").await?.as_bool().unwrap_or(false));
    desk.wait_js(
        "document.getElementById('f-computers.0.ip-error').textContent.includes('not an IPv4 or IPv6 address')",
        WAIT,
    )
    .await?;
    type_into(&desk, "computers.0.ip", "10.1.2.9").await?;

    // Federal category and the condition that changes its timeframe.
    desk.click_css("#f-federal\\.category--cat_2").await?;
    desk.wait_js("!document.getElementById('w-federal.cat2_ongoing_unmitigated').hidden", WAIT).await?;
    assert!(!shown(&desk, "federal.cat5_classified").await?);
    desk.wait_js("document.getElementById('deadline-federal-clock').textContent.includes('Not required')", WAIT)
        .await?;
    desk.click_css(&control("federal.cat2_ongoing_unmitigated")).await?;
    desk.wait_js("/^due in 1:5\\d:/.test(document.getElementById('deadline-federal-clock').textContent)", WAIT).await?;
    assert!(text_of(&desk, "deadline-federal").await?.contains("Within two (2) hours of discovery/detection"));

    // Bad input: a message on the field, what was typed kept.
    type_into(&desk, "network.source_port", "70000").await?;
    desk.wait_js("document.getElementById('f-network.source_port-error').textContent.includes('not a port')", WAIT)
        .await?;
    assert_eq!(desk.value("f-network.source_port").await?, "70000");
    type_into(&desk, "network.source_port", "443").await?;

    // Personal information: over 500 residents → the sample notice for the Attorney General.
    assert!(!shown(&desk, "personal_info.residents_to_notify").await?);
    desk.click_css("#f-personal_info\\.involved--yes").await?;
    type_into(&desk, "personal_info.residents_to_notify", "1200").await?;
    desk.wait_js("!!document.getElementById('task-send_sample_notice_to_ag')", WAIT).await?;
    assert!(text_of(&desk, "task-ciso_review_of_notice").await?.contains("CISO for review and approval"));
    desk.wait_saved().await?;
    desk.wait_js("document.getElementById('f-network.source_port-error').textContent === ''", WAIT).await?;
    desk.settled_screenshot("report-editor-filled").await?;
    desk.js("document.getElementById('s-computers').scrollIntoView()").await?;
    desk.settled_screenshot("report-editor-computers").await?;

    // History: the removed computer comes back by restoring the revision before the removal.
    desk.click_css("#report-history").await?;
    desk.wait_css("#history-list li", WAIT).await?;
    // Each line says who saved it (OS user and host, desk_core::audit).
    let who = desk.js("document.querySelector('#history-list li .history-when').textContent").await?;
    assert!(who.as_str().unwrap_or_default().contains(" \u{b7} by "), "{who}");
    desk.settled_screenshot("report-history").await?;
    let restore_to = desk
        .js("(() => { const items = [...document.querySelectorAll('#history-list li')]; const i = items.findIndex((li) => li.textContent.includes('Computer 1 removed')); return Number(items[i + 1].dataset.revision); })()")
        .await?
        .as_i64()
        .expect("a revision before the removal");
    desk.click_css(&format!(
        "#history-list li[data-revision='{restore_to}'] button[aria-label='View revision {restore_to}']"
    ))
    .await?;
    desk.wait_js("document.getElementById('history-view').textContent.includes('10.1.2.3')", WAIT).await?;
    desk.click_css("#history-restore-viewed").await?;
    desk.click_css("#confirm-yes").await?;
    desk.wait_js("!!document.getElementById('f-computers.1.hostname')", WAIT).await?;
    assert_eq!(desk.value("f-computers.0.ip").await?, "10.1.2.3");
    assert!(text_of(&desk, "report-action-status").await?.contains(&format!("Revision {restore_to} restored")));
    // The federal choice made after that revision is gone with it; choose it again.
    desk.click_css("#f-federal\\.category--cat_1").await?;
    type_into(&desk, "computers.1.ip", "10.1.2.10").await?;
    desk.wait_saved().await?;

    // Lifecycle: ready (read-only), back to draft, ready, submit, supplement.
    desk.click_css("#report-ready").await?;
    desk.wait_js("document.getElementById('report-state').textContent === 'Ready'", WAIT).await?;
    assert!(desk.js("document.getElementById('f-incident.description').readOnly").await?.as_bool().unwrap_or(false));
    desk.settled_screenshot("report-ready").await?;
    desk.click_css("#report-to-draft").await?;
    desk.wait_js("document.getElementById('report-state').textContent === 'Draft'", WAIT).await?;
    assert!(!desk.js("document.getElementById('f-incident.description').readOnly").await?.as_bool().unwrap_or(true));
    desk.click_css("#report-ready").await?;
    desk.click_css("#report-submit").await?;
    desk.wait_css("#confirm-dialog", WAIT).await?;
    desk.settled_screenshot("report-submit-confirm").await?;
    desk.click_css("#confirm-yes").await?;
    desk.wait_js("document.getElementById('report-state').textContent === 'Queued'", WAIT).await?;
    assert!(desk.js("document.getElementById('report-supplement').disabled").await?.as_bool().unwrap_or(false));
    type_into(&desk, "incident.actions_taken", "Disabled the laptop's accounts; notified CHP.").await?;
    desk.wait_saved().await?;
    desk.wait_js("!document.getElementById('report-supplement').disabled", WAIT).await?;
    desk.click_css("#report-supplement").await?;
    desk.click_css("#confirm-yes").await?;
    desk.wait_js("document.getElementById('report-action-status').textContent.includes('Supplement queued')", WAIT)
        .await?;

    // Outputs: phone summary, PDF, JSON export.
    desk.click_css("#report-phone-summary").await?;
    let summary = desk.wait_js("document.getElementById('phone-summary-text') && document.getElementById('phone-summary-text').textContent", WAIT).await?;
    let summary = summary.as_str().unwrap_or_default();
    assert!(summary.starts_with("INCIDENT REPORT \u{2014} PHONE SUMMARY"), "{summary}");
    assert!(summary.contains("LT-0042") && summary.contains("(916) 843-4199"), "{summary}");
    desk.settled_screenshot("report-phone-summary").await?;
    desk.click_css("#phone-summary-dialog-close").await?;
    // A modal dialog makes the rest of the page inert until it is really gone.
    desk.wait_js("!document.querySelector('dialog[open]')", WAIT).await?;

    let folder = files.path().join("out");
    let folder_input = desk.by_id("output-folder").await?;
    // WebKitWebDriver does not scroll an element inside the scrolling <main> into view by itself.
    desk.js("document.getElementById('output-folder').scrollIntoView({ block: 'center' })").await?;
    folder_input.clear().await?;
    folder_input.send_keys(&folder.display().to_string()).await?;
    desk.click_css("#report-write-pdf").await?;
    let pdf = desk.wait_js("document.getElementById('report_write_pdf-path') && document.getElementById('report_write_pdf-path').textContent", WAIT).await?;
    let pdf = std::path::PathBuf::from(pdf.as_str().unwrap_or_default());
    assert!(pdf.starts_with(&folder), "{}", pdf.display());
    assert!(std::fs::read(&pdf)?.starts_with(b"%PDF-"), "a PDF at {}", pdf.display());
    desk.click_css("#report-export").await?;
    let json = desk.wait_js("document.getElementById('report_export_file-path') && document.getElementById('report_export_file-path').textContent", WAIT).await?;
    let exported: Value = serde_json::from_str(&std::fs::read_to_string(json.as_str().unwrap_or_default())?)?;
    assert_eq!(exported["format"], "incident-desk/report");
    assert_eq!(exported["report"]["computers"][0]["ip"], "10.1.2.3");
    assert_eq!(exported["report"]["incident"]["actions_taken"], "Disabled the laptop's accounts; notified CHP.");
    desk.settled_screenshot("report-queued-with-outputs").await?;
    desk.quit().await?;

    // What the window did is on disk: queued, with the incident and the supplement in the outbox.
    let store = e2e::open_store(data.path())?;
    let report = desk_core::report::get(store.conn(), &desk_core::report::ReportId::parse(&id)?)?;
    assert_eq!(report.state, desk_core::report::State::Queued);
    assert_eq!(report.doc.computers.len(), 2);
    let kinds: Vec<String> = store
        .conn()
        .prepare("SELECT kind FROM outbox WHERE record_id = ?1 ORDER BY id")?
        .query_map([&id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    assert_eq!(kinds, ["incident", "supplement"]);

    // What the window wrote left the window private: the PDF and the export are 0600.
    #[cfg(unix)]
    for file in [pdf.clone(), std::path::PathBuf::from(json.as_str().unwrap_or_default())] {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file)?.permissions().mode() & 0o777, 0o600, "{}", file.display());
    }
    drop(store);
    audit_verify_then_tamper(data.path(), &id)?;
    Ok(())
}

fn cli(data: &std::path::Path, args: &[&str]) -> Result<std::process::Output> {
    Ok(std::process::Command::new(e2e::app_binary()).arg("--data-dir").arg(data).args(args).output()?)
}

/// Accountability on the database the window built: every history row names who did it, the
/// chains verify, and a revision edited with the key in hand is found and named.
fn audit_verify_then_tamper(data: &std::path::Path, id: &str) -> Result<()> {
    // The data directory the window used is private: 0700, its database and journals 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(data)?.permissions().mode() & 0o777, 0o700);
        for entry in std::fs::read_dir(data)?.flatten() {
            let mode = entry.metadata()?.permissions().mode() & 0o777;
            let want = if entry.file_type()?.is_dir() { 0o700 } else { 0o600 };
            assert_eq!(mode, want, "{}", entry.path().display());
        }
    }
    let history = cli(data, &["report", "history", id])?;
    assert!(history.status.success(), "{}", String::from_utf8_lossy(&history.stderr));
    let history: Value = serde_json::from_slice(&history.stdout)?;
    let revisions = history["revisions"].as_array().cloned().unwrap_or_default();
    assert!(revisions.len() > 5, "{history}");
    for r in revisions.iter().chain(history["events"].as_array().into_iter().flatten()) {
        assert!(!r["actor"]["user"].as_str().unwrap_or_default().is_empty(), "actor recorded: {r}");
        assert!(!r["actor"]["host"].as_str().unwrap_or_default().is_empty(), "host recorded: {r}");
    }

    let verify = cli(data, &["audit", "verify"])?;
    assert_eq!(verify.status.code(), Some(0), "{}", String::from_utf8_lossy(&verify.stderr));
    let summary: Value = serde_json::from_slice(&verify.stdout)?;
    assert_eq!(summary["ok"], true);
    assert!(summary["rows"].as_u64().unwrap_or(0) >= revisions.len() as u64, "{summary}");

    // Someone with the key edits a saved revision behind the app's back.
    let row: i64 = {
        let store = e2e::open_store(data)?;
        let row = store.conn().query_row(
            "SELECT id FROM report_revisions WHERE report_id = ?1 AND kind = 'set' ORDER BY id LIMIT 1 OFFSET 2",
            [id],
            |r| r.get(0),
        )?;
        store.conn().execute_batch("DROP TRIGGER report_revisions_no_update")?;
        store.conn().execute("UPDATE report_revisions SET value = '\"tampered\"' WHERE id = ?1", [row])?;
        row
    };
    let verify = cli(data, &["audit", "verify"])?;
    assert_eq!(verify.status.code(), Some(1), "{}", String::from_utf8_lossy(&verify.stdout));
    let broken: Value = serde_json::from_slice(&verify.stdout)?;
    assert_eq!(broken["broken"]["table"], "report_revisions", "{broken}");
    assert_eq!(broken["broken"]["row_id"], row, "{broken}");
    assert_eq!(broken["broken"]["record"], id, "{broken}");
    let stderr = String::from_utf8_lossy(&verify.stderr);
    assert!(stderr.contains(&format!("report_revisions row {row}")), "{stderr}");
    Ok(())
}

#[tokio::test]
async fn ready_is_refused_with_the_missing_fields_named_and_focused() -> Result<()> {
    let data = tempfile::tempdir()?;
    let desk = Desk::launch(data.path(), &[]).await?; // no profile: contacts are empty
    desk.new_report().await?;
    type_into(&desk, "incident.description", "Suspicious sign-ins.").await?;
    desk.wait_saved().await?;
    desk.click_css("#report-ready").await?;
    desk.wait_js("document.getElementById('report-action-status').classList.contains('error')", WAIT).await?;
    let status = text_of(&desk, "report-action-status").await?;
    assert!(status.contains("fields to fill or correct"), "{status}");
    assert_eq!(desk.focused_id().await?, "f-entity.name", "the first field that blocks takes the focus");
    assert_eq!(text_of(&desk, "report-state").await?, "Draft");
    let missing = text_of(&desk, "missing").await?;
    for label in ["Entity name", "Discovered at", "Name (Reporting person)"] {
        assert!(missing.contains(label), "{label} in {missing}");
    }
    // A time in the future is a message on the field; the draft keeps it.
    type_into(&desk, "incident.discovered_at", "2999-01-01 08:00").await?;
    desk.wait_js(
        "document.getElementById('f-incident.discovered_at-error').textContent.includes('in the future')",
        WAIT,
    )
    .await?;
    desk.settled_screenshot("report-not-ready").await?;
    desk.quit().await?;
    Ok(())
}

const MARKUP: &str = "<img src=x onerror=\"window.__xss=1\"><b>bold?</b>";

#[tokio::test]
async fn markup_in_any_field_is_stored_and_shown_as_text() -> Result<()> {
    let data = tempfile::tempdir()?;
    seed_profile(data.path())?;
    let desk = Desk::launch(data.path(), &[]).await?;
    let id = desk.new_report().await?;
    type_into(&desk, "incident.description", MARKUP).await?;
    desk.click_css("#add-computers").await?;
    type_into(&desk, "computers.0.hostname", MARKUP).await?;
    type_into(&desk, "sen.sen_number", MARKUP).await?;
    desk.wait_saved().await?;
    desk.quit().await?;

    // Stored exactly as typed.
    {
        let store = e2e::open_store(data.path())?;
        let report = desk_core::report::get(store.conn(), &desk_core::report::ReportId::parse(&id)?)?;
        assert_eq!(report.doc.incident.description, MARKUP);
        assert_eq!(report.doc.computers[0].hostname, MARKUP);
        assert_eq!(report.doc.sen.sen_number, MARKUP);
    }

    // Shown as text everywhere it appears: list, editor, missing list, history, phone summary, print.
    let desk = Desk::launch(data.path(), &[]).await?;
    desk.goto("reports").await?;
    desk.wait_css("#report-rows a", WAIT).await?;
    assert_eq!(desk.js("document.querySelector('#report-rows a').textContent").await?, MARKUP);
    desk.open_report(&id).await?;
    assert_eq!(desk.value("f-incident.description").await?, MARKUP);
    assert_eq!(desk.value("f-computers.0.hostname").await?, MARKUP);
    desk.click_css("#report-history").await?;
    desk.wait_js("document.getElementById('history-list').textContent.includes('window.__xss=1')", WAIT).await?;
    desk.click_css("#history-dialog-close").await?;
    desk.click_css("#report-phone-summary").await?;
    desk.wait_js("document.getElementById('phone-summary-text') && document.getElementById('phone-summary-text').textContent.includes('<b>bold?</b>')", WAIT).await?;
    desk.click_css("#phone-summary-dialog-close").await?;
    desk.js("window.dispatchEvent(new Event('beforeprint'))").await?;
    assert!(text_of(&desk, "print-view").await?.contains(MARKUP));
    tokio::time::sleep(Duration::from_millis(300)).await; // any image would have tried to load by now
    let images = desk.js("[...document.querySelectorAll('img')].map((i) => i.getAttribute('src'))").await?;
    assert_eq!(images, serde_json::json!(["icon.svg"]), "the only image is the app's own icon");
    assert_eq!(desk.js("document.querySelectorAll('b').length").await?, 0);
    assert_eq!(desk.js("typeof window.__xss").await?, "undefined", "the handler never ran");
    desk.settled_screenshot("report-markup-as-text").await?;
    desk.quit().await?;
    Ok(())
}
