//! The entity profile's views: the profile as stored and its form (the same field kinds as the
//! report form's).

use super::report_doc::{ContactView, EntityView};
use super::report_schema::FieldKindView;
use desk_core::form::{Field, Section};
use desk_core::profile::Profile;
use serde::Serialize;

/// Who reports, for every new report.
#[derive(Serialize)]
pub struct ProfileView {
    entity: EntityView,
    reporting_person: ContactView,
    iso: ContactView,
    alternate: ContactView,
}

impl From<Profile> for ProfileView {
    fn from(p: Profile) -> Self {
        ProfileView {
            entity: p.entity.into(),
            reporting_person: p.reporting_person.into(),
            iso: p.iso.into(),
            alternate: p.alternate.into(),
        }
    }
}

/// One section of the profile form.
#[derive(Serialize)]
pub struct FormSectionView {
    id: &'static str,
    title: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'static str>,
    fields: Vec<FormFieldView>,
}

impl From<Section> for FormSectionView {
    fn from(s: Section) -> Self {
        FormSectionView {
            id: s.id,
            title: s.title,
            help: s.help,
            fields: s.fields.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize)]
pub struct FormFieldView {
    id: String,
    label: &'static str,
    kind: FieldKindView,
    required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    autocomplete: Option<&'static str>,
}

impl From<Field> for FormFieldView {
    fn from(f: Field) -> Self {
        FormFieldView {
            kind: (&f.kind).into(),
            id: f.id,
            label: f.label,
            required: f.required,
            help: f.help,
            autocomplete: f.autocomplete,
        }
    }
}
