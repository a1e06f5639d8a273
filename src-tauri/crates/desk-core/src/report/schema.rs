//! The report form: the single source of truth the UI renders, validation walks, and readiness
//! checks. Sections of typed fields, each with the seed's own words as help, what is REQUIRED to
//! ready the report, what is RECOMMENDED (listed as missing while drafting), and when a section or
//! field is shown. Field ids are dotted paths into the report; rows of a list use `*` in the
//! schema (`computers.*.ip`) and their index in the record (`computers.3.ip`).

use crate::form::{ChoiceOption, Field, FieldKind};
use crate::profile;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;

pub const NAME_MAX: usize = 200;
pub const ADDRESS_MAX: usize = 500;
pub const DESCRIPTION_MAX: usize = 50_000;
pub const LONG_TEXT_MAX: usize = 20_000;
pub const TEXT_MAX: usize = 200;
pub const PROTOCOL_MAX: usize = 20;
/// More than California's population: a typo guard, not a rule.
pub const RESIDENTS_MAX: u64 = 50_000_000;
/// Civil Code 1798.29(e): more than this many residents notified → sample notice to the Attorney General.
pub const AG_SAMPLE_THRESHOLD: u64 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// Must be filled before the report can be readied or submitted.
    Required,
    /// Listed as missing while drafting; never blocks (reporting must not wait, seed 001/003).
    Recommended,
    Optional,
}

/// When a section or field applies. Evaluated on the report's JSON by both Rust and the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "op")]
pub enum Condition {
    /// The choice `field` has `value`.
    Equals { field: &'static str, value: &'static str },
    /// The checkbox `field` is ticked.
    Ticked { field: &'static str },
    /// The checkbox `field` is not ticked.
    NotTicked { field: &'static str },
}

impl Condition {
    pub fn holds(&self, doc: &Value) -> bool {
        let at = |field: &str| doc.pointer(&super::doc::pointer(field));
        match self {
            Condition::Equals { field, value } => at(field).and_then(Value::as_str) == Some(value),
            Condition::Ticked { field } => at(field).and_then(Value::as_bool) == Some(true),
            Condition::NotTicked { field } => at(field).and_then(Value::as_bool) != Some(true),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportField {
    #[serde(flatten)]
    pub field: Field,
    pub need: Need,
    /// The need applies only while this holds (e.g. the time of occurrence unless "unknown" is ticked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub need_when: Option<Condition>,
    /// The field is shown (and judged) only while this holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shown_when: Option<Condition>,
}

/// A need on a whole section: at least one box ticked, or at least one row.
#[derive(Debug, Clone, Serialize)]
pub struct SectionNeed {
    pub need: Need,
    pub rule: GroupRule,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// What the missing-list says.
    pub label: &'static str,
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupRule {
    OneTicked,
    OneRow,
}

/// A section whose fields repeat per row (`computers.*.ip`).
#[derive(Debug, Clone, Serialize)]
pub struct Repeat {
    pub list: &'static str,
    pub max_rows: usize,
    pub row_label: &'static str,
    pub add_label: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportSection {
    pub id: &'static str,
    pub title: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shown_when: Option<Condition>,
    /// Show the section prominently while this holds (affected computers for theft or crime).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emphasised_when: Option<Condition>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeat: Option<Repeat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_need: Option<SectionNeed>,
    pub fields: Vec<ReportField>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportSchema {
    pub sections: Vec<ReportSection>,
}

struct Built {
    schema: ReportSchema,
    /// Schema id (`computers.*.ip`) → (section, field).
    index: HashMap<String, (usize, usize)>,
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let schema = build();
        let mut index = HashMap::new();
        for (s, section) in schema.sections.iter().enumerate() {
            for (f, field) in section.fields.iter().enumerate() {
                index.insert(field.field.id.clone(), (s, f));
            }
        }
        Built { schema, index }
    })
}

/// The report form, as the UI renders it (serialize it with serde).
pub fn schema() -> &'static ReportSchema {
    &built().schema
}

/// The field a record path (`computers.3.ip`) belongs to.
pub fn field(path: &str) -> Option<&'static ReportField> {
    section_and_field(path).map(|(_, f)| f)
}

pub fn section_and_field(path: &str) -> Option<(&'static ReportSection, &'static ReportField)> {
    let b = built();
    let (s, f) = *b.index.get(&template_id(path))?;
    let section = &b.schema.sections[s];
    Some((section, &section.fields[f]))
}

/// `computers.3.ip` → `computers.*.ip`.
pub fn template_id(path: &str) -> String {
    path.split('.')
        .map(|seg| if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) { "*" } else { seg })
        .collect::<Vec<_>>()
        .join(".")
}

/// The label of a record path, for messages and summaries.
pub fn label(path: &str) -> &'static str {
    if let Some(f) = field(path) {
        return f.field.label;
    }
    schema().sections.iter().find(|s| s.id == path).map(|s| s.title).unwrap_or("")
}

fn need(field: Field, need: Need) -> ReportField {
    let field = if need == Need::Required { field.required() } else { field };
    ReportField { field, need, need_when: None, shown_when: None }
}

impl ReportField {
    fn need_when(mut self, c: Condition) -> Self {
        self.need_when = Some(c);
        self
    }
    fn shown_when(mut self, c: Condition) -> Self {
        self.shown_when = Some(c);
        self
    }
}

fn section(id: &'static str, title: &'static str, help: &'static str, fields: Vec<ReportField>) -> ReportSection {
    ReportSection {
        id,
        title,
        help: Some(help),
        shown_when: None,
        emphasised_when: None,
        repeat: None,
        group_need: None,
        fields,
    }
}

pub const CATEGORY_OPTIONS: [(&str, &str); 7] = [
    ("cat_0", "CAT 0 \u{2014} Exercise/Network Defense Testing"),
    ("cat_1", "CAT 1 \u{2014} Unauthorized Access"),
    ("cat_2", "CAT 2 \u{2014} Denial of Service (DoS)"),
    ("cat_3", "CAT 3 \u{2014} Malicious Code"),
    ("cat_4", "CAT 4 \u{2014} Improper Usage"),
    ("cat_5", "CAT 5 \u{2014} Scans/Probes/Attempted Access"),
    ("cat_6", "CAT 6 \u{2014} Investigation"),
];

/// Seed 000 in its own words, beside the law-enforcement-sensitive question.
pub const LAW_ENFORCEMENT_SEED_WORDS: &str = "\u{201c}If you have a situation that is Law Enforcement Sensitive or involves an ongoing criminal investigation, contact the California Highway Patrol (CHP) Computer Crimes Investigation Unit (CCIU) directly for guidance.\u{201d} (CA-CND)";

/// What the ISO reads first when the answer is yes: CCIU for guidance, and the report still owed.
pub const LAW_ENFORCEMENT_GUIDANCE: &str = "Law enforcement sensitive: contact the CHP Computer Crimes Investigation Unit (CCIU) directly for guidance. The Cal-CSIRS report is still owed within 60 minutes of detection.";

pub const PI_OPTIONS: [(&str, &str); 3] = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known yet")];

fn options(list: &[(&'static str, &'static str)]) -> FieldKind {
    FieldKind::Choice { options: list.iter().map(|&(value, label)| ChoiceOption { value, label }).collect() }
}

const CRIMINAL: Condition = Condition::Ticked { field: "categories.criminal_activity" };
const PI_YES: Condition = Condition::Equals { field: "personal_info.involved", value: "yes" };

fn build() -> ReportSchema {
    use FieldKind::*;
    let mut sections = Vec::new();

    // Who reports: the entity profile's own sections, so a new report pre-fills from it.
    for s in profile::schema() {
        let fields = s
            .fields
            .into_iter()
            .map(|f| {
                let level = match f.id.as_str() {
                    "entity.name" | "reporting_person.name" | "reporting_person.phones" => Need::Required,
                    "entity.address"
                    | "reporting_person.email"
                    | "iso.name"
                    | "iso.email"
                    | "iso.phones"
                    | "alternate.name"
                    | "alternate.phones" => Need::Recommended,
                    _ => Need::Optional,
                };
                need(f, level)
            })
            .collect();
        let help = match s.id {
            "reporting_person" => Some("\u{201c}Name, address, e-mail address, and phone number(s) of the reporting person.\u{201d} (SIMM 5340-A guidance)"),
            "iso" => Some("\u{201c}Name, address, e-mail address, and phone number(s) of the ISO.\u{201d} (SIMM 5340-A guidance)"),
            _ => s.help,
        };
        sections.push(ReportSection {
            id: s.id,
            title: s.title,
            help,
            shown_when: None,
            emphasised_when: None,
            repeat: None,
            group_need: None,
            fields,
        });
    }

    sections.push(section(
        "incident",
        "The incident",
        "\u{201c}All Incidents will be reported within 60 minutes of detection\u{201d} (CA-CND). \u{201c}Reporting should NOT be delayed until all of this information is gathered.\u{201d} (SIMM 5340-A guidance)",
        vec![
            need(Field::new("incident.description", "Description", Textarea { max: DESCRIPTION_MAX }), Need::Required)
                .into_help("\u{201c}Description of the incident.\u{201d} (SIMM 5340-A guidance)"),
            need(Field::new("incident.occurred_at", "Occurred at", DateTime), Need::Recommended)
                .need_when(Condition::NotTicked { field: "incident.occurred_unknown" })
                .into_help("\u{201c}Date and time the incident occurred.\u{201d} \u{201c}Incident date and time, including time zone\u{201d} (federal guidelines). Tick \u{201c}unknown\u{201d} if it is not known."),
            need(Field::new("incident.occurred_unknown", "Time of occurrence unknown", Checkbox), Need::Optional),
            need(Field::new("incident.law_enforcement_sensitive", "Law enforcement sensitive, or an ongoing criminal investigation?", options(&PI_OPTIONS)), Need::Optional)
                .into_help(LAW_ENFORCEMENT_SEED_WORDS),
            need(Field::new("incident.discovered_at", "Discovered at", DateTime), Need::Required)
                .into_help("\u{201c}Date and time the incident was discovered.\u{201d} The 60-minute Cal-CSIRS deadline runs from here."),
            need(Field::new("incident.actions_taken", "Actions taken since discovery", Textarea { max: LONG_TEXT_MAX }), Need::Recommended)
                .into_help("\u{201c}Any actions at and following the time of discovery that were taken prior to reporting incident on Cal-CSIRS.\u{201d} (SIMM 5340-A guidance)"),
        ],
    ));

    let sub = |id: &'static str, label: &'static str| {
        need(Field::new(format!("categories.criminal.{id}"), label, Checkbox), Need::Optional).shown_when(CRIMINAL)
    };
    let mut categories = section(
        "categories",
        "Mandatory reporting categories",
        "Tick every category that applies: the CA-CND \u{201c}Mandatory Reporting Categories\u{201d}.",
        vec![
            need(Field::new("categories.loss_or_compromise", "Loss or compromise of state data or processing resources", Checkbox), Need::Optional)
                .into_help("\u{201c}Loss or Compromise of State Data or Processing Resources (includes electronic, paper, or any other medium)\u{201d}"),
            need(Field::new("categories.criminal_activity", "Criminal activity", Checkbox), Need::Optional)
                .into_help("\u{201c}Criminal Activity - Use of a state information asset in commission of a crime.\u{201d}"),
            sub("unauthorized_access", "Unauthorized access"),
            sub("attacks", "Attacks"),
            sub("inappropriate_use", "Inappropriate use"),
            sub("outage_over_2_hours", "Outages or disruptions (> 2 hrs)"),
            sub("theft_or_destruction", "Theft or destruction of government property"),
            sub("policy_violation", "Violation of the agency's privacy or information security policies")
                .into_help("\u{201c}any incident that violates privacy of information security policies of the agency\u{201d}"),
            need(Field::new("categories.media_coverage", "Media coverage", Checkbox), Need::Optional)
                .into_help("\u{201c}Any event cybersecurity related event adversely impacting a state activity that generates local, regional, or national media coverage.\u{201d}"),
        ],
    );
    categories.group_need = Some(SectionNeed {
        need: Need::Recommended,
        rule: GroupRule::OneTicked,
        when: None,
        label: "Mandatory reporting category",
    });
    sections.push(categories);

    let cat = |value: &'static str| Condition::Equals { field: "federal.category", value };
    sections.push(section(
        "federal",
        "Federal incident category",
        "\u{201c}Incident Category Type (e.g., CAT 1, CAT 2, etc., see table)\u{201d} (federal incident reporting guidelines). Some conditions change the reporting timeframe.",
        vec![
            need(Field::new("federal.category", "Category", options(&CATEGORY_OPTIONS)), Need::Recommended),
            need(Field::new("federal.cat2_ongoing_unmitigated", "The attack is still ongoing and cannot be mitigated", Checkbox), Need::Optional)
                .shown_when(cat("cat_2"))
                .into_help("\u{201c}Within two (2) hours of discovery/detection if the successful attack is still ongoing and the agency is unable to successfully mitigate activity.\u{201d}"),
            need(Field::new("federal.cat3_widespread", "Widespread across the agency", Checkbox), Need::Optional)
                .shown_when(cat("cat_3"))
                .into_help("\u{201c}Note: Within one (1) hour of discovery/detection if widespread across agency.\u{201d}"),
            need(Field::new("federal.cat3_quarantined_by_av", "Successfully quarantined by antivirus", Checkbox), Need::Optional)
                .shown_when(cat("cat_3"))
                .into_help("\u{201c}Agencies are NOT required to report malicious logic that has been successfully quarantined by antivirus (AV) software.\u{201d}"),
            need(Field::new("federal.cat5_classified", "The system is classified", Checkbox), Need::Optional)
                .shown_when(cat("cat_5"))
                .into_help("\u{201c}Note: If system is classified, report within one (1) hour of discovery.\u{201d}"),
        ],
    ));

    let computer = |id: &'static str, label: &'static str, kind: FieldKind, level: Need, help: &'static str| {
        let f = need(Field::new(format!("computers.*.{id}"), label, kind), level).into_help(help);
        if level == Need::Recommended {
            f.need_when(CRIMINAL)
        } else {
            f
        }
    };
    let mut computers = section(
        "computers",
        "Affected computers",
        "\u{201c}The ISO should attempt to gather the following additional information before reporting incident about incidents involving computer-related theft or crime\u{201d} (SIMM 5340-A guidance).",
        vec![
            computer("make_model", "Make / model", Text { max: TEXT_MAX }, Need::Recommended, "\u{201c}Make / model of the affected computer(s).\u{201d}"),
            computer("serial_number", "Serial number", Text { max: TEXT_MAX }, Need::Recommended, "\u{201c}Serial and state asset identification numbers of affected devices.\u{201d}"),
            computer("asset_number", "State asset number", Text { max: TEXT_MAX }, Need::Recommended, "\u{201c}Serial and state asset identification numbers of affected devices.\u{201d}"),
            computer("ip", "IP address", IpAddress, Need::Recommended, "\u{201c}IP address of the affected computer(s).\u{201d} IPv4 or IPv6."),
            computer("hostname", "Assigned name (hostname)", Text { max: TEXT_MAX }, Need::Recommended, "\u{201c}Assigned name of the affected computer(s).\u{201d}"),
            computer("os", "Operating system", Text { max: TEXT_MAX }, Need::Recommended, "\u{201c}Operating System, including version, patches, etc.\u{201d} (federal guidelines)"),
            computer("location", "Location", Text { max: TEXT_MAX }, Need::Recommended, "\u{201c}Location of the affected computer(s).\u{201d}"),
            computer("function", "System function", Text { max: TEXT_MAX }, Need::Optional, "\u{201c}System Function (e.g., DNS/web server, workstation, etc.)\u{201d} (federal guidelines)"),
            computer("antivirus", "Antivirus", Text { max: TEXT_MAX }, Need::Optional, "\u{201c}Antivirus software installed, including version, and latest updates\u{201d} (federal guidelines)"),
        ],
    );
    computers.emphasised_when = Some(CRIMINAL);
    computers.repeat = Some(Repeat {
        list: super::doc::COMPUTERS,
        max_rows: super::doc::MAX_COMPUTERS,
        row_label: "Computer",
        add_label: "Add a computer",
    });
    computers.group_need = Some(SectionNeed {
        need: Need::Recommended,
        rule: GroupRule::OneRow,
        when: Some(CRIMINAL),
        label: "Affected computers (computer-related theft or crime)",
    });
    sections.push(computers);

    let endpoint = |id: &'static str, label: &'static str, kind: FieldKind, help: &'static str| {
        need(Field::new(format!("network.{id}"), label, kind), Need::Optional).into_help(help)
    };
    sections.push(section(
        "network",
        "Network details",
        "\u{201c}Source IP, port, and protocol\u{201d}; \u{201c}Destination IP, port, and protocol\u{201d} (federal guidelines).",
        vec![
            endpoint("source_ip", "Source IP", IpAddress, "IPv4 or IPv6."),
            endpoint("source_port", "Source port", Port, "1 to 65535."),
            endpoint("source_protocol", "Source protocol", Text { max: PROTOCOL_MAX }, "e.g. TCP, UDP, ICMP."),
            endpoint("destination_ip", "Destination IP", IpAddress, "IPv4 or IPv6."),
            endpoint("destination_port", "Destination port", Port, "1 to 65535."),
            endpoint("destination_protocol", "Destination protocol", Text { max: PROTOCOL_MAX }, "e.g. TCP, UDP, ICMP."),
        ],
    ));

    sections.push(section(
        "response",
        "Detection, impact and resolution",
        "\u{201c}In this case, incident response teams should continue to report information as it is collected.\u{201d} (federal guidelines)",
        vec![
            need(Field::new("response.detection_method", "Detection method", Textarea { max: LONG_TEXT_MAX }), Need::Recommended)
                .into_help("\u{201c}Method used to identify the incident (e.g., IDS, audit log analysis, system administrator)\u{201d}"),
            need(Field::new("response.impact", "Impact", Textarea { max: LONG_TEXT_MAX }), Need::Recommended)
                .into_help("\u{201c}Impact to agency\u{201d}"),
            need(Field::new("response.resolution", "Resolution", Textarea { max: LONG_TEXT_MAX }), Need::Optional)
                .into_help("\u{201c}Resolution\u{201d}"),
        ],
    ));

    sections.push(section(
        "personal_info",
        "Personal information",
        "\u{201c}it is also important to report if the incident involves personally identifiable information, such as breach notice-triggering personal information as defined in California Civil Code Section 1798.29.\u{201d} (SIMM 5340-A guidance)",
        vec![
            need(Field::new("personal_info.involved", "Breach notice-triggering personal information involved?", options(&PI_OPTIONS)), Need::Recommended),
            need(Field::new("personal_info.types", "Types of personal information", Textarea { max: LONG_TEXT_MAX }), Need::Recommended)
                .shown_when(PI_YES)
                .into_help("Which data elements of Civil Code Section 1798.29 were involved."),
            need(Field::new("personal_info.residents_to_notify", "California residents to notify", Count { max: RESIDENTS_MAX }), Need::Recommended)
                .shown_when(PI_YES)
                .into_help("\u{201c}any state entity that is required to issue a security breach notification to more than 500 California residents, as a result of a single breach, to electronically submit a sample copy of the breach notification, excluding any personally identifiable information, to the Attorney General.\u{201d} (Civil Code 1798.29 (e))"),
        ],
    ));

    sections.push(section(
        "sen",
        "Security Event Notification",
        "If this report answers a SOC Security Event Notification, its number: a confirmed SEN must end in an incident report associated with it (SIMM 5335-A).",
        vec![need(Field::new("sen.sen_number", "SEN number", Text { max: 64 }), Need::Optional)],
    ));

    ReportSchema { sections }
}

trait IntoHelp {
    fn into_help(self, help: &'static str) -> Self;
}

impl IntoHelp for ReportField {
    fn into_help(mut self, help: &'static str) -> Self {
        self.field = self.field.help(help);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_field_is_a_path_of_the_report() {
        let mut doc = super::super::doc::ReportDoc::default();
        doc.add_row("computers").expect("row");
        let tree = doc.to_value().expect("json");
        for s in &schema().sections {
            for f in &s.fields {
                let path = f.field.id.replace('*', "0");
                assert!(tree.pointer(&super::super::doc::pointer(&path)).is_some(), "{path}");
                assert_eq!(f.field.required, f.need == Need::Required, "{path}");
            }
        }
    }

    #[test]
    fn minimum_required_fields() {
        let required: Vec<&str> = schema()
            .sections
            .iter()
            .flat_map(|s| &s.fields)
            .filter(|f| f.need == Need::Required)
            .map(|f| f.field.id.as_str())
            .collect();
        assert_eq!(
            required,
            [
                "entity.name",
                "reporting_person.name",
                "reporting_person.phones",
                "incident.description",
                "incident.discovered_at"
            ]
        );
    }

    #[test]
    fn template_ids() {
        assert_eq!(template_id("computers.12.ip"), "computers.*.ip");
        assert_eq!(field("computers.3.ip").map(|f| f.field.label), Some("IP address"));
        assert!(field("computers.x.ip").is_none());
    }
}
