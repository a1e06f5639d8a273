//! Incident report commands: the form's schema, drafts with autosave, history, the one-way
//! lifecycle, and the outputs (PDF, JSON, phone summary). Each calls `desk-core` with the clock's
//! `now`; every change is committed before the command returns, then announced with
//! `events::changed`.

use super::views::report::{AutosavedView, ReportSummaryView, ReportView, RevisionEntryView};
use super::views::report_doc::ReportDocView;
use super::views::report_schema::ReportSchemaView;
use crate::events::{self, Topic};
use crate::ipc::{CmdResult, IpcError};
use crate::paths;
use crate::state::AppState;
use chrono::Utc;
use desk_core::report::{self, ListQuery, Report, ReportId};
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, State};

/// A report with what the form shows around its fields (missing lists, messages, deadlines, tasks).
fn view(report: Report) -> ReportView {
    let status = report.status(Utc::now());
    ReportView::new(report, status)
}

#[tauri::command]
pub fn report_schema() -> ReportSchemaView {
    report::schema().into()
}

/// A new draft, pre-filled with who reports from the entity profile.
#[tauri::command]
pub fn report_create(app: AppHandle, state: State<'_, AppState>) -> CmdResult<ReportView> {
    let report = {
        let store = state.store();
        let profile = desk_core::profile::load(store.conn())?;
        report::create_draft(store.conn(), &profile, Utc::now(), crate::actor::current())?
    };
    tracing::info!(report_id = %report.report_id, "report draft created");
    events::changed(&app, Topic::Reports);
    Ok(view(report))
}

#[tauri::command]
pub fn report_get(state: State<'_, AppState>, report_id: String) -> CmdResult<ReportView> {
    let report_id = ReportId::parse(&report_id)?;
    Ok(view(report::get(state.store().conn(), &report_id)?))
}

#[tauri::command]
pub fn report_list(state: State<'_, AppState>, query: Option<ListQuery>) -> CmdResult<Vec<ReportSummaryView>> {
    Ok(report::list(state.store().conn(), &query.unwrap_or_default())?.into_iter().map(Into::into).collect())
}

/// The autosave path: one field, one transaction, committed (synchronous FULL) before this returns,
/// with everything the form shows after it (`report::Autosaved`, judged once in that transaction).
#[tauri::command]
pub fn report_set_field(
    app: AppHandle,
    state: State<'_, AppState>,
    report_id: String,
    field: String,
    value: Value,
) -> CmdResult<AutosavedView> {
    let report_id = ReportId::parse(&report_id)?;
    let saved =
        report::set_field(state.store().conn(), &report_id, &field, value, Utc::now(), crate::actor::current())?;
    events::changed(&app, Topic::Reports);
    Ok(saved.into())
}

#[tauri::command]
pub fn report_add_row(
    app: AppHandle,
    state: State<'_, AppState>,
    report_id: String,
    list: String,
) -> CmdResult<AutosavedView> {
    let report_id = ReportId::parse(&report_id)?;
    let saved = report::add_row(state.store().conn(), &report_id, &list, Utc::now(), crate::actor::current())?;
    events::changed(&app, Topic::Reports);
    Ok(saved.into())
}

#[tauri::command]
pub fn report_remove_row(
    app: AppHandle,
    state: State<'_, AppState>,
    report_id: String,
    row: String,
) -> CmdResult<AutosavedView> {
    let report_id = ReportId::parse(&report_id)?;
    let saved = report::remove_row(state.store().conn(), &report_id, &row, Utc::now(), crate::actor::current())?;
    events::changed(&app, Topic::Reports);
    Ok(saved.into())
}

/// The history newest first, a page at a time (`before` a revision, at most `limit`, default 100).
#[tauri::command]
pub fn report_revisions(
    state: State<'_, AppState>,
    report_id: String,
    before: Option<i64>,
    limit: Option<usize>,
) -> CmdResult<Vec<RevisionEntryView>> {
    let report_id = ReportId::parse(&report_id)?;
    let log = report::revision_log(state.store().conn(), &report_id, before, limit.unwrap_or(100).min(1000))?;
    Ok(log.into_iter().map(Into::into).collect())
}

/// The content as it was at one revision, to view it.
#[tauri::command]
pub fn report_revision(state: State<'_, AppState>, report_id: String, revision: i64) -> CmdResult<ReportDocView> {
    let report_id = ReportId::parse(&report_id)?;
    Ok(report::document_at(state.store().conn(), &report_id, revision)?.into())
}

/// Makes an earlier revision's content current again, as a new revision.
#[tauri::command]
pub fn report_restore(
    app: AppHandle,
    state: State<'_, AppState>,
    report_id: String,
    revision: i64,
) -> CmdResult<ReportView> {
    let report_id = ReportId::parse(&report_id)?;
    let report = {
        let store = state.store();
        report::restore_revision(store.conn(), &report_id, revision, Utc::now(), crate::actor::current())?;
        report::get(store.conn(), &report_id)?
    };
    tracing::info!(%report_id, revision, "report revision restored");
    events::changed(&app, Topic::Reports);
    Ok(view(report))
}

/// draft → ready; refused with a message on each field that blocks it.
#[tauri::command]
pub fn report_ready(app: AppHandle, state: State<'_, AppState>, report_id: String) -> CmdResult<ReportView> {
    let report_id = ReportId::parse(&report_id)?;
    let report = report::ready(state.store().conn(), &report_id, Utc::now(), crate::actor::current())?;
    events::changed(&app, Topic::Reports);
    Ok(view(report))
}

/// ready → draft, to edit again.
#[tauri::command]
pub fn report_to_draft(app: AppHandle, state: State<'_, AppState>, report_id: String) -> CmdResult<ReportView> {
    let report_id = ReportId::parse(&report_id)?;
    let report = report::to_draft(state.store().conn(), &report_id, Utc::now(), crate::actor::current())?;
    events::changed(&app, Topic::Reports);
    Ok(view(report))
}

/// ready → queued: the incident goes into the outbox (delivery is the outbox runner's job).
#[tauri::command]
pub fn report_submit(app: AppHandle, state: State<'_, AppState>, report_id: String) -> CmdResult<ReportView> {
    let report_id = ReportId::parse(&report_id)?;
    let report = report::submit(state.store().conn(), &report_id, Utc::now(), crate::actor::current())?;
    tracing::info!(%report_id, revision = report.revision, "report queued for Cal-CSIRS");
    events::changed(&app, Topic::Reports);
    events::changed(&app, Topic::Outbox);
    Ok(view(report))
}

/// After submission: queues what changed since the last revision queued as a supplement.
#[tauri::command]
pub fn report_queue_supplement(app: AppHandle, state: State<'_, AppState>, report_id: String) -> CmdResult<ReportView> {
    let report_id = ReportId::parse(&report_id)?;
    let report = {
        let store = state.store();
        let queued = report::queue_supplement(store.conn(), &report_id, Utc::now(), crate::actor::current())?;
        tracing::info!(%report_id, revision = queued.revision, "report supplement queued");
        report::get(store.conn(), &report_id)?
    };
    events::changed(&app, Topic::Reports);
    events::changed(&app, Topic::Outbox);
    Ok(view(report))
}

/// Imports an export file's text as a new draft. Refused input names the field; nothing is stored.
#[tauri::command]
pub fn report_import(app: AppHandle, state: State<'_, AppState>, text: String) -> CmdResult<ReportView> {
    let report = report::import(state.store().conn(), &text, Utc::now(), crate::actor::current())?;
    tracing::info!(report_id = %report.report_id, "report imported as a new draft");
    events::changed(&app, Topic::Reports);
    Ok(view(report))
}

#[tauri::command]
pub fn report_phone_summary(state: State<'_, AppState>, report_id: String) -> CmdResult<String> {
    let report_id = ReportId::parse(&report_id)?;
    Ok(report::phone_summary(&report::get(state.store().conn(), &report_id)?))
}

/// Where written files go unless the user names another folder.
#[tauri::command]
pub fn report_output_dir() -> String {
    paths::default_output_dir().display().to_string()
}

#[derive(Serialize)]
pub struct Written {
    path: String,
}

/// Writes the report as a PDF into `folder` (default: `report_output_dir`) and says where.
#[tauri::command]
pub fn report_write_pdf(state: State<'_, AppState>, report_id: String, folder: Option<String>) -> CmdResult<Written> {
    let report_id = ReportId::parse(&report_id)?;
    let report = report::get(state.store().conn(), &report_id)?;
    let mut bytes = Vec::new();
    report::write_pdf(&report, &mut bytes)?;
    let path = write_output(folder.as_deref(), &file_name(&report, "pdf"), &bytes)?;
    tracing::info!(%report_id, path = %path.display(), "report PDF written");
    Ok(Written { path: path.display().to_string() })
}

/// Writes the export file into `folder` (default: `report_output_dir`) and says where.
#[tauri::command]
pub fn report_export_file(state: State<'_, AppState>, report_id: String, folder: Option<String>) -> CmdResult<Written> {
    let report_id = ReportId::parse(&report_id)?;
    let (report, text) = {
        let store = state.store();
        (report::get(store.conn(), &report_id)?, report::export(store.conn(), &report_id)?)
    };
    let path = write_output(folder.as_deref(), &file_name(&report, "json"), text.as_bytes())?;
    tracing::info!(%report_id, path = %path.display(), "report exported");
    Ok(Written { path: path.display().to_string() })
}

/// `incident-report-<first 8 of the id>-r<revision>.<ext>`: one file per revision, never a name
/// the user typed (the window cannot be made to overwrite an arbitrary file).
fn file_name(report: &Report, extension: &str) -> String {
    let short: String = report.report_id.as_str().chars().take(8).collect();
    format!("incident-report-{short}-r{}.{extension}", report.revision)
}

/// Writes the whole file or nothing: a temporary file in the same folder, synced, then renamed.
fn write_output(folder: Option<&str>, name: &str, bytes: &[u8]) -> Result<PathBuf, IpcError> {
    let dir = paths::typed_folder(folder, "folder")?;
    let refused = |e: std::io::Error, what: &str, at: &Path| {
        IpcError::from(desk_core::Error::invalid("folder", format!("cannot {what} {}: {e}", at.display())))
    };
    desk_core::files::create_private_dir_all(&dir).map_err(|e| refused(e, "create the folder", &dir))?;
    let path = dir.join(name);
    // 0600, through a .partial renamed into place (desk_core::files).
    desk_core::files::write_private(&path, bytes).map_err(|e| refused(e, "write", &path))?;
    Ok(path)
}
