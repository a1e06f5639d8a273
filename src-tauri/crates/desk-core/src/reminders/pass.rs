//! One pass of the scheduler: load what the plan needs, plan, and record the notice for what is
//! due. The caller reads the clock and shows the notice; everything here takes `now`.

use super::outlook::{outlook, Outlook};
use super::plan::{live_stages, plan, plan_untexted, ReportClock, SenClock};
use super::prefs::{self, ReminderPrefs};
use super::store::{self, StoredNotice};
use super::text::compose;
use super::{Fired, Reminder};
use crate::calendar::{self, CompiledCalendar};
use crate::error::Result;
use crate::privacy;
use crate::report::{self, ListQuery, State};
use crate::sen;
use crate::store::data_version;
use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::Connection;
use serde::Serialize;

/// Banners of notices older than this are no longer shown.
const BANNER_MAX_AGE: TimeDelta = TimeDelta::hours(24);

/// Everything the plan is a function of, read from the store.
pub struct Inputs {
    pub calendar: CompiledCalendar,
    pub prefs: ReminderPrefs,
    pub sens: Vec<SenClock>,
    pub reports: Vec<ReportClock>,
    pub fired: Fired,
}

/// Reads the open SENs with their clocks, the reports not yet submitted that have a discovery
/// time, the preferences, the calendar and the fired keys.
pub fn load(conn: &Connection) -> Result<Inputs> {
    let calendar = calendar::load(conn)?.compile()?;
    let escalation_clock = sen::load_settings(conn)?.escalation_clock;
    // Notices and the tray leave the window: without details they name the SEN by its number
    // and the report by its number only (crate::privacy).
    let details = privacy::load(conn)?.details_outside_window;
    let sens = sen::store::list_open(conn)?
        .iter()
        .filter_map(|s| SenClock::of(s, &calendar, escalation_clock))
        .map(|mut clock| {
            if !details {
                clock.summary.clear();
            }
            clock
        })
        .collect();
    let mut reports = Vec::new();
    // Queued reports too: the 60 minutes run until the portal has the report (state Sent).
    for state in [State::Draft, State::Ready, State::Queued] {
        let query = ListQuery { text: None, state: Some(state), limit: Some(100_000) };
        for summary in report::list(conn, &query)? {
            if summary.discovered_at.is_none() {
                continue;
            }
            let report = report::get(conn, &summary.report_id)?;
            let title = if details { summary.title } else { privacy::report_number(summary.report_id.as_str()) };
            reports.push(ReportClock {
                report_id: summary.report_id,
                title,
                deadlines: report::deadlines(&report.doc),
                queued: state == State::Queued,
            });
        }
    }
    Ok(Inputs { calendar, prefs: prefs::load(conn)?, sens, reports, fired: store::fired(conn)? })
}

impl Inputs {
    pub fn plan(&self, now: DateTime<Utc>) -> Vec<Reminder> {
        plan(&self.sens, &self.reports, &self.prefs, &self.calendar, &self.fired, now)
    }

    /// Every reminder of the plan, none counted as fired, without texts (the calendar feed's alarms).
    pub fn untexted_plan(&self) -> Vec<Reminder> {
        plan_untexted(&self.sens, &self.reports, &self.prefs, &self.calendar, &Fired::default())
    }

    pub fn outlook(&self, now: DateTime<Utc>) -> Outlook {
        outlook(&self.sens, &self.reports, &self.calendar, now)
    }
}

/// What a pass did and when the next one is needed.
#[derive(Debug, Clone, Serialize)]
pub struct Pass {
    /// The notice to show now, already recorded (pending) with its reminder keys.
    pub notice: Option<StoredNotice>,
    /// When the next reminder is due.
    pub next_at: Option<DateTime<Utc>>,
    pub outlook: Outlook,
}

/// One pass at `now` with nothing remembered from earlier passes (see [`Planner`]).
pub fn run(conn: &Connection, now: DateTime<Utc>) -> Result<Pass> {
    Planner::default().pass(conn, now)
}

/// The scheduler's memory between passes: what the plan is computed from, and the plan (without
/// texts, it does not depend on the time). Both are read again only when another connection has
/// committed since (`PRAGMA data_version`: a command, the CLI, another process), so a wake with
/// nothing changed costs a query and a look at the first reminder.
#[derive(Default)]
pub struct Planner {
    cached: Option<Cached>,
}

struct Cached {
    version: i64,
    inputs: Inputs,
    /// In time order; reminders fired by this planner are removed as they fire.
    plan: Vec<Reminder>,
}

impl Planner {
    /// Forgets what was read: the next pass reads everything again.
    pub fn forget(&mut self) {
        self.cached = None;
    }

    fn refresh(&mut self, conn: &Connection) -> Result<&mut Cached> {
        let version = data_version(conn)?;
        let fresh = self.cached.as_ref().is_some_and(|c| c.version == version);
        if !fresh {
            let inputs = load(conn)?;
            let plan = plan_untexted(&inputs.sens, &inputs.reports, &inputs.prefs, &inputs.calendar, &inputs.fired);
            self.cached = Some(Cached { version, inputs, plan });
        }
        self.cached.as_mut().ok_or_else(|| crate::Error::Internal("reminder plan not loaded".into()))
    }

    /// One pass at `now`: every reminder whose time has come and that has not fired becomes ONE
    /// notice, recorded before the caller shows it (see [`store`] for the ordering).
    pub fn pass(&mut self, conn: &Connection, now: DateTime<Utc>) -> Result<Pass> {
        let cached = self.refresh(conn)?;
        if cached.plan.first().is_none_or(|r| r.at > now) {
            return Ok(Pass {
                notice: None,
                next_at: cached.plan.first().map(|r| r.at),
                outlook: cached.inputs.outlook(now),
            });
        }
        // Something is due. Under the write lock, so that a change committed meanwhile or another
        // pass cannot make a reminder fire twice: if anything was committed since the plan was
        // read, it is read again.
        let result = crate::store::atomically(conn, |conn| -> Result<Pass> {
            let cached = self.refresh(conn)?;
            let split = cached.plan.partition_point(|r| r.at <= now);
            let due: Vec<Reminder> = cached.plan.drain(..split).collect();
            let notice = match compose(&due, &cached.inputs.calendar, now) {
                Some(notice) => Some(store::record(conn, &notice, now)?),
                None => None,
            };
            for r in &due {
                cached.inputs.fired.insert(r.key.clone(), now);
            }
            Ok(Pass { notice, next_at: cached.plan.first().map(|r| r.at), outlook: cached.inputs.outlook(now) })
        });
        if result.is_err() {
            self.forget();
        }
        result
    }
}

/// The plan as the settings page and `incident-desk reminders plan` show it.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub now: DateTime<Utc>,
    pub outlook: Outlook,
    /// Reminders still due, in time order (past ones fire at the next pass).
    pub reminders: Vec<Reminder>,
}

pub fn view(conn: &Connection, now: DateTime<Utc>) -> Result<PlanView> {
    let inputs = load(conn)?;
    Ok(PlanView { now, outlook: inputs.outlook(now), reminders: inputs.plan(now) })
}

/// The notices the window shows as banners: shown in the last day, not dismissed, and about a
/// window still open (a banner goes once the SEN is acknowledged or the report submitted).
pub fn banners(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<StoredNotice>> {
    let inputs = load(conn)?;
    let live = live_stages(&inputs.sens, &inputs.reports);
    Ok(store::recent(conn, now - BANNER_MAX_AGE)?
        .into_iter()
        .filter(|n| n.keys.iter().any(|k| k.window().is_some_and(|window| live.contains(window))))
        .collect())
}
