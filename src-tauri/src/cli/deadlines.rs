//! `incident-desk deadlines ics`: the deadline calendar feed (every open SEN stage and escalation,
//! report deadline and CISO follow-up) on stdout, the same text the window keeps in
//! `<data dir>/feeds/deadlines.ics` (written again here, so both say the same SEQUENCEs).

use super::{open_existing_store, CliError, CliResult};
use crate::feed;
use chrono::Utc;
use clap::Subcommand;
use std::path::Path;

#[derive(Subcommand)]
pub enum DeadlinesCommand {
    /// Print the iCalendar feed of every open deadline (and refresh the feed file).
    Ics,
}

pub fn run(command: DeadlinesCommand, data_dir: &Path) -> CliResult {
    match command {
        DeadlinesCommand::Ics => {
            // A fresh install has no deadline: an empty calendar, without creating a database or a key.
            let text = match open_existing_store(data_dir)? {
                Some(store) => {
                    feed::refresh(&store, data_dir, Utc::now()).map_err(|e| CliError::Failed(e.to_string()))?
                }
                None => desk_core::feed::empty(),
            };
            print_raw(&text)
        }
    }
}

fn print_raw(text: &str) -> CliResult {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::Failed(format!("cannot write the output: {e}")))
        }
        _ => Ok(()),
    }
}
