//! The six acknowledgement / response formats of SIMM 5335-A III.F, as data. Each template is the
//! seed's text; the bracketed parts are what the entity fills in, each named by a placeholder.

use super::deadlines::Outcome;
use crate::error::{Error, FieldError, Result};
use serde::Serialize;
use std::collections::BTreeMap;

const VALUE_MAX: usize = 20_000;

/// One bracketed part of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Placeholder {
    /// Name used in `values` and as the form field id suffix (`values.completion_date`).
    pub name: &'static str,
    /// The bracket's text in the seed, without the brackets.
    pub bracket: &'static str,
    /// Short label for the form.
    pub label: &'static str,
    /// Allowed values, when the seed offers a choice (case is ignored; the listed spelling is used).
    pub choices: &'static [&'static str],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ResponseFormat {
    /// snake_case id: the `format` of the portal acknowledgement body.
    pub id: &'static str,
    pub title: &'static str,
    /// The seed's exact text, brackets included.
    pub template: &'static str,
    pub placeholders: &'static [Placeholder],
    /// True for the formats suggested when acknowledging (the portal accepts all six).
    pub suggested_for_acknowledgement: bool,
    /// The determination outcome this format words, if any (to pre-fill the determination details).
    pub determination_outcome: Option<Outcome>,
}

const fn ph(name: &'static str, bracket: &'static str, label: &'static str) -> Placeholder {
    Placeholder { name, bracket, label, choices: &[] }
}

pub const FORMATS: [ResponseFormat; 6] = [
    ResponseFormat {
        id: "remediation_planned",
        title: "Risk known, remediation planned or in progress",
        template: "Risk known by entity and remediation [Planned or in progress] and will be completed by [Specify date].",
        placeholders: &[
            Placeholder {
                name: "remediation_status",
                bracket: "Planned or in progress",
                label: "Remediation is",
                choices: &["planned", "in progress"],
            },
            ph("completion_date", "Specify date", "Will be completed by"),
        ],
        suggested_for_acknowledgement: true,
        determination_outcome: None,
    },
    ResponseFormat {
        id: "remediation_completed",
        title: "Risk known, remediation completed",
        template: "Risk known by Agency/state entity and remediation completed on [specify date].",
        placeholders: &[ph("completed_on", "specify date", "Remediation completed on")],
        suggested_for_acknowledgement: true,
        determination_outcome: None,
    },
    ResponseFormat {
        id: "investigating",
        title: "Receipt acknowledged, investigating",
        template: "Receipt of SEN acknowledged, and Agency/state entity is investigating. Agency/state entity will provide status or investigative findings by [Specify additional timeframe needed to complete investigation when additional time is requested.].",
        placeholders: &[ph(
            "findings_by",
            "Specify additional timeframe needed to complete investigation when additional time is requested.",
            "Status or findings by",
        )],
        suggested_for_acknowledgement: true,
        determination_outcome: Some(Outcome::MoreTime),
    },
    ResponseFormat {
        id: "mitigated_unknown_risk",
        title: "Confirmed unknown risk, mitigations taken",
        template: "Confirmed unknown risk and the following mitigating actions were taken: [Specify actions taken \u{2013} e.g., firewall or IPS now blocking.].",
        placeholders: &[ph(
            "actions_taken",
            "Specify actions taken \u{2013} e.g., firewall or IPS now blocking.",
            "Mitigating actions taken",
        )],
        suggested_for_acknowledgement: true,
        determination_outcome: None,
    },
    ResponseFormat {
        id: "confirmed_incident",
        title: "Confirmed incident, Cal-CSIRS record created and associated",
        template: "Confirmed incident report created in Cal-CSIRS and Cal-CSIRS incident record is associated with the corresponding SEN record. [Specify details of findings and upload any relevant materials that will assist with alerting and mitigating future attacks against others, e.g., email headers and content, system logs, etc.].",
        placeholders: &[ph(
            "findings",
            "Specify details of findings and upload any relevant materials that will assist with alerting and mitigating future attacks against others, e.g., email headers and content, system logs, etc.",
            "Details of findings",
        )],
        suggested_for_acknowledgement: false,
        determination_outcome: Some(Outcome::ConfirmedIncident),
    },
    ResponseFormat {
        id: "false_positive",
        title: "Confirmed false positive",
        template: "Confirmed false positive. [Specify information about the permitted activity and/or environmental factors that generated the false positive].",
        placeholders: &[ph(
            "cause",
            "Specify information about the permitted activity and/or environmental factors that generated the false positive",
            "Permitted activity / environmental factors",
        )],
        suggested_for_acknowledgement: false,
        determination_outcome: Some(Outcome::FalsePositive),
    },
];

pub fn format(id: &str) -> Option<&'static ResponseFormat> {
    FORMATS.iter().find(|f| f.id == id.trim())
}

/// The format that words a determination outcome.
pub fn for_outcome(outcome: Outcome) -> &'static ResponseFormat {
    FORMATS.iter().find(|f| f.determination_outcome == Some(outcome)).unwrap_or(&FORMATS[2])
}

/// Fills every placeholder of `format` from `values` (keyed by placeholder name). A missing, empty,
/// too long or not-offered value is a field error `values.<name>`; unknown keys are refused too
/// (they would be silently lost otherwise).
pub fn fill(format: &ResponseFormat, values: &BTreeMap<String, String>) -> Result<String> {
    let (text, errors) = render(format, values);
    if errors.is_empty() {
        Ok(text)
    } else {
        Err(Error::Invalid(errors))
    }
}

/// The text as far as it can be filled, while the ISO is still typing: values given replace their
/// brackets, brackets not filled yet stay as they are. `problems` are what [`fill`] would refuse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub text: String,
    /// True when [`fill`] would accept the values (the text is the finished response).
    pub complete: bool,
    pub problems: Vec<FieldError>,
}

pub fn preview(format: &ResponseFormat, values: &BTreeMap<String, String>) -> Preview {
    let (text, problems) = render(format, values);
    Preview { text, complete: problems.is_empty(), problems }
}

fn render(format: &ResponseFormat, values: &BTreeMap<String, String>) -> (String, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut text = format.template.to_string();
    for p in format.placeholders {
        let field = format!("values.{}", p.name);
        let value = values.get(p.name).map(|v| v.trim()).unwrap_or("");
        if value.is_empty() {
            errors.push(FieldError::new(field, format!("fill in \u{201c}{}\u{201d} ([{}])", p.label, p.bracket)));
            continue;
        }
        if let Err(message) = crate::validate::text(value, VALUE_MAX) {
            errors.push(FieldError::new(field, message));
            continue;
        }
        let value = if p.choices.is_empty() {
            value.to_string()
        } else {
            match p.choices.iter().find(|c| c.eq_ignore_ascii_case(value)) {
                Some(choice) => choice.to_string(),
                None => {
                    errors.push(FieldError::new(field, format!("choose one of: {}", p.choices.join(", "))));
                    continue;
                }
            }
        };
        let bracketed = format!("[{}]", p.bracket);
        let after = text.find(&bracketed).map(|i| &text[i + bracketed.len()..]).unwrap_or("");
        // The template already ends the sentence; "blocking.]." filled with "blocking." must not read "blocking..".
        let value = if after.starts_with('.') { value.trim_end_matches('.').to_string() } else { value };
        text = text.replacen(&bracketed, &value, 1);
    }
    for key in values.keys() {
        if !format.placeholders.iter().any(|p| p.name == key) {
            errors.push(FieldError::new(
                format!("values.{key}"),
                format!("the \u{201c}{}\u{201d} format has no such value", format.title),
            ));
        }
    }
    (text, errors)
}
