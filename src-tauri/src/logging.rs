//! `tracing` to a daily-rotated file in the log directory (two weeks kept), and warnings to
//! stderr. Personal information and secrets are never logged: record ids, not record contents.

use std::path::Path;
use tracing::Subscriber;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter, Layer};

const KEEP_FILES: usize = 14;

/// Starts logging; keep the guard alive for the life of the process so lines are flushed.
/// A log directory that cannot be created only costs the file log, never the app.
pub fn init(log_dir: &Path) -> Option<WorkerGuard> {
    let filter = || EnvFilter::try_from_env("INCIDENT_DESK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    // An existing install from before private modes: the data dir, logs, database 0700/0600.
    if let Some(data_dir) = log_dir.parent() {
        if let Err(e) = desk_core::files::fix_data_dir(data_dir) {
            eprintln!("incident-desk: cannot make the data directory private: {e}");
        }
    }
    let appender = desk_core::files::create_private_dir_all(log_dir).ok().and_then(|_| {
        Builder::new()
            .rotation(Rotation::DAILY)
            .filename_prefix("incident-desk")
            .filename_suffix("log")
            .max_log_files(KEEP_FILES)
            .build(log_dir)
            .ok()
    });
    // The appender opened today's file under the umask; say 0600 explicitly (later days' files
    // are created under the process umask, 077).
    let _ = desk_core::files::fix_data_dir(log_dir.parent().unwrap_or(log_dir));
    match appender {
        Some(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let file = fmt::layer().with_writer(writer).with_ansi(false).with_filter(filter());
            let _ = tracing_subscriber::registry().with(file).with(stderr()).try_init();
            Some(guard)
        }
        None => {
            let _ = tracing_subscriber::registry().with(stderr()).try_init();
            None
        }
    }
}

/// Warnings and errors to stderr, whatever else is logged.
fn stderr<S: Subscriber + for<'a> LookupSpan<'a>>() -> impl Layer<S> {
    fmt::layer().with_writer(std::io::stderr).with_filter(EnvFilter::new("warn"))
}
