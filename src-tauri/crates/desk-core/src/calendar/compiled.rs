//! Business-hour arithmetic on a compiled calendar.
//!
//! Everything is counted in local wall-clock time (a 08:00-17:00 day is 9 hours even on a DST change
//! day), so the work happens on naive local day numbers and nanoseconds since local midnight, with
//! one zone lookup on the way in and one on the way out. Closed days come from a precomputed bitset
//! (whole years of holidays and closures), so each day costs a few integer operations.

use super::{california_holiday_on, parse_time_of_day, BusinessCalendar};
use crate::error::{Error, Result};
use chrono::{
    DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::str::FromStr;

const NANOS_PER_SEC: i64 = 1_000_000_000;
const NANOS_PER_MINUTE: i64 = 60 * NANOS_PER_SEC;
const NANOS_PER_DAY: i64 = 86_400 * NANOS_PER_SEC;
/// Years whose closed days are precomputed; outside them the rules are evaluated day by day.
const BITSET_FIRST_YEAR: i32 = 2000;
const BITSET_LAST_YEAR: i32 = 2150;

/// Whether business time runs at an instant, and the next instant that changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusinessClock {
    pub running: bool,
    pub until: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct CompiledCalendar {
    tz: Tz,
    /// Opening and closing per weekday (Monday first), nanoseconds since local midnight.
    hours: [Option<(i64, i64)>; 7],
    california_holidays: bool,
    closures: BTreeMap<NaiveDate, String>,
    /// Bit i set = day `bitset_first_day + i` (days from CE) is closed by a holiday or closure.
    closed_bits: Vec<u64>,
    bitset_first_day: i32,
    bitset_days: i32,
}

impl CompiledCalendar {
    pub fn new(calendar: &BusinessCalendar) -> Result<CompiledCalendar> {
        let errors = calendar.validate();
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let tz =
            Tz::from_str(calendar.time_zone.trim()).map_err(|_| Error::invalid("time_zone", "not a time zone name"))?;
        let mut hours = [None; 7];
        for (weekday, _) in super::WeeklyHours::DAYS {
            if let Some(h) = calendar.hours.day(weekday) {
                let open = parse_time_of_day(&h.open).map_err(|m| Error::invalid("hours", m))?;
                let close = parse_time_of_day(&h.close).map_err(|m| Error::invalid("hours", m))?;
                hours[weekday.num_days_from_monday() as usize] = Some((nanos_of_day(open), nanos_of_day(close)));
            }
        }
        // State holidays added by edit close like the ones computed by rule (with them on); an
        // entity closure on the same date keeps its own name.
        let added = calendar.added_state_holidays.iter().filter(|_| calendar.california_holidays);
        let closures: BTreeMap<NaiveDate, String> =
            added.chain(calendar.closures.iter()).map(|c| (c.date, c.label.clone())).collect();
        let first = day_number(NaiveDate::from_ymd_opt(BITSET_FIRST_YEAR, 1, 1).ok_or_else(range_error)?);
        let end = day_number(NaiveDate::from_ymd_opt(BITSET_LAST_YEAR + 1, 1, 1).ok_or_else(range_error)?);
        let mut compiled = CompiledCalendar {
            tz,
            hours,
            california_holidays: calendar.california_holidays,
            closures,
            closed_bits: vec![0; ((end - first) as usize).div_ceil(64)],
            bitset_first_day: first,
            bitset_days: end - first,
        };
        let mut closed: Vec<NaiveDate> = compiled.closures.keys().copied().collect();
        if compiled.california_holidays {
            for year in BITSET_FIRST_YEAR..=BITSET_LAST_YEAR {
                closed.extend(super::california_holidays(year).into_iter().map(|h| h.observed));
            }
        }
        for date in closed {
            let i = day_number(date) - first;
            if (0..compiled.bitset_days).contains(&i) {
                compiled.closed_bits[(i / 64) as usize] |= 1 << (i % 64);
            }
        }
        Ok(compiled)
    }

    pub fn time_zone(&self) -> Tz {
        self.tz
    }

    /// True when `date` is a holiday or closure day (whatever its weekday).
    pub fn is_closed_day(&self, date: NaiveDate) -> bool {
        self.is_closed_day_number(day_number(date))
    }

    /// Why `date` is closed, if it is a holiday or closure day.
    pub fn closure_reason(&self, date: NaiveDate) -> Option<String> {
        if let Some(label) = self.closures.get(&date) {
            return Some(label.clone());
        }
        if self.california_holidays {
            return california_holiday_on(date).map(|h| h.label());
        }
        None
    }

    /// True when `date` has opening hours and is not closed.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        self.open_hours_of_day(day_number(date)).is_some()
    }

    /// True when `instant` falls inside business hours (opening inclusive, closing exclusive).
    pub fn is_open_at(&self, instant: DateTime<Utc>) -> bool {
        let (day, pos) = self.local_position(instant);
        self.open_hours_of_day(day).is_some_and(|(open, close)| open <= pos && pos < close)
    }

    /// `start` plus `minutes` business minutes. Time outside business hours does not count; a start
    /// outside hours counts from the next opening; a result landing exactly on closing time is that
    /// closing time. Zero minutes returns `start` unchanged.
    pub fn add_business_minutes(&self, start: DateTime<Utc>, minutes: u32) -> DateTime<Utc> {
        if minutes == 0 {
            return start;
        }
        let (mut day, mut pos) = self.local_position(start);
        let mut remaining = i128::from(minutes) * i128::from(NANOS_PER_MINUTE);
        loop {
            if let Some((open, close)) = self.open_hours_of_day(day) {
                let cursor = pos.max(open);
                if cursor < close {
                    let available = i128::from(close - cursor);
                    if remaining <= available {
                        let end = self.to_instant(day, cursor + remaining as i64);
                        // In the repeated autumn hour the wall time maps to two instants; the
                        // earlier one can precede a start in the second pass: take the later.
                        return if end < start { self.latest_instant(day, cursor + remaining as i64) } else { end };
                    }
                    remaining -= available;
                }
            }
            day += 1;
            pos = 0;
        }
    }

    /// Reference implementation of [`Self::add_business_minutes`]: walks one wall-clock minute at a
    /// time and evaluates the holiday rules directly (no bitset). Slow on purpose; tests and the
    /// benchmark compare the fast version against it. A start with seconds is first rounded up to
    /// the next whole minute, so the two agree on whole-minute starts.
    pub fn add_business_minutes_reference(&self, start: DateTime<Utc>, minutes: u32) -> DateTime<Utc> {
        if minutes == 0 {
            return start;
        }
        let local = start.with_timezone(&self.tz).naive_local();
        let mut t = local.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(local);
        if t < local {
            t += TimeDelta::minutes(1);
        }
        let mut day_cache: Option<(NaiveDate, Option<(i64, i64)>)> = None;
        let mut left = minutes;
        while left > 0 {
            let date = t.date();
            let hours = match day_cache {
                Some((cached, hours)) if cached == date => hours,
                _ => {
                    let hours = self.open_hours_by_rule(date);
                    day_cache = Some((date, hours));
                    hours
                }
            };
            let pos = nanos_of_day(t.time());
            if hours.is_some_and(|(open, close)| open <= pos && pos < close) {
                left -= 1;
            }
            t += TimeDelta::minutes(1);
        }
        self.naive_to_instant(t)
    }

    /// Business minutes from `from` to `to` (0 when `to` is not after `from`), whole minutes rounded down.
    pub fn business_minutes_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        self.business_time_between(from, to).num_minutes()
    }

    /// Business time from `from` to `to`, exact to the nanosecond (zero when `to` is not after `from`).
    pub fn business_time_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeDelta {
        if to <= from {
            return TimeDelta::zero();
        }
        let (mut day, mut pos) = self.local_position(from);
        let (end_day, end_pos) = self.local_position(to);
        let mut total: i128 = 0;
        while day <= end_day {
            if let Some((open, close)) = self.open_hours_of_day(day) {
                let lo = pos.max(open);
                let hi = if day == end_day { end_pos.min(close) } else { close };
                if hi > lo {
                    total += i128::from(hi - lo);
                }
            }
            day += 1;
            pos = 0;
        }
        let total = i64::try_from(total).unwrap_or(i64::MAX);
        TimeDelta::nanoseconds(total)
    }

    /// Whether business time runs at `instant`, and until when that holds: the day's closing while
    /// open, the next opening while closed. A page counts business time down on its own until then.
    pub fn business_clock_at(&self, instant: DateTime<Utc>) -> BusinessClock {
        let (day, pos) = self.local_position(instant);
        match self.open_hours_of_day(day) {
            Some((open, close)) if open <= pos && pos < close => {
                BusinessClock { running: true, until: self.to_instant(day, close) }
            }
            _ => BusinessClock { running: false, until: self.next_opening(instant) },
        }
    }

    /// The first business instant at or after `instant`.
    pub fn next_opening(&self, instant: DateTime<Utc>) -> DateTime<Utc> {
        let (mut day, mut pos) = self.local_position(instant);
        loop {
            if let Some((open, close)) = self.open_hours_of_day(day) {
                if pos < close {
                    return if pos >= open { instant } else { self.to_instant(day, open) };
                }
            }
            day += 1;
            pos = 0;
        }
    }

    /// `instant` in the calendar's zone, e.g. "Mon 2026-03-09 09:00 PDT", for messages and the CLI.
    pub fn format_local(&self, instant: DateTime<Utc>) -> String {
        instant.with_timezone(&self.tz).format("%a %Y-%m-%d %H:%M %Z").to_string()
    }

    /// `instant` as RFC 3339 with the calendar zone's offset, for the edges (IPC, CLI JSON).
    pub fn to_local_rfc3339(&self, instant: DateTime<Utc>) -> String {
        instant.with_timezone(&self.tz).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    }

    /// A time a person typed or a script passed: RFC 3339 with an offset (`2026-03-09T09:00:00-07:00`,
    /// `…Z`), or a wall-clock time in the calendar's zone (`2026-03-09T09:00`, `2026-03-09 09:00`,
    /// seconds optional), as an `<input type=datetime-local>` sends it.
    pub fn parse_time(&self, text: &str) -> std::result::Result<DateTime<Utc>, String> {
        let v = text.trim();
        if v.is_empty() {
            return Err("enter a date and time".into());
        }
        if let Ok(t) = DateTime::parse_from_rfc3339(v) {
            return Ok(t.with_timezone(&Utc));
        }
        for pattern in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"] {
            if let Ok(naive) = NaiveDateTime::parse_from_str(v, pattern) {
                return Ok(self.naive_to_instant(naive));
            }
        }
        Err(format!(
            "\u{201c}{v}\u{201d} is not a date and time (use 2026-03-09T09:00 in {}, or RFC 3339 with an offset)",
            self.tz.name()
        ))
    }

    /// Wall-clock `date` + `time` in the calendar zone as an instant (earliest of an ambiguous time;
    /// a time skipped by a spring-forward change maps to the first instant after the gap).
    pub fn local_to_instant(&self, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
        self.naive_to_instant(date.and_time(time))
    }

    fn local_position(&self, instant: DateTime<Utc>) -> (i32, i64) {
        let local = instant.with_timezone(&self.tz).naive_local();
        (day_number(local.date()), nanos_of_day(local.time()))
    }

    fn open_hours_of_day(&self, day: i32) -> Option<(i64, i64)> {
        let hours = self.hours[weekday_index(day)]?;
        if self.is_closed_day_number(day) {
            None
        } else {
            Some(hours)
        }
    }

    fn is_closed_day_number(&self, day: i32) -> bool {
        let i = day - self.bitset_first_day;
        if (0..self.bitset_days).contains(&i) {
            self.closed_bits[(i / 64) as usize] & (1 << (i % 64)) != 0
        } else {
            NaiveDate::from_num_days_from_ce_opt(day).is_some_and(|date| self.is_closed_by_rule(date))
        }
    }

    fn is_closed_by_rule(&self, date: NaiveDate) -> bool {
        self.closures.contains_key(&date) || (self.california_holidays && california_holiday_on(date).is_some())
    }

    fn open_hours_by_rule(&self, date: NaiveDate) -> Option<(i64, i64)> {
        let hours = self.hours[date.weekday().num_days_from_monday() as usize]?;
        if self.is_closed_by_rule(date) {
            None
        } else {
            Some(hours)
        }
    }

    /// [`Self::to_instant`], resolving a repeated wall time to its later instant.
    fn latest_instant(&self, day: i32, nanos: i64) -> DateTime<Utc> {
        let earliest = self.to_instant(day, nanos);
        let naive = earliest.with_timezone(&self.tz).naive_local();
        match self.tz.from_local_datetime(&naive) {
            LocalResult::Ambiguous(_, latest) => latest.with_timezone(&Utc),
            _ => earliest,
        }
    }

    fn to_instant(&self, day: i32, nanos: i64) -> DateTime<Utc> {
        let day = day + nanos.div_euclid(NANOS_PER_DAY) as i32;
        let nanos = nanos.rem_euclid(NANOS_PER_DAY);
        let Some(date) = NaiveDate::from_num_days_from_ce_opt(day) else {
            return DateTime::<Utc>::MAX_UTC;
        };
        let secs = (nanos / NANOS_PER_SEC) as u32;
        let sub = (nanos % NANOS_PER_SEC) as u32;
        let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, sub).unwrap_or(NaiveTime::MIN);
        self.naive_to_instant(date.and_time(time))
    }

    fn naive_to_instant(&self, naive: NaiveDateTime) -> DateTime<Utc> {
        // Skipped wall times (spring forward) resolve to the first instant after the gap.
        let mut probe = naive;
        for _ in 0..16 {
            match self.tz.from_local_datetime(&probe) {
                LocalResult::Single(t) => return t.with_timezone(&Utc),
                LocalResult::Ambiguous(earliest, _) => return earliest.with_timezone(&Utc),
                LocalResult::None => probe += TimeDelta::minutes(15),
            }
        }
        naive.and_utc()
    }
}

fn range_error() -> Error {
    Error::Internal("calendar year range out of chrono's range".into())
}

fn day_number(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

/// Monday = 0. Day 1 from CE (0001-01-01) was a Monday.
fn weekday_index(day: i32) -> usize {
    (day - 1).rem_euclid(7) as usize
}

fn nanos_of_day(time: NaiveTime) -> i64 {
    // Leap-second nanoseconds (>= 1e9) are clamped into the same second.
    i64::from(time.num_seconds_from_midnight()) * NANOS_PER_SEC + i64::from(time.nanosecond().min(999_999_999))
}
