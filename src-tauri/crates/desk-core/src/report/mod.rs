//! The incident report (Computer Incident Report, CIR) that the entity files through Cal-CSIRS:
//! schema, validation, autosaving store with append-only history, lifecycle towards the portal,
//! deadlines, and outputs (phone summary, JSON export/import, PDF).
//!
//! Lifecycle, one-way: `draft` → `ready` (passes the submission checks) → `queued` (the incident
//! POST is in the outbox) → `sent` (the portal gave an incident number). `ready` may go back to
//! `draft`; the portal refusing the report (422) sends `queued` back to `draft`. Edits made after
//! submission (while `queued` or `sent`) become supplements: `store::queue_supplement`.
//!
//! Sources: seed 000 (CA-CND: 60 minutes, mandatory categories), seed 001 (SIMM 5340-A guidance:
//! fields, personal information), seed 003 (federal categories and timeframes).

pub mod deadline;
pub mod doc;
pub mod effects;
pub mod exchange;
pub mod id;
pub mod pdf;
pub mod schema;
pub mod store;
pub mod summary;
pub mod validate;

pub use deadline::{cal_csirs_due, deadlines, Deadline, Deadlines, Timeframe};
pub use doc::ReportDoc;
pub use effects::ReportEffects;
pub use exchange::field_from_json_pointer;
pub use id::ReportId;
pub use pdf::write_pdf;
pub use schema::schema;
pub use store::{
    add_row, create_draft, document_at, export, get, import, list, mark_sent, mark_supplement_sent, queue_supplement,
    ready, refresh_search_index, remove_row, restore_revision, return_to_draft, revision_log, revisions, set_field,
    set_field_text, submit, to_draft, value_from_text, Autosaved, ListQuery, ReportSummary, Revision, RevisionEntry,
    SupplementQueued,
};
pub use summary::{phone_summary, tasks, Task};
pub use validate::{Check, Missing};

use crate::error::{Error, FieldError, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Draft,
    Ready,
    Queued,
    Sent,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Ready => "ready",
            State::Queued => "queued",
            State::Sent => "sent",
        }
    }

    pub fn parse(text: &str) -> Result<State> {
        match text {
            "draft" => Ok(State::Draft),
            "ready" => Ok(State::Ready),
            "queued" => Ok(State::Queued),
            "sent" => Ok(State::Sent),
            other => Err(Error::invalid("state", format!("\u{201c}{other}\u{201d} is not a report state"))),
        }
    }

    /// Whether content may change. A `ready` report is the checked text about to go out: return it
    /// to draft to edit. After submission, edits are allowed and become supplements.
    pub fn is_editable(self) -> bool {
        !matches!(self, State::Ready)
    }
}

/// A report as stored: identity, lifecycle and content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Chosen at creation, sent with every POST: the portal's duplicate protection.
    pub report_id: ReportId,
    pub state: State,
    /// Content revision, +1 per saved change.
    pub revision: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub incident_number: Option<String>,
    /// Revision carried by the incident POST.
    pub submitted_revision: Option<i64>,
    /// Last revision queued (incident or supplement): the base of the next supplement.
    pub queued_revision: Option<i64>,
    /// Last revision the portal confirmed.
    pub sent_revision: Option<i64>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The portal's last messages (a 422), on form field ids; cleared field by field as edited.
    pub portal_messages: Vec<FieldError>,
    pub doc: ReportDoc,
}

/// What the form shows around the fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    #[serde(flatten)]
    pub check: Check,
    pub deadlines: Deadlines,
    pub tasks: Vec<Task>,
    /// Edited since the last revision queued to the portal (a supplement is due).
    pub unsent_changes: bool,
}

impl Report {
    pub fn check(&self, now: DateTime<Utc>) -> Check {
        validate::check(&self.doc, now)
    }

    pub fn status(&self, now: DateTime<Utc>) -> Status {
        Status::of(&self.doc, self.revision, self.queued_revision, now)
    }
}

impl Status {
    /// What the form shows for `doc` at `revision`, `queued_revision` being the last one queued.
    pub fn of(doc: &ReportDoc, revision: i64, queued_revision: Option<i64>, now: DateTime<Utc>) -> Status {
        Status {
            check: validate::check(doc, now),
            deadlines: deadlines(doc),
            tasks: tasks(doc),
            unsent_changes: queued_revision.is_some_and(|q| revision > q),
        }
    }
}
