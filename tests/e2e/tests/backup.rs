//! Backups end to end: a passphrase backup written through Settings → Backups (bad passphrases are
//! refused on their fields), encrypted on disk, restored with the CLI into a fresh install that then
//! holds the same profile; a restore never goes over an existing database.

use e2e::portal::{cli_json, cli_with_input};
use e2e::Desk;
use std::time::Duration;

use e2e::WAIT;
const PASSPHRASE: &str = "orange kettle under the bridge";

#[tokio::test]
async fn a_backup_written_in_the_window_restores_into_a_fresh_install() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let carried = tempfile::tempdir()?;
    let desk = Desk::launch(data.path(), &[]).await?;
    desk.goto("settings").await?;
    desk.wait_css("#profile-save", WAIT).await?;
    desk.fill("f-iso.name", "Ada Lovelace").await?;
    desk.by_id("profile-save").await?.click().await?;
    desk.wait_js("document.getElementById('profile-status').textContent.startsWith('Profile saved')", WAIT).await?;

    desk.client.execute("document.getElementById('settings-backups').scrollIntoView()", vec![]).await?;
    desk.wait_js("document.querySelectorAll('#snapshot-list li').length > 0", WAIT).await?;
    desk.fill("backup.folder", &carried.path().display().to_string()).await?;
    // Too short, then two different passphrases: refused on the field, nothing written.
    desk.fill("backup.passphrase", "short").await?;
    desk.fill("backup.passphrase-again", "short").await?;
    desk.by_id("backup-create").await?.click().await?;
    desk.wait_js("document.getElementById('backup.passphrase-error').textContent.includes('12 characters')", WAIT)
        .await?;
    desk.fill("backup.passphrase", PASSPHRASE).await?;
    desk.fill("backup.passphrase-again", "something else entirely").await?;
    desk.by_id("backup-create").await?.click().await?;
    desk.wait_js("document.getElementById('backup.passphrase-again-error').textContent.includes('differ')", WAIT)
        .await?;
    assert_eq!(std::fs::read_dir(carried.path())?.count(), 0, "nothing written for refused passphrases");

    desk.fill("backup.passphrase-again", PASSPHRASE).await?;
    desk.by_id("backup-create").await?.click().await?;
    desk.wait_js("document.getElementById('backup-status').textContent.startsWith('Backup written to')", WAIT).await?;
    assert_eq!(desk.value("backup.passphrase").await?, "", "the passphrase does not stay in the form");
    // Only <main> scrolls: bringing a section into view never moves the navigation.
    let shell_top =
        desk.client.execute("return document.querySelector('.shell').getBoundingClientRect().top;", vec![]).await?;
    assert_eq!(shell_top.as_f64(), Some(0.0), "the window itself scrolled");
    tokio::time::sleep(Duration::from_millis(300)).await; // a frame for the status line
    desk.screenshot("settings-backups").await?;
    desk.quit().await?;

    let file = std::fs::read_dir(carried.path())?.flatten().map(|e| e.path()).next().expect("one backup file");
    let bytes = std::fs::read(&file)?;
    assert!(!bytes.windows(12).any(|w| w == b"Ada Lovelace"), "the backup is encrypted");

    // Restore into a fresh install: the same profile comes back.
    let fresh = tempfile::tempdir()?;
    let wrong =
        cli_with_input(fresh.path(), &["backup", "restore", &file.display().to_string()], "not the passphrase\n", &[])?;
    assert_eq!(wrong.status.code(), Some(2), "{}", String::from_utf8_lossy(&wrong.stderr));
    let restored = cli_with_input(
        fresh.path(),
        &["backup", "restore", &file.display().to_string()],
        &format!("{PASSPHRASE}\n"),
        &[],
    )?;
    assert!(restored.status.success(), "{}", String::from_utf8_lossy(&restored.stderr));
    let profile = cli_json(fresh.path(), &["profile", "show"], &[])?;
    assert_eq!(profile["iso"]["name"], "Ada Lovelace");

    // Never over an existing database.
    let again = cli_with_input(
        data.path(),
        &["backup", "restore", &file.display().to_string()],
        &format!("{PASSPHRASE}\n"),
        &[],
    )?;
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds a database"));
    Ok(())
}
