//! Every file from outside past its documented cap (`desk_core::limits`): refused with a message
//! naming the file (or "the file") and the cap, nothing read into memory past the cap, and what
//! the store held before is still there.

use chrono::Utc;
use desk_core::limits::{self, BACKUP_MAX, EML_MAX, ICS_MAX, REPORT_IMPORT_MAX};
use desk_core::report::{self, ListQuery};
use desk_core::store::cipher::DbKey;
use desk_core::store::protect::KeyVault;
use desk_core::{calendar, intake, Store};

fn refused_naming(err: desk_core::Error, parts: &[&str]) {
    assert_eq!(err.code(), "invalid", "{err}");
    assert_eq!(err.fields()[0].field, limits::FILE_FIELD, "{err}");
    let message = err.to_string();
    for part in parts {
        assert!(message.contains(part), "{message:?} lacks {part:?}");
    }
}

/// A file of `len` bytes that takes no disk space (sparse).
fn sparse(dir: &std::path::Path, name: &str, len: u64) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::File::create(&path).expect("create").set_len(len).expect("size");
    path
}

#[test]
fn an_oversize_eml_is_refused_naming_the_cap() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = sparse(dir.path(), "notice.eml", EML_MAX + 1);
    let err = limits::read_capped(&path, EML_MAX, limits::EML_WHAT).expect_err("too large");
    refused_naming(err, &["notice.eml", "10 MiB", ".eml"]);
    // Bytes that already arrived (the window's drop) meet the same cap in the parser.
    let err = intake::parse_eml(&vec![b'a'; (EML_MAX + 1) as usize]).expect_err("too large");
    refused_naming(err, &["the file", "10 MiB"]);
}

#[test]
fn an_oversize_ics_is_refused_and_the_calendar_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    let before = calendar::load(store.conn()).expect("calendar");
    let mut text = String::from("BEGIN:VCALENDAR\r\n");
    text.push_str(&"X-PAD:0123456789\r\n".repeat((ICS_MAX / 18 + 1) as usize));
    text.push_str("END:VCALENDAR\r\n");
    let err = calendar::import_ics(&text).expect_err("too large");
    refused_naming(err, &["5 MiB", ".ics"]);
    let path = sparse(dir.path(), "closures.ics", ICS_MAX + 1);
    refused_naming(
        limits::read_capped_text(&path, ICS_MAX, limits::ICS_WHAT).expect_err("too large"),
        &["closures.ics", "5 MiB"],
    );
    assert_eq!(calendar::load(store.conn()).expect("calendar"), before);
}

#[test]
fn an_oversize_report_import_is_refused_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    let existing = report::create_draft(store.conn(), &Default::default(), Utc::now(), &crate::common::actor())
        .expect("draft")
        .report_id;
    let padded = format!(
        r#"{{"format": "incident-desk/report", "version": 1, "report": {{"incident": {{"description": "{}"}}}}}}"#,
        "x".repeat(REPORT_IMPORT_MAX as usize)
    );
    let err = report::import(store.conn(), &padded, Utc::now(), &crate::common::actor()).expect_err("too large");
    refused_naming(err, &["5 MiB", "report export"]);
    let listed = report::list(store.conn(), &ListQuery::default()).expect("list");
    assert_eq!(listed.iter().map(|r| r.report_id.as_str()).collect::<Vec<_>>(), [existing.as_str()]);
}

/// The restore is refused before any key is asked for.
struct NoVault;

impl KeyVault for NoVault {
    fn get(&self, _: &str) -> desk_core::Result<Option<DbKey>> {
        panic!("the keyring must not be asked for an oversize backup")
    }
    fn put(&self, _: &str, _: &DbKey) -> desk_core::Result<()> {
        panic!("the keyring must not be written for an oversize backup")
    }
    fn service(&self) -> String {
        "test".into()
    }
}

#[test]
fn an_oversize_backup_is_refused_and_the_current_database_stays() {
    let files = tempfile::tempdir().expect("tempdir");
    let data = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(data.path()).expect("store");
    let existing = report::create_draft(store.conn(), &Default::default(), Utc::now(), &crate::common::actor())
        .expect("draft")
        .report_id;
    drop(store);
    let before: Vec<_> = std::fs::read_dir(data.path()).expect("dir").map(|e| e.expect("entry").file_name()).collect();
    let backup = sparse(files.path(), "huge.backup", BACKUP_MAX + 1);
    let err =
        desk_core::store::backup::restore_backup(data.path(), &backup, "a long passphrase", &NoVault, true, Utc::now())
            .expect_err("too large");
    refused_naming(err, &["huge.backup", "2 GiB", "backup"]);
    let after: Vec<_> = std::fs::read_dir(data.path()).expect("dir").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(before, after, "nothing moved aside, nothing written");
    let store = Store::open_in_dir(data.path()).expect("reopen");
    report::get(store.conn(), &existing).expect("the draft is still there");
}
