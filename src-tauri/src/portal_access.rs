//! How the edges (CLI, window commands, the background sync) reach the portal: the base URL from
//! settings, the token from the OS keyring (never anywhere else), a client from both. The keyring
//! blocks on D-Bus: async callers run [`token`] on a blocking thread.

use desk_core::portal::{self, PortalClient};
use desk_core::secrets::{self, PortalToken, SecretsError};
use desk_core::Store;

/// The configured base URL, if any.
pub fn base_url(store: &Store) -> desk_core::Result<Option<String>> {
    portal::base_url(store.conn())
}

/// The token stored for this portal. Blocking (D-Bus).
pub fn token(url: &str) -> Result<Option<PortalToken>, SecretsError> {
    secrets::get_token(url)
}

/// The token, from async code.
pub async fn token_async(url: String) -> Result<Option<PortalToken>, SecretsError> {
    match tokio::task::spawn_blocking(move || token(&url)).await {
        Ok(result) => result,
        Err(e) => Err(SecretsError::Keyring(format!("the keyring call did not finish: {e}"))),
    }
}

/// Runs a blocking keyring call off the async threads.
pub async fn keyring<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, SecretsError> + Send + 'static,
) -> Result<T, SecretsError> {
    match tokio::task::spawn_blocking(call).await {
        Ok(result) => result,
        Err(e) => Err(SecretsError::Keyring(format!("the keyring call did not finish: {e}"))),
    }
}

pub fn client(url: &str, token: Option<PortalToken>) -> desk_core::Result<PortalClient> {
    PortalClient::new(url, token)
}

/// What the "test connection" action found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ConnectionTest {
    /// The health check answered `ok`.
    pub reachable: bool,
    /// `accepted`, `refused`, `missing` (no token stored) or `untested` (portal unreachable).
    pub token: &'static str,
    /// One line for the person.
    pub message: String,
}

/// Health first (no token), then one authorized call (the SEN feed since now: cheap) to check
/// the token.
pub async fn test_connection(client: &PortalClient, has_token: bool) -> ConnectionTest {
    if let Err(outcome) = client.health().await {
        return ConnectionTest {
            reachable: false,
            token: "untested",
            message: format!("The portal did not answer the health check: {}", outcome.describe()),
        };
    }
    if !has_token {
        return ConnectionTest {
            reachable: true,
            token: "missing",
            message: "The portal answers. No token is stored: enter the token to send.".into(),
        };
    }
    match client.pull_sens(Some(chrono::Utc::now())).await {
        Ok(_) => ConnectionTest {
            reachable: true,
            token: "accepted",
            message: "The portal answers and accepts the token.".into(),
        },
        Err(outcome @ portal::Outcome::Unauthorized { .. }) => ConnectionTest {
            reachable: true,
            token: "refused",
            message: format!("The portal answers but refuses the token: {}", outcome.describe()),
        },
        Err(outcome) => ConnectionTest {
            reachable: true,
            token: "untested",
            message: format!("The portal answers its health check, but the token check failed: {}", outcome.describe()),
        },
    }
}
