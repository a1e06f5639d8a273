//! The report's content: what the ISO writes. Every leaf keeps exactly what was typed (text stays
//! text, even a half-typed port), so a draft never loses a keystroke; validation judges it later.
//! The JSON shape is the dotted field ids: `computers.3.ip` is `/computers/3/ip`.

use crate::error::{Error, Result};
use crate::form::FieldKind;
use crate::profile::{Contact, Entity, Profile};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::schema;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportDoc {
    pub entity: Entity,
    pub reporting_person: Contact,
    pub iso: Contact,
    pub alternate: Contact,
    pub incident: Incident,
    pub categories: Categories,
    pub federal: Federal,
    pub computers: Vec<Computer>,
    pub network: Network,
    pub response: Response,
    pub personal_info: PersonalInfo,
    pub sen: SenLink,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Incident {
    pub description: String,
    /// RFC 3339 with offset as typed; `None` while empty.
    pub occurred_at: Option<String>,
    /// "Date and time the incident occurred" is not known (yet).
    pub occurred_unknown: bool,
    pub discovered_at: Option<String>,
    pub actions_taken: String,
    /// "yes" / "no" / "unknown" / "": law enforcement sensitive or an ongoing criminal
    /// investigation (seed 000: then CHP CCIU directly for guidance).
    pub law_enforcement_sensitive: String,
}

impl Incident {
    pub fn is_law_enforcement_sensitive(&self) -> bool {
        self.law_enforcement_sensitive.trim() == "yes"
    }
}

/// The mandatory reporting categories of the CA-CND page (seed 000).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Categories {
    pub loss_or_compromise: bool,
    pub criminal_activity: bool,
    pub criminal: CriminalActivity,
    pub media_coverage: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CriminalActivity {
    pub unauthorized_access: bool,
    pub attacks: bool,
    pub inappropriate_use: bool,
    pub outage_over_2_hours: bool,
    pub theft_or_destruction: bool,
    pub policy_violation: bool,
}

/// Federal incident category (seed 003) and the conditions that change its reporting timeframe.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Federal {
    /// `cat_0` .. `cat_6`, or empty while not chosen.
    pub category: String,
    pub cat2_ongoing_unmitigated: bool,
    pub cat3_widespread: bool,
    pub cat3_quarantined_by_av: bool,
    pub cat5_classified: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Computer {
    pub make_model: String,
    pub serial_number: String,
    pub asset_number: String,
    pub ip: String,
    pub hostname: String,
    pub os: String,
    pub location: String,
    pub function: String,
    pub antivirus: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Network {
    pub source_ip: String,
    pub source_port: String,
    pub source_protocol: String,
    pub destination_ip: String,
    pub destination_port: String,
    pub destination_protocol: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Response {
    pub detection_method: String,
    pub impact: String,
    pub resolution: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PersonalInfo {
    /// `yes`, `no`, `unknown`, or empty while not answered.
    pub involved: String,
    pub types: String,
    /// Number of California residents to notify, as typed.
    pub residents_to_notify: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SenLink {
    pub sen_number: String,
}

/// The only repeating list of the report.
pub const COMPUTERS: &str = "computers";
/// Enough for any one incident; keeps a runaway paste from bloating every autosave.
pub const MAX_COMPUTERS: usize = 500;

impl ReportDoc {
    /// A new report, pre-filled with who reports from the entity profile.
    pub fn from_profile(profile: &Profile) -> ReportDoc {
        ReportDoc {
            entity: profile.entity.clone(),
            reporting_person: profile.reporting_person.clone(),
            iso: profile.iso.clone(),
            alternate: profile.alternate.clone(),
            ..ReportDoc::default()
        }
    }

    pub fn to_value(&self) -> Result<Value> {
        serde_json::to_value(self).map_err(|e| Error::Internal(format!("report to JSON: {e}")))
    }

    pub fn from_value(value: Value) -> Result<ReportDoc> {
        serde_json::from_value(value).map_err(|e| Error::Internal(format!("report from JSON: {e}")))
    }

    /// Sets one leaf. The value is coerced to the field's stored type (numbers typed into a text
    /// control become text, `""` clears a time) but never judged: invalid input is kept.
    /// Errors: unknown path, missing row, or a JSON type the control cannot produce.
    /// Returns the value as stored.
    pub fn set(&mut self, path: &str, value: Value) -> Result<Value> {
        let field = schema::field(path).ok_or_else(|| Error::invalid(path, "this report has no such field"))?;
        let stored = coerce(path, &field.field.kind, value)?;
        let mut tree = self.to_value()?;
        let slot = tree.pointer_mut(&pointer(path)).ok_or_else(|| match row_of(path) {
            Some(row) => Error::invalid(path, format!("there is no row {row} in the list")),
            None => Error::invalid(path, "this report has no such field"),
        })?;
        *slot = stored.clone();
        *self = ReportDoc::from_value(tree)?;
        Ok(stored)
    }

    /// Appends an empty row to a list; returns its path (`computers.3`).
    pub fn add_row(&mut self, list: &str) -> Result<String> {
        if list != COMPUTERS {
            return Err(Error::invalid(list, "this report has no such list"));
        }
        if self.computers.len() >= MAX_COMPUTERS {
            return Err(Error::invalid(list, format!("at most {MAX_COMPUTERS} affected computers per report")));
        }
        self.computers.push(Computer::default());
        Ok(format!("{COMPUTERS}.{}", self.computers.len() - 1))
    }

    /// Removes one row (`computers.3`); the rows after it move up.
    pub fn remove_row(&mut self, row_path: &str) -> Result<()> {
        let index = match row_path.split_once('.') {
            Some((COMPUTERS, index)) => index.parse::<usize>().ok(),
            _ => None,
        };
        match index {
            Some(i) if i < self.computers.len() => {
                self.computers.remove(i);
                Ok(())
            }
            Some(_) => Err(Error::invalid(row_path, "there is no such row in the list")),
            None => Err(Error::invalid(row_path, "not a row of a list (expected e.g. computers.0)")),
        }
    }

    /// Everything a person could search for, one field per line.
    pub fn search_text(&self) -> String {
        let mut out = String::new();
        let mut push = |s: &str| {
            if !s.trim().is_empty() {
                out.push_str(s);
                out.push('\n');
            }
        };
        push(&self.entity.name);
        push(&self.entity.address);
        for c in [&self.reporting_person, &self.iso, &self.alternate] {
            push(&c.name);
            push(&c.email);
        }
        push(&self.incident.description);
        push(&self.incident.actions_taken);
        push(&self.federal.category.replace('_', " "));
        for c in &self.computers {
            for s in [
                &c.make_model,
                &c.serial_number,
                &c.asset_number,
                &c.ip,
                &c.hostname,
                &c.os,
                &c.location,
                &c.function,
                &c.antivirus,
            ] {
                push(s);
            }
        }
        let n = &self.network;
        for s in [&n.source_ip, &n.destination_ip, &n.source_protocol, &n.destination_protocol] {
            push(s);
        }
        push(&self.response.detection_method);
        push(&self.response.impact);
        push(&self.response.resolution);
        push(&self.personal_info.types);
        push(&self.sen.sen_number);
        out
    }

    /// A short name for lists: the first line of the description.
    pub fn title(&self) -> String {
        let first = self.incident.description.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
        let mut title: String = first.chars().take(120).collect();
        if first.chars().count() > 120 {
            title.push('\u{2026}');
        }
        title
    }
}

/// `incident.description` → `/incident/description`.
pub fn pointer(path: &str) -> String {
    path.split('.').fold(String::new(), |mut acc, seg| {
        acc.push('/');
        acc.push_str(&seg.replace('~', "~0").replace('/', "~1"));
        acc
    })
}

fn row_of(path: &str) -> Option<&str> {
    path.split('.').find(|seg| seg.parse::<usize>().is_ok())
}

fn coerce(path: &str, kind: &FieldKind, value: Value) -> Result<Value> {
    let wrong = |expected: &str| Err(Error::invalid(path, format!("expected {expected}")));
    match kind {
        FieldKind::Checkbox => match value {
            Value::Bool(_) => Ok(value),
            Value::Null => Ok(Value::Bool(false)),
            _ => wrong("true or false"),
        },
        FieldKind::Phones => match value {
            Value::Null => Ok(Value::Array(Vec::new())),
            Value::String(s) => Ok(Value::Array(
                s.split(';').map(str::trim).filter(|p| !p.is_empty()).map(|p| Value::String(p.to_string())).collect(),
            )),
            Value::Array(items) if items.iter().all(Value::is_string) => Ok(Value::Array(items)),
            _ => wrong("phone numbers as text separated by ;, or a list of texts"),
        },
        FieldKind::DateTime => match value {
            Value::Null => Ok(Value::Null),
            Value::String(s) if s.is_empty() => Ok(Value::Null),
            Value::String(_) => Ok(value),
            _ => wrong("a date and time as text"),
        },
        _ => match value {
            Value::Null => Ok(Value::String(String::new())),
            Value::String(_) => Ok(value),
            Value::Number(n) => Ok(Value::String(n.to_string())),
            _ => wrong("text"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_keeps_what_was_typed() {
        let mut doc = ReportDoc::default();
        doc.add_row(COMPUTERS).expect("row");
        doc.set("computers.0.ip", json!("10.0.0.999")).expect("set");
        doc.set("network.source_port", json!(70000)).expect("set");
        doc.set("incident.discovered_at", json!("yesterday")).expect("set");
        doc.set("iso.phones", json!("916 555 0100; ;(916) 445-5239")).expect("set");
        assert_eq!(doc.computers[0].ip, "10.0.0.999");
        assert_eq!(doc.network.source_port, "70000");
        assert_eq!(doc.incident.discovered_at.as_deref(), Some("yesterday"));
        assert_eq!(doc.iso.phones, ["916 555 0100", "(916) 445-5239"]);
        doc.set("incident.discovered_at", json!("")).expect("clear");
        assert_eq!(doc.incident.discovered_at, None);
    }

    #[test]
    fn set_refuses_unknown_paths_rows_and_types() {
        let mut doc = ReportDoc::default();
        let check = |doc: &mut ReportDoc, path: &str, value: Value, field: &str| {
            let err = doc.set(path, value).expect_err(path);
            assert_eq!(err.fields()[0].field, field, "{err}");
        };
        check(&mut doc, "incident.nope", json!("x"), "incident.nope");
        check(&mut doc, "computers.0.ip", json!("x"), "computers.0.ip");
        check(&mut doc, "categories.attacks", json!(true), "categories.attacks");
        check(&mut doc, "categories.media_coverage", json!("yes"), "categories.media_coverage");
        check(&mut doc, "incident.description", json!({"a": 1}), "incident.description");
        assert_eq!(doc, ReportDoc::default());
    }

    #[test]
    fn rows_add_and_remove() {
        let mut doc = ReportDoc::default();
        assert_eq!(doc.add_row(COMPUTERS).expect("add"), "computers.0");
        assert_eq!(doc.add_row(COMPUTERS).expect("add"), "computers.1");
        doc.set("computers.1.hostname", json!("ws-2")).expect("set");
        doc.remove_row("computers.0").expect("remove");
        assert_eq!(doc.computers.len(), 1);
        assert_eq!(doc.computers[0].hostname, "ws-2");
        assert!(doc.remove_row("computers.5").is_err());
        assert!(doc.add_row("network").is_err());
    }
}
