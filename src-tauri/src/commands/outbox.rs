//! The Outbox page: the queue's state, its items, "retry now", and resuming after a token.

use super::views::outbox::{OutboxItemView, QueueStatusView};
use crate::events::{self, Topic};
use crate::ipc::CmdResult;
use crate::state::AppState;
use crate::sync::{SyncInfo, SyncState};
use desk_core::outbox;
use serde::Serialize;
use tauri::{AppHandle, State};

/// Items shown at most (newest first); the counts cover them all.
const ITEMS_SHOWN: usize = 500;

#[derive(Serialize)]
pub struct OutboxStatus {
    #[serde(flatten)]
    queue: QueueStatusView,
    /// A portal address is set.
    configured: bool,
    sync: SyncInfo,
}

#[tauri::command]
pub fn outbox_status(state: State<'_, AppState>, sync: State<'_, SyncState>) -> CmdResult<OutboxStatus> {
    let store = state.store();
    Ok(OutboxStatus {
        queue: outbox::queue_status(store.conn())?.into(),
        configured: desk_core::portal::base_url(store.conn())?.is_some(),
        sync: sync.info(),
    })
}

#[tauri::command]
pub fn outbox_items(state: State<'_, AppState>, limit: Option<usize>) -> CmdResult<Vec<OutboxItemView>> {
    let items = outbox::list_recent(state.store().conn(), limit.unwrap_or(ITEMS_SHOWN).min(ITEMS_SHOWN))?;
    Ok(items.into_iter().map(Into::into).collect())
}

#[tauri::command]
pub fn outbox_retry_now(app: AppHandle, state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    outbox::retry_now(state.store().conn(), id, chrono::Utc::now())?;
    tracing::info!(item = id, "retry now");
    events::changed(&app, Topic::Outbox);
    Ok(())
}

#[tauri::command]
pub fn outbox_resume(app: AppHandle, state: State<'_, AppState>) -> CmdResult<()> {
    outbox::resume(state.store().conn(), chrono::Utc::now())?;
    tracing::info!("outbox resumed");
    events::changed(&app, Topic::Outbox);
    Ok(())
}
