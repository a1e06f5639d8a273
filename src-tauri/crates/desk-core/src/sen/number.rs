//! A SEN's number, THE one type for it: `SenNumber::parse` is the one check of a number from
//! outside (a window command, the CLI: trimmed, upper case, `SOC-0123`-shaped), the record
//! keeps it as that text (`sens.sen_number`, history, outbox records), a plain string in JSON.

use crate::error::{Error, Result};
use serde::Serialize;

const NUMBER_MAX: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct SenNumber(String);

impl SenNumber {
    /// A number as given at an edge; refused on the field `sen_number`.
    pub fn parse(text: &str) -> Result<Self> {
        Self::normalize(text).map_err(|message| Error::invalid("sen_number", message))
    }

    /// "soc-0123 " → "SOC-0123", or the message saying what is wrong (for a form that collects
    /// the messages of several fields).
    pub fn normalize(text: &str) -> std::result::Result<Self, String> {
        let v = text.trim().to_uppercase();
        if v.is_empty() {
            return Err("enter the SEN number, e.g. SOC-0123".into());
        }
        let ok = v.len() <= NUMBER_MAX
            && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && v.chars().any(|c| c.is_ascii_digit())
            && !v.starts_with('-');
        if ok {
            Ok(SenNumber(v))
        } else {
            Err(format!("\u{201c}{}\u{201d} is not a SEN number (expected e.g. SOC-0123)", text.trim()))
        }
    }
}

crate::text_id::text_id!(SenNumber);

impl From<SenNumber> for String {
    fn from(number: SenNumber) -> String {
        number.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_from_outside_is_normalized_or_refused_once() {
        assert_eq!(SenNumber::parse(" soc-0123 ").expect("number"), "SOC-0123");
        let err = SenNumber::parse("  ").expect_err("empty");
        assert_eq!(
            (err.code(), err.to_string()),
            ("invalid", "sen_number: enter the SEN number, e.g. SOC-0123".into())
        );
        for bad in ["SOC", "-0123", "SOC 0123", "SOC:7"] {
            let message = SenNumber::normalize(bad).expect_err(bad);
            assert_eq!(message, format!("\u{201c}{bad}\u{201d} is not a SEN number (expected e.g. SOC-0123)"));
        }
        assert!(SenNumber::normalize(&format!("S{}", "1".repeat(NUMBER_MAX))).is_err());
    }

    #[test]
    fn json_and_sql_carry_the_plain_text() {
        let number = SenNumber::parse("SOC-7").expect("number");
        assert_eq!(serde_json::to_string(&number).expect("json"), "\"SOC-7\"");
        let conn = rusqlite::Connection::open_in_memory().expect("db");
        let back: SenNumber = conn.query_row("SELECT ?1", [&number], |r| r.get(0)).expect("sql");
        assert_eq!(back, number);
    }
}
