//! Change notices. After a command or a background task changes stored data, it calls [`changed`]:
//! the window gets a `changed` event naming the topic (pages refresh what they show) and the
//! background tasks subscribed in [`AppState`] wake up (the reminder scheduler re-plans, the outbox
//! runner picks up new items).

use crate::state::AppState;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    Sens,
    Reports,
    Outbox,
    Settings,
    Reminders,
}

/// Name of the window event; its payload is `{"topic": "<topic>"}`.
pub const CHANGED_EVENT: &str = "changed";

#[derive(Serialize, Clone)]
struct Changed {
    topic: Topic,
}

pub fn changed(app: &AppHandle, topic: Topic) {
    if let Some(state) = app.try_state::<AppState>() {
        // No subscriber yet is fine: nothing is waiting.
        let _ = state.changes.send(topic);
    }
    tell_window(app, topic);
}

/// The window's half of [`changed`] alone: for changes the background tasks need not hear about
/// (the reminder scheduler announcing what another process committed; waking the tasks for it
/// would have them write and be announced again).
pub fn tell_window(app: &AppHandle, topic: Topic) {
    if let Err(e) = app.emit(CHANGED_EVENT, Changed { topic }) {
        tracing::warn!(error = %e, "cannot tell the window about a change");
    }
}
