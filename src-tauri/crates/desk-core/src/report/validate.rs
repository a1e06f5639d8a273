//! Judging a report, at two levels:
//! - field errors: a value is malformed (an IP that is not one, a port out of range, a discovery
//!   time in the future). Shown on the field; the draft keeps the value.
//! - readiness: REQUIRED fields that are empty block readying/submitting; RECOMMENDED ones are
//!   only listed (reporting must not wait for complete information, seeds 001 and 003).
//!
//! Both walk the schema, so a rule and the control that shows its message share one id.
//! Hidden fields (their `shown_when` does not hold) are neither judged nor listed as missing:
//! the ISO could not see the message.

use super::doc::{pointer, ReportDoc};
use super::schema::{self, GroupRule, Need, ReportField, ReportSection};
use crate::error::FieldError;
use crate::form::FieldKind;
use crate::validate;
use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;
use serde_json::Value;

/// A field (or section, for group needs) that is still empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    pub field: String,
    pub label: String,
}

/// Everything the form shows about a report's content at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Check {
    pub field_errors: Vec<FieldError>,
    pub missing_required: Vec<Missing>,
    pub missing_recommended: Vec<Missing>,
}

impl Check {
    /// The report passes the submission checks: nothing malformed, nothing required missing.
    pub fn is_ready(&self) -> bool {
        self.field_errors.is_empty() && self.missing_required.is_empty()
    }

    /// Why it cannot be readied, each message on its field.
    pub fn blocking_errors(&self) -> Vec<FieldError> {
        let mut errors = self.field_errors.clone();
        errors.extend(self.missing_required.iter().map(|m| {
            FieldError::new(m.field.clone(), format!("{} is required before the report can be sent", m.label))
        }));
        errors
    }
}

/// Parses a report time: RFC 3339 with an offset (the portal's rule for every time).
pub fn parse_time(text: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text).ok()
}

/// Only the missing lists (they do not depend on the time); `field_errors` is empty.
pub fn missing(doc: &ReportDoc) -> Check {
    Check { field_errors: Vec::new(), ..check(doc, DateTime::<Utc>::MAX_UTC) }
}

pub fn check(doc: &ReportDoc, now: DateTime<Utc>) -> Check {
    let tree = match doc.to_value() {
        Ok(tree) => tree,
        Err(e) => {
            return Check { field_errors: vec![FieldError::new("", e.to_string())], ..Check::default() };
        }
    };
    let mut out = Check::default();
    for section in &schema::schema().sections {
        if section.shown_when.as_ref().is_some_and(|c| !c.holds(&tree)) {
            continue;
        }
        check_group(section, &tree, &mut out);
        for field in &section.fields {
            if field.shown_when.as_ref().is_some_and(|c| !c.holds(&tree)) {
                continue;
            }
            for path in paths(section, field, doc) {
                let value = tree.pointer(&pointer(&path)).unwrap_or(&Value::Null);
                if let Err(message) = judge(&field.field.kind, value, now) {
                    out.field_errors.push(FieldError::new(path.clone(), message));
                }
                let needed = field.need_when.as_ref().is_none_or(|c| c.holds(&tree));
                if needed && is_empty(value) {
                    let missing = Missing { field: path, label: field.field.label.to_string() };
                    match field.need {
                        Need::Required => out.missing_required.push(missing),
                        Need::Recommended => out.missing_recommended.push(missing),
                        Need::Optional => {}
                    }
                }
            }
        }
    }
    cross_field(doc, &mut out.field_errors);
    out
}

fn paths(section: &ReportSection, field: &ReportField, doc: &ReportDoc) -> Vec<String> {
    match &section.repeat {
        Some(_) => (0..doc.computers.len()).map(|i| field.field.id.replace('*', &i.to_string())).collect(),
        None => vec![field.field.id.clone()],
    }
}

fn check_group(section: &ReportSection, tree: &Value, out: &mut Check) {
    let Some(group) = &section.group_need else { return };
    if group.when.as_ref().is_some_and(|c| !c.holds(tree)) {
        return;
    }
    let satisfied = match group.rule {
        GroupRule::OneTicked => section
            .fields
            .iter()
            .filter(|f| f.shown_when.is_none())
            .any(|f| tree.pointer(&pointer(&f.field.id)).and_then(Value::as_bool) == Some(true)),
        GroupRule::OneRow => section
            .repeat
            .as_ref()
            .and_then(|r| tree.get(r.list))
            .and_then(Value::as_array)
            .is_some_and(|rows| !rows.is_empty()),
    };
    if !satisfied {
        let missing = Missing { field: section.id.to_string(), label: group.label.to_string() };
        match group.need {
            Need::Required => out.missing_required.push(missing),
            Need::Recommended => out.missing_recommended.push(missing),
            Need::Optional => {}
        }
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Bool(_) | Value::Number(_) | Value::Object(_) => false,
    }
}

fn quoted(s: &str) -> String {
    let short: String = s.chars().take(60).collect();
    let more = if s.chars().count() > 60 { "\u{2026}" } else { "" };
    format!("\u{201c}{short}{more}\u{201d}")
}

/// One value against its control's rules. Empty values are fine here (readiness judges those).
fn judge(kind: &FieldKind, value: &Value, now: DateTime<Utc>) -> Result<(), String> {
    let text = value.as_str().unwrap_or("");
    let trimmed = text.trim();
    match kind {
        FieldKind::Text { max } | FieldKind::Textarea { max } => validate::text(text, *max),
        FieldKind::Email if trimmed.is_empty() => Ok(()),
        FieldKind::Email => validate::email(text),
        FieldKind::Phones => {
            let phones = value.as_array().map(Vec::as_slice).unwrap_or(&[]);
            phones.iter().map(|p| validate::phone(p.as_str().unwrap_or(""))).find(Result::is_err).unwrap_or(Ok(()))
        }
        FieldKind::DateTime => match value.as_str() {
            None => Ok(()),
            Some(s) => match parse_time(s) {
                None => Err(format!(
                    "{} is not a date and time with a time zone (expected e.g. 2024-03-01T08:00:00-08:00)",
                    quoted(s)
                )),
                Some(t) if t > now => Err(format!(
                    "{} is in the future (it is now {})",
                    quoted(s),
                    now.with_timezone(t.offset()).to_rfc3339()
                )),
                Some(_) => Ok(()),
            },
        },
        FieldKind::Checkbox => Ok(()),
        FieldKind::Choice { options } => {
            if text.is_empty() || options.iter().any(|o| o.value == text) {
                Ok(())
            } else {
                Err(format!("{} is not one of the options", quoted(text)))
            }
        }
        FieldKind::IpAddress if trimmed.is_empty() => Ok(()),
        FieldKind::IpAddress => match trimmed.parse::<std::net::IpAddr>() {
            Ok(_) => Ok(()),
            Err(_) => Err(format!("{} is not an IPv4 or IPv6 address (e.g. 10.1.2.3 or 2001:db8::1)", quoted(text))),
        },
        FieldKind::Port if trimmed.is_empty() => Ok(()),
        FieldKind::Port => match whole_number(trimmed) {
            Some(p) if (1..=65535).contains(&p) => Ok(()),
            _ => Err(format!("{} is not a port: use a number from 1 to 65535", quoted(text))),
        },
        FieldKind::Count { .. } if trimmed.is_empty() => Ok(()),
        FieldKind::Count { max } => match whole_number(trimmed) {
            Some(n) if n <= *max => Ok(()),
            Some(_) => Err(format!("{} is more than {max}", quoted(text))),
            None => Err(format!("{} is not a whole number", quoted(text))),
        },
    }
}

fn whole_number(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 19 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn cross_field(doc: &ReportDoc, errors: &mut Vec<FieldError>) {
    let incident = &doc.incident;
    if incident.occurred_unknown {
        return;
    }
    let occurred = incident.occurred_at.as_deref().and_then(parse_time);
    let discovered = incident.discovered_at.as_deref().and_then(parse_time);
    if let (Some(occurred), Some(discovered)) = (occurred, discovered) {
        if occurred > discovered {
            errors.push(FieldError::new(
                "incident.occurred_at",
                format!("the incident cannot have occurred after it was discovered ({})", discovered.to_rfc3339()),
            ));
        }
    }
}
