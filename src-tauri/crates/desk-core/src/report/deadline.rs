//! Reporting deadlines of a report (pure): the Cal-CSIRS 60 minutes from detection (seed 000) and
//! the federal category timeframe with its conditions (seed 003), each with the seed's own words.

use super::doc::ReportDoc;
use super::validate::parse_time;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// How long the entity has, in the form the seed states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Timeframe {
    /// Within this many hours of discovery/detection.
    WithinHours {
        hours: u32,
    },
    Daily,
    Weekly,
    Monthly,
    /// The seed says reporting is not required under the condition that applies.
    NotRequired,
    /// The category is for internal use (CAT 0 exercises, CAT 6 investigations).
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// `cal_csirs` or `federal`.
    pub rule: &'static str,
    /// Short title, e.g. "CAT 2 \u{2014} Denial of Service (DoS)".
    pub title: &'static str,
    pub timeframe: Timeframe,
    /// Discovery + hours, when the timeframe is hours and the discovery time is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_at: Option<DateTime<Utc>>,
    /// The seed's words for the rule that applies.
    pub words: &'static str,
    /// Which condition chose the timeframe, in the seed's words, if one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<&'static str>,
    /// How Incident Desk reads the seed where it is silent or two conditions meet, shown beside
    /// the words (issue 13).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<&'static str>,
    pub source: &'static str,
}

/// CAT 2 outside its condition: the table gives a timeframe only for the ongoing, unmitigated case.
pub const CAT2_NOT_REQUIRED_READING: &str = "The federal table gives CAT 2 a timeframe only \u{201c}if the successful \
attack is still ongoing and the agency is unable to successfully mitigate activity\u{201d}. Incident Desk reads a denial \
of service that is not ongoing, or is mitigated, as not required federally (the Cal-CSIRS report within 60 minutes is \
still owed). Tick the condition if it applies.";

/// CAT 3 with both conditions ticked: the shorter deadline wins.
pub const CAT3_WIDESPREAD_READING: &str = "Both CAT 3 conditions are ticked: \u{201c}Within one (1) hour of \
discovery/detection if widespread across agency\u{201d} and \u{201c}Agencies are NOT required to report malicious logic \
that has been successfully quarantined by antivirus (AV) software\u{201d}. Incident Desk reads widespread as beating \
quarantined: the one-hour deadline is the safe reading when an infection both spread and was partly quarantined.";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    pub cal_csirs: Deadline,
    /// `None` until a federal category is chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub federal: Option<Deadline>,
}

/// Cal-CSIRS: "All Incidents will be reported within 60 minutes of detection" (seed 000).
pub const CAL_CSIRS_MINUTES: i64 = 60;

/// When the Cal-CSIRS report is due for an incident discovered at `discovered`.
pub fn cal_csirs_due(discovered: DateTime<Utc>) -> DateTime<Utc> {
    discovered + Duration::minutes(CAL_CSIRS_MINUTES)
}

const CA_CND: &str = "CA-CND, State of California incident reporting";
const FEDERAL: &str = "US-CERT Federal Incident Reporting Guidelines, Federal Agency Incident Categories";

pub fn deadlines(doc: &ReportDoc) -> Deadlines {
    let discovered = doc.incident.discovered_at.as_deref().and_then(parse_time).map(|t| t.with_timezone(&Utc));
    let due = |timeframe: Timeframe| match timeframe {
        Timeframe::WithinHours { hours } => discovered.map(|d| d + Duration::hours(i64::from(hours))),
        _ => None,
    };
    let cal_csirs = Deadline {
        rule: "cal_csirs",
        title: "Cal-CSIRS report",
        timeframe: Timeframe::WithinHours { hours: 1 },
        due_at: discovered.map(cal_csirs_due),
        words: "All Incidents will be reported within 60 minutes of detection via the: California Compliance and Security Incident Reporting System (Cal-CSIRS) portal",
        condition: None,
        reading: None,
        source: CA_CND,
    };
    let f = &doc.federal;
    let reading = match f.category.as_str() {
        "cat_2" if !f.cat2_ongoing_unmitigated => Some(CAT2_NOT_REQUIRED_READING),
        "cat_3" if f.cat3_widespread && f.cat3_quarantined_by_av => Some(CAT3_WIDESPREAD_READING),
        _ => None,
    };
    let federal = federal_timeframe(doc).map(|(title, timeframe, words, condition)| Deadline {
        rule: "federal",
        title,
        timeframe,
        due_at: due(timeframe),
        words,
        condition,
        reading,
        source: FEDERAL,
    });
    Deadlines { cal_csirs, federal }
}

type Rule = (&'static str, Timeframe, &'static str, Option<&'static str>);

/// The seed 003 table. Where two CAT 3 conditions are both ticked, "widespread" wins: the shorter
/// deadline is the safe reading when an infection both spread and was partly quarantined.
fn federal_timeframe(doc: &ReportDoc) -> Option<Rule> {
    let f = &doc.federal;
    let rule = match f.category.as_str() {
        "cat_0" => (
            "CAT 0 \u{2014} Exercise/Network Defense Testing",
            Timeframe::NotApplicable,
            "Not Applicable; this category is for each agency's internal use during exercises.",
            None,
        ),
        "cat_1" => ("CAT 1 \u{2014} Unauthorized Access", Timeframe::WithinHours { hours: 1 }, "Within one (1) hour of discovery/detection.", None),
        "cat_2" if f.cat2_ongoing_unmitigated => (
            "CAT 2 \u{2014} Denial of Service (DoS)",
            Timeframe::WithinHours { hours: 2 },
            "Within two (2) hours of discovery/detection if the successful attack is still ongoing and the agency is unable to successfully mitigate activity.",
            Some("the successful attack is still ongoing and the agency is unable to successfully mitigate activity"),
        ),
        "cat_2" => (
            "CAT 2 \u{2014} Denial of Service (DoS)",
            Timeframe::NotRequired,
            "Within two (2) hours of discovery/detection if the successful attack is still ongoing and the agency is unable to successfully mitigate activity.",
            None,
        ),
        "cat_3" if f.cat3_widespread => (
            "CAT 3 \u{2014} Malicious Code",
            Timeframe::WithinHours { hours: 1 },
            "Note: Within one (1) hour of discovery/detection if widespread across agency.",
            Some("widespread across agency"),
        ),
        "cat_3" if f.cat3_quarantined_by_av => (
            "CAT 3 \u{2014} Malicious Code",
            Timeframe::NotRequired,
            "Agencies are NOT required to report malicious logic that has been successfully quarantined by antivirus (AV) software.",
            Some("successfully quarantined by antivirus (AV) software"),
        ),
        "cat_3" => ("CAT 3 \u{2014} Malicious Code", Timeframe::Daily, "Daily", None),
        "cat_4" => ("CAT 4 \u{2014} Improper Usage", Timeframe::Weekly, "Weekly", None),
        "cat_5" if f.cat5_classified => (
            "CAT 5 \u{2014} Scans/Probes/Attempted Access",
            Timeframe::WithinHours { hours: 1 },
            "Note: If system is classified, report within one (1) hour of discovery.",
            Some("system is classified"),
        ),
        "cat_5" => ("CAT 5 \u{2014} Scans/Probes/Attempted Access", Timeframe::Monthly, "Monthly", None),
        "cat_6" => (
            "CAT 6 \u{2014} Investigation",
            Timeframe::NotApplicable,
            "Not Applicable; this category is for each agency's use to categorize a potential incident that is currently being investigated.",
            None,
        ),
        _ => return None,
    };
    Some(rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(category: &str, tick: fn(&mut ReportDoc), expected: Option<Timeframe>, due_minutes: Option<i64>) {
        let mut doc = ReportDoc::default();
        doc.incident.discovered_at = Some("2024-03-01T08:00:00-08:00".into());
        doc.federal.category = category.into();
        tick(&mut doc);
        let d = deadlines(&doc);
        let discovered = DateTime::parse_from_rfc3339("2024-03-01T16:00:00Z").expect("time").with_timezone(&Utc);
        assert_eq!(d.cal_csirs.due_at, Some(discovered + Duration::minutes(60)));
        assert_eq!(d.federal.as_ref().map(|f| f.timeframe), expected, "{category}");
        assert_eq!(
            d.federal.and_then(|f| f.due_at),
            due_minutes.map(|m| discovered + Duration::minutes(m)),
            "{category}"
        );
    }

    #[test]
    fn federal_table() {
        let none = |_: &mut ReportDoc| {};
        check("", none, None, None);
        check("cat_0", none, Some(Timeframe::NotApplicable), None);
        check("cat_1", none, Some(Timeframe::WithinHours { hours: 1 }), Some(60));
        check("cat_2", none, Some(Timeframe::NotRequired), None);
        check(
            "cat_2",
            |d| d.federal.cat2_ongoing_unmitigated = true,
            Some(Timeframe::WithinHours { hours: 2 }),
            Some(120),
        );
        check("cat_3", none, Some(Timeframe::Daily), None);
        check("cat_3", |d| d.federal.cat3_widespread = true, Some(Timeframe::WithinHours { hours: 1 }), Some(60));
        check("cat_3", |d| d.federal.cat3_quarantined_by_av = true, Some(Timeframe::NotRequired), None);
        check(
            "cat_3",
            |d| {
                d.federal.cat3_quarantined_by_av = true;
                d.federal.cat3_widespread = true;
            },
            Some(Timeframe::WithinHours { hours: 1 }),
            Some(60),
        );
        check("cat_4", none, Some(Timeframe::Weekly), None);
        check("cat_5", none, Some(Timeframe::Monthly), None);
        check("cat_5", |d| d.federal.cat5_classified = true, Some(Timeframe::WithinHours { hours: 1 }), Some(60));
        check("cat_6", none, Some(Timeframe::NotApplicable), None);
    }

    #[test]
    fn no_discovery_time_no_due_time() {
        let mut doc = ReportDoc::default();
        doc.federal.category = "cat_1".into();
        let d = deadlines(&doc);
        assert_eq!(d.cal_csirs.due_at, None);
        assert_eq!(d.federal.and_then(|f| f.due_at), None);
    }
}
