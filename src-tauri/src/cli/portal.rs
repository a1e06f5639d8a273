//! `incident-desk portal ...`: where the portal is and the token to use. The token goes from
//! standard input straight into the OS keyring: it is never echoed, logged or written to a file.

use super::{open_store, print_json, CliError, CliResult};
use crate::portal_access;
use clap::Subcommand;
use desk_core::secrets::{self, PortalToken, SecretsError};
use serde::Serialize;
use std::io::{IsTerminal, Read};
use std::path::Path;

#[derive(Subcommand)]
pub enum PortalCommand {
    /// Set the portal address (base URL), e.g. https://portal.example.gov.
    Configure {
        #[arg(long, value_name = "URL")]
        url: String,
    },
    /// Store the portal token in the OS keyring, read from standard input (pipe it in).
    Token {
        /// Read the token from standard input (the only way: a token is never a command-line argument).
        #[arg(long, required_unless_present = "forget")]
        stdin: bool,
        /// Remove the stored token from the keyring instead.
        #[arg(long, conflicts_with = "stdin")]
        forget: bool,
    },
    /// The portal address and whether a token is stored (never the token), JSON.
    Show,
    /// Check the connection: the health check, then the token with one authorized call.
    Test,
}

#[derive(Serialize)]
struct Settings {
    url: Option<String>,
    token_stored: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    keyring_error: Option<String>,
}

fn keyring_error(e: SecretsError) -> CliError {
    match e {
        SecretsError::Invalid(message) => CliError::Refused(format!("token: {message}")),
        other => CliError::Failed(other.to_string()),
    }
}

fn configured_url(data_dir: &Path) -> Result<String, CliError> {
    let store = open_store(data_dir)?;
    portal_access::base_url(&store)?.ok_or_else(|| {
        CliError::Refused("no portal address yet: run `incident-desk portal configure --url <URL>` first".into())
    })
}

fn settings(data_dir: &Path) -> Result<Settings, CliError> {
    let store = open_store(data_dir)?;
    let url = portal_access::base_url(&store)?;
    let (token_stored, keyring_error) = match url.as_deref().map(portal_access::token) {
        None => (false, None),
        Some(Ok(token)) => (token.is_some(), None),
        Some(Err(e)) => (false, Some(e.to_string())),
    };
    Ok(Settings { url, token_stored, keyring_error })
}

/// Reads the whole of standard input as the token. A terminal would echo what is typed, so it
/// is refused: pipe the token in, or enter it in the window's Settings.
fn read_token() -> Result<PortalToken, CliError> {
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Err(CliError::Refused(
            "the token is read from a pipe, never typed here (a terminal would echo it): e.g. `secret-tool lookup … | incident-desk portal token --stdin`, or enter it in Settings → Portal".into(),
        ));
    }
    let mut text = zeroize::Zeroizing::new(String::new());
    stdin.read_to_string(&mut text).map_err(|e| CliError::Failed(format!("cannot read standard input: {e}")))?;
    PortalToken::new(&text).map_err(keyring_error)
}

pub fn run(command: PortalCommand, data_dir: &Path) -> CliResult {
    match command {
        PortalCommand::Configure { url } => {
            let store = open_store(data_dir)?;
            let url = desk_core::portal::set_base_url(store.conn(), &url, chrono::Utc::now())?;
            tracing::info!(%url, "portal address set");
            drop(store);
            print_json(&settings(data_dir)?)
        }
        PortalCommand::Token { forget: true, .. } => {
            let url = configured_url(data_dir)?;
            let removed = secrets::delete_token(&url).map_err(keyring_error)?;
            tracing::info!(removed, "portal token removed from the keyring");
            print_json(&settings(data_dir)?)
        }
        PortalCommand::Token { .. } => {
            let url = configured_url(data_dir)?;
            let token = read_token()?;
            secrets::set_token(&url, &token).map_err(keyring_error)?;
            // A queue paused for a refused token may go again.
            let store = open_store(data_dir)?;
            desk_core::outbox::resume(store.conn(), chrono::Utc::now())?;
            tracing::info!("portal token stored in the keyring");
            drop(store);
            print_json(&settings(data_dir)?)
        }
        PortalCommand::Show => print_json(&settings(data_dir)?),
        PortalCommand::Test => {
            let url = configured_url(data_dir)?;
            let token = portal_access::token(&url).map_err(keyring_error)?;
            let has_token = token.is_some();
            let client = portal_access::client(&url, token)?;
            let runtime = super::runtime()?;
            let result = runtime.block_on(portal_access::test_connection(&client, has_token));
            print_json(&result)
        }
    }
}
