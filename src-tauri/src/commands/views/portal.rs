//! The portal fallback panel's views: what to do now, the reports owed and the calls recorded.

use chrono::{DateTime, Utc};
use desk_core::fallback::{CallRecord, Contact, Guidance, OwedReport, Route};
use serde::Serialize;

/// What to do now while the portal cannot take a report.
#[derive(Serialize)]
pub struct GuidanceView {
    route: &'static str,
    business_hours: bool,
    law_enforcement_needed: bool,
    contacts: Vec<ContactView>,
    headline: String,
    steps: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_business_opening: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_business_opening_local: Option<String>,
    still_owed: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reading: Option<&'static str>,
    seed_words: &'static str,
    source: &'static str,
    hours_reading: &'static str,
}

impl From<Guidance> for GuidanceView {
    fn from(g: Guidance) -> Self {
        GuidanceView {
            route: route(g.route),
            business_hours: g.business_hours,
            law_enforcement_needed: g.law_enforcement_needed,
            contacts: g.contacts.into_iter().map(Into::into).collect(),
            headline: g.headline,
            steps: g.steps,
            next_business_opening: g.next_business_opening,
            next_business_opening_local: g.next_business_opening_local,
            still_owed: g.still_owed,
            reading: g.reading,
            seed_words: g.seed_words,
            source: g.source,
            hours_reading: g.hours_reading,
        }
    }
}

/// A fallback route as the window spells it.
fn route(route: Route) -> &'static str {
    match route {
        Route::Ciso => "ciso",
        Route::Entac => "entac",
        Route::CisoNextBusinessDay => "ciso_next_business_day",
    }
}

#[derive(Serialize)]
pub struct ContactView {
    name: &'static str,
    phone: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'static str>,
    hours: &'static str,
}

impl From<Contact> for ContactView {
    fn from(c: Contact) -> Self {
        ContactView { name: c.name, phone: c.phone, email: c.email, hours: c.hours }
    }
}

/// A report whose 60 minutes are near or past and that the portal has not received.
#[derive(Serialize)]
pub struct OwedReportView {
    report_id: String,
    title: String,
    state: &'static str,
    due_at: DateTime<Utc>,
    minutes_left: i64,
    law_enforcement_sensitive: bool,
}

impl From<OwedReport> for OwedReportView {
    fn from(o: OwedReport) -> Self {
        OwedReportView {
            report_id: o.report_id.to_string(),
            title: o.title,
            state: o.state.as_str(),
            due_at: o.due_at,
            minutes_left: o.minutes_left,
            law_enforcement_sensitive: o.law_enforcement_sensitive,
        }
    }
}

/// One recorded fallback call, with its CISO follow-up.
#[derive(Serialize)]
pub struct CallRecordView {
    id: i64,
    called: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    report_id: Option<String>,
    called_at: DateTime<Utc>,
    note: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    ciso_due_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ciso_notified_at: Option<DateTime<Utc>>,
}

impl From<CallRecord> for CallRecordView {
    fn from(c: CallRecord) -> Self {
        CallRecordView {
            id: c.id,
            called: c.called.as_str(),
            report_id: c.report_id.map(|id| id.to_string()),
            called_at: c.called_at,
            note: c.note,
            ciso_due_at: c.ciso_due_at,
            ciso_notified_at: c.ciso_notified_at,
        }
    }
}
