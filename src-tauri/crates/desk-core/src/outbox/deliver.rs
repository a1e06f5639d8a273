//! From a queued item to the HTTP request, resolved at delivery time (a supplement's path and an
//! incident link's body need the report's incident number, known only once the incident went
//! out), and the effects committed with a delivery, behind [`DeliveryEffects`].

use super::ItemKind;
use crate::error::Result;
use crate::portal::wire::{self, PortalFieldError};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::Value;

/// What a delivery changes outside the outbox, in the same transaction as the item's new state.
/// The report module's `ReportEffects` is the real one (the outbox knows no report: the
/// dependency is one-way, report → outbox); tests may record calls instead. A report is named by
/// the item's record id as stored (`report_id`), the effects read it as their own id type.
pub trait DeliveryEffects: Send + Sync {
    /// The portal's incident number of a report, once it has one.
    fn incident_number(&self, conn: &Connection, report_id: &str) -> Result<Option<String>>;

    /// The incident was received: the report is sent, with this number.
    fn incident_sent(
        &self,
        conn: &Connection,
        report_id: &str,
        incident_number: &str,
        received_at: DateTime<Utc>,
    ) -> Result<()>;

    fn supplement_sent(
        &self,
        conn: &Connection,
        report_id: &str,
        revision: i64,
        received_at: DateTime<Utc>,
    ) -> Result<()>;

    /// The portal refused fields of the report (422): back to draft with the messages, as the
    /// portal gave them (on JSON pointers into the body sent; the effects map them to their fields).
    fn report_refused(
        &self,
        conn: &Connection,
        report_id: &str,
        errors: &[PortalFieldError],
        now: DateTime<Utc>,
    ) -> Result<()>;

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
            match effects.incident_number(conn, record_id)? {
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
            match effects.incident_number(conn, report_id)? {
                Some(number) => Resolved::Ready(Request {
                    segments: segments(&["api", "v1", "sens", record_id, "incident-link"]),
                    body: serde_json::to_value(wire::IncidentLink { incident_number: &number })?,
                }),
                None => waiting(),
            }
        }
    })
}
