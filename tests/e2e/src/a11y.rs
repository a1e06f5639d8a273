//! Accessibility checks on the real window, with axe-core itself: `axe.min.js` (fetched by
//! `.ci/fetch-axe.sh` into tests/e2e/vendor/) is loaded into the page as the body of a WebDriver
//! script, and `axe.run` (tests/e2e/a11y/axe-run.js) audits the whole document in the light theme
//! and in the dark one (tests/e2e/a11y/theme.js). What axe cannot see, a visible focus on every Tab
//! stop, `focus_walk` checks by pressing Tab through the page. [`Audit`] gathers every page and
//! prints the figures; it fails listing each serious or critical violation.

use crate::Desk;
use anyhow::{bail, Context, Result};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const AXE_RUN: &str = include_str!("../a11y/axe-run.js");
const THEME: &str = include_str!("../a11y/theme.js");
const TAB: char = '\u{E004}';

/// Where `.ci/fetch-axe.sh` puts axe-core.
pub fn axe_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor/axe.min.js")
}

/// The text of axe.min.js; a clear failure, with the command to fetch it, when it is missing (read
/// at run time, not compiled in, so the rest of the suite builds without it).
pub fn axe_source() -> Result<String> {
    let path = axe_path();
    std::fs::read_to_string(&path).with_context(|| {
        format!("axe-core is missing at {}: fetch it with `.ci/fetch-axe.sh` (`make test` runs it through `.ci/deps.sh test`)", path.display())
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// Puts the window in `theme` and checks that it took (the body's background is dark, or light).
pub async fn set_theme(desk: &Desk, theme: Theme) -> Result<()> {
    let state = desk.client.execute(THEME, vec![theme.name().into()]).await?;
    let background = state["background"].as_str().unwrap_or_default();
    let rgb: Vec<f64> = background
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .take(3)
        .filter_map(|c| c.trim().parse().ok())
        .collect();
    let Ok([r, g, b]) = <[f64; 3]>::try_from(rgb) else {
        bail!("{} theme: cannot read the body background {background:?}", theme.name())
    };
    let dark = (r + g + b) / 3.0 < 80.0;
    if dark != (theme == Theme::Dark) {
        bail!(
            "the {} theme did not apply: body background {background}, {} dark rules switched",
            theme.name(),
            state["rules"]
        );
    }
    Ok(())
}

/// What one `axe.run` found.
pub struct AxeRun {
    pub version: String,
    /// Every rule axe ran, whatever its outcome (passed, violated, incomplete, inapplicable).
    pub rules: BTreeSet<String>,
    pub violations: Vec<Value>,
    pub incomplete: Vec<Value>,
}

impl AxeRun {
    /// The violations of serious or critical impact.
    pub fn serious(&self) -> impl Iterator<Item = &Value> {
        self.violations.iter().filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
    }
}

/// Loads axe-core into the page unless it is there (the hash router keeps one document, so once per
/// window), as the body of a WebDriver script. WebKitWebDriver evaluates it for the automation, which
/// the page's CSP (`script-src 'self'`, no `'unsafe-eval'`) does not govern: the CSP stays as shipped,
/// and axe's rules run under it.
pub async fn load_axe(desk: &Desk, source: &str) -> Result<String> {
    const VERSION: &str = "return window.axe ? window.axe.version : null;";
    if let Some(version) = desk.client.execute(VERSION, vec![]).await?.as_str() {
        return Ok(version.to_string());
    }
    let loaded = desk
        .client
        .execute(&format!("{source}\n;{VERSION}"), vec![])
        .await
        .context("loading axe-core into the page")?;
    loaded.as_str().map(str::to_string).context("axe-core did not define window.axe")
}

/// Runs axe-core on the page as it is now.
pub async fn axe_run(desk: &Desk, source: &str) -> Result<AxeRun> {
    load_axe(desk, source).await?;
    let result = desk.client.execute_async(AXE_RUN, vec![]).await.context("axe.run")?;
    if let Some(error) = result.get("error").and_then(Value::as_str) {
        bail!("axe.run failed: {error}");
    }
    let list = |key: &str| result.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
    let ids = |key: &str| list(key).into_iter().filter_map(|v| v.as_str().map(str::to_string)).collect::<Vec<_>>();
    let violations = list("violations");
    let incomplete = list("incomplete");
    let mut rules: BTreeSet<String> = ids("passes").into_iter().chain(ids("inapplicable")).collect();
    rules.extend(violations.iter().chain(&incomplete).filter_map(|v| v["id"].as_str().map(str::to_string)));
    Ok(AxeRun { version: result["version"].as_str().unwrap_or("?").to_string(), rules, violations, incomplete })
}

/// axe-core on the page as it is, in both themes: fails naming each serious or critical
/// violation. For a page another test reaches (the lock screen); leaves the window light.
pub async fn assert_accessible(desk: &Desk, name: &str) -> Result<()> {
    let source = axe_source()?;
    for theme in [Theme::Light, Theme::Dark] {
        set_theme(desk, theme).await?;
        let run = axe_run(desk, &source).await?;
        let serious: Vec<String> = run.serious().flat_map(describe).collect();
        if !serious.is_empty() {
            bail!("{name} ({} theme): {}", theme.name(), serious.join("\n"));
        }
    }
    set_theme(desk, Theme::Light).await
}

/// One line per node of a violation: rule id, impact, target, help.
pub fn describe(v: &Value) -> Vec<String> {
    let nodes = v["nodes"].as_array().cloned().unwrap_or_default();
    nodes
        .iter()
        .map(|n| {
            format!(
                "{} ({}) {}: {} [{}] {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                n["target"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or("?"),
                n["summary"].as_str().unwrap_or("").replace('\n', " "),
                n["html"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// Screenshots the window in the light theme (`<name>-light`) and in the dark one (`<name>-dark`),
/// switched by [`set_theme`] as the audit does; leaves it light; returns both paths.
pub async fn screenshot_both_themes(desk: &Desk, name: &str) -> Result<(std::path::PathBuf, std::path::PathBuf)> {
    set_theme(desk, Theme::Light).await?;
    let light = desk.screenshot(&format!("{name}-light")).await?;
    set_theme(desk, Theme::Dark).await?;
    let dark = desk.screenshot(&format!("{name}-dark")).await;
    set_theme(desk, Theme::Light).await?;
    Ok((light, dark?))
}

/// Presses Tab from the top of the page until the focus comes back to where it started (or
/// `max` presses); returns the stops and, for each stop without a visible focus indicator (an
/// outline of at least 1 px or a box shadow), a line saying so.
pub async fn focus_walk(desk: &Desk, max: usize) -> Result<(Vec<String>, Vec<String>)> {
    desk.client
        .execute("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);", vec![])
        .await?;
    let mut stops: Vec<String> = Vec::new();
    let mut faults = Vec::new();
    for _ in 0..max {
        let keys =
            KeyActions::new("keyboard".into()).then(KeyAction::Down { value: TAB }).then(KeyAction::Up { value: TAB });
        desk.client.perform_actions(keys).await?;
        let state = desk
            .client
            .execute(
                r#"const el = document.activeElement;
                   if (!el || el === document.body) return null;
                   const s = getComputedStyle(el);
                   const r = el.getBoundingClientRect();
                   const name = el.id ? '#' + el.id : el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '') + ':' + (el.textContent || el.value || '').trim().slice(0, 30);
                   return { target: name, outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1,
                            shadow: !!s.boxShadow && s.boxShadow !== 'none', size: r.width > 0 && r.height > 0 };"#,
                vec![],
            )
            .await?;
        let Some(target) = state.get("target").and_then(Value::as_str).map(str::to_string) else {
            continue;
        };
        if stops.first() == Some(&target) {
            break;
        }
        let visible = state["size"] == true && (state["outline"] == true || state["shadow"] == true);
        if !visible {
            faults.push(format!("focus-visible (serious) {target}: no visible focus indicator when reached with Tab"));
        }
        stops.push(target);
    }
    Ok((stops, faults))
}

/// Every page audited in one run: axe in both themes and the Tab walk, the figures printed at the
/// end (`finish`), which fails listing every serious or critical violation.
pub struct Audit {
    source: String,
    version: String,
    rules: BTreeSet<String>,
    pages: Vec<String>,
    faults: Vec<String>,
}

impl Audit {
    pub fn new() -> Result<Audit> {
        Ok(Audit {
            source: axe_source()?,
            version: String::new(),
            rules: BTreeSet::new(),
            pages: Vec::new(),
            faults: Vec::new(),
        })
    }

    /// Audits the page as the window shows it now: axe in the light theme and in the dark one, then
    /// the Tab walk (light; it moves the focus and the scroll, so it comes last).
    pub async fn page(&mut self, desk: &Desk, page: &str) -> Result<()> {
        let mut notes = Vec::new();
        // What axe could not decide (a background it cannot compute, say), printed for a person.
        let mut review = BTreeSet::new();
        for theme in [Theme::Light, Theme::Dark] {
            set_theme(desk, theme).await?;
            // What axe saw, to look at (tests/output/a11y-<page>-<theme>.png).
            let slug: Vec<String> = page
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            desk.settled_screenshot(&format!("a11y-{}-{}", slug.join("-"), theme.name())).await?;
            let run = axe_run(desk, &self.source).await.with_context(|| format!("{page} ({})", theme.name()))?;
            self.version = run.version.clone();
            self.rules.extend(run.rules.iter().cloned());
            for v in run.serious() {
                self.faults.extend(describe(v).into_iter().map(|line| format!("[{page}, {}] {line}", theme.name())));
            }
            let minor: Vec<String> = run
                .violations
                .iter()
                .filter(|v| !matches!(v["impact"].as_str(), Some("serious" | "critical")))
                .map(|v| format!("{} ({})", v["id"].as_str().unwrap_or("?"), v["impact"].as_str().unwrap_or("?")))
                .collect();
            let incomplete: Vec<String> = run
                .incomplete
                .iter()
                .map(|v| format!("{} x{}", v["id"].as_str().unwrap_or("?"), v["nodes"].as_array().map_or(0, Vec::len)))
                .collect();
            for v in &run.incomplete {
                review.extend(describe(v).into_iter().map(|line| line.chars().take(240).collect::<String>()));
            }
            notes.push(format!(
                "{}: {} rules, {} serious/critical, minor {minor:?}, to review by hand {incomplete:?}",
                theme.name(),
                run.rules.len(),
                run.serious().count()
            ));
        }
        set_theme(desk, Theme::Light).await?;
        let (stops, faults) = focus_walk(desk, 400).await?;
        self.faults.extend(faults.into_iter().map(|line| format!("[{page}, keyboard] {line}")));
        println!("axe {page}: {}; {} Tab stops", notes.join("; "), stops.len());
        for line in &review {
            println!("  to review: {line}");
        }
        self.pages.push(page.to_string());
        Ok(())
    }

    /// Prints `axe: <version>, <rules> rules, <pages> pages x 2 themes, <n> serious/critical` and
    /// fails listing every fault found.
    pub fn finish(self) -> Result<()> {
        let summary = format!(
            "axe: {}, {} rules, {} pages x 2 themes, {} serious/critical\npages audited: {}\n",
            self.version,
            self.rules.len(),
            self.pages.len(),
            self.faults.len(),
            self.pages.join(", ")
        );
        print!("{summary}");
        // The suite prints this after the tests (libtest hides a passing test's output).
        let _ = std::fs::write(crate::output_dir().join("a11y-summary.txt"), &summary);
        if self.faults.is_empty() {
            return Ok(());
        }
        for fault in &self.faults {
            println!("  {fault}");
        }
        bail!("{} serious or critical accessibility violation(s), listed above", self.faults.len())
    }
}
