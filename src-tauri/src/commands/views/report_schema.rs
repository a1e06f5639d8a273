//! The report form's description as the window renders it (`report_schema`): sections of typed
//! fields with their needs and conditions, borrowed from the core's schema (built once).

use desk_core::form::{ChoiceOption, FieldKind};
use desk_core::report::schema::{
    Condition, GroupRule, Need, Repeat, ReportField, ReportSchema, ReportSection, SectionNeed,
};
use serde::Serialize;

#[derive(Serialize)]
pub struct ReportSchemaView {
    sections: Vec<ReportSectionView>,
}

impl From<&'static ReportSchema> for ReportSchemaView {
    fn from(s: &'static ReportSchema) -> Self {
        ReportSchemaView { sections: s.sections.iter().map(Into::into).collect() }
    }
}

#[derive(Serialize)]
pub struct ReportSectionView {
    id: &'static str,
    title: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shown_when: Option<ConditionView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    emphasised_when: Option<ConditionView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repeat: Option<RepeatView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_need: Option<SectionNeedView>,
    fields: Vec<ReportFieldView>,
}

impl From<&'static ReportSection> for ReportSectionView {
    fn from(s: &'static ReportSection) -> Self {
        ReportSectionView {
            id: s.id,
            title: s.title,
            help: s.help,
            shown_when: s.shown_when.as_ref().map(Into::into),
            emphasised_when: s.emphasised_when.as_ref().map(Into::into),
            repeat: s.repeat.as_ref().map(Into::into),
            group_need: s.group_need.as_ref().map(Into::into),
            fields: s.fields.iter().map(Into::into).collect(),
        }
    }
}

/// One field: the form's typed control, its need and when it applies.
#[derive(Serialize)]
pub struct ReportFieldView {
    id: &'static str,
    label: &'static str,
    kind: FieldKindView,
    required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    autocomplete: Option<&'static str>,
    need: NeedView,
    #[serde(skip_serializing_if = "Option::is_none")]
    need_when: Option<ConditionView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shown_when: Option<ConditionView>,
}

impl From<&'static ReportField> for ReportFieldView {
    fn from(f: &'static ReportField) -> Self {
        ReportFieldView {
            id: &f.field.id,
            label: f.field.label,
            kind: (&f.field.kind).into(),
            required: f.field.required,
            help: f.field.help,
            autocomplete: f.field.autocomplete,
            need: f.need.into(),
            need_when: f.need_when.as_ref().map(Into::into),
            shown_when: f.shown_when.as_ref().map(Into::into),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum FieldKindView {
    Text { max: usize },
    Textarea { max: usize },
    Email,
    Phones,
    DateTime,
    Checkbox,
    Choice { options: Vec<ChoiceOptionView> },
    IpAddress,
    Port,
    Count { max: u64 },
}

/// Any form's field kind (the report's, the profile's): every part of it is copied.
impl From<&FieldKind> for FieldKindView {
    fn from(k: &FieldKind) -> Self {
        match k {
            FieldKind::Text { max } => FieldKindView::Text { max: *max },
            FieldKind::Textarea { max } => FieldKindView::Textarea { max: *max },
            FieldKind::Email => FieldKindView::Email,
            FieldKind::Phones => FieldKindView::Phones,
            FieldKind::DateTime => FieldKindView::DateTime,
            FieldKind::Checkbox => FieldKindView::Checkbox,
            FieldKind::Choice { options } => {
                FieldKindView::Choice { options: options.iter().map(Into::into).collect() }
            }
            FieldKind::IpAddress => FieldKindView::IpAddress,
            FieldKind::Port => FieldKindView::Port,
            FieldKind::Count { max } => FieldKindView::Count { max: *max },
        }
    }
}

#[derive(Serialize)]
pub struct ChoiceOptionView {
    value: &'static str,
    label: &'static str,
}

impl From<&ChoiceOption> for ChoiceOptionView {
    fn from(o: &ChoiceOption) -> Self {
        ChoiceOptionView { value: o.value, label: o.label }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NeedView {
    Required,
    Recommended,
    Optional,
}

impl From<Need> for NeedView {
    fn from(n: Need) -> Self {
        match n {
            Need::Required => NeedView::Required,
            Need::Recommended => NeedView::Recommended,
            Need::Optional => NeedView::Optional,
        }
    }
}

/// When a section or field applies; the UI evaluates it on the report's content.
#[derive(Serialize)]
#[serde(rename_all = "snake_case", tag = "op")]
pub enum ConditionView {
    Equals { field: &'static str, value: &'static str },
    Ticked { field: &'static str },
    NotTicked { field: &'static str },
}

impl From<&'static Condition> for ConditionView {
    fn from(c: &'static Condition) -> Self {
        match *c {
            Condition::Equals { field, value } => ConditionView::Equals { field, value },
            Condition::Ticked { field } => ConditionView::Ticked { field },
            Condition::NotTicked { field } => ConditionView::NotTicked { field },
        }
    }
}

#[derive(Serialize)]
pub struct RepeatView {
    list: &'static str,
    max_rows: usize,
    row_label: &'static str,
    add_label: &'static str,
}

impl From<&'static Repeat> for RepeatView {
    fn from(r: &'static Repeat) -> Self {
        RepeatView { list: r.list, max_rows: r.max_rows, row_label: r.row_label, add_label: r.add_label }
    }
}

#[derive(Serialize)]
pub struct SectionNeedView {
    need: NeedView,
    rule: GroupRuleView,
    #[serde(skip_serializing_if = "Option::is_none")]
    when: Option<ConditionView>,
    label: &'static str,
}

impl From<&'static SectionNeed> for SectionNeedView {
    fn from(n: &'static SectionNeed) -> Self {
        SectionNeedView {
            need: n.need.into(),
            rule: n.rule.into(),
            when: n.when.as_ref().map(Into::into),
            label: n.label,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupRuleView {
    OneTicked,
    OneRow,
}

impl From<GroupRule> for GroupRuleView {
    fn from(r: GroupRule) -> Self {
        match r {
            GroupRule::OneTicked => GroupRuleView::OneTicked,
            GroupRule::OneRow => GroupRuleView::OneRow,
        }
    }
}
