//! Closure days from an iCalendar (.ics) file, e.g. an entity's "office closed" calendar exported
//! from Outlook or Google Calendar. All-day events (single or multi-day) become closure dates.
//!
//! Events with a time of day are refused rather than guessed at: a two-hour meeting is not a
//! closure, and silently dropping it would hide that the wrong calendar was exported.

use super::Closure;
use crate::error::{Error, Result};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use icalendar::parser::{read_calendar, unfold, Component};
use icalendar::{CalendarDateTime, DatePerhapsTime};

/// The longest event accepted as closure days; anything longer is almost certainly a mistake.
const MAX_EVENT_DAYS: i64 = 366;

/// Closure dates outside these years are refused: the deadline arithmetic covers 2000-2150, and a
/// date like 9999-12-31 is a typo or a hostile file, never an office closure.
const FIRST_YEAR: i32 = 1970;
const LAST_YEAR: i32 = 2200;

/// Parses an iCalendar document into closure days, in date order, one per date (first label wins).
/// Cancelled events are skipped. Errors name the line or the event.
pub fn import_ics(text: &str) -> Result<Vec<Closure>> {
    crate::limits::check_len(text.len(), crate::limits::ICS_MAX, crate::limits::ICS_WHAT, "the file")?;
    let text = text.trim_start_matches('\u{feff}');
    let first_line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    if !first_line.eq_ignore_ascii_case("BEGIN:VCALENDAR") {
        return Err(Error::Unreadable("not an iCalendar file: line 1 should be BEGIN:VCALENDAR".to_string()));
    }
    check_nesting(text)?;
    let unfolded = unfold(text);
    let calendar = read_calendar(&unfolded).map_err(|e| Error::Unreadable(describe_parse_error(&e, text)))?;
    let event_lines = event_start_lines(text);
    let mut events = Vec::new();
    collect_events(&calendar.components, &mut events);
    let mut closures: Vec<Closure> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (index, event) in events.iter().enumerate() {
        let line = event_lines.get(index).copied();
        // One pass with a set of dates (linear): the first event naming a date gives its label.
        closures.extend(event_closures(event, index + 1, line)?.into_iter().filter(|c| seen.insert(c.date)));
    }
    closures.sort();
    Ok(closures)
}

/// Deepest nesting of components read: VCALENDAR > VEVENT > VALARM is three; time zones add a
/// level. The parser recurses per level, so deeper nesting is refused before it runs.
const MAX_NESTING: usize = 8;

/// Refuses components nested deeper than [`MAX_NESTING`], naming the line (in the file as given).
fn check_nesting(text: &str) -> Result<()> {
    let mut depth = 0usize;
    for (index, line) in text.lines().enumerate() {
        let line = line.trim_start();
        let keyword = |word: &str| line.get(..word.len()).is_some_and(|head| head.eq_ignore_ascii_case(word));
        if keyword("BEGIN:") {
            depth += 1;
            if depth > MAX_NESTING {
                return Err(Error::Unreadable(format!(
                    "line {}: components nested more than {MAX_NESTING} deep; a calendar export nests at most a few",
                    index + 1
                )));
            }
        } else if keyword("END:") {
            depth = depth.saturating_sub(1);
        }
    }
    Ok(())
}

fn collect_events<'a>(components: &'a [Component<'a>], out: &mut Vec<&'a Component<'a>>) {
    for component in components {
        if component.name.as_str().eq_ignore_ascii_case("VEVENT") {
            out.push(component);
        }
        collect_events(&component.components, out);
    }
}

/// 1-based line numbers (in the file as given) of each BEGIN:VEVENT, in order.
fn event_start_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim().eq_ignore_ascii_case("BEGIN:VEVENT"))
        .map(|(i, _)| i + 1)
        .collect()
}

fn event_closures(event: &Component<'_>, number: usize, line: Option<usize>) -> Result<Vec<Closure>> {
    let prop = |name: &str| event.find_prop(name).map(|p| icalendar::Property::from(p.clone()));
    let summary = prop("SUMMARY")
        .map(|p| unescape(p.value()).chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>())
        .filter(|s| !s.trim().is_empty());
    let name = match (&summary, line) {
        (Some(s), Some(l)) => format!("event {number} \u{201c}{s}\u{201d} (line {l})"),
        (Some(s), None) => format!("event {number} \u{201c}{s}\u{201d}"),
        (None, Some(l)) => format!("event {number} (line {l})"),
        (None, None) => format!("event {number}"),
    };
    let fail = |why: String| Error::Unreadable(format!("{name}: {why}"));
    if prop("STATUS").is_some_and(|p| p.value().trim().eq_ignore_ascii_case("CANCELLED")) {
        return Ok(Vec::new());
    }
    if prop("RRULE").is_some() {
        return Err(fail(
            "repeats (RRULE); repeating events are not imported: export single dates or add them by hand".into(),
        ));
    }
    let start_prop = prop("DTSTART").ok_or_else(|| fail("has no DTSTART".into()))?;
    let start = DatePerhapsTime::from_property(&start_prop)
        .ok_or_else(|| fail(format!("DTSTART \u{201c}{}\u{201d} is not a date", shown(start_prop.value()))))?;
    let start = all_day(&start).ok_or_else(|| {
        fail(format!(
            "has a time of day (DTSTART {}); only all-day events can be closure days",
            shown(start_prop.value())
        ))
    })?;
    check_year(start, "DTSTART", &fail)?;
    let end = if let Some(end_prop) = prop("DTEND") {
        let end = DatePerhapsTime::from_property(&end_prop)
            .ok_or_else(|| fail(format!("DTEND \u{201c}{}\u{201d} is not a date", shown(end_prop.value()))))?;
        let end = all_day(&end).ok_or_else(|| {
            fail(format!(
                "has a time of day (DTEND {}); only all-day events can be closure days",
                shown(end_prop.value())
            ))
        })?;
        check_year(end, "DTEND", &fail)?;
        end
    } else if let Some(duration) = prop("DURATION") {
        let days = duration_days(duration.value())
            .ok_or_else(|| fail(format!("DURATION {} is not a whole number of days", shown(duration.value()))))?;
        if days > MAX_EVENT_DAYS {
            return Err(fail(format!(
                "DURATION {} lasts {days} days; at most {MAX_EVENT_DAYS} are imported as closure days",
                shown(duration.value())
            )));
        }
        add_days(start, days).ok_or_else(|| fail(format!("DURATION {} ends past any date", shown(duration.value()))))?
    } else {
        // RFC 5545 3.6.1: an all-day event without DTEND lasts one day.
        add_days(start, 1).ok_or_else(|| fail("starts on the last date there is".into()))?
    };
    let days = (end - start).num_days();
    if days <= 0 {
        return Err(fail(format!("ends ({end}) before it starts ({start})")));
    }
    if days > MAX_EVENT_DAYS {
        return Err(fail(format!("lasts {days} days; at most {MAX_EVENT_DAYS} are imported as closure days")));
    }
    let label = summary.unwrap_or_else(|| "Closed".to_string());
    let label: String = label.trim().chars().take(200).collect();
    Ok((0..days).filter_map(|i| add_days(start, i)).map(|date| Closure { date, label: label.clone() }).collect())
}

/// A value as quoted in a message: one line, at most 40 characters (a hostile file may put
/// anything in a property).
fn shown(value: &str) -> String {
    let flat: String = value.trim().chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if flat.chars().count() > 40 {
        format!("{}\u{2026}", flat.chars().take(39).collect::<String>())
    } else {
        flat
    }
}

/// `date + days`, or None past chrono's range (never a panic).
fn add_days(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    date.checked_add_signed(Duration::try_days(days)?)
}

fn check_year(date: NaiveDate, prop: &str, fail: &impl Fn(String) -> Error) -> Result<()> {
    let year = date.year();
    if (FIRST_YEAR..=LAST_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(fail(format!("{prop} {date} is outside the years {FIRST_YEAR} to {LAST_YEAR}")))
    }
}

/// The date of an all-day value: a DATE, or a local midnight (some exporters write all-day events
/// as midnight-to-midnight times). A UTC midnight is not a local midnight, so it does not count.
fn all_day(value: &DatePerhapsTime) -> Option<NaiveDate> {
    match value {
        DatePerhapsTime::Date(date) => Some(*date),
        DatePerhapsTime::DateTime(CalendarDateTime::Floating(t))
        | DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time: t, .. })
            if t.time() == NaiveTime::MIN =>
        {
            Some(t.date())
        }
        DatePerhapsTime::DateTime(_) => None,
    }
}

/// "P3D" / "P1W" → days; anything with hours or minutes is not a whole-day duration.
fn duration_days(value: &str) -> Option<i64> {
    let v = value.trim().strip_prefix('+').unwrap_or(value.trim());
    let body = v.strip_prefix('P')?;
    if let Some(weeks) = body.strip_suffix('W') {
        // Checked: "P9999999999999999W" is refused, not an overflow.
        return weeks.parse::<i64>().ok().and_then(|w| w.checked_mul(7));
    }
    let days =
        body.strip_suffix('D').or_else(|| body.strip_suffix("DT0S")).or_else(|| body.strip_suffix("DT0H0M0S"))?;
    days.parse::<i64>().ok()
}

fn unescape(value: &str) -> String {
    value.replace("\\n", " ").replace("\\N", " ").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
}

/// The parser reports a multi-line excerpt of the unfolded text; keep one line, with the line
/// number in the file as given.
fn describe_parse_error(raw: &str, original: &str) -> String {
    let unfolded_line = raw
        .split("at line ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse::<usize>().ok());
    let excerpt = raw.lines().map(str::trim).find(|l| {
        !l.is_empty() && !l.starts_with("error") && !l.starts_with('^') && !l.starts_with(|c: char| c.is_ascii_digit())
    });
    let Some(n) = unfolded_line else {
        return "not a readable iCalendar file".to_string();
    };
    let line = original_line(original, n);
    match excerpt {
        Some(text) if text.to_ascii_uppercase().starts_with("BEGIN:") => format!(
            "not a readable iCalendar file: the {} block starting at line {line} has a line that is not \u{201c}NAME:value\u{201d} or is never closed with END",
            &text[6..]
        ),
        Some(text) => format!("not a readable iCalendar file: line {line} is not valid: {text}"),
        None => format!("not a readable iCalendar file: problem at line {line}"),
    }
}

/// The line number in `original` of the `unfolded`-th line after unfolding (continuation lines,
/// which start with a space or tab, belong to the line before).
fn original_line(original: &str, unfolded: usize) -> usize {
    let mut logical = 0;
    for (i, line) in original.lines().enumerate() {
        if !line.starts_with([' ', '\t']) {
            logical += 1;
            if logical == unfolded {
                return i + 1;
            }
        }
    }
    unfolded
}
