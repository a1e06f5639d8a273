//! `incident-desk report ...`: incident reports from the command line (list, export, import,
//! submit). Refused input exits 2 with one line naming the field.

use super::{open_store, CliError, CliResult};
use chrono::Utc;
use clap::{Subcommand, ValueEnum};
use desk_core::report::{self, ListQuery, State};
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum ReportCommand {
    /// List reports as JSON, most recently changed first (with --text: the matching ones, newest first).
    List {
        /// Only reports containing these words (each a prefix), anywhere in their text.
        #[arg(long)]
        text: Option<String>,
        /// Only reports in this state.
        #[arg(long, value_enum)]
        state: Option<StateArg>,
        /// At most this many.
        #[arg(long, default_value_t = 200)]
        limit: usize,
    },
    /// Print a report's export file (canonical JSON) on stdout.
    Export {
        /// The report id (as `report list` shows it).
        id: String,
    },
    /// Import an export file as a NEW draft and print it as JSON. Invalid input: exit 2 naming
    /// the field, nothing stored.
    Import {
        /// The export file (`-` reads stdin).
        file: PathBuf,
    },
    /// Queue a READY report for Cal-CSIRS (ready → queued); refused in any other state.
    Submit {
        /// The report id.
        id: String,
    },
    /// The report's history as JSON: every revision and lifecycle event, each with who did it
    /// (OS user and host).
    History {
        /// The report id.
        id: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StateArg {
    Draft,
    Ready,
    Queued,
    Sent,
}

impl From<StateArg> for State {
    fn from(s: StateArg) -> State {
        match s {
            StateArg::Draft => State::Draft,
            StateArg::Ready => State::Ready,
            StateArg::Queued => State::Queued,
            StateArg::Sent => State::Sent,
        }
    }
}

pub fn run(command: ReportCommand, data_dir: &Path) -> CliResult {
    let store = open_store(data_dir)?;
    let conn = store.conn();
    match command {
        ReportCommand::List { text, state, limit } => {
            let query = ListQuery { text, state: state.map(State::from), limit: Some(limit) };
            print_json(&report::list(conn, &query)?)
        }
        ReportCommand::Export { id } => {
            // Already canonical text with its trailing newline: printed byte for byte.
            print_text(&report::export(conn, &id)?)
        }
        ReportCommand::Import { file } => {
            let text = read_input(&file)?;
            let imported = report::import(conn, &text, Utc::now(), crate::actor::current()).map_err(|e| refused_naming_fields(&file, e))?;
            tracing::info!(report_id = %imported.report_id, "report imported from the command line");
            print_json(&imported)
        }
        ReportCommand::Submit { id } => {
            let queued = report::submit(conn, &id, Utc::now(), crate::actor::current()).map_err(|e| match e {
                desk_core::Error::Invalid(fields) => CliError::Refused(format!(
                    "report {id} does not pass the submission checks: {}",
                    fields.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("; ")
                )),
                other => other.into(),
            })?;
            tracing::info!(report_id = %queued.report_id, "report queued from the command line");
            print_json(&queued)
        }
        ReportCommand::History { id } => print_json(&serde_json::json!({
            "report_id": id,
            "revisions": report::revisions(conn, &id)?,
            "events": report::store::events(conn, &id)?,
        })),
    }
}

fn print_json(value: &impl serde::Serialize) -> CliResult {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| CliError::Failed(e.to_string()))?;
    text.push('\n');
    print_text(&text)
}

/// Writes to stdout; a reader that stopped early (`| head`) is not an error.
fn print_text(text: &str) -> CliResult {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Failed(format!("cannot write to stdout: {e}"))),
    }
}

fn read_input(file: &Path) -> Result<String, CliError> {
    let read = if file == Path::new("-") {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(file)
    };
    read.map_err(|e| CliError::Refused(format!("cannot read {}: {e}", file.display())))
}

/// `FILE: field: message` for each refused field (`FILE: message` for the whole file).
fn refused_naming_fields(file: &Path, e: desk_core::Error) -> CliError {
    match e {
        desk_core::Error::Invalid(fields) => {
            let named: Vec<String> = fields
                .iter()
                .map(|f| if f.field.is_empty() { f.message.clone() } else { f.to_string() })
                .collect();
            CliError::Refused(format!("{}: nothing imported: {}", file.display(), named.join("; ")))
        }
        other => other.into(),
    }
}
