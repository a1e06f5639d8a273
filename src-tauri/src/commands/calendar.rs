//! The business calendar in Settings: weekly hours, time zone, California holidays, closure days,
//! iCalendar import, and the closed days of a year. Thin adapters over `desk_core::calendar`.

use super::views::calendar::{BusinessCalendarView, ClosedDayView};
use crate::events::{self, Topic};
use crate::ipc::CmdResult;
use crate::state::AppState;
use chrono::Utc;
use desk_core::calendar::{self, BusinessCalendar, BUSINESS_HOURS_SEED_WORDS, HOLIDAYS_SOURCE};
use serde::Serialize;
use tauri::{AppHandle, State};

#[derive(Serialize)]
pub struct CalendarView {
    calendar: BusinessCalendarView,
    /// The seed's words behind the business-hours reading, shown next to the settings.
    seed_words: &'static str,
    /// Where the state holiday list comes from, and how a holiday the state adds is added (an edit).
    holidays_source: &'static str,
    default_time_zone: &'static str,
    /// Every accepted IANA zone name, for suggestions.
    time_zones: Vec<&'static str>,
}

fn view(calendar: BusinessCalendar) -> CalendarView {
    CalendarView {
        calendar: calendar.into(),
        seed_words: BUSINESS_HOURS_SEED_WORDS,
        holidays_source: HOLIDAYS_SOURCE,
        default_time_zone: calendar::DEFAULT_TIME_ZONE,
        time_zones: calendar::time_zone_names(),
    }
}

#[tauri::command]
pub fn calendar_get(state: State<'_, AppState>) -> CmdResult<CalendarView> {
    Ok(view(calendar::load(state.store().conn())?))
}

/// Validates and stores the calendar; on any invalid field nothing is written and every problem
/// comes back under its field (`hours.monday.close`, `closures.3.label`, `time_zone`).
#[tauri::command]
pub fn calendar_save(
    app: AppHandle,
    state: State<'_, AppState>,
    calendar: BusinessCalendar,
) -> CmdResult<CalendarView> {
    let saved = calendar::save(state.store().conn(), calendar, Utc::now())?;
    tracing::info!(time_zone = %saved.time_zone, closures = saved.closures.len(), "calendar saved");
    events::changed(&app, Topic::Settings);
    // Every business-hour deadline depends on the calendar.
    events::changed(&app, Topic::Sens);
    Ok(view(saved))
}

#[derive(Serialize)]
pub struct Imported {
    /// Closure days the file added (dates already closed keep their label).
    added: usize,
    /// All-day events read from the file.
    read: usize,
    saved: CalendarView,
}

/// Merges the closure days of an iCalendar file into `calendar` (the form as it stands, so edits
/// not saved yet are kept) and saves the result.
#[tauri::command]
pub fn calendar_import_ics(
    app: AppHandle,
    state: State<'_, AppState>,
    calendar: BusinessCalendar,
    text: String,
) -> CmdResult<Imported> {
    let calendar::IcsMerge { added, read, merged, .. } = calendar::merge_ics(calendar, &text)?;
    let saved = calendar::save(state.store().conn(), merged, Utc::now())?;
    tracing::info!(added, read, "closure days imported from iCalendar");
    events::changed(&app, Topic::Settings);
    events::changed(&app, Topic::Sens);
    Ok(Imported { added, read, saved: view(saved) })
}

/// Holidays and closures of `year`, of `calendar` when given (the form being edited), else of the
/// stored calendar.
#[tauri::command]
pub fn calendar_closed_days(
    state: State<'_, AppState>,
    year: i32,
    calendar: Option<BusinessCalendar>,
) -> CmdResult<Vec<ClosedDayView>> {
    if !(1900..=2999).contains(&year) {
        return Err(desk_core::Error::invalid("year", "choose a year between 1900 and 2999").into());
    }
    let calendar = match calendar {
        Some(c) => c,
        None => calendar::load(state.store().conn())?,
    };
    Ok(calendar.closed_days(year).into_iter().map(Into::into).collect())
}
