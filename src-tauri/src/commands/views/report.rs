//! The report commands' views.

use chrono::{DateTime, Utc};
use desk_core::report::ReportSummary;
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
