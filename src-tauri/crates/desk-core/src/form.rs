//! The description of a form that the UI renders: sections of typed fields with labels and help.
//! The core owns it so the UI never hard-codes a field, and validation messages name the same ids.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: &'static str,
    pub title: &'static str,
    /// Why this section exists, in the source's own words where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'static str>,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// Dotted path of the value in the record; also the id of the control and of its messages.
    pub id: String,
    pub label: &'static str,
    pub kind: FieldKind,
    /// Needed before the record can be saved or submitted.
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autocomplete: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum FieldKind {
    Text { max: usize },
    Textarea { max: usize },
    Email,
    /// One or more phone numbers, written in one control separated by `;`.
    Phones,
}

impl Field {
    pub fn new(id: impl Into<String>, label: &'static str, kind: FieldKind) -> Field {
        Field { id: id.into(), label, kind, required: false, help: None, autocomplete: None }
    }

    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub fn help(mut self, help: &'static str) -> Field {
        self.help = Some(help);
        self
    }

    pub fn autocomplete(mut self, token: &'static str) -> Field {
        self.autocomplete = Some(token);
        self
    }
}
