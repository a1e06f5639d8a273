//! The reminder settings' views: the preferences, the privacy choice and the window's banners.

use chrono::{DateTime, Utc};
use desk_core::privacy::Privacy;
use desk_core::reminders::{QuietHours, ReminderPrefs, StoredNotice};
use serde::Serialize;

/// When reminders fire.
#[derive(Serialize)]
pub struct ReminderPrefsView {
    at_half_window: bool,
    minutes_before: Vec<u32>,
    at_due: bool,
    at_escalations: bool,
    report_deadlines: bool,
    quiet_hours: QuietHoursView,
}

impl From<ReminderPrefs> for ReminderPrefsView {
    fn from(p: ReminderPrefs) -> Self {
        ReminderPrefsView {
            at_half_window: p.at_half_window,
            minutes_before: p.minutes_before,
            at_due: p.at_due,
            at_escalations: p.at_escalations,
            report_deadlines: p.report_deadlines,
            quiet_hours: p.quiet_hours.into(),
        }
    }
}

#[derive(Serialize)]
pub struct QuietHoursView {
    enabled: bool,
    start: String,
    end: String,
}

impl From<QuietHours> for QuietHoursView {
    fn from(q: QuietHours) -> Self {
        QuietHoursView { enabled: q.enabled, start: q.start, end: q.end }
    }
}

/// What notifications and the tray may show.
#[derive(Serialize)]
pub struct PrivacyView {
    details_outside_window: bool,
}

impl From<Privacy> for PrivacyView {
    fn from(p: Privacy) -> Self {
        PrivacyView { details_outside_window: p.details_outside_window }
    }
}

/// A reminder notice the window shows as a banner.
#[derive(Serialize)]
pub struct ReminderBannerView {
    id: i64,
    created_at: DateTime<Utc>,
    title: String,
    body: String,
    critical: bool,
    route: String,
    keys: Vec<String>,
    state: String,
    attempts: i64,
    shown_at: Option<DateTime<Utc>>,
    dismissed_at: Option<DateTime<Utc>>,
}

impl From<StoredNotice> for ReminderBannerView {
    fn from(n: StoredNotice) -> Self {
        ReminderBannerView {
            id: n.id,
            created_at: n.created_at,
            title: n.title,
            body: n.body,
            critical: n.critical,
            route: n.route,
            keys: n.keys.iter().map(|k| k.as_str().to_string()).collect(),
            state: n.state,
            attempts: n.attempts,
            shown_at: n.shown_at,
            dismissed_at: n.dismissed_at,
        }
    }
}
