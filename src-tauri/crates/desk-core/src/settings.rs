//! Typed access to the `settings` table: one JSON document per key. Every typed setting (profile,
//! calendars, reminders, lock, privacy, SEN readings) is loaded, checked and saved here, through
//! its [`Key`] and its [`Setting::checked`]; raw values (the feed cursor, the portal address) use
//! [`get`]/[`put`].

use crate::error::{Error, FieldError, Result};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{de::DeserializeOwned, Serialize};
use std::marker::PhantomData;

/// A settings document with a default (what a fresh install uses) and a check before saving.
pub trait Setting: Serialize + DeserializeOwned + Default {
    /// The value as it will be stored, or the fields at fault. Nothing is written on refusal.
    fn checked(self) -> Result<Self> {
        Ok(self)
    }
}

/// Where one setting is kept. A type may have several (the entity's and the state office's
/// calendars).
pub struct Key<T> {
    pub name: &'static str,
    kind: PhantomData<fn() -> T>,
}

impl<T> Key<T> {
    pub const fn new(name: &'static str) -> Key<T> {
        Key { name, kind: PhantomData }
    }
}

/// The stored value, or the default if none was saved.
pub fn load<T: Setting>(conn: &Connection, key: &Key<T>) -> Result<T> {
    Ok(get(conn, key.name)?.unwrap_or_default())
}

/// Checks, then stores the value; returns it as stored.
pub fn save<T: Setting>(conn: &Connection, key: &Key<T>, value: T, now: chrono::DateTime<chrono::Utc>) -> Result<T> {
    let value = value.checked()?;
    put(conn, key.name, &value, now)?;
    Ok(value)
}

/// `Ok(value)` when `errors` is empty, else every field at fault: the usual end of a `checked`.
pub fn refuse_if_any<T>(value: T, errors: Vec<FieldError>) -> Result<T> {
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(Error::Invalid(errors))
    }
}

pub fn get<T: DeserializeOwned>(conn: &Connection, key: &str) -> Result<Option<T>> {
    let raw: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?;
    match raw {
        Some(json) => Ok(Some(serde_json::from_str(&json)?)),
        None => Ok(None),
    }
}

pub fn put<T: Serialize>(conn: &Connection, key: &str, value: &T, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
    let json = serde_json::to_string(value)?;
    conn.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        params![key, json, crate::store::time::stored(now)],
    )?;
    Ok(())
}
