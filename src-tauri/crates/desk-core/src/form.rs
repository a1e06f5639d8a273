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
    Text {
        max: usize,
    },
    Textarea {
        max: usize,
    },
    Email,
    /// One or more phone numbers, written in one control separated by `;`.
    Phones,
    /// A date and time, stored as RFC 3339 with an offset (the UI converts its local input).
    DateTime,
    /// A tick box; the value is a JSON boolean.
    Checkbox,
    /// One of fixed options; the value is the option's `value` (empty string: not chosen yet).
    Choice {
        options: Vec<ChoiceOption>,
    },
    /// An IPv4 or IPv6 address.
    IpAddress,
    /// A TCP/UDP port, 1 to 65535, written as text.
    Port,
    /// A whole number from 0 to `max`, written as text.
    Count {
        max: u64,
    },
}

/// One option of a `FieldKind::Choice`.
#[derive(Debug, Clone, Serialize)]
pub struct ChoiceOption {
    pub value: &'static str,
    pub label: &'static str,
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
