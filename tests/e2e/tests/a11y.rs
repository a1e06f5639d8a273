//! Accessibility with axe-core itself: every page and dialog of the window, in the light and the
//! dark theme, with zero serious or critical violations, and a visible focus on every Tab stop (see
//! tests/e2e/src/a11y.rs). Prints `axe: <version>, <n> rules, <n> pages x 2 themes, 0 serious/critical`.
//! A second test plants faults and expects axe to report them, so the audit cannot pass vacuously.

use anyhow::{Context, Result};
use e2e::a11y::{axe_run, axe_source, focus_walk, Audit};
use e2e::portal::{cli_json, queue_reports};
use e2e::report::{control, seed_profile};
use e2e::Desk;
use std::path::{Path, PathBuf};

use e2e::WAIT;

/// What is done on a page before it is audited.
enum Step {
    Click(&'static str),
    /// Types into a control (a file input takes a path); `{mail}` is the mail fixtures' folder.
    Type(&'static str, &'static str),
    /// Scrolls an element to the top of the page.
    Scroll(&'static str),
}
use Step::{Click, Scroll, Type};

/// Every page and dialog audited, in order: name, route, steps, the element that says it is shown.
/// `{report}` is the draft being written, `{queued}` a queued report. Adding a page is one line.
const PAGES: &[(&str, &str, &[Step], &str)] = &[
    ("SEN board", "#/sens", &[], "tr[data-sen='SOC-0123']"),
    (
        "SEN intake: subject line read",
        "#/sens",
        &[Type("#sen-subject", SUBJECT), Click("#sen-subject-read")],
        "#intake-record-SOC-0777",
    ),
    ("SEN intake: mail refused", "#/sens", &[Type("#sen-eml-input", "{mail}/not_sen_meeting.eml")], ".intake-refused"),
    (
        "SEN intake: by hand",
        "#/sens",
        &[Click(".intake-manual-wrap summary")],
        ".intake-manual-wrap[open] #sen-new-create",
    ),
    ("SEN detail", "#/sens/SOC-0123", &[], "#stage-determine"),
    (
        "SEN acknowledgement format",
        "#/sens/SOC-0123",
        &[Click("#ack-format-remediation_planned")],
        "[id='ack-values.remediation_status']",
    ),
    (
        "SEN determination",
        "#/sens/SOC-0123",
        &[
            Click("#ack-format-remediation_completed"),
            Type("[id='ack-values.completed_on']", "2026-12-15"),
            Click("#ack-submit"),
        ],
        "#det-form",
    ),
    ("reports list", "#/reports", &[], "#report-rows tr + tr"),
    (
        "report import dialog",
        "#/reports",
        &[Click("#report-import"), Type("#import-text", "{\"format\": \"nope\"}"), Click("#import-go")],
        "#import-error:not(:empty)",
    ),
    ("report editor", "#/reports/{report}", &[], "#f-personal_info\\.residents_to_notify"),
    (
        "report history dialog",
        "#/reports/{report}",
        &[Click("#report-history"), Click("#history-list li button")],
        "#history-view-title",
    ),
    ("report phone summary dialog", "#/reports/{report}", &[Click("#report-phone-summary")], "#phone-summary-text"),
    ("report queued (read only)", "#/reports/{queued}", &[], "#report-state"),
    ("outbox", "#/outbox", &[], "#fallback:not([hidden]) #fallback-headline"),
    ("settings: profile", "#/settings", &[Scroll("#settings-profile")], "#profile-save"),
    ("settings: calendar", "#/settings", &[Scroll("#settings-calendar")], "#settings-calendar button"),
    ("settings: reminders", "#/settings", &[Scroll("#settings-reminders")], "#settings-reminders button"),
    ("settings: portal", "#/settings", &[Scroll("#settings-portal")], "#settings-portal button"),
    ("settings: security", "#/settings", &[Scroll("#settings-security")], "#settings-security button"),
    ("settings: backups", "#/settings", &[Scroll("#settings-backups")], "#settings-backups button"),
];

const SUBJECT: &str = "FW: Cal-CSIRS Notification: A Security Event Notification - soc-0777 requires your attention. The SEN Level is: medium";

fn mail_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src-tauri/crates/desk-core/tests/it/fixtures/mail")
}

/// Opens one page of the table: any dialog closed, the route rendered afresh, the steps done.
async fn open(desk: &Desk, route: &str, steps: &[Step], ready: &str) -> Result<()> {
    desk.client
        .execute(
            "for (const d of document.querySelectorAll('dialog[open]')) d.close();
             document.getElementById('main').replaceChildren();
             if (location.hash === arguments[0]) window.dispatchEvent(new HashChangeEvent('hashchange'));
             else location.hash = arguments[0];",
            vec![route.into()],
        )
        .await?;
    for step in steps {
        match step {
            Click(selector) => desk.click_css(selector).await?,
            Type(selector, text) => {
                let text = text.replace("{mail}", &mail_fixtures().display().to_string());
                desk.wait_css(selector, WAIT).await?.send_keys(&text).await?;
            }
            Scroll(selector) => {
                desk.wait_css(selector, WAIT).await?;
                desk.client
                    .execute(
                        "document.querySelector(arguments[0]).scrollIntoView({ block: 'start' });",
                        vec![(*selector).into()],
                    )
                    .await?;
            }
        }
    }
    if let Err(e) = desk.wait_css(ready, WAIT).await {
        let shown = desk.js("location.hash + ': ' + document.getElementById('main').textContent.slice(0, 300)").await?;
        desk.screenshot("a11y-not-shown").await?;
        return Err(e.context(format!("the window shows {shown}")));
    }
    Ok(())
}

async fn type_into(desk: &Desk, path: &str, text: &str) -> Result<()> {
    let el = desk.wait_css(&control(path), WAIT).await?;
    el.clear().await?;
    el.send_keys(text).await?;
    Ok(())
}

#[tokio::test]
async fn every_page_and_dialog_passes_axe_in_both_themes() -> Result<()> {
    let mut audit = Audit::new()?;
    let data = tempfile::tempdir()?;
    seed_profile(data.path())?;
    // A SEN recorded by a mail rule months ago (overdue, escalated), a report queued for a portal
    // that does not answer (the outbox shows the fallback and the report owed).
    let mail = mail_fixtures().join("sen_q_encoded.eml");
    cli_json(data.path(), &["sen", "import-email", mail.to_str().context("path")?], &[])?;
    cli_json(data.path(), &["portal", "configure", "--url", "http://127.0.0.1:9"], &[])?;
    let discovered = (chrono::Local::now() - chrono::Duration::minutes(20)).format("%Y-%m-%dT%H:%M:%S%:z").to_string();
    let queued = queue_reports(data.path(), 1, &discovered)?.remove(0);
    let desk = Desk::launch(data.path(), &[]).await?;
    // The portal banner arrives once the first delivery has failed, and pushes the page down: the
    // clicks below wait for it, or one can land where a button was a moment before.
    desk.wait_js("document.querySelector('#banner-portal')?.textContent.includes('unreachable')", WAIT).await?;

    // A draft with everything showing: conditions met, rows, a field message, tasks.
    let report = desk.new_report().await?;
    type_into(&desk, "incident.description", "Ransomware note on two payroll workstations.").await?;
    desk.click_css("#w-incident\\.discovered_at button").await?;
    desk.click_css(&control("categories.criminal_activity")).await?;
    desk.click_css("#add-computers").await?;
    desk.click_css("#add-computers").await?;
    type_into(&desk, "computers.0.ip", "10.0.0.999").await?;
    desk.click_css("#f-federal\\.category--cat_3").await?;
    desk.click_css("#f-personal_info\\.involved--yes").await?;
    type_into(&desk, "personal_info.residents_to_notify", "900").await?;
    desk.wait_saved().await?;

    for (name, route, steps, ready) in PAGES {
        let route = route.replace("{report}", &report).replace("{queued}", &queued);
        open(&desk, &route, steps, ready).await.with_context(|| format!("opening {name}"))?;
        audit.page(&desk, name).await?;
    }
    desk.quit().await?;

    // The damaged-database notice: a page past the first of the encrypted file flipped, so its
    // HMAC fails the integrity check at start.
    let damaged = tempfile::tempdir()?;
    queue_reports(damaged.path(), 40, &discovered)?;
    let db = damaged.path().join(desk_core::store::DB_FILE);
    let mut bytes = std::fs::read(&db)?;
    let at = bytes.len() - 3000;
    bytes[at..at + 64].iter_mut().for_each(|b| *b ^= 0xff);
    std::fs::write(&db, &bytes)?;
    let desk = Desk::launch(damaged.path(), &[]).await?;
    desk.wait_css("#banner-db-damaged", WAIT).await?;
    audit.page(&desk, "damaged database notice").await?;
    desk.quit().await?;

    // The start-up failure page: a database whose key the keyring does not hold.
    let locked = tempfile::tempdir()?;
    std::fs::write(locked.path().join(desk_core::store::DB_FILE), vec![0x5a; 8192])?;
    let desk = Desk::launch(locked.path(), &[]).await?;
    desk.wait_css("#startup-error", WAIT).await?;
    audit.page(&desk, "start-up failure page").await?;
    desk.quit().await?;

    audit.finish()
}

#[tokio::test]
async fn axe_finds_planted_faults() -> Result<()> {
    let source = axe_source()?;
    let data = tempfile::tempdir()?;
    let desk = Desk::launch(data.path(), &[]).await?;
    desk.goto("reports").await?;
    desk.wait_css("#report-new", WAIT).await?;
    let clean = axe_run(&desk, &source).await?;
    assert_eq!(clean.serious().count(), 0, "the page is clean before planting");

    // Faint grey text on white (2.3:1) and a text box without a label.
    desk.js("(() => {
            const faint = document.createElement('p');
            faint.id = 'planted-faint';
            faint.textContent = 'faint text';
            faint.style.color = '#aaaaaa';
            faint.style.background = '#ffffff';
            const input = document.createElement('input');
            input.type = 'text';
            input.id = 'planted-input';
            document.getElementById('main').prepend(faint, input);
        })()")
        .await?;
    let found = axe_run(&desk, &source).await?;
    for (rule, target) in [("color-contrast", "#planted-faint"), ("label", "#planted-input")] {
        let hit = found
            .serious()
            .any(|v| v["id"] == rule && v["nodes"].as_array().is_some_and(|n| n.iter().any(|n| n["target"] == target)));
        assert!(hit, "axe reports the planted {rule} fault on {target}: {:?}", found.violations);
    }
    println!(
        "axe {}: planted faults found: {:?}",
        found.version,
        found.serious().filter_map(|v| v["id"].as_str()).collect::<Vec<_>>()
    );

    // A Tab stop without a visible focus is found by the walk.
    desk.js(
        "(() => { const p = document.getElementById('planted-faint'); p.style.outline = 'none'; p.tabIndex = 0; })()",
    )
    .await?;
    let (_, focus) = focus_walk(&desk, 60).await?;
    assert!(focus.iter().any(|f| f.contains("#planted-faint")), "an invisible focus is found: {focus:?}");
    desk.quit().await?;
    Ok(())
}
