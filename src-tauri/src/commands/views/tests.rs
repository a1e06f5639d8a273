//! Each view serializes byte for byte as the domain type the command returned before views (the
//! JS contract kept), on representative records from a real store: SENs of a known and an unknown
//! level, new, acknowledged, determined, linked; their history; an intake; previews; report rows.

use super::report::{ReportSummaryView, RevisionEntryView};
use super::sen::{escalation_clock, HistoryRowView, PreviewView, SenCardView, SenNoticeView, SenSettingsValues};
use super::sen_reference::{
    all, EscalationLevelView, HelpGuideView, InitialDistributionView, LevelRuleView, ResponseFormatView,
    SenReadingsView,
};
use chrono::{DateTime, Utc};
use desk_core::audit::Actor;
use desk_core::report::{self, ListQuery};
use desk_core::sen::store::{self as sen_store, Determination, HistoryEntry, NewSen, Source};
use desk_core::sen::{self, responses, EscalationClock, Outcome, SenNumber, SenSettings};
use desk_core::{calendar, intake, Store};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

fn t(text: &str) -> DateTime<Utc> {
    text.parse().expect("time")
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("serializes")
}

/// A table's views serialize as the table did (`&'static [T]`).
fn same_table<T: Serialize, V: Serialize + From<&'static T>>(table: &'static [T]) {
    assert_eq!(json(&all::<T, V>(table)), json(&table));
}

/// The view's JSON is the domain value's JSON, byte for byte.
fn same<D: Serialize + Clone, V: Serialize + From<D>>(domain: &D) {
    assert_eq!(json(&V::from(domain.clone())), json(domain));
}

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// A store with SENs in every state: SOC-0123 high, confirmed and linked to a report; SOC-0124 of
/// a level the standard has no windows for; SOC-0125 waiting on a help request; SOC-0126 a false
/// positive; SOC-0127 new.
fn store_with_sens(dir: &tempfile::TempDir) -> Store {
    let store = Store::open_in_dir(dir.path()).expect("store");
    let conn = store.conn();
    let actor = Actor::new("tester", "test-host");
    let new = |number: &str, level: &str, sent_at: &str| NewSen {
        sen_number: number.into(),
        level: level.into(),
        sent_at: t(sent_at),
        summary: "Beaconing from a workstation".into(),
        source: Source::Email,
    };
    sen_store::create(conn, new("SOC-0123", "high", "2026-03-02T17:00:00Z"), t("2026-03-02T17:01:00Z"), &actor)
        .expect("create");
    sen_store::create(conn, new("SOC-0124", "unusual", "2026-03-02T18:00:00Z"), t("2026-03-02T18:01:00Z"), &actor)
        .expect("create");
    for (number, level, sent_at) in [
        ("SOC-0125", "critical", "2026-03-03T09:00:00Z"),
        ("SOC-0126", "medium", "2026-03-03T09:00:00Z"),
        ("SOC-0127", "critical", "2026-03-03T10:00:00Z"),
    ] {
        sen_store::create(conn, new(number, level, sent_at), t(sent_at), &actor).expect("create");
    }
    let determined = [
        ("SOC-0123", Outcome::ConfirmedIncident, "2026-03-02T19:00:00Z"),
        ("SOC-0125", Outcome::RequestHelp, "2026-03-03T09:30:00Z"),
        ("SOC-0126", Outcome::FalsePositive, "2026-03-03T11:00:00Z"),
    ];
    for (number, outcome, at) in determined {
        let number = SenNumber::parse(number).expect("number");
        let acknowledged_at = t(at) - chrono::Duration::minutes(10);
        let findings = values(&[("findings_by", "end of day")]);
        sen_store::acknowledge(conn, &number, "investigating", &findings, acknowledged_at, &actor).expect("ack");
        let determination = Determination { outcome, details: "Checked the proxy logs.".into(), findings_by: None };
        sen_store::determine(conn, &number, determination, t(at), &actor).expect("determine");
    }
    let number = SenNumber::parse("SOC-0123").expect("number");
    let profile = desk_core::profile::load(conn).expect("profile");
    let draft = report::create_draft(conn, &profile, t("2026-03-02T19:10:00Z"), &actor).expect("draft");
    sen_store::link_report(conn, &number, &draft.report_id, t("2026-03-02T19:20:00Z"), &actor).expect("link");
    store
}

#[test]
fn sen_cards_and_history_keep_their_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with_sens(&dir);
    let conn = store.conn();
    let calendar = calendar::load(conn).expect("calendar").compile().expect("compile");
    let mut states = BTreeSet::new();
    for clock in [EscalationClock::SameAsWindow, EscalationClock::LiteralClockHours] {
        for now in [t("2026-03-02T17:10:00Z"), t("2026-03-03T12:00:00Z"), t("2026-03-20T12:00:00Z")] {
            for record in sen_store::list_all(conn).expect("list") {
                let card = sen::card(record, &calendar, clock, now);
                same::<_, SenCardView>(&card);
                for stage in card.status.iter().flat_map(|s| &s.stages) {
                    states.insert(json(&stage.state));
                }
            }
        }
    }
    let kinds: BTreeSet<&str> = states.iter().filter_map(|s| s.split('"').nth(3)).collect();
    let every = ["done", "due_in", "help_requested", "not_applicable", "overdue", "waiting"];
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), every, "every stage state is compared");

    /// The history row as `sen_get` returned it before views.
    #[derive(Serialize)]
    struct Before {
        #[serde(flatten)]
        entry: HistoryEntry,
        at_local: String,
    }
    let history = sen_store::history(conn, &SenNumber::parse("SOC-0123").expect("number")).expect("history");
    assert!(history.len() >= 4, "created, acknowledged, determined, linked: {history:?}");
    for entry in history {
        let at_local = calendar.to_local_rfc3339(entry.at);
        assert_eq!(json(&HistoryRowView::new(entry.clone(), at_local.clone())), json(&Before { entry, at_local }));
    }
}

#[test]
fn intake_preview_and_settings_keep_their_json() {
    let subject = "FW: SOC-0500 requires your attention. The SEN Level is: MEDIUM";
    let mut notice = intake::notice_from_subject(subject, t("2026-03-02T18:00:00Z")).expect("notice");
    same::<_, SenNoticeView>(&notice);
    notice.summary = Some("Suspicious sign-in".into());
    notice.sender = Some("SOC <soc@example.gov>".into());
    notice.warnings = vec!["the sent time came from a forward".into()];
    same::<_, SenNoticeView>(&notice);
    for format in responses::FORMATS.iter() {
        same::<_, PreviewView>(&responses::preview(format, &BTreeMap::new()));
        same::<_, PreviewView>(&responses::preview(format, &values(&[("findings_by", "end of day")])));
    }
    for clock in [EscalationClock::SameAsWindow, EscalationClock::LiteralClockHours] {
        same::<_, SenSettingsValues>(&SenSettings { escalation_clock: clock });
        assert_eq!(json(&escalation_clock(clock)), json(&clock));
    }
    for outcome in Outcome::ALL {
        assert_eq!(json(&outcome.as_str()), json(&outcome), "sen_board's closed rows, sen_reference's outcomes");
    }
}

#[test]
fn report_rows_keep_their_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with_sens(&dir);
    let conn = store.conn();
    let actor = Actor::new("tester", "test-host");
    let profile = desk_core::profile::load(conn).expect("profile");
    let second = report::create_draft(conn, &profile, t("2026-03-03T10:00:00Z"), &actor).expect("draft");
    report::set_field(
        conn,
        &second.report_id,
        "incident.discovered_at",
        serde_json::json!("2026-03-03T09:30:00Z"),
        t("2026-03-03T10:01:00Z"),
        &actor,
    )
    .expect("discovered");
    let rows = report::list(conn, &ListQuery::default()).expect("list");
    assert_eq!(rows.len(), 2);
    for row in &rows {
        same::<_, ReportSummaryView>(row);
    }
    let history = report::revision_log(conn, &second.report_id, None, 100).expect("history");
    assert!(history.len() >= 2, "created, a field: {history:?}");
    for entry in &history {
        same::<_, RevisionEntryView>(entry);
    }
}

#[test]
fn sen_reference_tables_keep_their_json() {
    use desk_core::sen::levels::{ESCALATION_LADDER, INITIAL_DISTRIBUTION, LEVELS};
    same_table::<_, LevelRuleView>(&LEVELS);
    same_table::<_, ResponseFormatView>(&responses::FORMATS);
    same_table::<_, EscalationLevelView>(&ESCALATION_LADDER);
    same_table::<_, InitialDistributionView>(&INITIAL_DISTRIBUTION);
    same::<_, HelpGuideView>(&sen::HELP_GUIDE);
    same::<_, SenReadingsView>(&sen::SEN_READINGS);
}

/// The report editor's shapes: a fresh draft, one with a field error, tasks, both deadlines and
/// an added row, then one submitted, refused by the portal (messages) and finally sent.
#[test]
fn report_views_keep_their_json() {
    use super::report::{AutosavedView, ReportView};
    use desk_core::profile::{Contact, Entity, Profile};
    use desk_core::report::{Report, Status};

    /// The editor's report as the report commands returned it before views.
    #[derive(Serialize)]
    struct Before {
        report: Report,
        status: Status,
    }
    let seen = std::cell::RefCell::new(String::new());
    let check = |report: Report, now: DateTime<Utc>| {
        let status = report.status(now);
        let view = json(&ReportView::new(report.clone(), status.clone()));
        assert_eq!(view, json(&Before { report, status }));
        seen.borrow_mut().push_str(&view);
    };

    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    let conn = store.conn();
    let actor = Actor::new("tester", "test-host");
    let now = t("2024-03-01T17:00:00Z");
    check(report::create_draft(conn, &Profile::default(), now, &actor).expect("empty draft"), now);

    let profile = Profile {
        entity: Entity { name: "Department of Examples".into(), address: String::new() },
        reporting_person: Contact {
            name: "Rita Reporter".into(),
            phones: vec!["(916) 555-0101".into()],
            ..Contact::default()
        },
        ..Profile::default()
    };
    let id = report::create_draft(conn, &profile, now, &actor).expect("draft").report_id;
    let edits = [
        ("network.source_port", serde_json::json!("99999")),
        ("incident.description", serde_json::json!("Phishing led to a compromised mailbox.")),
        ("incident.discovered_at", serde_json::json!("2024-03-01T08:10:00-08:00")),
        ("federal.category", serde_json::json!("cat_1")),
        ("personal_info.involved", serde_json::json!("yes")),
        ("personal_info.residents_to_notify", serde_json::json!("600")),
    ];
    for (field, value) in edits {
        same::<_, AutosavedView>(&report::set_field(conn, &id, field, value, now, &actor).expect(field));
    }
    check(report::get(conn, &id).expect("with a field error"), now);
    let fixed = report::set_field(conn, &id, "network.source_port", serde_json::json!("443"), now, &actor);
    same::<_, AutosavedView>(&fixed.expect("port"));
    let added = report::add_row(conn, &id, "computers", now, &actor).expect("row");
    assert!(added.row.is_some());
    same::<_, AutosavedView>(&added);
    let row = added.row.clone().expect("row");
    same::<_, AutosavedView>(&report::remove_row(conn, &id, &row, now, &actor).expect("remove"));
    check(report::get(conn, &id).expect("get"), now);

    report::ready(conn, &id, now, &actor).expect("ready");
    check(report::submit(conn, &id, now, &actor).expect("submit"), now);
    let refused = [
        desk_core::portal::wire::PortalFieldError {
            field: Some("/incident/description".into()),
            message: "too vague".into(),
        },
        desk_core::portal::wire::PortalFieldError { field: None, message: "general".into() },
    ];
    let errors = report::exchange::portal_errors(&refused);
    check(report::return_to_draft(conn, &id, errors, now, &actor).expect("returned"), now);
    report::ready(conn, &id, now, &actor).expect("ready again");
    report::submit(conn, &id, now, &actor).expect("submit again");
    check(report::mark_sent(conn, &id, "CIR-2024-0001", now, &actor).expect("sent"), now);
    let edited =
        report::set_field(conn, &id, "incident.description", serde_json::json!("Phishing: 3 mailboxes"), now, &actor)
            .expect("edit after sending");
    same::<_, AutosavedView>(&edited);
    check(report::get(conn, &id).expect("get"), now);
    let seen = seen.into_inner();
    for part in
        ["\"field_errors\":[{", "\"tasks\":[{", "\"federal\":{", "\"portal_messages\":[{", "\"unsent_changes\":true"]
    {
        assert!(seen.contains(part), "the reports compared show {part}");
    }
}

/// Every field of a report's content set (strings, times, flags, a phone, a computer row).
#[test]
fn report_content_keeps_its_json() {
    use super::report_doc::ReportDocView;
    use desk_core::report::ReportDoc;
    use serde_json::Value;

    fn fill(value: &mut Value) {
        match value {
            Value::String(text) => *text = "typed text".into(),
            Value::Bool(flag) => *flag = true,
            Value::Null => *value = Value::from("2024-03-01T08:10:00-08:00"),
            Value::Array(items) => items.iter_mut().for_each(fill),
            Value::Object(fields) => fields.values_mut().for_each(fill),
            Value::Number(_) => {}
        }
    }
    let mut doc = serde_json::to_value(ReportDoc::default()).expect("doc");
    doc["computers"] =
        Value::Array(vec![serde_json::to_value(desk_core::report::doc::Computer::default()).expect("row")]);
    for contact in ["reporting_person", "iso", "alternate"] {
        doc[contact]["phones"] = serde_json::json!(["(916) 555-0101", ""]);
    }
    fill(&mut doc);
    let doc: ReportDoc = serde_json::from_value(doc).expect("every field");
    assert_ne!(doc, ReportDoc::default());
    same::<_, ReportDocView>(&ReportDoc::default());
    same::<_, ReportDocView>(&doc);
}

#[test]
fn report_schema_keeps_its_json() {
    use super::report_schema::ReportSchemaView;
    let schema = report::schema();
    assert_eq!(json(&ReportSchemaView::from(schema)), json(schema));
}

/// The Outbox page: the SENs' own items and one of every kind and state, one waiting behind a parked one, a paused
/// and offline queue, then the same queue once it answers again.
#[test]
fn outbox_views_keep_their_json() {
    use super::outbox::{OutboxItemView, QueueStatusView};
    use desk_core::outbox::{self, ItemKind};
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with_sens(&dir);
    let conn = store.conn();
    let body = serde_json::json!({ "note": "queued" });
    let queued = [
        (ItemKind::Acknowledgement, "SOC-0123", "sent"),
        (ItemKind::Determination, "SOC-0123", "parked"),
        (ItemKind::IncidentLink, "SOC-0123", "pending"),
        (ItemKind::Incident, "report-1", "returned"),
        (ItemKind::Supplement, "report-1", "superseded"),
        (ItemKind::Acknowledgement, "SOC-0127", "pending"),
    ];
    for (kind, record, state) in queued {
        let id = outbox::enqueue(conn, kind, record, &body, t("2026-03-03T10:00:00Z")).expect("enqueue");
        let sql = format!("UPDATE outbox SET state = '{state}', attempts = 2, last_error = 'HTTP 409' WHERE id = {id}");
        conn.execute(&sql, []).expect("state");
    }
    conn.execute("UPDATE outbox SET sent_at = created_at, response = '{}' WHERE state = 'sent'", []).expect("sent");
    let same_status = || same::<_, QueueStatusView>(&outbox::queue_status(conn).expect("status"));
    same_status();
    outbox::portal_unreachable(conn, t("2026-03-03T10:05:00Z")).expect("offline");
    conn.execute(
        "UPDATE outbox_queue SET paused_reason = 'token needed', paused_at = '2026-03-03T10:06:00Z' WHERE id = 1",
        [],
    )
    .expect("pause");
    same_status();
    let items = outbox::list(conn).expect("items");
    assert!(items.len() > queued.len(), "the SENs' own items and those queued here: {items:?}");
    assert!(items.iter().any(|i| i.waits_for.is_some()), "one item waits behind another: {items:?}");
    for item in &items {
        same::<_, OutboxItemView>(item);
    }
    outbox::portal_answered(conn, t("2026-03-03T10:10:00Z")).expect("online");
    same_status();
}

/// Reminder settings as saved and read back, both privacy choices, and stored notices pending,
/// shown and dismissed.
#[test]
fn reminder_views_keep_their_json() {
    use super::reminders::{PrivacyView, ReminderBannerView, ReminderPrefsView};
    use desk_core::privacy::Privacy;
    use desk_core::reminders::{store as notices, Notice, QuietHours, ReminderKey, ReminderPrefs};
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with_sens(&dir);
    let conn = store.conn();
    same::<_, ReminderPrefsView>(&desk_core::reminders::prefs::load(conn).expect("prefs"));
    let quiet_hours = QuietHours { enabled: true, start: "21:30".into(), end: "06:45".into() };
    let custom = ReminderPrefs { minutes_before: vec![5, 30], at_due: false, quiet_hours, ..ReminderPrefs::default() };
    same::<_, ReminderPrefsView>(&custom);
    for details_outside_window in [false, true] {
        same::<_, PrivacyView>(&Privacy { details_outside_window });
    }
    let notice = |critical: bool, keys: &[&str]| Notice {
        title: "SOC-0127 Critical acknowledgement".into(),
        body: "Due in 15 min".into(),
        critical,
        route: "#/sens/SOC-0127".into(),
        reminders: keys.iter().map(|k| (ReminderKey::from_stored(k.to_string()), t("2026-03-03T10:45:00Z"))).collect(),
    };
    let at = t("2026-03-03T10:45:00Z");
    let pending = notices::record(conn, &notice(true, &["sen:SOC-0127:acknowledge:15min"]), at).expect("record");
    let keys = ["sen:SOC-0127:acknowledge:due", "sen:SOC-0125:findings:due"];
    let shown = notices::record(conn, &notice(false, &keys), at).expect("record");
    notices::mark_shown(conn, shown.id, Some(7), at).expect("shown");
    let dismissed = notices::record(conn, &notice(false, &[]), at).expect("record");
    notices::dismiss(conn, dismissed.id, at).expect("dismiss");
    for id in [pending.id, shown.id, dismissed.id] {
        same::<_, ReminderBannerView>(&notices::get(conn, id).expect("notice"));
    }
}

/// The fallback panel: the guidance on every route (business hours, a night with and without
/// law enforcement), a report owed, and calls to the CISO and to ENTAC before and after the
/// CISO follow-up.
#[test]
fn portal_fallback_views_keep_their_json() {
    use super::portal::{CallRecordView, GuidanceView, OwedReportView};
    use desk_core::fallback::Route;
    use desk_core::fallback::{self, Called};
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with_sens(&dir);
    let conn = store.conn();
    let calendar = calendar::load_state_office(conn).expect("calendar").compile().expect("compile");
    let mut routes = BTreeSet::new();
    for now in [t("2026-03-04T18:00:00Z"), t("2026-03-07T08:00:00Z")] {
        for law_enforcement_needed in [false, true] {
            let guidance = fallback::guidance(&calendar, now, law_enforcement_needed);
            routes.insert(json(&guidance.route));
            same::<_, GuidanceView>(&guidance);
        }
    }
    assert_eq!(routes.len(), [Route::Ciso, Route::Entac, Route::CisoNextBusinessDay].len(), "{routes:?}");

    let actor = Actor::new("tester", "test-host");
    let profile = desk_core::profile::load(conn).expect("profile");
    let owed = report::create_draft(conn, &profile, t("2026-03-04T18:00:00Z"), &actor).expect("draft");
    let discovered = serde_json::json!("2026-03-04T17:30:00Z");
    report::set_field(conn, &owed.report_id, "incident.discovered_at", discovered, t("2026-03-04T18:01:00Z"), &actor)
        .expect("discovered");
    let reports = fallback::owed_reports_in(conn, t("2026-03-04T18:10:00Z"), fallback::NEAR).expect("owed");
    assert_eq!(reports.len(), 1);
    same::<_, OwedReportView>(&reports[0]);

    let report_id = owed.report_id.to_string();
    let at = t("2026-03-07T08:00:00Z");
    let ciso = fallback::record_call(conn, &calendar, Called::Ciso, Some(&report_id), "read the summary", at)
        .expect("ciso call");
    let entac = fallback::record_call(conn, &calendar, Called::Entac, None, "", at).expect("entac call");
    let notified = fallback::ciso_notified(conn, entac.id, t("2026-03-09T16:00:00Z")).expect("notified");
    for call in [ciso, entac, notified] {
        same::<_, CallRecordView>(&call);
    }
}

/// The calendar settings: the default calendar, one with a closed weekday, a Saturday morning,
/// closures and an added state holiday, and the closed days of a year of each (every kind).
#[test]
fn calendar_views_keep_their_json() {
    use super::calendar::{BusinessCalendarView, ClosedDayView};
    use desk_core::calendar::{BusinessCalendar, Closure, OpenHours};
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    let stored = calendar::load(store.conn()).expect("calendar");
    let mut edited = stored.clone();
    edited.time_zone = "America/New_York".into();
    edited.hours.friday = None;
    edited.hours.saturday = Some(OpenHours::new("09:00", "12:30"));
    let closure = |date: &str, label: &str| Closure { date: date.parse().expect("date"), label: label.into() };
    edited.closures = vec![closure("2026-12-24", "Office closed"), closure("2026-06-19", "Furlough day")];
    edited.added_state_holidays = vec![closure("2026-10-12", "Indigenous Peoples' Day")];
    let mut kinds = BTreeSet::new();
    for calendar in [stored, edited, BusinessCalendar::default()] {
        same::<_, BusinessCalendarView>(&calendar);
        for day in calendar.closed_days(2026) {
            kinds.insert(day.kind);
            same::<_, ClosedDayView>(&day);
        }
    }
    assert_eq!(kinds.len(), 3, "holidays, added holidays and closures: {kinds:?}");
}

/// The profile form and the profile, empty and filled in as saved and read back.
#[test]
fn profile_views_keep_their_json() {
    use super::profile::{FormSectionView, ProfileView};
    use desk_core::profile::{self, Contact, Entity, Profile};
    let sections = profile::schema();
    assert!(!sections.is_empty());
    for section in &sections {
        same::<_, FormSectionView>(section);
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in_dir(dir.path()).expect("store");
    let conn = store.conn();
    same::<_, ProfileView>(&profile::load(conn).expect("profile"));
    let contact = |name: &str, phones: &[&str]| Contact {
        name: name.into(),
        address: "1 Capitol Mall, Sacramento CA".into(),
        email: format!("{}@example.ca.gov", name.to_lowercase().replace(' ', ".")),
        phones: phones.iter().map(|p| p.to_string()).collect(),
    };
    let filled = Profile {
        entity: Entity { name: "Department of Examples".into(), address: "1 Capitol Mall, Sacramento CA".into() },
        reporting_person: contact("Ada Reporter", &["916-555-0100"]),
        iso: contact("Iso Officer", &["916-555-0101", "916-555-0102"]),
        alternate: contact("Alt Contact", &[]),
    };
    profile::save(conn, filled, t("2026-03-02T17:00:00Z")).expect("save");
    same::<_, ProfileView>(&profile::load(conn).expect("profile"));
}

/// The plan preview over SENs in every state and a report with a discovery time, early (nothing
/// past), later (some overdue) and with quiet hours holding reminders back; every point kind.
#[test]
fn reminder_plan_keeps_its_json() {
    use super::reminders::PlanPreviewView;
    use desk_core::reminders::{pass, prefs, QuietHours, ReminderPrefs};
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with_sens(&dir);
    let conn = store.conn();
    let actor = Actor::new("tester", "test-host");
    let profile = desk_core::profile::load(conn).expect("profile");
    let draft = report::create_draft(conn, &profile, t("2026-03-03T10:00:00Z"), &actor).expect("draft");
    let discovered = serde_json::json!("2026-03-03T09:50:00Z");
    report::set_field(conn, &draft.report_id, "incident.discovered_at", discovered, t("2026-03-03T10:01:00Z"), &actor)
        .expect("discovered");
    let mut kinds = BTreeSet::new();
    let mut reminders = 0;
    let quiet_hours = QuietHours { enabled: true, start: "00:00".into(), end: "23:59".into() };
    for saved in [ReminderPrefs::default(), ReminderPrefs { quiet_hours, ..ReminderPrefs::default() }] {
        prefs::save(conn, saved, t("2026-03-03T10:02:00Z")).expect("prefs");
        for now in [t("2026-03-03T10:05:00Z"), t("2026-03-03T13:00:00Z"), t("2026-03-05T12:00:00Z")] {
            let plan = pass::view(conn, now).expect("plan");
            for reminder in &plan.reminders {
                kinds.insert(json(&reminder.point).split('"').nth(3).unwrap_or_default().to_string());
                kinds.insert(json(&reminder.record).split('"').nth(3).unwrap_or_default().to_string());
            }
            reminders += plan.reminders.len();
            same::<_, PlanPreviewView>(&plan);
        }
    }
    assert!(reminders > 0);
    for kind in ["sen", "report", "due", "before"] {
        assert!(kinds.contains(kind), "{kind} is compared: {kinds:?}");
    }
}

/// The app family: snapshots, a backup's summary (with and without the replaced database), and
/// each kind of notice from opening the database.
#[test]
fn app_views_serialize_as_the_core_values_did() {
    use super::app::{CopySummaryView, OpenNoticeView, SnapshotView};
    use desk_core::store::backup::{CopySummary, Snapshot};
    use desk_core::store::protect::OpenNotice;
    let snapshot = Snapshot {
        path: "/d/snapshots/a.sqlite3".into(),
        taken_at: t("2026-03-02T17:00:00Z"),
        bytes: 4096,
        empty: false,
    };
    same::<Snapshot, SnapshotView>(&snapshot);
    same::<Snapshot, SnapshotView>(&Snapshot { empty: true, ..snapshot.clone() });
    let summary = CopySummary {
        path: "/backups/b.sqlite3".into(),
        schema_version: 12,
        tables: vec![("reports".into(), 3), ("sens".into(), 5)],
        replaced: None,
    };
    same::<CopySummary, CopySummaryView>(&summary);
    same::<CopySummary, CopySummaryView>(&CopySummary { replaced: Some("/d/replaced/c.sqlite3".into()), ..summary });
    for notice in [
        OpenNotice::Encrypted,
        OpenNotice::Damaged {
            kept_at: "/d/damaged/x".into(),
            problems: "page 7".into(),
            snapshots: vec![snapshot.clone()],
        },
        OpenNotice::Restored { from: "/d/snapshots/a.sqlite3".into(), kept_at: None },
        OpenNotice::Restored { from: "/d/snapshots/a.sqlite3".into(), kept_at: Some("/d/replaced/y".into()) },
    ] {
        same::<OpenNotice, OpenNoticeView>(&notice);
    }
}
