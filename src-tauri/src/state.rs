//! What the window's commands share: the store, where the data lives, and the change channel that
//! wakes the background tasks.

use crate::events::Topic;
use desk_core::Store;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use tokio::sync::broadcast;

pub struct AppState {
    store: Mutex<Store>,
    pub data_dir: PathBuf,
    /// `--startup-probe`: print the first-paint time and exit.
    pub startup_probe: bool,
    /// Every change notice (see `events::changed`); background tasks `subscribe()`.
    pub changes: broadcast::Sender<Topic>,
}

impl AppState {
    pub fn new(store: Store, data_dir: PathBuf, startup_probe: bool) -> Self {
        let (changes, _) = broadcast::channel(64);
        AppState { store: Mutex::new(store), data_dir, startup_probe, changes }
    }

    /// The store, for one short transaction. A panic in another command must not lock the user
    /// out of their drafts, so a poisoned lock is recovered (SQLite rolled back that transaction).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A second connection to the same database, for a background task that must not hold the
    /// commands' lock across network waits (WAL lets both work at once).
    pub fn open_store(&self) -> desk_core::Result<Store> {
        Store::open_in_dir(&self.data_dir)
    }
}
