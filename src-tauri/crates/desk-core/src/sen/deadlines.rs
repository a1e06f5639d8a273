//! The SEN response clock: due times and escalation times of the three stages (SIMM 5335-A III.D,
//! III.G.2), from the times known so far. Pure: everything it needs is passed in.
//!
//! Readings (domain.md): a stage that has not started is projected from the previous stage's due
//! time and real times replace projections; "more time requested" moves the determination due to
//! the date the entity gave, and that stage's escalations keep their distance from the due time;
//! escalation offsets run on the clock chosen by [`EscalationClock`].
//!
//! Help requests (issue 13; seed 002 III.A 3d "The notified Agency/state entity may request SOC
//! assistance with making a determination", III.D "unless requested help or more time needed is
//! provided"): a help request made by the determination's due time answers the window. While it is
//! open (no final determination yet) the determination stage has no running deadline and shows
//! "help requested"; its escalations at or after the request are averted (the SOC escalates "when
//! no response is received", and a help request is a response); the record stage waits for the
//! determination and is not projected. A final determination made later is on time. A help
//! request made after the due time counts for nothing: the stage stays late and its passed
//! escalations stay passed, exactly like a late more-time request.

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
    /// Assistance requested from the SOC with making the determination (002 III.A 3d): no findings
    /// date; while open (and made in time) no determination deadline runs. Sent to the portal as
    /// `more_time` without `findings_by` (see [`crate::sen::help::HELP_DETAILS_PREFIX`]).
    RequestHelp,
}

impl Outcome {
    pub const ALL: [Outcome; 4] =
        [Outcome::ConfirmedIncident, Outcome::FalsePositive, Outcome::MoreTime, Outcome::RequestHelp];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::ConfirmedIncident => "confirmed_incident",
            Outcome::FalsePositive => "false_positive",
            Outcome::MoreTime => "more_time",
            Outcome::RequestHelp => "request_help",
        }
    }

    pub fn parse(value: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == value.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::ConfirmedIncident => "Confirmed incident",
            Outcome::FalsePositive => "False positive",
            Outcome::MoreTime => "More time requested",
            Outcome::RequestHelp => "Assistance requested from the SOC",
        }
    }

    /// The outcome as the portal contract spells it (`confirmed_incident | false_positive |
    /// more_time`): a help request travels as `more_time`.
    pub fn wire(self) -> &'static str {
        match self {
            Outcome::RequestHelp => Outcome::MoreTime.as_str(),
            other => other.as_str(),
        }
    }

    /// True for the outcomes that end the determination stage.
    pub fn is_final(self) -> bool {
        !matches!(self, Outcome::MoreTime | Outcome::RequestHelp)
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
    /// When assistance was (last) requested from the SOC, kept after a later final determination.
    /// Counts only when made by the due time in force then.
    #[serde(default)]
    pub help_requested_at: Option<DateTime<Utc>>,
}

/// What is known of one SEN's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SenTimes {
    pub sent_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub determination: Option<DeterminationTimes>,
    pub linked_at: Option<DateTime<Utc>>,
}

/// Why given times cannot be one SEN's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutOfOrder {
    /// A SEN is acknowledged after it was sent.
    AcknowledgedBeforeSent,
    /// The determination follows the acknowledgement: there is none.
    DeterminedWithoutAcknowledgement,
    /// The determination follows the acknowledgement: it is earlier.
    DeterminedBeforeAcknowledged,
}

impl SenTimes {
    /// The timeline of given times (what-if: `sen deadlines`), in the order a SEN is answered: sent,
    /// acknowledged, determined. `determined_at` is taken as a confirmed-incident determination (it
    /// starts the incident-record stage).
    pub fn given(
        sent_at: DateTime<Utc>,
        acknowledged_at: Option<DateTime<Utc>>,
        determined_at: Option<DateTime<Utc>>,
    ) -> Result<SenTimes, OutOfOrder> {
        match (acknowledged_at, determined_at) {
            (Some(ack), _) if ack < sent_at => return Err(OutOfOrder::AcknowledgedBeforeSent),
            (None, Some(_)) => return Err(OutOfOrder::DeterminedWithoutAcknowledgement),
            (Some(ack), Some(det)) if det < ack => return Err(OutOfOrder::DeterminedBeforeAcknowledged),
            _ => {}
        }
        Ok(SenTimes {
            sent_at,
            acknowledged_at,
            determination: determined_at.map(|at| DeterminationTimes {
                at,
                outcome: Outcome::ConfirmedIncident,
                findings_by: None,
                requested_at: None,
                help_requested_at: None,
            }),
            linked_at: None,
        })
    }
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
    /// Determination stage: the help request (made in time) that answers this stage; `due` is then
    /// the due time that was in force when it was made.
    pub help_requested_at: Option<DateTime<Utc>>,
    /// True while a help request made in time waits for the final determination: no deadline runs
    /// on this stage (determination), or it cannot start yet (record).
    pub help_pending: bool,
    /// A help or more-time request made after the due time: it does not count (the stage stays late).
    pub late_request_at: Option<DateTime<Utc>>,
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
    /// True when the stage was completed at or before `at`, or a help request made in time answered
    /// it by then, so this escalation does not happen.
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
        help_requested_at: None,
        help_pending: false,
        late_request_at: None,
        window_minutes: window(Stage::Acknowledge),
        clock: rule.clock,
    };

    let (det_start, det_projected) = match times.acknowledged_at {
        Some(at) => (at, false),
        None => (acknowledge.due, true),
    };
    // A help or more-time request counts only when made by the due time in force then (issue 13):
    // a late one leaves the stage late, its passed escalations passed.
    let requests = determination.map(requests_of).unwrap_or_default();
    let mut due = add(det_start, window(Stage::Determine));
    let mut from_findings_by = false;
    let mut help: Option<DateTime<Utc>> = None;
    let mut late_request_at = None;
    for (at, findings_by) in requests.into_iter().flatten() {
        if help.is_none() && at.is_some_and(|at| at > due) {
            late_request_at = at;
            continue;
        }
        match findings_by {
            Some(by) => {
                due = by.max(det_start);
                from_findings_by = true;
                help = None;
            }
            None => help = help.or(at),
        }
    }
    let final_at = determination.filter(|d| d.outcome.is_final()).map(|d| d.at);
    let determine = StageDue {
        stage: Stage::Determine,
        start: det_start,
        due,
        projected_start: det_projected,
        completed_at: final_at,
        not_applicable: false,
        due_from_findings_by: from_findings_by,
        help_requested_at: help,
        help_pending: help.is_some() && final_at.is_none(),
        late_request_at,
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
        due: if not_applicable { rec_start } else { add(rec_start, window(Stage::Record)) },
        projected_start: rec_projected,
        completed_at: if not_applicable { None } else { times.linked_at },
        not_applicable,
        due_from_findings_by: false,
        help_requested_at: None,
        // The record stage starts at a confirmed determination; while help is pending it waits.
        help_pending: determine.help_pending,
        late_request_at: None,
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
                averted: due.completed_at.is_some_and(|done| done <= at)
                    || due.help_requested_at.is_some_and(|asked| asked <= at),
                projected: due.projected_start,
            });
        }
    }
    Schedule { level: rule.id, clock: rule.clock, escalation_clock, stages, escalations }
}

/// A determination's requests (made at, findings date; `None` for a help request) in the order
/// they were made. A more-time request of unknown time (`None`: rows written before the time was
/// kept) is read as made in time, and first.
type Request = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

fn requests_of(d: DeterminationTimes) -> [Option<Request>; 2] {
    let more_time = d.findings_by.map(|by| (d.requested_at, Some(by)));
    let help = d.help_requested_at.map(|at| (Some(at), None));
    match (more_time, help) {
        (Some(m), Some(h)) if h.0 < m.0 => [Some(h), Some(m)],
        (m, h) => [m, h],
    }
}

/// On the business clock, a time outside business hours moves to the next opening (a time exactly
/// at a closing stays: it is that closing). Adding zero business minutes would leave it unmoved
/// while any positive offset rolls, so a findings date on a Sunday would split the ladder.
fn rolled_to_open(calendar: &CompiledCalendar, clock: ClockKind, at: DateTime<Utc>) -> DateTime<Utc> {
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
    /// Determination: assistance was requested from the SOC in time; no deadline runs until the
    /// final determination.
    HelpRequested {
        since: DateTime<Utc>,
    },
    /// Record: cannot start before the determination, which waits on a help request.
    Waiting,
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
    /// The same, exact: what a page counts down from while business time runs
    /// ([`CompiledCalendar::business_clock_at`]).
    #[serde(rename = "business_left_ms", serialize_with = "whole_milliseconds")]
    pub business_time_left: Option<TimeDelta>,
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

impl ClockStatus {
    /// The next instant after `now` at which this status reads differently other than by counting
    /// down: an open stage falls due, or an escalation happens. Whoever shows it asks again then
    /// (and when business time starts or stops, for `business_time_left`).
    pub fn changes_at(&self) -> Option<DateTime<Utc>> {
        let falls_due = self.stages.iter().filter(|s| matches!(s.state, StageState::DueIn { .. })).map(|s| s.due);
        let escalates = self.next_escalation.iter().map(|e| e.at);
        falls_due.chain(escalates).filter(|at| *at > self.now).min()
    }

    /// True when a stage's figure counts business time, which stops and starts with the calendar.
    pub fn counts_business_time(&self) -> bool {
        self.stages.iter().any(|s| s.business_time_left.is_some())
    }
}

pub fn status(schedule: &Schedule, calendar: &CompiledCalendar, now: DateTime<Utc>) -> ClockStatus {
    let stages: Vec<StageStatus> = schedule.stages.iter().map(|s| stage_status(s, calendar, now)).collect();
    let current_stage = schedule.stages.iter().find(|s| !s.not_applicable && s.completed_at.is_none()).map(|s| s.stage);
    let live = |e: &&Escalation| {
        let stage = schedule.stage(e.stage);
        !e.averted && !stage.projected_start && stage.completed_at.is_none()
    };
    let next_escalation = schedule.escalations.iter().filter(live).filter(|e| e.at > now).min_by_key(|e| e.at).cloned();
    let escalated = schedule.escalations.iter().filter(live).filter(|e| e.at <= now).cloned().collect();
    let next_escalation_text = next_escalation.as_ref().map(|e| {
        format!(
            "Level {} ({}) at {}, in {}",
            e.level,
            e.recipients,
            calendar.format_local(e.at),
            human_minutes(ceil_minutes(e.at - now))
        )
    });
    ClockStatus { now, stages, current_stage, next_escalation, next_escalation_text, escalated }
}

fn stage_status(due: &StageDue, calendar: &CompiledCalendar, now: DateTime<Utc>) -> StageStatus {
    let when = calendar.format_local(due.due);
    let projected = if due.projected_start { ", projected" } else { "" };
    let (state, business_time_left, text) = if due.not_applicable {
        (StageState::NotApplicable, None, "not applicable (false positive)".to_string())
    } else if let (true, Some(since)) = (due.help_pending, due.help_requested_at) {
        (
            StageState::HelpRequested { since },
            None,
            format!(
                "help requested from the SOC {} (in time): no deadline runs until the determination",
                calendar.format_local(since)
            ),
        )
    } else if due.help_pending {
        (StageState::Waiting, None, "waits for the determination (help requested from the SOC)".to_string())
    } else if let Some(at) = due.completed_at {
        // A help request made in time answered the window: what comes after it is on time.
        let answered = due.help_requested_at.unwrap_or(at);
        let late = ceil_minutes(answered - due.due).max(0);
        let text = if let Some(asked) = due.help_requested_at {
            format!(
                "done {} (on time: help requested from the SOC {})",
                calendar.format_local(at),
                calendar.format_local(asked)
            )
        } else if late > 0 {
            format!("done {} ({} late)", calendar.format_local(at), human_minutes(late))
        } else {
            format!("done {} (on time)", calendar.format_local(at))
        };
        (StageState::Done { at, late_by_minutes: late }, None, text)
    } else if now <= due.due {
        let minutes = ceil_minutes(due.due - now);
        let business = (due.clock == ClockKind::Business).then(|| calendar.business_time_between(now, due.due));
        let text = match business.map(ceil_minutes) {
            Some(b) if b != minutes => {
                format!("due in {} ({} business; {when}{projected})", human_minutes(minutes), human_minutes(b))
            }
            _ => format!("due in {} ({when}{projected})", human_minutes(minutes)),
        };
        (StageState::DueIn { minutes }, business, text)
    } else {
        let minutes = ceil_minutes(now - due.due);
        (
            StageState::Overdue { minutes },
            None,
            match due.late_request_at {
                Some(asked) => format!(
                    "overdue by {} (was due {when}; the request made {} came after the due time and does not move it)",
                    human_minutes(minutes),
                    calendar.format_local(asked)
                ),
                None => format!("overdue by {} (was due {when})", human_minutes(minutes)),
            },
        )
    };
    StageStatus {
        stage: due.stage,
        state,
        due: due.due,
        due_local: when,
        projected: due.projected_start,
        business_minutes_left: business_time_left.map(ceil_minutes),
        business_time_left,
        text,
    }
}

/// A span as pages count it down: whole milliseconds.
fn whole_milliseconds<S: serde::Serializer>(
    span: &Option<TimeDelta>,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    span.map(|span| span.num_milliseconds()).serialize(serializer)
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
