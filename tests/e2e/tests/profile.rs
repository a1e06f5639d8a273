//! The shell end to end: the window opens on a temporary data dir, the profile is filled through
//! the real form, bad values get messages on their fields without losing what was saved, and the
//! values survive a restart.

use e2e::Desk;
use e2e::WAIT;

const FIELDS: &[(&str, &str)] = &[
    ("f-entity.name", "Department of Examples"),
    ("f-entity.address", "1 Capitol Mall, Sacramento, CA 95814"),
    ("f-iso.name", "Ada Lovelace"),
    ("f-iso.email", "ada.lovelace@example.ca.gov"),
    ("f-iso.phones", "(916) 555-0100; 916.555.0101"),
    ("f-alternate.name", "Grace Hopper"),
    ("f-alternate.email", "grace.hopper@example.ca.gov"),
];

#[tokio::test]
async fn profile_is_saved_through_the_form_and_survives_a_restart() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let desk = Desk::launch(data.path(), &[]).await?;
    desk.screenshot("shell-first-screen").await?;
    desk.goto("settings").await?;
    desk.wait_css("#profile-save", WAIT).await?;
    for (id, text) in FIELDS {
        desk.fill(id, text).await?;
    }
    desk.by_id("profile-save").await?.click().await?;
    desk.wait_js("document.getElementById('profile-status').textContent.startsWith('Profile saved')", WAIT).await?;

    // A malformed e-mail is refused on its field; what is typed stays, what was saved stays.
    desk.fill("f-iso.email", "ada at example").await?;
    desk.by_id("profile-save").await?.click().await?;
    desk.wait_js("document.getElementById('f-iso.email').getAttribute('aria-invalid') === 'true'", WAIT).await?;
    let message = desk.text("f-iso.email-error").await?;
    assert!(message.contains("not an e-mail address"), "message on the field: {message}");
    assert_eq!(desk.value("f-iso.email").await?, "ada at example");
    desk.screenshot("settings-profile-invalid-email").await?;
    desk.quit().await?;

    let desk = Desk::launch(data.path(), &[]).await?;
    desk.goto("settings").await?;
    desk.wait_js("document.getElementById('f-iso.name') && document.getElementById('f-iso.name').value !== ''", WAIT)
        .await?;
    for (id, text) in FIELDS {
        assert_eq!(desk.value(id).await?, *text, "{id} after restart");
    }
    desk.screenshot("settings-profile-after-restart").await?;
    desk.quit().await?;
    Ok(())
}
