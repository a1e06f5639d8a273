//! The SEN feed into the local store: where the last pull ended (a cursor in settings), and a
//! pull's SENs applied with `sen::store::upsert_from_portal`. The network call itself is
//! [`super::PortalClient::pull_sens`]; the edges run it between [`cursor`] and [`apply`], so no
//! database handle is held across a network wait.

use super::SenPull;
use crate::audit::Actor;
use crate::error::Result;
use crate::sen::{PortalSen, PortalSync};
use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;
use serde::Serialize;

/// Settings key of the `updated_since` of the next pull.
pub const CURSOR_SETTING: &str = "portal.sens_cursor";

/// When the portal gives no `updated_at`, the next pull starts this long before the local time
/// the pull was sent (clocks differ; applying a SEN twice changes nothing).
const LOCAL_CLOCK_OVERLAP: Duration = Duration::minutes(2);

/// `updated_since` of the next pull; `None` before the first one (every SEN).
pub fn cursor(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    crate::settings::get(conn, CURSOR_SETTING)
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

/// Applies a pull sent at `sent_at`, then moves the cursor (the SENs first: a crash in between
/// only means the next pull applies them again, which changes nothing).
pub fn apply(conn: &Connection, pull: SenPull, sent_at: DateTime<Utc>, now: DateTime<Utc>, actor: &Actor) -> Result<FeedSync> {
    let next = pull.next_since.unwrap_or(sent_at - LOCAL_CLOCK_OVERLAP);
    let feed: Vec<PortalSen> = pull.sens.into_iter().map(PortalSen::from).collect();
    let PortalSync { created, updated, unchanged, rejected } = crate::sen::store::upsert_from_portal(conn, &feed, now, actor)?;
    // Never move the cursor back (a portal answering an older `updated_at` than asked).
    let next = match cursor(conn)? {
        Some(previous) if previous > next => previous,
        _ => next,
    };
    crate::settings::put(conn, CURSOR_SETTING, &next, now)?;
    let mut rejected = rejected;
    rejected.extend(pull.rejected);
    Ok(FeedSync { created, updated, unchanged, rejected })
}
