//! Asking for help with a SEN (issue 13): the "request help" determination and who to call.
//!
//! Seed 002 III.A 3d: "The notified Agency/state entity may request SOC assistance with making a
//! determination." Seed 000: "Entities who need assistance responding to cybersecurity related
//! events should contact the Cal-CSIC for assistance." Only the numbers the seeds give are shown;
//! the seeds give none for the Cal-CSIC.
//!
//! On the wire: the portal contract (v1) knows only `confirmed_incident | false_positive |
//! more_time`. A help request is sent as `"outcome": "more_time"` with no `findings_by` and
//! `details` starting with [`HELP_DETAILS_PREFIX`], so a portal (or a person reading the SEN record)
//! tells it apart from a request for more time, which always carries `findings_by`.

use serde::Serialize;

/// The start of `details` of a help request on the wire.
pub const HELP_DETAILS_PREFIX: &str = "Assistance requested from the SOC: ";

/// The seed's words behind the help request, shown beside it.
pub const HELP_SEED_WORDS: &str = "SIMM 5335-A III.A 3d: \u{201c}The notified Agency/state entity may request SOC \
assistance with making a determination.\u{201d} III.D: \u{201c}two (2) clock hours from the time a SEN is acknowledged \
to make a false positive or confirmed incident determination, unless requested help or more time needed is \
provided\u{201d}. CA-CND: \u{201c}Entities who need assistance responding to cybersecurity related events should \
contact the Cal-CSIC for assistance.\u{201d}";

/// How Incident Desk reads a help request (a reading: shown with the seed's words).
pub const HELP_READING: &str = "A help request made by the determination's due time answers the window: while it \
is open no determination deadline runs and its escalations are averted, and the determination made later is on \
time. A help request made after the due time does not move anything: the stage stays late and escalations that \
already passed stay passed. Record the final determination (confirmed incident or false positive) when it is made.";

/// The caution of III.C, shown with the contacts.
pub const HELP_CAUTION: &str = "SIMM 5335-A III.C: \u{201c}The CHP, OIS, and Cal-CSIC coordinate with each other and \
the reporting Agencies/state entities during response activities, but may not be able to provide investigative \
and forensic assistance for all events.\u{201d}";

/// Someone to ask for help, with the seed's words and only the contact details the seed gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HelpContact {
    pub id: &'static str,
    pub name: &'static str,
    /// How to reach them.
    pub how: &'static str,
    pub phone: Option<&'static str>,
    pub email: Option<&'static str>,
    pub seed_words: &'static str,
    pub source: &'static str,
}

/// Who to contact for help, in the order to try.
pub const HELP_CONTACTS: [HelpContact; 3] = [
    HelpContact {
        id: "soc",
        name: "CDT Security Operations Center (SOC)",
        how: "The help request recorded here is sent on the SEN record in Cal-CSIRS (queued in the outbox until the portal has it).",
        phone: None,
        email: None,
        seed_words: "The notified Agency/state entity may request SOC assistance with making a determination.",
        source: "SIMM 5335-A III.A step 3d",
    },
    HelpContact {
        id: "cal_csic",
        name: "California Cybersecurity Integration Center (Cal-CSIC)",
        how: "The guidance gives no telephone number or address: use the Cal-CSIC contact in your incident response plan.",
        phone: None,
        email: None,
        seed_words: "Entities who need assistance responding to cybersecurity related events should contact the Cal-CSIC for assistance.",
        source: "CA-CND, Support Services for Reported Events",
    },
    HelpContact {
        id: "ois",
        name: "CDT Office of Information Security (OIS)",
        how: "For questions or assistance with incident reporting.",
        phone: Some("(916) 445-5239"),
        email: Some("Security@state.ca.gov"),
        seed_words: "Contact the Office of Information Security if you have questions or need assistance with incident reporting. Questions may be directed to Security@state.ca.gov or by calling (916) 445-5239.",
        source: "CDT OIS Incident Management (SIMM 5340-A guidance), Questions and Contacts",
    },
];

/// What the SEN pages and the CLI show about asking for help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HelpGuide {
    pub contacts: &'static [HelpContact],
    pub seed_words: &'static str,
    pub reading: &'static str,
    pub caution: &'static str,
    pub details_prefix: &'static str,
}

pub const HELP_GUIDE: HelpGuide = HelpGuide {
    contacts: &HELP_CONTACTS,
    seed_words: HELP_SEED_WORDS,
    reading: HELP_READING,
    caution: HELP_CAUTION,
    details_prefix: HELP_DETAILS_PREFIX,
};

/// The `details` a help request carries on the wire.
pub fn wire_details(details: &str) -> String {
    format!("{HELP_DETAILS_PREFIX}{}", details.trim())
}
