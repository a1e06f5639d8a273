//! What the window's commands share: the store, where the data lives, the database key (for the
//! background tasks' own connections), what opening the database found, and the change channel
//! that wakes the background tasks.

use crate::events::Topic;
use desk_core::store::cipher::DbKey;
use desk_core::store::protect::{OpenNotice, Opened};
use desk_core::Store;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use tokio::sync::broadcast;

pub struct AppState {
    store: Mutex<Store>,
    pub data_dir: PathBuf,
    key: DbKey,
    /// Told to the user once the window is up (database encrypted, damaged and kept aside...).
    pub open_notices: Vec<OpenNotice>,
    /// `--startup-probe`: print the first-paint time and exit.
    pub startup_probe: bool,
    /// Every change notice (see `events::changed`); background tasks `subscribe()`.
    pub changes: broadcast::Sender<Topic>,
}

impl AppState {
    pub fn new(opened: Opened, data_dir: PathBuf, startup_probe: bool) -> Self {
        let (changes, _) = broadcast::channel(64);
        AppState {
            store: Mutex::new(opened.store),
            data_dir,
            key: opened.key,
            open_notices: opened.notices,
            startup_probe,
            changes,
        }
    }

    /// The store, for one short transaction. A panic in another command must not lock the user
    /// out of their drafts, so a poisoned lock is recovered (SQLite rolled back that transaction).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A second connection to the same database, for a background task that must not hold the
    /// commands' lock across network waits (WAL lets both work at once).
    pub fn open_store(&self) -> desk_core::Result<Store> {
        Store::open_encrypted(&self.data_dir.join(desk_core::store::DB_FILE), &self.key)
    }

    pub fn key(&self) -> &DbKey {
        &self.key
    }
}

/// Why the window started without its database: shown full-page instead of the app.
pub struct StartupFailure {
    pub code: &'static str,
    pub message: String,
}
