//! Reminder benchmark (`make bench-reminders`): prints figures, never fails on speed. Runs inside
//! the private session (.ci/session.sh) against the real app binary and dunst.
//!
//! 1. Lateness: 100 Critical SENs whose half-window reminders fall 600 ms apart over one minute;
//!    lateness = when the `Notify` call crossed the session bus (dbus-monitor's timestamp) minus
//!    the planned time, and the app's own record (shown_at - planned_at). Target: p99 < 1 s.
//! 2. Idle CPU: the app with 500 open SENs (no reminder due during the measurement), then with
//!    none, over `IDLE_SECONDS` (default 60) once the start's deferred work is done, with the window
//!    shown (nobody working in it) and again closed to the tray:
//!    utime + stime of the app and its WebKit processes.
//! 3. One scheduler pass over 500 SENs, in this process (this binary's build profile).
//!
//! `BENCH_ONLY=idle` runs only 2, followed by the empty Tauri window (`empty-window`, built beside
//! the app: the floor any Tauri window pays) shown for as long. `IDLE_SENS=500` (a comma list)
//! chooses the numbers of open SENs the idle CPU is measured with (default 500 and 0).

use chrono::{DateTime, TimeDelta, Utc};
use desk_core::reminders::{pass, prefs, store, Planner, ReminderPrefs};
use desk_core::sen::{self, NewSen, Source};
use e2e::desktop::{spawn_app, NotifyMonitor};
use e2e::{app_binary, app_pids, end_app, with_descendants};
use std::path::Path;
use std::time::{Duration, Instant};

const REMINDERS: i64 = 100;
const SPACING_MS: i64 = 600;
const LEAD: TimeDelta = TimeDelta::seconds(12);
const IDLE_SENS: usize = 500;
/// Idle is measured once the start's deferred work is done: the first snapshot check runs 60 s
/// after start (src-tauri/src/snapshots.rs) and writes the day's snapshot.
const SETTLE_AFTER_START: Duration = Duration::from_secs(75);

fn main() -> anyhow::Result<()> {
    println!("bench-reminders: app {}", app_binary().display());
    let idle_only = std::env::var("BENCH_ONLY").is_ok_and(|only| only == "idle");
    if !idle_only {
        lateness()?;
    }
    let idle = std::env::var("IDLE_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    let sens: Vec<usize> = std::env::var("IDLE_SENS")
        .ok()
        .map(|list| list.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![IDLE_SENS, 0]);
    for n in sens {
        idle_cpu(n, idle)?;
    }
    if idle_only {
        idle_cpu_empty_window(idle)?;
    } else {
        pass_cost()?;
    }
    Ok(())
}

fn seed(
    data: &Path,
    n: usize,
    sent_at: impl Fn(usize) -> DateTime<Utc>,
    level: impl Fn(usize) -> &'static str,
) -> anyhow::Result<()> {
    let store = e2e::open_store(data)?;
    let now = Utc::now();
    for i in 0..n {
        let new = NewSen {
            sen_number: format!("SOC-{:04}", i + 1),
            level: level(i).into(),
            sent_at: sent_at(i),
            summary: format!("Benchmark SEN {i}: outbound beaconing from host {i}"),
            source: Source::Manual,
        };
        sen::store::create(store.conn(), new, now, &e2e::actor())?;
    }
    Ok(())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn summary(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    println!(
        "  {name:<34} n={:<4} p50={:>7.1} ms  p99={:>7.1} ms  max={:>7.1} ms  (target p99 < 1000 ms)",
        ms.len(),
        percentile(&ms, 50.0),
        percentile(&ms, 99.0),
        ms.last().copied().unwrap_or(f64::NAN)
    );
}

fn lateness() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let t0 = Utc::now() + LEAD;
    let planned = |i: usize| t0 + TimeDelta::milliseconds(i as i64 * SPACING_MS);
    // The half-window reminder of SEN i at planned(i): sent half an hour (of its one hour) before.
    seed(data.path(), REMINDERS as usize, |i| planned(i) - TimeDelta::minutes(30), |_| "critical")?;
    {
        let store = e2e::open_store(data.path())?;
        let only_half =
            ReminderPrefs { minutes_before: vec![], at_due: false, at_escalations: false, ..ReminderPrefs::default() };
        prefs::save(store.conn(), only_half, Utc::now())?;
    }
    let monitor = NotifyMonitor::start()?;
    let _app = spawn_app(data.path(), &[], "bench-reminders-lateness")?;
    let last = planned(REMINDERS as usize - 1);
    let deadline = Instant::now() + (last - Utc::now()).to_std().unwrap_or_default() + Duration::from_secs(20);
    while Instant::now() < deadline && monitor.notifications().len() < REMINDERS as usize {
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_secs(1));
    end_app(data.path());

    let seen = monitor.notifications();
    let mut bus_ms = Vec::new();
    let mut summaries = 0;
    for n in &seen {
        match n
            .summary
            .split_whitespace()
            .next()
            .and_then(|w| w.strip_prefix("SOC-"))
            .and_then(|d| d.parse::<usize>().ok())
        {
            Some(number) if n.summary.contains("Critical:") => {
                let at = planned(number - 1);
                bus_ms.push(n.time * 1000.0 - at.timestamp_millis() as f64);
            }
            _ => summaries += 1,
        }
    }
    let store = e2e::open_store(data.path())?;
    let app_ms: Vec<f64> = store::deliveries(store.conn())?
        .iter()
        .map(|(_, planned, shown)| (*shown - *planned).num_microseconds().unwrap_or(0) as f64 / 1000.0)
        .collect();
    println!(
        "lateness: {REMINDERS} reminders planned {SPACING_MS} ms apart; {} notifications on the bus ({} single, {summaries} summaries)",
        seen.len(),
        bus_ms.len()
    );
    summary("Notify on the bus - planned time", bus_ms);
    summary("app record: shown - planned", app_ms);
    Ok(())
}

/// CPU time of `pids` over the next `seconds`, as a share of one core, then each process's part.
fn cpu_percent(pids: &[u32], seconds: u64) -> String {
    let before: Vec<u64> = pids.iter().map(|pid| cpu_ticks(&[*pid])).collect();
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(seconds));
    let spent: Vec<u64> =
        pids.iter().zip(&before).map(|(pid, before)| cpu_ticks(&[*pid]).saturating_sub(*before)).collect();
    let cpu_s = spent.iter().sum::<u64>() as f64 / 100.0;
    let elapsed = started.elapsed().as_secs_f64();
    let parts: Vec<String> = pids
        .iter()
        .zip(&spent)
        .map(|(pid, ticks)| format!("{} {:.2} s", process_name(*pid), *ticks as f64 / 100.0))
        .collect();
    format!(
        "{cpu_s:.2} s CPU over {elapsed:.0} s = {:.2} % of one core [{}]",
        cpu_s / elapsed * 100.0,
        parts.join(", ")
    )
}

fn process_name(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm")).map(|c| c.trim().to_string()).unwrap_or_default()
}

/// Closes the app's window as the window manager's close button does (tests/bench/close-window.py);
/// the app hides to its tray. Returns once the window is no longer visible.
fn close_to_tray(pid: u32) -> anyhow::Result<()> {
    let visible = || -> anyhow::Result<Option<String>> {
        let out = std::process::Command::new("xdotool")
            .args(["search", "--onlyvisible", "--pid", &pid.to_string(), "--name", "^Incident Desk"])
            .output()?;
        Ok(String::from_utf8_lossy(&out.stdout).lines().next().map(str::to_string))
    };
    let window = visible()?.ok_or_else(|| anyhow::anyhow!("no visible Incident Desk window"))?;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../bench/close-window.py");
    let status = std::process::Command::new("python3").args([script, &window]).status()?;
    anyhow::ensure!(status.success(), "close-window.py failed: {status}");
    for _ in 0..100 {
        if visible()?.is_none() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    anyhow::bail!("the window stayed visible")
}

/// utime + stime, in clock ticks (1/100 s), of the processes in `pids`.
fn cpu_ticks(pids: &[u32]) -> u64 {
    pids.iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/stat")).ok())
        .filter_map(|stat| {
            let fields: Vec<u64> =
                stat.rsplit_once(')')?.1.split_whitespace().skip(11).take(2).filter_map(|f| f.parse().ok()).collect();
            Some(fields.iter().sum::<u64>())
        })
        .sum()
}

fn idle_cpu(sens: usize, seconds: u64) -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let now = Utc::now();
    let levels = ["critical", "high", "medium"];
    // Sent in the last few minutes: the first reminder of each is at least 20 minutes away.
    seed(data.path(), sens, |i| now - TimeDelta::seconds((i % 300) as i64), |i| levels[i % 3])?;
    let mut app = spawn_app(data.path(), &[], &format!("bench-reminders-idle-{sens}"))?;
    std::thread::sleep(SETTLE_AFTER_START);
    let family = with_descendants(app.id());
    // Each process is named, with its part, in `cpu_percent`'s figure.
    let shown = cpu_percent(&family, seconds);
    println!("idle CPU with {sens:>3} open SENs, window shown: {shown}");
    match close_to_tray(app.id()) {
        Ok(()) => {
            std::thread::sleep(Duration::from_secs(5));
            let hidden = cpu_percent(&with_descendants(app.id()), seconds);
            println!("idle CPU with {sens:>3} open SENs, in the tray:   {hidden}");
        }
        Err(e) => println!("idle CPU with {sens:>3} open SENs, in the tray: not measured ({e})"),
    }
    end_app(data.path());
    let _ = app.wait();
    if !app_pids(data.path()).is_empty() {
        println!("  (the app did not end)");
    }
    Ok(())
}

/// The empty Tauri window (tests/bench/empty-window) shown, measured as the app is.
fn idle_cpu_empty_window(seconds: u64) -> anyhow::Result<()> {
    let binary = app_binary().with_file_name("empty-window");
    if !binary.exists() {
        println!("idle CPU of the empty window: not measured ({} not built)", binary.display());
        return Ok(());
    }
    let linger = (seconds + 30) * 1000;
    let mut window = std::process::Command::new(&binary)
        .env("INCIDENT_DESK_PROBE_LINGER_MS", linger.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    std::thread::sleep(Duration::from_secs(15));
    let shown = cpu_percent(&with_descendants(window.id()), seconds);
    println!("idle CPU of the empty window, shown:          {shown}");
    let _ = window.kill();
    let _ = window.wait();
    Ok(())
}

fn pass_cost() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let now = Utc::now();
    let levels = ["critical", "high", "medium"];
    seed(data.path(), IDLE_SENS, |i| now - TimeDelta::seconds((i % 300) as i64), |i| levels[i % 3])?;
    let store = e2e::open_store(data.path())?;
    let profile = if cfg!(debug_assertions) { "debug" } else { "release" };
    let time = |f: &mut dyn FnMut() -> anyhow::Result<()>| -> anyhow::Result<Vec<f64>> {
        let mut ms = Vec::new();
        for _ in 0..20 {
            let started = Instant::now();
            f()?;
            ms.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        ms.sort_by(f64::total_cmp);
        Ok(ms)
    };
    let cold = time(&mut || pass::run(store.conn(), Utc::now()).map(drop).map_err(Into::into))?;
    let mut planner = Planner::default();
    let warm = time(&mut || planner.pass(store.conn(), Utc::now()).map(drop).map_err(Into::into))?;
    println!(
        "scheduler pass over {IDLE_SENS} open SENs ({profile} build of this binary): after a change (read + plan) p50={:.1} ms; \
         a wake with nothing changed p50={:.3} ms",
        percentile(&cold, 50.0),
        percentile(&warm, 50.0),
    );
    Ok(())
}
