//! The SEN feed into the local store: where the last pull ended (a cursor in settings), and a
//! pull's SENs applied with `sen::store::upsert_from_portal`. The network call itself is
//! [`super::PortalClient::pull_sens`]; the edges run it between [`cursor`] and [`apply`], so no
//! database handle is held across a network wait.
//!
//! The cursor never skips a SEN:
//! - it is the newest time **the portal** gave ([`record_time`]: `updated_at` when the portal
//!   sends it, else `sent_at`), never the local clock, so a portal clock an hour ahead of or
//!   behind this computer's changes nothing;
//! - it never moves past the newest time the portal returned, and never moves back;
//! - the next pull asks from [`OVERLAP`] before it ([`updated_since`]), for a SEN written with a
//!   time a little older than one already seen (commit order, a second portal node); what comes
//!   back twice is deduplicated by SEN number and time ([`dedupe`]), and applying a SEN again
//!   changes nothing.

use super::wire::WireSen;
use super::SenPull;
use crate::audit::Actor;
use crate::error::Result;
use crate::sen::PortalSync;
use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

/// Settings key of the newest portal time seen (the feed's high-water mark). Not the key of
/// earlier versions (`portal.sens_cursor`), whose value could come from the local clock: the
/// first pull after the upgrade asks for every SEN once, which changes nothing stored.
pub const CURSOR_SETTING: &str = "portal.sens_seen_until";

/// How far before the newest time seen the next pull starts.
pub const OVERLAP: Duration = Duration::minutes(5);

/// The portal's time of a SEN record: `updated_at` when given, else `sent_at`.
pub fn record_time(sen: &WireSen) -> DateTime<Utc> {
    sen.updated_at.unwrap_or(sen.sent_at)
}

/// The high-water mark after a pull: the newest portal time among `sens`, or `previous` when
/// that is newer (or the pull is empty). Pure; takes no clock.
pub fn advance(previous: Option<DateTime<Utc>>, sens: &[WireSen]) -> Option<DateTime<Utc>> {
    sens.iter().map(record_time).max().max(previous)
}

/// The `updated_since` to ask for after `seen_until`; `None` (every SEN) before the first pull.
pub fn updated_since(seen_until: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    seen_until.map(|t| t.checked_sub_signed(OVERLAP).unwrap_or(t))
}

/// One record per SEN number, the one with the newest portal time (the later one on a tie, as
/// the portal listed it). Keeps the portal's order otherwise.
pub fn dedupe(sens: Vec<WireSen>) -> Vec<WireSen> {
    let mut newest: BTreeMap<String, (DateTime<Utc>, usize)> = BTreeMap::new();
    for (index, sen) in sens.iter().enumerate() {
        let time = record_time(sen);
        let entry = newest.entry(sen.sen_number.clone()).or_insert((time, index));
        if time >= entry.0 {
            *entry = (time, index);
        }
    }
    sens.into_iter()
        .enumerate()
        .filter(|(index, sen)| newest.get(&sen.sen_number).is_some_and(|(_, kept)| kept == index))
        .map(|(_, sen)| sen)
        .collect()
}

/// The newest portal time seen so far; `None` before the first pull.
pub fn seen_until(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    crate::settings::get(conn, CURSOR_SETTING)
}

/// `updated_since` of the next pull; `None` before the first one (every SEN).
pub fn cursor(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    Ok(updated_since(seen_until(conn)?))
}

/// What one pull did to the store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FeedSync {
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: usize,
    /// Feed entries refused (unreadable, or not a valid SEN), one line each.
    pub rejected: Vec<String>,
}

impl FeedSync {
    pub fn changed(&self) -> bool {
        !self.created.is_empty() || !self.updated.is_empty()
    }
}

/// Applies a pull, then moves the high-water mark (the SENs first: a crash in between only means
/// the next pull applies them again, which changes nothing). `now` stamps the stored rows only.
pub fn apply(conn: &Connection, pull: SenPull, now: DateTime<Utc>, actor: &Actor) -> Result<FeedSync> {
    let sens = dedupe(pull.sens);
    let next = advance(seen_until(conn)?, &sens);
    let PortalSync { created, updated, unchanged, rejected } =
        crate::sen::store::upsert_from_portal(conn, &sens, now, actor)?;
    if let Some(next) = next {
        crate::settings::put(conn, CURSOR_SETTING, &next, now)?;
    }
    let mut rejected = rejected;
    rejected.extend(pull.rejected);
    Ok(FeedSync { created, updated, unchanged, rejected })
}
