//! `incident-desk backup ...`: a passphrase-encrypted copy of everything (the passphrase is typed
//! with echo off, or read from the first line of a piped stdin; never from the command line, where
//! `ps` would show it).

use super::{open_store, print_json, read_passphrase, CliError, CliResult};
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Write an encrypted backup of the whole database to FILE (passphrase on stdin).
    Create {
        /// Where to write the backup; must not exist.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Restore a backup into this data directory (passphrase on stdin). Refused when the data
    /// directory already holds a database, unless --replace (which keeps it aside in replaced/).
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[arg(long)]
        replace: bool,
    },
}

pub fn run(command: BackupCommand, data_dir: &Path) -> CliResult {
    match command {
        BackupCommand::Create { out } => {
            let passphrase = read_passphrase("backup passphrase")?;
            let store = open_store(data_dir)?;
            print_json(&desk_core::store::backup::create_backup(&store, &out, &passphrase)?)
        }
        BackupCommand::Restore { file, replace } => {
            if !file.is_file() {
                return Err(CliError::Refused(format!("no backup file at {}", file.display())));
            }
            let passphrase = read_passphrase("backup passphrase")?;
            let restored = desk_core::store::backup::restore_backup(
                data_dir,
                &file,
                &passphrase,
                &desk_core::secrets::OsKeyring,
                replace,
                chrono::Utc::now(),
            )?;
            print_json(&restored)
        }
    }
}
