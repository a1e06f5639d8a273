//! `incident-desk sen ...`: the SEN response clock for scripts and mail rules. Times are printed as
//! RFC 3339 in the calendar's zone with its offset, on the user's stored calendar (the default
//! calendar when none was saved) and escalation-clock setting.

use super::{open_existing_store, open_store, print_json, CliError, CliResult};
use chrono::{DateTime, Utc};
use clap::Subcommand;
use desk_core::calendar::{self, CompiledCalendar};
use desk_core::report::ReportId;
use desk_core::sen::deadlines::{schedule, Escalation, OutOfOrder, Outcome, SenTimes, StageState};
use desk_core::sen::{self, levels, store as sen_store, Intake, SenNumber, Source};
use desk_core::{intake, Error, Store};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum SenCommand {
    /// Print the due times of the three response stages and the escalation ladder of one SEN.
    ///
    /// A stage not started yet is projected from the previous stage's due time. `--determined`
    /// is taken as a confirmed-incident determination (it starts the incident-record stage).
    Deadlines {
        /// The SEN level.
        #[arg(long, value_name = "critical|high|medium")]
        level: String,
        /// When the SOC sent the SEN (RFC 3339, e.g. 2026-03-09T16:05:00-08:00).
        #[arg(long, value_name = "RFC3339")]
        sent: String,
        /// When the SEN was acknowledged (RFC 3339).
        #[arg(long, value_name = "RFC3339")]
        acknowledged: Option<String>,
        /// When the determination was made (RFC 3339; needs --acknowledged).
        #[arg(long, value_name = "RFC3339")]
        determined: Option<String>,
    },
    /// Read a SEN notification e-mail (.eml, or Outlook .msg) and record the SEN; exit 2 if it is not one.
    ImportEmail {
        /// The message file (.eml or .msg, told apart by content).
        #[arg(value_name = "FILE.eml|FILE.msg")]
        file: PathBuf,
        /// Read and print only; record nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print the open SENs with their due times, oldest first.
    List,
    /// Acknowledge a SEN with one of the six SIMM 5335-A III.F formats; the finished text is
    /// printed and queued for the portal. Each blank of the format is a `--values NAME=VALUE`.
    Acknowledge {
        #[arg(value_name = "SEN")]
        sen_number: String,
        /// remediation_planned | remediation_completed | investigating | mitigated_unknown_risk |
        /// confirmed_incident | false_positive
        #[arg(long, value_name = "FORMAT")]
        format: String,
        /// The format's blanks, e.g. `--values remediation_status=planned completion_date=2026-04-01`.
        #[arg(long, value_name = "NAME=VALUE", num_args = 1.., value_parser = name_value)]
        values: Vec<(String, String)>,
    },
    /// Record the determination of an acknowledged SEN (queued for the portal).
    ///
    /// `request_help` asks the SOC for assistance with making the determination (SIMM 5335-A
    /// III.A 3d); it needs no findings date, is sent to the portal as `more_time` with details
    /// starting "Assistance requested from the SOC: ", and the output lists who to contact
    /// (`help`). A final determination can still be recorded after it.
    Determine {
        #[arg(value_name = "SEN")]
        sen_number: String,
        #[arg(long, value_name = "confirmed_incident|false_positive|more_time|request_help")]
        outcome: String,
        /// How the determination was made (with request_help: what help is needed).
        #[arg(long)]
        details: String,
        /// With more_time: when status or findings will be given (RFC 3339 or a wall-clock time in
        /// the calendar's zone).
        #[arg(long, value_name = "TIME")]
        findings_by: Option<String>,
    },
    /// Associate a confirmed SEN with its incident report (queued for the portal).
    Link {
        #[arg(value_name = "SEN")]
        sen_number: String,
        #[arg(value_name = "REPORT")]
        report_id: String,
    },
}

/// `NAME=VALUE` of `--values`.
fn name_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => Ok((name.trim().to_string(), value.to_string())),
        _ => Err(format!("\u{201c}{text}\u{201d} is not NAME=VALUE (a blank of the format and its value)")),
    }
}

pub fn run(command: SenCommand, data_dir: &Path) -> CliResult {
    match command {
        SenCommand::Deadlines { level, sent, acknowledged, determined } => {
            deadlines(data_dir, &level, &sent, acknowledged.as_deref(), determined.as_deref())
        }
        SenCommand::ImportEmail { file, dry_run } => import_email(data_dir, &file, dry_run),
        SenCommand::List => list(data_dir),
        SenCommand::Acknowledge { sen_number, format, values } => {
            let store = open_store(data_dir)?;
            let values: BTreeMap<String, String> = values.into_iter().collect();
            let sen_number = SenNumber::parse(&sen_number)?;
            let record = sen_store::acknowledge(
                store.conn(),
                &sen_number,
                &format,
                &values,
                Utc::now(),
                crate::actor::current(),
            )?;
            tracing::info!(sen = %record.sen_number, format = %format, "SEN acknowledged (CLI)");
            let text = record.ack_text.clone().unwrap_or_default();
            print_json(&Responded { text: Some(text), sen: card(&store, record)?, help: None })
        }
        SenCommand::Determine { sen_number, outcome, details, findings_by } => {
            let outcome = Outcome::parse(&outcome).ok_or_else(|| {
                let known: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
                refused(format!(
                    "--outcome: \u{201c}{outcome}\u{201d} is not an outcome (one of: {})",
                    known.join(", ")
                ))
            })?;
            let store = open_store(data_dir)?;
            let (calendar, _) = clock(Some(&store))?;
            // The window's rule: RFC 3339 or a wall-clock time in the calendar's zone.
            let findings_by = match findings_by.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(text) => Some(calendar.parse_time(text).map_err(|m| Error::invalid("findings_by", m))?),
                None => None,
            };
            let sen_number = SenNumber::parse(&sen_number)?;
            let record = sen_store::determine(
                store.conn(),
                &sen_number,
                sen_store::Determination { outcome, details, findings_by },
                Utc::now(),
                crate::actor::current(),
            )?;
            tracing::info!(sen = %record.sen_number, outcome = outcome.as_str(), "SEN determination recorded (CLI)");
            let help = (outcome == Outcome::RequestHelp).then_some(sen::HELP_GUIDE);
            print_json(&Responded { text: None, sen: card(&store, record)?, help })
        }
        SenCommand::Link { sen_number, report_id } => {
            let store = open_store(data_dir)?;
            let sen_number = SenNumber::parse(&sen_number)?;
            let report_id = ReportId::parse(&report_id)?;
            let record =
                sen_store::link_report(store.conn(), &sen_number, &report_id, Utc::now(), crate::actor::current())?;
            tracing::info!(sen = %record.sen_number, report = %report_id, "SEN associated with an incident report (CLI)");
            print_json(&Responded { text: None, sen: card(&store, record)?, help: None })
        }
    }
}

/// A SEN after a response: the record with its clock, as the window's SEN page shows it.
#[derive(Serialize)]
struct Responded {
    /// The finished acknowledgement text (to paste into Cal-CSIRS; it is queued for the portal too).
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    sen: sen::SenCard,
    /// After a help request: who to contact, with the seed's words (src/sen/help.rs).
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<sen::HelpGuide>,
}

fn card(store: &Store, record: sen_store::Sen) -> Result<sen::SenCard, CliError> {
    let (calendar, settings) = clock(Some(store))?;
    Ok(sen::card(record, &calendar, settings.escalation_clock, Utc::now()))
}

/// The stored calendar compiled, and the stored escalation-clock setting (the defaults without a
/// database).
fn clock(store: Option<&Store>) -> Result<(CompiledCalendar, sen::SenSettings), CliError> {
    let (stored, settings) = match store {
        Some(store) => (calendar::load(store.conn())?, sen::load_settings(store.conn())?),
        None => (calendar::BusinessCalendar::default(), sen::SenSettings::default()),
    };
    let calendar =
        stored.compile().map_err(|e| CliError::Failed(format!("the stored business calendar cannot be used: {e}")))?;
    Ok((calendar, settings))
}

fn refused(message: impl Into<String>) -> CliError {
    CliError::Refused(message.into())
}

fn rfc3339(option: &str, value: &str) -> Result<DateTime<Utc>, CliError> {
    DateTime::parse_from_rfc3339(value.trim()).map(|t| t.with_timezone(&Utc)).map_err(|_| {
        refused(format!("{option}: \u{201c}{value}\u{201d} is not an RFC 3339 time (e.g. 2026-03-09T16:05:00-08:00)"))
    })
}

#[derive(Serialize)]
struct DeadlinesOut {
    level: &'static str,
    stages: Vec<StageOut>,
    escalations: Vec<EscalationOut>,
}

#[derive(Serialize)]
struct StageOut {
    stage: &'static str,
    due: String,
}

#[derive(Serialize)]
struct EscalationOut {
    stage: &'static str,
    level: u8,
    at: String,
}

fn deadlines(
    data_dir: &Path,
    level: &str,
    sent: &str,
    acknowledged: Option<&str>,
    determined: Option<&str>,
) -> CliResult {
    let rule = levels::rule(level).ok_or_else(|| {
        let known: Vec<&str> = levels::LEVELS.iter().map(|l| l.id).collect();
        refused(format!("--level: \u{201c}{level}\u{201d} has no response windows (one of: {})", known.join(", ")))
    })?;
    let sent_at = rfc3339("--sent", sent)?;
    let acknowledged_at = acknowledged.map(|v| rfc3339("--acknowledged", v)).transpose()?;
    let determined_at = determined.map(|v| rfc3339("--determined", v)).transpose()?;
    let times = SenTimes::given(sent_at, acknowledged_at, determined_at).map_err(|order| {
        refused(match order {
            OutOfOrder::AcknowledgedBeforeSent => {
                "--acknowledged is before --sent: a SEN is acknowledged after it was sent"
            }
            OutOfOrder::DeterminedWithoutAcknowledgement => {
                "--determined needs --acknowledged: the determination follows the acknowledgement"
            }
            OutOfOrder::DeterminedBeforeAcknowledged => {
                "--determined is before --acknowledged: the determination follows the acknowledgement"
            }
        })
    })?;
    let store = open_existing_store(data_dir)?;
    let (calendar, settings) = clock(store.as_ref())?;
    let plan = schedule(rule, &calendar, &times, settings.escalation_clock);
    print_json(&DeadlinesOut {
        level: rule.id,
        stages: plan
            .stages
            .iter()
            .map(|s| StageOut { stage: s.stage.as_str(), due: calendar.to_local_rfc3339(s.due) })
            .collect(),
        escalations: plan
            .escalations
            .iter()
            .map(|e| EscalationOut { stage: e.stage.as_str(), level: e.level, at: calendar.to_local_rfc3339(e.at) })
            .collect(),
    })
}

#[derive(Serialize)]
struct ImportOut {
    sen_number: String,
    level: String,
    sent_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    sender: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
}

impl ImportOut {
    fn new(notice: intake::SenNotice, calendar: &CompiledCalendar) -> Self {
        ImportOut {
            sen_number: notice.sen_number,
            level: notice.level,
            sent_at: calendar.to_local_rfc3339(notice.sent_at),
            sender: notice.sender,
            summary: notice.summary,
        }
    }
}

/// The mail file's bytes (the one place the CLI reads a mail file).
fn import_email(data_dir: &Path, file: &Path, dry_run: bool) -> CliResult {
    let name = file.file_name().and_then(|n| n.to_str());
    let (cap, what) = desk_core::limits::mail_cap(name);
    let bytes = desk_core::limits::read_capped(file, cap, what)?;
    let notice = intake::parse_mail(&bytes, name).map_err(|e| match e {
        Error::Unreadable(reason) => refused(format!("{}: {reason}", file.display())),
        other => CliError::from(other),
    })?;
    for warning in &notice.warnings {
        eprintln!("incident-desk: warning: {warning}");
    }
    let now = Utc::now();
    if dry_run {
        // A dry run reads the stored calendar when there is a database, and creates none (no key
        // in the keyring needed on a fresh install). Everything `create` would refuse is refused
        // here too, so it predicts the import.
        let store = open_existing_store(data_dir)?;
        let (calendar, _) = clock(store.as_ref())?;
        sen_store::Sen::unsaved(notice.clone().into_new_sen(Source::Email), now)?;
        return print_json(&ImportOut::new(notice, &calendar));
    }
    let store = open_store(data_dir)?;
    let (calendar, _) = clock(Some(&store))?;
    match sen_store::take_in(
        store.conn(),
        notice.clone().into_new_sen(Source::Email),
        false,
        now,
        crate::actor::current(),
    )? {
        Intake::AlreadyRecorded(existing) => {
            // The same notification twice (a mail rule run again) is not an error; nothing changes.
            eprintln!(
                "incident-desk: {} is already recorded (level {}, sent {}); nothing was changed",
                existing.sen_number,
                existing.level,
                calendar.to_local_rfc3339(existing.sent_at)
            );
        }
        Intake::Recorded(created) | Intake::Unsaved(created) => {
            tracing::info!(sen = %created.sen_number, level = %created.level, "SEN recorded from e-mail (CLI)");
        }
    }
    print_json(&ImportOut::new(notice, &calendar))
}

#[derive(Serialize)]
struct ListedSen {
    sen_number: SenNumber,
    level: String,
    status: &'static str,
    sent_at: String,
    summary: String,
    /// Empty for levels without response windows (see `note`).
    stages: Vec<ListedStage>,
    next_escalation: Option<ListedEscalation>,
    /// Escalations whose time has passed while their stage is still open.
    escalated: Vec<ListedEscalation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Serialize)]
struct ListedStage {
    stage: &'static str,
    due: String,
    /// due_in | overdue | done | not_applicable | help_requested | waiting
    state: &'static str,
    /// True when the stage has not started and `due` is projected from the previous stage.
    projected: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    done_at: Option<String>,
}

#[derive(Serialize)]
struct ListedEscalation {
    stage: &'static str,
    level: u8,
    at: String,
    to: &'static str,
}

fn list(data_dir: &Path) -> CliResult {
    let Some(store) = open_existing_store(data_dir)? else {
        return print_json(&Vec::<ListedSen>::new());
    };
    let (calendar, settings) = clock(Some(&store))?;
    let local = |t| calendar.to_local_rfc3339(t);
    let cards = sen::board(store.conn(), &calendar, settings.escalation_clock, Utc::now())?;
    let listed: Vec<ListedSen> = cards
        .into_iter()
        .map(|card| {
            let stages = card
                .status
                .as_ref()
                .map(|status| {
                    status
                        .stages
                        .iter()
                        .map(|s| {
                            let (state, done_at) = match &s.state {
                                StageState::Done { at, .. } => ("done", Some(local(*at))),
                                StageState::DueIn { .. } => ("due_in", None),
                                StageState::Overdue { .. } => ("overdue", None),
                                StageState::NotApplicable => ("not_applicable", None),
                                StageState::HelpRequested { .. } => ("help_requested", None),
                                StageState::Waiting => ("waiting", None),
                            };
                            ListedStage {
                                stage: s.stage.as_str(),
                                due: local(s.due),
                                state,
                                projected: s.projected,
                                done_at,
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            let listed = |e: &Escalation| ListedEscalation {
                stage: e.stage.as_str(),
                level: e.level,
                at: local(e.at),
                to: e.recipients,
            };
            let next_escalation = card.status.as_ref().and_then(|s| s.next_escalation.as_ref()).map(listed);
            let escalated = card.status.as_ref().map(|s| s.escalated.iter().map(listed).collect()).unwrap_or_default();
            ListedSen {
                status: card.sen.status.as_str(),
                sent_at: local(card.sen.sent_at),
                stages,
                next_escalation,
                escalated,
                note: card.level.note,
                sen_number: card.sen.sen_number,
                level: card.sen.level,
                summary: card.sen.summary,
            }
        })
        .collect();
    print_json(&listed)
}
