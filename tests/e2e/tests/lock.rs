//! The app lock end to end, on the real window, keyring and notification server: a passphrase set
//! in Settings → Security (its hash goes to the session's keyring), the idle minutes shortened
//! through the same setting (a debug build counts an idle "minute" in `INCIDENT_DESK_TEST_MINUTE_SECS`
//! seconds), the window locks by itself, a command called straight through IPC is refused with
//! `locked`, a reminder still reaches the notification server, the passphrase unlocks and the page
//! comes back; Ctrl+L and the desktop's screensaver signal lock it; five wrong passphrases make the
//! next try wait; `incident-desk lock reset` is the recovery for a forgotten passphrase.

use chrono::{TimeDelta, Utc};
use desk_core::sen::{self, NewSen, Source};
use e2e::desktop::NotifyMonitor;
use e2e::portal::cli_with_input;
use e2e::Desk;
use e2e::WAIT;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

const PASSPHRASE: &str = "lunch-break-7731";
/// An idle "minute" lasts this many seconds in the debug build under test.
const TEST_MINUTE: (&str, &str) = ("INCIDENT_DESK_TEST_MINUTE_SECS", "2");
const CONTROL: char = '\u{E009}';

fn seed_sen(data: &Path, number: &str, sent_at: chrono::DateTime<Utc>) {
    let store = e2e::open_store(data).expect("store");
    let new = NewSen {
        sen_number: number.into(),
        level: "critical".into(),
        sent_at,
        summary: format!("Credential stuffing against the payroll portal ({number})"),
        source: Source::Manual,
    };
    sen::store::create(store.conn(), new, Utc::now(), &e2e::actor()).expect("create SEN");
}

/// Calls a command through the page's IPC bridge, as any script in the page could.
async fn invoke(desk: &Desk, command: &str, args: Value) -> anyhow::Result<Value> {
    Ok(desk
        .client
        .execute_async(
            "const [command, args, done] = arguments;
             window.__TAURI__.core.invoke(command, args).then((ok) => done({ ok }), (err) => done({ err }));",
            vec![command.into(), args],
        )
        .await?)
}

async fn ctrl_l(desk: &Desk) -> anyhow::Result<()> {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: CONTROL })
        .then(KeyAction::Down { value: 'l' })
        .then(KeyAction::Up { value: 'l' })
        .then(KeyAction::Up { value: CONTROL });
    desk.client.perform_actions(keys).await?;
    Ok(())
}

async fn unlock_with(desk: &Desk, passphrase: &str) -> anyhow::Result<()> {
    if passphrase.is_empty() {
        desk.by_id("lock-passphrase").await?.clear().await?;
    } else {
        desk.fill("lock-passphrase", passphrase).await?;
    }
    desk.by_id("lock-unlock").await?.click().await?;
    Ok(())
}

async fn wait_locked(desk: &Desk, within: Duration) -> anyhow::Result<()> {
    desk.wait_css("#lock-screen #lock-passphrase", within).await?;
    // The page itself is gone, not hidden: nothing of a record stays in the DOM.
    desk.wait_js(
        "document.getElementById('main').childElementCount === 0 && document.querySelector('.shell').hidden",
        WAIT,
    )
    .await?;
    Ok(())
}

async fn wait_unlocked(desk: &Desk) -> anyhow::Result<()> {
    desk.wait_js("!document.getElementById('lock-screen') && !document.querySelector('.shell').hidden", WAIT).await?;
    Ok(())
}

#[tokio::test]
async fn an_idle_window_locks_refuses_commands_keeps_reminding_and_opens_with_the_passphrase() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    // Half of the one-hour acknowledgement window passes 55 s from now: after the window locked.
    seed_sen(data.path(), "SOC-7100", Utc::now() - TimeDelta::minutes(30) + TimeDelta::seconds(55));
    let monitor = NotifyMonitor::start()?;
    let desk = Desk::launch_with_env(data.path(), &[], &[TEST_MINUTE]).await?;

    // No passphrase yet: Ctrl+L says where to set one and locks nothing.
    ctrl_l(&desk).await?;
    desk.wait_js("document.getElementById('toast').textContent.includes('Settings \u{2192} Security')", WAIT).await?;
    assert!(desk.client.find(fantoccini::Locator::Id("lock-screen")).await.is_err());

    // Settings → Security: set the passphrase, then 5 idle minutes (10 s in this build).
    desk.goto("settings").await?;
    desk.wait_css("#settings-security #lock-state", WAIT).await?;
    desk.fill("lock.passphrase", PASSPHRASE).await?;
    desk.fill("lock.passphrase-again", PASSPHRASE).await?;
    desk.by_id("lock-set").await?.click().await?;
    desk.wait_js("document.getElementById('security-status').textContent.startsWith('Passphrase set')", WAIT).await?;
    let status = cli_with_input(data.path(), &["lock", "status"], "", &[])?;
    assert_eq!(serde_json::from_slice::<Value>(&status.stdout)?["passphrase_set"], true, "the hash is in the keyring");
    desk.client.execute("document.getElementById('settings-security').scrollIntoView()", vec![]).await?;
    desk.screenshot("settings-security").await?;
    desk.fill("lock.idle_minutes", "5").await?;
    desk.by_id("lock-idle-save").await?.click().await?;
    desk.wait_js("document.getElementById('security-status').textContent.includes('after 5 idle minutes')", WAIT)
        .await?;

    // No input from here on: the window locks by itself.
    wait_locked(&desk, Duration::from_secs(40)).await?;
    let locked_at = Utc::now();
    desk.wait_js("document.activeElement && document.activeElement.id === 'lock-passphrase'", WAIT).await?;
    e2e::a11y::screenshot_both_themes(&desk, "lock-screen").await?;
    e2e::a11y::assert_accessible(&desk, "lock screen").await?;

    // Rust refuses the records whatever the page does.
    for (command, args) in [
        ("sen_board", serde_json::json!({})),
        ("report_list", serde_json::json!({ "query": {} })),
        ("profile_get", serde_json::json!({})),
    ] {
        let answer = invoke(&desk, command, args).await?;
        assert_eq!(answer["err"]["code"], "locked", "{command} while locked: {answer}");
    }
    let status = invoke(&desk, "lock_status", serde_json::json!({})).await?;
    assert_eq!(status["ok"]["locked"], true, "{status}");

    // The reminder still comes, while the window stays locked.
    let n = monitor.wait_for(Duration::from_secs(90), |n| n.summary.contains("SOC-7100"))?;
    assert!(n.time >= locked_at.timestamp() as f64 - 1.0, "the reminder came after the lock: {}", monitor.transcript());
    assert!(desk.client.find(fantoccini::Locator::Id("lock-screen")).await.is_ok(), "still locked");

    // The passphrase opens it; the page comes back where it was.
    unlock_with(&desk, PASSPHRASE).await?;
    wait_unlocked(&desk).await?;
    desk.wait_css("#settings-security #lock-state", WAIT).await?;
    let board = invoke(&desk, "sen_board", serde_json::json!({})).await?;
    assert!(board["ok"]["cards"].is_array(), "{board}");
    // Back to a long idle time, so that only the steps below lock it.
    desk.fill("lock.idle_minutes", "480").await?;
    desk.by_id("lock-idle-save").await?.click().await?;
    desk.wait_js("document.getElementById('security-status').textContent.includes('after 480 idle minutes')", WAIT)
        .await?;

    // Ctrl+L locks at once.
    ctrl_l(&desk).await?;
    wait_locked(&desk, WAIT).await?;
    unlock_with(&desk, PASSPHRASE).await?;
    wait_unlocked(&desk).await?;

    // The desktop session locks (the screensaver says so on the session bus): so does the window.
    let sent = std::process::Command::new("dbus-send")
        .args([
            "--session",
            "--type=signal",
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver.ActiveChanged",
            "boolean:true",
        ])
        .status()?;
    assert!(sent.success());
    wait_locked(&desk, WAIT).await?;
    unlock_with(&desk, PASSPHRASE).await?;
    wait_unlocked(&desk).await?;
    desk.quit().await
}

#[tokio::test]
async fn wrong_passphrases_slow_down_and_lock_reset_is_the_recovery() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    // The passphrase set on the command line (read from the pipe), before the window starts.
    let set = cli_with_input(data.path(), &["lock", "set"], &format!("{PASSPHRASE}\n"), &[])?;
    assert!(set.status.success(), "{}", String::from_utf8_lossy(&set.stderr));
    let short = cli_with_input(data.path(), &["lock", "set"], "short\n", &[])?;
    assert_eq!(short.status.code(), Some(2), "refused: {}", String::from_utf8_lossy(&short.stderr));
    let desk = Desk::launch(data.path(), &[]).await?;

    ctrl_l(&desk).await?;
    wait_locked(&desk, WAIT).await?;
    for n in 1..=5 {
        unlock_with(&desk, &format!("wrong-guess-{n}")).await?;
        desk.wait_js(
            &format!("document.getElementById('lock-status').textContent.includes('not the unlock passphrase') && document.getElementById('lock-status').dataset.n !== '{n}' && (document.getElementById('lock-status').dataset.n = '{n}')"),
            WAIT,
        )
        .await?;
    }
    // The fifth wrong one makes the next try wait, even with the right passphrase.
    desk.wait_js("document.getElementById('lock-unlock').disabled && /Wait \\d+ s/.test(document.getElementById('lock-unlock').textContent)", WAIT).await?;
    desk.screenshot("lock-screen-backoff").await?;
    let answer = invoke(&desk, "lock_unlock", serde_json::json!({ "passphrase": PASSPHRASE })).await?;
    assert_eq!(answer["err"]["code"], "lock_backoff", "{answer}");
    let status = invoke(&desk, "lock_status", serde_json::json!({})).await?;
    assert_eq!(status["ok"]["locked"], true);
    assert_eq!(status["ok"]["wrong_tries"], 5);
    assert!(status["ok"]["retry_after_secs"].as_u64().is_some_and(|s| (1..=30).contains(&s)), "{status}");

    // Forgot it: the recovery removes only the passphrase's hash; the data stays.
    let reset = cli_with_input(data.path(), &["lock", "reset"], "", &[])?;
    assert!(reset.status.success(), "{}", String::from_utf8_lossy(&reset.stderr));
    assert_eq!(serde_json::from_slice::<Value>(&reset.stdout)?["passphrase_set"], false);
    // Once the wait is over (the button says so), any entry opens the window.
    desk.wait_js("!document.getElementById('lock-unlock').disabled", Duration::from_secs(45)).await?;
    unlock_with(&desk, "").await?;
    wait_unlocked(&desk).await?;
    let board = invoke(&desk, "sen_board", serde_json::json!({})).await?;
    assert!(board["ok"]["cards"].is_array(), "{board}");
    // Without a passphrase Ctrl+L locks nothing.
    ctrl_l(&desk).await?;
    desk.wait_js("document.getElementById('toast').textContent.includes('Settings \u{2192} Security')", WAIT).await?;
    desk.quit().await
}
