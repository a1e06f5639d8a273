//! Where the app keeps its files. Tests and exercises point `--data-dir` (or
//! `INCIDENT_DESK_DATA_DIR`) at a temporary directory so they never touch real data.

use std::path::{Path, PathBuf};

/// The per-user data directory (`~/.local/share/gov.ca.incidentdesk` on Linux, matching Tauri's
/// `app_data_dir`), unless overridden.
pub fn data_dir(overridden: Option<&Path>) -> PathBuf {
    match overridden {
        Some(dir) => dir.to_path_buf(),
        None => dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join(desk_core::APP_IDENTIFIER),
    }
}

pub fn log_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// Where files the user asks for (PDFs, exports, backups) go unless they name a folder:
/// `~/Documents/Incident Desk`.
pub fn default_output_dir() -> PathBuf {
    let documents = dirs::document_dir().or_else(|| dirs::home_dir().map(|h| h.join("Documents")));
    documents.unwrap_or_else(std::env::temp_dir).join("Incident Desk")
}

/// A folder as the user typed it in the form field `field`: empty means the default, `~/` is the
/// home directory, anything else must be absolute.
pub fn typed_folder(typed: Option<&str>, field: &str) -> desk_core::Result<PathBuf> {
    let typed = typed.map(str::trim).unwrap_or("");
    if typed.is_empty() {
        return Ok(default_output_dir());
    }
    let path = match typed.strip_prefix("~/") {
        Some(rest) => dirs::home_dir().map(|h| h.join(rest)).unwrap_or_else(|| PathBuf::from(typed)),
        None => PathBuf::from(typed),
    };
    if !path.is_absolute() {
        return Err(desk_core::Error::invalid(
            field,
            format!("\u{201c}{typed}\u{201d} is not a full path (start it with / or ~/)"),
        ));
    }
    Ok(path)
}
