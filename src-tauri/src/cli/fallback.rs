//! `incident-desk fallback`: whom to contact when Cal-CSIRS cannot be reached, at a moment, on the
//! state office calendar (read-only; the defaults on a fresh install, no database or key needed).

use super::{open_existing_store, print_json, CliError, CliResult};
use chrono::{DateTime, Utc};
use clap::Args;
use desk_core::{calendar, fallback};
use std::path::Path;

#[derive(Args)]
pub struct FallbackArgs {
    /// The moment to answer for (RFC 3339); now when absent.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// Immediate law enforcement assistance is needed.
    #[arg(long)]
    law_enforcement_needed: bool,
}

pub fn run(args: FallbackArgs, data_dir: &Path) -> CliResult {
    let now = match args.at.as_deref() {
        Some(text) => DateTime::parse_from_rfc3339(text.trim()).map(|t| t.with_timezone(&Utc)).map_err(|_| {
            CliError::Refused(format!(
                "--at: \u{201c}{text}\u{201d} is not an RFC 3339 time (e.g. 2026-03-09T16:05:00-08:00)"
            ))
        })?,
        None => Utc::now(),
    };
    let stored = match open_existing_store(data_dir)? {
        Some(store) => calendar::load_state_office(store.conn())?,
        None => calendar::BusinessCalendar::default(),
    };
    let office = stored
        .compile()
        .map_err(|e| CliError::Failed(format!("the stored state office calendar cannot be used: {e}")))?;
    print_json(&fallback::contact_answer(&office, now, args.law_enforcement_needed))
}
