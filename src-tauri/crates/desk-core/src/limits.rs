//! Size caps on everything that comes from outside: files the user picks or drops, and the
//! portal's answers. One place for the numbers (README "Limits") and one refusal wording, so a
//! 2 GB "notice.eml" or a portal streaming without end is refused before it fills memory.
//!
//! Files are read through [`read_capped`] (or sized by [`check_file_size`] when SQLite opens them
//! itself); contents that already arrived in memory (the window hands over a dropped file's bytes)
//! are checked with [`check_len`]. The portal client stops reading an answer at
//! [`PORTAL_BODY_MAX`] (`crate::portal`).

use crate::error::{Error, Result};
use std::io::Read;
use std::path::Path;

const MIB: u64 = 1024 * 1024;

/// A portal answer (any endpoint). The contract's answers are a few KiB; the SEN feed of a
/// busy year is well under 1 MiB.
pub const PORTAL_BODY_MAX: u64 = 4 * MIB;
/// A SEN notification e-mail (`.eml`), attachments included.
pub const EML_MAX: u64 = 10 * MIB;
/// A SEN notification saved from Outlook (`.msg`, a compound file, usually larger than the .eml).
pub const MSG_MAX: u64 = 20 * MIB;
/// An iCalendar file of closure days (`.ics`).
pub const ICS_MAX: u64 = 5 * MIB;
/// A report export file (`report import`, canonical JSON).
pub const REPORT_IMPORT_MAX: u64 = 5 * MIB;
/// A passphrase backup to restore (a whole encrypted database).
pub const BACKUP_MAX: u64 = 2 * 1024 * MIB;

/// How each kind is named in a refusal ("a … is read up to N").
pub const EML_WHAT: &str = "SEN notification e-mail (.eml)";
pub const MSG_WHAT: &str = "SEN notification saved from Outlook (.msg)";
pub const ICS_WHAT: &str = "closure calendar (.ics)";
pub const REPORT_WHAT: &str = "report export file (.json)";
pub const BACKUP_WHAT: &str = "backup";
/// A mail file of no known extension (read up to the larger cap, then held to its kind's own).
pub const MAIL_WHAT: &str = "SEN notification mail (.eml or .msg)";

/// The read cap of a mail file by its name: `.eml` and `.msg` their own, anything else the larger
/// one (the parser then holds what it finds inside to that kind's cap).
pub fn mail_cap(file_name: Option<&str>) -> (u64, &'static str) {
    let extension = file_name.and_then(|n| n.rsplit_once('.')).map(|(_, ext)| ext.to_ascii_lowercase());
    match extension.as_deref() {
        Some("eml") => (EML_MAX, EML_WHAT),
        Some("msg") => (MSG_MAX, MSG_WHAT),
        _ => (MSG_MAX, MAIL_WHAT),
    }
}

/// Field id of a refused file (the form's file picker / drop zone; the CLI names the path).
pub const FILE_FIELD: &str = "file";

/// `10 MiB`, `512 KiB`, `1.5 GiB`.
pub fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    let (unit, name) = if bytes >= 1024 * MIB {
        (1024 * MIB, "GiB")
    } else if bytes >= MIB {
        (MIB, "MiB")
    } else if bytes >= KIB {
        (KIB, "KiB")
    } else {
        return format!("{bytes} bytes");
    };
    let whole = bytes / unit;
    let tenth = (bytes % unit) * 10 / unit;
    if tenth == 0 {
        format!("{whole} {name}")
    } else {
        format!("{whole}.{tenth} {name}")
    }
}

fn too_large(name: &str, size: Option<u64>, max: u64, what: &str) -> Error {
    let size = match size {
        Some(size) => format!("is {}", human_size(size)),
        None => "is larger than that".to_string(),
    };
    Error::invalid(
        FILE_FIELD,
        format!(
            "{name} {size}: a {what} is read up to {} (the documented cap); nothing was read or stored",
            human_size(max)
        ),
    )
}

/// The contents of `path`, refused when larger than `max` bytes. `what` names the kind of file
/// in the message ("SEN e-mail (.eml)"). The size is checked before reading, and the read itself
/// stops at `max + 1` bytes (a file that grows, or a device such as `/dev/zero`).
pub fn read_capped(path: &Path, max: u64, what: &str) -> Result<Vec<u8>> {
    let name = path.display().to_string();
    let cannot = |e: std::io::Error| Error::invalid(FILE_FIELD, format!("cannot read {name}: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if meta.is_dir() {
        return Err(Error::invalid(FILE_FIELD, format!("{name} is a folder, not a {what}")));
    }
    if meta.len() > max {
        return Err(too_large(&name, Some(meta.len()), max, what));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > max {
        return Err(too_large(&name, None, max, what));
    }
    Ok(bytes)
}

/// [`read_capped`] as UTF-8 text.
pub fn read_capped_text(path: &Path, max: u64, what: &str) -> Result<String> {
    let bytes = read_capped(path, max, what)?;
    String::from_utf8(bytes)
        .map_err(|e| Error::invalid(FILE_FIELD, format!("{} is not UTF-8 text: {e}", path.display())))
}

/// For files SQLite opens itself (a backup): refused when larger than `max`, without reading.
pub fn check_file_size(path: &Path, max: u64, what: &str) -> Result<()> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| Error::invalid(FILE_FIELD, format!("cannot read {name}: {e}")))?;
    if !meta.is_file() {
        return Err(Error::invalid(FILE_FIELD, format!("{name} is not a file")));
    }
    if meta.len() > max {
        return Err(too_large(&name, Some(meta.len()), max, what));
    }
    Ok(())
}

/// For contents already in memory (a file the window read): `name` is how the user knows it.
pub fn check_len(len: usize, max: u64, what: &str, name: &str) -> Result<()> {
    let len = len as u64;
    if len > max {
        return Err(too_large(name, Some(len), max, what));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(human_size(PORTAL_BODY_MAX), "4 MiB");
        assert_eq!(human_size(BACKUP_MAX), "2 GiB");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(12), "12 bytes");
    }

    #[test]
    fn a_file_over_its_cap_is_refused_naming_file_and_cap() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("notice.eml");
        std::fs::write(&path, vec![b'a'; 2049]).expect("write");
        let err = read_capped(&path, 2048, "SEN e-mail (.eml)").expect_err("too large");
        let message = err.to_string();
        assert!(message.contains("notice.eml") && message.contains("2 KiB") && message.contains("(.eml)"), "{message}");
        assert_eq!(err.fields()[0].field, FILE_FIELD);
        assert_eq!(read_capped(&path, 4096, "x").expect("fits").len(), 2049);
        assert!(check_file_size(&path, 2048, "backup").is_err());
        assert!(check_len(10, 9, "x", "pasted").is_err() && check_len(9, 9, "x", "pasted").is_ok());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn an_endless_device_stops_at_the_cap() {
        // /dev/zero reports size 0 and never ends: the read must stop at cap + 1.
        let err = read_capped(Path::new("/dev/zero"), 1024, "SEN e-mail (.eml)").expect_err("endless");
        assert!(err.to_string().contains("1 KiB"), "{err}");
    }
}
