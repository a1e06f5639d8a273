//! Helpers for the portal and outbox tests that drive the real binary: its CLI on a data
//! directory, the practice portal as a child process (`incident-desk practice-portal`), reports
//! queued through desk-core as the reports page would, and the practice portal's inspection
//! endpoints.

use crate::app_binary;
use anyhow::{bail, Context, Result};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// `incident-desk --data-dir DIR <args>` with `stdin` piped in; stdout, stderr and status.
pub fn cli_with_input(data_dir: &Path, args: &[&str], stdin: &str, envs: &[(&str, &str)]) -> Result<Output> {
    let mut child = Command::new(app_binary())
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .envs(envs.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting incident-desk {args:?}"))?;
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.as_bytes())?;
    }
    Ok(child.wait_with_output()?)
}

/// Runs a CLI command that must succeed and returns its JSON.
pub fn cli_json(data_dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Result<Value> {
    let out = cli_with_input(data_dir, args, "", envs)?;
    if !out.status.success() {
        bail!("incident-desk {args:?} failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr));
    }
    serde_json::from_slice(&out.stdout)
        .with_context(|| format!("JSON of {args:?}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// `incident-desk practice-portal` running as a child process; killed on drop.
pub struct PortalProcess {
    child: Child,
    pub url: String,
}

impl PortalProcess {
    /// Starts it with `args` (port, token, faults) and waits for the address it prints.
    pub fn start(data_dir: &Path, args: &[&str]) -> Result<PortalProcess> {
        let mut child = Command::new(app_binary())
            .arg("--data-dir")
            .arg(data_dir)
            .arg("practice-portal")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("starting the practice portal")?;
        let stdout = child.stdout.take().context("portal stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let printed: Value = serde_json::from_str(&line).with_context(|| format!("the portal printed {line:?}"))?;
        let url = printed["url"].as_str().context("url")?.to_string();
        Ok(PortalProcess { child, url })
    }

    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for PortalProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `GET <portal><path>` of the practice endpoints (bearer `token`).
pub async fn practice_get(url: &str, path: &str, token: &str) -> Result<Value> {
    let response = reqwest::Client::new().get(format!("{url}{path}")).bearer_auth(token).send().await?;
    if !response.status().is_success() {
        bail!("{path}: {}", response.status());
    }
    Ok(response.json().await?)
}

/// Waits until `probe` is true, polling every 50 ms.
/// (Async twin of `desktop::wait_until`: its probes await HTTP on the test's runtime, which a
/// blocking sleep would stall; that one serves callers that cannot await, like `kill_app`.)
pub async fn wait_until<F, Fut>(timeout: Duration, what: &str, mut probe: F) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<bool>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if probe().await? {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("{what}: still not true after {timeout:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Creates `count` complete reports on the data dir, readies and submits each (state queued,
/// its incident item in the outbox), in one transaction, as the reports page would one by one.
/// Returns their report ids.
pub fn queue_reports(data_dir: &Path, count: usize, discovered_at: &str) -> Result<Vec<String>> {
    use desk_core::profile::{Contact, Entity, Profile};
    use desk_core::report;
    let store = crate::open_store(data_dir)?;
    let conn = store.conn();
    let now = chrono::Utc::now();
    let profile = Profile {
        entity: Entity { name: "Department of Examples".into(), address: "1 Capitol Mall, Sacramento".into() },
        reporting_person: Contact {
            name: "Rita Reporter".into(),
            phones: vec!["(916) 555-0101".into()],
            ..Contact::default()
        },
        ..Profile::default()
    };
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let mut ids = Vec::with_capacity(count);
    for n in 0..count {
        let id = report::create_draft(conn, &profile, now, &crate::actor())?.report_id;
        for (path, value) in [
            (
                "incident.description",
                serde_json::json!(format!("Exercise report {n}: phishing led to a compromised mailbox.")),
            ),
            ("incident.discovered_at", serde_json::json!(discovered_at)),
            ("federal.category", serde_json::json!("cat_1")),
        ] {
            report::set_field(conn, &id, path, value, now, &crate::actor())?;
        }
        report::ready(conn, &id, now, &crate::actor())?;
        report::submit(conn, &id, now, &crate::actor())?;
        ids.push(id.to_string());
    }
    conn.execute_batch("COMMIT")?;
    Ok(ids)
}
