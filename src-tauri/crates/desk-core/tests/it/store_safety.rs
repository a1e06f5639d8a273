//! The store never throws data away by mistake: only SQLite's SQLITE_CORRUPT / SQLITE_NOTADB mean
//! damage; a locked database, an I/O error or a full disk is reported as such with nothing moved; a
//! database another process has open is never moved aside; days of snapshots of a new empty
//! database never rotate out the last snapshots that hold data.

use chrono::{DateTime, TimeDelta, Utc};
use desk_core::store::backup::{self, KEEP_SNAPSHOTS};
use desk_core::store::cipher::DbKey;
use desk_core::store::protect::{self, open_protected, KeyVault, OpenNotice};
use desk_core::store::DB_FILE;
use desk_core::Store;
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// Keys in memory: these tests need no keyring.
#[derive(Default)]
struct MemoryVault(RefCell<HashMap<String, String>>);

impl KeyVault for MemoryVault {
    fn get(&self, account: &str) -> desk_core::Result<Option<DbKey>> {
        Ok(self.0.borrow().get(account).and_then(|hex| DbKey::from_hex(hex.as_str())))
    }
    fn put(&self, account: &str, key: &DbKey) -> desk_core::Result<()> {
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

/// A database with rows in several pages, then a page past the first damaged (its HMAC fails).
fn damaged_database(dir: &Path, vault: &MemoryVault) -> Vec<u8> {
    {
        let opened = open_protected(dir, vault, now()).expect("open");
        let conn = opened.store.conn();
        conn.execute_batch("CREATE TABLE filler (x TEXT)").expect("table");
        for i in 0..200 {
            conn.execute("INSERT INTO filler VALUES (?1)", [format!("{i:0>500}")]).expect("row");
        }
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).expect("checkpoint");
    }
    let path = dir.join(DB_FILE);
    let mut bytes = std::fs::read(&path).expect("read");
    let at = bytes.len() - 3000;
    for b in &mut bytes[at..at + 64] {
        *b ^= 0xff;
    }
    std::fs::write(&path, &bytes).expect("damage");
    bytes
}

fn keyed(path: &Path, vault: &MemoryVault, dir: &Path) -> rusqlite::Connection {
    let key = vault.get(&protect::key_account(dir)).expect("vault").expect("key");
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.pragma_update(None, "key", format!("x'{}'", key.to_hex().as_str())).expect("key");
    conn
}

#[test]
fn a_locked_database_is_reported_as_locked_and_nothing_is_moved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vault = MemoryVault::default();
    drop(open_protected(dir.path(), &vault, now()).expect("create"));
    let path = dir.path().join(DB_FILE);
    // Another connection holds the file's exclusive lock (exclusive locking mode, a write
    // transaction open), as a backup tool or a second app writing would.
    let holder = keyed(&path, &vault, dir.path());
    holder.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE held (x);").expect("lock");
    let before = std::fs::read(&path).expect("read");

    let err = open_protected(dir.path(), &vault, now()).err().expect("refused while locked");
    let message = err.to_string();
    assert!(message.contains("locked"), "says locked: {message}");
    assert!(message.contains("not moved"), "says nothing moved: {message}");
    assert!(!dir.path().join("damaged").exists(), "nothing kept aside");
    assert_eq!(std::fs::read(&path).expect("read"), before, "the database is untouched");

    holder.execute_batch("ROLLBACK; PRAGMA locking_mode = NORMAL;").expect("unlock");
    drop(holder);
    let opened = open_protected(dir.path(), &vault, now()).expect("opens once the lock is gone");
    assert!(opened.notices.is_empty(), "{:?}", opened.notices);
}

/// Not a test of its own: started as a SECOND process by the test below, it holds the database
/// named in DESK_TEST_HOLD_DB open (key in DESK_TEST_HOLD_KEY), says "holding", and keeps it
/// open until its stdin closes.
#[test]
#[ignore = "helper process for a_database_open_in_another_process_is_never_moved_aside"]
fn helper_hold_database_open() {
    let (Ok(path), Ok(key)) = (std::env::var("DESK_TEST_HOLD_DB"), std::env::var("DESK_TEST_HOLD_KEY")) else {
        return;
    };
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.pragma_update(None, "key", format!("x'{key}'")).expect("key");
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).expect("read");
    println!("holding");
    std::io::stdout().flush().expect("flush");
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    drop(conn);
}

#[test]
fn a_database_open_in_another_process_is_never_moved_aside() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vault = MemoryVault::default();
    let bytes = damaged_database(dir.path(), &vault);
    let path = dir.path().join(DB_FILE);
    let key = vault.get(&protect::key_account(dir.path())).expect("vault").expect("key");

    let mut holder = Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "store_safety::helper_hold_database_open", "--ignored", "--nocapture", "--test-threads=1"])
        .env("DESK_TEST_HOLD_DB", &path)
        .env("DESK_TEST_HOLD_KEY", key.to_hex())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("second process");
    let mut out = BufReader::new(holder.stdout.take().expect("stdout"));
    let mut line = String::new();
    while !line.contains("holding") {
        line.clear();
        assert!(out.read_line(&mut line).expect("read") > 0, "the helper ended before holding the database");
    }
    assert!(protect::open_elsewhere(&path).expect("lock query").is_some(), "the other process's lock is visible");

    let err = open_protected(dir.path(), &vault, now()).err().expect("refused while open elsewhere");
    let message = err.to_string();
    assert!(message.contains("another process") && message.contains("nothing was moved"), "{message}");
    assert_eq!(std::fs::read(&path).expect("read"), bytes, "left where it was, byte for byte");
    assert!(!dir.path().join("damaged").exists());

    drop(holder.stdin.take());
    assert!(holder.wait().expect("helper ends").success());
    assert_eq!(protect::open_elsewhere(&path).expect("lock query"), None);
    let opened = open_protected(dir.path(), &vault, now()).expect("now kept aside");
    let [OpenNotice::Damaged { kept_at, .. }] = opened.notices.as_slice() else {
        panic!("expected one Damaged notice, got {:?}", opened.notices)
    };
    assert_eq!(std::fs::read(kept_at.join(DB_FILE)).expect("kept"), bytes);
}

#[test]
fn only_corrupt_or_not_a_database_counts_as_damage() {
    use rusqlite::ffi;
    let failure = |code| rusqlite::Error::SqliteFailure(ffi::Error::new(code), None);
    assert!(protect::is_damage(&failure(ffi::SQLITE_CORRUPT)));
    assert!(protect::is_damage(&failure(ffi::SQLITE_NOTADB)));
    for code in [
        ffi::SQLITE_IOERR,
        ffi::SQLITE_FULL,
        ffi::SQLITE_BUSY,
        ffi::SQLITE_LOCKED,
        ffi::SQLITE_CANTOPEN,
        ffi::SQLITE_PERM,
    ] {
        assert!(!protect::is_damage(&failure(code)), "code {code} is not damage");
    }
}

#[test]
fn snapshots_of_a_new_empty_database_never_rotate_out_the_last_good_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vault = MemoryVault::default();
    let day = |d: i64| now() + TimeDelta::days(d);
    let opened = open_protected(dir.path(), &vault, day(0)).expect("open");
    desk_core::report::create_draft(opened.store.conn(), &Default::default(), day(0), &crate::common::actor())
        .expect("a report");
    for d in 0..3 {
        let snap =
            backup::snapshot_if_due(&opened.store, dir.path(), &opened.key, day(d)).expect("snap").expect("taken");
        assert!(!snap.empty);
    }
    // The database is replaced by a new empty one (damaged and kept aside, or a new install on
    // the same data directory): ten days of empty snapshots.
    let other = tempfile::tempdir().expect("tempdir");
    let empty = Store::open_encrypted(&other.path().join(DB_FILE), &opened.key).expect("empty");
    for d in 3..13 {
        let snap = backup::snapshot_if_due(&empty, dir.path(), &opened.key, day(d)).expect("snap").expect("taken");
        assert!(snap.empty);
    }
    let kept = backup::snapshots(dir.path()).expect("list");
    let good: Vec<_> = kept.iter().filter(|s| !s.empty).collect();
    assert_eq!(good.len(), 3, "the three snapshots holding data are all kept: {kept:?}");
    assert_eq!(kept.iter().filter(|s| s.empty).count(), KEEP_SNAPSHOTS, "empty ones rotate among themselves");
    assert_eq!(kept[0].taken_at, day(12), "newest first");
}
