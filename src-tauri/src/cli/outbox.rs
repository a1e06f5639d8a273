//! `incident-desk outbox ...`: the queue of everything sent to the portal. `sync` delivers now,
//! with the same runner as the window's background task, so the window and the CLI may run at
//! once on one data directory (each item still reaches the portal once).

use super::{open_store, print_json, CliError, CliResult};
use crate::portal_access;
use clap::Subcommand;
use desk_core::outbox::{self, RetryPolicy, RunOptions, SyncConfig};
use desk_core::report::ReportEffects;
use serde::Serialize;
use std::path::Path;
use std::time::Duration;

#[derive(Subcommand)]
pub enum OutboxCommand {
    /// The queue: pending, sent, parked, offline or paused, next attempt (JSON).
    Status {
        /// Also list the newest N items.
        #[arg(long, value_name = "N")]
        items: Option<usize>,
    },
    /// Deliver now and print a summary (JSON: sent, failed, pending, ...).
    Sync {
        /// Keep going until nothing deliverable is left (retries included), instead of one pass.
        #[arg(long)]
        until_empty: bool,
        /// Stop after this many seconds in any case.
        #[arg(long, value_name = "SECONDS")]
        timeout: Option<f64>,
        /// Longest wait between two attempts of one item in this run (default 240 s; for
        /// exercises that inject faults).
        #[arg(long, value_name = "SECONDS")]
        max_retry_delay: Option<f64>,
    },
}

#[derive(Serialize)]
struct Status {
    #[serde(flatten)]
    queue: outbox::QueueStatus,
    portal_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<Vec<outbox::ItemStatus>>,
}

fn seconds(value: f64, name: &str) -> Result<Duration, CliError> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| CliError::Refused(format!("--{name}: a positive number of seconds, e.g. 30")))
}

pub fn run(command: OutboxCommand, data_dir: &Path) -> CliResult {
    match command {
        OutboxCommand::Status { items } => {
            let store = open_store(data_dir)?;
            let queue = outbox::queue_status(store.conn())?;
            let items = items.map(|n| outbox::list_recent(store.conn(), n)).transpose()?;
            print_json(&Status { queue, portal_url: portal_access::base_url(&store)?, items })
        }
        OutboxCommand::Sync { until_empty, timeout, max_retry_delay } => {
            let timeout = timeout.map(|t| seconds(t, "timeout")).transpose()?;
            let mut policy = RetryPolicy::default();
            if let Some(cap) = max_retry_delay {
                policy.max_delay = seconds(cap, "max-retry-delay")?;
                policy.min_delay = policy.min_delay.min(policy.max_delay);
            }
            let mut store = open_store(data_dir)?;
            let url = portal_access::base_url(&store)?.ok_or_else(|| {
                CliError::Refused(
                    "no portal address yet: run `incident-desk portal configure --url <URL>` first".into(),
                )
            })?;
            // Without a token the portal answers 401: the queue pauses and says "token needed".
            let token = portal_access::token(&url).map_err(|e| CliError::Failed(e.to_string()))?;
            let client = portal_access::client(&url, token)?;
            let sync = SyncConfig { policy, ..SyncConfig::default() };
            let runtime = super::runtime()?;
            let summary = runtime.block_on(async {
                if until_empty || timeout.is_some() {
                    let options = RunOptions { until_empty, timeout, sync, ..RunOptions::default() };
                    outbox::run(&mut store, &client, &ReportEffects::new(crate::actor::current().clone()), options)
                        .await
                } else {
                    outbox::sync_once_with(
                        &mut store,
                        &client,
                        &ReportEffects::new(crate::actor::current().clone()),
                        chrono::Utc::now(),
                        &sync,
                    )
                    .await
                }
            })?;
            tracing::info!(sent = summary.sent, failed = summary.failed, pending = summary.pending, "outbox sync");
            print_json(&summary)
        }
    }
}
