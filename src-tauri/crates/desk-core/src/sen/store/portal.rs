//! The portal feed's merge: new SENs created, the SOC-side fields of known ones refreshed, local
//! response state never touched.

use super::records::{insert, validate_new, FUTURE_SKEW_MINUTES};
use super::{append_history, find, NewSen, Source};

use crate::audit::Actor;
use crate::error::Result;
use crate::sen::SenNumber;
use crate::store::time::stored;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// One SEN of the portal feed (`GET /api/v1/sens`), as the portal's JSON has it: the wire shape
/// (`portal::wire::WireSen` is this type) and what [`upsert_from_portal`] merges. `level` is a free
/// lower-case string (`critical`, `high`, `medium`, `low`, whatever a later revision of the
/// standard adds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalSen {
    pub sen_number: String,
    #[serde(deserialize_with = "lower_case")]
    pub level: String,
    pub sent_at: DateTime<Utc>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    /// Not in the contract; given by some portals (the practice portal does).
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

fn lower_case<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    Ok(String::deserialize(d)?.trim().to_lowercase())
}

/// What a portal sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PortalSync {
    pub created: Vec<String>,
    /// SENs whose SOC-side fields (level, sent time, summary, portal status) changed.
    pub updated: Vec<String>,
    pub unchanged: usize,
    /// Feed entries refused, one line each (the rest of the feed is still applied).
    pub rejected: Vec<String>,
}

/// Applies the portal feed: new SENs are created (source portal); known ones get the SOC-side
/// fields (level, sent time, non-empty summary, portal status) refreshed. Local response state
/// (acknowledgement, determination, link, local status) is never touched.
pub fn upsert_from_portal(
    conn: &Connection,
    feed: &[PortalSen],
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<PortalSync> {
    crate::store::atomically(conn, |tx| {
        let mut sync = PortalSync::default();
        for item in feed {
            // The portal's clock may run ahead of ours: a SEN stamped in our future is still a SEN
            // the SOC sent, never refused (the feed would skip it). It counts from when it reached
            // this workstation, and a known SEN keeps the time it was first counted from.
            let ahead = item.sent_at > now + chrono::TimeDelta::minutes(FUTURE_SKEW_MINUTES);
            if ahead {
                tracing::warn!(sen = %item.sen_number.trim(), "the portal's sent time is ahead of this workstation's clock; counted from its arrival");
            }
            let new = NewSen {
                sen_number: item.sen_number.clone(),
                level: item.level.clone(),
                sent_at: if ahead { now } else { item.sent_at },
                summary: item.summary.clone().unwrap_or_default(),
                source: Source::Portal,
            };
            let new = match validate_new(new, now) {
                Ok(new) => new,
                Err(e) => {
                    sync.rejected.push(format!("{}: {e}", item.sen_number.trim()));
                    continue;
                }
            };
            let portal_status = item.status.as_deref().map(str::trim).filter(|s| !s.is_empty());
            // Validated: the number is the normalized one.
            match find(tx, &SenNumber::from_stored(new.sen_number.clone()))? {
                None => {
                    insert(tx, &new, portal_status, now, actor)?;
                    sync.created.push(new.sen_number);
                }
                Some(existing) => {
                    let new = if ahead { NewSen { sent_at: existing.sent_at, ..new } } else { new };
                    let mut changes = serde_json::Map::new();
                    if existing.level != new.level {
                        changes.insert("level".into(), json!({"from": existing.level, "to": new.level}));
                    }
                    if existing.sent_at != new.sent_at {
                        changes.insert(
                            "sent_at".into(),
                            json!({"from": stored(existing.sent_at), "to": stored(new.sent_at)}),
                        );
                    }
                    let summary = if new.summary.is_empty() { existing.summary.clone() } else { new.summary.clone() };
                    if existing.summary != summary {
                        changes.insert("summary".into(), json!({"from": existing.summary, "to": summary}));
                    }
                    let portal_status = portal_status.map(str::to_string).or(existing.portal_status.clone());
                    if existing.portal_status != portal_status {
                        changes.insert(
                            "portal_status".into(),
                            json!({"from": existing.portal_status, "to": portal_status}),
                        );
                    }
                    if changes.is_empty() {
                        sync.unchanged += 1;
                        continue;
                    }
                    tx.execute(
                        "UPDATE sens SET level = ?2, sent_at = ?3, summary = ?4, portal_status = ?5, updated_at = ?6
                         WHERE sen_number = ?1",
                        params![new.sen_number, new.level, stored(new.sent_at), summary, portal_status, stored(now)],
                    )?;
                    append_history(
                        tx,
                        &new.sen_number,
                        "portal_update",
                        now,
                        &serde_json::Value::Object(changes),
                        actor,
                    )?;
                    sync.updated.push(new.sen_number);
                }
            }
        }
        Ok(sync)
    })
}
