//! The entity profile: who reports. Later forms (reports, SEN responses) pre-fill from it.
//! Source: SIMM 5340-A guidance (seed 001), "The ISO should attempt to gather the following
//! information before reporting the incident".

use crate::error::{FieldError, Result};
use crate::form::{Field, FieldKind, Section};
use crate::{settings, validate};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where the profile is kept.
pub const SETTING: settings::Key<Profile> = settings::Key::new("profile");
const NAME_MAX: usize = 200;
const ADDRESS_MAX: usize = 500;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub address: String,
    pub email: String,
    pub phones: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Entity {
    pub name: String,
    pub address: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    pub entity: Entity,
    pub reporting_person: Contact,
    pub iso: Contact,
    pub alternate: Contact,
}

/// The contacts of a profile, with their field prefix and title, in form order.
const CONTACTS: [(&str, &str, Option<&str>); 3] = [
    ("reporting_person", "Reporting person", None),
    ("iso", "Information Security Officer (ISO)", None),
    (
        "alternate",
        "Alternate contact",
        Some("\u{201c}Name, address, e-mail address, and phone number(s) of the alternate contact (e.g., alternate ISO, system administrator, etc.).\u{201d} (SIMM 5340-A guidance)"),
    ),
];

impl Profile {
    fn contact(&self, prefix: &str) -> &Contact {
        match prefix {
            "reporting_person" => &self.reporting_person,
            "iso" => &self.iso,
            _ => &self.alternate,
        }
    }

    /// Every problem at once, each naming its field. Empty values are allowed (the profile may be
    /// filled in over time); what is filled must be well-formed.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut check = |field: String, outcome: std::result::Result<(), String>| {
            if let Err(message) = outcome {
                errors.push(FieldError::new(field, message));
            }
        };
        check("entity.name".into(), validate::text(&self.entity.name, NAME_MAX));
        check("entity.address".into(), validate::text(&self.entity.address, ADDRESS_MAX));
        for (prefix, _, _) in CONTACTS {
            let c = self.contact(prefix);
            check(format!("{prefix}.name"), validate::text(&c.name, NAME_MAX));
            check(format!("{prefix}.address"), validate::text(&c.address, ADDRESS_MAX));
            if !c.email.trim().is_empty() {
                check(format!("{prefix}.email"), validate::email(&c.email));
            }
            if let Some(bad) = c.phones.iter().map(|p| validate::phone(p)).find(|r| r.is_err()) {
                check(format!("{prefix}.phones"), bad);
            }
        }
        errors
    }

    /// Trims surrounding whitespace and drops empty phone entries.
    pub fn normalized(mut self) -> Profile {
        let trim = |s: &mut String| *s = s.trim().to_string();
        trim(&mut self.entity.name);
        trim(&mut self.entity.address);
        for c in [&mut self.reporting_person, &mut self.iso, &mut self.alternate] {
            trim(&mut c.name);
            trim(&mut c.address);
            trim(&mut c.email);
            c.phones = c.phones.iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
        }
        self
    }
}

/// The profile form, as the UI renders it.
pub fn schema() -> Vec<Section> {
    let mut sections = vec![Section {
        id: "entity",
        title: "Reporting entity",
        help: Some("\u{201c}Name and address of the reporting entity.\u{201d} (SIMM 5340-A guidance)"),
        fields: vec![
            Field::new("entity.name", "Entity name", FieldKind::Text { max: NAME_MAX }).autocomplete("organization"),
            Field::new("entity.address", "Entity address", FieldKind::Textarea { max: ADDRESS_MAX }),
        ],
    }];
    for (prefix, title, help) in CONTACTS {
        sections.push(Section {
            id: prefix,
            title,
            help,
            fields: vec![
                Field::new(format!("{prefix}.name"), "Name", FieldKind::Text { max: NAME_MAX }),
                Field::new(format!("{prefix}.address"), "Address", FieldKind::Textarea { max: ADDRESS_MAX }),
                Field::new(format!("{prefix}.email"), "E-mail", FieldKind::Email),
                Field::new(format!("{prefix}.phones"), "Phone number(s)", FieldKind::Phones)
                    .help("Separate several numbers with ;"),
            ],
        });
    }
    sections
}

pub fn load(conn: &rusqlite::Connection) -> Result<Profile> {
    settings::load(conn, &SETTING)
}

/// Validates then stores the profile. On any invalid field nothing is written, so the last saved
/// profile stays.
pub fn save(conn: &rusqlite::Connection, profile: Profile, now: DateTime<Utc>) -> Result<Profile> {
    settings::save(conn, &SETTING, profile, now)
}

impl settings::Setting for Profile {
    fn checked(self) -> Result<Profile> {
        let profile = self.normalized();
        let errors = profile.validate();
        settings::refuse_if_any(profile, errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    fn sample() -> Profile {
        Profile {
            entity: Entity { name: "Department of Examples".into(), address: "1 Capitol Mall, Sacramento".into() },
            iso: Contact {
                name: "Ada ISO".into(),
                address: "1 Capitol Mall".into(),
                email: "ada.iso@example.ca.gov".into(),
                phones: vec!["(916) 555-0100".into(), " ".into()],
            },
            ..Profile::default()
        }
    }

    #[test]
    fn saves_and_loads() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open_in_dir(dir.path()).expect("open");
        assert_eq!(load(store.conn()).expect("load"), Profile::default());
        let saved = save(store.conn(), sample(), Utc::now()).expect("save");
        assert_eq!(saved.iso.phones, vec!["(916) 555-0100".to_string()]);
        assert_eq!(load(store.conn()).expect("load"), saved);
    }

    #[test]
    fn bad_values_name_their_field_and_keep_the_saved_profile() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open_in_dir(dir.path()).expect("open");
        let saved = save(store.conn(), sample(), Utc::now()).expect("save");
        let mut bad = sample();
        bad.iso.email = "ada at example".into();
        bad.alternate.phones = vec!["call me".into()];
        let err = save(store.conn(), bad, Utc::now()).expect_err("invalid");
        let fields: Vec<&str> = err.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["iso.email", "alternate.phones"]);
        assert_eq!(load(store.conn()).expect("load"), saved);
    }

    #[test]
    fn schema_ids_match_validation_paths() {
        let ids: Vec<String> = schema().into_iter().flat_map(|s| s.fields).map(|f| f.id).collect();
        assert!(ids.contains(&"iso.email".to_string()));
        assert!(ids.contains(&"alternate.phones".to_string()));
        assert_eq!(ids.len(), 2 + 3 * 4);
    }
}
