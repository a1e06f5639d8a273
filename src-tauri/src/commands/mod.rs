//! Thin `#[tauri::command]` adapters: take the state, call `desk-core` with the clock's `now`,
//! map errors to `{code, message, fields}`. Every command here is also listed in `build.rs` and
//! allowed by name in `src-tauri/capabilities/`.

pub mod app;
pub mod calendar;
pub mod outbox;
pub mod portal;
pub mod profile;
pub mod reminders;
pub mod report;
pub mod sen;

/// The handler for every command, for the builder.
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app::app_info,
        app::ui_ready,
        app::snapshots_list,
        app::snapshot_restore,
        app::backup_create,
        profile::profile_schema,
        profile::profile_get,
        profile::profile_save,
        outbox::outbox_status,
        outbox::outbox_items,
        outbox::outbox_retry_now,
        outbox::outbox_resume,
        portal::portal_settings_get,
        portal::portal_set_url,
        portal::portal_set_token,
        portal::portal_forget_token,
        portal::portal_test,
        portal::portal_fallback,
        portal::portal_record_call,
        portal::portal_follow_up_done,
        portal::portal_phone_summary,
        reminders::reminder_settings_get,
        reminders::reminder_prefs_save,
        reminders::privacy_save,
        reminders::reminders_upcoming,
        reminders::reminder_banners,
        reminders::reminder_dismiss,
        reminders::autostart_set,
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
        report::report_import,
        report::report_phone_summary,
        report::report_output_dir,
        report::report_write_pdf,
        report::report_export_file,
    ]
}
