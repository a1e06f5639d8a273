//! What was shown: notices and the reminder keys they carried (migration 0005).
//!
//! The ordering that makes a reminder never twice and never lost, even across a SIGKILL:
//! 1. [`record`]: ONE transaction writes the notice (state `pending`) and takes its keys in
//!    `reminders_fired`. From this commit on, the plan never fires those keys again.
//! 2. The shell shows the notice (the notification server answers `Notify` with an id).
//! 3. [`mark_shown`].
//!
//! Killed before 1: nothing was written and the reminders are still due: the next start fires them
//! (catch-up). Killed between 1 and 3: the notice stays `pending` and the next start shows it
//! ([`pending`]); so the only window where a notification can reach the screen twice is the
//! microseconds between the server's answer and the commit of 3, and the shell tags each
//! notification with its notice id (`x-dunst-stack-tag`) so that a server honouring the tag replaces
//! rather than repeats it. Choosing the other order (mark, then show, with nothing pending) would
//! lose the reminder in that window; a reminder lost is a deadline missed, a repeat is a nuisance.
//! A notice the server refuses (none running) stays pending and is retried with backoff for a day;
//! the window's banner shows it meanwhile.

use super::text::Notice;
use super::{Fired, ReminderKey};
use crate::error::{Error, Result};
use crate::store::time::{parse_stored, stored};
use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

/// A notice that could not be shown for this long is given up (its banner showed it).
const GIVE_UP_AFTER: TimeDelta = TimeDelta::hours(24);
const RETRY_FIRST: TimeDelta = TimeDelta::seconds(30);
const RETRY_MAX: TimeDelta = TimeDelta::minutes(10);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredNotice {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub title: String,
    pub body: String,
    pub critical: bool,
    pub route: String,
    pub keys: Vec<ReminderKey>,
    /// pending | shown | expired
    pub state: String,
    pub attempts: i64,
    pub shown_at: Option<DateTime<Utc>>,
    pub dismissed_at: Option<DateTime<Utc>>,
}

/// Step 1: writes the notice as pending and takes its reminder keys, atomically (its own
/// transaction, or a savepoint inside the caller's).
pub fn record(conn: &Connection, notice: &Notice, now: DateTime<Utc>) -> Result<StoredNotice> {
    let keys: Vec<&str> = notice.reminders.iter().map(|(k, _)| k.as_str()).collect();
    let keys_json = serde_json::to_string(&keys).map_err(|e| Error::Internal(e.to_string()))?;
    let id = crate::store::atomically(conn, |conn| -> Result<i64> {
        conn.execute(
            "INSERT INTO reminder_notices (created_at, title, body, critical, route, keys, next_attempt_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?1)",
            params![stored(now), notice.title, notice.body, notice.critical, notice.route, keys_json],
        )?;
        let id = conn.last_insert_rowid();
        let mut upsert = conn.prepare_cached(
            "INSERT INTO reminders_fired (key, planned_at, fired_at, notice_id) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(key) DO UPDATE SET planned_at = excluded.planned_at, fired_at = excluded.fired_at,
                                            notice_id = excluded.notice_id",
        )?;
        for (key, planned) in &notice.reminders {
            upsert.execute(params![key.as_str(), stored(*planned), stored(now), id])?;
        }
        Ok(id)
    })?;
    get(conn, id)
}

/// Every reminder key fired, with when it last fired.
pub fn fired(conn: &Connection) -> Result<Fired> {
    let mut stmt = conn.prepare_cached("SELECT key, fired_at FROM reminders_fired")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut fired = Fired::new();
    for row in rows {
        let (key, at) = row?;
        fired.insert(ReminderKey::from_stored(key), parse_stored(&at)?);
    }
    Ok(fired)
}

const COLUMNS: &str = "id, created_at, title, body, critical, route, keys, state, attempts, shown_at, dismissed_at";

/// A `reminder_notices` row as stored, before its text columns are parsed.
type NoticeRow = (i64, String, String, String, bool, String, String, String, i64, Option<String>, Option<String>);

fn row(r: &Row<'_>) -> rusqlite::Result<NoticeRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
    ))
}

fn select(conn: &Connection, tail: &str, args: impl rusqlite::Params) -> Result<Vec<StoredNotice>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM reminder_notices {tail}"))?;
    let rows = stmt.query_map(args, row)?;
    let mut out = Vec::new();
    for r in rows {
        let (id, created_at, title, body, critical, route, keys, state, attempts, shown_at, dismissed_at) = r?;
        out.push(StoredNotice {
            id,
            created_at: parse_stored(&created_at)?,
            title,
            body,
            critical,
            route,
            keys: serde_json::from_str(&keys).map_err(|e| Error::Internal(format!("notice {id} keys: {e}")))?,
            state,
            attempts,
            shown_at: shown_at.as_deref().map(parse_stored).transpose()?,
            dismissed_at: dismissed_at.as_deref().map(parse_stored).transpose()?,
        });
    }
    Ok(out)
}

pub fn get(conn: &Connection, id: i64) -> Result<StoredNotice> {
    select(conn, "WHERE id = ?1", [id])?
        .into_iter()
        .next()
        .ok_or_else(|| Error::NotFound(format!("reminder notice {id}")))
}

/// Notices written but not shown yet whose (re)try time has come, oldest first.
pub fn pending(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<StoredNotice>> {
    select(conn, "WHERE state = 'pending' AND next_attempt_at <= ?1 ORDER BY id", [stored(now)])
}

/// When the next pending notice is to be tried.
pub fn next_retry_at(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    let next: Option<String> = conn
        .query_row("SELECT MIN(next_attempt_at) FROM reminder_notices WHERE state = 'pending'", [], |r| r.get(0))
        .optional()?
        .flatten();
    next.as_deref().map(parse_stored).transpose()
}

/// Step 3: the notification server accepted the notice.
pub fn mark_shown(conn: &Connection, id: i64, server_id: Option<u32>, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE reminder_notices SET state = 'shown', shown_at = ?2, server_id = ?3, attempts = attempts + 1,
                last_error = NULL
         WHERE id = ?1 AND state = 'pending'",
        params![id, stored(now), server_id],
    )?;
    Ok(())
}

/// The notification server could not be reached or refused: try again later (30 s, doubling, at
/// most 10 min apart), for a day.
pub fn mark_failed(conn: &Connection, id: i64, error: &str, now: DateTime<Utc>) -> Result<StoredNotice> {
    let notice = get(conn, id)?;
    let attempts = notice.attempts + 1;
    let shift = u32::try_from(attempts - 1).unwrap_or(u32::MAX).min(10);
    let delay = (RETRY_FIRST * 2_i32.pow(shift)).min(RETRY_MAX);
    let state = if now - notice.created_at >= GIVE_UP_AFTER { "expired" } else { "pending" };
    conn.execute(
        "UPDATE reminder_notices SET attempts = ?2, last_error = ?3, next_attempt_at = ?4, state = ?5
         WHERE id = ?1 AND state = 'pending'",
        params![id, attempts, super::text::shorten(error, 500), stored(now + delay), state],
    )?;
    get(conn, id)
}

/// Notices created since `since` whose banner was not dismissed, newest first.
pub fn recent(conn: &Connection, since: DateTime<Utc>) -> Result<Vec<StoredNotice>> {
    select(conn, "WHERE dismissed_at IS NULL AND created_at >= ?1 ORDER BY id DESC LIMIT 50", [stored(since)])
}

/// The ISO dismissed the notice's banner.
pub fn dismiss(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<()> {
    let changed = conn.execute(
        "UPDATE reminder_notices SET dismissed_at = COALESCE(dismissed_at, ?2) WHERE id = ?1",
        params![id, stored(now)],
    )?;
    if changed == 0 {
        return Err(Error::NotFound(format!("reminder notice {id}")));
    }
    Ok(())
}

/// One reminder delivered: its key, when it was planned, when its notice was shown.
pub type Delivery = (ReminderKey, DateTime<Utc>, DateTime<Utc>);

/// Every reminder shown, for the lateness benchmark.
pub fn deliveries(conn: &Connection) -> Result<Vec<Delivery>> {
    let mut stmt = conn.prepare(
        "SELECT f.key, f.planned_at, n.shown_at FROM reminders_fired f JOIN reminder_notices n ON n.id = f.notice_id
         WHERE n.shown_at IS NOT NULL ORDER BY f.planned_at",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (key, planned, shown) = row?;
        out.push((ReminderKey::from_stored(key), parse_stored(&planned)?, parse_stored(&shown)?));
    }
    Ok(out)
}
