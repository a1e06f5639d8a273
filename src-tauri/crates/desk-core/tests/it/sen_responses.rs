//! The six acknowledgement / response formats of SIMM 5335-A III.F.

use desk_core::sen::deadlines::Outcome;
use desk_core::sen::responses::{fill, for_outcome, format, FORMATS};
use std::collections::BTreeMap;

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Filling format `id` with `pairs` gives `expected`.
fn check(id: &str, pairs: &[(&str, &str)], expected: &str) {
    let f = format(id).expect("known format");
    assert_eq!(fill(f, &values(pairs)).expect("fills"), expected, "{id}");
}

#[test]
fn templates_are_the_seed_text() {
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../shared/seeds/002_bb11e2402b6a29a5.txt"
    ))
    .ok()
    .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));
    let ids: Vec<&str> = FORMATS.iter().map(|f| f.id).collect();
    assert_eq!(
        ids,
        [
            "remediation_planned",
            "remediation_completed",
            "investigating",
            "mitigated_unknown_risk",
            "confirmed_incident",
            "false_positive",
        ]
    );
    for f in FORMATS {
        for p in f.placeholders {
            assert!(f.template.contains(&format!("[{}]", p.bracket)), "{} has [{}]", f.id, p.bracket);
        }
        // When the seed is reachable (it is in this project's shared folder), each template is verbatim.
        if let Some(seed) = &seed {
            assert!(seed.contains(f.template), "{} is not verbatim: {}", f.id, f.template);
        }
    }
}

#[test]
fn fills_every_format() {
    check(
        "remediation_planned",
        &[("remediation_status", "In Progress"), ("completion_date", "2026-04-15")],
        "Risk known by entity and remediation in progress and will be completed by 2026-04-15.",
    );
    check(
        "remediation_completed",
        &[("completed_on", "2026-03-01")],
        "Risk known by Agency/state entity and remediation completed on 2026-03-01.",
    );
    check(
        "investigating",
        &[("findings_by", "Thursday 2026-03-05 12:00 PST")],
        "Receipt of SEN acknowledged, and Agency/state entity is investigating. Agency/state entity will provide status or investigative findings by Thursday 2026-03-05 12:00 PST.",
    );
    check(
        "mitigated_unknown_risk",
        &[("actions_taken", "Firewall now blocking 203.0.113.7.")],
        "Confirmed unknown risk and the following mitigating actions were taken: Firewall now blocking 203.0.113.7.",
    );
    check(
        "confirmed_incident",
        &[("findings", "Phishing mail opened on one workstation; headers attached")],
        "Confirmed incident report created in Cal-CSIRS and Cal-CSIRS incident record is associated with the corresponding SEN record. Phishing mail opened on one workstation; headers attached.",
    );
    check(
        "false_positive",
        &[("cause", "Authorized vulnerability scan by our contractor")],
        "Confirmed false positive. Authorized vulnerability scan by our contractor.",
    );
}

#[test]
fn missing_or_wrong_values_name_the_placeholder() {
    let f = format("remediation_planned").expect("format");
    let err = fill(f, &values(&[("remediation_status", "maybe"), ("extra", "x")])).expect_err("refused");
    let fields: Vec<&str> = err.fields().iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["values.remediation_status", "values.completion_date", "values.extra"]);
    assert!(err.fields()[0].message.contains("planned, in progress"));
    assert!(err.fields()[1].message.contains("[Specify date]"));
    let err = fill(format("false_positive").expect("format"), &values(&[("cause", "   ")])).expect_err("blank");
    assert_eq!(err.fields()[0].field, "values.cause");
}

#[test]
fn which_formats_fit_which_response() {
    let ack: Vec<&str> = FORMATS.iter().filter(|f| f.suggested_for_acknowledgement).map(|f| f.id).collect();
    assert_eq!(ack, ["remediation_planned", "remediation_completed", "investigating", "mitigated_unknown_risk"]);
    assert_eq!(for_outcome(Outcome::ConfirmedIncident).id, "confirmed_incident");
    assert_eq!(for_outcome(Outcome::FalsePositive).id, "false_positive");
    assert_eq!(for_outcome(Outcome::MoreTime).id, "investigating");
}

#[test]
fn preview_fills_what_is_given_and_keeps_the_other_brackets() {
    let f = format("remediation_planned").expect("known format");
    let partial = desk_core::sen::responses::preview(f, &values(&[("remediation_status", "IN PROGRESS")]));
    assert_eq!(
        partial.text,
        "Risk known by entity and remediation in progress and will be completed by [Specify date]."
    );
    assert!(!partial.complete);
    let fields: Vec<&str> = partial.problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["values.completion_date"]);

    let full = values(&[("remediation_status", "planned"), ("completion_date", "2026-03-20")]);
    let done = desk_core::sen::responses::preview(f, &full);
    assert!(done.complete && done.problems.is_empty());
    assert_eq!(done.text, fill(f, &full).expect("fills"), "a complete preview is the finished text");
}
