//! SEN levels as data (SIMM 5335-A III.B, III.D, III.G). A level id is a lower-case string from the
//! portal; the ids this edition of the standard defines have rules here, any other id (a later
//! edition added "low") is still stored and listed, only without computed windows.

use serde::{Deserialize, Serialize};

/// Which clock a level's windows run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    /// Absolute elapsed time, nights and weekends included.
    Clock,
    /// Business hours of the entity's calendar.
    Business,
}

/// The three response stages, each starting when the previous one ended (III.A step 3, III.D).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// From the SEN being sent to its acknowledgement.
    Acknowledge,
    /// From the acknowledgement to a false positive / confirmed incident determination.
    Determine,
    /// From a positive determination to the Cal-CSIRS incident record being associated.
    Record,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Acknowledge, Stage::Determine, Stage::Record];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Acknowledge => "acknowledge",
            Stage::Determine => "determine",
            Stage::Record => "record",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Acknowledge => "Acknowledge receipt",
            Stage::Determine => "Determination",
            Stage::Record => "Incident record associated",
        }
    }
}

/// One stage of one level: its window and the escalation offsets (levels 1, 2, 3), all in minutes
/// from the start of the stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StageRule {
    pub stage: Stage,
    pub window_minutes: u32,
    pub escalation_minutes: [u32; 3],
    /// The seed's words for this window.
    pub seed_words: &'static str,
}

/// The response rule of one level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LevelRule {
    /// Lower-case id as the portal sends it.
    pub id: &'static str,
    pub label: &'static str,
    /// Colour name of the level (III.B): red, orange, yellow.
    pub colour: &'static str,
    pub clock: ClockKind,
    pub stages: [StageRule; 3],
    /// Criteria the SOC uses to assign the level (Table 1), shortened.
    pub criteria: &'static str,
}

impl LevelRule {
    pub fn stage(&self, stage: Stage) -> &StageRule {
        &self.stages[stage as usize]
    }

    /// Sum of the three windows (3.5 clock h; 7 or 8 business h).
    pub fn total_minutes(&self) -> u32 {
        self.stages.iter().map(|s| s.window_minutes).sum()
    }
}

const fn stage(stage: Stage, window_minutes: u32, escalation_minutes: [u32; 3], seed_words: &'static str) -> StageRule {
    StageRule { stage, window_minutes, escalation_minutes, seed_words }
}

/// SIMM 5335-A III.D (windows) and III.G.2 (escalation timeframes).
pub const LEVELS: [LevelRule; 3] = [
    LevelRule {
        id: "critical",
        label: "Critical",
        colour: "red",
        clock: ClockKind::Clock,
        stages: [
            stage(Stage::Acknowledge, 60, [60, 150, 180], "one (1) clock hour from the time an initial SEN was sent to an Agency/state entity to acknowledge receipt of the SEN"),
            stage(Stage::Determine, 120, [120, 150, 180], "two (2) clock hours from the time a SEN is acknowledged to make a false positive or confirmed incident determination, unless requested help or more time needed is provided"),
            stage(Stage::Record, 30, [30, 60, 180], "thirty (30) clock minutes from the time a positive determination is made to create the Cal-CSIRS incident record and associate it with the corresponding SEN record"),
        ],
        criteria: "Exceptional events observed with 100% level of confidence of inbound and outbound attack traffic, traffic beaconing out, exfiltration of data, malicious payload, detonation of payload, ransomware.",
    },
    LevelRule {
        id: "high",
        label: "High",
        colour: "orange",
        clock: ClockKind::Business,
        stages: [
            stage(Stage::Acknowledge, 120, [120, 150, 180], "two (2) business hours from the time an initial SEN was sent to an Agency/state entity to acknowledge receipt of the SEN"),
            stage(Stage::Determine, 240, [240, 270, 300], "four (4) business hours from the time a SEN is acknowledged to make a false positive or confirmed incident determination, or help or more time needed is provided"),
            stage(Stage::Record, 60, [60, 90, 120], "one (1) business hour from the time a positive determination is made to create the Cal-CSIRS incident record and associate it with the corresponding SEN record"),
        ],
        criteria: "Observed with a very high level of confidence indicators of compromise (IOCs), such as inbound attack traffic typically associated with malicious and successful attacks, but SOC unable to determine if entity has its own line of defense in place to block or stop attack.",
    },
    LevelRule {
        id: "medium",
        label: "Medium",
        colour: "yellow",
        clock: ClockKind::Business,
        stages: [
            stage(Stage::Acknowledge, 120, [120, 150, 180], "two (2) business hours from the time an initial SEN was sent to an Agency/state entity to acknowledge receipt of the SEN"),
            stage(Stage::Determine, 240, [240, 270, 300], "four (4) business hours from the time a SEN is acknowledged to make a false positive or confirmed incident determination, or help or more time needed is provided"),
            stage(Stage::Record, 120, [120, 150, 180], "two (2) business hours from the time a positive determination is made to create the Cal-CSIRS incident record and associate it with the corresponding SEN record"),
        ],
        criteria: "Observed vulnerabilities with imminent threat and very high level of confidence they can and will be exploited if not remediated. Do not yet see inbound attack traffic.",
    },
];

/// The rule of a level id (case and surrounding space ignored), if this edition defines it.
pub fn rule(level: &str) -> Option<&'static LevelRule> {
    let id = level.trim();
    LEVELS.iter().find(|r| r.id.eq_ignore_ascii_case(id))
}

/// Normalizes a level as stored: trimmed, lower-case.
pub fn normalize(level: &str) -> String {
    level.trim().to_lowercase()
}

/// What the board shows for any level id, known or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelInfo {
    pub id: String,
    pub label: String,
    /// Colour name when known ("red", "orange", "yellow"), `None` otherwise (the UI uses a neutral style).
    pub colour: Option<&'static str>,
    pub rule: Option<&'static LevelRule>,
    /// Set for unknown levels: why no windows are computed.
    pub note: Option<String>,
}

pub fn describe(level: &str) -> LevelInfo {
    let id = normalize(level);
    match rule(&id) {
        Some(rule) => {
            LevelInfo { id, label: rule.label.to_string(), colour: Some(rule.colour), rule: Some(rule), note: None }
        }
        None => {
            let label = title_case(&id);
            LevelInfo {
                note: Some(format!(
                    "SIMM 5335-A (this edition) defines response windows for Critical, High and Medium only; \
                     no deadlines are computed for a \u{201c}{label}\u{201d} SEN. Check the current standard and track it by hand."
                )),
                id,
                label,
                colour: None,
                rule: None,
            }
        }
    }
}

fn title_case(id: &str) -> String {
    let mut chars = id.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "(no level)".to_string(),
    }
}

/// How escalation offsets are counted (a reading of the seed; see [`ESCALATION_CLOCK_SEED_WORDS`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationClock {
    /// Offsets run on the level's own window clock: business hours for High and Medium (default).
    #[default]
    SameAsWindow,
    /// Offsets are literal clock hours for every level, as III.G.2 is worded.
    LiteralClockHours,
}

/// The seed's words behind the escalation-clock setting, shown next to it.
pub const ESCALATION_CLOCK_SEED_WORDS: &str = "SIMM 5335-A III.G.2 words every escalation timeframe in clock hours, for \
High (Orange) and Medium (Yellow) too: \u{201c}For no Initial Acknowledgement escalation will be made as follows: \
i. After 2 clock hours for first level escalation (Level 1)\u{201d}, while III.D gives the same levels \u{201c}two (2) \
business hours from the time an initial SEN was sent to an Agency/state entity to acknowledge receipt of the SEN\u{201d}. \
Read literally, an after-hours High or Medium SEN would be escalated before its own response deadline. \
Default: escalation offsets run on the same clock as the level's response window (business hours for High and Medium). \
Choose \u{201c}literal clock hours\u{201d} to count them as the text is worded.";

/// Who an escalation level goes to (III.G.1, Table 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EscalationLevel {
    pub level: u8,
    /// Who the SEN is escalated to.
    pub to: &'static str,
    /// Who sends the escalation e-mail.
    pub email_from: &'static str,
    /// Who is telephoned (Critical and High).
    pub telephone: &'static [&'static str],
    /// Who is copied on the e-mail.
    pub email_copies: &'static [&'static str],
}

/// The escalation ladder, levels 1 to 3. Table 3 as extracted from the seed; the list columns are a
/// best reading of the table layout.
pub const ESCALATION_LADDER: [EscalationLevel; 3] = [
    EscalationLevel {
        level: 1,
        to: "Statewide Incident Program Manager (SIPM)",
        email_from: "Cal-CSIRS or SOC Analyst",
        telephone: &[
            "Designated entity ISO",
            "Designated entity backup ISO",
            "Designated entity CIO",
            "Designated entity backup CIO",
        ],
        email_copies: &[
            "Designated entity ISO",
            "Designated entity backup ISO",
            "Entity established SOC notify group email address",
            "Designated entity CIO",
            "Designated entity backup CIO",
        ],
    },
    EscalationLevel {
        level: 2,
        to: "State Chief Information Security Officer (CISO) and State Deputy CISO",
        email_from: "Cal-CSIRS or SIPM",
        telephone: &[
            "Designated entity ISO",
            "Designated entity backup ISO",
            "Designated entity CIO",
            "Designated entity backup CIO",
            "Designated AISO",
            "Designated backup AISO",
        ],
        email_copies: &[
            "Designated entity ISO",
            "Designated entity backup ISO",
            "Entity established SOC notify group email address",
            "Designated entity CIO",
            "Designated entity backup CIO",
            "Designated AISO",
            "Designated backup AISO",
        ],
    },
    EscalationLevel {
        level: 3,
        to: "State Chief Information Officer (CIO) and State Deputy CIO",
        email_from: "Cal-CSIRS or State Deputy CISO / State CISO",
        telephone: &[
            "Designated entity ISO",
            "Designated entity backup ISO",
            "Designated entity CIO",
            "Designated entity backup CIO",
            "Designated AISO and Designated AIO",
            "Designated backup AISO and Designated backup AIO",
        ],
        email_copies: &[
            "Designated entity ISO",
            "Designated entity backup ISO",
            "Entity established SOC notify group email address",
            "Designated entity CIO",
            "Designated entity backup CIO",
            "Designated AISO",
            "Designated AIO",
            "Designated backup AISO and designated backup AIO",
        ],
    },
];

/// The ladder entry for escalation level 1..=3.
pub fn escalation_level(level: u8) -> Option<&'static EscalationLevel> {
    ESCALATION_LADDER.iter().find(|l| l.level == level)
}

/// Who the SOC tells when it sends a SEN of one level (III.E, Table 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct InitialDistribution {
    /// Lower-case level id.
    pub level: &'static str,
    /// Who sends the SEN.
    pub from: &'static str,
    /// Telephone attempts to reach a live person, in order (empty: no calls for this level).
    pub telephone: &'static [&'static str],
    /// Who the initial SEN e-mail goes to.
    pub email: &'static [&'static str],
}

const PHONE_ORDER: &[&str] = &[
    "Designated entity ISO",
    "Designated entity backup ISO",
    "Designated entity CIO",
    "Designated entity backup CIO",
    "Designated AISO",
    "Designated entity backup AISO",
];

const INITIAL_EMAIL: &[&str] =
    &["Designated entity ISO", "Designated entity backup ISO", "Entity established SOC notify group email address"];

/// SIMM 5335-A Table 2 (initial SEN telephone and e-mail distribution), per level. The table as
/// extracted from the seed is jumbled; this is a best reading of the table layout, checked against
/// the text of III.E and III.A step 2: Critical and High get telephone attempts in the order ISO,
/// backup ISO, CIO, backup CIO, AISO, backup AISO and the e-mail; Medium gets the e-mail only.
pub const INITIAL_DISTRIBUTION: [InitialDistribution; 3] = [
    InitialDistribution { level: "critical", from: "SOC Analyst", telephone: PHONE_ORDER, email: INITIAL_EMAIL },
    InitialDistribution { level: "high", from: "SOC Analyst", telephone: PHONE_ORDER, email: INITIAL_EMAIL },
    InitialDistribution { level: "medium", from: "SOC Analyst", telephone: &[], email: INITIAL_EMAIL },
];

/// The seed's words behind Table 2, shown with it.
pub const INITIAL_DISTRIBUTION_SEED_WORDS: &str = "SIMM 5335-A III.E: \u{201c}For all Critical and High level events, \
the SOC Analyst will attempt to reach one of the designees (ISO, CIO, AISO or their backup) by telephone until contact \
is made or telephone numbers provided on the Designation Letter (SIMM 5330-A) for those individuals have been exhausted. \
Telephone messages will be left when there is an option of leaving a message. In addition, an email will be sent.\u{201d} \
Table 2 as extracted is jumbled; the lists shown are a best reading of the table layout.";

/// Table 2's row for a level id, if this edition defines it.
pub fn initial_distribution(level: &str) -> Option<&'static InitialDistribution> {
    let id = level.trim();
    INITIAL_DISTRIBUTION.iter().find(|d| d.level.eq_ignore_ascii_case(id))
}

/// The clock-hour reading (Critical), with the seed's words.
pub const CLOCK_HOURS_SEED_WORDS: &str =
    "SIMM 5335-A III.D: \u{201c}one (1) clock hour from the time an initial SEN was \
sent to an Agency/state entity to acknowledge receipt of the SEN\u{201d}. Incident Desk reads a clock hour as absolute \
elapsed time, nights, weekends and holidays included: a one-hour window across the autumn daylight-saving change ends \
one real hour later, whatever the wall clock shows.";

/// The projection reading (stages not started yet), with the seed's words.
pub const PROJECTION_SEED_WORDS: &str = "SIMM 5335-A III.D counts each stage from the end of the one before: \
\u{201c}from the time a SEN is acknowledged\u{201d}, \u{201c}from the time a positive determination is made\u{201d}. \
Until that time is known, Incident Desk projects a stage from the previous stage's due time (the latest it could \
start on time) and marks it \u{201c}projected\u{201d}; the real time replaces the projection when it is recorded.";

/// Every reading of the SEN clock shown with the seed's words, for the SEN pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SenReadings {
    pub clock_hours: &'static str,
    pub projections: &'static str,
    pub escalation_clock: &'static str,
    pub initial_distribution: &'static str,
    pub escalation_table: &'static str,
}

/// The seed's words behind Table 3 as shown (a best reading of the layout, like Table 2).
pub const ESCALATION_TABLE_SEED_WORDS: &str = "SIMM 5335-A III.G.1: \u{201c}When no response is received from the \
Agency/state entity within the established timeframes, the SEN will be escalated.\u{201d} \u{201c}For all Critical and \
High level events the Statewide Incident Program Manager (SIPM) will attempt to reach one of the designated individuals \
or their backup by telephone until contact is made or all telephone numbers provided on the Designation Letter (SIMM \
5330-A) have been exhausted.\u{201d} Table 3 as extracted is jumbled; its lists are a best reading of the table layout.";

pub const SEN_READINGS: SenReadings = SenReadings {
    clock_hours: CLOCK_HOURS_SEED_WORDS,
    projections: PROJECTION_SEED_WORDS,
    escalation_clock: ESCALATION_CLOCK_SEED_WORDS,
    initial_distribution: INITIAL_DISTRIBUTION_SEED_WORDS,
    escalation_table: ESCALATION_TABLE_SEED_WORDS,
};
