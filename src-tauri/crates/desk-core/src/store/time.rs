//! The one stored form of a time: RFC 3339 in UTC with microseconds, always the same width, so
//! that SQL orders and compares stored times as text, even inside one second. Every table and
//! every time sent to the portal uses it.

use crate::error::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};

/// `2026-03-02T17:14:27.000000Z`.
pub fn stored(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Reads a stored time back (any RFC 3339 text, so rows written at another precision still read).
pub fn parse_stored(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| Error::Internal(format!("stored time {text:?}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn stored_times_order_as_text_inside_a_second() {
        let whole = Utc.with_ymd_and_hms(2026, 3, 2, 17, 14, 27).single().unwrap_or_default();
        let later = whole + chrono::TimeDelta::microseconds(1);
        let (a, b) = (stored(whole), stored(later));
        assert_eq!(a, "2026-03-02T17:14:27.000000Z");
        assert!(a < b && a.len() == b.len());
        assert_eq!(parse_stored(&b).ok(), Some(later));
        assert_eq!(
            parse_stored("2026-03-02T09:14:27-08:00").ok(),
            Some(whole),
            "older rows at another precision still read"
        );
    }
}
