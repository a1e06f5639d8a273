//! From a queued item to the HTTP request, resolved at delivery time (a supplement's path and an
//! incident link's body need the report's incident number, known only once the incident went
//! out), and the effects committed with a delivery, behind [`DeliveryEffects`].

use super::ItemKind;
use crate::audit::Actor;
use crate::error::{FieldError, Result};
use crate::portal::wire;
use crate::report::ReportId;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::Value;

/// What a delivery changes outside the outbox, in the same transaction as the item's new state.
/// [`ReportEffects`] is the real one; tests may record calls instead.
pub trait DeliveryEffects: Send + Sync {
    /// The portal's incident number of a report, once it has one.
    fn incident_number(&self, conn: &Connection, report_id: &ReportId) -> Result<Option<String>>;

    /// The incident was received: the report is sent, with this number.
    fn incident_sent(
        &self,
        conn: &Connection,
        report_id: &ReportId,
        incident_number: &str,
        received_at: DateTime<Utc>,
    ) -> Result<()>;

    fn supplement_sent(
        &self,
        conn: &Connection,
        report_id: &ReportId,
        revision: i64,
        received_at: DateTime<Utc>,
    ) -> Result<()>;

    /// The portal refused fields of the report (422): back to draft with the messages.
    fn report_refused(
        &self,
        conn: &Connection,
        report_id: &ReportId,
        errors: Vec<FieldError>,
        now: DateTime<Utc>,
    ) -> Result<()>;

    /// The portal's JSON pointer as the form's field id.
    fn field_from_json_pointer(&self, pointer: &str) -> String {
        crate::report::field_from_json_pointer(pointer)
    }

    /// An acknowledgement, determination or incident link was received. Nothing by default: the
    /// SEN's clock stops at the time the ISO responded, not at delivery.
    fn sen_item_sent(
        &self,
        _conn: &Connection,
        _kind: ItemKind,
        _sen_number: &str,
        _received_at: DateTime<Utc>,
    ) -> Result<()> {
        Ok(())
    }
}

/// The effects on the reports table (`crate::report`), recorded in the report's history as done
/// by `actor` (the user whose app or CLI ran the delivery).
#[derive(Debug, Clone)]
pub struct ReportEffects {
    pub actor: Actor,
}

impl ReportEffects {
    pub fn new(actor: Actor) -> ReportEffects {
        ReportEffects { actor }
    }
}

impl DeliveryEffects for ReportEffects {
    fn incident_number(&self, conn: &Connection, report_id: &ReportId) -> Result<Option<String>> {
        Ok(crate::report::get(conn, report_id)?.incident_number)
    }

    fn incident_sent(
        &self,
        conn: &Connection,
        report_id: &ReportId,
        incident_number: &str,
        received_at: DateTime<Utc>,
    ) -> Result<()> {
        crate::report::mark_sent(conn, report_id, incident_number, received_at, &self.actor).map(drop)
    }

    fn supplement_sent(
        &self,
        conn: &Connection,
        report_id: &ReportId,
        revision: i64,
        received_at: DateTime<Utc>,
    ) -> Result<()> {
        crate::report::mark_supplement_sent(conn, report_id, revision, received_at, &self.actor).map(drop)
    }

    fn report_refused(
        &self,
        conn: &Connection,
        report_id: &ReportId,
        errors: Vec<FieldError>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        crate::report::return_to_draft(conn, report_id, errors, now, &self.actor).map(drop)
    }
}

/// One POST, ready to go.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Path segments under the base URL.
    pub segments: Vec<String>,
    pub body: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Ready(Request),
    /// Not yet: the report has no incident number.
    Waiting(String),
    /// The queued payload cannot make a request (a bug upstream): park it.
    Unusable(String),
}

fn segments(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

/// Builds the request of an item. The body never depends on anything that changes between
/// attempts (an incident number, once given, stays), so every retry sends the same request
/// under the same key.
pub fn resolve(
    conn: &Connection,
    effects: &dyn DeliveryEffects,
    kind: ItemKind,
    record_id: &str,
    payload: &Value,
) -> Result<Resolved> {
    let waiting = || Resolved::Waiting("waits for the report's incident number".into());
    Ok(match kind {
        ItemKind::Incident => {
            Resolved::Ready(Request { segments: segments(&["api", "v1", "incidents"]), body: payload.clone() })
        }
        ItemKind::Supplement => {
            // The contract's body is exactly {revision, changes}; the queued payload also names the report.
            let Ok(body) = serde_json::from_value::<wire::Supplement>(payload.clone()) else {
                return Ok(Resolved::Unusable("the queued supplement lacks its revision or changes".into()));
            };
            match effects.incident_number(conn, &ReportId::from_stored(record_id.to_string()))? {
                Some(number) => Resolved::Ready(Request {
                    segments: segments(&["api", "v1", "incidents", &number, "supplements"]),
                    body: serde_json::to_value(body)?,
                }),
                None => waiting(),
            }
        }
        ItemKind::Acknowledgement | ItemKind::Determination => {
            let last = if kind == ItemKind::Acknowledgement { "acknowledgement" } else { "determination" };
            Resolved::Ready(Request {
                segments: segments(&["api", "v1", "sens", record_id, last]),
                body: payload.clone(),
            })
        }
        ItemKind::IncidentLink => {
            let Some(report_id) = payload.get("report_id").and_then(Value::as_str) else {
                return Ok(Resolved::Unusable("the queued incident link names no report".into()));
            };
            match effects.incident_number(conn, &ReportId::from_stored(report_id.to_string()))? {
                Some(number) => Resolved::Ready(Request {
                    segments: segments(&["api", "v1", "sens", record_id, "incident-link"]),
                    body: serde_json::to_value(wire::IncidentLink { incident_number: &number })?,
                }),
                None => waiting(),
            }
        }
    })
}
