//! The reminder plan (pure).

use super::key::window_key;
use super::prefs::ReminderPrefs;
use super::text::render;
use super::{EscalationNote, Fired, Point, Record, Reminder, ReminderKey, Severity, Subject};
use crate::calendar::CompiledCalendar;
use crate::report::{Deadlines, ReportId, Timeframe};
use crate::sen::deadlines::add_on_clock;
use crate::sen::{levels, ClockKind, EscalationClock, Schedule, Sen, SenNumber, StageDue};
use chrono::{DateTime, Days, NaiveTime, TimeDelta, Utc};
use std::collections::{HashMap, HashSet};

/// One open SEN with its clock: what the plan needs of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SenClock {
    pub sen_number: SenNumber,
    /// Level id, e.g. "critical".
    pub level: String,
    /// "Critical".
    pub level_label: String,
    /// The SOC's summary.
    pub summary: String,
    pub schedule: Schedule,
}

impl SenClock {
    /// The clock of a SEN, or `None` for a level this edition of the standard has no windows for.
    pub fn of(sen: &Sen, calendar: &CompiledCalendar, escalation_clock: EscalationClock) -> Option<SenClock> {
        let rule = levels::rule(&sen.level)?;
        Some(SenClock {
            sen_number: sen.sen_number.clone(),
            level: rule.id.to_string(),
            level_label: rule.label.to_string(),
            summary: sen.summary.clone(),
            schedule: crate::sen::schedule(rule, calendar, &sen.times(), escalation_clock),
        })
    }
}

/// One incident report not yet received by Cal-CSIRS, with its deadlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportClock {
    pub report_id: ReportId,
    /// First line of the description ("" for a new draft).
    pub title: String,
    pub deadlines: Deadlines,
    /// Submitted but still in the outbox: queued is not reported, so the clock keeps counting
    /// until the portal confirms receipt (issue 13).
    pub queued: bool,
}

/// Said beside a queued report's (or response's) running clock.
pub const QUEUED_NOT_RECEIVED: &str = "Queued, not yet received by Cal-CSIRS.";

/// The reminders still due, in time order (then by key): every point of every open window whose
/// reminder has not fired, past points included (they are due at once). `now` only sets the
/// wording of past points ("overdue by 20 min").
///
/// A point is covered, and left out, when a reminder for the same record and the same stage (or
/// report deadline) fired at or after the point's time: the ISO was told since. This keeps a
/// restart, a preference change or a calendar edit from repeating what was already shown, while a
/// deadline that moves later (more time requested) is planned again.
pub fn plan(
    sens: &[SenClock],
    reports: &[ReportClock],
    prefs: &ReminderPrefs,
    calendar: &CompiledCalendar,
    fired: &Fired,
    now: DateTime<Utc>,
) -> Vec<Reminder> {
    plan_inner(sens, reports, prefs, calendar, fired, Some(now))
}

/// The same plan without the texts (the scheduler renders only what it shows): it does not
/// depend on the time, so it can be kept until the data changes.
pub(crate) fn plan_untexted(
    sens: &[SenClock],
    reports: &[ReportClock],
    prefs: &ReminderPrefs,
    calendar: &CompiledCalendar,
    fired: &Fired,
) -> Vec<Reminder> {
    plan_inner(sens, reports, prefs, calendar, fired, None)
}

fn plan_inner(
    sens: &[SenClock],
    reports: &[ReportClock],
    prefs: &ReminderPrefs,
    calendar: &CompiledCalendar,
    fired: &Fired,
    now: Option<DateTime<Utc>>,
) -> Vec<Reminder> {
    let mut covered: HashMap<&str, DateTime<Utc>> = HashMap::new();
    for (key, at) in fired {
        let window = key.window().unwrap_or(key.as_str());
        let latest = covered.entry(window).or_insert(*at);
        *latest = (*latest).max(*at);
    }
    let mut out = Vec::new();
    for sen in sens {
        sen_reminders(sen, prefs, calendar, &mut out);
    }
    if prefs.report_deadlines {
        for report in reports {
            report_reminders(report, prefs, calendar, &mut out);
        }
    }
    let quiet = prefs.quiet_hours.window();
    let mut due: Vec<Reminder> = out
        .into_iter()
        .map(|mut r| {
            if let (Some(window), false) = (quiet, r.severity.is_critical()) {
                if let Some(release) = quiet_release(r.planned_at, calendar, window) {
                    r.at = release;
                    r.held_by_quiet_hours = true;
                }
            }
            r
        })
        .filter(|r| {
            let window = r.key.window().unwrap_or(r.key.as_str());
            covered.get(window).is_none_or(|fired_at| *fired_at < r.at)
        })
        .map(|mut r| {
            if let Some(now) = now {
                let texts = render(&r, calendar, r.at.max(now));
                (r.title, r.body) = (texts.title, texts.body);
            }
            r
        })
        .collect();
    due.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.key.cmp(&b.key)));
    due
}

/// The open stage of a SEN: the first one neither done nor not applicable, when it has started
/// (a projected stage cannot be acted on yet, and its times still move) and runs a deadline (a
/// help request made in time stops the determination's: nothing to remind of, nothing overdue).
pub(super) fn open_stage(schedule: &Schedule) -> Option<&StageDue> {
    schedule
        .stages
        .iter()
        .find(|s| !s.not_applicable && s.completed_at.is_none())
        .filter(|s| !s.projected_start && !s.help_pending)
}

fn sen_reminders(sen: &SenClock, prefs: &ReminderPrefs, calendar: &CompiledCalendar, out: &mut Vec<Reminder>) {
    let Some(stage) = open_stage(&sen.schedule) else {
        return;
    };
    let escalations: Vec<EscalationNote> = sen
        .schedule
        .escalations
        .iter()
        .filter(|e| e.stage == stage.stage && !e.averted)
        .map(|e| EscalationNote { level: e.level, at: e.at, recipients: e.recipients })
        .collect();
    let window = if stage.due_from_findings_by {
        "until the findings date given with the request for more time".to_string()
    } else {
        window_text(stage.window_minutes, stage.clock)
    };
    let record = Record::Sen { sen_number: sen.sen_number.clone() };
    // The due point's; `push_points` gives each point its own.
    let template = Reminder {
        key: ReminderKey::new(&record, Subject::Stage { stage: stage.stage }, Point::Due),
        at: stage.due,
        planned_at: stage.due,
        held_by_quiet_hours: false,
        route: record.route(),
        record,
        label: sen.sen_number.to_string(),
        severity: Severity::of_level(&sen.level),
        severity_label: sen.level_label.clone(),
        subject: Subject::Stage { stage: stage.stage },
        point: Point::Due,
        start: stage.start,
        due: stage.due,
        clock: stage.clock,
        window,
        escalations: escalations.clone(),
        context: sen.summary.clone(),
        title: String::new(),
        body: String::new(),
    };
    let mut points = window_points(prefs, calendar, stage.clock, stage.start, stage.due);
    if prefs.at_escalations {
        for e in &escalations {
            // At the due time the first escalation usually happens too: one reminder says both.
            if !(prefs.at_due && e.at == stage.due) {
                points.push((e.at, Point::Escalation { level: e.level }));
            }
        }
    }
    push_points(&template, points, out);
}

fn report_reminders(report: &ReportClock, prefs: &ReminderPrefs, calendar: &CompiledCalendar, out: &mut Vec<Reminder>) {
    let record = Record::Report { report_id: report.report_id.clone() };
    let label =
        if report.title.trim().is_empty() { "Untitled report".to_string() } else { report.title.trim().to_string() };
    let cal_due = report.deadlines.cal_csirs.due_at;
    let mut windows: Vec<(Subject, DateTime<Utc>, u32)> = Vec::new();
    if let Some(due) = cal_due {
        windows.push((Subject::CalCsirs, due, 1));
    }
    if let Some(federal) = &report.deadlines.federal {
        if let (Timeframe::WithinHours { hours }, Some(due)) = (federal.timeframe, federal.due_at) {
            // A federal timeframe ending with the Cal-CSIRS one is said in that reminder.
            if Some(due) != cal_due {
                windows.push((Subject::Federal { title: federal.title }, due, hours));
            }
        }
    }
    for (subject, due, hours) in windows {
        let start = due - TimeDelta::hours(i64::from(hours));
        let template = Reminder {
            key: ReminderKey::new(&record, subject, Point::Due),
            at: due,
            planned_at: due,
            held_by_quiet_hours: false,
            route: record.route(),
            record: record.clone(),
            label: label.clone(),
            severity: Severity::Critical,
            severity_label: "Report".into(),
            subject,
            point: Point::Due,
            start,
            due,
            clock: ClockKind::Clock,
            window: window_text(hours * 60, ClockKind::Clock),
            escalations: Vec::new(),
            context: [
                report.queued.then(|| QUEUED_NOT_RECEIVED.to_string()),
                report
                    .deadlines
                    .federal
                    .as_ref()
                    .filter(|f| f.due_at == Some(due) && subject == Subject::CalCsirs)
                    .map(|f| format!("The federal {} timeframe ends at the same time.", f.title)),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" "),
            title: String::new(),
            body: String::new(),
        };
        push_points(&template, window_points(prefs, calendar, ClockKind::Clock, start, due), out);
    }
}

/// Half, minutes-before and due points of one window, per the preferences.
fn window_points(
    prefs: &ReminderPrefs,
    calendar: &CompiledCalendar,
    clock: ClockKind,
    start: DateTime<Utc>,
    due: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, Point)> {
    let mut points = Vec::new();
    if due <= start {
        if prefs.at_due {
            points.push((due, Point::Due));
        }
        return points;
    }
    if prefs.at_half_window {
        points.push((midpoint(calendar, clock, start, due), Point::Half));
    }
    for minutes in &prefs.minutes_before {
        let at = due - TimeDelta::minutes(i64::from(*minutes));
        if at > start {
            points.push((at, Point::Before { minutes: *minutes }));
        }
    }
    if prefs.at_due {
        points.push((due, Point::Due));
    }
    points
}

/// Half of the window on its own clock (business minutes for High and Medium).
fn midpoint(calendar: &CompiledCalendar, clock: ClockKind, start: DateTime<Utc>, due: DateTime<Utc>) -> DateTime<Utc> {
    match clock {
        ClockKind::Clock => start + (due - start) / 2,
        ClockKind::Business => {
            let minutes = calendar.business_minutes_between(start, due).max(0) / 2;
            add_on_clock(calendar, clock, start, u32::try_from(minutes).unwrap_or(u32::MAX))
        }
    }
}

/// One reminder per instant: of two points at the same time, the later kind (due over minutes
/// before over half) says it.
fn push_points(template: &Reminder, mut points: Vec<(DateTime<Utc>, Point)>, out: &mut Vec<Reminder>) {
    points.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.rank().cmp(&a.1.rank())));
    points.dedup_by(|later, earlier| later.0 == earlier.0);
    for (at, point) in points {
        let mut r = template.clone();
        r.key = ReminderKey::new(&r.record, r.subject, point);
        r.at = at;
        r.planned_at = at;
        r.point = point;
        r.escalations = match point {
            Point::Escalation { level } => template.escalations.iter().filter(|e| e.level >= level).cloned().collect(),
            _ => template.escalations.iter().filter(|e| e.at >= at).cloned().collect(),
        };
        out.push(r);
    }
}

/// When quiet hours hold back a reminder planned at `at`: their end, if `at` falls inside them.
fn quiet_release(
    at: DateTime<Utc>,
    calendar: &CompiledCalendar,
    (start, end): (NaiveTime, NaiveTime),
) -> Option<DateTime<Utc>> {
    let local = at.with_timezone(&calendar.time_zone());
    let t = local.time();
    let inside = if start < end { start <= t && t < end } else { t >= start || t < end };
    if !inside {
        return None;
    }
    let day = if t < end { local.date_naive() } else { local.date_naive().checked_add_days(Days::new(1))? };
    Some(calendar.local_to_instant(day, end))
}

/// "1 clock hour", "30 clock minutes", "2 business hours".
fn window_text(minutes: u32, clock: ClockKind) -> String {
    let kind = match clock {
        ClockKind::Clock => "clock",
        ClockKind::Business => "business",
    };
    match (minutes / 60, minutes % 60) {
        (1, 0) => format!("1 {kind} hour"),
        (h, 0) => format!("{h} {kind} hours"),
        (0, m) => format!("{m} {kind} minutes"),
        (h, m) => format!("{h} {kind} hours {m} minutes"),
    }
}

/// The windows open now, as key prefixes (`sen:SOC-0123:acknowledge`): a reminder's banner stays
/// while its window is open.
pub fn live_stages(sens: &[SenClock], reports: &[ReportClock]) -> HashSet<String> {
    let mut live = HashSet::new();
    for sen in sens {
        if let Some(stage) = open_stage(&sen.schedule) {
            let record = Record::Sen { sen_number: sen.sen_number.clone() };
            live.insert(window_key(&record, Subject::Stage { stage: stage.stage }));
        }
    }
    for report in reports {
        let record = Record::Report { report_id: report.report_id.clone() };
        if report.deadlines.cal_csirs.due_at.is_some() {
            live.insert(window_key(&record, Subject::CalCsirs));
        }
        if let Some(federal) = report.deadlines.federal.as_ref().filter(|f| f.due_at.is_some()) {
            live.insert(window_key(&record, Subject::Federal { title: federal.title }));
        }
    }
    live
}
