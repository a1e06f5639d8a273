//! How the app opens the user's database: encrypted with a key kept in the OS keyring, created on
//! first start, an existing plain database encrypted in place, the integrity checked before
//! anything is written, a damaged file kept aside (never overwritten, never silently replaced),
//! and a restore the user asked for applied before the database opens.

use super::backup;
use super::cipher::{self, DbKey, FileKind, Keying};
use super::{create_data_dir, integrity_problems, refuse_newer, Store, DB_FILE};
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Where database keys are kept: the OS keyring in the app ([`crate::secrets::OsKeyring`]), a map
/// in tests. `account` names the data directory, so each data directory has its own key.
pub trait KeyVault {
    fn get(&self, account: &str) -> Result<Option<DbKey>>;
    fn put(&self, account: &str, key: &DbKey) -> Result<()>;
    /// The keyring service the keys are filed under, for messages.
    fn service(&self) -> String;
}

/// Something the user must be told about the opening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum OpenNotice {
    /// A plain database from an earlier version was encrypted in place.
    Encrypted,
    /// The database failed its integrity check: it was moved to `kept_at`, untouched, and a new
    /// empty database opened; `snapshots` can be restored.
    Damaged { kept_at: PathBuf, problems: String, snapshots: Vec<backup::Snapshot> },
    /// A restore asked for earlier was applied; the database it replaced was kept at `kept_at`.
    Restored { from: PathBuf, kept_at: Option<PathBuf> },
}

pub struct Opened {
    pub store: Store,
    /// The database key, for a second connection (background tasks) and for snapshots.
    pub key: DbKey,
    pub notices: Vec<OpenNotice>,
}

/// The keyring account of a data directory: its absolute path.
pub fn key_account(data_dir: &Path) -> String {
    std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf()).display().to_string()
}

/// Opens (creating if needed) the encrypted database of `data_dir`.
pub fn open_protected(data_dir: &Path, vault: &dyn KeyVault, now: DateTime<Utc>) -> Result<Opened> {
    create_data_dir(data_dir)?;
    let path = data_dir.join(DB_FILE);
    let account = key_account(data_dir);
    let mut notices = Vec::new();
    if let Some(restored) = backup::apply_pending_restore(data_dir, now)? {
        notices.push(restored);
    }

    let key = match cipher::file_kind(&path)? {
        FileKind::Absent => key_or_new(vault, &account)?,
        FileKind::Plain => {
            let key = key_or_new(vault, &account)?;
            {
                // Checked before it is touched: a database from a newer version stays as it is.
                let plain = rusqlite::Connection::open(&path)
                    .map_err(|e| Error::DatabaseOpen { path: path.clone(), reason: e.to_string() })?;
                refuse_newer(&plain, &path)?;
            }
            cipher::encrypt_in_place(&path, &key)?;
            tracing::info!("plain database encrypted in place");
            notices.push(OpenNotice::Encrypted);
            key
        }
        FileKind::Encrypted => vault.get(&account)?.ok_or_else(|| Error::DatabaseKeyMissing {
            path: path.clone(),
            service: vault.service(),
            account: account.clone(),
        })?,
    };

    if path.exists() {
        // Checked before anything is written; when sound, the same connection becomes the store.
        let conn = cipher::open_keyed(&path, &Keying::Raw(&key))?;
        refuse_newer(&conn, &path)?;
        // Only SQLite saying the file is corrupt or not a database means damage; locked, busy,
        // I/O errors and a full disk are reported as they are, with nothing moved.
        let problems = match integrity_problems(&conn) {
            Ok(problems) => problems,
            Err(Error::Database(e)) if is_damage(&e) => Some(e.to_string()),
            Err(Error::Database(e)) => return Err(not_damage(&path, &e)),
            Err(e) => return Err(e),
        };
        match problems {
            None => return Ok(Opened { store: Store::prepare(conn, &path)?, key, notices }),
            Some(problems) => {
                drop(conn);
                let kept_at = keep_aside(data_dir, "damaged", now)?;
                tracing::error!("database failed its integrity check; kept aside");
                notices.push(OpenNotice::Damaged { kept_at, problems, snapshots: backup::snapshots(data_dir)? });
            }
        }
    }

    let store = Store::open_encrypted(&path, &key)?;
    Ok(Opened { store, key, notices })
}

fn key_or_new(vault: &dyn KeyVault, account: &str) -> Result<DbKey> {
    if let Some(key) = vault.get(account)? {
        return Ok(key);
    }
    let key = DbKey::generate()?;
    vault.put(account, &key)?;
    // Read back: a keyring that accepts and forgets would lock the user out of their own data.
    match vault.get(account)? {
        Some(stored) if stored == key => Ok(key),
        _ => Err(Error::Internal("the keyring did not keep the new database key; nothing was written".into())),
    }
}

/// SQLite's own verdict that the file is damaged: SQLITE_CORRUPT or SQLITE_NOTADB.
pub fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase))
}

/// Any other SQLite failure while opening, said as what it is (nothing was moved).
pub(crate) fn not_damage(path: &Path, e: &rusqlite::Error) -> Error {
    use rusqlite::ErrorCode as C;
    let what = match e.sqlite_error_code() {
        Some(C::DatabaseBusy | C::DatabaseLocked) => {
            "the database is locked by another program (another Incident Desk, a backup tool, an SQLite shell)"
                .to_string()
        }
        Some(C::DiskFull) => "the disk is full".to_string(),
        Some(C::SystemIoFailure) => format!("the file could not be read or written (I/O error: {e})"),
        Some(C::PermissionDenied | C::ReadOnly | C::CannotOpen) => {
            format!("the file cannot be opened for writing ({e})")
        }
        _ => e.to_string(),
    };
    Error::DatabaseOpen { path: path.to_path_buf(), reason: format!("{what}; it was not moved or changed") }
}

/// Moves the database and its journals into `<data_dir>/<folder>/<time>/`, untouched; returns
/// that directory. Refused while another process has the database open (its SQLite locks are
/// visible to `fcntl`): moving a file from under a live connection would split its writes.
pub(crate) fn keep_aside(data_dir: &Path, folder: &str, now: DateTime<Utc>) -> Result<PathBuf> {
    let db = data_dir.join(DB_FILE);
    if let Some(pid) = open_elsewhere_after_grace(&db)? {
        return Err(Error::DatabaseOpen {
            path: db,
            reason: format!(
                "it needs to be kept aside, but another process (pid {pid}) has it open; nothing was moved. Close \
                 the other Incident Desk (window or command) and start again"
            ),
        });
    }
    let target = data_dir.join(folder).join(now.format("%Y%m%dT%H%M%S%.3fZ").to_string());
    crate::files::create_private_dir_all(&target)?;
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let name = format!("{DB_FILE}{suffix}");
        let from = data_dir.join(&name);
        if from.exists() {
            std::fs::rename(&from, target.join(&name))?;
        }
    }
    cipher::sync_dir(&data_dir.join(DB_FILE))?;
    Ok(target)
}

/// [`open_elsewhere`], given a few seconds to let go: a restart (restore a snapshot) starts the
/// new process while the old one is still closing its database.
fn open_elsewhere_after_grace(db: &Path) -> Result<Option<i32>> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let mut said = false;
    loop {
        match open_elsewhere(db)? {
            Some(pid) if std::time::Instant::now() < deadline => {
                if !std::mem::replace(&mut said, true) {
                    tracing::info!(
                        pid,
                        "the database is still open in another process; waiting before keeping it aside"
                    );
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            held => return Ok(held),
        }
    }
}

/// The pid of another process holding an SQLite lock on `db`: SQLite's lock bytes in the database
/// file (every connection in WAL mode keeps a shared lock there while open) or the WAL index
/// locks in `-shm`. Our own locks never conflict with us, and this process has no connection to
/// the file when it is asked (closing this descriptor would otherwise drop their locks).
#[cfg(unix)]
pub fn open_elsewhere(db: &Path) -> Result<Option<i32>> {
    use std::os::fd::AsRawFd;
    // SQLite's unix VFS: PENDING_BYTE 0x40000000, then RESERVED and 510 SHARED bytes; in -shm the
    // eight WAL locks from byte 120 and the DMS byte at 128.
    let mut shm = db.as_os_str().to_owned();
    shm.push("-shm");
    for (path, start, len) in [(db.to_path_buf(), 0x4000_0000_i64, 512_i64), (PathBuf::from(shm), 120, 9)] {
        let file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e.into()),
        };
        // SAFETY: `flock` is plain data; F_GETLK only fills it in.
        let mut lock: libc::flock = unsafe { std::mem::zeroed() };
        lock.l_type = libc::F_WRLCK as libc::c_short;
        lock.l_whence = libc::SEEK_SET as libc::c_short;
        lock.l_start = start as libc::off_t;
        lock.l_len = len as libc::off_t;
        // SAFETY: a valid descriptor and a valid pointer to a flock for the call's duration.
        if unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETLK, &mut lock) } == -1 {
            return Err(std::io::Error::last_os_error().into());
        }
        if lock.l_type != libc::F_UNLCK as libc::c_short {
            return Ok(Some(lock.l_pid));
        }
    }
    Ok(None)
}

#[cfg(not(unix))]
pub fn open_elsewhere(_db: &Path) -> Result<Option<i32>> {
    Ok(None)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::HashMap;

    /// Keys in memory, for tests that must not need a keyring.
    #[derive(Default)]
    pub struct MemoryVault(pub RefCell<HashMap<String, String>>);

    impl KeyVault for MemoryVault {
        fn get(&self, account: &str) -> Result<Option<DbKey>> {
            Ok(self.0.borrow().get(account).and_then(|hex| DbKey::from_hex(hex)))
        }
        fn put(&self, account: &str, key: &DbKey) -> Result<()> {
            self.0.borrow_mut().insert(account.to_string(), key.to_hex().to_string());
            Ok(())
        }
        fn service(&self) -> String {
            "memory".into()
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-11-23T12:00:00Z".parse().expect("time")
    }

    #[test]
    fn first_start_creates_an_encrypted_database_and_files_its_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let vault = MemoryVault::default();
        let opened = open_protected(dir.path(), &vault, now()).expect("open");
        assert!(opened.notices.is_empty());
        drop(opened);
        assert_eq!(cipher::file_kind(&dir.path().join(DB_FILE)).expect("kind"), FileKind::Encrypted);
        assert_eq!(vault.0.borrow().len(), 1);
        assert!(open_protected(dir.path(), &vault, now()).expect("reopen").notices.is_empty());
    }

    #[test]
    fn a_missing_key_is_an_error_that_leaves_the_database_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        drop(open_protected(dir.path(), &MemoryVault::default(), now()).expect("open"));
        let path = dir.path().join(DB_FILE);
        let before = std::fs::read(&path).expect("read");
        let err = open_protected(dir.path(), &MemoryVault::default(), now()).err().expect("refused");
        assert_eq!(err.code(), "database_key_missing");
        assert!(err.to_string().contains("Nothing was changed"), "{err}");
        assert_eq!(std::fs::read(&path).expect("read"), before);
        assert!(!dir.path().join("damaged").exists());
    }

    #[test]
    fn a_plain_database_is_encrypted_in_place_keeping_its_rows() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let store = Store::open_in_dir(dir.path()).expect("plain");
            crate::settings::put(store.conn(), "marker", &"plain-marker-value", now()).expect("put");
        }
        let vault = MemoryVault::default();
        let opened = open_protected(dir.path(), &vault, now()).expect("open");
        assert_eq!(opened.notices, vec![OpenNotice::Encrypted]);
        let value: Option<String> = crate::settings::get(opened.store.conn(), "marker").expect("get");
        assert_eq!(value.as_deref(), Some("plain-marker-value"));
    }

    #[test]
    fn a_damaged_database_is_kept_aside_and_a_new_one_opened() {
        let dir = tempfile::tempdir().expect("tempdir");
        let vault = MemoryVault::default();
        {
            let opened = open_protected(dir.path(), &vault, now()).expect("open");
            let conn = opened.store.conn();
            conn.execute_batch("CREATE TABLE filler (x TEXT); PRAGMA wal_checkpoint(TRUNCATE);").expect("fill");
            for i in 0..200 {
                conn.execute("INSERT INTO filler VALUES (?1)", [format!("{i:0>500}")]).expect("row");
            }
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).expect("checkpoint");
        }
        // Flip bytes in a page past the first: the page's HMAC no longer matches.
        let path = dir.path().join(DB_FILE);
        let mut bytes = std::fs::read(&path).expect("read");
        let at = bytes.len() - 3000;
        for b in &mut bytes[at..at + 64] {
            *b ^= 0xff;
        }
        std::fs::write(&path, &bytes).expect("damage");
        let opened = open_protected(dir.path(), &vault, now()).expect("opens a fresh database");
        let [OpenNotice::Damaged { kept_at, .. }] = opened.notices.as_slice() else {
            panic!("expected one Damaged notice, got {:?}", opened.notices)
        };
        assert_eq!(std::fs::read(kept_at.join(DB_FILE)).expect("kept"), bytes, "kept byte for byte");
    }
}
