//! The daily snapshot of the database, taken off the main thread a little after start (never
//! competing with the first screen) and every few hours while the app runs (a snapshot is only
//! written when the newest is a day old).

use crate::state::AppState;
use std::time::Duration;
use tauri::{AppHandle, Manager};

const CHECK_EVERY: Duration = Duration::from_secs(3 * 60 * 60);
const FIRST_CHECK_AFTER: Duration = Duration::from_secs(60);

pub fn start(app: AppHandle) {
    std::thread::spawn(move || {
        std::thread::sleep(FIRST_CHECK_AFTER);
        loop {
            if let Some(state) = app.try_state::<AppState>() {
                let taken = state.open_store().and_then(|store| {
                    desk_core::store::backup::snapshot_if_due(&store, &state.data_dir, state.key(), chrono::Utc::now())
                });
                match taken {
                    Ok(Some(snapshot)) => tracing::info!(bytes = snapshot.bytes, "snapshot taken"),
                    Ok(None) => {}
                    Err(e) => tracing::warn!(code = e.code(), error = %e, "no snapshot"),
                }
            }
            std::thread::sleep(CHECK_EVERY);
        }
    });
}
