//! The window: Tauri builder, state, plugins. Started when `incident-desk` runs without a
//! subcommand.

use crate::cli::GlobalArgs;
use crate::state::{AppState, StartupFailure};
use crate::{commands, logging, paths};
use desk_core::secrets::OsKeyring;
use desk_core::store::protect;
use std::process::ExitCode;

pub fn run(args: GlobalArgs) -> ExitCode {
    if let Some(reason) = no_display() {
        eprintln!("incident-desk: cannot open the window: {reason}; the command line works without one (incident-desk --help)");
        return ExitCode::FAILURE;
    }
    let data_dir = paths::data_dir(args.data_dir.as_deref());
    let _log_guard = logging::init(&paths::log_dir(&data_dir));
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "starting window");
    let builder = match protect::open_protected(&data_dir, &OsKeyring, chrono::Utc::now()) {
        Ok(opened) => {
            for notice in &opened.notices {
                tracing::warn!(?notice, "database opened with a notice");
            }
            let state = AppState::new(opened, data_dir, args.startup_probe);
            tauri::Builder::default().manage(state).setup(|app| {
                crate::snapshots::start(app.handle().clone());
                crate::sync::start(app.handle());
                Ok(())
            })
        }
        // The window still opens, to say what is wrong and what to do: someone who started the
        // app from a menu never sees stderr.
        Err(e) => {
            tracing::error!(code = e.code(), "cannot open the store");
            eprintln!("incident-desk: {e}");
            tauri::Builder::default().manage(StartupFailure { code: e.code(), message: e.to_string() })
        }
    };
    let result = builder.invoke_handler(commands::handler()).run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "window failed");
            eprintln!("incident-desk: the window failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Why no window can open here, if that is so. GTK would otherwise abort with a long message.
fn no_display() -> Option<&'static str> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    (!set("DISPLAY") && !set("WAYLAND_DISPLAY")).then_some("no display (neither DISPLAY nor WAYLAND_DISPLAY is set)")
}
