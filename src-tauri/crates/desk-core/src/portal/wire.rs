//! The portal's JSON shapes (portal-api.md), and nothing else: the edge between the contract and
//! the domain. Unknown members are ignored, so a portal may add fields without breaking us.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Health {
    pub status: String,
}

/// `201`/`200` of `POST /api/v1/incidents`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IncidentReceipt {
    pub incident_number: String,
    pub report_id: String,
    pub received_at: DateTime<Utc>,
}

/// `201`/`200` of `POST /api/v1/incidents/{n}/supplements`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SupplementReceipt {
    pub incident_number: String,
    pub revision: i64,
    pub received_at: DateTime<Utc>,
}

/// `201 {…}` of the SEN POSTs: the contract names no members; `received_at` is read when given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SenReceipt {
    #[serde(default)]
    pub received_at: Option<DateTime<Utc>>,
}

/// Body of `POST /api/v1/sens/{n}/incident-link`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentLink<'a> {
    pub incident_number: &'a str,
}

/// Body of `POST /api/v1/incidents/{n}/supplements`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Supplement {
    pub revision: i64,
    pub changes: serde_json::Value,
}

/// `GET /api/v1/sens?updated_since=`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SenFeed {
    pub sens: Vec<serde_json::Value>,
}

/// One SEN of the feed: the type the SEN store merges (one type for the wire and the merge).
pub use crate::sen::store::PortalSen as WireSen;

/// `{"errors": [...]}` of a 4xx.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub errors: Vec<PortalFieldError>,
}

/// One portal error: `field` is a JSON pointer into the body sent, or `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalFieldError {
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub message: String,
}

impl std::fmt::Display for PortalFieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) if !field.is_empty() => write!(f, "{field}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}
