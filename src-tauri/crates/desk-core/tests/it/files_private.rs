//! Private files and folders (desk_core::files): new files 0600, new folders 0700, no symlink
//! followed, a failed write leaves no `.partial`, an existing install put right at start.
#![cfg(unix)]

use desk_core::files::{create_new_private, create_private_dir_all, fix_data_dir, write_private};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path).expect("meta").permissions().mode() & 0o7777
}

#[test]
fn new_files_are_0600_new_folders_0700_and_symlinks_are_not_followed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("a/b");
    create_private_dir_all(&folder).expect("dirs");
    assert_eq!(mode(&dir.path().join("a")), 0o700);
    assert_eq!(mode(&folder), 0o700);
    let file = folder.join("export.json");
    write_private(&file, b"{}").expect("write");
    assert_eq!(mode(&file), 0o600);
    assert_eq!(std::fs::read(&file).expect("read"), b"{}");
    let leftovers: Vec<_> = std::fs::read_dir(&folder).expect("list").flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers.len(), 1, "no .partial left: {leftovers:?}");

    // A symlink planted at a new file's name is refused, its target untouched.
    let target = dir.path().join("victim");
    std::fs::write(&target, b"keep").expect("victim");
    let link = folder.join("planted");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    assert!(create_new_private(&link).is_err());
    assert_eq!(std::fs::read(&target).expect("read"), b"keep");
    // write_private replaces the link itself, never writes through it.
    write_private(&link, b"new").expect("write");
    assert_eq!(std::fs::read(&target).expect("read"), b"keep");
    assert!(!std::fs::symlink_metadata(&link).expect("meta").file_type().is_symlink());
}

#[test]
fn a_failed_write_leaves_no_partial_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The rename fails (a folder has the name): the .partial must be gone.
    let path = dir.path().join("busy");
    std::fs::create_dir(&path).expect("dir");
    std::fs::write(path.join("x"), b"x").expect("fill");
    assert!(write_private(&path, b"data").is_err());
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["busy".to_string()]);
}

#[test]
fn an_existing_install_is_put_right() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("logs")).expect("dirs");
    std::fs::create_dir_all(data.join("damaged/20260101T000000.000Z")).expect("dirs");
    for file in [
        "incident-desk.sqlite3",
        "incident-desk.sqlite3-wal",
        "logs/incident-desk.2026-01-01.log",
        "damaged/20260101T000000.000Z/incident-desk.sqlite3",
    ] {
        std::fs::write(data.join(file), b"x").expect("file");
        std::fs::set_permissions(data.join(file), std::fs::Permissions::from_mode(0o644)).expect("chmod");
    }
    for d in ["", "logs", "damaged", "damaged/20260101T000000.000Z"] {
        std::fs::set_permissions(data.join(d), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    assert_eq!(fix_data_dir(&data).expect("fix"), 8);
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("logs")), 0o700);
    assert_eq!(mode(&data.join("incident-desk.sqlite3-wal")), 0o600);
    assert_eq!(mode(&data.join("logs/incident-desk.2026-01-01.log")), 0o600);
    assert_eq!(mode(&data.join("damaged/20260101T000000.000Z/incident-desk.sqlite3")), 0o600);
    assert_eq!(fix_data_dir(&data).expect("again"), 0, "nothing left to change");
}

/// The store's own files: the database and its journals, a snapshot and a passphrase backup are
/// 0600 in 0700 folders, whatever the umask, and a refused backup leaves no partial file.
#[test]
fn the_database_snapshots_and_backups_are_private() {
    use desk_core::store::{backup, cipher::DbKey, DB_FILE};
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let key = DbKey::generate().expect("key");
    create_private_dir_all(&data).expect("data dir");
    let store = desk_core::Store::open_encrypted(&data.join(DB_FILE), &key).expect("store");
    desk_core::settings::put(store.conn(), "marker", &"x", chrono::Utc::now()).expect("write");
    for name in [DB_FILE.to_string(), format!("{DB_FILE}-wal"), format!("{DB_FILE}-shm")] {
        assert_eq!(mode(&data.join(&name)), 0o600, "{name}");
    }
    let snap = backup::snapshot_if_due(&store, &data, &key, chrono::Utc::now()).expect("snapshot").expect("taken");
    assert_eq!(mode(&data.join(backup::SNAPSHOT_DIR)), 0o700);
    assert_eq!(mode(&snap.path), 0o600);
    let out = dir.path().join("carry.sqlite3");
    backup::create_backup(&store, &out, "correct horse battery staple").expect("backup");
    assert_eq!(mode(&out), 0o600);
    let again = backup::create_backup(&store, &out, "correct horse battery staple").expect_err("exists");
    assert_eq!(again.code(), "conflict");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("partial")), "{names:?}");
    assert_eq!(fix_data_dir(&data).expect("fix"), 0, "nothing to put right: {data:?}");
}
