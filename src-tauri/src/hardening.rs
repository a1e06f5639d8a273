//! Process hardening at start, before any secret is in memory: files private to the user (umask
//! 077), and no core dump may carry the database key, the portal token or a passphrase to disk. On Linux `RLIMIT_CORE` = 0 (inherited by the
//! WebKit processes the window starts) and `PR_SET_DUMPABLE` = 0 (also keeps other processes of
//! the same user from ptrace-attaching or reading this one's memory through /proc). Other
//! platforms add theirs here.

use std::sync::OnceLock;

static OUTCOME: OnceLock<Vec<String>> = OnceLock::new();

/// Belt and braces under desk_core::files' explicit modes: whatever this process creates (SQLite's
/// journals, tracing-appender's daily log files, a library's temporary file) is private to the
/// user.
pub fn private_files() {
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file mode creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}

/// Turns core dumps off for this process. Failures are kept for [`log_outcome`] (logging starts
/// later).
pub fn no_core_dumps() {
    let _ = OUTCOME.set(apply());
}

#[cfg(target_os = "linux")]
fn apply() -> Vec<String> {
    let mut failed = Vec::new();
    let zero = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: setrlimit reads the struct we pass; prctl(PR_SET_DUMPABLE) takes plain integers
    // (unsigned long, as the kernel reads them: a variadic call must pass them at that width).
    if unsafe { libc::setrlimit(libc::RLIMIT_CORE, &zero) } != 0 {
        failed.push(format!("setrlimit(RLIMIT_CORE, 0): {}", std::io::Error::last_os_error()));
    }
    if unsafe {
        libc::prctl(
            libc::PR_SET_DUMPABLE,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
        )
    } != 0
    {
        failed.push(format!("prctl(PR_SET_DUMPABLE, 0): {}", std::io::Error::last_os_error()));
    }
    failed
}

#[cfg(not(target_os = "linux"))]
fn apply() -> Vec<String> {
    Vec::new()
}

pub fn log_outcome() {
    match OUTCOME.get() {
        Some(failed) if failed.is_empty() => tracing::info!("core dumps off"),
        Some(failed) => tracing::warn!(?failed, "core dumps could not be turned off"),
        None => {}
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn core_dumps_are_off_after_start() {
        super::no_core_dumps();
        let mut limit = libc::rlimit { rlim_cur: 1, rlim_max: 1 };
        // SAFETY: getrlimit writes into the struct we pass.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut limit) }, 0);
        assert_eq!((limit.rlim_cur, limit.rlim_max), (0, 0));
        assert_eq!(
            unsafe {
                libc::prctl(
                    libc::PR_GET_DUMPABLE,
                    0 as libc::c_ulong,
                    0 as libc::c_ulong,
                    0 as libc::c_ulong,
                    0 as libc::c_ulong,
                )
            },
            0
        );
        assert!(super::OUTCOME.get().is_some_and(|f| f.is_empty()));
    }
}
