//! Thin `#[tauri::command]` adapters: take the state, call `desk-core` with the clock's `now`,
//! map errors to `{code, message, fields}`. Every command here is also listed in `build.rs` and
//! allowed by name in `src-tauri/capabilities/`.

pub mod app;
pub mod profile;
pub mod report;

/// The handler for every command, for the builder.
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app::app_info,
        app::ui_ready,
        profile::profile_schema,
        profile::profile_get,
        profile::profile_save,
        report::report_schema,
        report::report_create,
        report::report_get,
        report::report_list,
        report::report_set_field,
        report::report_add_row,
        report::report_remove_row,
        report::report_revisions,
        report::report_revision,
        report::report_restore,
        report::report_ready,
        report::report_to_draft,
        report::report_submit,
        report::report_queue_supplement,
        report::report_export,
        report::report_import,
        report::report_phone_summary,
        report::report_output_dir,
        report::report_write_pdf,
        report::report_export_file,
    ]
}
