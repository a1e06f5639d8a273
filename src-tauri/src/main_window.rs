//! The main window's life: shown, closed to the tray, and released while it sits there.
//!
//! Closing the window keeps the app running in the tray (reminders keep coming). After
//! `RELEASE_AFTER` hidden, the window and its web view are destroyed, and WebKit's web process
//! with them: an app that waits in the tray all day holds no page in memory (`make
//! bench-startup` measures the idle figure). Showing it again builds the window anew from the
//! config; the page starts as at launch and goes to the route asked for. The page agrees to go
//! first: one holding a change not yet saved (the autosave queue, a value typed while the report
//! was ready) declines, and is asked again at the next release time.

use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Window, WindowEvent};

pub const MAIN_WINDOW: &str = "main";
/// Window event asking the UI to show a record: `{"route": "#/sens/SOC-0123"}`.
pub const NAVIGATE_EVENT: &str = "navigate";
/// Window event asking the page whether it can go (it answers with the `window_release` command).
const RELEASE_EVENT: &str = "release";
/// How long the window stays hidden before its web view is released. A window closed and opened
/// again within this comes back as it was left; after it, in about the time of a start.
const RELEASE_AFTER: Duration = Duration::from_secs(5 * 60);
pub const RELEASE_AFTER_ENV: &str = "INCIDENT_DESK_TEST_RELEASE_AFTER_SECS";

/// Whether the window was shown since a release was scheduled, and where a window built anew goes.
#[derive(Default)]
pub struct MainWindow {
    /// Bumped at every show and every hide: a scheduled release goes ahead only if unchanged.
    generation: AtomicU64,
    /// The route a rebuilt window shows once its page is up (`first_frame`).
    route_after_rebuild: Mutex<Option<String>>,
}

#[derive(Serialize, Clone)]
struct Navigate<'a> {
    route: &'a str,
}

/// Shows, unminimizes and focuses the window (built anew if it was released); with a route, the
/// UI goes there.
pub fn show_main(app: &AppHandle, route: Option<&str>) {
    if let Some(main) = app.try_state::<MainWindow>() {
        main.generation.fetch_add(1, Ordering::SeqCst);
    }
    let Some(window) = app.get_webview_window(MAIN_WINDOW) else {
        rebuild(app, route);
        return;
    };
    let _ = window.show();
    let _ = window.unminimize();
    let _ = window.set_focus();
    if let Some(route) = route {
        navigate(&window, route);
    }
}

/// Tells the page to show `route`.
fn navigate(window: &tauri::WebviewWindow, route: &str) {
    if let Err(e) = window.emit(NAVIGATE_EVENT, Navigate { route }) {
        tracing::warn!(error = %e, "cannot tell the window where to go");
    }
}

/// Builds the released window again from its config; its page goes to `route` once it is up.
fn rebuild(app: &AppHandle, route: Option<&str>) {
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == MAIN_WINDOW).cloned() else {
        tracing::error!("no main window in the config");
        return;
    };
    if let (Some(main), Some(route)) = (app.try_state::<MainWindow>(), route) {
        *main.route_after_rebuild.lock().unwrap_or_else(|p| p.into_inner()) = Some(route.to_string());
    }
    match tauri::WebviewWindowBuilder::from_config(app, &config).and_then(|b| b.build()) {
        Ok(window) => {
            crate::webview::tune(app);
            let _ = window.set_focus();
            tracing::info!("window built again after its release");
        }
        Err(e) => tracing::error!(error = %e, "cannot build the window again"),
    }
}

/// The page of a rebuilt window is up: it goes where the show asked.
pub fn first_frame(app: &AppHandle) {
    let Some(main) = app.try_state::<MainWindow>() else { return };
    let route = main.route_after_rebuild.lock().unwrap_or_else(|p| p.into_inner()).take();
    if let (Some(route), Some(window)) = (route, app.get_webview_window(MAIN_WINDOW)) {
        navigate(&window, &route);
    }
}

/// Closing the window keeps the app running in the tray (reminders keep coming); Quit in the tray
/// menu ends it. Without a tray the window is minimized instead.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    if let WindowEvent::CloseRequested { api, .. } = event {
        if window.label() != MAIN_WINDOW {
            return;
        }
        // Closed before the page sent any command: the store may still be opening.
        crate::opening::finish(window.app_handle());
        // Without a store (start-up failure) there is nothing to keep running: closing quits.
        if window.app_handle().try_state::<crate::state::AppState>().is_none() {
            return;
        }
        api.prevent_close();
        // Closed before the first frame: the tray (started after it) is started now, so the app
        // still goes to the tray rather than a minimized window.
        crate::app::start_background_tasks(window.app_handle());
        if window.app_handle().try_state::<crate::tray::Tray>().is_some() {
            tracing::info!("window closed: still running in the tray");
            let _ = window.hide();
            schedule_release(window.app_handle());
        } else {
            let _ = window.minimize();
        }
    }
}

/// Hides the window at start (started at login): only the tray shows.
pub fn start_hidden(app: &AppHandle) {
    if app.try_state::<crate::tray::Tray>().is_none() {
        return;
    }
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.hide();
        schedule_release(app);
    }
}

/// After `release_after()`, asks the page of a window still hidden since now whether it can go;
/// the wait ends once the window is shown, hidden again (its own wait), or gone.
fn schedule_release(app: &AppHandle) {
    let Some(main) = app.try_state::<MainWindow>() else { return };
    let scheduled = main.generation.fetch_add(1, Ordering::SeqCst) + 1;
    let after = release_after();
    let app = app.clone();
    std::thread::spawn(move || loop {
        std::thread::sleep(after);
        let Some(main) = app.try_state::<MainWindow>() else { return };
        if main.generation.load(Ordering::SeqCst) != scheduled {
            return; // shown (or hidden again, with its own schedule) since
        }
        let Some(window) = app.get_webview_window(MAIN_WINDOW) else { return };
        if let Err(e) = window.emit(RELEASE_EVENT, ()) {
            tracing::warn!(error = %e, "cannot ask the page to release the window");
            return;
        }
        // A page that declines (a change not yet saved) is asked again after the same wait.
    });
}

/// The page agreed to go: the window is destroyed if it is still hidden (WebKit's web process
/// ends with it), and the heap it used goes back to the system.
pub fn release(app: &AppHandle) {
    let Some(window) = app.get_webview_window(MAIN_WINDOW) else { return };
    if window.is_visible().unwrap_or(true) {
        return; // shown again while the page was answering
    }
    match window.destroy() {
        Ok(()) => {
            tracing::info!("window released while in the tray");
            std::thread::spawn(crate::webview::trim_heap);
        }
        Err(e) => tracing::warn!(error = %e, "cannot release the window"),
    }
}

/// The last window going (released) does not end the app; an exit asked for (Quit) does.
pub fn keep_running_without_window(app: &AppHandle, event: tauri::RunEvent) {
    if let tauri::RunEvent::ExitRequested { code: None, api, .. } = event {
        if app.try_state::<crate::tray::Tray>().is_some() {
            api.prevent_exit();
        }
    }
}

/// `RELEASE_AFTER`; debug builds (the e2e suite) take `RELEASE_AFTER_ENV` seconds instead, so a
/// test waits seconds, not minutes.
fn release_after() -> Duration {
    crate::probe::test_seconds(RELEASE_AFTER_ENV).map_or(RELEASE_AFTER, Duration::from_secs)
}
