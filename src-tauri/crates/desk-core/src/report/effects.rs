//! What a report does when a delivery of it lands: the outbox's [`DeliveryEffects`] on the reports
//! table, committed with the item. Here, not in the outbox: reports queue items and take their
//! effects; the outbox knows no report.

use super::{exchange, get, mark_sent, mark_supplement_sent, return_to_draft, ReportId};
use crate::audit::Actor;
use crate::error::Result;
use crate::outbox::DeliveryEffects;
use crate::portal::wire::PortalFieldError;
use chrono::{DateTime, Utc};
use rusqlite::Connection;

/// The effects on the reports table, recorded in the report's history as done by `actor` (the
/// user whose app or CLI ran the delivery).
#[derive(Debug, Clone)]
pub struct ReportEffects {
    pub actor: Actor,
}

impl ReportEffects {
    pub fn new(actor: Actor) -> ReportEffects {
        ReportEffects { actor }
    }
}

/// An outbox item's record id, as the report wrote it when queueing.
fn stored_id(report_id: &str) -> ReportId {
    ReportId::from_stored(report_id.to_string())
}

impl DeliveryEffects for ReportEffects {
    fn incident_number(&self, conn: &Connection, report_id: &str) -> Result<Option<String>> {
        Ok(get(conn, &stored_id(report_id))?.incident_number)
    }

    fn incident_sent(
        &self,
        conn: &Connection,
        report_id: &str,
        incident_number: &str,
        received_at: DateTime<Utc>,
    ) -> Result<()> {
        mark_sent(conn, &stored_id(report_id), incident_number, received_at, &self.actor).map(drop)
    }

    fn supplement_sent(
        &self,
        conn: &Connection,
        report_id: &str,
        revision: i64,
        received_at: DateTime<Utc>,
    ) -> Result<()> {
        mark_supplement_sent(conn, &stored_id(report_id), revision, received_at, &self.actor).map(drop)
    }

    fn report_refused(
        &self,
        conn: &Connection,
        report_id: &str,
        errors: &[PortalFieldError],
        now: DateTime<Utc>,
    ) -> Result<()> {
        return_to_draft(conn, &stored_id(report_id), exchange::portal_errors(errors), now, &self.actor).map(drop)
    }
}
