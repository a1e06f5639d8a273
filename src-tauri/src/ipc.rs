//! The one error shape that crosses IPC: `{code, message, fields}`. The UI shows `message`, puts
//! each of `fields` under its control, and may branch on `code`.

use desk_core::FieldError;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct IpcError {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

pub type CmdResult<T> = Result<T, IpcError>;

impl From<desk_core::Error> for IpcError {
    fn from(e: desk_core::Error) -> Self {
        if matches!(e, desk_core::Error::Database(_) | desk_core::Error::Internal(_) | desk_core::Error::Io(_)) {
            tracing::error!(code = e.code(), error = %e, "command failed");
        }
        IpcError { code: e.code().to_string(), message: e.to_string(), fields: e.fields().to_vec() }
    }
}

impl IpcError {
    /// An outcome the core answers as a value that this edge presents as an error of its own code.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        IpcError { code: code.into(), message: message.into(), fields: Vec::new() }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        IpcError::new("internal", message)
    }
}
