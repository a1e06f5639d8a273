//! The deadline calendar feed: every open deadline as an iCalendar event, for Outlook or
//! Thunderbird to subscribe to (the shell writes it to `<data dir>/feeds/deadlines.ics`).
//!
//! - [`entries`] is pure: from what the reminder plan is computed of (open SENs with their
//!   schedules, reports not yet submitted, preferences) and the open CISO follow-ups, one entry per
//!   deadline with a stable UID (`sen-SOC-0123-acknowledge@incident-desk`) and alarms at the
//!   reminder times.
//! - [`build`] is pure: entries + the state last issued + `now` → the calendar text and the new
//!   state. A changed entry keeps its UID with SEQUENCE + 1; an entry gone (stage done, report
//!   submitted, follow-up closed) is issued once more with STATUS:CANCELLED and SEQUENCE + 1.
//! - [`refresh`] reads, builds and stores the state in one transaction, so SEQUENCE only grows,
//!   across restarts too.
//!
//! The feed leaves the window (a calendar server may sync it), so it never carries the SOC's
//! summary, a report's title or any report text: only SEN numbers, levels, stages and times.

use crate::error::{Error, Result};
use crate::fallback::{self, CallRecord};
use crate::reminders::pass::{self, Inputs};
use crate::reminders::{Point, Record, Subject};
use crate::report::Timeframe;
use crate::sen::Stage;
use crate::store::time::{parse_stored, stored};
use chrono::{DateTime, TimeDelta, Utc};
use icalendar::{Alarm, Calendar, Class, Component, EventLike, EventStatus, Trigger};
use rusqlite::{params, Connection};
use std::collections::{BTreeMap, BTreeSet};

/// Domain of every UID, so events of this feed never collide with others in the same calendar.
pub const UID_DOMAIN: &str = "incident-desk";
/// How long an event is shown in the calendar (deadlines are instants; clients want a block).
const EVENT_LENGTH: TimeDelta = TimeDelta::minutes(15);
/// A cancelled event stays in the feed this long, so every subscriber sees the cancellation.
const CANCELLED_KEPT: TimeDelta = TimeDelta::days(7);
/// How often subscribers are asked to fetch the feed again.
const REFRESH_MINUTES: i64 = 5;

/// One open deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    /// How long before `starts_at` each alarm rings (zero: at the deadline), latest first.
    pub alarms_before: Vec<TimeDelta>,
}

/// What was last issued for one UID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub sequence: u32,
    /// Hash of the content (everything but SEQUENCE and DTSTAMP).
    pub hash: String,
    /// When this sequence was issued (the event's DTSTAMP).
    pub issued_at: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub summary: String,
    pub cancelled_at: Option<DateTime<Utc>>,
}

/// UID → what was last issued.
pub type FeedState = BTreeMap<String, Issued>;

/// `SOC-0123` as it may appear in a UID (anything else becomes `_`).
fn uid_part(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') { c } else { '_' }).collect()
}

fn uid(parts: &[&str]) -> String {
    let joined: Vec<String> = parts.iter().map(|p| uid_part(p)).collect();
    format!("{}@{UID_DOMAIN}", joined.join("-"))
}

/// The first 8 characters of a report id: enough to find it, nothing of its content.
fn short_id(report_id: &str) -> String {
    report_id.chars().take(8).collect()
}

/// The UID of a SEN stage's deadline: `sen-SOC-0123-acknowledge@incident-desk`.
pub fn sen_stage_uid(sen_number: &str, stage: Stage) -> String {
    uid(&["sen", sen_number, stage.as_str()])
}

/// Every open deadline, ordered by UID. Alarms follow the reminder preferences (the same plan the
/// desktop reminders come from, with nothing counted as fired).
pub fn entries(inputs: &Inputs, follow_ups: &[CallRecord]) -> Vec<FeedEntry> {
    let plan = inputs.untexted_plan();
    // (record key, subject key) → alarm times, from the reminder plan.
    let mut alarm_times: BTreeMap<(String, &'static str), Vec<DateTime<Utc>>> = BTreeMap::new();
    for r in &plan {
        if matches!(r.point, Point::Escalation { .. }) {
            continue;
        }
        alarm_times.entry((r.record.key(), r.subject.key())).or_default().push(r.at);
    }
    let alarms_for = |record: &Record, subject: &'static str, due: DateTime<Utc>| -> Vec<TimeDelta> {
        let mut before: Vec<TimeDelta> = alarm_times
            .get(&(record.key(), subject))
            .map(|times| times.iter().map(|at| (due - *at).max(TimeDelta::zero())).collect())
            .unwrap_or_default();
        before.sort();
        before.dedup();
        before
    };
    let mut out = Vec::new();
    for sen in &inputs.sens {
        let record = Record::Sen { sen_number: sen.sen_number.clone() };
        let head = format!("SEN {} ({})", sen.sen_number, sen.level_label);
        for stage in &sen.schedule.stages {
            // A help request made in time: no deadline runs while the SOC helps.
            if stage.not_applicable || stage.completed_at.is_some() || stage.help_pending {
                continue;
            }
            // The record stage is owed only after a confirmed incident: not projected before.
            if stage.stage == Stage::Record && stage.projected_start {
                continue;
            }
            let (summary, description, alarms) = if stage.projected_start {
                (
                    format!("{head}: {} due (projected)", stage.stage.as_str()),
                    format!(
                        "SIMM 5335-A {} stage of SEN {}, projected from the previous stage's due time: it moves when that stage is done. Open Incident Desk to act on it.",
                        stage.stage.label(),
                        sen.sen_number
                    ),
                    Vec::new(),
                )
            } else {
                (
                    format!("{head}: {} due", stage.stage.as_str()),
                    format!(
                        "SIMM 5335-A {} stage of SEN {}. Open Incident Desk to act on it.",
                        stage.stage.label(),
                        sen.sen_number
                    ),
                    alarms_for(&record, stage.stage.as_str(), stage.due),
                )
            };
            out.push(FeedEntry {
                uid: sen_stage_uid(sen.sen_number.as_str(), stage.stage),
                summary,
                description,
                starts_at: stage.due,
                alarms_before: alarms,
            });
            if stage.projected_start {
                continue;
            }
            for e in sen.schedule.escalations.iter().filter(|e| e.stage == stage.stage && !e.averted) {
                let level = e.level.to_string();
                out.push(FeedEntry {
                    uid: uid(&["sen", sen.sen_number.as_str(), stage.stage.as_str(), "escalation", &level]),
                    summary: format!("{head}: {} escalation {} to {}", stage.stage.as_str(), e.level, e.recipients),
                    description: format!(
                        "SIMM 5335-A III.G escalation level {} of the {} stage of SEN {}, if it is still open then.",
                        e.level,
                        stage.stage.label(),
                        sen.sen_number
                    ),
                    starts_at: e.at,
                    alarms_before: if inputs.prefs.at_escalations { vec![TimeDelta::zero()] } else { Vec::new() },
                });
            }
        }
    }
    for report in &inputs.reports {
        let record = Record::Report { report_id: report.report_id.clone() };
        let short = short_id(report.report_id.as_str());
        if let Some(due) = report.deadlines.cal_csirs.due_at {
            out.push(FeedEntry {
                uid: uid(&["report", report.report_id.as_str(), "cal_csirs"]),
                summary: format!("Report {short}: Cal-CSIRS 60-minute deadline"),
                description: format!(
                    "Incident report {short}: \u{201c}All Incidents will be reported within 60 minutes of detection\u{201d} (CA-CND). Open Incident Desk to send it."
                ),
                starts_at: due,
                alarms_before: alarms_for(&record, Subject::CalCsirs.key(), due),
            });
        }
        if let Some(federal) = &report.deadlines.federal {
            if let (Timeframe::WithinHours { hours }, Some(due)) = (federal.timeframe, federal.due_at) {
                out.push(FeedEntry {
                    uid: uid(&["report", report.report_id.as_str(), "federal"]),
                    summary: format!("Report {short}: federal {} deadline ({hours} h)", federal.title),
                    description: format!(
                        "Incident report {short}: the US-CERT timeframe of {}. Open Incident Desk to send it.",
                        federal.title
                    ),
                    starts_at: due,
                    alarms_before: alarms_for(&record, "federal", due),
                });
            }
        }
    }
    for call in follow_ups.iter().filter(|c| c.follow_up_open()) {
        let Some(due) = call.ciso_due_at else {
            continue;
        };
        let id = call.id.to_string();
        out.push(FeedEntry {
            uid: uid(&["ciso-follow-up", &id]),
            summary: "CISO follow-up: notify the CISO of the incident reported to CHP ENTAC".to_string(),
            description: "An incident was reported to CHP ENTAC while Cal-CSIRS was unreachable: the CISO is to be notified the next business day. Open Incident Desk (Outbox) to record it.".to_string(),
            starts_at: due,
            alarms_before: vec![TimeDelta::zero()],
        });
    }
    out.sort_by(|a, b| a.uid.cmp(&b.uid));
    out.dedup_by(|a, b| a.uid == b.uid);
    out
}

/// FNV-1a, 64 bits: stable across builds and platforms (the hash is stored).
fn fnv1a(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn content_hash(entry: &FeedEntry) -> String {
    let alarms: Vec<String> = entry.alarms_before.iter().map(|d| d.num_seconds().to_string()).collect();
    fnv1a(&format!("{}\n{}\n{}\n{}", entry.summary, entry.description, entry.starts_at.timestamp(), alarms.join(",")))
}

/// What one event of the calendar says.
enum Shown<'a> {
    Open(&'a FeedEntry),
    Cancelled,
}

/// The calendar text for `entries` and the state to store, given what was issued before.
/// Deterministic: the same inputs give the same bytes (DTSTAMP is when the sequence was issued).
pub fn build(entries: &[FeedEntry], previous: &FeedState, now: DateTime<Utc>) -> (String, FeedState) {
    let mut next = FeedState::new();
    let mut shown: Vec<(String, Shown<'_>)> = Vec::new();
    let open: BTreeSet<&str> = entries.iter().map(|e| e.uid.as_str()).collect();
    for entry in entries {
        let hash = content_hash(entry);
        let issued = match previous.get(&entry.uid) {
            Some(prev) if prev.hash == hash && prev.cancelled_at.is_none() => prev.clone(),
            Some(prev) => Issued {
                sequence: prev.sequence.saturating_add(1),
                hash,
                issued_at: now,
                starts_at: entry.starts_at,
                summary: entry.summary.clone(),
                cancelled_at: None,
            },
            None => Issued {
                sequence: 0,
                hash,
                issued_at: now,
                starts_at: entry.starts_at,
                summary: entry.summary.clone(),
                cancelled_at: None,
            },
        };
        next.insert(entry.uid.clone(), issued);
        shown.push((entry.uid.clone(), Shown::Open(entry)));
    }
    for (uid, prev) in previous.iter().filter(|(uid, _)| !open.contains(uid.as_str())) {
        let issued = match prev.cancelled_at {
            Some(_) => prev.clone(),
            None => Issued {
                sequence: prev.sequence.saturating_add(1),
                issued_at: now,
                cancelled_at: Some(now),
                ..prev.clone()
            },
        };
        if issued.cancelled_at.is_some_and(|at| now - at < CANCELLED_KEPT) {
            shown.push((uid.clone(), Shown::Cancelled));
        }
        // Kept in the state even when no longer shown: should the UID come back, its SEQUENCE grows.
        next.insert(uid.clone(), issued);
    }
    shown.sort_by(|a, b| a.0.cmp(&b.0));

    let mut calendar = Calendar::empty();
    calendar
        .append_property(icalendar::Property::new("VERSION", "2.0"))
        .append_property(icalendar::Property::new("PRODID", "-//State of California//Incident Desk//EN"))
        .append_property(icalendar::Property::new("CALSCALE", "GREGORIAN"))
        .name("Incident Desk deadlines")
        .ttl(&TimeDelta::minutes(REFRESH_MINUTES));
    for (uid, what) in &shown {
        let Some(issued) = next.get(uid) else {
            continue;
        };
        let mut event = icalendar::Event::new();
        event
            .uid(uid)
            .sequence(issued.sequence)
            .timestamp(issued.issued_at)
            .class(Class::Private)
            .add_property("TRANSP", "TRANSPARENT");
        match what {
            Shown::Open(entry) => {
                event
                    .summary(&entry.summary)
                    .description(&entry.description)
                    .starts(entry.starts_at)
                    .ends(entry.starts_at + EVENT_LENGTH)
                    .status(EventStatus::Confirmed);
                for before in &entry.alarms_before {
                    // UID and DTSTAMP given, or the writer invents them (a random UID, the
                    // current time) and every refresh would differ.
                    let mut alarm = Alarm::display(&entry.summary, Trigger::before_start(*before));
                    alarm.uid(&format!("{uid}-alarm-{}", before.num_seconds())).timestamp(issued.issued_at);
                    event.alarm(alarm.done());
                }
            }
            Shown::Cancelled => {
                event
                    .summary(&issued.summary)
                    .description("Done or no longer owed: this deadline is cancelled.")
                    .starts(issued.starts_at)
                    .ends(issued.starts_at + EVENT_LENGTH)
                    .status(EventStatus::Cancelled);
            }
        }
        calendar.push(event.done());
    }
    (calendar.done().to_string(), next)
}

/// A stored time, read back naming the event whose row holds it.
fn parse_time(uid: &str, text: &str) -> Result<DateTime<Utc>> {
    parse_stored(text).map_err(|_| Error::Internal(format!("feed event {uid} has an unreadable time")))
}

/// The state last issued.
pub fn load_state(conn: &Connection) -> Result<FeedState> {
    let mut stmt = conn
        .prepare_cached("SELECT uid, sequence, hash, issued_at, starts_at, summary, cancelled_at FROM feed_events")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut state = FeedState::new();
    for (uid, sequence, hash, issued_at, starts_at, summary, cancelled_at) in rows {
        let issued = Issued {
            sequence: u32::try_from(sequence)
                .map_err(|_| Error::Internal(format!("feed event {uid} has a bad sequence")))?,
            hash,
            issued_at: parse_time(&uid, &issued_at)?,
            starts_at: parse_time(&uid, &starts_at)?,
            summary,
            cancelled_at: cancelled_at.map(|t| parse_time(&uid, &t)).transpose()?,
        };
        state.insert(uid, issued);
    }
    Ok(state)
}

/// Writes the rows that differ from `previous`.
fn save_state(conn: &Connection, previous: &FeedState, next: &FeedState) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO feed_events (uid, sequence, hash, issued_at, starts_at, summary, cancelled_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (uid) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash,
           issued_at = excluded.issued_at, starts_at = excluded.starts_at, summary = excluded.summary,
           cancelled_at = excluded.cancelled_at",
    )?;
    for (uid, issued) in next.iter().filter(|(uid, issued)| previous.get(*uid) != Some(*issued)) {
        stmt.execute(params![
            uid,
            i64::from(issued.sequence),
            issued.hash,
            stored(issued.issued_at),
            stored(issued.starts_at),
            issued.summary,
            issued.cancelled_at.map(stored)
        ])?;
    }
    Ok(())
}

/// The feed as of `now`: read every open deadline, build, and store what was issued, in one
/// transaction (two processes refreshing at once never issue the same SEQUENCE for two contents).
pub fn refresh(conn: &Connection, now: DateTime<Utc>) -> Result<String> {
    crate::store::atomically(conn, |conn| {
        let inputs = pass::load(conn)?;
        let follow_ups = fallback::open_follow_ups(conn)?;
        let previous = load_state(conn)?;
        let (text, next) = build(&entries(&inputs, &follow_ups), &previous, now);
        save_state(conn, &previous, &next)?;
        Ok(text)
    })
}

/// Where the feed file lives under a data directory: `<data dir>/feeds/deadlines.ics`.
pub fn file_path(data_dir: &std::path::Path) -> std::path::PathBuf {
    data_dir.join("feeds").join("deadlines.ics")
}

/// Writes the feed file whole or not at all (a temporary file in the same folder, synced, then
/// renamed), so a subscribed calendar never reads half a file; owner-only (0600) on Unix (on
/// Windows and macOS it has the per-user data directory's permissions).
pub fn write_file(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        crate::files::create_private_dir_all(dir)?;
    }
    crate::files::write_private(path, text.as_bytes())
}

/// The feed of a fresh install (nothing recorded): a valid calendar with no event.
pub fn empty() -> String {
    build(&[], &FeedState::new(), DateTime::<Utc>::UNIX_EPOCH).0
}
