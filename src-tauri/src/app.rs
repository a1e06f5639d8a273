//! The window: Tauri builder, state, plugins. Started when `incident-desk` runs without a
//! subcommand.

use crate::cli::GlobalArgs;
use crate::state::AppState;
use crate::{commands, instance, logging, main_window, opening, paths, reminders, tray};
use std::process::ExitCode;
use tauri::Manager;

pub fn run(args: GlobalArgs) -> ExitCode {
    if let Some(reason) = no_display() {
        eprintln!("incident-desk: cannot open the window: {reason}; the command line works without one (incident-desk --help)");
        return ExitCode::FAILURE;
    }
    let data_dir = paths::data_dir(args.data_dir.as_deref());
    let _log_guard = logging::init(&paths::log_dir(&data_dir));
    crate::hardening::log_outcome();
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        main_entered_ms = crate::probe::main_entered_ms(),
        since_start_ms = crate::probe::elapsed_ms(),
        "starting window"
    );
    let single_instance = tauri_plugin_single_instance::Builder::new()
        .dbus_id(instance::id(&data_dir))
        .callback(|app, args, _cwd| {
            // Start at login while already running changes nothing; any other launch shows us.
            if !args.iter().any(|a| a == "--background") {
                tracing::info!("second launch: showing this instance");
                main_window::show_main(app, None);
            }
        })
        .build();
    let (background, startup_probe) = (args.background, args.startup_probe);
    // First: a second launch must hand over before anything else starts.
    let builder = tauri::Builder::default()
        .plugin(single_instance)
        .setup(move |app| {
            // Before the event loop turns: the web process starts with these settings.
            crate::webview::tune(app.handle());
            if background || !crate::probe::lever_on("defer") {
                // Started hidden: no first frame to wait for, the tray is the only way in (or the
                // benchmark measures without this lever).
                start_background_tasks(app.handle());
                if background {
                    main_window::start_hidden(app.handle());
                }
            } else {
                if !crate::probe::lever_on("overlap") {
                    opening::finish(app.handle());
                }
                // The rest waits for the first frame (`ui_ready`), or for a page that never
                // paints, a few seconds at most.
                let handle = app.handle().clone();
                std::thread::spawn(move || {
                    std::thread::sleep(BACKGROUND_TASKS_LATEST);
                    // On the main thread, like every other caller: the tray is built there, and a
                    // second thread inside the `Once` waiting on the main thread (which would wait
                    // on the `Once`) is a deadlock.
                    let main = handle.clone();
                    if let Err(e) = handle.run_on_main_thread(move || start_background_tasks(&main)) {
                        tracing::error!(error = %e, "cannot start the background tasks");
                    }
                });
            }
            Ok(())
        })
        .manage(opening::Opening::start(data_dir, startup_probe))
        .manage(main_window::MainWindow::default())
        .on_window_event(main_window::on_window_event);
    // The store is in place before any command runs, whichever the page sends first.
    let commands = commands::handler();
    let result = builder
        .invoke_handler(move |invoke| {
            opening::finish(invoke.message.webview_ref().app_handle());
            commands(invoke)
        })
        .build(tauri::generate_context!())
        .map(|app| app.run(main_window::keep_running_without_window));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "window failed");
            eprintln!("incident-desk: the window failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The latest the background tasks start when the page has not reported its first frame.
const BACKGROUND_TASKS_LATEST: std::time::Duration = std::time::Duration::from_secs(3);

/// The lock's idle timer and session listener, the tray, the reminder scheduler, the portal sync
/// and the snapshot timer: none is needed to draw the first screen, so they start once it is up (`ui_ready`), once per process. Reminders
/// due in the meantime are not lost: the scheduler's first plan shows what came due. Called on the
/// main thread only (the first-frame command, the window's close, the fallback timer's dispatch).
pub fn start_background_tasks(app: &tauri::AppHandle) {
    static STARTED: std::sync::Once = std::sync::Once::new();
    opening::finish(app);
    if app.try_state::<AppState>().is_none() {
        return; // the store did not open: the window only says why
    }
    STARTED.call_once(|| {
        crate::lock::start(app);
        tray::create(app);
        reminders::start(app);
        crate::sync::start(app);
        crate::snapshots::start(app.clone());
        tracing::info!(since_start_ms = crate::probe::elapsed_ms(), "background tasks started");
    });
}

/// Why no window can open here, if that is so. GTK would otherwise abort with a long message.
fn no_display() -> Option<&'static str> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    (!set("DISPLAY") && !set("WAYLAND_DISPLAY")).then_some("no display (neither DISPLAY nor WAYLAND_DISPLAY is set)")
}
