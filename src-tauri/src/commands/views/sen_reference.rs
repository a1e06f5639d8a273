//! The SEN pages' reference data (the standard's tables and the seed's words) as the window reads
//! it: built from desk-core's static tables, so every view here borrows `'static` text.

use super::sen::clock_kind;
use desk_core::sen::help::{HelpContact, HelpGuide};
use desk_core::sen::levels::{EscalationLevel, InitialDistribution, LevelRule, SenReadings, StageRule};
use desk_core::sen::responses::{Placeholder, ResponseFormat};
use serde::Serialize;

/// Every row of one of the standard's tables, as views.
pub fn all<T, V: From<&'static T>>(table: &'static [T]) -> Vec<V> {
    table.iter().map(Into::into).collect()
}

/// The response rule of one level (III.B, III.D).
#[derive(Serialize)]
pub struct LevelRuleView {
    id: &'static str,
    label: &'static str,
    colour: &'static str,
    clock: &'static str,
    stages: Vec<StageRuleView>,
    criteria: &'static str,
}

impl From<&'static LevelRule> for LevelRuleView {
    fn from(r: &'static LevelRule) -> Self {
        LevelRuleView {
            id: r.id,
            label: r.label,
            colour: r.colour,
            clock: clock_kind(r.clock),
            stages: r.stages.iter().map(Into::into).collect(),
            criteria: r.criteria,
        }
    }
}

#[derive(Serialize)]
pub struct StageRuleView {
    stage: &'static str,
    window_minutes: u32,
    escalation_minutes: [u32; 3],
    seed_words: &'static str,
}

impl From<&'static StageRule> for StageRuleView {
    fn from(s: &'static StageRule) -> Self {
        StageRuleView {
            stage: s.stage.as_str(),
            window_minutes: s.window_minutes,
            escalation_minutes: s.escalation_minutes,
            seed_words: s.seed_words,
        }
    }
}

/// One of the six III.F response formats.
#[derive(Serialize)]
pub struct ResponseFormatView {
    id: &'static str,
    title: &'static str,
    template: &'static str,
    placeholders: Vec<PlaceholderView>,
    suggested_for_acknowledgement: bool,
    determination_outcome: Option<&'static str>,
}

impl From<&'static ResponseFormat> for ResponseFormatView {
    fn from(f: &'static ResponseFormat) -> Self {
        ResponseFormatView {
            id: f.id,
            title: f.title,
            template: f.template,
            placeholders: f.placeholders.iter().map(Into::into).collect(),
            suggested_for_acknowledgement: f.suggested_for_acknowledgement,
            determination_outcome: f.determination_outcome.map(|o| o.as_str()),
        }
    }
}

#[derive(Serialize)]
pub struct PlaceholderView {
    name: &'static str,
    bracket: &'static str,
    label: &'static str,
    choices: &'static [&'static str],
}

impl From<&'static Placeholder> for PlaceholderView {
    fn from(p: &'static Placeholder) -> Self {
        PlaceholderView { name: p.name, bracket: p.bracket, label: p.label, choices: p.choices }
    }
}

/// One rung of the escalation ladder (Table 3).
#[derive(Serialize)]
pub struct EscalationLevelView {
    level: u8,
    to: &'static str,
    email_from: &'static str,
    telephone: &'static [&'static str],
    email_copies: &'static [&'static str],
}

impl From<&'static EscalationLevel> for EscalationLevelView {
    fn from(e: &'static EscalationLevel) -> Self {
        EscalationLevelView {
            level: e.level,
            to: e.to,
            email_from: e.email_from,
            telephone: e.telephone,
            email_copies: e.email_copies,
        }
    }
}

/// Who the SOC phoned and e-mailed for one level (Table 2).
#[derive(Serialize)]
pub struct InitialDistributionView {
    level: &'static str,
    from: &'static str,
    telephone: &'static [&'static str],
    email: &'static [&'static str],
}

impl From<&'static InitialDistribution> for InitialDistributionView {
    fn from(d: &'static InitialDistribution) -> Self {
        InitialDistributionView { level: d.level, from: d.from, telephone: d.telephone, email: d.email }
    }
}

/// Who to contact for help, with the seed's words.
#[derive(Serialize)]
pub struct HelpGuideView {
    contacts: Vec<HelpContactView>,
    seed_words: &'static str,
    reading: &'static str,
    caution: &'static str,
    details_prefix: &'static str,
}

impl From<HelpGuide> for HelpGuideView {
    fn from(h: HelpGuide) -> Self {
        HelpGuideView {
            contacts: h.contacts.iter().map(Into::into).collect(),
            seed_words: h.seed_words,
            reading: h.reading,
            caution: h.caution,
            details_prefix: h.details_prefix,
        }
    }
}

#[derive(Serialize)]
pub struct HelpContactView {
    id: &'static str,
    name: &'static str,
    how: &'static str,
    phone: Option<&'static str>,
    email: Option<&'static str>,
    seed_words: &'static str,
    source: &'static str,
}

impl From<&'static HelpContact> for HelpContactView {
    fn from(c: &'static HelpContact) -> Self {
        HelpContactView {
            id: c.id,
            name: c.name,
            how: c.how,
            phone: c.phone,
            email: c.email,
            seed_words: c.seed_words,
            source: c.source,
        }
    }
}

/// The readings of the standard the desk makes, with the seed's words.
#[derive(Serialize)]
pub struct SenReadingsView {
    clock_hours: &'static str,
    projections: &'static str,
    escalation_clock: &'static str,
    initial_distribution: &'static str,
    escalation_table: &'static str,
}

impl From<SenReadings> for SenReadingsView {
    fn from(r: SenReadings) -> Self {
        SenReadingsView {
            clock_hours: r.clock_hours,
            projections: r.projections,
            escalation_clock: r.escalation_clock,
            initial_distribution: r.initial_distribution,
            escalation_table: r.escalation_table,
        }
    }
}
