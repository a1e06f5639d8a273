//! Copies of the database. Snapshots: taken by the app every day into `<data dir>/backups/`,
//! encrypted with the database's own key, the last few kept, offered when the database is found
//! damaged. Backups: a whole-database export a person carries away, encrypted with a passphrase
//! (SQLCipher derives its key with PBKDF2-HMAC-SHA512), restorable into a fresh install.

use super::cipher::{self, DbKey, Keying};
use super::protect::{self, key_account, KeyVault, OpenNotice};
use super::{integrity_problems, refuse_newer, Store, DB_FILE};
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use serde::Serialize;
use std::path::{Path, PathBuf};

pub const SNAPSHOT_DIR: &str = "backups";
/// Snapshots kept; older ones are deleted when a new one is taken.
pub const KEEP_SNAPSHOTS: usize = 7;
/// How old the newest snapshot may get before the app takes another.
pub const SNAPSHOT_EVERY: TimeDelta = TimeDelta::hours(24);
/// A passphrase shorter than this is refused: the backup leaves the workstation.
pub const PASSPHRASE_MIN_CHARS: usize = 12;
/// Names the snapshot a restart must restore (written by [`request_restore`]).
const RESTORE_PENDING: &str = "restore-pending";
const SNAPSHOT_PREFIX: &str = "auto-";
const SNAPSHOT_TIME: &str = "%Y%m%dT%H%M%SZ";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    pub path: PathBuf,
    pub taken_at: DateTime<Utc>,
    pub bytes: u64,
    /// Taken of a database holding no report, SEN or profile (a fresh or replaced install): such
    /// a snapshot never pushes one holding data out of the rotation.
    pub empty: bool,
}

/// What a backup or restore copied, table by table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CopySummary {
    pub path: PathBuf,
    pub schema_version: i64,
    pub tables: Vec<(String, i64)>,
    /// Where a restore with `--replace` kept the database it replaced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced: Option<PathBuf>,
}

/// The snapshots of `data_dir`, newest first.
pub fn snapshots(data_dir: &Path) -> Result<Vec<Snapshot>> {
    let dir = data_dir.join(SNAPSHOT_DIR);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(stamp) = name.strip_prefix(SNAPSHOT_PREFIX).and_then(|n| n.strip_suffix(".sqlite3")) else { continue };
        let (stamp, empty) = match stamp.strip_suffix(EMPTY_SUFFIX) {
            Some(stamp) => (stamp, true),
            None => (stamp, false),
        };
        let Ok(taken) = NaiveDateTime::parse_from_str(stamp, SNAPSHOT_TIME) else { continue };
        let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
        found.push(Snapshot { path: entry.path(), taken_at: taken.and_utc(), bytes, empty });
    }
    found.sort_by_key(|b| std::cmp::Reverse(b.taken_at));
    Ok(found)
}

/// Takes a snapshot when the newest is older than [`SNAPSHOT_EVERY`] (or there is none), then
/// keeps the newest [`KEEP_SNAPSHOTS`]. A damaged database is never snapshotted.
pub fn snapshot_if_due(store: &Store, data_dir: &Path, key: &DbKey, now: DateTime<Utc>) -> Result<Option<Snapshot>> {
    if snapshots(data_dir)?.first().is_some_and(|newest| now - newest.taken_at < SNAPSHOT_EVERY) {
        return Ok(None);
    }
    if let Some(problems) = integrity_problems(store.conn())? {
        return Err(Error::Internal(format!("no snapshot of a database that fails its integrity check: {problems}")));
    }
    let dir = data_dir.join(SNAPSHOT_DIR);
    crate::files::create_private_dir_all(&dir)?;
    let empty = holds_no_records(store.conn())?;
    let suffix = if empty { EMPTY_SUFFIX } else { "" };
    let path = dir.join(format!("{SNAPSHOT_PREFIX}{}{suffix}.sqlite3", now.format(SNAPSHOT_TIME)));
    cipher::export(store.conn(), &path, &Keying::Raw(key))?;
    for old in rotated_out(&snapshots(data_dir)?) {
        let _ = std::fs::remove_file(&old.path);
    }
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    Ok(Some(Snapshot { path, taken_at: now, bytes, empty }))
}

/// Marks the snapshot of a database with no records in its name.
const EMPTY_SUFFIX: &str = "-empty";

/// No report, SEN, outbox item or entity profile: what a fresh install (or the new database
/// opened after a damaged one was kept aside) holds.
fn holds_no_records(conn: &rusqlite::Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM reports) AND NOT EXISTS (SELECT 1 FROM sens)
            AND NOT EXISTS (SELECT 1 FROM outbox) AND NOT EXISTS (SELECT 1 FROM settings WHERE key = 'profile')",
        [],
        |r| r.get(0),
    )?)
}

/// Which snapshots (newest first) rotation deletes: the newest [`KEEP_SNAPSHOTS`] stay, and so
/// do the newest [`KEEP_SNAPSHOTS`] that hold records, however many empty ones came after them:
/// days of a new empty database never rotate the last good copies out.
pub fn rotated_out(newest_first: &[Snapshot]) -> Vec<Snapshot> {
    let mut with_records = 0;
    let mut out = Vec::new();
    for (i, snapshot) in newest_first.iter().enumerate() {
        let keep = i < KEEP_SNAPSHOTS || (!snapshot.empty && with_records < KEEP_SNAPSHOTS);
        if !snapshot.empty {
            with_records += 1;
        }
        if !keep {
            out.push(snapshot.clone());
        }
    }
    out
}

/// Asks for `snapshot` to replace the database at the next start (the app restarts right after):
/// nothing is swapped under open connections.
pub fn request_restore(data_dir: &Path, snapshot: &Path) -> Result<()> {
    let known = snapshots(data_dir)?;
    let Some(chosen) = known.iter().find(|s| s.path == snapshot) else {
        return Err(Error::NotFound(format!("snapshot {}", snapshot.display())));
    };
    crate::files::write_private(&data_dir.join(RESTORE_PENDING), chosen.path.display().to_string().as_bytes())?;
    Ok(())
}

/// Applies a restore asked for by [`request_restore`]: the current database is kept aside in
/// `replaced/<time>/`, the snapshot copied in its place.
pub(super) fn apply_pending_restore(data_dir: &Path, now: DateTime<Utc>) -> Result<Option<OpenNotice>> {
    let marker = data_dir.join(RESTORE_PENDING);
    let Ok(text) = std::fs::read_to_string(&marker) else { return Ok(None) };
    let from = PathBuf::from(text.trim());
    if !from.is_file() {
        std::fs::remove_file(&marker)?;
        return Err(Error::NotFound(format!("the snapshot to restore, {}", from.display())));
    }
    let kept_at =
        data_dir.join(DB_FILE).exists().then(|| protect::keep_aside(data_dir, "replaced", now)).transpose()?;
    let staging = data_dir.join(format!("{DB_FILE}.restoring"));
    // A copy left by an interrupted restore: the snapshot is still the truth.
    if std::fs::symlink_metadata(&staging).is_ok() {
        std::fs::remove_file(&staging)?;
    }
    {
        let mut copy = crate::files::create_new_private(&staging)?;
        std::io::copy(&mut std::fs::File::open(&from)?, &mut copy)?;
        copy.sync_all()?;
    }
    std::fs::rename(&staging, data_dir.join(DB_FILE))?;
    std::fs::remove_file(&marker)?;
    cipher::sync_dir(&data_dir.join(DB_FILE))?;
    tracing::info!("snapshot restored");
    Ok(Some(OpenNotice::Restored { from, kept_at }))
}

fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < PASSPHRASE_MIN_CHARS {
        return Err(Error::invalid(
            "passphrase",
            format!(
                "use a passphrase of at least {PASSPHRASE_MIN_CHARS} characters: the backup leaves this workstation"
            ),
        ));
    }
    Ok(())
}

/// Writes a passphrase-encrypted copy of everything in `store` to `out` (which must not exist).
pub fn create_backup(store: &Store, out: &Path, passphrase: &str) -> Result<CopySummary> {
    check_passphrase(passphrase)?;
    cipher::export(store.conn(), out, &Keying::Passphrase(passphrase))?;
    let copy = cipher::open_keyed(out, &Keying::Passphrase(passphrase))?;
    summary(&copy, out)
}

/// Restores a passphrase backup into `data_dir` under the data directory's key (created when
/// there is none). A data directory that already holds a database is refused unless `replace`,
/// which keeps the current database aside in `replaced/<time>/`.
pub fn restore_backup(
    data_dir: &Path,
    from: &Path,
    passphrase: &str,
    vault: &dyn KeyVault,
    replace: bool,
    now: DateTime<Utc>,
) -> Result<CopySummary> {
    crate::limits::check_file_size(from, crate::limits::BACKUP_MAX, crate::limits::BACKUP_WHAT)?;
    let backup = cipher::open_keyed(from, &Keying::Passphrase(passphrase)).map_err(|e| match e {
        Error::DatabaseKeyWrong { .. } => {
            Error::invalid("passphrase", format!("{} does not open with this passphrase", from.display()))
        }
        // The file given is at fault (truncated, not a database): bad input, not a failure here.
        other => Error::Unreadable(format!("the backup {} cannot be read: {other}", from.display())),
    })?;
    refuse_newer(&backup, from)?;
    // Any passphrase "opens" an empty file as a new, empty database: a backup holds a schema.
    if super::migrations::user_version(&backup)? == 0 {
        return Err(Error::Unreadable(format!(
            "{} is not an Incident Desk backup: it holds no database; nothing was changed",
            from.display()
        )));
    }
    if let Some(problems) = integrity_problems(&backup)? {
        return Err(Error::Unreadable(format!("the backup {} is damaged: {problems}", from.display())));
    }
    crate::files::create_private_dir_all(data_dir)?;
    let target = data_dir.join(DB_FILE);
    let mut replaced = None;
    if target.exists() {
        if !replace {
            return Err(Error::Conflict(format!(
                "{} already holds a database; a backup is restored into a fresh data directory (or pass --replace \
                 to keep the current database aside in replaced/)",
                data_dir.display()
            )));
        }
        replaced = Some(protect::keep_aside(data_dir, "replaced", now)?);
    }
    let account = key_account(data_dir);
    let key = match vault.get(&account)? {
        Some(key) => key,
        None => {
            let key = DbKey::generate()?;
            vault.put(&account, &key)?;
            key
        }
    };
    cipher::export(&backup, &target, &Keying::Raw(&key))?;
    // Brings an older backup's schema up to date.
    let store = Store::open_encrypted(&target, &key)?;
    Ok(CopySummary { replaced, ..summary(store.conn(), &target)? })
}

fn summary(conn: &rusqlite::Connection, path: &Path) -> Result<CopySummary> {
    let schema_version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok(CopySummary { path: path.to_path_buf(), schema_version, tables: cipher::table_counts(conn)?, replaced: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::protect::{open_protected, tests::MemoryVault};

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("time")
    }

    #[test]
    fn snapshots_are_daily_and_the_newest_seven_are_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let vault = MemoryVault::default();
        let opened = open_protected(dir.path(), &vault, at("2026-11-01T08:00:00Z")).expect("open");
        let first = snapshot_if_due(&opened.store, dir.path(), &opened.key, at("2026-11-01T08:00:00Z")).expect("snap");
        assert!(first.is_some());
        let again = snapshot_if_due(&opened.store, dir.path(), &opened.key, at("2026-11-01T20:00:00Z")).expect("snap");
        assert!(again.is_none(), "one a day");
        for day in 2..=10 {
            let now = at(&format!("2026-11-{day:02}T08:00:00Z"));
            assert!(snapshot_if_due(&opened.store, dir.path(), &opened.key, now).expect("snap").is_some());
        }
        let kept = snapshots(dir.path()).expect("list");
        assert_eq!(kept.len(), KEEP_SNAPSHOTS);
        assert_eq!(kept[0].taken_at, at("2026-11-10T08:00:00Z"));
        let snap = cipher::open_keyed(&kept[0].path, &Keying::Raw(&opened.key)).expect("snapshot opens with the key");
        assert_eq!(integrity_problems(&snap).expect("check"), None);
    }

    #[test]
    fn a_requested_restore_replaces_the_database_at_the_next_start() {
        let dir = tempfile::tempdir().expect("tempdir");
        let vault = MemoryVault::default();
        let now = at("2026-11-01T08:00:00Z");
        let snapshot = {
            let opened = open_protected(dir.path(), &vault, now).expect("open");
            crate::settings::put(opened.store.conn(), "marker", &"before", now).expect("put");
            let snap = snapshot_if_due(&opened.store, dir.path(), &opened.key, now).expect("snap").expect("taken");
            crate::settings::put(opened.store.conn(), "marker", &"after", now).expect("put");
            snap
        };
        request_restore(dir.path(), &snapshot.path).expect("request");
        let opened = open_protected(dir.path(), &vault, at("2026-11-02T08:00:00Z")).expect("reopen");
        assert!(matches!(opened.notices.as_slice(), [OpenNotice::Restored { kept_at: Some(_), .. }]));
        let value: Option<String> = crate::settings::get(opened.store.conn(), "marker").expect("get");
        assert_eq!(value.as_deref(), Some("before"));
    }

    #[test]
    fn a_passphrase_backup_restores_into_a_fresh_install_and_only_with_its_passphrase() {
        let home = tempfile::tempdir().expect("tempdir");
        let (old, fresh) = (home.path().join("old"), home.path().join("fresh"));
        let now = at("2026-11-01T08:00:00Z");
        let out = home.path().join("carry.incident-desk-backup");
        {
            let opened = open_protected(&old, &MemoryVault::default(), now).expect("open");
            crate::settings::put(opened.store.conn(), "marker", &"carried-marker", now).expect("put");
            assert_eq!(create_backup(&opened.store, &out, "short").err().map(|e| e.code()), Some("invalid"));
            create_backup(&opened.store, &out, "correct horse battery staple").expect("backup");
        }
        let bytes = std::fs::read(&out).expect("read");
        assert!(!bytes.windows(14).any(|w| w == b"carried-marker"), "the backup is encrypted");

        let vault = MemoryVault::default();
        let wrong = restore_backup(&fresh, &out, "not the passphrase", &vault, false, now).expect_err("refused");
        assert_eq!(wrong.fields()[0].field, "passphrase");
        restore_backup(&fresh, &out, "correct horse battery staple", &vault, false, now).expect("restore");
        let opened = open_protected(&fresh, &vault, now).expect("open restored");
        let value: Option<String> = crate::settings::get(opened.store.conn(), "marker").expect("get");
        assert_eq!(value.as_deref(), Some("carried-marker"));
        drop(opened);
        let again =
            restore_backup(&fresh, &out, "correct horse battery staple", &vault, false, now).expect_err("refused");
        assert_eq!(again.code(), "conflict", "never over an existing database without --replace");

        // Any passphrase opens an empty file as an empty database: refused, the data kept.
        let empty = home.path().join("empty.incident-desk-backup");
        std::fs::write(&empty, b"").expect("write");
        let refused = restore_backup(&fresh, &empty, "any passphrase at all", &vault, true, now).expect_err("refused");
        assert_eq!(refused.code(), "unreadable", "{refused}");
        assert!(refused.to_string().contains("not an Incident Desk backup"), "{refused}");
        // A truncated backup is the file's fault (bad input), and nothing is moved aside.
        let truncated = home.path().join("truncated.incident-desk-backup");
        std::fs::write(&truncated, &bytes[..bytes.len() / 2]).expect("write");
        let refused =
            restore_backup(&fresh, &truncated, "correct horse battery staple", &vault, true, now).expect_err("refused");
        assert!(matches!(refused.code(), "unreadable" | "invalid"), "{refused}");
        assert!(!fresh.join("replaced").exists(), "nothing was kept aside");
        let opened = open_protected(&fresh, &vault, now).expect("open");
        let value: Option<String> = crate::settings::get(opened.store.conn(), "marker").expect("get");
        assert_eq!(value.as_deref(), Some("carried-marker"), "the restored data is still there");
    }
}
