//! Deadline reminders end to end, against the real notification server of the private session
//! (dunst on its D-Bus session bus), watched with `dbus-monitor`: the app, given a SEN due in a few
//! seconds, sends the notification with the expected text and urgency; a reminder survives a
//! SIGKILL and arrives exactly once; the window shows the reminder as a banner and a click on the
//! notification opens the SEN; closing the window keeps the app in the tray; a second launch on the
//! same data directory shows the first instead of starting another.

use anyhow::Context;
use chrono::{DateTime, TimeDelta, Utc};
use desk_core::reminders::{prefs, store, ReminderPrefs};
use desk_core::sen::{self, EscalationClock, NewSen, SenSettings, Source};
use e2e::desktop::{
    kill_app, request_close, spawn_app, spawn_app_with_env, visible_windows, wait_until, NotifyMonitor,
};
use e2e::WAIT;
use e2e::{app_pids, end_app, with_descendants, Desk};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const TITLE: &str = "Incident Desk";

/// Records a SEN in the data directory before the app starts, as the mail intake or the portal would.
fn seed_sen(data: &Path, number: &str, level: &str, sent_at: DateTime<Utc>) {
    let store = e2e::open_store(data).expect("store");
    let new = NewSen {
        sen_number: number.into(),
        level: level.into(),
        sent_at,
        summary: format!("Outbound beaconing from a finance workstation ({number})"),
        source: Source::Manual,
    };
    sen::store::create(store.conn(), new, Utc::now(), &desk_core::audit::Actor::new("e2e", "test-host"))
        .expect("create SEN");
}

fn due_local(data: &Path, at: DateTime<Utc>) -> String {
    let store = e2e::open_store(data).expect("store");
    desk_core::calendar::load(store.conn()).expect("calendar").compile().expect("compile").format_local(at)
}

fn secs(s: i64) -> TimeDelta {
    TimeDelta::seconds(s)
}

#[tokio::test]
async fn a_critical_sen_due_in_seconds_is_notified_with_critical_urgency_shown_as_a_banner_and_opened_from_the_notification(
) -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    // Half of the one-hour acknowledgement window passes 15 s from now; nothing came due before.
    let sent = Utc::now() - TimeDelta::minutes(30) + secs(15);
    seed_sen(data.path(), "SOC-4242", "critical", sent);
    let monitor = NotifyMonitor::start()?;
    let desk = Desk::launch(data.path(), &[]).await?;

    let n = monitor.wait_for(Duration::from_secs(60), |n| n.summary.contains("SOC-4242"))?;
    assert_eq!(n.summary, "SOC-4242 Critical: acknowledgement due in 30 min");
    let due = due_local(data.path(), sent + TimeDelta::hours(1));
    assert!(n.body.starts_with(&format!("Acknowledge receipt of the SEN by {due}.")), "body: {}", n.body);
    // Details are off by default: nothing of the SOC's summary on the lock screen.
    assert!(!n.body.contains("beaconing") && !n.summary.contains("beaconing"), "body: {}", n.body);
    assert_eq!(n.urgency, Some(2), "Critical uses critical urgency: {}", monitor.transcript());
    assert_eq!(n.actions, ["default", "Open"], "dunst supports actions: clicking opens the SEN");
    let planned = (sent + TimeDelta::minutes(30)).timestamp_millis() as f64 / 1000.0;
    assert!(n.time >= planned - 0.001, "not before its time ({} < {planned})", n.time);

    // The same reminder as a banner in the window.
    let banner = desk.wait_css("#banners .banner-critical", WAIT).await?;
    let text = banner.text().await?;
    assert!(text.contains("SOC-4242 Critical: acknowledgement due in 30 min"), "banner: {text}");
    assert!(text.contains("Open SOC-4242"), "banner: {text}");
    desk.screenshot("reminders-banner").await?;

    // A click on the notification (dunst's default action) opens the SEN in the window.
    let clicked = Command::new("dunstctl").args(["action", "0"]).status()?;
    assert!(clicked.success(), "dunstctl action");
    desk.wait_js("location.hash === '#/sens/SOC-4242'", WAIT).await?;

    // Dismissed, the banner goes and stays gone.
    desk.client
        .find(fantoccini::Locator::XPath("//div[@id='banners']//button[text()='Dismiss']"))
        .await?
        .click()
        .await?;
    desk.wait_js("!document.querySelector('#banners .banner')", WAIT).await?;

    std::thread::sleep(Duration::from_secs(2));
    let count = monitor.notifications().iter().filter(|n| n.summary.contains("SOC-4242")).count();
    assert_eq!(count, 1, "exactly once: {}", monitor.transcript());
    desk.quit().await?;
    assert!(app_pids(data.path()).is_empty(), "quit ends the app even though closing keeps it in the tray");
    Ok(())
}

#[tokio::test]
async fn a_high_sen_escalation_is_notified_with_normal_urgency() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    {
        let store = e2e::open_store(data.path())?;
        let now = Utc::now();
        // Escalations in literal clock hours, reminders only at escalations: the time of day of the
        // test run does not matter.
        sen::save_settings(store.conn(), SenSettings { escalation_clock: EscalationClock::LiteralClockHours }, now)?;
        let only_escalations =
            ReminderPrefs { at_half_window: false, minutes_before: vec![], at_due: false, ..ReminderPrefs::default() };
        prefs::save(store.conn(), only_escalations, now)?;
        // The ISO turned details on: this notification carries the SOC's summary.
        desk_core::privacy::save(store.conn(), desk_core::privacy::Privacy { details_outside_window: true }, now)?;
    }
    seed_sen(data.path(), "SOC-4343", "high", Utc::now() - TimeDelta::minutes(120) + secs(6));
    let monitor = NotifyMonitor::start()?;
    let _app = spawn_app(data.path(), &[], "reminders-high")?;
    let n = monitor.wait_for(Duration::from_secs(40), |n| n.summary.contains("SOC-4343"))?;
    assert_eq!(n.summary, "SOC-4343 High: escalated to Level 1");
    assert!(n.body.contains("Statewide Incident Program Manager (SIPM)"), "body: {}", n.body);
    assert!(
        n.body.contains("SOC summary: Outbound beaconing from a finance workstation (SOC-4343)"),
        "details on: {}",
        n.body
    );
    assert_eq!(n.urgency, Some(1), "High uses normal urgency: {}", monitor.transcript());
    assert_eq!(n.timeout, -1, "the server's default expiry");
    end_app(data.path());
    Ok(())
}

#[tokio::test]
async fn a_reminder_due_while_the_app_was_killed_arrives_once_after_the_restart() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let t0 = Utc::now();
    // SOC-5001's half window comes 8 s after the start, SOC-5002's 24 s after.
    seed_sen(data.path(), "SOC-5001", "critical", t0 - TimeDelta::minutes(30) + secs(8));
    seed_sen(data.path(), "SOC-5002", "critical", t0 - TimeDelta::minutes(30) + secs(24));
    let monitor = NotifyMonitor::start()?;

    let _first = spawn_app(data.path(), &[], "reminders-restart-1")?;
    monitor.wait_for(Duration::from_secs(40), |n| n.summary.contains("SOC-5001"))?;
    // SIGKILL before SOC-5002's time: no chance to flush or say goodbye.
    assert!(Utc::now() < t0 + secs(22), "the first reminder came too late for this test");
    kill_app(data.path())?;
    assert!(monitor.notifications().iter().all(|n| !n.summary.contains("SOC-5002")));

    // Stay down until SOC-5002's time has passed.
    let resume = t0 + secs(28);
    if let Ok(wait) = (resume - Utc::now()).to_std() {
        std::thread::sleep(wait);
    }
    let _second = spawn_app(data.path(), &[], "reminders-restart-2")?;
    let caught_up = monitor.wait_for(Duration::from_secs(40), |n| n.summary.contains("SOC-5002"))?;
    assert_eq!(caught_up.summary, "SOC-5002 Critical: acknowledgement due in 30 min");
    assert_eq!(caught_up.urgency, Some(2));
    std::thread::sleep(Duration::from_secs(3));
    end_app(data.path());

    let seen = monitor.notifications();
    for number in ["SOC-5001", "SOC-5002"] {
        let count = seen.iter().filter(|n| n.summary.contains(number)).count();
        assert_eq!(count, 1, "{number} exactly once: {}", monitor.transcript());
    }
    assert_eq!(seen.len(), 2, "nothing else: {seen:#?}");
    let store = e2e::open_store(data.path())?;
    let fired = store::fired(store.conn())?;
    assert!(fired.contains_key("sen:SOC-5001:acknowledge:half") && fired.contains_key("sen:SOC-5002:acknowledge:half"));
    assert!(store::pending(store.conn(), Utc::now())?.is_empty(), "both notices were shown");
    Ok(())
}

#[tokio::test]
async fn closing_the_window_keeps_the_app_in_the_tray_and_a_second_launch_shows_it() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let other = tempfile::tempdir()?;
    let mut first = spawn_app(data.path(), &[], "tray-first")?;
    let pid = first.id();
    wait_until(Duration::from_secs(60), || !visible_windows(TITLE, pid).is_empty())
        .context("the window did not open")?;
    let window = visible_windows(TITLE, pid)[0];

    request_close(window)?;
    wait_until(Duration::from_secs(10), || visible_windows(TITLE, pid).is_empty())
        .context("the window did not hide")?;
    std::thread::sleep(Duration::from_secs(1));
    assert!(first.try_wait()?.is_none(), "closing the window must not end the app");

    // A second launch on the same data directory hands over and exits; the first shows its window.
    let mut second = spawn_app(data.path(), &[], "tray-second")?;
    let mut exit = None;
    wait_until(Duration::from_secs(30), || {
        exit = second.try_wait().ok().flatten();
        exit.is_some()
    })
    .context("the second launch did not exit")?;
    assert!(exit.is_some_and(|s| s.success()), "the second instance exits cleanly: {exit:?}");
    wait_until(Duration::from_secs(10), || visible_windows(TITLE, pid).len() == 1)
        .context("the first window did not come back")?;
    assert_eq!(app_pids(data.path()), [pid]);

    // Another data directory is another instance (a test or an exercise beside the real one).
    let mut third = spawn_app(other.path(), &[], "tray-other-data-dir")?;
    let third_pid = third.id();
    wait_until(Duration::from_secs(60), || visible_windows(TITLE, third_pid).len() == 1)
        .context("an instance on another data directory did not open its window")?;
    assert!(third.try_wait()?.is_none());
    assert_eq!(visible_windows(TITLE, pid).len(), 1);

    end_app(other.path());
    end_app(data.path());
    let _ = (first.wait(), third.wait());
    Ok(())
}

/// The WebKit web processes under the app `pid`.
fn web_processes(pid: u32) -> Vec<u32> {
    let comm = |p: u32| std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
    with_descendants(pid).into_iter().filter(|p| comm(*p).starts_with("WebKitWebProces")).collect()
}

/// Everything the app logged so far (its log files under the data directory).
fn app_log(data_dir: &Path) -> String {
    let files = std::fs::read_dir(data_dir.join("logs")).into_iter().flatten().flatten();
    files.map(|f| std::fs::read_to_string(f.path()).unwrap_or_default()).collect()
}

/// Issue 15: a window left in the tray gives its web view back (the web process ends), and
/// showing it again (here a second launch) builds it anew, page and all.
#[tokio::test]
async fn a_window_left_in_the_tray_releases_its_web_view_and_comes_back_when_shown() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let env = [("INCIDENT_DESK_TEST_RELEASE_AFTER_SECS", "1")];
    let mut app = spawn_app_with_env(data.path(), &[], &env, "tray-release")?;
    let pid = app.id();
    let painted = || app_log(data.path()).matches("first paint").count();
    wait_until(Duration::from_secs(60), || painted() == 1).context("the first screen did not paint")?;
    let window = visible_windows(TITLE, pid)[0];
    let first_web = web_processes(pid);
    assert!(!first_web.is_empty(), "a web process draws the window");

    request_close(window)?;
    wait_until(Duration::from_secs(30), || first_web.iter().all(|p| !e2e::running(*p)))
        .context("the web process outlived the window's release")?;
    assert!(app.try_wait()?.is_none(), "releasing the window must not end the app");
    assert!(app_log(data.path()).contains("window released while in the tray"));

    // A second launch shows it: built anew, with a new web process, and its page painted.
    let mut second = spawn_app(data.path(), &[], "tray-release-second")?;
    wait_until(Duration::from_secs(30), || second.try_wait().ok().flatten().is_some())
        .context("the second launch did not exit")?;
    wait_until(Duration::from_secs(60), || visible_windows(TITLE, pid).len() == 1 && painted() == 2)
        .context("the window did not come back and paint")?;
    assert!(!web_processes(pid).is_empty());
    assert!(app.try_wait()?.is_none());
    end_app(data.path());
    let _ = app.wait();
    Ok(())
}

#[tokio::test]
async fn reminder_settings_are_validated_saved_and_start_at_login_writes_the_autostart_entry() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    seed_sen(data.path(), "SOC-6001", "critical", Utc::now() - TimeDelta::minutes(5));
    let desk = Desk::launch(data.path(), &[]).await?;
    desk.goto("settings").await?;
    desk.wait_css("#reminders-save", WAIT).await?;

    // The deadline feed: Settings shows its file, the app writes it at start (owner-only) and
    // again when the data changes (here a SEN recorded by another process).
    let feed = data.path().join("feeds").join("deadlines.ics");
    assert_eq!(desk.value("reminders-feed-path").await?, feed.display().to_string());
    let has = |uid: &'static str| {
        let feed = feed.clone();
        move || {
            let feed = feed.clone();
            async move { Ok(std::fs::read_to_string(&feed).is_ok_and(|t| t.contains(&format!("UID:{uid}")))) }
        }
    };
    e2e::portal::wait_until(
        Duration::from_secs(45),
        "the feed file names SOC-6001",
        has("sen-SOC-6001-acknowledge@incident-desk"),
    )
    .await?;
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&feed)?.permissions().mode() & 0o777, 0o600);
    }
    seed_sen(data.path(), "SOC-6002", "high", Utc::now() - TimeDelta::minutes(1));
    e2e::portal::wait_until(
        Duration::from_secs(45),
        "the feed file follows a change",
        has("sen-SOC-6002-acknowledge@incident-desk"),
    )
    .await?;
    let text = std::fs::read_to_string(&feed)?;
    assert!(!text.contains("beaconing") && !text.contains("finance"), "no SOC summary in the feed");
    desk.wait_js("document.querySelectorAll('#reminders-upcoming tbody tr').length > 0", WAIT).await?;
    let first = desk.client.find(fantoccini::Locator::Css("#reminders-upcoming tbody tr")).await?.text().await?;
    assert!(first.contains("SOC-6001 Critical: acknowledgement due in 30 min"), "preview: {first}");

    // Quiet hours that end when they start are refused on their field; nothing is saved.
    desk.by_id("rem-quiet_enabled").await?.click().await?;
    desk.client
        .execute(
            "document.getElementById('rem-quiet_hours.start').value = '22:00'; document.getElementById('rem-quiet_hours.end').value = '22:00';",
            vec![],
        )
        .await?;
    desk.by_id("reminders-save").await?.click().await?;
    desk.wait_js("document.getElementById('rem-quiet_hours.end').getAttribute('aria-invalid') === 'true'", WAIT)
        .await?;
    assert!(desk.text("rem-quiet_hours.end-error").await?.contains("end at another time"));
    desk.screenshot("settings-reminders-invalid").await?;

    // Valid values are saved and come back after a restart.
    desk.client.execute("document.getElementById('rem-quiet_hours.end').value = '06:30';", vec![]).await?;
    desk.fill("rem-minutes_before", "15, 30").await?;
    desk.by_id("reminders-save").await?.click().await?;
    desk.wait_js("document.getElementById('reminders-status').textContent.startsWith('Reminder settings saved')", WAIT)
        .await?;
    assert_eq!(desk.value("rem-minutes_before").await?, "30, 15");

    // Start at login: the desktop's autostart entry starts the app in the tray on this data dir.
    desk.by_id("rem-autostart").await?.click().await?;
    desk.wait_js(
        "document.getElementById('reminders-autostart-status').textContent.includes('will start at login')",
        WAIT,
    )
    .await?;
    let config =
        std::env::var_os("XDG_CONFIG_HOME").map(std::path::PathBuf::from).expect("XDG_CONFIG_HOME in the session");
    let entry = std::fs::read_to_string(config.join("autostart/incident-desk.desktop"))?;
    assert!(entry.contains("--background"), "{entry}");
    assert!(entry.contains(&format!("--data-dir={}", data.path().display())), "{entry}");
    desk.client.execute("document.getElementById('reminders-upcoming').scrollIntoView();", vec![]).await?;
    desk.screenshot("settings-reminders").await?;
    desk.by_id("rem-autostart").await?.click().await?;
    desk.wait_js(
        "document.getElementById('reminders-autostart-status').textContent.includes('will not start at login')",
        WAIT,
    )
    .await?;
    assert!(!config.join("autostart/incident-desk.desktop").exists());
    desk.quit().await?;

    let store = e2e::open_store(data.path())?;
    let saved = prefs::load(store.conn())?;
    assert_eq!(saved.minutes_before, [30, 15]);
    assert!(saved.quiet_hours.enabled);
    assert_eq!((saved.quiet_hours.start.as_str(), saved.quiet_hours.end.as_str()), ("22:00", "06:30"));
    Ok(())
}

/// Issue 13: queued is not reported. A report submitted while the portal is unreachable keeps its
/// 60-minute clock running in the editor, and is still reminded through the notification server,
/// with "queued, not yet received by Cal-CSIRS" beside it; answered "law enforcement sensitive",
/// the CCIU guidance comes first on the report.
#[tokio::test]
async fn a_queued_report_still_counts_down_and_still_reminds() -> anyhow::Result<()> {
    use desk_core::profile::Profile;
    use desk_core::report;
    use serde_json::json;
    let data = tempfile::tempdir()?;
    // The "15 minutes before" point of the Cal-CSIRS hour passes 15 s from now.
    let discovered = Utc::now() - TimeDelta::minutes(45) + secs(15);
    let id = {
        let store = e2e::open_store(data.path())?;
        let conn = store.conn();
        let now = Utc::now();
        let id = report::create_draft(conn, &Profile::default(), now, &e2e::actor())?.report_id;
        let local = discovered.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        for (field, value) in [
            ("incident.description", json!("Ransomware on the district file server\nShares encrypted")),
            ("incident.discovered_at", json!(local)),
            ("entity.name", json!("Department of Examples")),
            ("reporting_person.name", json!("Ada Lovelace")),
            ("reporting_person.phones", json!(["(916) 555-0100"])),
            ("incident.law_enforcement_sensitive", json!("yes")),
        ] {
            report::set_field(conn, &id, field, value, now, &e2e::actor())?;
        }
        report::ready(conn, &id, now, &e2e::actor())?;
        // No portal address is configured: the report stays queued.
        report::submit(conn, &id, now, &e2e::actor())?;
        id
    };
    let monitor = NotifyMonitor::start()?;
    let desk = Desk::launch(data.path(), &[]).await?;
    let n = monitor.wait_for(Duration::from_secs(60), |n| n.summary.starts_with("Cal-CSIRS report due in 15 min"))?;
    assert!(n.body.contains("Queued, not yet received by Cal-CSIRS."), "body: {}", n.body);
    assert_eq!(n.urgency, Some(2), "report deadlines are critical");

    desk.client.execute(&format!("location.hash = '#/reports/{id}'"), vec![]).await?;
    desk.wait_js(
        "/^due in .*queued, not yet received by Cal-CSIRS$/.test(document.getElementById('deadline-cal-csirs-clock')?.textContent ?? '')",
        WAIT,
    )
    .await?;
    // Answered "law enforcement sensitive": CHP CCIU for guidance, first on the page.
    desk.wait_js(
        "(() => { const g = document.getElementById('law-enforcement-guidance'); return g && !g.hidden && g.textContent.includes('Computer Crimes Investigation Unit (CCIU)') && !!(g.compareDocumentPosition(document.querySelector('.lifecycle')) & Node.DOCUMENT_POSITION_FOLLOWING); })()",
        WAIT,
    )
    .await?;
    desk.screenshot("report-queued-still-counting").await?;
    desk.quit().await?;
    Ok(())
}
