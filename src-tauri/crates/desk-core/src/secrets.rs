//! The secrets, kept ONLY in the OS keyring (Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows) through `keyring` v4. Never in SQLite, config files or logs:
//! [`PortalToken`] and `DbKey` have no `Serialize` and their `Debug`/`Display` print a placeholder.
//!
//! - The portal token: service `<APP_IDENTIFIER>.portal-token`, user = the portal base URL (as
//!   stored in settings), so a token for a practice portal never goes to the real one.
//! - The database key: service `<APP_IDENTIFIER>.database-key`, user = the data directory's
//!   absolute path ([`OsKeyring`], the app's `KeyVault`).
//! - The unlock passphrase's Argon2id hash (PHC string, never the passphrase): service
//!   `<APP_IDENTIFIER>.unlock-passphrase`, user = the data directory's absolute path.
//!
//! Secrets held in memory are wiped when dropped (`zeroize`): the token here, the database key in
//! `store::cipher`, passphrases as `lock::Passphrase`.
//! The calls block on D-Bus: from async code, run them on a blocking thread.

use crate::error::{Error, FieldError};
use crate::store::cipher::DbKey;
use crate::store::protect::KeyVault;
use std::fmt;
use zeroize::{Zeroize, Zeroizing};

/// A bearer token for the portal; wiped from memory when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct PortalToken(String);

impl Drop for PortalToken {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl PortalToken {
    /// Trims surrounding blanks; refuses an empty token or one with spaces or control characters
    /// (it could not travel in an `Authorization` header).
    pub fn new(token: &str) -> Result<PortalToken, SecretsError> {
        let token = token.trim();
        if token.is_empty() {
            return Err(SecretsError::Invalid("enter the token the portal administrator gave you".into()));
        }
        if token.chars().any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii()) {
            return Err(SecretsError::Invalid(
                "a token is one word of printable ASCII characters (no spaces); paste it again".into(),
            ));
        }
        Ok(PortalToken(token.to_string()))
    }

    /// The secret itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PortalToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PortalToken(<redacted>)")
    }
}

impl fmt::Display for PortalToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Field id of the token input on the settings form.
pub const TOKEN_FIELD: &str = "portal.token";

#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    #[error("{0}")]
    Invalid(String),

    /// No keyring service, or it is locked / has no default collection.
    #[error(
        "no keyring is available ({0}). Incident Desk keeps its secrets (the database key, the portal \
         token) only in the desktop keyring: unlock or start your keyring (GNOME Keyring, KWallet or another \
         Secret Service provider; on macOS the Keychain, on Windows the Credential Manager), then try again"
    )]
    KeyringUnavailable(String),

    #[error("the keyring refused: {0}")]
    Keyring(String),
}

impl SecretsError {
    /// Stable code for the edges (IPC, CLI).
    pub fn code(&self) -> &'static str {
        match self {
            SecretsError::Invalid(_) => "invalid",
            SecretsError::KeyringUnavailable(_) => "keyring_unavailable",
            SecretsError::Keyring(_) => "keyring",
        }
    }
}

impl From<SecretsError> for Error {
    fn from(e: SecretsError) -> Self {
        match e {
            SecretsError::Invalid(message) => Error::Invalid(vec![FieldError::new(TOKEN_FIELD, message)]),
            other => Error::Internal(other.to_string()),
        }
    }
}

impl From<keyring::Error> for SecretsError {
    fn from(e: keyring::Error) -> Self {
        match e {
            keyring::Error::NoStorageAccess(cause) => SecretsError::KeyringUnavailable(cause.to_string()),
            keyring::Error::NoDefaultStore => {
                SecretsError::KeyringUnavailable("no Secret Service answered on the session bus".into())
            }
            // Never echo what the keyring held: it may be the secret.
            keyring::Error::BadEncoding(_) | keyring::Error::BadDataFormat(..) => {
                SecretsError::Keyring("the stored secret is unreadable".into())
            }
            other => SecretsError::Keyring(other.to_string()),
        }
    }
}

/// The keyring service name of the portal token.
pub fn keyring_service() -> String {
    format!("{}.portal-token", crate::APP_IDENTIFIER)
}

fn entry(portal_url: &str) -> Result<keyring::Entry, SecretsError> {
    if let Err(e) = keyring::Entry::store_status() {
        return Err(SecretsError::KeyringUnavailable(e.to_string()));
    }
    Ok(keyring::Entry::new(&keyring_service(), portal_url.trim())?)
}

/// Stores (or replaces) the token for this portal.
pub fn set_token(portal_url: &str, token: &PortalToken) -> Result<(), SecretsError> {
    entry(portal_url)?.set_password(token.expose())?;
    Ok(())
}

/// The token for this portal, `None` when none was stored.
pub fn get_token(portal_url: &str) -> Result<Option<PortalToken>, SecretsError> {
    match entry(portal_url)?.get_password().map(Zeroizing::new) {
        Ok(secret) => Ok(Some(PortalToken::new(&secret)?)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Forgets the token for this portal; `false` when there was none.
pub fn delete_token(portal_url: &str) -> Result<bool, SecretsError> {
    match entry(portal_url)?.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The keyring service name of the database keys.
pub fn database_key_service() -> String {
    format!("{}.database-key", crate::APP_IDENTIFIER)
}

/// The OS keyring as the store of database keys.
pub struct OsKeyring;

impl OsKeyring {
    fn entry(account: &str) -> Result<keyring::Entry, SecretsError> {
        if let Err(e) = keyring::Entry::store_status() {
            return Err(SecretsError::KeyringUnavailable(e.to_string()));
        }
        Ok(keyring::Entry::new(&database_key_service(), account)?)
    }
}

impl KeyVault for OsKeyring {
    fn get(&self, account: &str) -> crate::Result<Option<DbKey>> {
        match OsKeyring::entry(account).map_err(keyring_error)?.get_password().map(Zeroizing::new) {
            Ok(hex) => DbKey::from_hex(&hex)
                .map(Some)
                .ok_or_else(|| Error::Internal("the database key in the keyring is malformed".into())),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e.into())),
        }
    }

    fn put(&self, account: &str, key: &DbKey) -> crate::Result<()> {
        let hex = key.to_hex();
        OsKeyring::entry(account).map_err(keyring_error)?.set_password(&hex).map_err(|e| keyring_error(e.into()))
    }

    fn service(&self) -> String {
        database_key_service()
    }
}

/// The keyring service name of the unlock passphrase's hash.
pub fn unlock_hash_service() -> String {
    format!("{}.unlock-passphrase", crate::APP_IDENTIFIER)
}

/// The unlock passphrase's hash, per data directory (`account` = its absolute path, as for the
/// database key). Only the Argon2id PHC string is stored (`lock::hash_passphrase`).
pub struct UnlockHash;

impl UnlockHash {
    fn entry(account: &str) -> Result<keyring::Entry, SecretsError> {
        if let Err(e) = keyring::Entry::store_status() {
            return Err(SecretsError::KeyringUnavailable(e.to_string()));
        }
        Ok(keyring::Entry::new(&unlock_hash_service(), account)?)
    }

    /// Stores (or replaces) the hash; refuses anything that is not an Argon2id PHC string, so a
    /// passphrase can never land here by mistake.
    pub fn set(account: &str, phc: &str) -> Result<(), SecretsError> {
        if !phc.starts_with("$argon2id$") {
            return Err(SecretsError::Invalid("only an Argon2id hash is stored, never a passphrase".into()));
        }
        UnlockHash::entry(account)?.set_password(phc)?;
        Ok(())
    }

    /// The stored hash, `None` when no passphrase is set.
    pub fn get(account: &str) -> Result<Option<String>, SecretsError> {
        match UnlockHash::entry(account)?.get_password() {
            Ok(phc) => Ok(Some(phc)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Removes the hash (no passphrase any more); `false` when there was none.
    pub fn delete(account: &str) -> Result<bool, SecretsError> {
        match UnlockHash::entry(account)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}

/// A keyring failure while opening the database: the message says what to do.
fn keyring_error(e: SecretsError) -> Error {
    Error::Keyring(format!("cannot open the database: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_never_prints() {
        let token = PortalToken::new("  s3cr3t-T0ken ").expect("valid");
        assert_eq!(token.expose(), "s3cr3t-T0ken");
        assert!(!format!("{token:?} {token}").contains("s3cr3t"));
    }

    #[test]
    fn blank_or_spaced_tokens_are_refused_on_the_token_field() {
        for bad in ["", "   ", "two words", "tab\there", "é"] {
            let err: Error = PortalToken::new(bad).expect_err(bad).into();
            assert_eq!(err.fields()[0].field, TOKEN_FIELD, "{bad:?}");
        }
    }

    #[test]
    fn service_name_comes_from_the_app_identifier() {
        assert_eq!(keyring_service(), "gov.ca.incidentdesk.portal-token");
    }

    /// One portal URL per test run, so that runs never see each other's entries.
    fn unique_portal() -> String {
        format!("https://portal-{}.example.test", uuid::Uuid::new_v4())
    }

    #[test]
    #[ignore = "needs the private Secret Service session: make test runs it"]
    fn keyring_set_get_replace_delete() {
        let portal = unique_portal();
        assert_eq!(get_token(&portal).expect("keyring reachable"), None);
        set_token(&portal, &PortalToken::new("first-token").expect("valid")).expect("set");
        assert_eq!(get_token(&portal).expect("get").map(|t| t.expose().to_string()).as_deref(), Some("first-token"));
        set_token(&portal, &PortalToken::new("second-token").expect("valid")).expect("replace");
        assert_eq!(get_token(&portal).expect("get").map(|t| t.expose().to_string()).as_deref(), Some("second-token"));
        assert!(delete_token(&portal).expect("delete"));
        assert!(!delete_token(&portal).expect("delete again"));
        assert_eq!(get_token(&portal).expect("get"), None);
    }

    #[test]
    #[ignore = "needs the private Secret Service session: make test runs it"]
    fn database_keys_live_in_the_keyring_per_data_directory() {
        let account = format!("/tmp/incident-desk-test-{}", uuid::Uuid::new_v4());
        assert_eq!(OsKeyring.get(&account).expect("keyring reachable"), None);
        let key = DbKey::generate().expect("key");
        OsKeyring.put(&account, &key).expect("put");
        assert_eq!(OsKeyring.get(&account).expect("get"), Some(key));
        assert_eq!(OsKeyring.get(&format!("{account}-other")).expect("get"), None);
        let _ = OsKeyring::entry(&account).expect("entry").delete_credential();
    }

    #[test]
    #[ignore = "needs the private Secret Service session: make test runs it"]
    fn the_unlock_hash_lives_in_the_keyring_and_verifies_only_the_passphrase() {
        let account = format!("/tmp/incident-desk-test-{}", uuid::Uuid::new_v4());
        assert_eq!(UnlockHash::get(&account).expect("keyring reachable"), None);
        assert!(UnlockHash::set(&account, "a passphrase").is_err(), "never a passphrase");
        let phc = crate::lock::hash_passphrase("lunch-break-42").expect("hash");
        UnlockHash::set(&account, &phc).expect("set");
        let stored = UnlockHash::get(&account).expect("get").expect("stored");
        assert_eq!(stored, phc);
        assert!(crate::lock::verify_passphrase("lunch-break-42", &stored).expect("verify"));
        assert!(!crate::lock::verify_passphrase("lunch-break-43", &stored).expect("verify"));
        assert_eq!(UnlockHash::get(&format!("{account}-other")).expect("get"), None, "per data directory");
        // Changing the passphrase replaces the hash.
        let changed = crate::lock::hash_passphrase("after-lunch-99").expect("hash");
        UnlockHash::set(&account, &changed).expect("replace");
        let stored = UnlockHash::get(&account).expect("get").expect("stored");
        assert!(!crate::lock::verify_passphrase("lunch-break-42", &stored).expect("verify"));
        assert!(UnlockHash::delete(&account).expect("delete"));
        assert!(!UnlockHash::delete(&account).expect("delete again"));
        assert_eq!(UnlockHash::get(&account).expect("get"), None);
    }

    #[test]
    #[ignore = "needs the private Secret Service session: make test runs it"]
    fn keyring_tokens_are_per_portal() {
        let (practice, real) = (unique_portal(), unique_portal());
        set_token(&practice, &PortalToken::new("practice-token").expect("valid")).expect("set");
        assert_eq!(get_token(&real).expect("get"), None, "a practice token never goes to another portal");
        assert!(delete_token(&practice).expect("delete"));
    }
}
