//! `incident-desk calendar ...`: the business calendar (hours, zone, holidays, closures) and the
//! import of an entity's closure days from an iCalendar file, as Settings → Calendar does.

use super::{open_existing_store, open_store, print_json, CliError, CliResult};
use chrono::{Datelike, Utc};
use clap::Subcommand;
use desk_core::calendar::{self, BusinessCalendar};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Print the stored business calendar (the default one when none was saved) and this year's
    /// closed days, as JSON.
    Show,
    /// Merge the all-day events of an iCalendar file into the closure days and save the calendar.
    /// Refused (exit 2, the line named, nothing saved): a file that is not iCalendar, an event
    /// with a time of day.
    ImportIcs {
        #[arg(value_name = "FILE.ics")]
        file: PathBuf,
        /// Read and print what would be added; save nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Add a holiday the state added (by statute or proclamation) after this release: a date and its
    /// name. It closes the business calendar (with the state holidays on) and the state office
    /// calendar the fallback uses. An edit, not a release; a date already added is renamed.
    AddStateHoliday {
        /// The date offices are closed, YYYY-MM-DD.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: chrono::NaiveDate,
        /// Its name, as the statute or proclamation names it.
        #[arg(long)]
        name: String,
    },
}

#[derive(Serialize)]
struct Shown {
    calendar: BusinessCalendar,
    closed_days: Vec<calendar::ClosedDay>,
    /// Where the state holiday list comes from, and how one the state adds is added.
    holidays_source: &'static str,
}

#[derive(Serialize)]
struct Imported {
    dry_run: bool,
    added: usize,
    read: usize,
    closures: Vec<calendar::Closure>,
    calendar: BusinessCalendar,
}

pub fn run(command: CalendarCommand, data_dir: &Path) -> CliResult {
    match command {
        CalendarCommand::Show => {
            let stored = match open_existing_store(data_dir)? {
                Some(store) => calendar::load(store.conn())?,
                None => BusinessCalendar::default(),
            };
            let zone = stored
                .compile()
                .map_err(|e| CliError::Failed(format!("the stored business calendar cannot be used: {e}")))?
                .time_zone();
            let closed_days = stored.closed_days(Utc::now().with_timezone(&zone).year());
            print_json(&Shown { calendar: stored, closed_days, holidays_source: calendar::HOLIDAYS_SOURCE })
        }
        CalendarCommand::AddStateHoliday { date, name } => {
            let store = open_store(data_dir)?;
            let saved = calendar::add_state_holiday(store.conn(), date, &name, Utc::now())?;
            tracing::info!(%date, "state holiday added (CLI)");
            let closed_days = saved.closed_days(date.year());
            print_json(&Shown { calendar: saved, closed_days, holidays_source: calendar::HOLIDAYS_SOURCE })
        }
        CalendarCommand::ImportIcs { file, dry_run } => {
            let text =
                desk_core::limits::read_capped_text(&file, desk_core::limits::ICS_MAX, desk_core::limits::ICS_WHAT)?;
            let named = |e: desk_core::Error| match e {
                desk_core::Error::Unreadable(reason) => CliError::Refused(format!("{}: {reason}", file.display())),
                other => other.into(),
            };
            // A dry run reads the stored calendar if there is one, and needs no keyring on a fresh install.
            let store = if dry_run { open_existing_store(data_dir)? } else { Some(open_store(data_dir)?) };
            let stored = match &store {
                Some(store) => calendar::load(store.conn())?,
                None => BusinessCalendar::default(),
            };
            let merge = calendar::merge_ics(stored, &text).map_err(named)?;
            let saved = match (&store, dry_run) {
                (Some(store), false) => {
                    let saved = calendar::save(store.conn(), merge.merged, Utc::now())?;
                    tracing::info!(
                        added = merge.added,
                        read = merge.read,
                        "closure days imported from iCalendar (CLI)"
                    );
                    saved
                }
                _ => merge.merged,
            };
            print_json(&Imported {
                dry_run,
                added: merge.added,
                read: merge.read,
                closures: merge.closures,
                calendar: saved,
            })
        }
    }
}
