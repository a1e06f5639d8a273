//! Incident Desk shell: the Tauri builder, app state, thin command adapters over `desk-core`, the
//! tray, notifications, the reminder scheduler's timers and the CLI entry. Domain logic lives in
//! `desk-core`; nothing here decides a rule.

mod actor;
mod app;
mod autostart;
mod commands;
mod events;
mod instance;
mod ipc;
mod logging;
mod notify;
mod paths;
mod portal_access;
mod probe;
mod reminders;
mod snapshots;
mod state;
mod sync;
mod tray;
pub mod cli;

use clap::Parser;
use std::process::ExitCode;

pub fn main() -> ExitCode {
    probe::mark_start();
    restrict_umask();
    let cli = cli::Cli::parse();
    match cli.command {
        Some(command) => cli::run(command, &cli.global),
        None => app::run(cli.global),
    }
}

/// Belt and braces under desk_core::files' explicit modes: whatever this process creates (SQLite's
/// journals, tracing-appender's daily log files, a library's temporary file) is private to the
/// user.
fn restrict_umask() {
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file mode creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}
