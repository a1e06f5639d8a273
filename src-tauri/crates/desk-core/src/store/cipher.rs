//! Encryption at rest with SQLCipher: the database key, telling a plain file from an encrypted
//! one, and copying a whole database into another file under another key (`sqlcipher_export`),
//! which is how a plain database is encrypted in place, and how snapshots and passphrase backups
//! are written and restored.

use crate::error::{Error, Result};
use rand::TryRngCore;
use rusqlite::{params, Connection};
use std::fmt;
use std::path::{Path, PathBuf};
use zeroize::{Zeroize, Zeroizing};

/// A 256-bit SQLCipher key, used raw (no key derivation: it is random, not a passphrase). Kept in
/// the OS keyring; never printed; wiped from memory when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct DbKey([u8; 32]);

impl Drop for DbKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl DbKey {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<DbKey> {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng
            .try_fill_bytes(&mut bytes)
            .map_err(|e| Error::Internal(format!("no random source for the database key: {e}")))?;
        Ok(DbKey(bytes))
    }

    /// The key as 64 hex digits, the form it has in the keyring (wiped when dropped, too).
    pub fn to_hex(&self) -> Zeroizing<String> {
        let mut hex = Zeroizing::new(String::with_capacity(64));
        for b in self.0 {
            hex.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
            hex.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
        }
        hex
    }

    pub fn from_hex(text: &str) -> Option<DbKey> {
        let text = text.trim();
        if text.len() != 64 || !text.is_ascii() {
            return None;
        }
        // Filled in place: no copy of the key is left behind on the stack.
        let mut key = DbKey([0u8; 32]);
        for (i, byte) in key.0.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(key)
    }

    /// The value of `PRAGMA key` / `ATTACH ... KEY` for a raw key: `x'<hex>'`.
    pub(crate) fn sql_value(&self) -> Zeroizing<String> {
        let hex = self.to_hex();
        let mut value = Zeroizing::new(String::with_capacity(67));
        value.push_str("x'");
        value.push_str(&hex);
        value.push('\'');
        value
    }
}

impl fmt::Debug for DbKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DbKey(<redacted>)")
    }
}

/// How a database is keyed: the random key of the live database and its snapshots, or a
/// passphrase (SQLCipher derives the key with PBKDF2-HMAC-SHA512) for backups a person carries.
pub enum Keying<'a> {
    Raw(&'a DbKey),
    Passphrase(&'a str),
}

impl Keying<'_> {
    fn sql_value(&self) -> Zeroizing<String> {
        match self {
            Keying::Raw(key) => key.sql_value(),
            Keying::Passphrase(text) => Zeroizing::new(text.to_string()),
        }
    }
}

/// What is at a database path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Absent,
    /// An SQLite file without encryption (its first bytes say so).
    Plain,
    /// Anything else of non-zero size: an SQLCipher file has no readable header.
    Encrypted,
}

/// Tells a plain database from an encrypted one by asking SQLite to read it without a key. Not by
/// reading the header with a file of our own: closing any other descriptor of the database file
/// drops every POSIX lock this process's connections hold on it, after which another process can
/// take a connection still in use here for the last one and delete its WAL.
pub fn file_kind(path: &Path) -> Result<FileKind> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::Absent),
        Err(e) => return Err(e.into()),
        Ok(meta) if meta.len() == 0 => return Ok(FileKind::Absent),
        Ok(_) => {}
    }
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Error::DatabaseOpen { path: path.to_path_buf(), reason: e.to_string() })?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(FileKind::Plain),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::NotADatabase => {
            Ok(FileKind::Encrypted)
        }
        Err(e) => Err(super::protect::not_damage(path, &e)),
    }
}

/// Applies the key to a connection just opened on an encrypted file; must be the first statement.
pub(crate) fn apply_key(conn: &Connection, keying: &Keying<'_>) -> Result<()> {
    conn.pragma_update(None, "key", keying.sql_value().as_str())?;
    // SQLCipher writes its own warnings (an HMAC check failing on a wrong key or a damaged page)
    // to stderr; the error we return says it in one line instead. A process-wide setting, and
    // after the key: the first key SQLCipher sees sets its logging to stderr at WARN.
    let _ = conn.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()));
    Ok(())
}

/// Copies everything in `conn`'s main database (schema, rows, `user_version`) into a new file
/// at `to`, keyed as given. The target must not exist. The copy is complete once this returns
/// (SQLCipher writes it in one transaction); on error the partial file is removed.
pub(crate) fn export(conn: &Connection, to: &Path, keying: &Keying<'_>) -> Result<()> {
    if std::fs::symlink_metadata(to).is_ok() {
        return Err(Error::Conflict(format!("{} already exists; it was left as it is", to.display())));
    }
    // Written as a 0600 `.partial` beside the target (created new, no symlink followed), renamed
    // into place once complete: a failed export leaves nothing.
    let partial = crate::files::partial_path(to);
    crate::files::create_new_private(&partial)?;
    let result = (|| -> Result<()> {
        let target = partial.to_str().ok_or_else(|| Error::Internal(format!("path is not UTF-8: {}", to.display())))?;
        let key = keying.sql_value();
        conn.execute("ATTACH DATABASE ?1 AS export_target KEY ?2", params![target, key.as_str()])?;
        let copied = (|| -> Result<()> {
            conn.query_row("SELECT sqlcipher_export('export_target')", [], |_| Ok(()))?;
            let version: i64 = conn.query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
            conn.pragma_update(Some("export_target"), "user_version", version)?;
            Ok(())
        })();
        conn.execute("DETACH DATABASE export_target", [])?;
        copied?;
        std::fs::File::open(&partial)?.sync_all()?;
        if std::fs::symlink_metadata(to).is_ok() {
            return Err(Error::Conflict(format!(
                "{} appeared while it was written; it was left as it is",
                to.display()
            )));
        }
        std::fs::rename(&partial, to)?;
        crate::files::sync_parent(to)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
        let mut journal = partial.as_os_str().to_owned();
        journal.push("-journal");
        let _ = std::fs::remove_file(PathBuf::from(journal));
    }
    result
}

/// Opens an existing database file under the given keying, checking that the key fits. (The
/// connection may create files: an `ATTACH` for an export inherits its open flags.)
pub(crate) fn open_keyed(path: &Path, keying: &Keying<'_>) -> Result<Connection> {
    if !path.is_file() {
        return Err(Error::NotFound(format!("database file {}", path.display())));
    }
    let conn =
        Connection::open(path).map_err(|e| Error::DatabaseOpen { path: path.to_path_buf(), reason: e.to_string() })?;
    // A writer's brief lock is waited for; a lock held longer is reported as a lock, not a bad key.
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    apply_key(&conn, keying)?;
    check_key(&conn, path)?;
    Ok(conn)
}

/// Reads the schema with the key applied: SQLCipher only finds out at the first read that a key is
/// wrong ("file is not a database"); any other failure (locked, I/O) is said as what it is.
pub(crate) fn check_key(conn: &Connection, path: &Path) -> Result<()> {
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(()),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            Err(Error::DatabaseKeyWrong { path: path.to_path_buf() })
        }
        Err(e) => Err(super::protect::not_damage(path, &e)),
    }
}

/// Encrypts a plain database where it is: the rows are copied into an encrypted file beside it,
/// checked (same tables, same row counts), then the encrypted file takes the plain one's name and
/// the plain file and its journals are deleted. Interrupted at any point, either the plain file or
/// the encrypted one is complete under the database's name.
pub fn encrypt_in_place(path: &Path, key: &DbKey) -> Result<()> {
    let staging = path.with_extension("encrypting");
    // A previous interrupted attempt left a partial copy: the plain file is still the truth.
    if staging.exists() {
        std::fs::remove_file(&staging)?;
    }
    {
        let plain = Connection::open(path)
            .map_err(|e| Error::DatabaseOpen { path: path.to_path_buf(), reason: e.to_string() })?;
        // Fold the WAL into the main file so that the copy sees every committed row.
        plain.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        export(&plain, &staging, &Keying::Raw(key))?;
        let before = table_counts(&plain)?;
        let encrypted = open_keyed(&staging, &Keying::Raw(key))?;
        let after = table_counts(&encrypted)?;
        if before != after {
            drop(encrypted);
            let _ = std::fs::remove_file(&staging);
            return Err(Error::Internal(format!(
                "encrypting {} did not copy every row ({before:?} vs {after:?}); the plain database was kept",
                path.display()
            )));
        }
        plain.execute_batch("PRAGMA journal_mode = DELETE")?;
    }
    std::fs::rename(&staging, path)?;
    for journal in ["-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(journal);
        let _ = std::fs::remove_file(std::path::PathBuf::from(name));
    }
    sync_dir(path)?;
    Ok(())
}

/// Row count of every table (FTS shadow tables included), by name.
pub(crate) fn table_counts(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let mut stmt =
        conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?;
    let names: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut counts = Vec::with_capacity(names.len());
    for name in names {
        let count: i64 =
            conn.query_row(&format!("SELECT count(*) FROM \"{}\"", name.replace('"', "\"\"")), [], |r| r.get(0))?;
        counts.push((name, count));
    }
    Ok(counts)
}

/// Makes a rename in `path`'s directory durable.
pub(crate) fn sync_dir(path: &Path) -> Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_round_trips_through_hex_and_never_prints() {
        let key = DbKey::generate().expect("random");
        assert_eq!(DbKey::from_hex(&key.to_hex()), Some(key.clone()));
        assert!(!format!("{key:?}").contains(&key.to_hex()[..8]));
        assert_eq!(DbKey::from_hex("zz"), None);
        assert_eq!(DbKey::from_hex(&"g".repeat(64)), None);
    }

    #[test]
    fn plain_database_is_encrypted_in_place_with_every_row() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("db.sqlite3");
        {
            let conn = Connection::open(&path).expect("create");
            conn.execute_batch(
                "PRAGMA journal_mode = WAL; CREATE TABLE notes (body TEXT); PRAGMA user_version = 3;
                 INSERT INTO notes VALUES ('distinctive-plaintext-marker');",
            )
            .expect("fill");
        }
        assert_eq!(file_kind(&path).expect("kind"), FileKind::Plain);
        let key = DbKey::generate().expect("key");
        encrypt_in_place(&path, &key).expect("encrypt");
        assert_eq!(file_kind(&path).expect("kind"), FileKind::Encrypted);
        let bytes = std::fs::read(&path).expect("read");
        assert!(!bytes.windows(12).any(|w| w == b"distinctive-"), "plaintext left in the file");
        let conn = open_keyed(&path, &Keying::Raw(&key)).expect("open with key");
        let body: String = conn.query_row("SELECT body FROM notes", [], |r| r.get(0)).expect("row");
        assert_eq!(body, "distinctive-plaintext-marker");
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
        assert_eq!(version, 3);
        let wrong = DbKey::generate().expect("key");
        assert!(matches!(open_keyed(&path, &Keying::Raw(&wrong)), Err(Error::DatabaseKeyWrong { .. })));
    }
}
