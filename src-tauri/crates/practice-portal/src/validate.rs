//! Body checks of the contract endpoints. Each returns every problem found, each naming its field
//! by JSON pointer (RFC 6901), so that a client can show them all at once.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use serde_json::{Map, Value};

/// One entry of the contract's `{"errors": [...]}` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    /// JSON pointer of the offending field, `None` when the error is not about one field.
    pub field: Option<String>,
    pub message: String,
}

impl ApiError {
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError { field: Some(pointer.into()), message: message.into() }
    }

    pub fn general(message: impl Into<String>) -> Self {
        ApiError { field: None, message: message.into() }
    }
}

/// RFC 3339 with an offset, as the contract requires of every time.
pub fn parse_time(text: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text).ok()
}

fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

fn object<'a>(body: &'a Value, errors: &mut Vec<ApiError>) -> Option<&'a Map<String, Value>> {
    let object = body.as_object();
    if object.is_none() {
        errors.push(ApiError::at("", "the body must be a JSON object"));
    }
    object
}

fn required_string<'a>(obj: &'a Map<String, Value>, name: &str, errors: &mut Vec<ApiError>) -> Option<&'a str> {
    match obj.get(name) {
        Some(Value::String(text)) => Some(text),
        Some(_) => {
            errors.push(ApiError::at(format!("/{name}"), "must be a string"));
            None
        }
        None => {
            errors.push(ApiError::at(format!("/{name}"), "is required"));
            None
        }
    }
}

fn required_time(obj: &Map<String, Value>, name: &str, errors: &mut Vec<ApiError>) {
    if let Some(text) = required_string(obj, name, errors) {
        if parse_time(text).is_none() {
            errors.push(ApiError::at(format!("/{name}"), "must be an RFC 3339 time with an offset"));
        }
    }
}

fn optional_time(obj: &Map<String, Value>, name: &str, errors: &mut Vec<ApiError>) {
    match obj.get(name) {
        None | Some(Value::Null) => {}
        Some(Value::String(text)) if parse_time(text).is_some() => {}
        Some(_) => errors.push(ApiError::at(format!("/{name}"), "must be an RFC 3339 time with an offset")),
    }
}

fn revision(obj: &Map<String, Value>, minimum: i64, errors: &mut Vec<ApiError>) -> Option<i64> {
    match obj.get("revision") {
        Some(value) => match value.as_i64() {
            Some(n) if n >= minimum => Some(n),
            _ => {
                errors.push(ApiError::at("/revision", format!("must be an integer of at least {minimum}")));
                None
            }
        },
        None => {
            errors.push(ApiError::at("/revision", "is required"));
            None
        }
    }
}

/// Every member whose name ends in `_at`, at any depth, is a time: a string in RFC 3339 with an
/// offset, or null while unknown. (The report's own shape belongs to the client.)
fn times_anywhere(value: &Value, pointer: &str, errors: &mut Vec<ApiError>) {
    match value {
        Value::Object(members) => {
            for (name, member) in members {
                let here = format!("{pointer}/{}", pointer_token(name));
                let is_time_name = name.ends_with("_at");
                match member {
                    Value::String(text) if is_time_name && parse_time(text).is_none() => {
                        errors.push(ApiError::at(here, "must be an RFC 3339 time with an offset"));
                    }
                    Value::Bool(_) | Value::Number(_) | Value::Array(_) | Value::Object(_) if is_time_name => {
                        errors.push(ApiError::at(here, "must be an RFC 3339 time with an offset"));
                    }
                    _ => times_anywhere(member, &here, errors),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                times_anywhere(item, &format!("{pointer}/{index}"), errors);
            }
        }
        _ => {}
    }
}

pub struct NewIncident {
    pub report_id: String,
    pub revision: i64,
}

pub fn incident(body: &Value) -> Result<NewIncident, Vec<ApiError>> {
    let mut errors = Vec::new();
    let Some(obj) = object(body, &mut errors) else { return Err(errors) };
    let report_id = required_string(obj, "report_id", &mut errors).map(str::to_string);
    if let Some(id) = &report_id {
        if uuid::Uuid::parse_str(id).is_err() {
            errors.push(ApiError::at("/report_id", "must be a UUID"));
        }
    }
    let revision = revision(obj, 0, &mut errors);
    times_anywhere(body, "", &mut errors);
    match (report_id, revision) {
        (Some(report_id), Some(revision)) if errors.is_empty() => Ok(NewIncident { report_id, revision }),
        _ => Err(errors),
    }
}

/// A supplement's revision must come after everything the portal holds for the incident.
pub fn supplement(body: &Value, last_revision: i64) -> Result<i64, Vec<ApiError>> {
    let mut errors = Vec::new();
    let Some(obj) = object(body, &mut errors) else { return Err(errors) };
    let revision = revision(obj, 1, &mut errors);
    if let Some(n) = revision {
        if n <= last_revision {
            errors.push(ApiError::at(
                "/revision",
                format!("must be greater than {last_revision}, the last revision received"),
            ));
        }
    }
    match obj.get("changes") {
        Some(Value::Object(_)) => {}
        Some(_) => errors.push(ApiError::at("/changes", "must be an object")),
        None => errors.push(ApiError::at("/changes", "is required")),
    }
    times_anywhere(body, "", &mut errors);
    match revision {
        Some(n) if errors.is_empty() => Ok(n),
        _ => Err(errors),
    }
}

pub fn acknowledgement(body: &Value, formats: &[String]) -> Result<(), Vec<ApiError>> {
    let mut errors = Vec::new();
    let Some(obj) = object(body, &mut errors) else { return Err(errors) };
    required_time(obj, "at", &mut errors);
    if let Some(format) = required_string(obj, "format", &mut errors) {
        if !formats.iter().any(|known| known == format) {
            errors.push(ApiError::at("/format", format!("must be one of: {}", formats.join(", "))));
        }
    }
    required_string(obj, "text", &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

pub const OUTCOMES: [&str; 3] = ["confirmed_incident", "false_positive", "more_time"];

/// Returns the outcome.
pub fn determination(body: &Value) -> Result<String, Vec<ApiError>> {
    let mut errors = Vec::new();
    let Some(obj) = object(body, &mut errors) else { return Err(errors) };
    required_time(obj, "at", &mut errors);
    let outcome = required_string(obj, "outcome", &mut errors).map(str::to_string);
    if let Some(outcome) = &outcome {
        if !OUTCOMES.contains(&outcome.as_str()) {
            errors.push(ApiError::at("/outcome", format!("must be one of: {}", OUTCOMES.join(", "))));
        }
    }
    required_string(obj, "details", &mut errors);
    optional_time(obj, "findings_by", &mut errors);
    match outcome {
        Some(outcome) if errors.is_empty() => Ok(outcome),
        _ => Err(errors),
    }
}

/// Returns the incident number to link (whether it exists is checked against the store).
pub fn incident_link(body: &Value) -> Result<String, Vec<ApiError>> {
    let mut errors = Vec::new();
    let Some(obj) = object(body, &mut errors) else { return Err(errors) };
    match required_string(obj, "incident_number", &mut errors) {
        Some(number) if errors.is_empty() => Ok(number.to_string()),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(result: Result<impl Sized, Vec<ApiError>>, expected_fields: &[&str]) {
        let mut fields: Vec<String> = match result {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| e.field.unwrap_or_else(|| "<none>".into())).collect(),
        };
        fields.sort();
        let mut expected: Vec<&str> = expected_fields.to_vec();
        expected.sort();
        assert_eq!(fields, expected);
    }

    const ID: &str = "6f1c2a0e-8a6b-4d7e-9d56-0a4f6f1b2c3d";

    #[test]
    fn incident_bodies() {
        check(incident(&json!({"report_id": ID, "revision": 1})), &[]);
        check(incident(&json!({"revision": 1})), &["/report_id"]);
        check(incident(&json!({"report_id": ID})), &["/revision"]);
        check(incident(&json!({"report_id": "x", "revision": -1})), &["/report_id", "/revision"]);
        check(incident(&json!([1])), &[""]);
        check(
            incident(&json!({"report_id": ID, "revision": 1, "occurred_at": "yesterday",
                             "computers": [{"seen_at": "2024-01-01T00:00:00"}], "a/b_at": 3})),
            &["/a~1b_at", "/computers/0/seen_at", "/occurred_at"],
        );
        check(
            incident(&json!({"report_id": ID, "revision": 0, "discovered_at": null,
                                "occurred_at": "2024-03-01T08:00:00-08:00"})),
            &[],
        );
    }

    #[test]
    fn supplement_bodies() {
        check(supplement(&json!({"revision": 2, "changes": {}}), 1), &[]);
        check(supplement(&json!({"revision": 1, "changes": {}}), 1), &["/revision"]);
        check(supplement(&json!({"revision": 2}), 1), &["/changes"]);
        check(supplement(&json!({"revision": 2, "changes": {"x_at": "no"}}), 1), &["/changes/x_at"]);
    }

    #[test]
    fn sen_response_bodies() {
        let formats: Vec<String> = crate::config::RESPONSE_FORMATS.map(String::from).to_vec();
        let at = "2024-03-01T08:00:00-08:00";
        check(acknowledgement(&json!({"at": at, "format": "investigating", "text": "t"}), &formats), &[]);
        check(
            acknowledgement(&json!({"at": "now", "format": "other", "text": 1}), &formats),
            &["/at", "/format", "/text"],
        );
        check(determination(&json!({"at": at, "outcome": "false_positive", "details": "d"})), &[]);
        check(determination(&json!({"at": at, "outcome": "more_time", "details": "d", "findings_by": at})), &[]);
        // The client's help request (desk-core sen::help): more_time, no findings_by, details prefixed.
        check(
            determination(
                &json!({"at": at, "outcome": "more_time", "details": "Assistance requested from the SOC: d"}),
            ),
            &[],
        );
        check(determination(&json!({"at": at, "outcome": "request_help", "details": "d"})), &["/outcome"]);
        check(
            determination(&json!({"at": at, "outcome": "maybe", "details": "d", "findings_by": "soon"})),
            &["/outcome", "/findings_by"],
        );
        check(incident_link(&json!({"incident_number": "CIR-000001"})), &[]);
        check(incident_link(&json!({})), &["/incident_number"]);
    }
}
