//! Start-up timing: `--startup-probe` prints `first_paint_ms=<N>` once the UI reports its first
//! paint, then exits. The benchmark compares it with an empty Tauri window measured the same way.
//! Also the switches benchmarks and tests set through the environment (`lever_on`, `test_seconds`).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

static MAIN_ENTERED: OnceLock<(Instant, Duration)> = OnceLock::new();

/// Records when `main` began and how long the process had existed by then.
pub fn mark_start() {
    MAIN_ENTERED.get_or_init(|| (Instant::now(), process_age_at_main().unwrap_or_default()));
}

/// Milliseconds since the process started (exec), not just since `main`.
pub fn elapsed_ms() -> u128 {
    let (at_main, age_at_main) = *MAIN_ENTERED.get_or_init(|| (Instant::now(), Duration::ZERO));
    (age_at_main + at_main.elapsed()).as_millis()
}

/// How old the process was when `main` began: loading and linking the binary.
pub fn main_entered_ms() -> u128 {
    MAIN_ENTERED.get().map_or(0, |(_, age)| age.as_millis())
}

/// Age of this process from `/proc/self/stat` (start time in clock ticks since boot) and
/// `/proc/uptime`; 10 ms resolution, good enough beside a ~600 ms window start.
/// Exits the app, after `INCIDENT_DESK_PROBE_LINGER_MS` (default 0) so that the startup benchmark
/// can read the memory of the whole process tree once the first screen is up.
pub fn exit_after_linger(app: tauri::AppHandle) {
    let linger = std::env::var("INCIDENT_DESK_PROBE_LINGER_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(linger));
        app.exit(0);
    });
}

#[cfg(target_os = "linux")]
fn process_age_at_main() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Field 22 (starttime); fields after the parenthesised command name start at field 3.
    let after_comm = stat.rsplit_once(')')?.1;
    let start_ticks: f64 = after_comm.split_whitespace().nth(19)?.parse().ok()?;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime").ok()?.split_whitespace().next()?.parse().ok()?;
    let ticks_per_second = 100.0; // USER_HZ, fixed at 100 on Linux for /proc
    let age = uptime - start_ticks / ticks_per_second;
    (age >= 0.0).then(|| Duration::from_secs_f64(age))
}

#[cfg(not(target_os = "linux"))]
fn process_age_at_main() -> Option<Duration> {
    None
}

/// The benchmarks' A/B switch: `INCIDENT_DESK_LEVERS_OFF=settings,trim,defer,overlap,monitor`
/// runs without those levers (web view settings, heap trim, background tasks after the first
/// frame, the store taken when first needed instead of before the event loop runs, WebKit's
/// memory-pressure monitor off), so each one is measured on the same binary. Every lever is on
/// otherwise.
pub fn lever_on(name: &str) -> bool {
    std::env::var("INCIDENT_DESK_LEVERS_OFF").map_or(true, |off| !off.split(',').any(|lever| lever.trim() == name))
}

/// Debug builds only (the e2e suite): a wait given in seconds by the environment variable `name`,
/// so a test waits seconds where the app waits minutes. Release builds ignore it.
pub fn test_seconds(name: &str) -> Option<u64> {
    if !cfg!(debug_assertions) {
        return None;
    }
    std::env::var(name).ok()?.trim().parse().ok()
}
