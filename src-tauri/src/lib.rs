//! Incident Desk shell: the Tauri builder, app state, thin command adapters over `desk-core`, the
//! tray, notifications, the reminder scheduler's timers and the CLI entry. Domain logic lives in
//! `desk-core`; nothing here decides a rule.

mod actor;
mod app;
mod autostart;
pub mod cli;
mod commands;
mod events;
mod feed;
mod hardening;
mod instance;
mod ipc;
mod lock;
mod logging;
mod main_window;
mod notify;
mod opening;
mod paths;
mod portal_access;
mod probe;
mod reminders;
mod snapshots;
mod state;
mod sync;
mod tray;
mod webview;

use clap::Parser;
use std::process::ExitCode;

pub fn main() -> ExitCode {
    probe::mark_start();
    hardening::private_files();
    hardening::no_core_dumps();
    let cli = cli::Cli::parse();
    match cli.command {
        Some(command) => cli::run(command, &cli.global),
        None => {
            // Still one thread here: the environment is safe to change.
            webview::before_start();
            app::run(cli.global)
        }
    }
}
