//! The reminder settings' views: the preferences, the privacy choice, the plan preview and the
//! window's banners.

use super::sen::clock_kind;
use chrono::{DateTime, Utc};
use desk_core::privacy::Privacy;
use desk_core::reminders::{
    EscalationNote, NextDeadline, Outlook, PlanView, Point, QuietHours, Record, Reminder, ReminderPrefs, Severity,
    StoredNotice, Subject,
};
use serde::Serialize;

/// When reminders fire.
#[derive(Serialize)]
pub struct ReminderPrefsView {
    at_half_window: bool,
    minutes_before: Vec<u32>,
    at_due: bool,
    at_escalations: bool,
    report_deadlines: bool,
    quiet_hours: QuietHoursView,
}

impl From<ReminderPrefs> for ReminderPrefsView {
    fn from(p: ReminderPrefs) -> Self {
        ReminderPrefsView {
            at_half_window: p.at_half_window,
            minutes_before: p.minutes_before,
            at_due: p.at_due,
            at_escalations: p.at_escalations,
            report_deadlines: p.report_deadlines,
            quiet_hours: p.quiet_hours.into(),
        }
    }
}

#[derive(Serialize)]
pub struct QuietHoursView {
    enabled: bool,
    start: String,
    end: String,
}

impl From<QuietHours> for QuietHoursView {
    fn from(q: QuietHours) -> Self {
        QuietHoursView { enabled: q.enabled, start: q.start, end: q.end }
    }
}

/// What notifications and the tray may show.
#[derive(Serialize)]
pub struct PrivacyView {
    details_outside_window: bool,
}

impl From<Privacy> for PrivacyView {
    fn from(p: Privacy) -> Self {
        PrivacyView { details_outside_window: p.details_outside_window }
    }
}

/// A reminder notice the window shows as a banner.
#[derive(Serialize)]
pub struct ReminderBannerView {
    id: i64,
    created_at: DateTime<Utc>,
    title: String,
    body: String,
    critical: bool,
    route: String,
    keys: Vec<String>,
    state: String,
    attempts: i64,
    shown_at: Option<DateTime<Utc>>,
    dismissed_at: Option<DateTime<Utc>>,
}

impl From<StoredNotice> for ReminderBannerView {
    fn from(n: StoredNotice) -> Self {
        ReminderBannerView {
            id: n.id,
            created_at: n.created_at,
            title: n.title,
            body: n.body,
            critical: n.critical,
            route: n.route,
            keys: n.keys.iter().map(|k| k.as_str().to_string()).collect(),
            state: n.state,
            attempts: n.attempts,
            shown_at: n.shown_at,
            dismissed_at: n.dismissed_at,
        }
    }
}

/// The settings page's plan preview: the outlook and the next reminders.
#[derive(Serialize)]
pub struct PlanPreviewView {
    now: DateTime<Utc>,
    outlook: OutlookView,
    reminders: Vec<PlannedReminderView>,
}

impl From<PlanView> for PlanPreviewView {
    fn from(p: PlanView) -> Self {
        PlanPreviewView {
            now: p.now,
            outlook: p.outlook.into(),
            reminders: p.reminders.into_iter().map(Into::into).collect(),
        }
    }
}

/// The tray's line: the next deadline and how many are past.
#[derive(Serialize)]
pub struct OutlookView {
    next: Option<NextDeadlineView>,
    overdue: usize,
    next_text: String,
    overdue_text: String,
}

impl From<Outlook> for OutlookView {
    fn from(o: Outlook) -> Self {
        OutlookView {
            next: o.next.map(Into::into),
            overdue: o.overdue,
            next_text: o.next_text,
            overdue_text: o.overdue_text,
        }
    }
}

#[derive(Serialize)]
pub struct NextDeadlineView {
    what: String,
    due: DateTime<Utc>,
    due_local: String,
    route: String,
}

impl From<NextDeadline> for NextDeadlineView {
    fn from(n: NextDeadline) -> Self {
        NextDeadlineView { what: n.what, due: n.due, due_local: n.due_local, route: n.route }
    }
}

/// One reminder of the plan.
#[derive(Serialize)]
pub struct PlannedReminderView {
    key: String,
    at: DateTime<Utc>,
    planned_at: DateTime<Utc>,
    held_by_quiet_hours: bool,
    record: RecordView,
    label: String,
    severity: &'static str,
    severity_label: String,
    subject: SubjectView,
    point: PointView,
    start: DateTime<Utc>,
    due: DateTime<Utc>,
    clock: &'static str,
    window: String,
    escalations: Vec<EscalationNoteView>,
    context: String,
    title: String,
    body: String,
    route: String,
}

impl From<Reminder> for PlannedReminderView {
    fn from(r: Reminder) -> Self {
        PlannedReminderView {
            key: r.key.as_str().to_string(),
            at: r.at,
            planned_at: r.planned_at,
            held_by_quiet_hours: r.held_by_quiet_hours,
            record: r.record.into(),
            label: r.label,
            severity: severity(r.severity),
            severity_label: r.severity_label,
            subject: r.subject.into(),
            point: r.point.into(),
            start: r.start,
            due: r.due,
            clock: clock_kind(r.clock),
            window: r.window,
            escalations: r.escalations.into_iter().map(Into::into).collect(),
            context: r.context,
            title: r.title,
            body: r.body,
            route: r.route,
        }
    }
}

/// A reminder's severity as the window spells it.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "critical",
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Other => "other",
    }
}

/// The record a reminder is about; `kind` names it.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecordView {
    Sen { sen_number: String },
    Report { report_id: String },
}

impl From<Record> for RecordView {
    fn from(r: Record) -> Self {
        match r {
            Record::Sen { sen_number } => RecordView::Sen { sen_number: sen_number.to_string() },
            Record::Report { report_id } => RecordView::Report { report_id: report_id.to_string() },
        }
    }
}

/// What is due; `kind` names it.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SubjectView {
    Stage { stage: &'static str },
    CalCsirs,
    Federal { title: &'static str },
}

impl From<Subject> for SubjectView {
    fn from(s: Subject) -> Self {
        match s {
            Subject::Stage { stage } => SubjectView::Stage { stage: stage.as_str() },
            Subject::CalCsirs => SubjectView::CalCsirs,
            Subject::Federal { title } => SubjectView::Federal { title },
        }
    }
}

/// Which point of the window; `kind` names it.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PointView {
    Half,
    Before { minutes: u32 },
    Due,
    Escalation { level: u8 },
}

impl From<Point> for PointView {
    fn from(p: Point) -> Self {
        match p {
            Point::Half => PointView::Half,
            Point::Before { minutes } => PointView::Before { minutes },
            Point::Due => PointView::Due,
            Point::Escalation { level } => PointView::Escalation { level },
        }
    }
}

#[derive(Serialize)]
pub struct EscalationNoteView {
    level: u8,
    at: DateTime<Utc>,
    recipients: &'static str,
}

impl From<EscalationNote> for EscalationNoteView {
    fn from(e: EscalationNote) -> Self {
        EscalationNoteView { level: e.level, at: e.at, recipients: e.recipients }
    }
}
