//! The app lock, in the shell: the locked flag, the last input the window reported, the wrong
//! passphrases in a row; the one choke point that refuses every command but the lock's own while
//! locked ([`guard`]); the idle timer and the desktop session's lock signal that lock it. The rules
//! (idle due, backoff, Argon2id) are `desk_core::lock`'s pure functions; the hash lives in the
//! keyring (`desk_core::secrets::UnlockHash`). Reminders are not held: the scheduler, the sync and
//! the snapshots use their own connections, which the lock never touches.

use crate::ipc::IpcError;
use chrono::{DateTime, Utc};
use desk_core::lock::{self as rules, Failures, Passphrase};
use desk_core::secrets::UnlockHash;
use serde::Serialize;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, Manager};

/// Window event: `{"locked": bool, "reason": ...}`; `needs_passphrase` when a lock was asked for
/// without a passphrase set.
pub const LOCK_EVENT: &str = "lock";
/// The commands that answer while locked: none of them reads or writes a record.
// `window_release` too: a locked page holds no record, so it may go while the app sits in the tray.
const OPEN_WHILE_LOCKED: &[&str] =
    &["app_info", "ui_ready", "window_release", "lock_status", "lock_activity", "lock_now", "lock_unlock"];
/// The idle timer's longest sleep (it also wakes when the settings or the lock change).
const TICK: Duration = Duration::from_secs(30);
/// Debug builds only (the e2e suite): one idle "minute" lasts this many seconds, so a test
/// waits seconds, not minutes, while going through the real setting. Release builds ignore it.
pub const TEST_MINUTE_ENV: &str = "INCIDENT_DESK_TEST_MINUTE_SECS";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Idle,
    Session,
    Now,
    Tray,
    Unlocked,
}

pub struct AppLock {
    inner: Mutex<Inner>,
    /// The keyring account: the data directory's absolute path, as for the database key.
    account: String,
    minute: Duration,
    /// Wakes the idle timer early (settings saved, passphrase set, unlocked).
    wake: tokio::sync::Notify,
    /// One passphrase check at a time, so parallel tries cannot outrun the backoff.
    checking: Mutex<()>,
}

struct Inner {
    locked: bool,
    passphrase_set: bool,
    idle_minutes: u32,
    last_input: (DateTime<Utc>, Instant),
    failures: Failures,
}

#[derive(Serialize)]
pub struct LockStatus {
    pub locked: bool,
    pub passphrase_set: bool,
    pub idle_minutes: u32,
    /// Seconds before the next passphrase try is checked (after too many wrong ones).
    pub retry_after_secs: Option<u64>,
    pub wrong_tries: u32,
}

fn recover<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AppLock {
    pub fn new(account: String, idle_minutes: u32, passphrase_set: bool) -> AppLock {
        let minute = test_minute().unwrap_or(Duration::from_secs(60));
        if minute != Duration::from_secs(60) {
            tracing::warn!(
                seconds = minute.as_secs(),
                "lock: idle minutes are counted in test seconds ({TEST_MINUTE_ENV})"
            );
        }
        AppLock {
            inner: Mutex::new(Inner {
                locked: false,
                passphrase_set,
                idle_minutes,
                last_input: (Utc::now(), Instant::now()),
                failures: Failures::default(),
            }),
            account,
            minute,
            wake: tokio::sync::Notify::new(),
            checking: Mutex::new(()),
        }
    }

    pub fn is_locked(&self) -> bool {
        recover(&self.inner).locked
    }

    pub fn status(&self, now: DateTime<Utc>) -> LockStatus {
        let inner = recover(&self.inner);
        LockStatus {
            locked: inner.locked,
            passphrase_set: inner.passphrase_set,
            idle_minutes: inner.idle_minutes,
            retry_after_secs: inner.failures.retry_after(now).map(ceil_secs),
            wrong_tries: inner.failures.count,
        }
    }

    /// Input in the window (reported by the UI, throttled).
    pub fn activity(&self) {
        let mut inner = recover(&self.inner);
        if !inner.locked {
            inner.last_input = (Utc::now(), Instant::now());
        }
    }

    pub fn set_idle_minutes(&self, minutes: u32) {
        recover(&self.inner).idle_minutes = minutes;
        self.wake.notify_one();
    }

    /// Locks; `false` (nothing changed) when no passphrase is set: a lock nobody could open again
    /// from the window would only be in the way, so locking needs a passphrase.
    fn lock(&self) -> bool {
        let mut inner = recover(&self.inner);
        if !inner.passphrase_set {
            return false;
        }
        inner.locked = true;
        true
    }

    /// Checks a passphrase (blocking: keyring on D-Bus, Argon2id). On success the window is open
    /// again and the wrong tries are forgotten. With no hash in the keyring any more (`incident-desk
    /// lock reset` as this OS user, who holds the database key anyway), the lock opens.
    pub fn unlock(&self, passphrase: &Passphrase, now: DateTime<Utc>) -> Result<(), IpcError> {
        let _one_at_a_time = recover(&self.checking);
        if let Some(wait) = recover(&self.inner).failures.retry_after(now) {
            return Err(backoff_error(wait));
        }
        let phc = UnlockHash::get(&self.account).map_err(keyring_error)?;
        let right = match &phc {
            Some(phc) => rules::verify_passphrase(passphrase, phc)?,
            None => true,
        };
        let mut inner = recover(&self.inner);
        if !right {
            inner.failures.record(now);
            tracing::warn!(wrong_tries = inner.failures.count, "lock: wrong passphrase");
            let mut message = "That is not the unlock passphrase.".to_string();
            if let Some(wait) = inner.failures.retry_after(now) {
                message.push_str(&format!(" Too many wrong tries: the next one is checked in {} s.", ceil_secs(wait)));
            }
            return Err(IpcError {
                code: "wrong_passphrase".into(),
                message: message.clone(),
                fields: vec![desk_core::FieldError::new(rules::PASSPHRASE_FIELD, message)],
            });
        }
        inner.locked = false;
        inner.passphrase_set = phc.is_some();
        inner.failures = Failures::default();
        inner.last_input = (Utc::now(), Instant::now());
        self.wake.notify_one();
        tracing::info!("lock: unlocked");
        Ok(())
    }

    /// Sets or changes the passphrase (blocking). Changing one needs the current passphrase.
    pub fn set_passphrase(
        &self,
        current: Option<&Passphrase>,
        new: &Passphrase,
        now: DateTime<Utc>,
    ) -> Result<(), IpcError> {
        rules::check_new_passphrase(new)?;
        self.check_current(current, now)?;
        let phc = rules::hash_passphrase(new)?;
        UnlockHash::set(&self.account, &phc).map_err(keyring_error)?;
        let mut inner = recover(&self.inner);
        inner.passphrase_set = true;
        inner.last_input = (Utc::now(), Instant::now());
        self.wake.notify_one();
        tracing::info!("lock: unlock passphrase set (its Argon2id hash is in the keyring)");
        Ok(())
    }

    /// Removes the passphrase (blocking); the window no longer locks.
    pub fn remove_passphrase(&self, current: &Passphrase, now: DateTime<Utc>) -> Result<(), IpcError> {
        self.check_current(Some(current), now)?;
        UnlockHash::delete(&self.account).map_err(keyring_error)?;
        recover(&self.inner).passphrase_set = false;
        tracing::info!("lock: unlock passphrase removed");
        Ok(())
    }

    /// The current passphrase must be given (and right) when one is set; wrong ones count.
    fn check_current(&self, current: Option<&Passphrase>, now: DateTime<Utc>) -> Result<(), IpcError> {
        let _one_at_a_time = recover(&self.checking);
        let Some(phc) = UnlockHash::get(&self.account).map_err(keyring_error)? else {
            return Ok(());
        };
        let field = |message: &str| IpcError {
            code: "invalid".into(),
            message: message.into(),
            fields: vec![desk_core::FieldError::new("lock.current", message)],
        };
        if let Some(wait) = recover(&self.inner).failures.retry_after(now) {
            return Err(backoff_error(wait));
        }
        let Some(current) = current.filter(|c| !c.is_empty()) else {
            return Err(field("enter the current passphrase"));
        };
        if !rules::verify_passphrase(current, &phc)? {
            recover(&self.inner).failures.record(now);
            return Err(field("that is not the current passphrase"));
        }
        recover(&self.inner).failures = Failures::default();
        Ok(())
    }

    /// How long until the window is idle long enough to lock; `None` when it cannot lock now.
    fn idle_check(&self) -> Option<Duration> {
        let inner = recover(&self.inner);
        if inner.locked || !inner.passphrase_set {
            return None;
        }
        let idle = self.minute.saturating_mul(inner.idle_minutes);
        let (wall, mono) = inner.last_input;
        Some(rules::idle_remaining(wall, Utc::now(), mono.elapsed(), idle))
    }
}

fn test_minute() -> Option<Duration> {
    let secs = crate::probe::test_seconds(TEST_MINUTE_ENV)?;
    (1..=60).contains(&secs).then(|| Duration::from_secs(secs))
}

/// Whole seconds, rounded up: a countdown shown from it never ends before the wait does.
fn ceil_secs(wait: Duration) -> u64 {
    wait.as_millis().div_ceil(1000).try_into().unwrap_or(u64::MAX)
}

fn backoff_error(wait: Duration) -> IpcError {
    IpcError {
        code: "lock_backoff".into(),
        message: format!("Too many wrong passphrases: try again in {} s.", ceil_secs(wait)),
        fields: Vec::new(),
    }
}

fn keyring_error(e: desk_core::secrets::SecretsError) -> IpcError {
    IpcError { code: e.code().into(), message: e.to_string(), fields: Vec::new() }
}

#[derive(Serialize, Clone)]
struct LockEvent {
    locked: bool,
    reason: Reason,
    needs_passphrase: bool,
}

/// Locks the window now (idle, session locked, Ctrl+L, the tray). Without a passphrase it only
/// tells the window, which says where to set one; `false` then.
pub fn lock(app: &AppHandle, reason: Reason) -> bool {
    let Some(state) = app.try_state::<AppLock>() else {
        return false;
    };
    let locked = state.lock();
    if locked {
        tracing::info!(?reason, "lock: locked");
    }
    let event = LockEvent { locked, reason, needs_passphrase: !locked };
    if let Err(e) = app.emit(LOCK_EVENT, event) {
        tracing::warn!(error = %e, "lock: cannot tell the window");
    }
    locked
}

/// Tells the window it is open again.
pub fn announce_unlocked(app: &AppHandle) {
    let _ = app.emit(LOCK_EVENT, LockEvent { locked: false, reason: Reason::Unlocked, needs_passphrase: false });
}

/// THE choke point: wraps the command handler so that, while locked, every command but the lock's
/// own is answered `{code: "locked"}` before it runs. A command added later is refused by default.
pub fn guard(
    inner: impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static,
) -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    move |invoke: tauri::ipc::Invoke| {
        let command = invoke.message.command();
        if !OPEN_WHILE_LOCKED.contains(&command) {
            let webview = invoke.message.webview();
            if webview.try_state::<AppLock>().is_some_and(|l| l.is_locked()) {
                tracing::info!(command, "lock: command refused while locked");
                invoke.resolver.reject(IpcError {
                    code: "locked".into(),
                    message: "Incident Desk is locked: unlock it with your passphrase".into(),
                    fields: Vec::new(),
                });
                return true;
            }
        }
        inner(invoke)
    }
}

/// Starts the idle timer and the session-lock listener.
pub fn start(app: &AppHandle) {
    let timer = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let Some(state) = timer.try_state::<AppLock>() else {
                return;
            };
            let wait = match state.idle_check() {
                Some(left) if left.is_zero() => {
                    lock(&timer, Reason::Idle);
                    TICK
                }
                Some(left) => left.min(TICK),
                None => TICK,
            };
            let _ = tokio::time::timeout(wait, state.wake.notified()).await;
        }
    });
    session::listen(app.clone());
}

/// Lock when the desktop session locks. On Linux: logind's `Lock` for this session (system bus)
/// and the screensavers' `ActiveChanged(true)` (session bus). Other platforms add theirs here.
#[cfg(target_os = "linux")]
mod session {
    use super::{lock, Reason};
    use tauri::AppHandle;
    use zbus::blocking::{Connection, MessageIterator};

    const SCREENSAVERS: &[&str] = &["org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"];

    pub fn listen(app: AppHandle) {
        let screensaver = app.clone();
        let spawned = std::thread::Builder::new().name("lock-screensaver".into()).spawn(move || {
            if let Err(e) = screensaver_signals(&screensaver) {
                tracing::info!(error = %e, "lock: no screensaver signals on the session bus");
            }
        });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "lock: cannot listen to the screensaver");
        }
        let spawned = std::thread::Builder::new().name("lock-logind".into()).spawn(move || {
            if let Err(e) = logind_signals(&app) {
                tracing::info!(error = %e, "lock: no logind session lock signal on the system bus");
            }
        });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "lock: cannot listen to logind");
        }
    }

    fn screensaver_signals(app: &AppHandle) -> zbus::Result<()> {
        let conn = Connection::session()?;
        let signals = MessageIterator::for_match_rule("type='signal',member='ActiveChanged'", &conn, None)?;
        tracing::info!("lock: listening to the screensaver");
        for message in signals {
            let message = message?;
            let header = message.header();
            let ours = header.interface().is_some_and(|i| SCREENSAVERS.contains(&i.as_str()));
            if ours && message.body().deserialize::<bool>().unwrap_or(false) {
                lock(app, Reason::Session);
            }
        }
        Ok(())
    }

    fn logind_signals(app: &AppHandle) -> zbus::Result<()> {
        let conn = Connection::system()?;
        let reply = conn.call_method(
            Some("org.freedesktop.login1"),
            "/org/freedesktop/login1",
            Some("org.freedesktop.login1.Manager"),
            "GetSessionByPID",
            &(std::process::id()),
        )?;
        let session: zbus::zvariant::OwnedObjectPath = reply.body().deserialize()?;
        let rule = format!(
            "type='signal',interface='org.freedesktop.login1.Session',member='Lock',path='{}'",
            session.as_str()
        );
        let signals = MessageIterator::for_match_rule(rule.as_str(), &conn, None)?;
        tracing::info!("lock: listening to logind");
        for message in signals {
            message?;
            lock(app, Reason::Session);
        }
        Ok(())
    }
}

#[cfg(not(target_os = "linux"))]
mod session {
    pub fn listen(_app: tauri::AppHandle) {
        tracing::info!("lock: no session lock signal on this platform yet; idle and Ctrl+L still lock");
    }
}
