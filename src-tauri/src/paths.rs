//! Where the app keeps its files. Tests and exercises point `--data-dir` (or
//! `INCIDENT_DESK_DATA_DIR`) at a temporary directory so they never touch real data.

use std::path::{Path, PathBuf};

/// The per-user data directory (`~/.local/share/gov.ca.incidentdesk` on Linux, matching Tauri's
/// `app_data_dir`), unless overridden.
pub fn data_dir(overridden: Option<&Path>) -> PathBuf {
    match overridden {
        Some(dir) => dir.to_path_buf(),
        None => dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join(desk_core::APP_IDENTIFIER),
    }
}

pub fn log_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}
