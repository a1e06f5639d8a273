//! Who is at the keyboard, for the history rows (desk_core::audit::Actor): the OS account (from
//! the password database, not $USER, which any shell can set) and the machine's host name. Read
//! once per process, at the edge; the core only receives the value.

use desk_core::audit::Actor;
use std::sync::OnceLock;

pub fn current() -> &'static Actor {
    static ACTOR: OnceLock<Actor> = OnceLock::new();
    ACTOR.get_or_init(|| Actor::new(user_name(), host_name()))
}

#[cfg(unix)]
fn user_name() -> String {
    // SAFETY: getpwuid_r writes into the buffers given, sized as passed; `pwd.pw_name` points into
    // `buf` and is read before `buf` goes out of scope.
    unsafe {
        let uid = libc::getuid();
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut buf = vec![0 as libc::c_char; 4096];
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        if libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut found) == 0
            && !found.is_null()
            && !pwd.pw_name.is_null()
        {
            if let Ok(name) = std::ffi::CStr::from_ptr(pwd.pw_name).to_str() {
                if !name.is_empty() {
                    return name.to_string();
                }
            }
        }
        std::env::var("USER").unwrap_or_else(|_| format!("uid {uid}"))
    }
}

#[cfg(not(unix))]
fn user_name() -> String {
    std::env::var("USERNAME").unwrap_or_default()
}

#[cfg(unix)]
fn host_name() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most `buf.len()` bytes into `buf`.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return String::new();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

#[cfg(not(unix))]
fn host_name() -> String {
    std::env::var("COMPUTERNAME").unwrap_or_default()
}
