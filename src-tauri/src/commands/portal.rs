//! Portal settings (address; the token goes to the keyring and never comes back to the UI, only
//! whether one is stored), the connection test, and the fallback when the portal is unreachable.

use super::views::portal::{CallRecordView, GuidanceView, OwedReportView};
use crate::events::{self, Topic};
use crate::ipc::{CmdResult, IpcError};
use crate::portal_access::{self, ConnectionTest};
use crate::state::AppState;
use chrono::Utc;
use desk_core::fallback::{self, Called};
use desk_core::secrets::{self, PortalToken, SecretsError, TOKEN_FIELD};
use desk_core::FieldError;
use serde::Serialize;
use tauri::{AppHandle, State};

fn secrets_error(e: SecretsError) -> IpcError {
    let fields = match &e {
        SecretsError::Invalid(message) => vec![FieldError::new(TOKEN_FIELD, message.clone())],
        _ => Vec::new(),
    };
    IpcError { code: e.code().to_string(), message: e.to_string(), fields }
}

fn no_url() -> IpcError {
    IpcError {
        code: "invalid".into(),
        message: "set the portal address first".into(),
        fields: vec![FieldError::new(desk_core::portal::BASE_URL_FIELD, "set the portal address first")],
    }
}

#[derive(Serialize)]
pub struct PortalSettings {
    url: Option<String>,
    token_stored: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    keyring_error: Option<String>,
}

async fn settings_of(url: Option<String>) -> PortalSettings {
    let Some(address) = url.clone() else { return PortalSettings { url, token_stored: false, keyring_error: None } };
    match portal_access::token_async(address).await {
        Ok(token) => PortalSettings { url, token_stored: token.is_some(), keyring_error: None },
        Err(e) => PortalSettings { url, token_stored: false, keyring_error: Some(e.to_string()) },
    }
}

fn stored_url(state: &AppState) -> CmdResult<Option<String>> {
    Ok(portal_access::base_url(&state.store())?)
}

#[tauri::command]
pub async fn portal_settings_get(state: State<'_, AppState>) -> CmdResult<PortalSettings> {
    let url = stored_url(&state)?;
    Ok(settings_of(url).await)
}

#[tauri::command]
pub async fn portal_set_url(app: AppHandle, state: State<'_, AppState>, url: String) -> CmdResult<PortalSettings> {
    let url = desk_core::portal::set_base_url(state.store().conn(), &url, Utc::now())?;
    tracing::info!(%url, "portal address set");
    events::changed(&app, Topic::Settings);
    Ok(settings_of(Some(url)).await)
}

/// Stores the token in the keyring (for the configured address) and lifts a pause caused by a
/// refused token. The token is never returned, logged or stored anywhere else.
#[tauri::command]
pub async fn portal_set_token(app: AppHandle, state: State<'_, AppState>, token: String) -> CmdResult<PortalSettings> {
    let url = stored_url(&state)?.ok_or_else(no_url)?;
    // The typed text is wiped once the token (itself wiped on drop) is made from it.
    let token = PortalToken::new(&zeroize::Zeroizing::new(token)).map_err(secrets_error)?;
    let address = url.clone();
    portal_access::keyring(move || secrets::set_token(&address, &token)).await.map_err(secrets_error)?;
    desk_core::outbox::resume(state.store().conn(), Utc::now())?;
    tracing::info!("portal token stored in the keyring");
    events::changed(&app, Topic::Settings);
    events::changed(&app, Topic::Outbox);
    Ok(settings_of(Some(url)).await)
}

#[tauri::command]
pub async fn portal_forget_token(app: AppHandle, state: State<'_, AppState>) -> CmdResult<PortalSettings> {
    let url = stored_url(&state)?.ok_or_else(no_url)?;
    let address = url.clone();
    portal_access::keyring(move || secrets::delete_token(&address)).await.map_err(secrets_error)?;
    tracing::info!("portal token removed from the keyring");
    events::changed(&app, Topic::Settings);
    Ok(settings_of(Some(url)).await)
}

#[tauri::command]
pub async fn portal_test(state: State<'_, AppState>) -> CmdResult<ConnectionTest> {
    let url = stored_url(&state)?.ok_or_else(no_url)?;
    let token = portal_access::token_async(url.clone()).await.map_err(secrets_error)?;
    let has_token = token.is_some();
    let client = portal_access::client(&url, token)?;
    Ok(portal_access::test_connection(&client, has_token).await)
}

/// Everything the fallback panel shows.
#[derive(Serialize)]
pub struct FallbackView {
    /// The portal cannot be reached (or no address is set).
    unreachable: bool,
    configured: bool,
    guidance: GuidanceView,
    /// Reports not yet received whose 60 minutes are near or past.
    owed: Vec<OwedReportView>,
    /// ENTAC calls whose CISO notice is still owed.
    follow_ups: Vec<CallRecordView>,
    /// The calendar's view of the follow-ups' due times, same order.
    follow_ups_due_local: Vec<String>,
}

#[tauri::command]
pub fn portal_fallback(state: State<'_, AppState>, law_enforcement_needed: bool) -> CmdResult<FallbackView> {
    let now = Utc::now();
    let store = state.store();
    let conn = store.conn();
    // The state office's hours, not the entity's (seed 001: the CISO's phone line).
    let calendar = desk_core::calendar::load_state_office(conn)?.compile()?;
    let status = desk_core::outbox::queue_status(conn)?;
    let configured = desk_core::portal::base_url(conn)?.is_some();
    let follow_ups = fallback::open_follow_ups(conn)?;
    let follow_ups_due_local =
        follow_ups.iter().map(|c| c.ciso_due_at.map(|t| calendar.format_local(t)).unwrap_or_default()).collect();
    Ok(FallbackView {
        unreachable: status.offline || !configured,
        configured,
        guidance: fallback::guidance(&calendar, now, law_enforcement_needed).into(),
        owed: fallback::owed_reports_in(conn, now, fallback::NEAR)?.into_iter().map(Into::into).collect(),
        follow_ups: follow_ups.into_iter().map(Into::into).collect(),
        follow_ups_due_local,
    })
}

#[tauri::command]
pub fn portal_record_call(
    app: AppHandle,
    state: State<'_, AppState>,
    called: Called,
    report_id: Option<String>,
    note: Option<String>,
) -> CmdResult<CallRecordView> {
    let store = state.store();
    let calendar = desk_core::calendar::load_state_office(store.conn())?.compile()?;
    let call = fallback::record_call(
        store.conn(),
        &calendar,
        called,
        report_id.as_deref(),
        note.as_deref().unwrap_or(""),
        Utc::now(),
    )?;
    tracing::info!(call = call.id, called = called.as_str(), "fallback call recorded");
    events::changed(&app, Topic::Outbox);
    Ok(call.into())
}

#[tauri::command]
pub fn portal_follow_up_done(app: AppHandle, state: State<'_, AppState>, id: i64) -> CmdResult<CallRecordView> {
    let call = fallback::ciso_notified(state.store().conn(), id, Utc::now())?;
    tracing::info!(call = id, "CISO notified after the ENTAC call");
    events::changed(&app, Topic::Outbox);
    Ok(call.into())
}

/// The report's phone summary, to read to the CISO or ENTAC.
#[tauri::command]
pub fn portal_phone_summary(state: State<'_, AppState>, report_id: String) -> CmdResult<String> {
    let report_id = desk_core::report::ReportId::parse(&report_id)?;
    let report = desk_core::report::get(state.store().conn(), &report_id)?;
    Ok(desk_core::report::phone_summary(&report))
}
