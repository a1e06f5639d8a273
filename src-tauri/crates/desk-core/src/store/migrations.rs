//! Embedded migrations. APPEND-ONLY: a migration that has shipped is never edited or reordered;
//! a change is a new file at the end of the list.

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_settings.sql"),
    include_str!("../../migrations/0002_sens.sql"),
    include_str!("../../migrations/0003_reports.sql"),
    include_str!("../../migrations/0004_outbox.sql"),
    include_str!("../../migrations/0005_reminders.sql"),
    include_str!("../../migrations/0006_fallback_calls.sql"),
    include_str!("../../migrations/0007_search_pending.sql"),
    include_str!("../../migrations/0008_history_actor_chain.sql"),
    include_str!("../../migrations/0009_deadline_feed.sql"),
    include_str!("../../migrations/0010_sen_requests.sql"),
    include_str!("../../migrations/0011_sen_times_fixed_width.sql"),
];

/// Migrations whose SQL is followed by Rust in the same transaction (index into MIGRATIONS).
const HOOKED: usize = 7;

fn all() -> Migrations<'static> {
    Migrations::new(
        MIGRATIONS
            .iter()
            .enumerate()
            .map(|(i, sql)| if i == HOOKED { M::up_with_hook(sql, crate::audit::seal_existing) } else { M::up(sql) })
            .collect(),
    )
}

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(crate) fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

pub(crate) fn to_latest(conn: &mut Connection) -> Result<(), rusqlite_migration::Error> {
    all().to_latest(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        let migrations = all();
        assert!(migrations.validate().is_ok());
    }
}
