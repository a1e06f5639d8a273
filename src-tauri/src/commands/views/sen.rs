//! The SEN commands' views: a SEN with its clock (card), its history rows, what an intake read,
//! a response's live preview and the SEN settings.

use super::sen_reference::LevelRuleView;
use super::{ActorView, FieldMessage};
use chrono::{DateTime, Utc};
use desk_core::calendar::CompiledCalendar;
use desk_core::intake::SenNotice;
use desk_core::sen::deadlines::{ClockStatus, Escalation, Schedule, StageDue, StageState, StageStatus};
use desk_core::sen::levels::LevelInfo;
use desk_core::sen::responses::Preview;
use desk_core::sen::store::{HistoryEntry, Sen};
use desk_core::sen::{ClockKind, EscalationClock, LocalStage, LocalTimes, SenCard, SenSettings};
use serde::Serialize;

/// What a page showing SEN clocks needs to keep them current without asking on a timer.
#[derive(Serialize)]
pub struct ClocksAheadView {
    /// The next instant the clocks read differently other than by counting down (null: never):
    /// the page asks again then, or when told of a change.
    refresh_at: Option<DateTime<Utc>>,
    /// Whether business time runs at `now`, and until when: business-time figures count down
    /// meanwhile.
    business_clock: BusinessClockView,
}

#[derive(Serialize)]
pub struct BusinessClockView {
    running: bool,
    until: DateTime<Utc>,
}

impl ClocksAheadView {
    pub fn new<'a>(
        cards: impl IntoIterator<Item = &'a SenCard>,
        calendar: &CompiledCalendar,
        now: DateTime<Utc>,
    ) -> Self {
        let clock = calendar.business_clock_at(now);
        ClocksAheadView {
            refresh_at: desk_core::sen::clocks_change_at(
                cards.into_iter().filter_map(|card| card.status.as_ref()),
                calendar,
                now,
            ),
            business_clock: BusinessClockView { running: clock.running, until: clock.until },
        }
    }
}

/// One SEN as the board and its page show it.
#[derive(Serialize)]
pub struct SenCardView {
    sen: SenView,
    level: LevelView,
    /// `None` for levels without windows.
    schedule: Option<ScheduleView>,
    status: Option<ClockStatusView>,
    local: LocalTimesView,
}

impl From<SenCard> for SenCardView {
    fn from(card: SenCard) -> Self {
        SenCardView {
            sen: card.sen.into(),
            level: card.level.into(),
            schedule: card.schedule.map(Into::into),
            status: card.status.map(Into::into),
            local: card.local.into(),
        }
    }
}

/// A SEN's deadlines: its stages' windows and every escalation.
#[derive(Serialize)]
pub struct ScheduleView {
    level: &'static str,
    clock: &'static str,
    escalation_clock: &'static str,
    stages: Vec<StageDueView>,
    escalations: Vec<EscalationView>,
}

impl From<Schedule> for ScheduleView {
    fn from(s: Schedule) -> Self {
        ScheduleView {
            level: s.level,
            clock: clock_kind(s.clock),
            escalation_clock: escalation_clock(s.escalation_clock),
            stages: s.stages.into_iter().map(Into::into).collect(),
            escalations: s.escalations.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize)]
pub struct StageDueView {
    stage: &'static str,
    start: DateTime<Utc>,
    due: DateTime<Utc>,
    projected_start: bool,
    completed_at: Option<DateTime<Utc>>,
    not_applicable: bool,
    due_from_findings_by: bool,
    help_requested_at: Option<DateTime<Utc>>,
    help_pending: bool,
    late_request_at: Option<DateTime<Utc>>,
    window_minutes: u32,
    clock: &'static str,
}

impl From<StageDue> for StageDueView {
    fn from(s: StageDue) -> Self {
        StageDueView {
            stage: s.stage.as_str(),
            start: s.start,
            due: s.due,
            projected_start: s.projected_start,
            completed_at: s.completed_at,
            not_applicable: s.not_applicable,
            due_from_findings_by: s.due_from_findings_by,
            help_requested_at: s.help_requested_at,
            help_pending: s.help_pending,
            late_request_at: s.late_request_at,
            window_minutes: s.window_minutes,
            clock: clock_kind(s.clock),
        }
    }
}

#[derive(Serialize)]
pub struct EscalationView {
    stage: &'static str,
    level: u8,
    at: DateTime<Utc>,
    recipients: &'static str,
    averted: bool,
    projected: bool,
}

impl From<Escalation> for EscalationView {
    fn from(e: Escalation) -> Self {
        EscalationView {
            stage: e.stage.as_str(),
            level: e.level,
            at: e.at,
            recipients: e.recipients,
            averted: e.averted,
            projected: e.projected,
        }
    }
}

/// Where a SEN's clock stands at `now`.
#[derive(Serialize)]
pub struct ClockStatusView {
    now: DateTime<Utc>,
    stages: Vec<StageStatusView>,
    current_stage: Option<&'static str>,
    next_escalation: Option<EscalationView>,
    next_escalation_text: Option<String>,
    escalated: Vec<EscalationView>,
}

impl From<ClockStatus> for ClockStatusView {
    fn from(s: ClockStatus) -> Self {
        ClockStatusView {
            now: s.now,
            stages: s.stages.into_iter().map(Into::into).collect(),
            current_stage: s.current_stage.map(|stage| stage.as_str()),
            next_escalation: s.next_escalation.map(Into::into),
            next_escalation_text: s.next_escalation_text,
            escalated: s.escalated.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize)]
pub struct StageStatusView {
    stage: &'static str,
    /// `state` names the variant, its fields beside it.
    #[serde(flatten)]
    state: StageStateView,
    due: DateTime<Utc>,
    due_local: String,
    projected: bool,
    business_minutes_left: Option<i64>,
    /// `business_minutes_left` exact, in milliseconds: the page counts it down.
    business_left_ms: Option<i64>,
    text: String,
}

impl From<StageStatus> for StageStatusView {
    fn from(s: StageStatus) -> Self {
        StageStatusView {
            stage: s.stage.as_str(),
            state: s.state.into(),
            due: s.due,
            due_local: s.due_local,
            projected: s.projected,
            business_minutes_left: s.business_minutes_left,
            business_left_ms: s.business_time_left.map(|left| left.num_milliseconds()),
            text: s.text,
        }
    }
}

#[derive(Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum StageStateView {
    Done { at: DateTime<Utc>, late_by_minutes: i64 },
    DueIn { minutes: i64 },
    Overdue { minutes: i64 },
    NotApplicable,
    HelpRequested { since: DateTime<Utc> },
    Waiting,
}

impl From<StageState> for StageStateView {
    fn from(s: StageState) -> Self {
        match s {
            StageState::Done { at, late_by_minutes } => StageStateView::Done { at, late_by_minutes },
            StageState::DueIn { minutes } => StageStateView::DueIn { minutes },
            StageState::Overdue { minutes } => StageStateView::Overdue { minutes },
            StageState::NotApplicable => StageStateView::NotApplicable,
            StageState::HelpRequested { since } => StageStateView::HelpRequested { since },
            StageState::Waiting => StageStateView::Waiting,
        }
    }
}

/// A level's clock as the window spells it.
pub fn clock_kind(kind: ClockKind) -> &'static str {
    match kind {
        ClockKind::Clock => "clock",
        ClockKind::Business => "business",
    }
}

/// The stored record.
#[derive(Serialize)]
pub struct SenView {
    sen_number: String,
    level: String,
    sent_at: DateTime<Utc>,
    summary: String,
    status: &'static str,
    source: &'static str,
    portal_status: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    acknowledged_at: Option<DateTime<Utc>>,
    ack_format: Option<String>,
    ack_text: Option<String>,
    determined_at: Option<DateTime<Utc>>,
    outcome: Option<&'static str>,
    details: Option<String>,
    findings_by: Option<DateTime<Utc>>,
    more_time_requested_at: Option<DateTime<Utc>>,
    help_requested_at: Option<DateTime<Utc>>,
    linked_report_id: Option<String>,
    linked_at: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
}

impl From<Sen> for SenView {
    fn from(s: Sen) -> Self {
        SenView {
            sen_number: s.sen_number.to_string(),
            level: s.level,
            sent_at: s.sent_at,
            summary: s.summary,
            status: s.status.as_str(),
            source: s.source.as_str(),
            portal_status: s.portal_status,
            created_at: s.created_at,
            updated_at: s.updated_at,
            acknowledged_at: s.acknowledged_at,
            ack_format: s.ack_format,
            ack_text: s.ack_text,
            determined_at: s.determined_at,
            outcome: s.outcome.map(|o| o.as_str()),
            details: s.details,
            findings_by: s.findings_by,
            more_time_requested_at: s.more_time_requested_at,
            help_requested_at: s.help_requested_at,
            linked_report_id: s.linked_report_id.map(|id| id.to_string()),
            linked_at: s.linked_at,
            closed_at: s.closed_at,
        }
    }
}

/// Any level, known or not.
#[derive(Serialize)]
pub struct LevelView {
    id: String,
    label: String,
    colour: Option<&'static str>,
    /// The level's row of the standard's table, as `sen_reference` gives it.
    rule: Option<LevelRuleView>,
    note: Option<String>,
}

impl From<LevelInfo> for LevelView {
    fn from(l: LevelInfo) -> Self {
        LevelView { id: l.id, label: l.label, colour: l.colour, rule: l.rule.map(Into::into), note: l.note }
    }
}

/// A card's times in the calendar's zone.
#[derive(Serialize)]
pub struct LocalTimesView {
    time_zone: String,
    sent_at: String,
    stages: Vec<LocalStageView>,
    escalations: Vec<String>,
    next_escalation: Option<String>,
}

impl From<LocalTimes> for LocalTimesView {
    fn from(t: LocalTimes) -> Self {
        LocalTimesView {
            time_zone: t.time_zone,
            sent_at: t.sent_at,
            stages: t.stages.into_iter().map(Into::into).collect(),
            escalations: t.escalations,
            next_escalation: t.next_escalation,
        }
    }
}

#[derive(Serialize)]
pub struct LocalStageView {
    stage: &'static str,
    start: String,
    due: String,
    completed_at: Option<String>,
}

impl From<LocalStage> for LocalStageView {
    fn from(s: LocalStage) -> Self {
        LocalStageView { stage: s.stage.as_str(), start: s.start, due: s.due, completed_at: s.completed_at }
    }
}

/// One history row, with its time in the calendar's zone.
#[derive(Serialize)]
pub struct HistoryRowView {
    id: i64,
    sen_number: String,
    event: String,
    at: DateTime<Utc>,
    detail: serde_json::Value,
    actor: ActorView,
    at_local: String,
}

impl HistoryRowView {
    pub fn new(entry: HistoryEntry, at_local: String) -> Self {
        HistoryRowView {
            id: entry.id,
            sen_number: entry.sen_number.to_string(),
            event: entry.event,
            at: entry.at,
            detail: entry.detail,
            actor: entry.actor.into(),
            at_local,
        }
    }
}

/// What an intake read from a message or a subject line.
#[derive(Serialize)]
pub struct SenNoticeView {
    sen_number: String,
    level: String,
    sent_at: DateTime<Utc>,
    summary: Option<String>,
    sender: Option<String>,
    warnings: Vec<String>,
}

impl From<SenNotice> for SenNoticeView {
    fn from(n: SenNotice) -> Self {
        SenNoticeView {
            sen_number: n.sen_number,
            level: n.level,
            sent_at: n.sent_at,
            summary: n.summary,
            sender: n.sender,
            warnings: n.warnings,
        }
    }
}

/// A response's text as far as it is filled.
#[derive(Serialize)]
pub struct PreviewView {
    text: String,
    complete: bool,
    problems: Vec<FieldMessage>,
}

impl From<Preview> for PreviewView {
    fn from(p: Preview) -> Self {
        PreviewView { text: p.text, complete: p.complete, problems: p.problems.into_iter().map(Into::into).collect() }
    }
}

/// The stored SEN settings.
#[derive(Serialize)]
pub struct SenSettingsValues {
    escalation_clock: &'static str,
}

impl From<SenSettings> for SenSettingsValues {
    fn from(s: SenSettings) -> Self {
        SenSettingsValues { escalation_clock: escalation_clock(s.escalation_clock) }
    }
}

/// An escalation-clock reading as the window spells it.
pub fn escalation_clock(clock: EscalationClock) -> &'static str {
    match clock {
        EscalationClock::SameAsWindow => "same_as_window",
        EscalationClock::LiteralClockHours => "literal_clock_hours",
    }
}
