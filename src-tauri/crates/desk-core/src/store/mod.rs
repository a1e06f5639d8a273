//! The local SQLite store: one file per user, WAL, synchronous FULL (a keystroke acknowledged is a
//! keystroke on disk, even on power loss), embedded append-only migrations.

mod migrations;

use crate::error::{Error, Result};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use migrations::SCHEMA_VERSION;

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "incident-desk.sqlite3";

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database in `data_dir`.
    pub fn open_in_dir(data_dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(data_dir).map_err(|e| Error::DatabaseOpen {
            path: data_dir.to_path_buf(),
            reason: format!("cannot create the data directory: {e}"),
        })?;
        Store::open(&data_dir.join(DB_FILE))
    }

    /// Opens the database at `path`, brings its schema up to date, and refuses (without touching
    /// the file) a database written by a newer version.
    pub fn open(path: &Path) -> Result<Store> {
        let open_err = |reason: String| Error::DatabaseOpen { path: path.to_path_buf(), reason };
        let mut conn = Connection::open(path).map_err(|e| open_err(e.to_string()))?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let found = migrations::user_version(&conn)?;
        if found > SCHEMA_VERSION {
            return Err(Error::DatabaseTooNew { path: path.to_path_buf(), found, supported: SCHEMA_VERSION });
        }
        // WAL lets the CLI read while the window writes; FULL makes each commit durable.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(open_err(format!("the file system does not support WAL (journal mode {mode})")));
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        migrations::to_latest(&mut conn).map_err(|e| open_err(e.to_string()))?;
        Ok(Store { conn, path: path.to_path_buf() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_wal_database_and_reopens() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open_in_dir(dir.path()).expect("open");
        let mode: String = store.conn().query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("mode");
        assert_eq!(mode, "wal");
        drop(store);
        let again = Store::open_in_dir(dir.path()).expect("reopen");
        assert_eq!(migrations::user_version(again.conn()).expect("version"), SCHEMA_VERSION);
    }

    #[test]
    fn refuses_a_database_from_a_newer_version_and_leaves_it_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(DB_FILE);
        {
            let conn = Connection::open(&path).expect("create");
            conn.execute_batch("CREATE TABLE future(x); PRAGMA user_version = 9999;").expect("future");
        }
        let before = std::fs::read(&path).expect("read");
        let err = Store::open(&path).err().expect("must refuse");
        assert_eq!(err.code(), "database_too_new");
        assert!(err.to_string().contains("newer version"), "{err}");
        assert_eq!(std::fs::read(&path).expect("read"), before, "file must be untouched");
    }
}
