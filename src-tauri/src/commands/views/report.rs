//! The report commands' views.

use super::ActorView;
use chrono::{DateTime, Utc};
use desk_core::report::{ReportSummary, RevisionEntry};
use serde::Serialize;

/// One row of a report list (the reports page, the reports a SEN can be linked to).
#[derive(Serialize)]
pub struct ReportSummaryView {
    report_id: String,
    state: &'static str,
    title: String,
    revision: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    discovered_at: Option<DateTime<Utc>>,
    cal_csirs_due_at: Option<DateTime<Utc>>,
    incident_number: Option<String>,
}

impl From<ReportSummary> for ReportSummaryView {
    fn from(s: ReportSummary) -> Self {
        ReportSummaryView {
            report_id: s.report_id.to_string(),
            state: s.state.as_str(),
            title: s.title,
            revision: s.revision,
            created_at: s.created_at,
            updated_at: s.updated_at,
            discovered_at: s.discovered_at,
            cal_csirs_due_at: s.cal_csirs_due_at,
            incident_number: s.incident_number,
        }
    }
}

/// One line of a report's history.
#[derive(Serialize)]
pub struct RevisionEntryView {
    revision: i64,
    at: DateTime<Utc>,
    kind: String,
    field: Option<String>,
    preview: Option<String>,
    actor: ActorView,
}

impl From<RevisionEntry> for RevisionEntryView {
    fn from(e: RevisionEntry) -> Self {
        RevisionEntryView {
            revision: e.revision,
            at: e.at,
            kind: e.kind,
            field: e.field,
            preview: e.preview,
            actor: e.actor.into(),
        }
    }
}
