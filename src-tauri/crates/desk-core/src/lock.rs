//! The app lock's rules: the unlock passphrase (only its Argon2id hash is kept, in the OS keyring,
//! see `secrets`), when an idle window locks, and how long wrong passphrases make the next try
//! wait. Pure: every decision takes its clock readings as arguments; the shell reads the clocks.

use crate::error::{Error, FieldError, Result};
use crate::settings;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, TimeDelta, Utc};
use rand::TryRngCore;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use zeroize::Zeroizing;

/// Settings key of [`LockSettings`].
pub const SETTINGS_KEY: &str = "lock";
/// Field id of the passphrase inputs (Settings → Security, the lock screen).
pub const PASSPHRASE_FIELD: &str = "lock.passphrase";
pub const IDLE_FIELD: &str = "lock.idle_minutes";
/// Shorter passphrases are refused: typed at every unlock, so not the backups' 12.
pub const PASSPHRASE_MIN_CHARS: usize = 8;
pub const IDLE_MINUTES_DEFAULT: u32 = 15;
pub const IDLE_MINUTES_MAX: u32 = 8 * 60;
/// Wrong passphrases in a row that are answered at once; from the next one on, tries wait.
pub const FREE_TRIES: u32 = 5;
/// The wait after the FREE_TRIES-th wrong passphrase, doubled by each further one...
pub const BACKOFF_FIRST: Duration = Duration::from_secs(30);
/// ...up to this.
pub const BACKOFF_MAX: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LockSettings {
    /// Lock after this many minutes without input in the window (1 ..= 480).
    pub idle_minutes: u32,
}

impl Default for LockSettings {
    fn default() -> Self {
        LockSettings { idle_minutes: IDLE_MINUTES_DEFAULT }
    }
}

impl LockSettings {
    pub fn validate(&self) -> Result<()> {
        if !(1..=IDLE_MINUTES_MAX).contains(&self.idle_minutes) {
            return Err(Error::invalid(IDLE_FIELD, format!("between 1 and {IDLE_MINUTES_MAX} minutes")));
        }
        Ok(())
    }
}

/// Where the lock's settings are kept.
pub const SETTING: settings::Key<LockSettings> = settings::Key::new(SETTINGS_KEY);

pub fn load(conn: &rusqlite::Connection) -> Result<LockSettings> {
    settings::load(conn, &SETTING)
}

pub fn save(conn: &rusqlite::Connection, value: &LockSettings, now: DateTime<Utc>) -> Result<()> {
    settings::save(conn, &SETTING, value.clone(), now).map(drop)
}

impl settings::Setting for LockSettings {
    fn checked(self) -> Result<LockSettings> {
        self.validate().map(|()| self)
    }
}

/// A passphrase in memory: wiped when dropped, never printed.
pub type Passphrase = Zeroizing<String>;

/// Refuses a passphrase too short to stand a guess; counts characters, not bytes.
pub fn check_new_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < PASSPHRASE_MIN_CHARS {
        return Err(Error::Invalid(vec![FieldError::new(
            PASSPHRASE_FIELD,
            format!("at least {PASSPHRASE_MIN_CHARS} characters"),
        )]));
    }
    Ok(())
}

/// The Argon2id hash of a new passphrase, as a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`),
/// with a fresh random salt. Only this is stored, never the passphrase.
pub fn hash_passphrase(passphrase: &str) -> Result<String> {
    check_new_passphrase(passphrase)?;
    let mut salt = [0u8; 16];
    rand::rngs::OsRng
        .try_fill_bytes(&mut salt)
        .map_err(|e| Error::Internal(format!("no random source for the passphrase salt: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::Internal(format!("salt: {e}")))?;
    let hash = Argon2::default()
        .hash_password(passphrase.as_bytes(), &salt)
        .map_err(|e| Error::Internal(format!("cannot hash the passphrase: {e}")))?;
    Ok(hash.to_string())
}

/// Whether `passphrase` is the one `phc` was made from. A malformed stored hash is an error (the
/// keyring entry was damaged), not a wrong passphrase.
pub fn verify_passphrase(passphrase: &str, phc: &str) -> Result<bool> {
    let hash = PasswordHash::new(phc)
        .map_err(|_| Error::Internal("the unlock passphrase's hash in the keyring is unreadable".into()))?;
    match Argon2::default().verify_password(passphrase.as_bytes(), &hash) {
        Ok(()) => Ok(true),
        Err(argon2::password_hash::Error::Password) => Ok(false),
        Err(e) => Err(Error::Internal(format!("cannot check the passphrase: {e}"))),
    }
}

/// Whether a window idle since `last_input` is due to lock at `now`. Idle time is the larger of the
/// wall clock's and the monotonic clock's reading (`monotonic_idle`): the wall clock counts a
/// suspend that the monotonic one skips, the monotonic one counts on when the wall clock is set back.
pub fn idle_lock_due(last_input: DateTime<Utc>, now: DateTime<Utc>, monotonic_idle: Duration, idle: Duration) -> bool {
    idle_for(last_input, now, monotonic_idle) >= idle
}

/// How long until an idle window locks (zero when due): when the shell's timer checks next.
pub fn idle_remaining(
    last_input: DateTime<Utc>,
    now: DateTime<Utc>,
    monotonic_idle: Duration,
    idle: Duration,
) -> Duration {
    idle.saturating_sub(idle_for(last_input, now, monotonic_idle))
}

fn idle_for(last_input: DateTime<Utc>, now: DateTime<Utc>, monotonic_idle: Duration) -> Duration {
    let wall = (now - last_input).to_std().unwrap_or(Duration::ZERO);
    wall.max(monotonic_idle)
}

/// Wrong passphrases in a row, and when the last one was tried.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    pub last_at: Option<DateTime<Utc>>,
}

impl Failures {
    pub fn record(&mut self, now: DateTime<Utc>) {
        self.count = self.count.saturating_add(1);
        self.last_at = Some(now);
    }

    /// The wait the current count imposes after the last wrong try: none for the first
    /// [`FREE_TRIES`] - 1, then 30 s, 60 s, 120 s, ... up to [`BACKOFF_MAX`].
    pub fn wait(&self) -> Duration {
        if self.count < FREE_TRIES {
            return Duration::ZERO;
        }
        let doublings = (self.count - FREE_TRIES).min(16);
        BACKOFF_FIRST.saturating_mul(1 << doublings).min(BACKOFF_MAX)
    }

    /// How long a try at `now` must still wait; `None` when it may be checked now.
    pub fn retry_after(&self, now: DateTime<Utc>) -> Option<Duration> {
        let last = self.last_at?;
        let wait = TimeDelta::from_std(self.wait()).unwrap_or(TimeDelta::MAX);
        let until = last.checked_add_signed(wait)?;
        // A clock set back never makes the wait longer than the wait itself.
        let left = (until - now).to_std().ok()?.min(self.wait());
        (!left.is_zero()).then_some(left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000 + seconds, 0).expect("time")
    }

    #[test]
    fn idle_locks_at_the_timeout_on_either_clock() {
        let idle = Duration::from_secs(15 * 60);
        assert!(!idle_lock_due(t(0), t(14 * 60 + 59), Duration::from_secs(14 * 60 + 59), idle));
        assert!(idle_lock_due(t(0), t(15 * 60), Duration::from_secs(15 * 60), idle));
        // Suspended for an hour: the monotonic clock stood still, the wall clock did not.
        assert!(idle_lock_due(t(0), t(3600), Duration::from_secs(60), idle));
        // The wall clock set back an hour: the monotonic clock still counts.
        assert!(idle_lock_due(t(0), t(-3600), Duration::from_secs(15 * 60), idle));
        assert_eq!(idle_remaining(t(0), t(60), Duration::from_secs(60), idle), Duration::from_secs(14 * 60));
        assert_eq!(idle_remaining(t(0), t(-60), Duration::ZERO, idle), idle);
        assert_eq!(idle_remaining(t(0), t(7200), Duration::ZERO, idle), Duration::ZERO);
    }

    #[test]
    fn five_wrong_tries_then_waits_doubling_up_to_the_cap() {
        let mut failures = Failures::default();
        assert_eq!(failures.retry_after(t(0)), None);
        for n in 1..FREE_TRIES {
            failures.record(t(n as i64));
            assert_eq!(failures.retry_after(t(n as i64)), None, "try {n} is answered at once");
        }
        failures.record(t(10));
        assert_eq!(failures.count, 5);
        assert_eq!(failures.retry_after(t(10)), Some(Duration::from_secs(30)));
        assert_eq!(failures.retry_after(t(25)), Some(Duration::from_secs(15)));
        assert_eq!(failures.retry_after(t(40)), None);
        failures.record(t(40));
        assert_eq!(failures.retry_after(t(40)), Some(Duration::from_secs(60)));
        failures.record(t(100));
        assert_eq!(failures.wait(), Duration::from_secs(120));
        for _ in 0..40 {
            failures.record(t(100));
        }
        assert_eq!(failures.wait(), BACKOFF_MAX);
        // A clock set back an hour does not stretch the wait.
        assert_eq!(failures.retry_after(t(100 - 3600)), Some(BACKOFF_MAX));
        assert_eq!(failures.retry_after(t(100) + TimeDelta::from_std(BACKOFF_MAX).expect("delta")), None);
    }

    #[test]
    fn the_hash_is_argon2id_and_verifies_only_the_passphrase() {
        let phc = hash_passphrase("correct horse").expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$"), "{phc}");
        assert!(!phc.contains("correct"));
        assert!(verify_passphrase("correct horse", &phc).expect("verify"));
        assert!(!verify_passphrase("correct horsE", &phc).expect("verify"));
        assert!(!verify_passphrase("", &phc).expect("verify"));
        assert_ne!(hash_passphrase("correct horse").expect("hash"), phc, "a fresh salt each time");
        assert!(verify_passphrase("x", "not a hash").is_err());
    }

    #[test]
    fn short_passphrases_and_bad_timeouts_are_refused_on_their_fields() {
        let err = hash_passphrase("1234567").expect_err("short");
        assert_eq!(err.fields()[0].field, PASSPHRASE_FIELD);
        assert!(check_new_passphrase("ééééééééé").is_ok(), "characters, not bytes");
        for bad in [0, IDLE_MINUTES_MAX + 1] {
            let err = LockSettings { idle_minutes: bad }.validate().expect_err("range");
            assert_eq!(err.fields()[0].field, IDLE_FIELD);
        }
        assert!(LockSettings::default().validate().is_ok());
        assert_eq!(LockSettings::default().idle_minutes, 15);
    }
}
