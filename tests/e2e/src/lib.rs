//! Harness for the end-to-end suite: starts `tauri-driver` (which starts `WebKitWebDriver`), opens
//! a W3C WebDriver session that launches the real app binary on a temporary data directory, and
//! offers the few verbs the tests need. Runs inside the private session of `.ci/session.sh`.

pub mod a11y;
pub mod portal;
pub mod report;

use anyhow::{anyhow, bail, Context, Result};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub mod desktop;

/// The app binary under test: `INCIDENT_DESK_BIN`, else the workspace's debug build.
/// How long a test waits for the window to show the result of an action. Generous on purpose: a
/// loaded two-core CI machine can take seconds, and a passing test never waits it out (every wait
/// ends on the event it waits for).
pub const WAIT: std::time::Duration = std::time::Duration::from_secs(30);

pub fn app_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("INCIDENT_DESK_BIN") {
        return PathBuf::from(bin);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let bin = target.join("debug/incident-desk");
    refuse_stale(&bin);
    bin
}

/// `cargo test --test <e2e file>` does not build the app (this crate only spawns it), so an edit to
/// the UI or the shell would be tested against the old binary without a word. Say so instead.
fn refuse_stale(bin: &Path) {
    fn newest(dir: &Path) -> Option<(std::time::SystemTime, PathBuf)> {
        let mut best: Option<(std::time::SystemTime, PathBuf)> = None;
        for entry in std::fs::read_dir(dir).ok()?.flatten() {
            let path = entry.path();
            // An entry that cannot be read is skipped, not the rest of its folder.
            let found = if path.is_dir() {
                newest(&path)
            } else {
                entry.metadata().and_then(|m| m.modified()).ok().map(|t| (t, path))
            };
            if let Some(found) = found {
                if best.as_ref().is_none_or(|b| found.0 > b.0) {
                    best = Some(found);
                }
            }
        }
        best
    }
    let Ok(built) = std::fs::metadata(bin).and_then(|m| m.modified()) else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for dir in ["ui", "src-tauri/src"] {
        if let Some((changed, path)) = newest(&root.join(dir)) {
            assert!(
                changed <= built,
                "{} is older than {}: build the app first (cargo build --workspace --all-targets; make test-one does)",
                bin.display(),
                path.display()
            );
        }
    }
}

/// Where screenshots go: `INCIDENT_DESK_OUTPUT`, else `tests/output/`.
pub fn output_dir() -> PathBuf {
    let dir = std::env::var_os("INCIDENT_DESK_OUTPUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../output"));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Every e2e test needs the private desktop session of `.ci/session.sh` (display, keyring,
/// notification server) and a built app.
pub fn require_session() -> Result<()> {
    if std::env::var_os("DISPLAY").is_none() || std::env::var("INCIDENT_DESK_SESSION").as_deref() != Ok("ready") {
        bail!("this test needs the private desktop session (display, keyring): run it through `make test-one` or `make test`");
    }
    if !app_binary().exists() {
        bail!(
            "no app binary at {}: build the workspace first (cargo build --workspace --all-targets)",
            app_binary().display()
        );
    }
    Ok(())
}

/// A loopback port nobody listens on (bound, noted, released).
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn wait_for_port(port: u16, timeout: Duration) -> Result<()> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    bail!("tauri-driver did not listen on port {port} within {timeout:?}")
}

/// One running app window under WebDriver control.
pub struct Desk {
    pub client: Client,
    driver: Child,
    pub data_dir: PathBuf,
}

impl Desk {
    /// Launches the app on `data_dir` with extra command-line `args`.
    pub async fn launch(data_dir: &Path, args: &[&str]) -> Result<Desk> {
        Desk::launch_with_env(data_dir, args, &[]).await
    }

    /// Launches the app with extra environment variables too (the driver passes its environment
    /// on to the app it starts).
    pub async fn launch_with_env(data_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<Desk> {
        require_session()?;
        let port = free_port()?;
        let native_port = free_port()?;
        let driver = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start tauri-driver (cargo install tauri-driver --locked)")?;
        let mut desk_args = vec!["--data-dir".to_string(), data_dir.display().to_string()];
        desk_args.extend(args.iter().map(|a| a.to_string()));
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), "wry".into());
        capabilities
            .insert("tauri:options".into(), serde_json::json!({ "application": app_binary(), "args": desk_args }));
        let mut driver = DriverGuard(Some(driver));
        wait_for_port(port, Duration::from_secs(20))?;
        // tauri-driver forwards the new-session request to WebKitWebDriver: wait until that listens too.
        wait_for_port(native_port, Duration::from_secs(20))?;
        // tauri-driver listens before WebKitWebDriver behind it does: a session request in that
        // gap fails without reaching it (nothing was launched), so it is tried again.
        let mut attempt = 0;
        let client = loop {
            attempt += 1;
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(
                    fantoccini::error::NewSessionError::FailedC(_)
                    | fantoccini::error::NewSessionError::Failed(_)
                    | fantoccini::error::NewSessionError::Lost(_),
                ) if attempt < 20 => {
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(e) => return Err(e).context("WebDriver session (is WebKitWebDriver installed?)"),
            }
        };
        let desk = Desk { client, driver: driver.take(), data_dir: data_dir.to_path_buf() };
        desk.wait_css(".nav a[aria-current='page']", Duration::from_secs(30)).await?;
        Ok(desk)
    }

    /// Closes the window the normal way, stops the driver, and ends the app: closing the window
    /// leaves it running in the tray, and the next launch on this data dir would hand over to it.
    pub async fn quit(mut self) -> Result<()> {
        keep_logs(&self.data_dir);
        let closed = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        end_app(&self.data_dir);
        closed.map_err(|e| anyhow!("closing the session: {e}"))
    }

    /// SIGKILLs the app process (no chance to flush anything), then drops the session.
    pub async fn kill_app(mut self) -> Result<()> {
        keep_logs(&self.data_dir);
        let pids = app_pids(&self.data_dir);
        if pids.is_empty() {
            bail!("no app process found for {}", self.data_dir.display());
        }
        for pid in &pids {
            Command::new("kill").args(["-KILL", &pid.to_string()]).status()?;
        }
        let _ = tokio::time::timeout(Duration::from_secs(5), self.client.clone().close()).await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        // Wait for the processes to be gone before a restart reuses the data dir.
        let deadline = Instant::now() + Duration::from_secs(10);
        while !app_pids(&self.data_dir).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }

    pub async fn by_id(&self, id: &str) -> Result<Element> {
        self.client.find(Locator::Id(id)).await.with_context(|| format!("no element #{id}"))
    }

    pub async fn css(&self, selector: &str) -> Result<Element> {
        self.client.find(Locator::Css(selector)).await.with_context(|| format!("no element {selector}"))
    }

    /// Waits until an element matching `selector` exists.
    pub async fn wait_css(&self, selector: &str, timeout: Duration) -> Result<Element> {
        self.client
            .wait()
            .at_most(timeout)
            .for_element(Locator::Css(selector))
            .await
            .with_context(|| format!("{selector} did not appear within {timeout:?}"))
    }

    /// Waits until `script` (a JS expression) is truthy.
    pub async fn wait_js(&self, script: &str, timeout: Duration) -> Result<serde_json::Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let value = self.client.execute(&format!("return ({script});"), vec![]).await?;
            if !matches!(value, serde_json::Value::Null | serde_json::Value::Bool(false)) {
                return Ok(value);
            }
            if Instant::now() > deadline {
                bail!("`{script}` still false after {timeout:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn goto(&self, page: &str) -> Result<()> {
        self.by_id(&format!("nav-{page}")).await?.click().await?;
        self.wait_js(&format!("location.hash === '#/{page}'"), WAIT).await?;
        Ok(())
    }

    /// Replaces the control's value by typing `text` into it, as a user would.
    pub async fn fill(&self, id: &str, text: &str) -> Result<()> {
        let el = self.by_id(id).await?;
        el.clear().await?;
        el.send_keys(text).await?;
        Ok(())
    }

    pub async fn value(&self, id: &str) -> Result<String> {
        let v = self.client.execute("return document.getElementById(arguments[0]).value;", vec![id.into()]).await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    pub async fn text(&self, id: &str) -> Result<String> {
        Ok(self.by_id(id).await?.text().await?)
    }

    /// Saves a PNG of the window to the output folder and returns its path.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        // The app renders without GL compositing (src-tauri/src/webview.rs). There, WebKitGTK 2.50
        // takes a WebDriver screenshot at the page's next paint after the request, and a page with
        // nothing changing waits until something paints (a countdown's next minute, or never): one
        // corner pixel, at 1% opacity, repainted every 50 ms while the screenshot is taken.
        self.client
            .execute(
                "const dot = document.createElement('div'); dot.id = 'e2e-paint-nudge'; dot.setAttribute('aria-hidden', 'true'); \
                 dot.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;background:rgba(0,0,0,0.01)'; \
                 document.body.append(dot); \
                 window.__paintNudge = setInterval(() => { dot.style.opacity = dot.style.opacity === '1' ? '0.99' : '1'; }, 50);",
                vec![],
            )
            .await?;
        let png = self.client.screenshot().await;
        self.client
            .execute(
                "clearInterval(window.__paintNudge); document.getElementById('e2e-paint-nudge')?.remove();",
                vec![],
            )
            .await?;
        let png = png?;
        let path = output_dir().join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }
}

/// Opens a data directory's database the way the app does: encrypted, its key in the session's
/// keyring (created on first use, like a first start of the app).
pub fn open_store(data_dir: &Path) -> Result<desk_core::Store> {
    let opened =
        desk_core::store::protect::open_protected(data_dir, &desk_core::secrets::OsKeyring, chrono::Utc::now())?;
    Ok(opened.store)
}

/// Copies the app's log files out of a (temporary) data directory into the output folder, where
/// `tests/log-scan.sh` checks, after the suite, that no personal information or secret was logged.
pub fn keep_logs(data_dir: &Path) {
    record_modes(data_dir);
    let Ok(entries) = std::fs::read_dir(data_dir.join("logs")) else { return };
    let target = output_dir().join("logs").join(format!(
        "{}-{}",
        data_dir.file_name().and_then(|n| n.to_str()).unwrap_or("data"),
        std::process::id()
    ));
    if std::fs::create_dir_all(&target).is_err() {
        return;
    }
    for entry in entries.flatten() {
        let _ = std::fs::copy(entry.path(), target.join(entry.file_name()));
    }
}

/// Records the mode of everything under a (temporary, soon deleted) data directory into
/// `<output>/modes/<dir>-<pid>.txt`, one `<octal mode> <f|d> <path>` line each, so that
/// `tests/log-scan.sh` can check after the suite that the app kept it private (files 0600,
/// folders 0700).
pub fn record_modes(data_dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut lines = Vec::new();
        let mut pending = vec![data_dir.to_path_buf()];
        while let Some(path) = pending.pop() {
            let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
            let kind = if meta.is_dir() {
                'd'
            } else if meta.is_file() {
                'f'
            } else {
                continue;
            };
            let shown = path.strip_prefix(data_dir).map(|p| p.display().to_string()).unwrap_or_default();
            lines.push(format!(
                "{:o} {kind} {}",
                meta.permissions().mode() & 0o7777,
                if shown.is_empty() { "." } else { &shown }
            ));
            if meta.is_dir() {
                pending.extend(std::fs::read_dir(&path).into_iter().flatten().flatten().map(|e| e.path()));
            }
        }
        let dir = output_dir().join("modes");
        if std::fs::create_dir_all(&dir).is_ok() {
            let name = format!(
                "{}-{}.txt",
                data_dir.file_name().and_then(|n| n.to_str()).unwrap_or("data").trim_start_matches('.'),
                std::process::id()
            );
            let _ = std::fs::write(dir.join(name), lines.join("\n") + "\n");
        }
    }
}

/// A test that fails between `launch` and `quit` must not leave its driver or its app behind (the
/// app would stay in the tray).
impl Drop for Desk {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        end_app(&self.data_dir);
    }
}

struct DriverGuard(Option<Child>);

impl DriverGuard {
    fn take(&mut self) -> Child {
        self.0.take().expect("driver taken once")
    }
}

impl Drop for DriverGuard {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Ends the app processes of this data directory (SIGTERM, then SIGKILL after 3 s) and waits until
/// they and their children (the WebKit processes) are gone.
pub fn end_app(data_dir: &Path) {
    let mut family: Vec<u32> = app_pids(data_dir).into_iter().flat_map(with_descendants).collect();
    let alive = |pids: &[u32]| pids.iter().copied().any(running);
    for (signal, grace) in [("-TERM", Duration::from_secs(3)), ("-KILL", Duration::from_secs(10))] {
        let pids = app_pids(data_dir);
        family.extend(pids.iter().copied().flat_map(with_descendants));
        if pids.is_empty() && !alive(&family) {
            return;
        }
        let targets = if pids.is_empty() { &family } else { &pids };
        for pid in targets {
            let _ = Command::new("kill").args([signal, &pid.to_string()]).status();
        }
        let deadline = Instant::now() + grace;
        while alive(&family) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// True while `pid` exists and is not a zombie waiting to be reaped.
pub fn running(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().next()) != Some("Z"),
        Err(_) => false,
    }
}

/// `pid` and every process below it.
pub fn with_descendants(pid: u32) -> Vec<u32> {
    let mut out = vec![pid];
    let mut i = 0;
    while i < out.len() {
        let tasks = std::fs::read_dir(format!("/proc/{}/task", out[i])).into_iter().flatten().flatten();
        for task in tasks {
            let children = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
            out.extend(children.split_whitespace().filter_map(|c| c.parse::<u32>().ok()));
        }
        i += 1;
    }
    out
}

/// PIDs of app processes started with this data directory (found by their command line).
pub fn app_pids(data_dir: &Path) -> Vec<u32> {
    let needle = data_dir.display().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else { return false };
            let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
            let is_app = args.first().is_some_and(|a| a.ends_with(b"incident-desk"));
            is_app && args.contains(&needle.as_bytes())
        })
        .collect()
}

/// Who the suite's own writes to a store are recorded as (history rows carry an actor).
pub fn actor() -> desk_core::audit::Actor {
    desk_core::audit::Actor::new("e2e", "test-host")
}
