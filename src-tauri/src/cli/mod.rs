//! The command line, in the same binary as the window. Without a subcommand it opens the window;
//! subcommands print JSON on stdout and need no display. Exit codes: 0 done, 2 input refused
//! (one line on stderr says why), 1 anything else.

mod profile;
mod report;

use crate::{logging, paths};
use clap::{Args, Parser, Subcommand};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "incident-desk", version, about = "Cal-CSIRS incident reports and SIMM 5335-A SEN response clock for California state ISOs.\n\nWithout a command, opens the window.")]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args, Clone)]
pub struct GlobalArgs {
    /// Keep all data (database, logs) in DIR instead of the per-user data directory.
    #[arg(long, global = true, value_name = "DIR", env = "INCIDENT_DESK_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Open the window, print `first_paint_ms=<N>` once the first screen has painted, and exit.
    #[arg(long)]
    pub startup_probe: bool,
}

#[derive(Subcommand)]
pub enum Command {
    /// The entity profile that new reports are pre-filled from.
    #[command(subcommand)]
    Profile(profile::ProfileCommand),
    /// Incident reports: list, export, import, submit.
    #[command(subcommand)]
    Report(report::ReportCommand),
}

/// What a subcommand failed with: `Refused` is bad input (exit 2), `Failed` anything else (exit 1).
pub enum CliError {
    Refused(String),
    Failed(String),
}

impl From<desk_core::Error> for CliError {
    fn from(e: desk_core::Error) -> Self {
        match e {
            desk_core::Error::Invalid(_) | desk_core::Error::Unreadable(_) | desk_core::Error::NotFound(_) | desk_core::Error::Conflict(_) => {
                CliError::Refused(e.to_string())
            }
            other => CliError::Failed(other.to_string()),
        }
    }
}

pub(crate) type CliResult = Result<(), CliError>;

pub fn run(command: Command, global: &GlobalArgs) -> ExitCode {
    let data_dir = paths::data_dir(global.data_dir.as_deref());
    let _log_guard = logging::init(&paths::log_dir(&data_dir));
    let outcome = match command {
        Command::Profile(command) => profile::run(command, &data_dir),
        Command::Report(command) => report::run(command, &data_dir),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Refused(reason)) => {
            eprintln!("incident-desk: {}", one_line(&reason));
            ExitCode::from(2)
        }
        Err(CliError::Failed(reason)) => {
            eprintln!("incident-desk: {}", one_line(&reason));
            ExitCode::FAILURE
        }
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(crate) fn print_json(value: &impl Serialize) -> CliResult {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Failed(e.to_string()))?;
    println!("{text}");
    Ok(())
}

pub(crate) fn open_store(data_dir: &std::path::Path) -> Result<desk_core::Store, CliError> {
    desk_core::Store::open_in_dir(data_dir).map_err(|e| CliError::Failed(e.to_string()))
}
