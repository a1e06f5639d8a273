//! What reminders say: each reminder's title and body (what is due, for which SEN or report, and
//! when, in the calendar's zone), and the one notice shown for the reminders due at one moment.

use super::{Point, Record, Reminder, ReminderKey, Subject};
use crate::calendar::CompiledCalendar;
use crate::sen::deadlines::human_minutes;
use crate::sen::Stage;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

/// A reminder delivered more than this after its time says so.
const LATE_AFTER: TimeDelta = TimeDelta::seconds(60);
/// Lines of a summary before "…and N more".
const SUMMARY_LINES: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Texts {
    pub title: String,
    pub body: String,
    /// One line for a summary.
    pub line: String,
}

/// "acknowledgement", "determination", "incident record".
pub(crate) fn stage_noun(stage: Stage) -> &'static str {
    match stage {
        Stage::Acknowledge => "acknowledgement",
        Stage::Determine => "determination",
        Stage::Record => "incident record",
    }
}

fn noun(subject: Subject) -> &'static str {
    match subject {
        Subject::Stage { stage } => stage_noun(stage),
        Subject::CalCsirs => "Cal-CSIRS report",
        Subject::Federal { .. } => "federal report",
    }
}

fn action(subject: Subject) -> String {
    match subject {
        Subject::Stage { stage: Stage::Acknowledge } => "Acknowledge receipt of the SEN".into(),
        Subject::Stage { stage: Stage::Determine } => {
            "Make the false positive or confirmed incident determination (or ask for more time)".into()
        }
        Subject::Stage { stage: Stage::Record } => {
            "Create the Cal-CSIRS incident record and associate it with the SEN".into()
        }
        Subject::CalCsirs => "Report the incident to Cal-CSIRS".into(),
        Subject::Federal { title } => format!("Report to US-CERT ({title})"),
    }
}

/// Whole minutes rounded up, in words: "15 min", "1 h 5 min".
pub(crate) fn minutes_text(delta: TimeDelta) -> String {
    let ms = delta.num_milliseconds().max(0);
    human_minutes((ms + 59_999) / 60_000)
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// At most `max` characters, with an ellipsis when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        text
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{}\u{2026}", cut.trim_end())
    }
}

/// The texts of one reminder shown at `when` (its own time when on time, later when it was
/// caught up after a stop or a sleep).
pub fn render(r: &Reminder, calendar: &CompiledCalendar, when: DateTime<Utc>) -> Texts {
    let local = |t: DateTime<Utc>| calendar.format_local(t);
    let due_local = local(r.due);
    let head = match r.record {
        Record::Sen { .. } => format!("{} {}: ", r.label, r.severity_label),
        Record::Report { .. } => String::new(),
    };
    let tail = match r.record {
        Record::Sen { .. } => String::new(),
        Record::Report { .. } => format!(": {}", shorten(&r.label, 60)),
    };
    let left = r.due - when;
    let status = if left >= LATE_AFTER {
        format!("{} due in {}", noun(r.subject), minutes_text(left))
    } else if left > -LATE_AFTER {
        format!("{} due now", noun(r.subject))
    } else {
        format!("{} overdue by {}", noun(r.subject), minutes_text(-left))
    };
    let mut body = String::new();
    let (title, line) = match r.point {
        Point::Escalation { level } => {
            let this = r.escalations.iter().find(|e| e.level == level);
            body.push_str(&format!(
                "The {} was due {due_local} and is not recorded: SIMM 5335-A escalates the SEN to Level {level}, the {}, at {}. {} as soon as possible.",
                noun(r.subject),
                this.map_or("", |e| e.recipients),
                local(r.planned_at),
                action(r.subject),
            ));
            if let Some(next) = r.escalations.iter().find(|e| e.level > level) {
                body.push_str(&format!(" Level {} ({}) at {}.", next.level, next.recipients, local(next.at)));
            }
            let title = format!("{head}escalated to Level {level}{tail}");
            (title.clone(), format!("{title} ({} was due {due_local})", noun(r.subject)))
        }
        _ => {
            body.push_str(&format!(
                "{} by {due_local}. Window: {} from {}.",
                action(r.subject),
                r.window,
                local(r.start)
            ));
            match r.escalations.iter().find(|e| e.at == r.due) {
                Some(e) if r.point == Point::Due => {
                    body.push_str(&format!(" Level {} escalation to the {} at the same time.", e.level, e.recipients))
                }
                _ => {
                    if let Some(e) = r.escalations.iter().find(|e| e.at > when) {
                        body.push_str(&format!(
                            " Next escalation: Level {} ({}) at {}.",
                            e.level,
                            e.recipients,
                            local(e.at)
                        ));
                    }
                }
            }
            let title = capitalize(&format!("{head}{status}{tail}"));
            (title.clone(), format!("{title} ({due_local})"))
        }
    };
    if !r.context.trim().is_empty() {
        match r.record {
            Record::Sen { .. } => body.push_str(&format!("\nSOC summary: {}", shorten(&r.context, 200))),
            Record::Report { .. } => body.push_str(&format!(" {}", r.context.trim())),
        }
    }
    if let Record::Report { .. } = r.record {
        body.push_str(&format!("\nReport: {}", shorten(&r.label, 120)));
    }
    if r.held_by_quiet_hours {
        body.push_str(&format!("\nHeld back by quiet hours from {}.", local(r.planned_at)));
    }
    if when - r.at > LATE_AFTER {
        body.push_str(&format!(
            "\nReminder planned for {}; Incident Desk was not running or the computer was asleep.",
            local(r.at)
        ));
    }
    Texts { title, body, line }
}

/// The one desktop notification for the reminders due at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub title: String,
    pub body: String,
    /// Any of its reminders is Critical: critical urgency.
    pub critical: bool,
    /// Where "Open" goes: the record, or the SEN board / report list for a summary.
    pub route: String,
    /// The reminders it carries: key and the time it was planned for.
    pub reminders: Vec<(ReminderKey, DateTime<Utc>)>,
}

/// ONE notice for everything in `due` (reminders whose time has come): the reminder itself when
/// there is one; the latest reminder of the record when they are all about one record (it says
/// the most: "overdue by 20 min" beats "due in 15 min"); otherwise a summary with one line per
/// record, Critical first.
pub fn compose(due: &[Reminder], calendar: &CompiledCalendar, now: DateTime<Utc>) -> Option<Notice> {
    let when = |r: &Reminder| if now - r.at <= LATE_AFTER { r.at } else { now };
    let mut records: Vec<&Reminder> = Vec::new();
    for r in due {
        match records.iter_mut().find(|seen| seen.record == r.record) {
            Some(seen) => {
                if (r.at, r.point.rank(), r.planned_at) > (seen.at, seen.point.rank(), seen.planned_at) {
                    *seen = r;
                }
            }
            None => records.push(r),
        }
    }
    let critical = due.iter().any(|r| r.severity.is_critical());
    let reminders = due.iter().map(|r| (r.key.clone(), r.at)).collect();
    match records.as_slice() {
        [] => None,
        [only] => {
            let texts = render(only, calendar, when(only));
            let mut body = texts.body;
            if due.len() > 1 {
                body.push_str(&format!(
                    "\n({} reminders for {} came due together.)",
                    due.len(),
                    shorten(&only.label, 60)
                ));
            }
            Some(Notice { title: texts.title, body, critical, route: only.route.clone(), reminders })
        }
        many => {
            let mut sorted = many.to_vec();
            sorted.sort_by(|a, b| a.severity.cmp(&b.severity).then(a.due.cmp(&b.due)).then(a.key.cmp(&b.key)));
            let labels: Vec<String> = sorted.iter().take(3).map(|r| shorten(&r.label, 30)).collect();
            let more = if sorted.len() > 3 { ", \u{2026}" } else { "" };
            let title = format!("{} deadline reminders: {}{more}", sorted.len(), labels.join(", "));
            let mut lines: Vec<String> =
                sorted.iter().take(SUMMARY_LINES).map(|r| render(r, calendar, when(r)).line).collect();
            if sorted.len() > SUMMARY_LINES {
                lines.push(format!("\u{2026}and {} more in Incident Desk", sorted.len() - SUMMARY_LINES));
            }
            let all_reports = sorted.iter().all(|r| matches!(r.record, Record::Report { .. }));
            let route = if all_reports { "#/reports" } else { "#/sens" }.to_string();
            Some(Notice { title, body: lines.join("\n"), critical, route, reminders })
        }
    }
}
