//! Private files and folders: the ONE place the app creates anything on disk that holds records
//! (database, snapshots, backups, exports, PDFs, logs, markers). Files are created 0600 with
//! create-new semantics and without following a symlink; a file written whole goes to a temporary
//! `.partial` in the same folder first and is renamed into place, so a failed write leaves
//! nothing behind; folders are created 0700. [`fix_data_dir`] puts an existing install right.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub const FILE_MODE: u32 = 0o600;
pub const DIR_MODE: u32 = 0o700;

/// Creates `dir` and any missing parents, each new one 0700 (existing folders are left as they
/// are: they may be the user's own, like ~/Documents).
pub fn create_private_dir_all(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIR_MODE);
    builder.create(dir)
}

/// Creates a NEW file, 0600; refused when anything (a file, a symlink) already has the name.
pub fn create_new_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // create_new is O_CREAT|O_EXCL, which never follows a symlink; O_NOFOLLOW says so twice.
        options.mode(FILE_MODE).custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    }
    let file = options.open(path)?;
    // The umask may have taken bits away, never added; set exactly 0600 regardless.
    set_mode(&file, FILE_MODE)?;
    Ok(file)
}

/// A temporary name beside `path`: `.<name>.<random>.partial`.
pub fn partial_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let random: u64 = rand::random();
    path.with_file_name(format!(".{name}.{random:016x}.partial"))
}

/// Writes `bytes` as `path`, whole or not at all: a 0600 `.partial` beside it, synced, renamed
/// over `path` (a symlink at `path` is replaced, never followed), the folder synced.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let partial = partial_path(path);
    let written = (|| {
        let mut file = create_new_private(&partial)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&partial, path)?;
        sync_parent(path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// Makes the folder holding `path` durable after a rename or a new file.
pub fn sync_parent(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(file: &File, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_file: &File, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// Sets `path` to `mode` when it is a real file or folder (a symlink is left alone, never
/// followed); a missing path is fine.
#[cfg(unix)]
pub fn restrict(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Ok(()),
        Ok(meta) if meta.permissions().mode() & 0o7777 == mode => Ok(()),
        Ok(_) => std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
pub fn restrict(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// The folders inside the data directory that hold records.
pub const PRIVATE_SUBDIRS: &[&str] = &["logs", "backups", "damaged", "replaced"];

/// Puts an existing install right at start: the data directory and its record folders 0700,
/// every file directly in them (database, -wal, -shm, logs, snapshots, markers) 0600, and the
/// kept-aside copies in `damaged/` and `replaced/` likewise. Returns how many modes it changed.
pub fn fix_data_dir(data_dir: &Path) -> io::Result<usize> {
    let mut changed = 0;
    let mut fix = |path: &Path, mode: u32| -> io::Result<()> {
        let before = current_mode(path);
        restrict(path, mode)?;
        if before.is_some_and(|m| m != mode) {
            changed += 1;
        }
        Ok(())
    };
    if !data_dir.is_dir() {
        return Ok(0);
    }
    fix(data_dir, DIR_MODE)?;
    let mut dirs = vec![data_dir.to_path_buf()];
    dirs.extend(PRIVATE_SUBDIRS.iter().map(|d| data_dir.join(d)));
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else { continue };
            let path = entry.path();
            if kind.is_file() {
                fix(&path, FILE_MODE)?;
            } else if kind.is_dir() {
                fix(&path, DIR_MODE)?;
                // The subfolders of damaged/ and replaced/ (one per time) hold whole databases.
                if dir != data_dir {
                    dirs.push(path);
                }
            }
        }
    }
    Ok(changed)
}

#[cfg(unix)]
fn current_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| !m.file_type().is_symlink())
        .map(|m| m.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn current_mode(_path: &Path) -> Option<u32> {
    None
}
