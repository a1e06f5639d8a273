//! Thin `#[tauri::command]` adapters: take the state, call `desk-core` with the clock's `now`,
//! map errors to `{code, message, fields}`. Every command here is also listed in `build.rs` and
//! allowed by name in `src-tauri/capabilities/`.

pub mod app;
pub mod calendar;
pub mod profile;
pub mod sen;

/// The handler for every command, for the builder.
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app::app_info,
        app::ui_ready,
        profile::profile_schema,
        profile::profile_get,
        profile::profile_save,
        sen::sen_board,
        sen::sen_get,
        sen::sen_reference,
        sen::sen_create,
        sen::sen_import_eml,
        sen::sen_from_subject,
        sen::sen_response_preview,
        sen::sen_acknowledge,
        sen::sen_determine,
        sen::sen_linkable_reports,
        sen::sen_link_report,
        sen::sen_settings_get,
        sen::sen_settings_save,
        calendar::calendar_get,
        calendar::calendar_save,
        calendar::calendar_import_ics,
        calendar::calendar_closed_days,
    ]
}
