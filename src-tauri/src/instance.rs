//! One running app per data directory: a second launch on the same data directory hands over to
//! the first (which shows its window) and exits. The single-instance name (a D-Bus name on Linux)
//! is derived from the data directory, so a test run or an exercise with another `--data-dir` never
//! collides with the ISO's running instance.

use std::path::Path;

/// `gov.ca.incidentdesk.d<16 hex digits>`: the app identifier and a stable hash of the
/// canonical data directory path (FNV-1a, the same in every build).
pub fn id(data_dir: &Path) -> String {
    let path = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in path.as_os_str().as_encoded_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{}.d{hash:016x}", desk_core::APP_IDENTIFIER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_id_per_data_directory_and_a_valid_bus_name() {
        let a = tempfile_dir("a");
        let b = tempfile_dir("b");
        assert_eq!(id(&a), id(&a.join("../a")), "the same directory, however written");
        assert_ne!(id(&a), id(&b));
        let name = id(&a);
        assert!(
            name.starts_with("gov.ca.incidentdesk.d") && name.len() == "gov.ca.incidentdesk.d".len() + 16,
            "{name}"
        );
        assert!(name.split('.').all(|part| !part.is_empty() && !part.starts_with(|c: char| c.is_ascii_digit())));
        let _ = std::fs::remove_dir_all(a.parent().unwrap_or(&a));
    }

    fn tempfile_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("incident-desk-instance-test-{}", std::process::id())).join(name);
        std::fs::create_dir_all(&dir).expect("dir");
        dir
    }
}
