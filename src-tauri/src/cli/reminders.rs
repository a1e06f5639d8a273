//! `incident-desk reminders ...`: the reminder plan, as the scheduler sees it.

use super::{open_store, print_json, CliError, CliResult};
use chrono::{DateTime, Utc};
use clap::Subcommand;
use std::path::Path;

#[derive(Subcommand)]
pub enum RemindersCommand {
    /// The reminders still due, in time order (past ones fire at the app's next pass), with the next
    /// deadline and the overdue count, as JSON.
    Plan {
        /// Plan as of this time (RFC 3339) instead of now.
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
    },
}

pub fn run(command: RemindersCommand, data_dir: &Path) -> CliResult {
    match command {
        RemindersCommand::Plan { at } => {
            let now = match at.as_deref() {
                None => Utc::now(),
                Some(text) => {
                    DateTime::parse_from_rfc3339(text.trim()).map(|t| t.with_timezone(&Utc)).map_err(|e| {
                        CliError::Refused(format!("--at: \u{201c}{text}\u{201d} is not an RFC 3339 time ({e})"))
                    })?
                }
            };
            let store = open_store(data_dir)?;
            print_json(&desk_core::reminders::pass::view(store.conn(), now)?)
        }
    }
}
