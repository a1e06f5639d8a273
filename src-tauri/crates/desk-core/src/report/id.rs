//! A report's id, THE one type for it: issued once when the report is created (a UUID v4), sent
//! with every POST (the portal's duplicate protection), stored as its text in `reports.report_id`
//! and the rows keyed on it, a plain string in JSON. `ReportId::parse` is the one check of an id
//! from outside (a window command, the CLI); an id that passes but names no report is `not_found`
//! when loaded.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Longer than any id issued; a bound on what is looked up.
const ID_MAX: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReportId(String);

impl ReportId {
    /// A new report's id.
    pub(crate) fn issue() -> Self {
        ReportId(uuid::Uuid::new_v4().to_string())
    }

    /// An id as given at an edge: trimmed; empty, overlong or with control characters refused
    /// (on the field `report_id`).
    pub fn parse(text: &str) -> Result<Self> {
        let id = text.trim();
        if id.is_empty() || id.len() > ID_MAX || id.chars().any(char::is_control) {
            return Err(Error::invalid("report_id", "choose the incident report to associate"));
        }
        Ok(ReportId(id.to_string()))
    }
}

crate::text_id::text_id!(ReportId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_from_outside_is_trimmed_and_checked_once() {
        assert_eq!(ReportId::parse(" 5f0c-1 ").expect("id"), "5f0c-1");
        for bad in ["", "  ", "a\u{7}b", &"x".repeat(ID_MAX + 1)] {
            let err = ReportId::parse(bad).expect_err(bad);
            assert_eq!(
                (err.code(), err.to_string()),
                ("invalid", "report_id: choose the incident report to associate".into())
            );
        }
    }

    #[test]
    fn json_and_sql_carry_the_plain_text() {
        let id = ReportId::issue();
        assert_eq!(serde_json::to_string(&id).expect("json"), format!("\"{id}\""));
        let conn = rusqlite::Connection::open_in_memory().expect("db");
        let back: ReportId = conn.query_row("SELECT ?1", [&id], |r| r.get(0)).expect("sql");
        assert_eq!(back, id);
    }
}
