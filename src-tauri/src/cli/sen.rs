//! `incident-desk sen ...`: the SEN response clock for scripts and mail rules. Times are printed as
//! RFC 3339 in the calendar's zone with its offset, on the user's stored calendar (the default
//! calendar when none was saved) and escalation-clock setting.

use super::{open_existing_store, open_store, print_json, CliError, CliResult};
use chrono::{DateTime, Utc};
use clap::Subcommand;
use desk_core::calendar::{self, CompiledCalendar};
use desk_core::sen::deadlines::{schedule, DeterminationTimes, Escalation, Outcome, SenTimes, StageState};
use desk_core::sen::{self, levels, store as sen_store, Source};
use desk_core::{intake, Error, Store};
use serde::Serialize;
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
    /// Read a SEN notification e-mail (.eml) and record the SEN; exit 2 if it is not one.
    ImportEmail {
        /// The message file.
        #[arg(value_name = "FILE.eml")]
        file: PathBuf,
        /// Read and print only; record nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print the open SENs with their due times, oldest first.
    List,
}

pub fn run(command: SenCommand, data_dir: &Path) -> CliResult {
    match command {
        SenCommand::Deadlines { level, sent, acknowledged, determined } => {
            deadlines(data_dir, &level, &sent, acknowledged.as_deref(), determined.as_deref())
        }
        SenCommand::ImportEmail { file, dry_run } => import_email(data_dir, &file, dry_run),
        SenCommand::List => list(data_dir),
    }
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
    match (acknowledged_at, determined_at) {
        (Some(ack), _) if ack < sent_at => {
            return Err(refused("--acknowledged is before --sent: a SEN is acknowledged after it was sent"))
        }
        (None, Some(_)) => {
            return Err(refused("--determined needs --acknowledged: the determination follows the acknowledgement"))
        }
        (Some(ack), Some(det)) if det < ack => {
            return Err(refused("--determined is before --acknowledged: the determination follows the acknowledgement"))
        }
        _ => {}
    }
    let store = open_existing_store(data_dir)?;
    let (calendar, settings) = clock(store.as_ref())?;
    let times = SenTimes {
        sent_at,
        acknowledged_at,
        determination: determined_at.map(|at| DeterminationTimes {
            at,
            outcome: Outcome::ConfirmedIncident,
            findings_by: None,
            requested_at: None,
        }),
        linked_at: None,
    };
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
}

fn import_email(data_dir: &Path, file: &Path, dry_run: bool) -> CliResult {
    let bytes = std::fs::read(file).map_err(|e| refused(format!("cannot read {}: {e}", file.display())))?;
    let notice = intake::parse_eml(&bytes).map_err(|e| match e {
        Error::Unreadable(reason) => refused(format!("{}: {reason}", file.display())),
        other => CliError::from(other),
    })?;
    for warning in &notice.warnings {
        eprintln!("incident-desk: warning: {warning}");
    }
    let store = open_store(data_dir)?;
    let (calendar, _) = clock(Some(&store))?;
    let now = Utc::now();
    if dry_run {
        // Everything `create` would refuse is refused here too, so a dry run predicts the import.
        sen_store::Sen::unsaved(notice.clone().into_new_sen(Source::Email), now)?;
    } else {
        match sen_store::get(store.conn(), &notice.sen_number) {
            Ok(existing) => {
                // The same notification twice (a mail rule run again) is not an error; nothing changes.
                eprintln!(
                    "incident-desk: {} is already recorded (level {}, sent {}); nothing was changed",
                    existing.sen_number,
                    existing.level,
                    calendar.to_local_rfc3339(existing.sent_at)
                );
            }
            Err(Error::NotFound(_)) => {
                let created = sen_store::create(store.conn(), notice.clone().into_new_sen(Source::Email), now)?;
                tracing::info!(sen = %created.sen_number, level = %created.level, "SEN recorded from e-mail (CLI)");
            }
            Err(e) => return Err(e.into()),
        }
    }
    print_json(&ImportOut {
        sen_number: notice.sen_number,
        level: notice.level,
        sent_at: calendar.to_local_rfc3339(notice.sent_at),
    })
}

#[derive(Serialize)]
struct ListedSen {
    sen_number: String,
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
    /// due_in | overdue | done | not_applicable
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
