//! What the window's commands return: the JS contract, written out here field by field and
//! converted from desk-core's types with `From`. The core's types keep their `Serialize` for the
//! other edges (CLI `--json`, the portal wire, the feed); a change to one of them no longer changes
//! what the window reads, and `tests` prove each view serializes exactly as its domain type did.

pub mod app;
pub mod calendar;
pub mod outbox;
pub mod portal;
pub mod profile;
pub mod reminders;
pub mod report;
pub mod report_doc;
pub mod report_schema;
pub mod sen;
pub mod sen_reference;

#[cfg(test)]
mod tests;

use desk_core::audit::Actor;
use desk_core::FieldError;
use serde::Serialize;

/// A message on one field (a response's problems; the IPC error carries its own).
#[derive(Serialize)]
pub struct FieldMessage {
    field: String,
    message: String,
}

impl From<FieldError> for FieldMessage {
    fn from(e: FieldError) -> Self {
        FieldMessage { field: e.field, message: e.message }
    }
}

/// Who did something, on a history row.
#[derive(Serialize)]
pub struct ActorView {
    user: String,
    host: String,
}

impl From<Actor> for ActorView {
    fn from(a: Actor) -> Self {
        ActorView { user: a.user, host: a.host }
    }
}
