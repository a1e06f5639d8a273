//! Thin `#[tauri::command]` adapters: take the state, call `desk-core` with the clock's `now`,
//! map errors to `{code, message, fields}`. Every command here is also listed in `build.rs` and
//! allowed by name in `src-tauri/capabilities/`.

pub mod app;
pub mod profile;
pub mod reminders;

/// The handler for every command, for the builder.
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app::app_info,
        app::ui_ready,
        profile::profile_schema,
        profile::profile_get,
        profile::profile_save,
        reminders::reminder_settings_get,
        reminders::reminder_prefs_save,
        reminders::reminders_upcoming,
        reminders::reminder_banners,
        reminders::reminder_dismiss,
        reminders::autostart_set,
    ]
}
