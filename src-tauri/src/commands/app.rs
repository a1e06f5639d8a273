use super::views::app::{CopySummaryView, OpenNoticeView, SnapshotView};
use crate::ipc::CmdResult;
use crate::probe;
use crate::state::{AppState, StartupFailure};
use desk_core::store::backup;
use serde::Serialize;
use tauri::{AppHandle, Manager, State};

#[derive(Serialize)]
pub struct AppInfo {
    version: &'static str,
    data_dir: Option<String>,
    schema_version: i64,
    /// Set when the database could not be opened: the UI shows only this.
    startup_error: Option<StartupError>,
    /// What opening the database found (encrypted in place, damaged and kept aside, restored).
    notices: Vec<OpenNoticeView>,
    /// The size caps of `desk_core::limits`, so the window refuses a huge file before reading it
    /// into memory (the commands check the same caps again).
    limits: FileLimits,
}

#[derive(Serialize)]
pub struct FileLimits {
    eml: u64,
    msg: u64,
    ics: u64,
    report_import: u64,
}

#[derive(Serialize)]
pub struct StartupError {
    code: &'static str,
    message: String,
}

#[tauri::command]
pub fn app_info(app: AppHandle) -> AppInfo {
    let state = app.try_state::<AppState>();
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.as_ref().map(|s| s.data_dir.display().to_string()),
        schema_version: desk_core::store::SCHEMA_VERSION,
        startup_error: app
            .try_state::<StartupFailure>()
            .map(|f| StartupError { code: f.code, message: f.message.clone() }),
        notices: state.map(|s| s.open_notices.iter().cloned().map(Into::into).collect()).unwrap_or_default(),
        limits: FileLimits {
            eml: desk_core::limits::EML_MAX,
            msg: desk_core::limits::MSG_MAX,
            ics: desk_core::limits::ICS_MAX,
            report_import: desk_core::limits::REPORT_IMPORT_MAX,
        },
    }
}

/// Called by the UI once its first screen has painted, with its own timings (milliseconds since the
/// page began loading).
#[tauri::command]
pub fn ui_ready(app: AppHandle, marks: Option<std::collections::BTreeMap<String, u64>>) {
    let ms = probe::elapsed_ms();
    tracing::info!(first_paint_ms = ms, page = ?marks.unwrap_or_default(), "first paint");
    crate::app::start_background_tasks(&app);
    crate::main_window::first_frame(&app);
    // The start-up's transient allocations (store open, window, first queries) go back to the
    // system once the first screen is up.
    std::thread::spawn(crate::webview::trim_heap);
    if app.try_state::<AppState>().is_some_and(|s| s.startup_probe) {
        println!("first_paint_ms={ms}");
        probe::exit_after_linger(app);
    }
}

/// The daily snapshots of the database, newest first.
#[tauri::command]
pub fn snapshots_list(state: State<'_, AppState>) -> CmdResult<Vec<SnapshotView>> {
    Ok(backup::snapshots(&state.data_dir)?.into_iter().map(Into::into).collect())
}

/// Restores a snapshot: the app restarts and swaps it in before the database opens; the current
/// database is kept aside in `replaced/`.
#[tauri::command]
pub fn snapshot_restore(app: AppHandle, state: State<'_, AppState>, path: String) -> CmdResult<()> {
    backup::request_restore(&state.data_dir, std::path::Path::new(&path))?;
    tracing::warn!("snapshot restore requested; restarting");
    app.restart()
}

/// Writes a passphrase-encrypted backup of everything into `folder` (created if needed), named
/// after the time; returns where and what it holds. Restore is on the command line, into a fresh
/// install: `incident-desk backup restore FILE`.
#[tauri::command]
pub fn backup_create(state: State<'_, AppState>, folder: String, passphrase: String) -> CmdResult<CopySummaryView> {
    let folder = crate::paths::typed_folder(Some(&folder), "backup.folder")?;
    desk_core::files::create_private_dir_all(&folder)
        .map_err(|e| desk_core::Error::invalid("backup.folder", format!("cannot create the folder: {e}")))?;
    let name = format!("incident-desk-backup-{}.sqlite3", chrono::Utc::now().format("%Y%m%dT%H%M%SZ"));
    let summary = backup::create_backup(&state.store(), &folder.join(name), &passphrase).map_err(|e| match e {
        desk_core::Error::Invalid(fields) => desk_core::Error::Invalid(
            fields.into_iter().map(|f| desk_core::FieldError::new(format!("backup.{}", f.field), f.message)).collect(),
        ),
        other => other,
    })?;
    tracing::info!("passphrase backup written");
    Ok(summary.into())
}

/// The page of the hidden window agrees to go (nothing unsaved in it): the window is released.
#[tauri::command]
pub fn window_release(app: AppHandle) {
    crate::main_window::release(&app);
}
