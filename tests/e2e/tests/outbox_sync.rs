//! The outbox end to end in the real window: a report readied and submitted while the portal is
//! unreachable shows as queued, with the offline banner and the fallback for the hour (phone
//! summary, ENTAC call record and its CISO follow-up); the practice portal starts; the window's
//! background sync notices, sends, and the report's row shows it sent with its incident number.
//! The report is written, readied and submitted on the reports page, like an ISO would, and its
//! editor finally shows the portal's incident number.

use e2e::portal::{cli_json, cli_with_input, PortalProcess};
use e2e::report::{control, seed_profile};
use e2e::Desk;
use e2e::{free_port, require_session};
use std::time::Duration;

use e2e::WAIT;

/// Drafts a report on the reports page, discovered 45 minutes ago (its 60-minute deadline is
/// near), readies and submits it; returns its id once the editor says it is queued.
async fn submit_a_report_through_the_window(desk: &Desk) -> anyhow::Result<String> {
    let id = desk.new_report().await?;
    let description = desk.wait_css(&control("incident.description"), WAIT).await?;
    description.send_keys("Ransomware note on the district file server; shares encrypted.").await?;
    // "Now", then 45 minutes earlier, typed the way the field shows times (YYYY-MM-DD HH:MM).
    desk.click_css("#w-incident\\.discovered_at button").await?;
    let now = desk.value("f-incident.discovered_at").await?;
    let earlier = chrono::NaiveDateTime::parse_from_str(&now, "%Y-%m-%d %H:%M")? - chrono::Duration::minutes(45);
    let discovered = desk.wait_css(&control("incident.discovered_at"), WAIT).await?;
    discovered.clear().await?;
    discovered.send_keys(&earlier.format("%Y-%m-%d %H:%M").to_string()).await?;
    desk.click_css("#f-federal\\.category--cat_1").await?;
    desk.wait_saved().await?;
    desk.wait_js("/^due in 1[0-9]:/.test(document.getElementById('deadline-cal-csirs-clock').textContent)", WAIT)
        .await?;
    desk.click_css("#report-ready").await?;
    desk.wait_js("document.getElementById('report-state').textContent === 'Ready'", WAIT).await?;
    desk.click_css("#report-submit").await?;
    desk.click_css("#confirm-yes").await?;
    desk.wait_js("document.getElementById('report-state').textContent === 'Queued'", WAIT).await?;
    // Queued is not reported: the 60 minutes keep counting until the portal has it.
    desk.wait_js("/^due in .*queued, not yet received by Cal-CSIRS$/.test(document.getElementById('deadline-cal-csirs-clock').textContent)", WAIT).await?;
    Ok(id)
}

/// Clicks the element matching `selector` in one script (no stale handle if the page redraws).
async fn click(desk: &Desk, selector: &str) -> anyhow::Result<()> {
    desk.wait_css(selector, WAIT).await?;
    desk.client.execute("document.querySelector(arguments[0]).click()", vec![selector.into()]).await?;
    Ok(())
}

/// The text of the element with this id, read in one script.
async fn text(desk: &Desk, id: &str) -> anyhow::Result<String> {
    let value =
        desk.client.execute("return document.getElementById(arguments[0])?.textContent ?? ''", vec![id.into()]).await?;
    Ok(value.as_str().unwrap_or_default().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_queued_offline_is_sent_when_the_practice_portal_starts() -> anyhow::Result<()> {
    require_session()?;
    let data = tempfile::tempdir()?;
    let portal_dir = tempfile::tempdir()?;
    let dir = data.path();
    let port = free_port()?;
    cli_json(dir, &["portal", "configure", "--url", &format!("http://127.0.0.1:{port}")], &[])?;
    assert!(cli_with_input(dir, &["portal", "token", "--stdin"], "practice-token", &[])?.status.success());
    seed_profile(dir)?;

    let desk = Desk::launch(dir, &[]).await?;
    let id = submit_a_report_through_the_window(&desk).await?;
    desk.goto("sens").await?;
    // Offline: the banner on every page names the fallback for the hour.
    desk.wait_js(
        "document.querySelector('#banner-portal')?.textContent.includes('unreachable')",
        Duration::from_secs(30),
    )
    .await?;
    let banner = text(&desk, "banner-portal").await?;
    assert!(
        banner.contains("due in")
            && (banner.contains("(916) 445-5239")
                || banner.contains("(916) 843-4199")
                || banner.contains("business hours")),
        "{banner}"
    );
    desk.screenshot("outbox-banner-offline-on-sens-page").await?;

    desk.goto("outbox").await?;
    let row = format!("tr[data-record-id='{id}']");
    desk.wait_css(&format!("{row}[data-state='pending']"), WAIT).await?;
    desk.wait_js("document.getElementById('outbox-connection')?.textContent === 'Portal unreachable'", WAIT).await?;
    let headline = text(&desk, "fallback-headline").await?;
    assert!(!headline.is_empty());
    desk.wait_js(
        &format!("document.querySelector(\"#owed-reports li[data-report-id='{id}']\")?.textContent.includes('due in')"),
        WAIT,
    )
    .await?;
    let owed = desk
        .client
        .execute(
            &format!("return document.querySelector(\"#owed-reports li[data-report-id='{id}']\").textContent"),
            vec![],
        )
        .await?;
    assert!(owed.as_str().unwrap_or_default().contains("queued, not yet received by Cal-CSIRS"), "{owed}");

    // The phone summary of the report, to read over the phone.
    click(&desk, &format!("#owed-reports li[data-report-id='{id}'] button[aria-controls]")).await?;
    desk.wait_js(
        &format!("document.getElementById('phone-summary-{id}')?.textContent.includes('PHONE SUMMARY')"),
        WAIT,
    )
    .await?;
    desk.screenshot("outbox-offline-fallback").await?;

    // After-hours ENTAC call: recorded, and the CISO follow-up is surfaced until done.
    click(&desk, &format!("#owed-reports li[data-report-id='{id}'] button[data-record='entac']")).await?;
    desk.wait_css("#follow-ups li", WAIT).await?;
    desk.wait_js("document.querySelector('#follow-ups li')?.textContent.includes('notify the CISO')", WAIT).await?;
    desk.screenshot("outbox-entac-follow-up").await?;
    click(&desk, "#follow-ups li button").await?;
    desk.wait_js("!document.querySelector('#follow-ups li')", WAIT).await?;

    // The portal comes up: the background sync's health poll finds it and sends at once.
    let portal = PortalProcess::start(portal_dir.path(), &["--port", &port.to_string()])?;
    desk.wait_css(&format!("{row}[data-state='sent']"), Duration::from_secs(45)).await?;
    let number = desk
        .client
        .execute(
            "return document.querySelector(arguments[0])?.textContent ?? ''",
            vec![format!("{row} .incident-number").into()],
        )
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(number.starts_with("CIR-"), "{number}");
    {
        let store = e2e::open_store(dir)?;
        let report = desk_core::report::get(store.conn(), &desk_core::report::ReportId::parse(&id)?)?;
        assert_eq!(report.state, desk_core::report::State::Sent);
        assert_eq!(report.incident_number.as_deref(), Some(number.as_str()), "the row shows the report's number");
    }
    // The report's own page shows it sent, with the portal's number.
    desk.open_report(&id).await?;
    desk.wait_js("document.getElementById('report-state').textContent === 'Sent'", WAIT).await?;
    desk.wait_js(
        &format!("document.getElementById('report-meta').textContent.includes('incident number {number}')"),
        WAIT,
    )
    .await?;
    desk.settled_screenshot("report-sent-with-incident-number").await?;
    desk.goto("outbox").await?;
    desk.wait_js("!document.querySelector('#banner-portal')", Duration::from_secs(35)).await?;
    desk.wait_js("document.getElementById('outbox-connection')?.textContent === 'Portal reachable'", WAIT).await?;
    desk.screenshot("outbox-sent-with-incident-number").await?;

    // Settings → Portal: the token is stored (never shown), and the connection test passes.
    // (the route the banner's "Enter token" action opens: the portal section, scrolled into view)
    desk.client.execute("location.hash = '#/settings/portal'", vec![]).await?;
    desk.wait_js("document.getElementById('portal-token-state')?.textContent.includes('A token is stored')", WAIT)
        .await?;
    assert_eq!(desk.value("portal-token").await?, "", "the token never comes back to the UI");
    click(&desk, "#portal-test").await?;
    desk.wait_js("document.getElementById('portal-status')?.textContent.includes('accepts the token')", WAIT).await?;
    // Let the status line paint before the picture.
    tokio::time::sleep(Duration::from_millis(300)).await;
    println!("portal status: {}", text(&desk, "portal-status").await?);
    desk.screenshot("settings-portal").await?;
    desk.quit().await?;
    portal.stop();
    Ok(())
}
