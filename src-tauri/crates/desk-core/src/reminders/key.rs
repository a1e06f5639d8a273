//! A reminder's stable id, THE one place its format is written and read:
//! `<record>:<subject>:<point>` (`sen:SOC-0123:acknowledge:15min`, `report:<id>:cal_csirs:due`).
//! Stored as this text in `reminders_fired.key` and in each notice's key list (migration 0005),
//! so the format never changes. Everything before the last colon is the reminder's window
//! (`sen:SOC-0123:acknowledge`): a point never contains a colon, a SEN number might.

use super::{Point, Record, Subject};
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReminderKey(String);

impl ReminderKey {
    pub fn new(record: &Record, subject: Subject, point: Point) -> Self {
        ReminderKey(format!("{}:{}", window_key(record, subject), point.key()))
    }

    /// The window the reminder is a point of (`sen:SOC-0123:acknowledge`); none for a text
    /// without a point.
    pub fn window(&self) -> Option<&str> {
        self.0.rsplit_once(':').map(|(window, _)| window)
    }
}

crate::text_id::text_id!(ReminderKey);

/// The window of a record's subject: `sen:SOC-0123:acknowledge`, `report:<id>:cal_csirs`.
pub fn window_key(record: &Record, subject: Subject) -> String {
    format!("{}:{}", record.key(), subject.key())
}

/// Looked up by its text (`fired.contains_key("sen:SOC-0123:acknowledge:half")`): it hashes and
/// compares as its text does.
impl Borrow<str> for ReminderKey {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq<String> for ReminderKey {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ReportId;
    use crate::sen::{SenNumber, Stage};

    #[test]
    fn the_format_is_the_stored_one_and_reads_back() {
        let sen = Record::Sen { sen_number: SenNumber::from_stored("SOC-0123".into()) };
        let key = ReminderKey::new(&sen, Subject::Stage { stage: Stage::Acknowledge }, Point::Before { minutes: 15 });
        assert_eq!(key.as_str(), "sen:SOC-0123:acknowledge:15min");
        assert_eq!(key.window(), Some("sen:SOC-0123:acknowledge"));
        assert_eq!(ReminderKey::from_stored(key.to_string()), key);
        let report = Record::Report { report_id: ReportId::from_stored("r-1".into()) };
        assert_eq!(ReminderKey::new(&report, Subject::CalCsirs, Point::Due), "report:r-1:cal_csirs:due");
        assert_eq!(
            ReminderKey::new(&report, Subject::Federal { title: "CAT 1" }, Point::Escalation { level: 2 }),
            "report:r-1:federal:escalation-2"
        );
        assert_eq!(serde_json::to_string(&key).expect("json"), "\"sen:SOC-0123:acknowledge:15min\"");
    }

    #[test]
    fn a_colon_in_the_record_stays_in_the_window() {
        let key = ReminderKey::new(
            &Record::Sen { sen_number: SenNumber::from_stored("SOC:7".into()) },
            Subject::Stage { stage: Stage::Determine },
            Point::Due,
        );
        assert_eq!(key.window(), Some("sen:SOC:7:determine"));
        assert_eq!(ReminderKey::from_stored("no-point".into()).window(), None);
    }
}
