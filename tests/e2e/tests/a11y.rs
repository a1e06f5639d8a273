//! Accessibility of the rendered pages: the reports list, the report editor (with its conditional
//! sections, rows, messages and dialogs), the import dialog and settings, in both themes and by
//! keyboard. See tests/e2e/a11y/audit.js for the rules (axe's serious and critical ones that apply).

use anyhow::Result;
use e2e::a11y::{assert_accessible, audit, focus_walk};
use e2e::report::{control, seed_profile};
use e2e::Desk;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

async fn type_into(desk: &Desk, path: &str, text: &str) -> Result<()> {
    let el = desk.wait_css(&control(path), WAIT).await?;
    el.clear().await?;
    el.send_keys(text).await?;
    Ok(())
}

#[tokio::test]
async fn the_report_pages_and_settings_pass_the_accessibility_audit() -> Result<()> {
    let data = tempfile::tempdir()?;
    seed_profile(data.path())?;
    let desk = Desk::launch(data.path(), &[]).await?;

    // An editor with everything showing: conditions met, rows, a field message, tasks.
    desk.new_report().await?;
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
    desk.wait_js("document.getElementById('f-computers.0.ip-error').textContent !== ''", WAIT).await?;
    desk.js("document.getElementById('main').scrollTo(0, 0)").await?;
    assert_accessible(&desk, "report editor").await?;

    desk.click_css("#report-history").await?;
    desk.wait_css("#history-list li button", WAIT).await?;
    desk.click_css("#history-list li button").await?;
    desk.wait_css("#history-view-title", WAIT).await?;
    assert_accessible(&desk, "history dialog").await?;
    desk.click_css("#history-dialog-close").await?;

    desk.click_css("#report-phone-summary").await?;
    desk.wait_css("#phone-summary-text", WAIT).await?;
    assert_accessible(&desk, "phone summary dialog").await?;
    desk.click_css("#phone-summary-dialog-close").await?;

    // A second report, submitted, so the list shows several states.
    desk.new_report().await?;
    desk.goto("reports").await?;
    desk.wait_css("#report-rows tr", WAIT).await?;
    assert_accessible(&desk, "reports list").await?;
    desk.click_css("#report-import").await?;
    desk.wait_css("#import-dialog", WAIT).await?;
    desk.by_id("import-text").await?.send_keys("{\"format\": \"nope\"}").await?;
    desk.click_css("#import-go").await?;
    desk.wait_js("document.getElementById('import-error').textContent.includes('Not imported')", WAIT).await?;
    assert_accessible(&desk, "import dialog").await?;
    desk.click_css("#import-dialog-close").await?;

    desk.goto("settings").await?;
    desk.wait_css("#profile-save", WAIT).await?;
    assert_accessible(&desk, "settings").await?;

    // The audit is not vacuous: planted faults are found, each under its axe rule id.
    desk.js(
        r##"(() => {
            const main = document.getElementById('main');
            const box = document.createElement('div');
            box.id = 'planted';
            box.innerHTML = '<input type="text" id="dup"><button id="dup"></button><img src="icon.svg">'
              + '<p>faint</p><span aria-bogus="1">x</span>'
              + '<span role="nonsense">y</span><div aria-describedby="missing-id">z</div><span aria-hidden="maybe">w</span>'
              + '<ul><div>not an item</div></ul><a href="#/x"></a><div aria-hidden="true"><button>hidden but focusable</button></div>';
            main.prepend(box);
            const faint = box.querySelector('p');
            faint.style.color = '#aaaaaa';
            faint.style.background = '#ffffff';
        })()"##,
    )
    .await?;
    let found = audit(&desk, false).await?;
    let rules: Vec<&str> = found.violations.iter().filter_map(|v| v["rule"].as_str()).collect();
    for rule in ["label", "button-name", "image-alt", "color-contrast", "aria-valid-attr", "aria-roles", "aria-valid-attr-value", "duplicate-id-active", "list", "link-name", "aria-hidden-focus"] {
        assert!(rules.contains(&rule), "the audit finds a planted {rule} fault: {rules:?}");
    }
    desk.js("(() => { const box = document.getElementById('planted'); box.querySelector('p').style.outline = 'none'; box.querySelector('p').tabIndex = 0; })()").await?;
    let (_, focus) = focus_walk(&desk, 60).await?;
    assert!(focus.iter().any(|v| v["target"].as_str().unwrap_or("").contains("faint")), "an invisible focus is found: {focus:?}");
    desk.quit().await?;
    Ok(())
}
