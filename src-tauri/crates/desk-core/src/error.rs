//! One error type for the domain. Every variant has a stable `code` so the edges (IPC, CLI) can
//! show `{code, message}` without knowing the variants.

use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A message about one field. `field` is a dotted path into the record (`iso.email`,
/// `computers.3.ip`), matching the `id` of the form control that shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Why a report's state refuses a lifecycle step, each with its own code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRefusal {
    /// Submit before the report is ready.
    NotReady,
    /// Ready, back to draft or submit once it was submitted (edits go as a supplement).
    Submitted,
    /// A step of a submitted report (supplement, delivery, the portal's refusal) before it was.
    NotSubmitted,
}

impl StepRefusal {
    pub fn code(self) -> &'static str {
        match self {
            StepRefusal::NotReady => "report_not_ready",
            StepRefusal::Submitted => "report_submitted",
            StepRefusal::NotSubmitted => "report_not_submitted",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input refused; nothing was written.
    #[error("{}", summarize(.0))]
    Invalid(Vec<FieldError>),

    #[error("{0} not found")]
    NotFound(String),

    /// The request is well-formed but the record is not in a state that allows it.
    #[error("{0}")]
    Conflict(String),

    /// An edit to a report whose state refuses edits (it is ready: return it to draft first). Its
    /// own code because the editor keeps such a value and saves it once the report is a draft.
    #[error("report {report_id} is {state}: return it to draft to edit it")]
    ReportNotEditable { report_id: String, state: &'static str },

    /// A lifecycle step (ready, back to draft, submit, supplement, ...) that the report's state
    /// refuses; its code says why (`StepRefusal::code`), its message names the step.
    #[error("report {report_id} is {state}: cannot {action}")]
    ReportStepRefused { report_id: String, state: &'static str, action: String, why: StepRefusal },

    #[error(
        "the database {path} was written by a newer version of Incident Desk (schema version {found}; \
         this version knows up to {supported}). It was left untouched: install the newer version to open it"
    )]
    DatabaseTooNew { path: PathBuf, found: i64, supported: i64 },

    #[error("cannot open the database {path}: {reason}")]
    DatabaseOpen { path: PathBuf, reason: String },

    /// The database is encrypted and the keyring has no key for it. Never answered with a new,
    /// empty database: the user must get the key back or restore a backup.
    #[error(
        "the database {path} is encrypted and its key is not in this keyring (service {service}, account \
         {account}). Nothing was changed. Unlock or restore the keyring that holds the key, or restore a \
         backup into a fresh data directory (incident-desk backup restore)"
    )]
    DatabaseKeyMissing { path: PathBuf, service: String, account: String },

    /// The OS keyring cannot be reached or refused: the database key (and the token) live there.
    #[error("{0}")]
    Keyring(String),

    #[error(
        "the database {path} does not open with the key the keyring holds for it. Nothing was changed. \
         Restore the keyring that created it, or restore a backup (incident-desk backup restore)"
    )]
    DatabaseKeyWrong { path: PathBuf },

    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),

    #[error("file error: {0}")]
    Io(#[from] std::io::Error),

    /// Outside input that could not be read at all (a mail that is not a SEN, a broken JSON file).
    #[error("{0}")]
    Unreadable(String),

    #[error("{0}")]
    Internal(String),
}

fn summarize(errors: &[FieldError]) -> String {
    match errors {
        [] => "invalid input".to_string(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
    }
}

impl Error {
    /// Stable machine-readable code, part of the IPC and CLI contract.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid(_) => "invalid",
            Error::NotFound(_) => "not_found",
            Error::Conflict(_) => "conflict",
            Error::ReportNotEditable { .. } => "report_not_editable",
            Error::ReportStepRefused { why, .. } => why.code(),
            Error::DatabaseTooNew { .. } => "database_too_new",
            Error::DatabaseOpen { .. } => "database_open",
            Error::DatabaseKeyMissing { .. } => "database_key_missing",
            Error::DatabaseKeyWrong { .. } => "database_key_wrong",
            Error::Keyring(_) => "keyring",
            Error::Database(_) => "database",
            Error::Io(_) => "io",
            Error::Unreadable(_) => "unreadable",
            Error::Internal(_) => "internal",
        }
    }

    /// Per-field messages, empty unless this is a validation error.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Error::Invalid(fields) => fields,
            _ => &[],
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid(vec![FieldError::new(field, message)])
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Unreadable(format!("not valid JSON: {e}"))
    }
}
