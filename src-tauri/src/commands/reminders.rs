//! Reminder preferences, the plan preview, the window's reminder banners, and start at login.

use super::views::reminders::{PlanPreviewView, PrivacyView, ReminderBannerView, ReminderPrefsView};
use crate::autostart::Autostart;
use crate::events::{self, Topic};
use crate::ipc::{CmdResult, IpcError};
use crate::state::AppState;
use desk_core::privacy::{self, Privacy};
use desk_core::reminders::{pass, prefs, store, ReminderPrefs};
use serde::Serialize;
use tauri::{AppHandle, State};

#[derive(Serialize)]
pub struct ReminderSettings {
    prefs: ReminderPrefsView,
    /// What quiet hours do, shown next to them.
    quiet_hours_help: &'static str,
    /// The calendar's zone, which quiet hours are read in.
    time_zone: String,
    /// Start at login, as the desktop has it; `None` when it cannot be read.
    autostart: Option<bool>,
    /// What notifications and the tray may show (desk_core::privacy).
    privacy: PrivacyView,
    /// The deadline calendar feed file, for Outlook or Thunderbird to subscribe to.
    calendar_feed: String,
}

#[tauri::command]
pub fn reminder_settings_get(state: State<'_, AppState>) -> CmdResult<ReminderSettings> {
    let store = state.store();
    Ok(ReminderSettings {
        prefs: prefs::load(store.conn())?.into(),
        quiet_hours_help: prefs::QUIET_HOURS_HELP,
        time_zone: desk_core::calendar::load(store.conn())?.time_zone,
        autostart: Some(Autostart::from_env().is_enabled()),
        privacy: privacy::load(store.conn())?.into(),
        calendar_feed: crate::feed::path(&state.data_dir).display().to_string(),
    })
}

/// Turns details in notifications and the tray on or off; the scheduler and the tray pick it up
/// at their next pass (woken by the change notice).
#[tauri::command]
pub fn privacy_save(app: AppHandle, state: State<'_, AppState>, privacy: Privacy) -> CmdResult<PrivacyView> {
    let saved = privacy::save(state.store().conn(), privacy, chrono::Utc::now())?;
    tracing::info!(details_outside_window = saved.details_outside_window, "privacy setting saved");
    events::changed(&app, Topic::Settings);
    Ok(saved.into())
}

#[tauri::command]
pub fn reminder_prefs_save(
    app: AppHandle,
    state: State<'_, AppState>,
    prefs: ReminderPrefs,
) -> CmdResult<ReminderPrefsView> {
    let saved = prefs::save(state.store().conn(), prefs, chrono::Utc::now())?;
    tracing::info!("reminder preferences saved");
    events::changed(&app, Topic::Settings);
    Ok(saved.into())
}

/// The next reminders (at most `limit`, default 10) and the outlook, for the settings preview.
#[tauri::command]
pub fn reminders_upcoming(state: State<'_, AppState>, limit: Option<usize>) -> CmdResult<PlanPreviewView> {
    let mut view = pass::view(state.store().conn(), chrono::Utc::now())?;
    view.reminders.truncate(limit.unwrap_or(10).min(200));
    Ok(view.into())
}

/// The reminders the window shows as banners.
#[tauri::command]
pub fn reminder_banners(state: State<'_, AppState>) -> CmdResult<Vec<ReminderBannerView>> {
    Ok(pass::banners(state.store().conn(), chrono::Utc::now())?.into_iter().map(Into::into).collect())
}

#[tauri::command]
pub fn reminder_dismiss(app: AppHandle, state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    store::dismiss(state.store().conn(), id, chrono::Utc::now())?;
    events::changed(&app, Topic::Reminders);
    Ok(())
}

/// Turns start at login on or off; returns what the desktop now has. The entry starts the app in
/// the tray, on this data directory when it is not the default one.
#[tauri::command]
pub fn autostart_set(state: State<'_, AppState>, enabled: bool) -> CmdResult<bool> {
    let exe = std::env::current_exe().map_err(|e| IpcError::internal(format!("cannot find the app's program: {e}")))?;
    let mut args = vec!["--background".to_string()];
    if state.data_dir != crate::paths::data_dir(None) {
        match state.data_dir.to_str().filter(|d| !d.contains(char::is_whitespace)) {
            Some(dir) => args.push(format!("--data-dir={dir}")),
            None => return Err(IpcError::internal("start at login needs a data directory path without spaces")),
        }
    }
    let autostart = Autostart::from_env();
    autostart
        .set(enabled, &exe, &args)
        .map_err(|e| IpcError::internal(format!("cannot change start at login: {e}")))?;
    tracing::info!(enabled, "start at login changed");
    Ok(autostart.is_enabled())
}
