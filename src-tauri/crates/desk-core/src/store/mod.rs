//! The local SQLite store: one file per user, WAL, synchronous FULL (a keystroke acknowledged is a
//! keystroke on disk, even on power loss), embedded append-only migrations, encrypted at rest with
//! SQLCipher under a key kept in the OS keyring ([`protect`]).

pub mod backup;
pub mod cipher;
mod migrations;
pub mod protect;
pub mod time;

use crate::error::{Error, Result};
use cipher::{DbKey, Keying};
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
    /// Opens (creating if needed) an unencrypted database in `data_dir`: for tests, benchmarks and
    /// tools. The app opens its database with [`protect::open_protected`].
    pub fn open_in_dir(data_dir: &Path) -> Result<Store> {
        create_data_dir(data_dir)?;
        Store::open(&data_dir.join(DB_FILE))
    }

    /// Opens the unencrypted database at `path`, brings its schema up to date, and refuses
    /// (without touching the file) a database written by a newer version.
    pub fn open(path: &Path) -> Result<Store> {
        create_private_file(path)?;
        let conn = Connection::open(path).map_err(|e| open_error(path, e))?;
        Store::prepare(conn, path)
    }

    /// Opens (creating if needed) the database at `path`, encrypted with `key`.
    pub fn open_encrypted(path: &Path, key: &DbKey) -> Result<Store> {
        create_private_file(path)?;
        let conn = Connection::open(path).map_err(|e| open_error(path, e))?;
        cipher::apply_key(&conn, &Keying::Raw(key))?;
        cipher::check_key(&conn, path)?;
        Store::prepare(conn, path)
    }

    fn prepare(mut conn: Connection, path: &Path) -> Result<Store> {
        conn.busy_timeout(Duration::from_secs(5))?;
        refuse_newer(&conn, path)?;
        // WAL lets the CLI read while the window writes; FULL makes each commit durable.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::DatabaseOpen {
                path: path.to_path_buf(),
                reason: format!("the file system does not support WAL (journal mode {mode})"),
            });
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        migrations::to_latest(&mut conn)
            .map_err(|e| Error::DatabaseOpen { path: path.to_path_buf(), reason: e.to_string() })?;
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

fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    Error::DatabaseOpen { path: path.to_path_buf(), reason: e.to_string() }
}

/// A new database starts as an empty 0600 file of ours: SQLite then creates its -wal and -shm
/// with the same mode (it copies the database's), whatever the umask.
fn create_private_file(path: &Path) -> Result<()> {
    match crate::files::create_new_private(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::DatabaseOpen { path: path.to_path_buf(), reason: format!("cannot create the file: {e}") }),
    }
}

fn create_data_dir(data_dir: &Path) -> Result<()> {
    crate::files::create_private_dir_all(data_dir).map_err(|e| Error::DatabaseOpen {
        path: data_dir.to_path_buf(),
        reason: format!("cannot create the data directory: {e}"),
    })
}

/// A database written by a newer version is refused before anything is written to it.
fn refuse_newer(conn: &Connection, path: &Path) -> Result<()> {
    let found = migrations::user_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(Error::DatabaseTooNew { path: path.to_path_buf(), found, supported: SCHEMA_VERSION });
    }
    Ok(())
}

/// Runs `f` as one atomic unit: its own IMMEDIATE transaction (the write lock taken up front, so
/// that a reader in another process cannot make the upgrade to a writer fail), or a savepoint
/// inside the caller's transaction. Committed if `f` succeeds, rolled back if it fails. The one
/// transaction wrapper of the store: every multi-statement write goes through it.
pub fn atomically<T, E: From<rusqlite::Error>>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    let (begin, commit, rollback) = if conn.is_autocommit() {
        ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
    } else {
        ("SAVEPOINT desk_atomic", "RELEASE desk_atomic", "ROLLBACK TO desk_atomic; RELEASE desk_atomic")
    };
    conn.execute_batch(begin)?;
    match f(conn) {
        Ok(value) => match conn.execute_batch(commit) {
            Ok(()) => Ok(value),
            Err(e) => {
                let _ = conn.execute_batch(rollback);
                Err(e.into())
            }
        },
        Err(e) => {
            let _ = conn.execute_batch(rollback);
            Err(e)
        }
    }
}

/// `PRAGMA data_version`: moves when ANOTHER connection (a command's, a background task's, the
/// CLI's) commits, not when this one does. Equal values mean nothing was committed elsewhere since.
pub fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

/// `PRAGMA integrity_check`: `Ok(None)` when the database is sound, else the first problems found.
pub fn integrity_problems(conn: &Connection) -> Result<Option<String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check(20)")?;
    let lines: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(match lines.as_slice() {
        [only] if only == "ok" => None,
        _ => Some(lines.join("; ")),
    })
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
        assert_eq!(integrity_problems(again.conn()).expect("check"), None);
    }

    #[test]
    fn data_version_moves_on_commits_by_other_connections_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let watcher = Store::open_in_dir(dir.path()).expect("open");
        let other = Store::open_in_dir(dir.path()).expect("open");
        let start = data_version(watcher.conn()).expect("version");
        watcher.conn().execute_batch("CREATE TABLE mine(x)").expect("own write");
        assert_eq!(data_version(watcher.conn()).expect("version"), start, "own commits do not move it");
        other.conn().execute_batch("CREATE TABLE theirs(x)").expect("other write");
        assert_ne!(data_version(watcher.conn()).expect("version"), start, "another connection's commit does");
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

    #[test]
    fn encrypted_store_opens_only_with_its_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(DB_FILE);
        let key = DbKey::generate().expect("key");
        drop(Store::open_encrypted(&path, &key).expect("create"));
        assert_eq!(cipher::file_kind(&path).expect("kind"), cipher::FileKind::Encrypted);
        assert!(Store::open_encrypted(&path, &key).is_ok());
        let other = DbKey::generate().expect("key");
        assert_eq!(Store::open_encrypted(&path, &other).err().map(|e| e.code()), Some("database_key_wrong"));
    }
}
