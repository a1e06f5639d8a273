//! Helpers for the report pages, shared by the report, kill and accessibility tests.

use crate::Desk;
use anyhow::{Context, Result};
use desk_core::profile::{Contact, Entity, Profile};
use std::path::Path;

/// The profile a new report is pre-filled from.
pub fn profile() -> Profile {
    Profile {
        entity: Entity {
            name: "Department of Examples".into(),
            address: "1 Capitol Mall, Sacramento, CA 95814".into(),
        },
        reporting_person: Contact {
            name: "Rita Reporter".into(),
            address: "1 Capitol Mall".into(),
            email: "rita.reporter@example.ca.gov".into(),
            phones: vec!["(916) 555-0101".into()],
        },
        iso: Contact {
            name: "Ada Lovelace".into(),
            address: "1 Capitol Mall".into(),
            email: "ada.lovelace@example.ca.gov".into(),
            phones: vec!["(916) 555-0100".into()],
        },
        alternate: Contact { name: "Grace Hopper".into(), phones: vec!["(916) 555-0102".into()], ..Contact::default() },
    }
}

/// Stores the profile in a data directory before the app starts.
pub fn seed_profile(data_dir: &Path) -> Result<()> {
    let store = crate::open_store(data_dir)?;
    desk_core::profile::save(store.conn(), profile(), chrono::Utc::now())?;
    Ok(())
}

/// CSS selector of the control of a dotted field id (dots escaped).
pub fn control(path: &str) -> String {
    format!("#f-{}", path.replace('.', "\\."))
}

impl Desk {
    /// Clicks "New report" on the list and waits for the editor; returns the report id.
    pub async fn new_report(&self) -> Result<String> {
        self.goto("reports").await?;
        self.wait_css("#report-new", crate::WAIT).await?.click().await?;
        if let Err(e) = self.wait_css(&control("incident.description"), crate::WAIT).await {
            let shown =
                self.js("location.hash + ' | ' + document.getElementById('main').textContent.slice(0, 400)").await?;
            return Err(e.context(format!("after New report the window shows {shown}")));
        }
        let hash = self.wait_js("location.hash.startsWith('#/reports/') && location.hash", crate::WAIT).await?;
        let id = hash.as_str().and_then(|h| h.strip_prefix("#/reports/")).context("report id in the hash")?;
        Ok(id.to_string())
    }

    /// Opens the editor of one report.
    pub async fn open_report(&self, report_id: &str) -> Result<()> {
        self.client.execute("location.hash = '#/reports/' + arguments[0];", vec![report_id.into()]).await?;
        self.wait_js(
            &format!("document.getElementById('report-meta') && document.getElementById('report-meta').textContent.includes('{report_id}')"),
            crate::WAIT,
        )
        .await?;
        Ok(())
    }

    /// Waits until every change typed so far is committed (the autosave queue is empty).
    pub async fn wait_saved(&self) -> Result<()> {
        self.wait_js(
            "document.getElementById('save-status') && document.getElementById('save-status').dataset.pending === '0'",
            crate::WAIT,
        )
        .await?;
        Ok(())
    }

    /// Evaluates a JS expression.
    pub async fn js(&self, expression: &str) -> Result<serde_json::Value> {
        Ok(self.client.execute(&format!("return ({expression});"), vec![]).await?)
    }

    /// The id of the element that has the focus.
    pub async fn focused_id(&self) -> Result<String> {
        Ok(self
            .js("document.activeElement && document.activeElement.id")
            .await?
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    /// Clicks an element found by CSS selector, brought to the middle of its scrolling box first
    /// (WebKitWebDriver's own scrolling can leave it at an edge where the click misses).
    pub async fn click_css(&self, selector: &str) -> Result<()> {
        let el = self.wait_css(selector, crate::WAIT).await?;
        self.client
            .execute("document.querySelector(arguments[0]).scrollIntoView({ block: 'center' });", vec![selector.into()])
            .await?;
        el.click().await?;
        Ok(())
    }

    /// Saves a screenshot after the window has painted its last change.
    pub async fn settled_screenshot(&self, name: &str) -> Result<std::path::PathBuf> {
        self.client
            .execute_async("const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)));", vec![])
            .await?;
        self.screenshot(name).await
    }
}
