//! An empty Tauri window, measured the same way as Incident Desk: prints `first_paint_ms=<N>` (time
//! since the process started) when the page reports its first paint, stays up for
//! `INCIDENT_DESK_PROBE_LINGER_MS` (so the bench can read its memory), then exits.

use std::time::{Duration, Instant};

static START: std::sync::OnceLock<(Instant, Duration)> = std::sync::OnceLock::new();

/// Age of this process at `main`, from /proc (10 ms resolution), as the app's probe does.
fn process_age() -> Duration {
    let read = || -> Option<Duration> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        let start_ticks: f64 = stat.rsplit_once(')')?.1.split_whitespace().nth(19)?.parse().ok()?;
        let uptime: f64 = std::fs::read_to_string("/proc/uptime").ok()?.split_whitespace().next()?.parse().ok()?;
        let age = uptime - start_ticks / 100.0;
        (age >= 0.0).then(|| Duration::from_secs_f64(age))
    };
    read().unwrap_or_default()
}

/// `first_frame_ms` and `painted_ms` are page times, printed to stderr beside the app's own marks
/// (its log) to compare where the time goes.
#[tauri::command]
fn ui_ready(app: tauri::AppHandle, first_frame_ms: Option<f64>, painted_ms: Option<f64>, html_ms: Option<f64>) {
    let (at_main, age_at_main) = START.get().copied().unwrap_or((Instant::now(), Duration::ZERO));
    println!("first_paint_ms={}", (age_at_main + at_main.elapsed()).as_millis());
    eprintln!(
        "page marks: first_frame_ms={first_frame_ms:?} painted_ms={painted_ms:?} html={html_ms:?}; main at {} ms",
        age_at_main.as_millis()
    );
    let linger = std::env::var("INCIDENT_DESK_PROBE_LINGER_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(linger));
        app.exit(0);
    });
}

fn main() {
    START.get_or_init(|| (Instant::now(), process_age()));
    if let Err(e) = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ui_ready])
        .run(tauri::generate_context!("../../../tauri.conf.json"))
    {
        eprintln!("empty-window: {e}");
        std::process::exit(1);
    }
}
