//! Thin `#[tauri::command]` adapters: take the state, call `desk-core` with the clock's `now`,
//! map errors to `{code, message, fields}`. Every command here is also listed in `build.rs` and
//! allowed by name in `src-tauri/capabilities/` (the test at the end keeps the three lists one).

pub mod app;
pub mod calendar;
pub mod lock;
pub mod outbox;
pub mod portal;
pub mod profile;
pub mod reminders;
pub mod report;
pub mod sen;
pub mod views;

/// The handler for every command, for the builder; while the app is locked only the lock's own
/// commands get through (`crate::lock::guard`).
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    crate::lock::guard(tauri::generate_handler![
        lock::lock_status,
        lock::lock_activity,
        lock::lock_now,
        lock::lock_unlock,
        lock::lock_set_passphrase,
        lock::lock_remove_passphrase,
        lock::lock_settings_save,
        app::app_info,
        app::ui_ready,
        app::window_release,
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
    ])
}

#[cfg(test)]
mod tests {
    //! A command exists in three lists: the handler above, `build.rs` (which makes its permissions)
    //! and the window's capability file (which allows it). A name in one and not the others is a
    //! command the window cannot call, or a permission for nothing.

    use std::collections::BTreeSet;

    fn quoted_names(text: &str) -> Vec<String> {
        text.split('"').skip(1).step_by(2).map(str::to_string).collect()
    }

    fn handler_names() -> Vec<String> {
        let source = include_str!("mod.rs");
        let start = source.find("generate_handler![").expect("the handler list");
        let end = source[start..].find("])").expect("its end") + start;
        source[start..end]
            .lines()
            .filter_map(|line| line.trim().strip_suffix(',')?.rsplit_once("::").map(|(_, name)| name.to_string()))
            .collect()
    }

    fn build_rs_names() -> Vec<String> {
        let source = include_str!("../../build.rs");
        let start = source.find("const COMMANDS").expect("the COMMANDS list");
        let end = source[start..].find("];").expect("its end") + start;
        quoted_names(&source[start..end])
    }

    fn capability_names() -> Vec<String> {
        let file: serde_json::Value =
            serde_json::from_str(include_str!("../../capabilities/main-window.json")).expect("capability JSON");
        file["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .filter_map(|p| p.as_str()?.strip_prefix("allow-").map(|name| name.replace('-', "_")))
            .collect()
    }

    fn without_repeats(list: &str, names: &[String]) -> BTreeSet<String> {
        let set: BTreeSet<String> = names.iter().cloned().collect();
        assert_eq!(set.len(), names.len(), "{list} names a command twice: {names:?}");
        set
    }

    #[test]
    fn every_command_is_handled_permitted_and_allowed_once() {
        let handled = without_repeats("the handler", &handler_names());
        assert!(handled.len() > 60, "the handler list was read: {handled:?}");
        assert_eq!(without_repeats("build.rs", &build_rs_names()), handled, "build.rs COMMANDS");
        assert_eq!(without_repeats("the capability file", &capability_names()), handled, "capabilities");
    }
}
