//! Helpers every family of this binary uses: times written the way the tables of the sources
//! write them, and the default business calendar.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::America::Los_Angeles;
use desk_core::calendar::{BusinessCalendar, CompiledCalendar};
use desk_core::sen::deadlines::{schedule, Schedule, SenTimes};
use desk_core::sen::levels::{self, EscalationClock};

/// Wall-clock time in Sacramento, "2026-03-06 16:00".
pub fn la(s: &str) -> DateTime<Utc> {
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time");
    Los_Angeles.from_local_datetime(&naive).earliest().expect("exists").with_timezone(&Utc)
}

/// An RFC 3339 time, as UTC.
pub fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("rfc3339").with_timezone(&Utc)
}

/// The default calendar: Mon-Fri 08:00-17:00 America/Los_Angeles, California state holidays.
pub fn default_calendar() -> CompiledCalendar {
    BusinessCalendar::default().compile().expect("default calendar compiles")
}

/// Who the tests' history rows are recorded as.
pub fn actor() -> desk_core::audit::Actor {
    desk_core::audit::Actor::new("tester", "test-host")
}

/// A SEN sent at `at`, nothing done yet.
pub fn sent(at: DateTime<Utc>) -> SenTimes {
    SenTimes { sent_at: at, acknowledged_at: None, determination: None, linked_at: None }
}

/// The schedule of a `level` SEN on the default calendar, escalations on the window's clock.
pub fn plan(level: &str, times: &SenTimes) -> Schedule {
    plan_with(level, times, EscalationClock::SameAsWindow)
}

/// [`plan`] with the escalation clock given.
pub fn plan_with(level: &str, times: &SenTimes, clock: EscalationClock) -> Schedule {
    schedule(levels::rule(level).expect("level"), &default_calendar(), times, clock)
}

/// A SEN number as the window or the CLI gives it: through the one check.
pub fn sen_number(text: &str) -> desk_core::sen::SenNumber {
    desk_core::sen::SenNumber::parse(text).expect("SEN number")
}

/// The profile a report needs to go out: an entity and a reporting person with a phone.
pub fn profile() -> desk_core::profile::Profile {
    use desk_core::profile::{Contact, Entity, Profile};
    Profile {
        entity: Entity { name: "Department of Examples".into(), address: String::new() },
        reporting_person: Contact {
            name: "Rita Reporter".into(),
            phones: vec!["(916) 555-0101".into()],
            ..Contact::default()
        },
        ..Profile::default()
    }
}
