//! Incident Desk domain: the rules of SIMM 5335-A (SEN response clock), SIMM 5340-A and the federal
//! incident categories, the business calendar, the report schema, the local store, and the outbox.
//!
//! Invariants (see ARCHITECTURE.md): no Tauri here; pure functions take `now` as an argument and only
//! the edges read the clock; no `unwrap` outside tests; migrations are append-only.

pub mod audit;
pub mod calendar;
pub mod error;
pub mod fallback;
pub mod feed;
pub mod files;
pub mod form;
pub mod intake;
pub mod limits;
pub mod lock;
pub mod outbox;
pub mod portal;
pub mod privacy;
pub mod profile;
pub mod reminders;
pub mod report;
pub mod secrets;
pub mod sen;
pub mod settings;
pub mod store;
mod text_id;
pub mod validate;

pub use error::{Error, FieldError, Result, StepRefusal};
pub use store::Store;

/// Reverse-DNS identifier shared with `tauri.conf.json`; names the per-user data directory.
pub const APP_IDENTIFIER: &str = "gov.ca.incidentdesk";
