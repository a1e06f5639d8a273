//! When Cal-CSIRS cannot be reached and a report is owed: whom to call at this hour (seed 001,
//! SIMM 5340-A guidance section 4), which reports are near their deadline, and the record of
//! fallback calls (an ENTAC call leaves the CISO to be notified the next business day).
//!
//! The decision [`guidance`] is pure: the state office calendar (`calendar::load_state_office`,
//! not the entity's: "normal business hours" are the CISO's), `now`, and whether immediate law
//! enforcement help is needed. Whatever it says, the Cal-CSIRS report stays queued: a phone call
//! is not a substitute for it (seed 001).

use crate::calendar::CompiledCalendar;
use crate::error::{Error, Result};
use crate::report::{self, ListQuery, ReportId, State};
use crate::store::time::{parse_stored, stored};
use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

pub const CISO_PHONE: &str = "(916) 445-5239";
pub const CISO_EMAIL: &str = "security@state.ca.gov";
pub const ENTAC_PHONE: &str = "(916) 843-4199";

/// Seed 001, section 4, in its own words.
pub const SEED_WORDS: &str = "In the case that the Cal-CSIRS system is offline during normal business hours, contact CISO \
directly by phone at (916) 445-5239 or by e-mail at security@state.ca.gov for assistance. If the Cal-CSIRS system is \
offline outside of normal business hours and you require immediate law enforcement assistance, contact CHP\u{2019}s \
Emergency Notification and Tactical Alert Center (ENTAC) at (916) 843-4199. This telephone number is staffed 24-hours a \
day, seven days a week. The officers at ENTAC will forward that information to CCIU for immediate assistance. In the \
situation that notification is made outside of normal business hours through CHP, it is the state entity\u{2019}s \
responsibility to notify CISO of the incident the next business day.";

pub const SOURCE: &str = "CDT Office of Information Security, Incident Management (SIMM 5340-A guidance), section 4";

/// The seed is silent on this case; the product's reading, shown with the seed's words.
pub const READING_NO_LAW_ENFORCEMENT: &str = "Outside business hours without a need for immediate law enforcement \
assistance the guidance names no one to call. Incident Desk keeps the report queued (it goes by itself when the portal \
answers) and tells you to contact the CISO when business hours start, if the portal is still down then.";

/// The Cal-CSIRS report is still owed, whichever call was made (seed 001).
pub const STILL_OWED: &str = "The Cal-CSIRS report is still owed: it stays queued and goes to the portal by itself as \
soon as the portal answers. A phone call or e-mail is not a substitute for it.";

/// How close the Cal-CSIRS deadline must be for the fallback to be offered.
pub const NEAR: Duration = Duration::minutes(30);

/// Which fallback applies now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Business hours: the CISO by phone or e-mail.
    Ciso,
    /// Outside business hours, immediate law enforcement help needed: CHP ENTAC (24/7), then the
    /// CISO the next business day.
    Entac,
    /// Outside business hours, no immediate law enforcement need: the CISO when business hours
    /// start (a reading: the seed is silent).
    CisoNextBusinessDay,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub name: &'static str,
    pub phone: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'static str>,
    pub hours: &'static str,
}

const CISO: Contact = Contact {
    name: "California Information Security Office (CISO)",
    phone: CISO_PHONE,
    email: Some(CISO_EMAIL),
    hours: "business hours",
};

const ENTAC: Contact = Contact {
    name: "CHP Emergency Notification and Tactical Alert Center (ENTAC)",
    phone: ENTAC_PHONE,
    email: None,
    hours: "24 hours a day, 7 days a week",
};

/// What to do now, for the ISO to read at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Guidance {
    pub route: Route,
    /// `now` falls in the state office's business hours.
    pub business_hours: bool,
    pub law_enforcement_needed: bool,
    /// Whom to contact now, first one first.
    pub contacts: Vec<Contact>,
    /// One line: what to do.
    pub headline: String,
    /// Steps in order.
    pub steps: Vec<String>,
    /// Outside business hours: when they start again (the CISO follow-up after an ENTAC call).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_business_opening: Option<DateTime<Utc>>,
    /// The same, in the calendar's zone, e.g. "Mon 2026-03-09 08:00 PDT".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_business_opening_local: Option<String>,
    pub still_owed: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<&'static str>,
    pub seed_words: &'static str,
    pub source: &'static str,
    /// The reading that the hours are the state office's, with the seed's words.
    pub hours_reading: &'static str,
}

/// The fallback for `now`: business hours per the state office calendar → CISO; outside them with
/// law enforcement needed → ENTAC now and the CISO the next business day; outside them without
/// → the CISO at the next opening.
pub fn guidance(calendar: &CompiledCalendar, now: DateTime<Utc>, law_enforcement_needed: bool) -> Guidance {
    let business_hours = calendar.is_open_at(now);
    let opening = (!business_hours).then(|| calendar.next_opening(now));
    let opening_local = opening.map(|t| calendar.format_local(t));
    let next_day = opening_local.clone().unwrap_or_default();
    let (route, contacts, headline, steps, reading) = if business_hours {
        (
            Route::Ciso,
            vec![CISO],
            format!("Business hours: call the CISO at {CISO_PHONE} or e-mail {CISO_EMAIL}."),
            vec![
                format!("Call the CISO at {CISO_PHONE}, or e-mail {CISO_EMAIL}."),
                "Read them the report's phone summary.".to_string(),
                "Keep the report queued: it goes to Cal-CSIRS as soon as the portal answers.".to_string(),
            ],
            None,
        )
    } else if law_enforcement_needed {
        (
            Route::Entac,
            vec![ENTAC, CISO],
            format!("Outside business hours, law enforcement needed: call CHP ENTAC at {ENTAC_PHONE} (24/7)."),
            vec![
                format!("Call CHP ENTAC at {ENTAC_PHONE} (staffed 24/7); they forward to CCIU."),
                "Read them the report's phone summary, and record the call here.".to_string(),
                format!("Notify the CISO ({CISO_PHONE}, {CISO_EMAIL}) the next business day: {next_day}."),
                "Keep the report queued: it goes to Cal-CSIRS as soon as the portal answers.".to_string(),
            ],
            None,
        )
    } else {
        (
            Route::CisoNextBusinessDay,
            vec![CISO],
            format!("Outside business hours: the report stays queued; contact the CISO when business hours start ({next_day})."),
            vec![
                "Keep the report queued: it goes to Cal-CSIRS as soon as the portal answers.".to_string(),
                format!("If the portal is still down when business hours start ({next_day}), call the CISO at {CISO_PHONE} or e-mail {CISO_EMAIL}."),
                format!("If immediate law enforcement help becomes necessary, call CHP ENTAC at {ENTAC_PHONE} (24/7)."),
            ],
            Some(READING_NO_LAW_ENFORCEMENT),
        )
    };
    Guidance {
        route,
        business_hours,
        law_enforcement_needed,
        contacts,
        headline,
        steps,
        next_business_opening: opening,
        next_business_opening_local: opening_local,
        still_owed: STILL_OWED,
        reading,
        seed_words: SEED_WORDS,
        source: SOURCE,
        hours_reading: crate::calendar::STATE_OFFICE_READING,
    }
}

/// The one-contact answer of `incident-desk fallback`: whom to contact first at `now`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactAnswer {
    /// "ciso" or "entac".
    pub contact: &'static str,
    pub phone: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'static str>,
    /// Outside state office hours: when the CISO is to be contacted (the next opening, RFC 3339
    /// in the calendar's zone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_business_day: Option<String>,
    pub seed_words: &'static str,
}

/// Pure: [`guidance`] reduced to its first contact, for scripts.
pub fn contact_answer(calendar: &CompiledCalendar, now: DateTime<Utc>, law_enforcement_needed: bool) -> ContactAnswer {
    let g = guidance(calendar, now, law_enforcement_needed);
    let next_business_day = g.next_business_opening.map(|t| calendar.to_local_rfc3339(t));
    match g.route {
        Route::Entac => ContactAnswer {
            contact: "entac",
            phone: ENTAC_PHONE,
            email: None,
            next_business_day,
            seed_words: SEED_WORDS,
        },
        Route::Ciso | Route::CisoNextBusinessDay => ContactAnswer {
            contact: "ciso",
            phone: CISO_PHONE,
            email: Some(CISO_EMAIL),
            next_business_day,
            seed_words: SEED_WORDS,
        },
    }
}

/// A report not yet received by the portal whose Cal-CSIRS deadline is near or past.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwedReport {
    pub report_id: ReportId,
    pub title: String,
    pub state: State,
    pub due_at: DateTime<Utc>,
    /// Negative once overdue.
    pub minutes_left: i64,
    /// Answered yes to "law enforcement sensitive or an ongoing criminal investigation": CHP
    /// CCIU for guidance comes first (seed 000).
    pub law_enforcement_sensitive: bool,
}

/// Pure: of these reports, the ones not sent whose Cal-CSIRS due time (60 minutes from discovery)
/// is at most `near` away or past, most urgent first.
pub fn owed_reports(reports: &[report::ReportSummary], now: DateTime<Utc>, near: Duration) -> Vec<OwedReport> {
    let mut owed: Vec<OwedReport> = reports
        .iter()
        .filter(|r| r.state != State::Sent)
        .filter_map(|r| {
            let due_at = r.discovered_at? + Duration::minutes(60);
            (due_at - now <= near).then(|| OwedReport {
                report_id: r.report_id.clone(),
                title: r.title.clone(),
                state: r.state,
                due_at,
                minutes_left: (due_at - now).num_minutes(),
                law_enforcement_sensitive: false,
            })
        })
        .collect();
    owed.sort_by(|a, b| a.due_at.cmp(&b.due_at).then_with(|| a.report_id.cmp(&b.report_id)));
    owed
}

/// Reports owed to Cal-CSIRS with a deadline within `near` (drafts, ready and queued ones).
pub fn owed_reports_in(conn: &Connection, now: DateTime<Utc>, near: Duration) -> Result<Vec<OwedReport>> {
    let mut reports = Vec::new();
    for state in [State::Draft, State::Ready, State::Queued] {
        reports.extend(report::list(conn, &ListQuery { text: None, state: Some(state), limit: Some(1_000) })?);
    }
    let mut owed = owed_reports(&reports, now, near);
    for o in &mut owed {
        o.law_enforcement_sensitive = report::get(conn, &o.report_id)?.doc.incident.is_law_enforcement_sensitive();
    }
    Ok(owed)
}

// ---- the record of fallback calls ------------------------------------------------------------

/// Whom the ISO called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Called {
    Entac,
    Ciso,
}

impl Called {
    pub fn as_str(self) -> &'static str {
        match self {
            Called::Entac => "entac",
            Called::Ciso => "ciso",
        }
    }

    pub fn parse(text: &str) -> Option<Called> {
        match text {
            "entac" => Some(Called::Entac),
            "ciso" => Some(Called::Ciso),
            _ => None,
        }
    }
}

/// One recorded call. After an ENTAC call the CISO is owed a notice the next business day: the
/// follow-up stays open until `ciso_notified_at` is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallRecord {
    pub id: i64,
    pub called: Called,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_id: Option<ReportId>,
    pub called_at: DateTime<Utc>,
    pub note: String,
    /// ENTAC calls: when the CISO is to be notified (the next business opening).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ciso_due_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ciso_notified_at: Option<DateTime<Utc>>,
}

impl CallRecord {
    /// The CISO follow-up of an ENTAC call is still open.
    pub fn follow_up_open(&self) -> bool {
        self.ciso_due_at.is_some() && self.ciso_notified_at.is_none()
    }
}

const NOTE_MAX: usize = 2_000;

fn parse(text: Option<String>) -> Option<DateTime<Utc>> {
    text.and_then(|t| parse_stored(&t).ok())
}

/// Records a call made at `now`. An ENTAC call opens the CISO follow-up, due at the next
/// business opening of `calendar` (the state office calendar).
pub fn record_call(
    conn: &Connection,
    calendar: &CompiledCalendar,
    called: Called,
    report_id: Option<&str>,
    note: &str,
    now: DateTime<Utc>,
) -> Result<CallRecord> {
    let note = note.trim();
    if note.chars().count() > NOTE_MAX {
        return Err(Error::invalid("note", format!("keep the note under {NOTE_MAX} characters")));
    }
    let report_id = report_id.map(str::trim).filter(|id| !id.is_empty()).map(ReportId::parse).transpose()?;
    if let Some(id) = &report_id {
        report::get(conn, id)?;
    }
    // "The next business day": the next opening (at once if the call was made in business hours).
    let due = match called {
        Called::Entac => Some(calendar.next_opening(now)),
        Called::Ciso => None,
    };
    conn.execute(
        "INSERT INTO fallback_calls (called, report_id, called_at, note, ciso_due_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![called.as_str(), report_id, stored(now), note, due.map(stored)],
    )?;
    get_call(conn, conn.last_insert_rowid())
}

/// The CISO was notified of the incident reported to ENTAC: closes the follow-up.
pub fn ciso_notified(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<CallRecord> {
    let call = get_call(conn, id)?;
    if call.ciso_due_at.is_none() {
        return Err(Error::Conflict(format!("call {id} was not to ENTAC: there is no CISO follow-up to close")));
    }
    conn.execute(
        "UPDATE fallback_calls SET ciso_notified_at = ?2 WHERE id = ?1 AND ciso_notified_at IS NULL",
        params![id, stored(now)],
    )?;
    get_call(conn, id)
}

type Row = (i64, String, Option<ReportId>, String, String, Option<String>, Option<String>);

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
}

fn to_record((id, called, report_id, called_at, note, due, notified): Row) -> Result<CallRecord> {
    let bad = |what: &str| Error::Internal(format!("fallback call {id} has an unreadable {what}"));
    Ok(CallRecord {
        id,
        called: Called::parse(&called).ok_or_else(|| bad("contact"))?,
        report_id,
        called_at: parse(Some(called_at)).ok_or_else(|| bad("time"))?,
        note,
        ciso_due_at: parse(due),
        ciso_notified_at: parse(notified),
    })
}

const COLUMNS: &str = "id, called, report_id, called_at, note, ciso_due_at, ciso_notified_at";

pub fn get_call(conn: &Connection, id: i64) -> Result<CallRecord> {
    let found = conn.query_row(&format!("SELECT {COLUMNS} FROM fallback_calls WHERE id = ?1"), [id], row).optional()?;
    to_record(found.ok_or_else(|| Error::NotFound(format!("fallback call {id}")))?)
}

/// Every recorded call, newest first.
pub fn calls(conn: &Connection) -> Result<Vec<CallRecord>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM fallback_calls ORDER BY id DESC"))?;
    let rows = stmt.query_map([], row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(to_record).collect()
}

/// ENTAC calls whose CISO notice is still owed, oldest first.
pub fn open_follow_ups(conn: &Connection) -> Result<Vec<CallRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM fallback_calls WHERE ciso_due_at IS NOT NULL AND ciso_notified_at IS NULL ORDER BY id"
    ))?;
    let rows = stmt.query_map([], row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(to_record).collect()
}
