//! The SEN commands' views: a SEN with its clock (card), its history rows, what an intake read,
//! a response's live preview and the SEN settings.

use super::{ActorView, FieldMessage};
use chrono::{DateTime, Utc};
use desk_core::intake::SenNotice;
use desk_core::sen::deadlines::{ClockStatus, Schedule};
use desk_core::sen::levels::{LevelInfo, LevelRule};
use desk_core::sen::responses::Preview;
use desk_core::sen::store::{HistoryEntry, Sen};
use desk_core::sen::{EscalationClock, LocalStage, LocalTimes, SenCard, SenSettings};
use serde::Serialize;

/// One SEN as the board and its page show it.
#[derive(Serialize)]
pub struct SenCardView {
    sen: SenView,
    level: LevelView,
    /// The clock as the deadline engine computed it (`None` for levels without windows).
    schedule: Option<Schedule>,
    status: Option<ClockStatus>,
    local: LocalTimesView,
}

impl From<SenCard> for SenCardView {
    fn from(card: SenCard) -> Self {
        SenCardView {
            sen: card.sen.into(),
            level: card.level.into(),
            schedule: card.schedule,
            status: card.status,
            local: card.local.into(),
        }
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
    /// The level's row of the standard's table (reference data, as `sen_reference` gives it).
    rule: Option<&'static LevelRule>,
    note: Option<String>,
}

impl From<LevelInfo> for LevelView {
    fn from(l: LevelInfo) -> Self {
        LevelView { id: l.id, label: l.label, colour: l.colour, rule: l.rule, note: l.note }
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
