//! The tray's line: the next deadline still ahead (an open SEN stage or a report deadline) and
//! how many have passed. Pure, from the same clocks the reminder plan reads.

use super::plan::{open_stage, ReportClock, SenClock};
use super::Record;
use crate::calendar::CompiledCalendar;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The tray's line: the next deadline still ahead and how many are past.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outlook {
    pub next: Option<NextDeadline>,
    /// Open SEN stages and unsent report deadlines whose due time has passed.
    pub overdue: usize,
    /// For the tray's tooltip and menu: "Next: SOC-0123 Critical acknowledgement, Mon 2026-03-09
    /// 10:00 PDT (in 25 min)", "2 overdue".
    pub next_text: String,
    pub overdue_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextDeadline {
    pub what: String,
    pub due: DateTime<Utc>,
    pub due_local: String,
    pub route: String,
}

pub fn outlook(sens: &[SenClock], reports: &[ReportClock], calendar: &CompiledCalendar, now: DateTime<Utc>) -> Outlook {
    let mut deadlines: Vec<(DateTime<Utc>, String, String)> = Vec::new();
    for sen in sens {
        if let Some(stage) = open_stage(&sen.schedule) {
            let what = format!("{} {} {}", sen.sen_number, sen.level_label, super::text::stage_noun(stage.stage));
            deadlines.push((stage.due, what, Record::Sen { sen_number: sen.sen_number.clone() }.route()));
        }
    }
    for report in reports {
        let route = Record::Report { report_id: report.report_id.clone() }.route();
        let title = if report.title.trim().is_empty() { "untitled report" } else { report.title.trim() };
        if let Some(due) = report.deadlines.cal_csirs.due_at {
            deadlines.push((due, format!("Cal-CSIRS report ({})", super::text::shorten(title, 60)), route.clone()));
        }
        if let Some(federal) = &report.deadlines.federal {
            if let Some(due) = federal.due_at.filter(|d| Some(*d) != report.deadlines.cal_csirs.due_at) {
                deadlines.push((due, format!("federal report ({})", super::text::shorten(title, 60)), route));
            }
        }
    }
    let overdue = deadlines.iter().filter(|(due, _, _)| *due < now).count();
    let next = deadlines
        .into_iter()
        .filter(|(due, _, _)| *due >= now)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)))
        .map(|(due, what, route)| NextDeadline { what, due, due_local: calendar.format_local(due), route });
    let next_text = match &next {
        Some(n) => format!("Next: {}, {} (in {})", n.what, n.due_local, super::text::minutes_text(n.due - now)),
        None => "No deadline ahead".to_string(),
    };
    let overdue_text = match overdue {
        0 => "Nothing overdue".to_string(),
        1 => "1 overdue".to_string(),
        n => format!("{n} overdue"),
    };
    Outlook { next, overdue, next_text, overdue_text }
}
