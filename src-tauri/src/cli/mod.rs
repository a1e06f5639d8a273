//! The command line, in the same binary as the window. Without a subcommand it opens the window;
//! subcommands print JSON on stdout and need no display. Exit codes: 0 done, 2 input refused
//! (one line on stderr says why), 1 anything else.

mod audit;
mod backup;
mod calendar;
mod deadlines;
mod fallback;
mod lock;
mod outbox;
mod portal;
mod practice_portal;
mod profile;
mod reminders;
mod report;
mod sen;

use crate::{logging, paths};
use clap::{Args, Parser, Subcommand};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "incident-desk",
    version,
    about = "Cal-CSIRS incident reports and SIMM 5335-A SEN response clock for California state ISOs.\n\nWithout a command, opens the window."
)]
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
    /// Start with the window hidden, in the tray only (how start at login opens it).
    #[arg(long)]
    pub background: bool,
}

#[derive(Subcommand)]
pub enum Command {
    /// The entity profile that new reports are pre-filled from.
    #[command(subcommand)]
    Profile(profile::ProfileCommand),
    /// Passphrase-encrypted backups of everything, and restore into a fresh install.
    #[command(subcommand)]
    Backup(backup::BackupCommand),
    /// The window's unlock passphrase: status, set, reset (the recovery for a forgotten one).
    #[command(subcommand)]
    Lock(lock::LockCommand),
    /// The portal's address and token (the token goes to the OS keyring only).
    #[command(subcommand)]
    Portal(portal::PortalCommand),
    /// The queue of everything sent to the portal: status, deliver now.
    #[command(subcommand)]
    Outbox(outbox::OutboxCommand),
    /// Run the practice portal (the portal contract over real HTTP) for exercises and tests.
    PracticePortal(practice_portal::PracticePortalArgs),
    /// Deadline reminders: what the app will remind of, and when.
    #[command(subcommand)]
    Reminders(reminders::RemindersCommand),
    /// Security Event Notifications: deadlines, e-mail intake, the open SENs.
    #[command(subcommand)]
    Sen(sen::SenCommand),
    /// Incident reports: new, set, ready, submit, supplement, history, list, export, import.
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// The history's hash chains: `audit verify` names the first row edited or deleted.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// The business calendar: show it, import closure days from an iCalendar file.
    #[command(subcommand)]
    Calendar(calendar::CalendarCommand),
    /// Every open deadline as an iCalendar feed, for Outlook or Thunderbird.
    #[command(subcommand)]
    Deadlines(deadlines::DeadlinesCommand),
    /// Cal-CSIRS unreachable: whom to contact at a moment, on the state office calendar.
    Fallback(fallback::FallbackArgs),
}

/// What a subcommand failed with: `Refused` is bad input (exit 2), `Failed` anything else (exit 1).
pub enum CliError {
    Refused(String),
    Failed(String),
}

impl From<desk_core::Error> for CliError {
    fn from(e: desk_core::Error) -> Self {
        match e {
            desk_core::Error::Invalid(_)
            | desk_core::Error::Unreadable(_)
            | desk_core::Error::NotFound(_)
            | desk_core::Error::Conflict(_)
            | desk_core::Error::ReportNotEditable { .. }
            | desk_core::Error::ReportStepRefused { .. } => CliError::Refused(e.to_string()),
            other => CliError::Failed(other.to_string()),
        }
    }
}

pub(crate) type CliResult = Result<(), CliError>;

pub fn run(command: Command, global: &GlobalArgs) -> ExitCode {
    let data_dir = paths::data_dir(global.data_dir.as_deref());
    let _log_guard = logging::init(&paths::log_dir(&data_dir));
    crate::hardening::log_outcome();
    let outcome = match command {
        Command::Profile(command) => profile::run(command, &data_dir),
        Command::Backup(command) => backup::run(command, &data_dir),
        Command::Lock(command) => lock::run(command, &data_dir),
        Command::Portal(command) => portal::run(command, &data_dir),
        Command::Outbox(command) => outbox::run(command, &data_dir),
        Command::PracticePortal(args) => practice_portal::run(args),
        Command::Reminders(command) => reminders::run(command, &data_dir),
        Command::Sen(command) => sen::run(command, &data_dir),
        Command::Report(command) => report::run(command, &data_dir),
        Command::Audit(command) => audit::run(command, &data_dir),
        Command::Calendar(command) => calendar::run(command, &data_dir),
        Command::Deadlines(command) => deadlines::run(command, &data_dir),
        Command::Fallback(args) => fallback::run(args, &data_dir),
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
    use std::io::Write;
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Failed(e.to_string()))?;
    match writeln!(std::io::stdout().lock(), "{text}") {
        // The reader stopped early (`| head`): not our failure, and no panic.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::Failed(format!("cannot write the output: {e}")))
        }
        _ => Ok(()),
    }
}

/// Opens the data directory's encrypted database (key from the OS keyring), as the window does;
/// what opening found (encrypted in place, damaged and kept aside) is said on stderr.
pub(crate) fn open_store(data_dir: &std::path::Path) -> Result<desk_core::Store, CliError> {
    let opened =
        desk_core::store::protect::open_protected(data_dir, &desk_core::secrets::OsKeyring, chrono::Utc::now())
            .map_err(|e| CliError::Failed(e.to_string()))?;
    for notice in &opened.notices {
        eprintln!("incident-desk: {}", serde_json::to_string(notice).unwrap_or_default());
    }
    Ok(opened.store)
}

/// The data directory's database when there is one: read-only commands (deadlines on the stored
/// calendar, the profile, the open SENs) answer from the defaults on a fresh install without
/// creating a database or a key.
pub(crate) fn open_existing_store(data_dir: &std::path::Path) -> Result<Option<desk_core::Store>, CliError> {
    if desk_core::store::cipher::file_kind(&data_dir.join(desk_core::store::DB_FILE))?
        == desk_core::store::cipher::FileKind::Absent
    {
        return Ok(None);
    }
    open_store(data_dir).map(Some)
}

/// The first line of standard input, without its line ending (passphrases), in a buffer wiped
/// when dropped.
pub(crate) fn read_stdin_line(what: &str) -> Result<desk_core::lock::Passphrase, CliError> {
    let mut line = desk_core::lock::Passphrase::new(String::with_capacity(256));
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| CliError::Failed(format!("cannot read the {what} from stdin: {e}")))?;
    let end = line.trim_end_matches(['\n', '\r']).len();
    line.truncate(end);
    if line.is_empty() {
        return Err(CliError::Refused(format!("no {what} on stdin")));
    }
    Ok(line)
}

/// A passphrase: typed on the terminal with echo turned off (refused if echo cannot be turned
/// off), or the first line of standard input when that is a pipe or a file (scripts, tests).
/// Wiped from memory when dropped.
pub(crate) fn read_passphrase(what: &str) -> Result<desk_core::lock::Passphrase, CliError> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return read_stdin_line(what);
    }
    let typed = rpassword::prompt_password(format!("{what} (not shown): ")).map_err(|e| {
        CliError::Refused(format!("cannot turn the terminal's echo off to read the {what} ({e}); pipe it in instead"))
    })?;
    let typed = desk_core::lock::Passphrase::new(typed);
    if typed.is_empty() {
        return Err(CliError::Refused(format!("no {what} typed")));
    }
    Ok(typed)
}

/// A runtime for the subcommands that talk over the network.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(format!("cannot start the async runtime: {e}")))
}
