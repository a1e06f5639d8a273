//! SEN board, records, intake and responses: thin adapters over `desk_core::sen`, `intake` and the
//! stored calendar. Every clock is computed here with `Utc::now()`, on the calendar and escalation
//! setting stored at that moment.

use super::views::report::ReportSummaryView;
use super::views::sen::{
    escalation_clock, ClocksAheadView, HistoryRowView, PreviewView, SenCardView, SenNoticeView, SenSettingsValues,
};
use super::views::sen_reference::{
    all, EscalationLevelView, HelpGuideView, InitialDistributionView, LevelRuleView, ResponseFormatView,
    SenReadingsView,
};
use crate::events::{self, Topic};
use crate::ipc::{CmdResult, IpcError};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use desk_core::calendar::{self, CompiledCalendar};
use desk_core::report::{self, ListQuery, ReportId};
use desk_core::sen::levels::{self, ESCALATION_LADDER, INITIAL_DISTRIBUTION, LEVELS, SEN_READINGS};
use desk_core::sen::responses::{self, FORMATS};
use desk_core::sen::store::{self as sen_store, Determination, Intake as SenIntake, NewSen, Sen, Source};
use desk_core::sen::{self, EscalationClock, Outcome, SenNumber, SenSettings, ESCALATION_CLOCK_SEED_WORDS, HELP_GUIDE};
use desk_core::{intake, Error, Store};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tauri::{AppHandle, State};

/// Closed SENs listed under the board, newest first.
const RECENT_CLOSED: usize = 20;

/// The stored calendar and SEN settings, compiled for one computation.
fn clock(store: &Store) -> CmdResult<(CompiledCalendar, SenSettings)> {
    let calendar = calendar::load(store.conn())?.compile()?;
    Ok((calendar, sen::load_settings(store.conn())?))
}

#[derive(Serialize)]
pub struct Board {
    /// The instant the clocks were computed at; the UI counts down from it.
    now: DateTime<Utc>,
    time_zone: String,
    escalation_clock: &'static str,
    #[serde(flatten)]
    ahead: ClocksAheadView,
    /// Open SENs, oldest first.
    cards: Vec<SenCardView>,
    /// The latest closed SENs, newest first.
    recent_closed: Vec<ClosedSen>,
}

#[derive(Serialize)]
pub struct ClosedSen {
    sen_number: String,
    level: String,
    level_label: String,
    sent_at_local: String,
    closed_at_local: Option<String>,
    outcome: Option<&'static str>,
    linked_report_id: Option<String>,
}

#[tauri::command]
pub fn sen_board(state: State<'_, AppState>) -> CmdResult<Board> {
    let store = state.store();
    let conn = store.conn();
    let (calendar, settings) = clock(&store)?;
    let now = Utc::now();
    let cards = sen::board(conn, &calendar, settings.escalation_clock, now)?;
    let recent_closed = sen_store::list_recent_closed(conn, RECENT_CLOSED)?
        .into_iter()
        .map(|s| ClosedSen {
            level_label: levels::describe(&s.level).label,
            sent_at_local: calendar.to_local_rfc3339(s.sent_at),
            closed_at_local: s.closed_at.map(|t| calendar.to_local_rfc3339(t)),
            outcome: s.outcome.map(Outcome::as_str),
            linked_report_id: s.linked_report_id.map(|id| id.to_string()),
            level: s.level,
            sen_number: s.sen_number.to_string(),
        })
        .collect();
    Ok(Board {
        now,
        time_zone: calendar.time_zone().name().to_string(),
        escalation_clock: escalation_clock(settings.escalation_clock),
        ahead: ClocksAheadView::new(&cards, &calendar, now),
        cards: cards.into_iter().map(Into::into).collect(),
        recent_closed,
    })
}

#[derive(Serialize)]
pub struct SenDetail {
    now: DateTime<Utc>,
    #[serde(flatten)]
    ahead: ClocksAheadView,
    card: SenCardView,
    /// Every transition, oldest first.
    history: Vec<HistoryRowView>,
    /// `findings_by` in the calendar's zone, when more time was requested.
    findings_by_local: Option<String>,
    /// `help_requested_at` in the calendar's zone, when assistance was requested from the SOC.
    help_requested_at_local: Option<String>,
    /// SIMM 5335-A Table 2 for this SEN's level: who the SOC phoned (in order) and e-mailed.
    initial_distribution: Option<InitialDistributionView>,
    /// The escalation levels with their full Table 3 distribution.
    ladder: Vec<EscalationLevelView>,
    /// Who to contact for help, with the seed's words.
    help: HelpGuideView,
    readings: SenReadingsView,
}

fn detail(store: &Store, sen_number: &SenNumber) -> CmdResult<SenDetail> {
    let conn = store.conn();
    let (calendar, settings) = clock(store)?;
    let now = Utc::now();
    let record = sen_store::get(conn, sen_number)?;
    let history = sen_store::history(conn, &record.sen_number)?
        .into_iter()
        .map(|entry| {
            let at_local = calendar.to_local_rfc3339(entry.at);
            HistoryRowView::new(entry, at_local)
        })
        .collect();
    let findings_by_local = record.findings_by.map(|t| calendar.to_local_rfc3339(t));
    let help_requested_at_local = record.help_requested_at.map(|t| calendar.to_local_rfc3339(t));
    let initial_distribution = sen::initial_distribution(&record.level).map(Into::into);
    let card = sen::card(record, &calendar, settings.escalation_clock, now);
    Ok(SenDetail {
        now,
        ahead: ClocksAheadView::new([&card], &calendar, now),
        card: card.into(),
        history,
        findings_by_local,
        help_requested_at_local,
        initial_distribution,
        ladder: all(&ESCALATION_LADDER),
        help: HELP_GUIDE.into(),
        readings: SEN_READINGS.into(),
    })
}

#[tauri::command]
pub fn sen_get(state: State<'_, AppState>, sen_number: String) -> CmdResult<SenDetail> {
    detail(&state.store(), &SenNumber::parse(&sen_number)?)
}

/// What the SEN pages need once: levels, the six response formats, the ladder, the outcomes, Table 2,
/// who to ask for help and the readings with the seed's words.
#[derive(Serialize)]
pub struct Reference {
    levels: Vec<LevelRuleView>,
    formats: Vec<ResponseFormatView>,
    ladder: Vec<EscalationLevelView>,
    outcomes: Vec<OutcomeInfo>,
    initial_distribution: Vec<InitialDistributionView>,
    help: HelpGuideView,
    readings: SenReadingsView,
}

#[derive(Serialize)]
pub struct OutcomeInfo {
    id: &'static str,
    label: &'static str,
    /// The III.F format that words this outcome.
    format: &'static str,
}

#[tauri::command]
pub fn sen_reference() -> Reference {
    Reference {
        levels: all(&LEVELS),
        formats: all(&FORMATS),
        ladder: all(&ESCALATION_LADDER),
        outcomes: Outcome::ALL
            .into_iter()
            .map(|o| OutcomeInfo { id: o.as_str(), label: o.label(), format: responses::for_outcome(o).id })
            .collect(),
        initial_distribution: all(&INITIAL_DISTRIBUTION),
        help: HELP_GUIDE.into(),
        readings: SEN_READINGS.into(),
    }
}

/// A SEN typed in by hand. `sent_at` is RFC 3339 or a wall-clock time in the calendar's zone.
#[derive(Deserialize)]
pub struct ManualSen {
    sen_number: String,
    level: String,
    sent_at: String,
    #[serde(default)]
    summary: String,
}

#[tauri::command]
pub fn sen_create(app: AppHandle, state: State<'_, AppState>, sen: ManualSen) -> CmdResult<SenDetail> {
    let store = state.store();
    let conn = store.conn();
    let (calendar, _) = clock(&store)?;
    let sent_at = calendar.parse_time(&sen.sent_at).map_err(|m| Error::invalid("sent_at", m))?;
    let new =
        NewSen { sen_number: sen.sen_number, level: sen.level, sent_at, summary: sen.summary, source: Source::Manual };
    let created = sen_store::create(conn, new, Utc::now(), crate::actor::current())?;
    tracing::info!(sen = %created.sen_number, level = %created.level, "SEN created by hand");
    events::changed(&app, Topic::Sens);
    detail(&store, &created.sen_number)
}

/// What an intake (e-mail or pasted subject) read, and what it became.
#[derive(Serialize)]
pub struct Intake {
    /// True when the SEN was recorded by this call (false for a dry run).
    stored: bool,
    /// Set when a SEN with this number is already recorded; nothing was changed.
    already_recorded: bool,
    notice: SenNoticeView,
    /// The SEN as recorded, or as it would be (dry run), with its clock.
    card: SenCardView,
}

fn take_in(
    app: &AppHandle,
    store: &Store,
    notice: intake::SenNotice,
    source: Source,
    dry_run: bool,
) -> CmdResult<Intake> {
    let (calendar, settings) = clock(store)?;
    let now = Utc::now();
    let card_of = |record: Sen| SenCardView::from(sen::card(record, &calendar, settings.escalation_clock, now));
    let new = notice.clone().into_new_sen(source);
    let notice = SenNoticeView::from(notice);
    match sen_store::take_in(store.conn(), new, dry_run, now, crate::actor::current())? {
        SenIntake::Unsaved(record) => {
            Ok(Intake { stored: false, already_recorded: false, notice, card: card_of(record) })
        }
        // A dry run shows what is recorded; recording it again is refused with its own code.
        SenIntake::AlreadyRecorded(existing) if dry_run => {
            Ok(Intake { stored: false, already_recorded: true, notice, card: card_of(existing) })
        }
        SenIntake::AlreadyRecorded(existing) => {
            Err(IpcError::new("sen_already_recorded", sen_store::already_recorded_message(&existing)))
        }
        SenIntake::Recorded(created) => {
            tracing::info!(sen = %created.sen_number, level = %created.level, source = source.as_str(), "SEN recorded from intake");
            events::changed(app, Topic::Sens);
            Ok(Intake { stored: true, already_recorded: false, notice, card: card_of(created) })
        }
    }
}

/// A mail file's bytes, .eml or Outlook .msg (dropped on the window or picked; `file_name` helps
/// name a broken .msg). Mail that is not a SEN notification is refused with the reason; nothing is
/// stored then, nor with `dry_run`.
#[tauri::command]
pub fn sen_import_eml(
    app: AppHandle,
    state: State<'_, AppState>,
    bytes: Vec<u8>,
    dry_run: bool,
    file_name: Option<String>,
) -> CmdResult<Intake> {
    let notice = intake::parse_mail(&bytes, file_name.as_deref())?;
    take_in(&app, &state.store(), notice, Source::Email, dry_run)
}

/// A pasted subject line; `sent_at` (RFC 3339 or wall-clock in the calendar's zone) defaults to now.
#[tauri::command]
pub fn sen_from_subject(
    app: AppHandle,
    state: State<'_, AppState>,
    subject: String,
    sent_at: Option<String>,
    dry_run: bool,
) -> CmdResult<Intake> {
    let store = state.store();
    let (calendar, _) = clock(&store)?;
    let sent_at = match sent_at.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => calendar.parse_time(text).map_err(|m| Error::invalid("sent_at", m))?,
        None => Utc::now(),
    };
    let notice = intake::notice_from_subject(&subject, sent_at).map_err(|e| match e {
        Error::Unreadable(message) => Error::invalid("subject", message),
        other => other,
    })?;
    take_in(&app, &store, notice, Source::Paste, dry_run)
}

/// The response text as far as `values` fill it, for the live preview.
#[tauri::command]
pub fn sen_response_preview(format: String, values: BTreeMap<String, String>) -> CmdResult<PreviewView> {
    let format = responses::format(&format)
        .ok_or_else(|| Error::invalid("format", format!("\u{201c}{format}\u{201d} is not a response format")))?;
    Ok(responses::preview(format, &values).into())
}

#[derive(Serialize)]
pub struct Acknowledged {
    /// The finished response text, to paste into Cal-CSIRS (it is also queued for the portal).
    text: String,
    detail: SenDetail,
}

#[tauri::command]
pub fn sen_acknowledge(
    app: AppHandle,
    state: State<'_, AppState>,
    sen_number: String,
    format: String,
    values: BTreeMap<String, String>,
) -> CmdResult<Acknowledged> {
    let store = state.store();
    let conn = store.conn();
    let sen_number = SenNumber::parse(&sen_number)?;
    let record = sen_store::acknowledge(conn, &sen_number, &format, &values, Utc::now(), crate::actor::current())?;
    tracing::info!(sen = %record.sen_number, format = %format, "SEN acknowledged");
    events::changed(&app, Topic::Sens);
    events::changed(&app, Topic::Outbox);
    let text = record.ack_text.clone().unwrap_or_default();
    Ok(Acknowledged { text, detail: detail(&store, &record.sen_number)? })
}

/// A determination; `findings_by` (with "more time") is RFC 3339 or wall-clock in the calendar's zone.
#[derive(Deserialize)]
pub struct DeterminationInput {
    outcome: Outcome,
    details: String,
    #[serde(default)]
    findings_by: Option<String>,
}

#[tauri::command]
pub fn sen_determine(
    app: AppHandle,
    state: State<'_, AppState>,
    sen_number: String,
    determination: DeterminationInput,
) -> CmdResult<SenDetail> {
    let store = state.store();
    let conn = store.conn();
    let (calendar, _) = clock(&store)?;
    let findings_by = match determination.findings_by.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => Some(calendar.parse_time(text).map_err(|m| Error::invalid("findings_by", m))?),
        None => None,
    };
    let sen_number = SenNumber::parse(&sen_number)?;
    let record = sen_store::determine(
        conn,
        &sen_number,
        Determination { outcome: determination.outcome, details: determination.details, findings_by },
        Utc::now(),
        crate::actor::current(),
    )?;
    tracing::info!(sen = %record.sen_number, outcome = determination.outcome.as_str(), "SEN determination recorded");
    events::changed(&app, Topic::Sens);
    events::changed(&app, Topic::Outbox);
    detail(&store, &record.sen_number)
}

/// Incident reports a confirmed SEN can be associated with, newest first.
#[tauri::command]
pub fn sen_linkable_reports(state: State<'_, AppState>) -> CmdResult<Vec<ReportSummaryView>> {
    Ok(report::list(state.store().conn(), &ListQuery::default())?.into_iter().map(Into::into).collect())
}

#[tauri::command]
pub fn sen_link_report(
    app: AppHandle,
    state: State<'_, AppState>,
    sen_number: String,
    report_id: String,
) -> CmdResult<SenDetail> {
    let store = state.store();
    let conn = store.conn();
    let sen_number = SenNumber::parse(&sen_number)?;
    let report_id = ReportId::parse(&report_id)?;
    let record = sen_store::link_report(conn, &sen_number, &report_id, Utc::now(), crate::actor::current())?;
    tracing::info!(sen = %record.sen_number, report = %report_id, "SEN associated with an incident report");
    events::changed(&app, Topic::Sens);
    events::changed(&app, Topic::Outbox);
    detail(&store, &record.sen_number)
}

#[derive(Serialize)]
pub struct SenSettingsView {
    settings: SenSettingsValues,
    /// The seed's words behind the escalation-clock reading, shown next to the setting.
    escalation_clock_seed_words: &'static str,
    escalation_clock_options: [EscalationClockOption; 2],
}

#[derive(Serialize)]
pub struct EscalationClockOption {
    id: &'static str,
    label: &'static str,
}

fn settings_view(settings: SenSettings) -> SenSettingsView {
    SenSettingsView {
        settings: settings.into(),
        escalation_clock_seed_words: ESCALATION_CLOCK_SEED_WORDS,
        escalation_clock_options: [
            EscalationClockOption {
                id: escalation_clock(EscalationClock::SameAsWindow),
                label: "Same clock as the response window (business hours for High and Medium) \u{2014} default",
            },
            EscalationClockOption {
                id: escalation_clock(EscalationClock::LiteralClockHours),
                label: "Literal clock hours for every level, as III.G.2 is worded",
            },
        ],
    }
}

#[tauri::command]
pub fn sen_settings_get(state: State<'_, AppState>) -> CmdResult<SenSettingsView> {
    Ok(settings_view(sen::load_settings(state.store().conn())?))
}

#[tauri::command]
pub fn sen_settings_save(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: SenSettings,
) -> CmdResult<SenSettingsView> {
    let saved = sen::save_settings(state.store().conn(), settings, Utc::now())?;
    tracing::info!(escalation_clock = ?saved.escalation_clock, "SEN settings saved");
    events::changed(&app, Topic::Settings);
    events::changed(&app, Topic::Sens);
    Ok(settings_view(saved))
}
