//! The report commands' views.

use super::report_doc::ReportDocView;
use super::{ActorView, FieldMessage};
use chrono::{DateTime, Utc};
use desk_core::report::{
    Autosaved, Check, Deadline, Deadlines, Missing, Report, ReportSummary, RevisionEntry, Status, Task, Timeframe,
};
use serde::Serialize;

/// A report with what the form shows around its fields.
#[derive(Serialize)]
pub struct ReportView {
    report: ReportRecordView,
    status: StatusView,
}

impl ReportView {
    pub fn new(report: Report, status: Status) -> Self {
        ReportView { report: report.into(), status: status.into() }
    }
}

/// A report as stored: identity, lifecycle and content.
#[derive(Serialize)]
pub struct ReportRecordView {
    report_id: String,
    state: &'static str,
    revision: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    incident_number: Option<String>,
    submitted_revision: Option<i64>,
    queued_revision: Option<i64>,
    sent_revision: Option<i64>,
    sent_at: Option<DateTime<Utc>>,
    portal_messages: Vec<FieldMessage>,
    doc: ReportDocView,
}

impl From<Report> for ReportRecordView {
    fn from(r: Report) -> Self {
        ReportRecordView {
            report_id: r.report_id.to_string(),
            state: r.state.as_str(),
            revision: r.revision,
            created_at: r.created_at,
            updated_at: r.updated_at,
            incident_number: r.incident_number,
            submitted_revision: r.submitted_revision,
            queued_revision: r.queued_revision,
            sent_revision: r.sent_revision,
            sent_at: r.sent_at,
            portal_messages: r.portal_messages.into_iter().map(Into::into).collect(),
            doc: r.doc.into(),
        }
    }
}

/// What one autosave changed, for the form (`report_set_field`, `report_add_row`, `report_remove_row`).
#[derive(Serialize)]
pub struct AutosavedView {
    report_id: String,
    revision: i64,
    state: &'static str,
    /// The row `report_add_row` created (`computers.3`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    row: Option<String>,
    portal_messages: Vec<FieldMessage>,
    status: StatusView,
}

impl From<Autosaved> for AutosavedView {
    fn from(a: Autosaved) -> Self {
        AutosavedView {
            report_id: a.report_id.to_string(),
            revision: a.revision,
            state: a.state.as_str(),
            row: a.row,
            portal_messages: a.portal_messages.into_iter().map(Into::into).collect(),
            status: a.status.into(),
        }
    }
}

/// What the form shows around the fields: the checks' messages and missing lists, both
/// deadlines, the tasks, and whether a supplement is due.
#[derive(Serialize)]
pub struct StatusView {
    field_errors: Vec<FieldMessage>,
    missing_required: Vec<MissingView>,
    missing_recommended: Vec<MissingView>,
    deadlines: DeadlinesView,
    tasks: Vec<TaskView>,
    unsent_changes: bool,
}

impl From<Status> for StatusView {
    fn from(s: Status) -> Self {
        let Check { field_errors, missing_required, missing_recommended } = s.check;
        StatusView {
            field_errors: field_errors.into_iter().map(Into::into).collect(),
            missing_required: missing_required.into_iter().map(Into::into).collect(),
            missing_recommended: missing_recommended.into_iter().map(Into::into).collect(),
            deadlines: s.deadlines.into(),
            tasks: s.tasks.into_iter().map(Into::into).collect(),
            unsent_changes: s.unsent_changes,
        }
    }
}

#[derive(Serialize)]
pub struct MissingView {
    field: String,
    label: String,
}

impl From<Missing> for MissingView {
    fn from(m: Missing) -> Self {
        MissingView { field: m.field, label: m.label }
    }
}

#[derive(Serialize)]
pub struct DeadlinesView {
    cal_csirs: DeadlineView,
    #[serde(skip_serializing_if = "Option::is_none")]
    federal: Option<DeadlineView>,
}

impl From<Deadlines> for DeadlinesView {
    fn from(d: Deadlines) -> Self {
        DeadlinesView { cal_csirs: d.cal_csirs.into(), federal: d.federal.map(Into::into) }
    }
}

#[derive(Serialize)]
pub struct DeadlineView {
    rule: &'static str,
    title: &'static str,
    timeframe: TimeframeView,
    #[serde(skip_serializing_if = "Option::is_none")]
    due_at: Option<DateTime<Utc>>,
    words: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    condition: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reading: Option<&'static str>,
    source: &'static str,
}

impl From<Deadline> for DeadlineView {
    fn from(d: Deadline) -> Self {
        DeadlineView {
            rule: d.rule,
            title: d.title,
            timeframe: d.timeframe.into(),
            due_at: d.due_at,
            words: d.words,
            condition: d.condition,
            reading: d.reading,
            source: d.source,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TimeframeView {
    WithinHours { hours: u32 },
    Daily,
    Weekly,
    Monthly,
    NotRequired,
    NotApplicable,
}

impl From<Timeframe> for TimeframeView {
    fn from(t: Timeframe) -> Self {
        match t {
            Timeframe::WithinHours { hours } => TimeframeView::WithinHours { hours },
            Timeframe::Daily => TimeframeView::Daily,
            Timeframe::Weekly => TimeframeView::Weekly,
            Timeframe::Monthly => TimeframeView::Monthly,
            Timeframe::NotRequired => TimeframeView::NotRequired,
            Timeframe::NotApplicable => TimeframeView::NotApplicable,
        }
    }
}

#[derive(Serialize)]
pub struct TaskView {
    id: &'static str,
    text: String,
    source: &'static str,
}

impl From<Task> for TaskView {
    fn from(t: Task) -> Self {
        TaskView { id: t.id, text: t.text, source: t.source }
    }
}

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
