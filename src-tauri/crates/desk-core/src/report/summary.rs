//! Plain-text outputs: the follow-up tasks a report implies, and the summary to read over the
//! phone to the CISO or CHP ENTAC when Cal-CSIRS is down (seed 001, "Emergency Assistance").

use super::deadline::{deadlines, Deadline, Timeframe};
use super::doc::ReportDoc;
use super::schema::{self, AG_SAMPLE_THRESHOLD, CATEGORY_OPTIONS};
use super::validate::{self, parse_time};
use super::Report;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Something the ISO must do beyond filing, with the seed's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    pub id: &'static str,
    pub text: String,
    pub source: &'static str,
}

pub fn tasks(doc: &ReportDoc) -> Vec<Task> {
    let mut out = Vec::new();
    let pi = &doc.personal_info;
    match pi.involved.as_str() {
        "yes" => {
            out.push(Task {
                id: "ciso_review_of_notice",
                text: "Submit any breach notification to the CISO for review and approval before it is released.".into(),
                source: "\u{201c}Policy requires state entities to submit any breach notification to CISO for review and approval prior to its release.\u{201d} (SIMM 5340-A guidance)",
            });
            let residents = pi.residents_to_notify.trim().parse::<u64>().ok();
            if residents.is_some_and(|n| n > AG_SAMPLE_THRESHOLD) {
                out.push(Task {
                    id: "send_sample_notice_to_ag",
                    text: format!(
                        "Send a sample copy of the breach notification, without any personal information, electronically to the Attorney General ({} California residents to notify; see SIMM 5340-C).",
                        residents.unwrap_or_default()
                    ),
                    source: "\u{201c}Civil Code Section 1798.29 (e) requires any state entity that is required to issue a security breach notification to more than 500 California residents, as a result of a single breach, to electronically submit a sample copy of the breach notification, excluding any personally identifiable information, to the Attorney General.\u{201d}",
                });
            }
        }
        "unknown" => out.push(Task {
            id: "determine_personal_info",
            text: "Find out whether breach notice-triggering personal information (Civil Code 1798.29) is involved.".into(),
            source: "\u{201c}it is also important to report if the incident involves personally identifiable information\u{201d} (SIMM 5340-A guidance)",
        }),
        _ => {}
    }
    out
}

fn when(text: Option<&str>) -> String {
    match text {
        None => "not known yet".into(),
        Some(t) => match parse_time(t) {
            Some(t) => t.format("%Y-%m-%d %H:%M %:z").to_string(),
            None => format!("{t} (as typed)"),
        },
    }
}

fn when_utc(t: DateTime<Utc>, like: Option<&str>) -> String {
    match like.and_then(parse_time) {
        Some(zone) => t.with_timezone(zone.offset()).format("%Y-%m-%d %H:%M %:z").to_string(),
        None => t.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

fn clip(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut out: String = flat.chars().take(max).collect();
    out.push_str("\u{2026} (more in the written report)");
    out
}

fn contact(c: &crate::profile::Contact) -> String {
    let mut parts = Vec::new();
    if !c.name.trim().is_empty() {
        parts.push(c.name.trim().to_string());
    }
    if !c.phones.is_empty() {
        parts.push(c.phones.join(", "));
    }
    if !c.email.trim().is_empty() {
        parts.push(c.email.trim().to_string());
    }
    if parts.is_empty() {
        "MISSING".into()
    } else {
        parts.join(" \u{2014} ")
    }
}

pub(crate) fn category_label(value: &str) -> Option<&'static str> {
    CATEGORY_OPTIONS.iter().find(|(v, _)| *v == value).map(|(_, l)| *l)
}

pub(crate) fn mandatory_categories(doc: &ReportDoc) -> Vec<String> {
    let c = &doc.categories;
    let mut out = Vec::new();
    if c.loss_or_compromise {
        out.push("Loss or compromise of state data or processing resources".to_string());
    }
    if c.criminal_activity {
        let k = &c.criminal;
        let subs: Vec<&str> = [
            (k.unauthorized_access, "unauthorized access"),
            (k.attacks, "attacks"),
            (k.inappropriate_use, "inappropriate use"),
            (k.outage_over_2_hours, "outage or disruption over 2 hours"),
            (k.theft_or_destruction, "theft or destruction of government property"),
            (k.policy_violation, "privacy or security policy violation"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, l)| l)
        .collect();
        out.push(if subs.is_empty() {
            "Criminal activity".to_string()
        } else {
            format!("Criminal activity ({})", subs.join(", "))
        });
    }
    if c.media_coverage {
        out.push("Media coverage".to_string());
    }
    out
}

pub(crate) fn timeframe_text(d: &Deadline, discovered_at: Option<&str>) -> String {
    let due = d.due_at.map(|t| format!(", due {}", when_utc(t, discovered_at))).unwrap_or_default();
    let frame = match d.timeframe {
        Timeframe::WithinHours { hours: 1 } => "within 1 hour of discovery".to_string(),
        Timeframe::WithinHours { hours } => format!("within {hours} hours of discovery"),
        Timeframe::Daily => "daily".into(),
        Timeframe::Weekly => "weekly".into(),
        Timeframe::Monthly => "monthly".into(),
        Timeframe::NotRequired => "not required under the condition given".into(),
        Timeframe::NotApplicable => "not applicable (internal use)".into(),
    };
    format!("{frame}{due}")
}

/// What to read over the phone, in order, short, with the missing fields called out at the end.
/// The CISO and ENTAC numbers are seed 001's; the Cal-CSIRS report is still owed afterwards.
pub fn phone_summary(report: &Report) -> String {
    let doc = &report.doc;
    let mut lines: Vec<String> = vec!["INCIDENT REPORT \u{2014} PHONE SUMMARY".into()];
    if doc.incident.is_law_enforcement_sensitive() {
        // Seed 000: first, before anything else.
        lines.push(super::schema::LAW_ENFORCEMENT_GUIDANCE.to_string());
    }
    lines.extend([
        "Cal-CSIRS down: business hours CISO (916) 445-5239 or security@state.ca.gov; outside business hours, if you need immediate law enforcement assistance, CHP ENTAC (916) 843-4199 (24/7), then notify the CISO the next business day. The Cal-CSIRS report is still owed.".into(),
        String::new(),
    ]);
    let mut id = format!("Report id {}", report.report_id);
    if let Some(n) = &report.incident_number {
        id.push_str(&format!(", incident number {n}"));
    }
    lines.push(id);
    let mut n = 0;
    let mut item = |lines: &mut Vec<String>, label: &str, text: String| {
        n += 1;
        lines.push(format!("{n}. {label}: {text}"));
    };
    let entity =
        [doc.entity.name.trim(), doc.entity.address.trim()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>();
    item(&mut lines, "Entity", if entity.is_empty() { "MISSING".into() } else { entity.join(", ") });
    item(&mut lines, "Reporting person", contact(&doc.reporting_person));
    item(&mut lines, "ISO", contact(&doc.iso));
    if !doc.alternate.name.trim().is_empty() || !doc.alternate.phones.is_empty() {
        item(&mut lines, "Alternate contact", contact(&doc.alternate));
    }
    let discovered = doc.incident.discovered_at.as_deref();
    let d = deadlines(doc);
    let cal = d
        .cal_csirs
        .due_at
        .map(|t| format!(" (Cal-CSIRS 60-minute deadline {})", when_utc(t, discovered)))
        .unwrap_or_default();
    item(&mut lines, "Discovered", format!("{}{cal}", when(discovered)));
    let occurred =
        if doc.incident.occurred_unknown { "unknown".to_string() } else { when(doc.incident.occurred_at.as_deref()) };
    item(&mut lines, "Occurred", occurred);
    let categories = mandatory_categories(doc);
    if !categories.is_empty() {
        item(&mut lines, "Reporting categories", categories.join("; "));
    }
    if let (Some(label), Some(f)) = (category_label(&doc.federal.category), &d.federal) {
        item(&mut lines, "Federal category", format!("{label}, {}", timeframe_text(f, discovered)));
    }
    let description = doc.incident.description.trim();
    item(&mut lines, "What happened", if description.is_empty() { "MISSING".into() } else { clip(description, 600) });
    if !doc.incident.actions_taken.trim().is_empty() {
        item(&mut lines, "Actions taken", clip(&doc.incident.actions_taken, 400));
    }
    if !doc.computers.is_empty() {
        let shown: Vec<String> = doc
            .computers
            .iter()
            .take(5)
            .map(|c| {
                [c.hostname.trim(), c.ip.trim(), c.make_model.trim(), c.location.trim()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .map(|s| if s.is_empty() { "(no details yet)".to_string() } else { s })
            .collect();
        let more = doc.computers.len().saturating_sub(5);
        let more = if more > 0 { format!("; and {more} more") } else { String::new() };
        item(&mut lines, "Affected computers", format!("{}: {}{more}", doc.computers.len(), shown.join("; ")));
    }
    let pi = &doc.personal_info;
    let pi_text = match pi.involved.as_str() {
        "yes" if !pi.residents_to_notify.trim().is_empty() => {
            format!("YES, {} California residents to notify", pi.residents_to_notify.trim())
        }
        "yes" => "YES".into(),
        "no" => "no".into(),
        "unknown" => "not known yet".into(),
        _ => String::new(),
    };
    if !pi_text.is_empty() {
        item(&mut lines, "Personal information (Civil Code 1798.29)", pi_text);
    }
    if !doc.sen.sen_number.trim().is_empty() {
        item(&mut lines, "SOC SEN number", doc.sen.sen_number.trim().to_string());
    }
    let check = validate::missing(doc);
    let names =
        |m: &[validate::Missing]| m.iter().map(|m| missing_label(&m.field, &m.label)).collect::<Vec<_>>().join(", ");
    lines.push(String::new());
    if !check.missing_required.is_empty() {
        lines.push(format!("MISSING (required): {}", names(&check.missing_required)));
    }
    if !check.missing_recommended.is_empty() {
        lines.push(format!("Not known yet: {}", names(&check.missing_recommended)));
    }
    for task in tasks(doc) {
        lines.push(format!("To do: {}", task.text));
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// "IP address (computer 2)" for row fields, the section title for a contact's field.
fn missing_label(field: &str, label: &str) -> String {
    let parts: Vec<&str> = field.split('.').collect();
    match parts.as_slice() {
        ["computers", row, _] => format!("{label} (computer {})", row.parse::<usize>().map(|r| r + 1).unwrap_or(0)),
        [section, _] if ["reporting_person", "iso", "alternate", "entity"].contains(section) => {
            let title = schema::schema().sections.iter().find(|s| s.id == *section).map(|s| s.title).unwrap_or(section);
            format!("{title} {}", label.to_lowercase())
        }
        _ => label.to_string(),
    }
}
