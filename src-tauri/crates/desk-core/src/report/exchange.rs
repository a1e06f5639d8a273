//! The report as JSON leaving or entering the desk: the portal body (portal-api.md), supplement
//! changes, portal error pointers → form ids, and the export/import file.

use super::doc::ReportDoc;
use super::validate;
use super::ReportId;
use crate::error::{Error, FieldError, Result};
use crate::portal::wire::PortalFieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `format` member of an export file.
pub const EXPORT_FORMAT: &str = "incident-desk/report";
pub const EXPORT_VERSION: u32 = 1;

/// The export file. Content only: the report's identity (report_id, incident number) and its
/// lifecycle stay with the desk that filed it, so an import is always a new draft (see `import`).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportFile {
    format: String,
    version: u32,
    report: ReportDoc,
}

/// Canonical text: keys in schema order, two-space indent, trailing newline. The same content
/// always gives the same bytes.
pub fn export_doc(doc: &ReportDoc) -> Result<String> {
    let file = ExportFile { format: EXPORT_FORMAT.to_string(), version: EXPORT_VERSION, report: doc.clone() };
    let mut text = serde_json::to_string_pretty(&file).map_err(|e| Error::Internal(format!("export: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// Reads an export file. Refuses (naming the field, or the line and column of broken JSON):
/// broken JSON, another format or version, unknown or mistyped members, and values that fail the
/// field checks (an import is outside input; a draft may hold a half-typed value, a file may not).
/// Missing members are fine: they are empty in the new draft.
pub fn parse_import(text: &str, now: DateTime<Utc>) -> Result<ReportDoc> {
    crate::limits::check_len(text.len(), crate::limits::REPORT_IMPORT_MAX, crate::limits::REPORT_WHAT, "the file")?;
    let value: Value = serde_json::from_str(text)
        .map_err(|e| Error::invalid("", format!("not valid JSON at line {} column {}: {e}", e.line(), e.column())))?;
    match value.get("format").and_then(Value::as_str) {
        Some(EXPORT_FORMAT) => {}
        _ => {
            return Err(Error::invalid(
                "format",
                format!("not an Incident Desk report file (expected \"format\": \"{EXPORT_FORMAT}\")"),
            ))
        }
    }
    if value.get("version").and_then(Value::as_u64) != Some(u64::from(EXPORT_VERSION)) {
        return Err(Error::invalid(
            "version",
            format!("unsupported version (this desk reads version {EXPORT_VERSION})"),
        ));
    }
    let file: ExportFile = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = dotted(e.path());
        let field = path.strip_prefix("report.").unwrap_or(&path).to_string();
        Error::invalid(field, e.into_inner().to_string())
    })?;
    let errors = validate::check(&file.report, now).field_errors;
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    Ok(file.report)
}

fn dotted(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|seg| match seg {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The report's content as the portal receives it: times the ISO marked unknown, or left empty,
/// are `null` (the portal reads every `*_at` member as an RFC 3339 time or null).
pub fn content(doc: &ReportDoc) -> Result<Value> {
    let mut tree = doc.to_value()?;
    if doc.incident.occurred_unknown {
        if let Some(slot) = tree.pointer_mut("/incident/occurred_at") {
            *slot = Value::Null;
        }
    }
    Ok(tree)
}

/// `POST /api/v1/incidents` body: the content plus `report_id` and `revision`.
pub fn incident_body(report_id: &ReportId, revision: i64, doc: &ReportDoc) -> Result<Value> {
    let mut body = content(doc)?;
    if let Value::Object(map) = &mut body {
        map.insert("report_id".into(), Value::String(report_id.to_string()));
        map.insert("revision".into(), Value::from(revision));
    }
    Ok(body)
}

/// What changed from `base` to `current`, as a sparse tree: objects hold only changed or added
/// members; a list becomes an object keyed by row index (a changed row holds its changed members,
/// a new row is whole, a removed row is `null`); a member that disappeared is `null`.
/// `None` when nothing changed.
pub fn changes(base: &Value, current: &Value) -> Option<Value> {
    match (base, current) {
        (Value::Object(a), Value::Object(b)) => {
            let mut out = Map::new();
            for (key, new) in b {
                match a.get(key) {
                    None => {
                        out.insert(key.clone(), new.clone());
                    }
                    Some(old) => {
                        if let Some(change) = changes(old, new) {
                            out.insert(key.clone(), change);
                        }
                    }
                }
            }
            for key in a.keys().filter(|k| !b.contains_key(*k)) {
                out.insert(key.clone(), Value::Null);
            }
            (!out.is_empty()).then_some(Value::Object(out))
        }
        (Value::Array(a), Value::Array(b)) => {
            let mut out = Map::new();
            for (i, new) in b.iter().enumerate() {
                match a.get(i) {
                    None => {
                        out.insert(i.to_string(), new.clone());
                    }
                    Some(old) => {
                        if let Some(change) = changes(old, new) {
                            out.insert(i.to_string(), change);
                        }
                    }
                }
            }
            for i in b.len()..a.len() {
                out.insert(i.to_string(), Value::Null);
            }
            (!out.is_empty()).then_some(Value::Object(out))
        }
        _ => (base != current).then(|| current.clone()),
    }
}

/// The portal names a field by JSON pointer into the body it received (`/incident/description`,
/// `/computers/3/ip`, or `/changes/incident/description` for a supplement); the form uses dotted
/// ids. `null`/empty pointers (a message about the whole report) map to `""`.
pub fn field_from_json_pointer(pointer: &str) -> String {
    let segments: Vec<String> = pointer.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
    let segments = match segments.split_first() {
        Some((first, rest)) if first == "changes" => rest,
        _ => &segments[..],
    };
    segments.join(".")
}

/// Portal messages as form messages (a supplement's pointers run through `/changes`; the mapping
/// drops that step).
pub fn portal_errors(errors: &[PortalFieldError]) -> Vec<FieldError> {
    errors
        .iter()
        .map(|e| {
            FieldError::new(e.field.as_deref().map(field_from_json_pointer).unwrap_or_default(), e.message.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_to_fields() {
        let check = |pointer: &str, field: &str| assert_eq!(field_from_json_pointer(pointer), field, "{pointer}");
        check("/incident/description", "incident.description");
        check("/computers/3/ip", "computers.3.ip");
        check("/changes/incident/occurred_at", "incident.occurred_at");
        check("", "");
        check("/a~1b~0c", "a/b~c");
    }

    #[test]
    fn changes_are_sparse() {
        let base = json!({"a": {"x": 1, "y": 2}, "list": [{"ip": "1"}, {"ip": "2"}, {"ip": "3"}], "gone": 1});
        let now = json!({"a": {"x": 1, "y": 3}, "list": [{"ip": "1"}, {"ip": "9"}], "new": true});
        assert_eq!(
            changes(&base, &now),
            Some(json!({"a": {"y": 3}, "list": {"1": {"ip": "9"}, "2": null}, "new": true, "gone": null}))
        );
        assert_eq!(changes(&base, &base), None);
    }

    #[test]
    fn unknown_occurrence_time_is_null_in_the_body() {
        let mut doc = ReportDoc::default();
        doc.incident.occurred_at = Some("2024-01-01T00:00:00Z".into());
        doc.incident.occurred_unknown = true;
        let body = incident_body(&ReportId::from_stored("id".into()), 3, &doc).expect("body");
        assert_eq!(body["incident"]["occurred_at"], Value::Null);
        assert_eq!(body["revision"], 3);
        assert_eq!(body["report_id"], "id");
    }
}
