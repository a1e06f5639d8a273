//! The app lock: status, input reports, lock now, unlock, and Settings → Security (passphrase, idle
//! minutes). Only `lock_status`, `lock_activity`, `lock_now` and `lock_unlock` answer while locked
//! (`crate::lock::guard`). Passphrases arrive as strings and are moved into wiped-on-drop buffers
//! at once; they are never logged.

use crate::events::{self, Topic};
use crate::ipc::{CmdResult, IpcError};
use crate::lock::{self, AppLock, LockStatus, Reason};
use crate::state::AppState;
use desk_core::lock::{self as rules, LockSettings, Passphrase};
use tauri::{AppHandle, Manager, State};

#[tauri::command]
pub fn lock_status(lock: State<'_, AppLock>) -> LockStatus {
    lock.status(chrono::Utc::now())
}

/// The window had input (keys, pointer); the UI sends this at most every few seconds.
#[tauri::command]
pub fn lock_activity(lock: State<'_, AppLock>) {
    lock.activity();
}

/// Ctrl+L. Refused, with where to set one, when no passphrase is set.
#[tauri::command]
pub fn lock_now(app: AppHandle) -> CmdResult<()> {
    if lock::lock(&app, Reason::Now) {
        return Ok(());
    }
    Err(IpcError {
        code: "no_passphrase".into(),
        message: "Set an unlock passphrase in Settings → Security first: locking needs one.".into(),
        fields: Vec::new(),
    })
}

/// Runs a blocking lock call (keyring on D-Bus, Argon2id) off the async threads.
async fn blocking<T: Send + 'static>(
    app: &AppHandle,
    call: impl FnOnce(&AppLock) -> CmdResult<T> + Send + 'static,
) -> CmdResult<T> {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || call(&app.state::<AppLock>()))
        .await
        .map_err(|e| IpcError::internal(format!("the passphrase check did not finish: {e}")))?
}

#[tauri::command]
pub async fn lock_unlock(app: AppHandle, passphrase: String) -> CmdResult<()> {
    let passphrase = Passphrase::new(passphrase);
    blocking(&app, move |lock| lock.unlock(&passphrase, chrono::Utc::now())).await?;
    lock::announce_unlocked(&app);
    Ok(())
}

/// Sets the passphrase, or changes it (`current` then required).
#[tauri::command]
pub async fn lock_set_passphrase(app: AppHandle, current: Option<String>, passphrase: String) -> CmdResult<LockStatus> {
    let (current, passphrase) = (current.map(Passphrase::new), Passphrase::new(passphrase));
    blocking(&app, move |lock| {
        lock.set_passphrase(current.as_ref(), &passphrase, chrono::Utc::now())?;
        Ok(lock.status(chrono::Utc::now()))
    })
    .await
}

#[tauri::command]
pub async fn lock_remove_passphrase(app: AppHandle, current: String) -> CmdResult<LockStatus> {
    let current = Passphrase::new(current);
    blocking(&app, move |lock| {
        lock.remove_passphrase(&current, chrono::Utc::now())?;
        Ok(lock.status(chrono::Utc::now()))
    })
    .await
}

#[tauri::command]
pub fn lock_settings_save(
    app: AppHandle,
    state: State<'_, AppState>,
    lock: State<'_, AppLock>,
    settings: LockSettings,
) -> CmdResult<LockStatus> {
    rules::save(state.store().conn(), &settings, chrono::Utc::now())?;
    lock.set_idle_minutes(settings.idle_minutes);
    tracing::info!(idle_minutes = settings.idle_minutes, "lock settings saved");
    events::changed(&app, Topic::Settings);
    Ok(lock.status(chrono::Utc::now()))
}
