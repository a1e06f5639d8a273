//! `incident-desk lock ...`: the window's unlock passphrase. `reset` is the recovery for a
//! forgotten one: run as the same OS user, it removes the passphrase's hash from the keyring (the
//! keyring, which this OS account unlocks, also holds the database key: nothing is lost).

use super::{print_json, read_passphrase, CliError, CliResult};
use clap::Subcommand;
use desk_core::secrets::{SecretsError, UnlockHash};
use serde::Serialize;
use std::path::Path;

#[derive(Subcommand)]
pub enum LockCommand {
    /// Whether an unlock passphrase is set (never the passphrase or its hash), JSON.
    Status,
    /// Set or replace the unlock passphrase: typed with echo off, or the first line of a pipe.
    Set,
    /// Forgot the passphrase? Remove it (the window then opens without one; set a new one in
    /// Settings → Security). Nothing else is touched.
    Reset,
}

#[derive(Serialize)]
struct Status {
    passphrase_set: bool,
}

fn keyring_error(e: SecretsError) -> CliError {
    match e {
        SecretsError::Invalid(message) => CliError::Refused(format!("passphrase: {message}")),
        other => CliError::Failed(other.to_string()),
    }
}

pub fn run(command: LockCommand, data_dir: &Path) -> CliResult {
    let account = desk_core::store::protect::key_account(data_dir);
    match command {
        LockCommand::Status => {
            print_json(&Status { passphrase_set: UnlockHash::get(&account).map_err(keyring_error)?.is_some() })
        }
        LockCommand::Set => {
            let passphrase = read_passphrase("new unlock passphrase")?;
            let phc = desk_core::lock::hash_passphrase(&passphrase)?;
            UnlockHash::set(&account, &phc).map_err(keyring_error)?;
            tracing::info!("lock: unlock passphrase set from the command line");
            print_json(&Status { passphrase_set: true })
        }
        LockCommand::Reset => {
            let removed = UnlockHash::delete(&account).map_err(keyring_error)?;
            tracing::warn!(removed, "lock: unlock passphrase reset from the command line");
            eprintln!(
                "incident-desk: {}",
                if removed {
                    "the unlock passphrase was removed; a running window opens with any entry, set a new one in Settings → Security"
                } else {
                    "no unlock passphrase was set"
                }
            );
            print_json(&Status { passphrase_set: false })
        }
    }
}
