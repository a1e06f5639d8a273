//! Start at login, by the XDG autostart specification. The .deb installs a system entry
//! (`/etc/xdg/autostart/incident-desk.desktop`: every ISO's reminders run after login); a user's own
//! entry of the same name in `~/.config/autostart` takes its place, and `Hidden=true` there turns
//! start at login off for that user. Linux only so far: on Windows (the `Run` registry key) and
//! macOS (a LaunchAgent or SMAppService) it reads as off and cannot be turned on (follow-up).

use std::path::{Path, PathBuf};

/// File name of the entry, the same in the system and the user directories.
pub const ENTRY: &str = "incident-desk.desktop";

pub struct Autostart {
    user_dir: PathBuf,
    system_dirs: Vec<PathBuf>,
}

impl Autostart {
    /// The directories of this session (`XDG_CONFIG_HOME`, `XDG_CONFIG_DIRS`, with their defaults).
    pub fn from_env() -> Autostart {
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
        let user_config = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join(".config"));
        let system =
            std::env::var("XDG_CONFIG_DIRS").ok().filter(|v| !v.is_empty()).unwrap_or_else(|| "/etc/xdg".into());
        Autostart {
            user_dir: user_config.join("autostart"),
            system_dirs: system.split(':').filter(|d| !d.is_empty()).map(|d| Path::new(d).join("autostart")).collect(),
        }
    }

    fn user_entry(&self) -> PathBuf {
        self.user_dir.join(ENTRY)
    }

    fn system_entry(&self) -> Option<PathBuf> {
        self.system_dirs.iter().map(|d| d.join(ENTRY)).find(|p| p.is_file())
    }

    /// Whether the desktop will start the app at login: the user's entry decides when there is
    /// one, else the system's.
    pub fn is_enabled(&self) -> bool {
        if !cfg!(target_os = "linux") {
            return false;
        }
        let entry = self.user_entry();
        match std::fs::read_to_string(&entry) {
            Ok(text) => !hidden(&text),
            Err(_) => self.system_entry().is_some_and(|p| std::fs::read_to_string(p).is_ok_and(|t| !hidden(&t))),
        }
    }

    /// Turns start at login on (an entry running `exec` with `args`) or off (the user's entry
    /// removed, or hiding the system's when there is one).
    pub fn set(&self, enabled: bool, exec: &Path, args: &[String]) -> std::io::Result<()> {
        if !cfg!(target_os = "linux") {
            return Err(std::io::Error::new(
                std::io::ErrorKind::Unsupported,
                "start at login is only set up on Linux in this version",
            ));
        }
        let entry = self.user_entry();
        if enabled {
            desk_core::files::create_private_dir_all(&self.user_dir)?;
            let command =
                std::iter::once(exec.display().to_string()).chain(args.iter().cloned()).collect::<Vec<_>>().join(" ");
            desk_core::files::write_private(
                &entry,
                format!(
                    "[Desktop Entry]\nType=Application\nName=Incident Desk\nComment=SEN and incident report deadlines, in the tray\n\
                     Exec={command}\nIcon=incident-desk\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"
                )
                .as_bytes(),
            )
        } else if self.system_entry().is_some() {
            desk_core::files::create_private_dir_all(&self.user_dir)?;
            desk_core::files::write_private(
                &entry,
                b"[Desktop Entry]\nType=Application\nName=Incident Desk\nHidden=true\n",
            )
        } else {
            match std::fs::remove_file(&entry) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
        }
    }
}

fn hidden(entry: &str) -> bool {
    entry.lines().any(|l| {
        let l = l.trim();
        l.eq_ignore_ascii_case("Hidden=true") || l.eq_ignore_ascii_case("X-GNOME-Autostart-enabled=false")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs(root: &Path) -> Autostart {
        Autostart { user_dir: root.join("user/autostart"), system_dirs: vec![root.join("system/autostart")] }
    }

    #[test]
    fn without_a_system_entry_the_user_entry_is_written_and_removed() {
        let root = tempfile::tempdir().expect("tempdir");
        let a = dirs(root.path());
        assert!(!a.is_enabled());
        a.set(true, Path::new("/usr/bin/incident-desk"), &["--background".into()]).expect("on");
        assert!(a.is_enabled());
        let text = std::fs::read_to_string(a.user_entry()).expect("entry");
        assert!(text.contains("Exec=/usr/bin/incident-desk --background"), "{text}");
        a.set(false, Path::new("/usr/bin/incident-desk"), &[]).expect("off");
        assert!(!a.is_enabled());
        assert!(!a.user_entry().exists());
    }

    #[test]
    fn the_system_entry_of_the_package_is_hidden_not_deleted() {
        let root = tempfile::tempdir().expect("tempdir");
        let a = dirs(root.path());
        std::fs::create_dir_all(root.path().join("system/autostart")).expect("dir");
        std::fs::write(
            root.path().join("system/autostart").join(ENTRY),
            "[Desktop Entry]\nExec=incident-desk --background\n",
        )
        .expect("system entry");
        assert!(a.is_enabled(), "the package's entry starts it at login");
        a.set(false, Path::new("/usr/bin/incident-desk"), &[]).expect("off");
        assert!(!a.is_enabled());
        assert!(std::fs::read_to_string(a.user_entry()).expect("override").contains("Hidden=true"));
        a.set(true, Path::new("/usr/bin/incident-desk"), &["--background".into()]).expect("on");
        assert!(a.is_enabled());
    }
}
