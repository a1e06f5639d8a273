//! `incident-desk profile ...`: the entity profile.

use super::{open_existing_store, print_json, CliResult};
use clap::Subcommand;
use std::path::Path;

#[derive(Subcommand)]
pub enum ProfileCommand {
    /// Print the stored profile as JSON.
    Show,
}

pub fn run(command: ProfileCommand, data_dir: &Path) -> CliResult {
    match command {
        ProfileCommand::Show => match open_existing_store(data_dir)? {
            Some(store) => print_json(&desk_core::profile::load(store.conn())?),
            None => print_json(&desk_core::profile::Profile::default()),
        },
    }
}
