//! Accessibility checks on the real window. axe-core cannot be obtained here, so
//! `tests/e2e/a11y/audit.js` checks the axe rules of serious or critical impact that apply to this
//! UI (see its header), in the light theme and in the dark one (emulated from the stylesheets' own
//! dark rules); `focus_walk` presses Tab through the page and checks that every stop is visibly
//! focused. `assert_accessible` runs all three and fails listing every violation.

use crate::Desk;
use anyhow::{bail, Result};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use serde_json::{json, Value};

const AUDIT: &str = include_str!("../a11y/audit.js");
const UNDO_DARK: &str = "const s = window.__a11yDark; if (s) { for (let i = 0; i < s.n; i += 1) s.sheet.deleteRule(s.sheet.cssRules.length - 1); window.__a11yDark = null; }";
const TAB: char = '\u{E004}';

/// What one audit found.
pub struct Audit {
    pub violations: Vec<Value>,
    /// How many elements each rule looked at (a rule that checked nothing is printed too).
    pub checked: Value,
    pub incomplete: Vec<Value>,
}

/// Runs audit.js on the page as it is; `dark` emulates `prefers-color-scheme: dark` for the run.
pub async fn audit(desk: &Desk, dark: bool) -> Result<Audit> {
    let result = desk.client.execute(AUDIT, vec![json!({ "darkTheme": dark })]).await?;
    if dark {
        desk.client.execute(UNDO_DARK, vec![]).await?;
    }
    let list = |key: &str| result.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
    Ok(Audit { violations: list("violations"), checked: result.get("checked").cloned().unwrap_or(Value::Null), incomplete: list("incomplete") })
}

/// Screenshots the window as it is (`<name>-light`) and in the dark theme (`<name>-dark`, emulated
/// from the stylesheets' own dark rules, as the audit does); returns both paths.
pub async fn screenshot_both_themes(desk: &Desk, name: &str) -> Result<(std::path::PathBuf, std::path::PathBuf)> {
    let light = desk.screenshot(&format!("{name}-light")).await?;
    let applied = desk
        .client
        .execute(
            r#"const host = [...document.styleSheets].find((s) => { try { return s.cssRules && s.href; } catch (e) { return false; } });
               const dark = [];
               for (const sheet of document.styleSheets) {
                 let rules; try { rules = sheet.cssRules; } catch (e) { continue; }
                 for (const rule of rules) if (rule.media && /prefers-color-scheme:\s*dark/.test(rule.media.mediaText)) for (const inner of rule.cssRules) dark.push(inner.cssText);
               }
               if (!host || !dark.length) return false;
               host.insertRule(':root { color-scheme: dark; }', host.cssRules.length);
               for (const text of dark) host.insertRule(text, host.cssRules.length);
               window.__a11yDark = { sheet: host, n: dark.length + 1 };
               return true;"#,
            vec![],
        )
        .await?;
    if applied != Value::Bool(true) {
        bail!("no dark rules to emulate the dark theme");
    }
    desk.client
        .execute_async("const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));", vec![])
        .await?;
    let dark = desk.screenshot(&format!("{name}-dark")).await;
    desk.client.execute(UNDO_DARK, vec![]).await?;
    Ok((light, dark?))
}

/// Presses Tab from the top of the page until the focus comes back to where it started (or
/// `max` presses); returns the stops and, for each stop without a visible focus indicator (an
/// outline of at least 1 px or a box shadow), a violation.
pub async fn focus_walk(desk: &Desk, max: usize) -> Result<(Vec<String>, Vec<Value>)> {
    desk.client.execute("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);", vec![]).await?;
    let mut stops: Vec<String> = Vec::new();
    let mut violations = Vec::new();
    for _ in 0..max {
        let keys = KeyActions::new("keyboard".into()).then(KeyAction::Down { value: TAB }).then(KeyAction::Up { value: TAB });
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
        let Some(target) = state.get("target").and_then(Value::as_str).map(str::to_string) else { continue };
        if stops.first() == Some(&target) {
            break;
        }
        let visible = state["size"] == true && (state["outline"] == true || state["shadow"] == true);
        if !visible {
            violations.push(json!({ "rule": "focus-visible", "impact": "serious", "target": target, "message": "no visible focus indicator when reached with Tab" }));
        }
        stops.push(target);
    }
    Ok((stops, violations))
}

/// Light audit, Tab walk, dark audit; fails listing every violation, prints what was checked.
pub async fn assert_accessible(desk: &Desk, page: &str) -> Result<()> {
    let light = audit(desk, false).await?;
    let (stops, focus) = focus_walk(desk, 400).await?;
    let dark = audit(desk, true).await?;
    println!(
        "a11y {page}: {} rules checked ({}), {} Tab stops, {} incomplete (background images)",
        light.checked.as_object().map(|o| o.len()).unwrap_or(0),
        light.checked,
        stops.len(),
        light.incomplete.len() + dark.incomplete.len()
    );
    let mut all: Vec<(String, Value)> = Vec::new();
    all.extend(light.violations.into_iter().map(|v| ("light".to_string(), v)));
    all.extend(focus.into_iter().map(|v| ("keyboard".to_string(), v)));
    all.extend(dark.violations.into_iter().map(|v| ("dark".to_string(), v)));
    if all.is_empty() {
        return Ok(());
    }
    for (theme, v) in &all {
        println!("  [{theme}] {} ({}) {}: {}", v["rule"].as_str().unwrap_or("?"), v["impact"].as_str().unwrap_or("?"), v["target"].as_str().unwrap_or("?"), v["message"].as_str().unwrap_or("?"));
    }
    bail!("{page}: {} accessibility violation(s), listed above", all.len())
}
