//! The SEN response clock: due times and escalation times of the three stages (SIMM 5335-A III.D,
//! III.G.2), from the times known so far. Pure: everything it needs is passed in.
//!
//! Readings (domain.md): a stage that has not started is projected from the previous stage's due
//! time and real times replace projections; "more time requested" moves the determination due to
//! the date the entity gave, and that stage's escalations keep their distance from the due time;
//! escalation offsets run on the clock chosen by [`EscalationClock`].

use super::levels::{escalation_level, ClockKind, EscalationClock, LevelRule, Stage};
use crate::calendar::CompiledCalendar;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// Determination outcomes, as the portal spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    ConfirmedIncident,
    FalsePositive,
    /// Help or more time requested: moves the determination due to `findings_by`.
    MoreTime,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [
        Outcome::ConfirmedIncident,
        Outcome::FalsePositive,
        Outcome::MoreTime,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::ConfirmedIncident => "confirmed_incident",
            Outcome::FalsePositive => "false_positive",
            Outcome::MoreTime => "more_time",
        }
    }

    pub fn parse(value: &str) -> Option<Outcome> {
        Outcome::ALL
            .into_iter()
            .find(|o| o.as_str() == value.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::ConfirmedIncident => "Confirmed incident",
            Outcome::FalsePositive => "False positive",
            Outcome::MoreTime => "Help or more time requested",
        }
    }

    /// True for the outcomes that end the determination stage.
    pub fn is_final(self) -> bool {
        !matches!(self, Outcome::MoreTime)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeterminationTimes {
    /// When the (latest) determination was made.
    pub at: DateTime<Utc>,
    pub outcome: Outcome,
    /// The date the entity gave when it asked for more time (kept after a later final determination).
    pub findings_by: Option<DateTime<Utc>>,
    /// When the more-time request was made, when known: a request after the determination was due
    /// does not move it (the stage stays late). `None` is read as made in time.
    #[serde(default)]
    pub requested_at: Option<DateTime<Utc>>,
}

/// What is known of one SEN's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SenTimes {
    pub sent_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub determination: Option<DeterminationTimes>,
    pub linked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageDue {
    pub stage: Stage,
    pub start: DateTime<Utc>,
    pub due: DateTime<Utc>,
    /// True when `start` is a projection (the previous stage has not ended yet).
    pub projected_start: bool,
    pub completed_at: Option<DateTime<Utc>>,
    /// True for the record stage after a false positive: nothing is owed.
    pub not_applicable: bool,
    /// True when `due` is the "findings by" date the entity gave with a more-time request.
    pub due_from_findings_by: bool,
    pub window_minutes: u32,
    pub clock: ClockKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Escalation {
    pub stage: Stage,
    /// 1..=3
    pub level: u8,
    pub at: DateTime<Utc>,
    /// Who it goes to (III.G.1).
    pub recipients: &'static str,
    /// True when the stage was completed at or before `at`, so this escalation does not happen.
    pub averted: bool,
    /// True when the stage's start is a projection.
    pub projected: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    pub level: &'static str,
    pub clock: ClockKind,
    pub escalation_clock: EscalationClock,
    /// Acknowledge, determine, record, in that order.
    pub stages: [StageDue; 3],
    /// Every escalation of every applicable stage, in stage then level order.
    pub escalations: Vec<Escalation>,
}

impl Schedule {
    pub fn stage(&self, stage: Stage) -> &StageDue {
        &self.stages[stage as usize]
    }
}

/// Adds `minutes` to `start` on `clock`.
pub fn add_on_clock(
    calendar: &CompiledCalendar,
    clock: ClockKind,
    start: DateTime<Utc>,
    minutes: u32,
) -> DateTime<Utc> {
    match clock {
        ClockKind::Clock => start + TimeDelta::minutes(i64::from(minutes)),
        ClockKind::Business => calendar.add_business_minutes(start, minutes),
    }
}

pub fn schedule(
    rule: &LevelRule,
    calendar: &CompiledCalendar,
    times: &SenTimes,
    escalation_clock: EscalationClock,
) -> Schedule {
    let add = |start, minutes| add_on_clock(calendar, rule.clock, start, minutes);
    let window = |stage| rule.stage(stage).window_minutes;
    let determination = times.determination;

    let acknowledge = StageDue {
        stage: Stage::Acknowledge,
        start: times.sent_at,
        due: add(times.sent_at, window(Stage::Acknowledge)),
        projected_start: false,
        completed_at: times.acknowledged_at,
        not_applicable: false,
        due_from_findings_by: false,
        window_minutes: window(Stage::Acknowledge),
        clock: rule.clock,
    };

    let (det_start, det_projected) = match times.acknowledged_at {
        Some(at) => (at, false),
        None => (acknowledge.due, true),
    };
    // A help or more-time request counts only when made by the original due time (issue 13):
    // a late one leaves the stage late, its passed escalations passed.
    let original_due = add(det_start, window(Stage::Determine));
    let findings_by = determination
        .filter(|d| d.requested_at.is_none_or(|at| at <= original_due))
        .and_then(|d| d.findings_by);
    let determine = StageDue {
        stage: Stage::Determine,
        start: det_start,
        due: match findings_by {
            Some(by) => by.max(det_start),
            None => original_due,
        },
        projected_start: det_projected,
        completed_at: determination.filter(|d| d.outcome.is_final()).map(|d| d.at),
        not_applicable: false,
        due_from_findings_by: findings_by.is_some(),
        window_minutes: window(Stage::Determine),
        clock: rule.clock,
    };

    let (rec_start, rec_projected, not_applicable) = match determination {
        Some(d) if d.outcome == Outcome::ConfirmedIncident => (d.at, false, false),
        Some(d) if d.outcome == Outcome::FalsePositive => (d.at, false, true),
        _ => (determine.due, true, false),
    };
    let record = StageDue {
        stage: Stage::Record,
        start: rec_start,
        due: if not_applicable {
            rec_start
        } else {
            add(rec_start, window(Stage::Record))
        },
        projected_start: rec_projected,
        completed_at: if not_applicable {
            None
        } else {
            times.linked_at
        },
        not_applicable,
        due_from_findings_by: false,
        window_minutes: window(Stage::Record),
        clock: rule.clock,
    };

    let escalation_on = match escalation_clock {
        EscalationClock::SameAsWindow => rule.clock,
        EscalationClock::LiteralClockHours => ClockKind::Clock,
    };
    let stages = [acknowledge, determine, record];
    let mut escalations = Vec::new();
    for due in stages.iter().filter(|s| !s.not_applicable) {
        let stage_rule = rule.stage(due.stage);
        for (i, offset) in stage_rule.escalation_minutes.into_iter().enumerate() {
            let level = i as u8 + 1;
            // After a more-time request the ladder keeps its distance from the (new) due time; a
            // date given on a closed day rolls to the next opening for every level alike.
            let at = if due.due_from_findings_by {
                add_on_clock(
                    calendar,
                    escalation_on,
                    rolled_to_open(calendar, escalation_on, due.due),
                    offset.saturating_sub(stage_rule.window_minutes),
                )
            } else {
                add_on_clock(calendar, escalation_on, due.start, offset)
            };
            escalations.push(Escalation {
                stage: due.stage,
                level,
                at,
                recipients: escalation_level(level).map(|l| l.to).unwrap_or(""),
                averted: due.completed_at.is_some_and(|done| done <= at),
                projected: due.projected_start,
            });
        }
    }
    Schedule {
        level: rule.id,
        clock: rule.clock,
        escalation_clock,
        stages,
        escalations,
    }
}

/// On the business clock, a time outside business hours moves to the next opening (a time exactly
/// at a closing stays: it is that closing). Adding zero business minutes would leave it unmoved
/// while any positive offset rolls, so a findings date on a Sunday would split the ladder.
fn rolled_to_open(
    calendar: &CompiledCalendar,
    clock: ClockKind,
    at: DateTime<Utc>,
) -> DateTime<Utc> {
    let closing = calendar.is_open_at(at - TimeDelta::seconds(1));
    if clock == ClockKind::Business && !calendar.is_open_at(at) && !closing {
        calendar.next_opening(at)
    } else {
        at
    }
}

/// Where one stage stands at `now`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum StageState {
    Done {
        at: DateTime<Utc>,
        late_by_minutes: i64,
    },
    DueIn {
        minutes: i64,
    },
    Overdue {
        minutes: i64,
    },
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageStatus {
    pub stage: Stage,
    #[serde(flatten)]
    pub state: StageState,
    pub due: DateTime<Utc>,
    /// `due` in the calendar's zone, e.g. "Mon 2026-03-09 09:00 PDT".
    pub due_local: String,
    pub projected: bool,
    /// Business minutes left until `due` (business-clock levels, open stages not yet overdue).
    pub business_minutes_left: Option<i64>,
    /// One line for people: "due in 1 h 20 min (Mon 2026-03-09 10:00 PDT)", "overdue by 15 min", ...
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockStatus {
    pub now: DateTime<Utc>,
    pub stages: Vec<StageStatus>,
    /// The first stage neither done nor not applicable; `None` when the SEN is answered in full.
    pub current_stage: Option<Stage>,
    /// The next escalation that will happen if nothing is done (started stages only).
    pub next_escalation: Option<Escalation>,
    /// One line for people about `next_escalation`: "Level 1 (Statewide Incident Program Manager
    /// (SIPM)) at Mon 2026-03-09 09:00 PDT, in 45 min".
    pub next_escalation_text: Option<String>,
    /// Escalations whose time has passed on a stage still open: the SEN has (presumably) been escalated.
    pub escalated: Vec<Escalation>,
}

pub fn status(schedule: &Schedule, calendar: &CompiledCalendar, now: DateTime<Utc>) -> ClockStatus {
    let stages: Vec<StageStatus> = schedule
        .stages
        .iter()
        .map(|s| stage_status(s, calendar, now))
        .collect();
    let current_stage = schedule
        .stages
        .iter()
        .find(|s| !s.not_applicable && s.completed_at.is_none())
        .map(|s| s.stage);
    let live = |e: &&Escalation| {
        let stage = schedule.stage(e.stage);
        !e.averted && !stage.projected_start && stage.completed_at.is_none()
    };
    let next_escalation = schedule
        .escalations
        .iter()
        .filter(live)
        .filter(|e| e.at > now)
        .min_by_key(|e| e.at)
        .cloned();
    let escalated = schedule
        .escalations
        .iter()
        .filter(live)
        .filter(|e| e.at <= now)
        .cloned()
        .collect();
    let next_escalation_text = next_escalation.as_ref().map(|e| {
        format!(
            "Level {} ({}) at {}, in {}",
            e.level,
            e.recipients,
            calendar.format_local(e.at),
            human_minutes(ceil_minutes(e.at - now))
        )
    });
    ClockStatus {
        now,
        stages,
        current_stage,
        next_escalation,
        next_escalation_text,
        escalated,
    }
}

fn stage_status(due: &StageDue, calendar: &CompiledCalendar, now: DateTime<Utc>) -> StageStatus {
    let when = calendar.format_local(due.due);
    let projected = if due.projected_start {
        ", projected"
    } else {
        ""
    };
    let (state, business_minutes_left, text) = if due.not_applicable {
        (
            StageState::NotApplicable,
            None,
            "not applicable (false positive)".to_string(),
        )
    } else if let Some(at) = due.completed_at {
        let late = ceil_minutes(at - due.due).max(0);
        let text = if late > 0 {
            format!(
                "done {} ({} late)",
                calendar.format_local(at),
                human_minutes(late)
            )
        } else {
            format!("done {} (on time)", calendar.format_local(at))
        };
        (
            StageState::Done {
                at,
                late_by_minutes: late,
            },
            None,
            text,
        )
    } else if now <= due.due {
        let minutes = ceil_minutes(due.due - now);
        let business = (due.clock == ClockKind::Business)
            .then(|| ceil_minutes(calendar.business_time_between(now, due.due)));
        let text = match business {
            Some(b) if b != minutes => {
                format!(
                    "due in {} ({} business; {when}{projected})",
                    human_minutes(minutes),
                    human_minutes(b)
                )
            }
            _ => format!("due in {} ({when}{projected})", human_minutes(minutes)),
        };
        (StageState::DueIn { minutes }, business, text)
    } else {
        let minutes = ceil_minutes(now - due.due);
        (
            StageState::Overdue { minutes },
            None,
            format!("overdue by {} (was due {when})", human_minutes(minutes)),
        )
    };
    StageStatus {
        stage: due.stage,
        state,
        due: due.due,
        due_local: when,
        projected: due.projected_start,
        business_minutes_left,
        text,
    }
}

/// Whole minutes, rounded up (30 s left shows as 1 min).
fn ceil_minutes(delta: TimeDelta) -> i64 {
    let secs = delta.num_seconds() + i64::from(delta.subsec_nanos() > 0);
    (secs + 59).div_euclid(60)
}

/// "45 min", "2 h", "2 h 15 min", "3 d 4 h".
pub fn human_minutes(minutes: i64) -> String {
    let m = minutes.abs();
    let (d, h, min) = (m / 1440, (m % 1440) / 60, m % 60);
    let text = match (d, h, min) {
        (0, 0, min) => format!("{min} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, min) => format!("{h} h {min} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    };
    if minutes < 0 {
        format!("-{text}")
    } else {
        text
    }
}
