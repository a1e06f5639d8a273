//! `incident-desk report ...`: incident reports from the command line, every action of the
//! report window (new, set a field, ready, submit, supplement) plus list, export and import.
//! Each calls the desk-core function the window's command calls. Refused input exits 2 with one
//! line naming the field.

use super::{open_store, CliError, CliResult};
use chrono::Utc;
use clap::{Subcommand, ValueEnum};
use desk_core::report::{self, ListQuery, ReportId, State};
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
    /// A new draft, pre-filled with who reports from the entity profile; prints it as JSON.
    New,
    /// Set one field of a draft (autosaved in one transaction). FIELD is the form's dotted id
    /// (`iso.email`, `incident.discovered_at`, `computers.0.ip`: a row one past the last is added);
    /// VALUE is read per the field's type (true/false, an option's value, `a; b` for phones, RFC 3339
    /// for times). A malformed value is refused naming the field, and nothing is written.
    Set {
        id: String,
        #[arg(value_name = "FIELD")]
        field: String,
        #[arg(value_name = "VALUE", allow_hyphen_values = true)]
        value: String,
    },
    /// draft → ready: refused (exit 2) naming each field that blocks it.
    Ready { id: String },
    /// After submission: queue what changed since the last revision sent, as a supplement.
    Supplement { id: String },
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

/// A report as the window shows it: the record and its status (missing lists, deadlines, tasks).
#[derive(serde::Serialize)]
struct ReportView {
    report: report::Report,
    status: report::Status,
}

fn view(report: report::Report) -> ReportView {
    let status = report.status(Utc::now());
    ReportView { report, status }
}

/// Several field messages on one line: `field: message; field: message`.
fn blocked(what: &str, e: desk_core::Error) -> CliError {
    match e {
        desk_core::Error::Invalid(fields) => CliError::Refused(format!(
            "{what}: {}",
            fields.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("; ")
        )),
        other => other.into(),
    }
}

pub fn run(command: ReportCommand, data_dir: &Path) -> CliResult {
    let store = open_store(data_dir)?;
    let conn = store.conn();
    match command {
        ReportCommand::New => {
            let profile = desk_core::profile::load(conn)?;
            let created = report::create_draft(conn, &profile, Utc::now(), crate::actor::current())?;
            tracing::info!(report_id = %created.report_id, "report draft created from the command line");
            print_json(&view(created))
        }
        ReportCommand::Set { id, field, value } => {
            let id = ReportId::parse(&id)?;
            let saved = report::set_field_text(conn, &id, &field, &value, Utc::now(), crate::actor::current())?;
            let current = report::get(conn, &id)?;
            print_json(&serde_json::json!({
                "report_id": saved.report_id,
                "revision": saved.revision,
                "state": saved.state,
                "field": field,
                "value": current.doc.to_value()?.pointer(&report::doc::pointer(&field)).cloned(),
                "row": saved.row,
                "field_errors": saved.status.check.field_errors,
                "missing_required": saved.status.check.missing_required,
                "missing_recommended": saved.status.check.missing_recommended,
                "portal_messages": saved.portal_messages,
            }))
        }
        ReportCommand::Ready { id } => {
            let id = ReportId::parse(&id)?;
            let readied = report::ready(conn, &id, Utc::now(), crate::actor::current())
                .map_err(|e| blocked(&format!("report {id} cannot be readied"), e))?;
            tracing::info!(report_id = %readied.report_id, "report readied from the command line");
            print_json(&view(readied))
        }
        ReportCommand::Supplement { id } => {
            let id = ReportId::parse(&id)?;
            let queued = report::queue_supplement(conn, &id, Utc::now(), crate::actor::current())?;
            tracing::info!(report_id = %queued.report_id, revision = queued.revision, "report supplement queued from the command line");
            print_json(&queued)
        }
        ReportCommand::List { text, state, limit } => {
            let query = ListQuery { text, state: state.map(State::from), limit: Some(limit) };
            print_json(&report::list(conn, &query)?)
        }
        ReportCommand::Export { id } => {
            let id = ReportId::parse(&id)?;
            // Already canonical text with its trailing newline: printed byte for byte.
            print_text(&report::export(conn, &id)?)
        }
        ReportCommand::Import { file } => {
            let text = read_input(&file)?;
            let imported = report::import(conn, &text, Utc::now(), crate::actor::current())
                .map_err(|e| refused_naming_fields(&file, e))?;
            tracing::info!(report_id = %imported.report_id, "report imported from the command line");
            print_json(&imported)
        }
        ReportCommand::Submit { id } => {
            let id = ReportId::parse(&id)?;
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
        ReportCommand::History { id } => {
            let id = ReportId::parse(&id)?;
            print_json(&serde_json::json!({
                "report_id": id,
                "revisions": report::revisions(conn, &id)?,
                "events": report::store::events(conn, &id)?,
            }))
        }
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

/// The export file (or stdin), read up to the report import cap.
fn read_input(file: &Path) -> Result<String, CliError> {
    use desk_core::limits::{self, REPORT_IMPORT_MAX, REPORT_WHAT};
    if file != Path::new("-") {
        return Ok(limits::read_capped_text(file, REPORT_IMPORT_MAX, REPORT_WHAT)?);
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(std::io::stdin(), REPORT_IMPORT_MAX + 1), &mut bytes)
        .map_err(|e| CliError::Refused(format!("cannot read standard input: {e}")))?;
    limits::check_len(bytes.len(), REPORT_IMPORT_MAX, REPORT_WHAT, "standard input")?;
    String::from_utf8(bytes).map_err(|e| CliError::Refused(format!("standard input is not UTF-8 text: {e}")))
}

/// `FILE: field: message` for each refused field (`FILE: message` for the whole file).
fn refused_naming_fields(file: &Path, e: desk_core::Error) -> CliError {
    match e {
        desk_core::Error::Invalid(fields) => {
            let named: Vec<String> =
                fields.iter().map(|f| if f.field.is_empty() { f.message.clone() } else { f.to_string() }).collect();
            CliError::Refused(format!("{}: nothing imported: {}", file.display(), named.join("; ")))
        }
        other => other.into(),
    }
}
