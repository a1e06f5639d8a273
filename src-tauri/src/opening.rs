//! The store opens (keyring, SQLCipher, integrity check, the lock's settings) on its own thread
//! while GTK builds the window and WebKit starts its processes. Its result is taken once, on the
//! main thread, by the first thing that needs it: the first command the page sends (every command
//! passes through `finish`), the background tasks, or a start in the tray. Until then the main
//! thread is free to run GTK's loop, so the web view's start does not wait for the store.

use crate::lock;
use crate::state::{AppState, StartupFailure};
use desk_core::secrets::OsKeyring;
use desk_core::store::protect;
use std::path::PathBuf;
use std::sync::Mutex;
use std::thread::JoinHandle;
use tauri::{AppHandle, Manager};

type Outcome = desk_core::Result<(protect::Opened, lock::AppLock)>;

/// The opening under way, until `finish` takes it.
pub struct Opening {
    pending: Mutex<Option<Pending>>,
}

struct Pending {
    thread: JoinHandle<Outcome>,
    data_dir: PathBuf,
    startup_probe: bool,
}

impl Opening {
    pub fn start(data_dir: PathBuf, startup_probe: bool) -> Self {
        let thread = {
            let data_dir = data_dir.clone();
            std::thread::spawn(move || {
                let opened = protect::open_protected(&data_dir, &OsKeyring, chrono::Utc::now())?;
                // The lock's settings and whether a passphrase is set, read here beside the opening.
                let idle_minutes =
                    desk_core::lock::load(opened.store.conn()).map(|s| s.idle_minutes).unwrap_or_else(|e| {
                        tracing::warn!(code = e.code(), "lock settings unreadable; the default idle time applies");
                        desk_core::lock::IDLE_MINUTES_DEFAULT
                    });
                let account = protect::key_account(&data_dir);
                let passphrase_set =
                    desk_core::secrets::UnlockHash::get(&account).map(|h| h.is_some()).unwrap_or_else(|e| {
                        tracing::warn!(error = %e, "cannot read the unlock passphrase's hash; the window will not lock until one is set");
                        false
                    });
                tracing::info!(since_start_ms = crate::probe::elapsed_ms(), "database open");
                Ok((opened, lock::AppLock::new(account, idle_minutes, passphrase_set)))
            })
        };
        Opening { pending: Mutex::new(Some(Pending { thread, data_dir, startup_probe })) }
    }
}

/// Waits for the store if it is still opening and puts what it gave in place, once: the state the
/// commands use, or the failure the window shows instead. A second caller waits for the first.
pub fn finish(app: &AppHandle) {
    let Some(opening) = app.try_state::<Opening>() else { return };
    let mut pending = opening.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let Some(Pending { thread, data_dir, startup_probe }) = pending.take() else { return };
    let outcome = thread.join().unwrap_or_else(|_| {
        Err(desk_core::Error::DatabaseOpen {
            path: data_dir.join(desk_core::store::DB_FILE),
            reason: "the thread opening it stopped unexpectedly".into(),
        })
    });
    match outcome {
        Ok((opened, app_lock)) => {
            for notice in &opened.notices {
                tracing::warn!(?notice, "database opened with a notice");
            }
            app.manage(AppState::new(opened, data_dir, startup_probe));
            app.manage(app_lock);
            app.manage(crate::sync::SyncState::default());
        }
        // The window still opens, to say what is wrong and what to do: someone who started the app
        // from a menu never sees stderr.
        Err(e) => {
            tracing::error!(code = e.code(), "cannot open the store");
            eprintln!("incident-desk: {e}");
            app.manage(StartupFailure { code: e.code(), message: e.to_string() });
        }
    }
}
