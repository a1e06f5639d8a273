//! Desktop-side helpers for the reminder tests: the app started without WebDriver, the
//! notifications it sends as seen on the session bus (`dbus-monitor`), and the window as the X
//! server sees it (visible or not, a window manager's close request).

use crate::{app_binary, app_pids, output_dir, running, with_descendants};
use anyhow::{bail, Context, Result};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The app started directly (no WebDriver) on `data_dir`; its stderr goes to the output folder.
pub fn spawn_app(data_dir: &Path, args: &[&str], log_name: &str) -> Result<Child> {
    spawn_app_with_env(data_dir, args, &[], log_name)
}

/// `spawn_app` with environment variables added.
pub fn spawn_app_with_env(data_dir: &Path, args: &[&str], env: &[(&str, &str)], log_name: &str) -> Result<Child> {
    let log = std::fs::File::create(output_dir().join(format!("{log_name}.log")))?;
    Command::new(app_binary())
        .envs(env.iter().copied())
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .context("cannot start the app")
}

/// SIGKILLs the app processes of `data_dir` and waits until they are gone.
pub fn kill_app(data_dir: &Path) -> Result<()> {
    let pids = app_pids(data_dir);
    if pids.is_empty() {
        bail!("no app process for {}", data_dir.display());
    }
    let family: Vec<u32> = pids.iter().copied().flat_map(with_descendants).collect();
    for pid in &pids {
        Command::new("kill").args(["-KILL", &pid.to_string()]).status()?;
    }
    // Its WebKit processes end on their own once it is gone.
    wait_until(Duration::from_secs(10), || !family.iter().copied().any(running))
        .context("the app (or its WebKit processes) outlived SIGKILL")
}

/// Polls `ready` every 50 ms until it is true or `timeout` passes.
/// (Blocking twin of `portal::wait_until`: plain probes of processes and windows, from callers
/// that cannot await such as `kill_app`; that one is for probes that must await.)
pub fn wait_until(timeout: Duration, mut ready: impl FnMut() -> bool) -> Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        if ready() {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("still not so after {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One `Notify` call seen on the session bus.
#[derive(Debug, Clone, PartialEq)]
pub struct Notify {
    /// Bus time of the call, seconds since the epoch.
    pub time: f64,
    pub app_name: String,
    pub icon: String,
    pub summary: String,
    pub body: String,
    pub actions: Vec<String>,
    /// The `urgency` hint: 0 low, 1 normal, 2 critical.
    pub urgency: Option<u8>,
    pub timeout: i32,
}

/// `dbus-monitor` watching `org.freedesktop.Notifications.Notify` on the session bus.
pub struct NotifyMonitor {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl NotifyMonitor {
    pub fn start() -> Result<NotifyMonitor> {
        let mut child = Command::new("dbus-monitor")
            .args(["--session", "interface='org.freedesktop.Notifications',member='Notify'"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start dbus-monitor (package dbus)")?;
        let stdout = child.stdout.take().context("dbus-monitor stdout")?;
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(std::result::Result::ok) {
                sink.lock().unwrap_or_else(|p| p.into_inner()).push(line);
            }
        });
        // dbus-monitor prints its own NameAcquired/NameLost once it is monitoring.
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            if lines
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .iter()
                .any(|l| l.contains("NameLost") || l.contains("NameAcquired"))
            {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(200));
        Ok(NotifyMonitor { child, lines })
    }

    /// Every `Notify` call from Incident Desk so far.
    pub fn notifications(&self) -> Vec<Notify> {
        let lines = self.lines.lock().unwrap_or_else(|p| p.into_inner()).clone();
        parse(&lines).into_iter().filter(|n| n.app_name == "Incident Desk").collect()
    }

    /// Waits until some notification matches `pred`; returns it.
    pub fn wait_for(&self, timeout: Duration, pred: impl Fn(&Notify) -> bool) -> Result<Notify> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(n) = self.notifications().into_iter().find(&pred) {
                return Ok(n);
            }
            if Instant::now() > deadline {
                bail!("no matching notification within {timeout:?}; seen: {:#?}", self.notifications());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The raw monitor output, for failure messages.
    pub fn transcript(&self) -> String {
        self.lines.lock().unwrap_or_else(|p| p.into_inner()).join("\n")
    }
}

impl Drop for NotifyMonitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Parses dbus-monitor's text: a `method call ... member=Notify` header, then one top-level
/// argument per line indented by three spaces (strings may run over several lines).
pub fn parse(lines: &[String]) -> Vec<Notify> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let header = &lines[i];
        i += 1;
        if !(header.starts_with("method call") && header.contains("member=Notify")) {
            continue;
        }
        let time =
            header.split_whitespace().find_map(|w| w.strip_prefix("time=")).and_then(|t| t.parse().ok()).unwrap_or(0.0);
        // Group the argument lines: a new argument starts with exactly three spaces and a type.
        let mut args: Vec<String> = Vec::new();
        while i < lines.len() && !is_header(&lines[i]) {
            let line = &lines[i];
            let starts_arg = line.starts_with("   ") && !line.starts_with("    ") && !line[3..].starts_with([']', ')']);
            match args.last_mut() {
                Some(last) if !starts_arg => {
                    last.push('\n');
                    last.push_str(line);
                }
                _ => args.push(line.clone()),
            }
            i += 1;
        }
        let string = |n: usize| {
            args.get(n)
                .and_then(|a| a.trim_start().strip_prefix("string \""))
                .map(|s| s.strip_suffix('"').unwrap_or(s).to_string())
                .unwrap_or_default()
        };
        let actions = args
            .get(5)
            .map(|a| {
                a.lines()
                    .filter_map(|l| l.trim().strip_prefix("string \"").and_then(|s| s.strip_suffix('"')))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let urgency = args.get(6).and_then(|hints| {
            let mut lines = hints.lines();
            while let Some(line) = lines.next() {
                if line.trim() == "string \"urgency\"" {
                    return lines.next().and_then(|v| v.split_whitespace().last()).and_then(|b| b.parse().ok());
                }
            }
            None
        });
        let timeout = args.get(7).and_then(|a| a.split_whitespace().last()).and_then(|t| t.parse().ok()).unwrap_or(0);
        out.push(Notify {
            time,
            app_name: string(0),
            icon: string(2),
            summary: string(3),
            body: string(4),
            actions,
            urgency,
            timeout,
        });
    }
    out
}

fn is_header(line: &str) -> bool {
    ["method call", "method return", "signal", "error"].iter().any(|h| line.starts_with(h))
}

/// The X window ids of visible windows titled exactly `title` that process `pid` opened.
pub fn visible_windows(title: &str, pid: u32) -> Vec<u64> {
    let output = Command::new("xdotool")
        .args(["search", "--all", "--onlyvisible", "--pid", &pid.to_string(), "--name", &format!("^{title}$")])
        .output();
    match output {
        Ok(o) => String::from_utf8_lossy(&o.stdout).lines().filter_map(|l| l.trim().parse().ok()).collect(),
        Err(_) => Vec::new(),
    }
}

/// Asks a window to close the way a window manager does (a `WM_DELETE_WINDOW` client message), as
/// when the user clicks its close button.
pub fn request_close(window: u64) -> Result<()> {
    use x11_dl::xlib;
    let x = xlib::Xlib::open().context("libX11")?;
    // SAFETY: plain Xlib calls on a display opened and closed here; the event is fully initialised.
    unsafe {
        let display = (x.XOpenDisplay)(std::ptr::null());
        if display.is_null() {
            bail!("cannot open the X display");
        }
        let protocols = (x.XInternAtom)(display, c"WM_PROTOCOLS".as_ptr(), xlib::False);
        let delete = (x.XInternAtom)(display, c"WM_DELETE_WINDOW".as_ptr(), xlib::False);
        let mut data = xlib::ClientMessageData::new();
        data.set_long(0, delete as std::os::raw::c_long);
        data.set_long(1, xlib::CurrentTime as std::os::raw::c_long);
        let mut event = xlib::XEvent {
            client_message: xlib::XClientMessageEvent {
                type_: xlib::ClientMessage,
                serial: 0,
                send_event: xlib::True,
                display,
                window: window as xlib::Window,
                message_type: protocols,
                format: 32,
                data,
            },
        };
        (x.XSendEvent)(display, window as xlib::Window, xlib::False, xlib::NoEventMask, &mut event);
        (x.XFlush)(display);
        (x.XCloseDisplay)(display);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dbus_monitor_notify_calls() {
        let text = r#"signal time=1700000000.000001 sender=org.freedesktop.DBus -> destination=:1.9 serial=2 path=/org/freedesktop/DBus; interface=org.freedesktop.DBus; member=NameAcquired
   string ":1.9"
method call time=1700000001.250000 sender=:1.12 -> destination=:1.3 serial=7 path=/org/freedesktop/Notifications; interface=org.freedesktop.Notifications; member=Notify
   string "Incident Desk"
   uint32 0
   string "dialog-warning"
   string "SOC-4242 Critical: acknowledgement due in 30 min"
   string "Acknowledge receipt of the SEN by Tue 2026-03-10 10:00 PDT.
SOC summary: beaconing"
   array [
      string "default"
      string "Open"
   ]
   array [
      dict entry(
         string "urgency"
         variant             byte 2
      )
      dict entry(
         string "x-dunst-stack-tag"
         variant             string "incident-desk-notice-1"
      )
   ]
   int32 -1
"#;
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let got = parse(&lines);
        assert_eq!(got.len(), 1);
        let n = &got[0];
        assert_eq!(n.app_name, "Incident Desk");
        assert_eq!(n.summary, "SOC-4242 Critical: acknowledgement due in 30 min");
        assert_eq!(n.body, "Acknowledge receipt of the SEN by Tue 2026-03-10 10:00 PDT.\nSOC summary: beaconing");
        assert_eq!(n.actions, ["default", "Open"]);
        assert_eq!(n.urgency, Some(2));
        assert_eq!(n.timeout, -1);
        assert!((n.time - 1_700_000_001.25).abs() < 1e-6);
    }
}
