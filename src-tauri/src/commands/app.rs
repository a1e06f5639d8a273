use crate::probe;
use crate::state::AppState;
use serde::Serialize;
use tauri::State;

#[derive(Serialize)]
pub struct AppInfo {
    version: &'static str,
    data_dir: String,
    schema_version: i64,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.data_dir.display().to_string(),
        schema_version: desk_core::store::SCHEMA_VERSION,
    }
}

/// Called by the UI once its first screen has painted.
#[tauri::command]
pub fn ui_ready(app: tauri::AppHandle, state: State<'_, AppState>) {
    let ms = probe::elapsed_ms();
    tracing::info!(first_paint_ms = ms, "first paint");
    if state.startup_probe {
        println!("first_paint_ms={ms}");
        probe::exit_after_linger(app);
    }
}
