//! The deadline calendar feed on disk: `<data dir>/feeds/deadlines.ics`, for Outlook or Thunderbird
//! to subscribe to. What it says, and how the file is written (0600, temporary file + rename), is
//! `desk_core::feed`'s; this is where the shell reads the clock and says where.

use chrono::{DateTime, Utc};
use desk_core::Store;
use std::path::{Path, PathBuf};

/// Where the feed is written.
pub fn path(data_dir: &Path) -> PathBuf {
    desk_core::feed::file_path(data_dir)
}

/// Builds the feed as of `now` (storing what it issued) and writes the file; returns the text.
pub fn refresh(store: &Store, data_dir: &Path, now: DateTime<Utc>) -> desk_core::Result<String> {
    let text = desk_core::feed::refresh(store.conn(), now)?;
    let path = path(data_dir);
    desk_core::feed::write_file(&path, &text)
        .map_err(|e| desk_core::Error::Internal(format!("cannot write the calendar feed {}: {e}", path.display())))?;
    Ok(text)
}
