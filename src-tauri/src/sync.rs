//! The window's background delivery: its own thread, its own async runtime and its OWN store
//! connection (the commands' mutex is never held across a network wait; WAL lets both work at
//! once). It runs outbox passes with `desk_core::outbox`, at once when something is queued
//! (it listens to `AppState::changes`), polls the health check while the portal is unreachable
//! (the pass after the portal answers sends at once), pulls SENs every few minutes and on
//! reconnection, and tells the window what changed.

use crate::events::{self, Topic};
use crate::portal_access;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use desk_core::outbox::{self, Pacing, SyncConfig};
use desk_core::portal::{feed, Outcome, PortalClient};
use desk_core::report::ReportEffects;
use desk_core::Store;
use serde::Serialize;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tauri::{AppHandle, Manager};
use tokio::sync::broadcast::{self, error::RecvError};

/// How often SENs are pulled (and at once when the portal answers again).
const SEN_PULL_INTERVAL: Duration = Duration::from_secs(5 * 60);
/// When the next outbox pass is made: `Pacing::WINDOW` (a change notice wakes the task earlier).
const PACING: Pacing = Pacing::WINDOW;
/// Passes woken by change notices are at least this far apart (the task's own notices wake it too).
const MIN_GAP: Duration = Duration::from_millis(250);
/// Retry opening the store or reading settings after a failure.
const RECOVER: Duration = Duration::from_secs(15);

/// What the background task knows beyond the database, for the Outbox page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncInfo {
    pub running: bool,
    pub last_pass_at: Option<DateTime<Utc>>,
    pub sens_pulled_at: Option<DateTime<Utc>>,
    pub sens_error: Option<String>,
    /// The keyring could not be read (the token is kept nowhere else).
    pub keyring_error: Option<String>,
    /// The task itself failed (the store could not be opened ...); it retries.
    pub error: Option<String>,
}

/// Managed state shared with the commands.
#[derive(Default)]
pub struct SyncState(Mutex<SyncInfo>);

impl SyncState {
    pub fn info(&self) -> SyncInfo {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn update(&self, f: impl FnOnce(&mut SyncInfo)) {
        f(&mut self.0.lock().unwrap_or_else(|p| p.into_inner()));
    }
}

/// Starts the task (once, after the first frame). `SyncState` is managed from the setup hook, so
/// the outbox page can ask before the task runs.
pub fn start(app: &AppHandle) {
    let Some(state) = app.try_state::<AppState>() else {
        tracing::error!("no app state: the outbox will not sync in the background");
        return;
    };
    let changes = state.changes.subscribe();
    let app = app.clone();
    let spawned = std::thread::Builder::new().name("portal-sync".into()).spawn(move || {
        let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(runtime) => runtime,
            Err(e) => {
                tracing::error!(error = %e, "cannot start the sync runtime");
                return;
            }
        };
        runtime.block_on(
            Task { app, changes, store: None, client: None, reload: true, next_sen_pull: Instant::now() }.run(),
        );
    });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the sync thread");
    }
}

struct Task {
    app: AppHandle,
    changes: broadcast::Receiver<Topic>,
    store: Option<Store>,
    client: Option<PortalClient>,
    /// Read the URL and token again (settings changed).
    reload: bool,
    next_sen_pull: Instant,
}

impl Task {
    fn info(&self, f: impl FnOnce(&mut SyncInfo)) {
        if let Some(state) = self.app.try_state::<SyncState>() {
            state.update(f);
        }
    }

    async fn run(mut self) {
        self.info(|i| i.running = true);
        let mut last_pass = Instant::now() - MIN_GAP;
        loop {
            let since = last_pass.elapsed();
            if since < MIN_GAP {
                tokio::time::sleep(MIN_GAP - since).await;
            }
            last_pass = Instant::now();
            let wait = match self.pass().await {
                Ok(wait) => {
                    self.info(|i| i.error = None);
                    wait
                }
                Err(e) => {
                    tracing::warn!(code = e.code(), error = %e, "background sync failed; retrying");
                    let message = e.to_string();
                    self.info(|i| i.error = Some(message));
                    // A broken connection is reopened.
                    self.store = None;
                    RECOVER
                }
            };
            let until = tokio::time::Instant::now() + wait;
            loop {
                tokio::select! {
                    () = tokio::time::sleep_until(until) => break,
                    notice = self.changes.recv() => match notice {
                        Ok(Topic::Settings) | Err(RecvError::Lagged(_)) => {
                            self.reload = true;
                            break;
                        }
                        // Something was queued (a report submitted, a SEN answered) or retried.
                        Ok(Topic::Outbox) => break,
                        // Typing in a report, a SEN recorded, a reminder shown: nothing to send.
                        Ok(_) => continue,
                        Err(RecvError::Closed) => return,
                    },
                }
            }
        }
    }

    /// One round: (re)load the configuration, pull SENs when due, one outbox pass. Returns how
    /// long to wait before the next round unless woken (`round_wait`).
    async fn pass(&mut self) -> desk_core::Result<Duration> {
        if self.store.is_none() {
            let state = self.app.state::<AppState>();
            self.store = Some(state.open_store()?);
            self.reload = true;
        }
        if self.reload {
            self.load_client().await?;
            self.reload = false;
        }
        let (Some(store), Some(client)) = (self.store.as_mut(), self.client.clone()) else {
            // No portal configured: nothing to do until the settings change.
            return Ok(PACING.idle);
        };
        let before = outbox::queue_status(store.conn())?;
        if Instant::now() >= self.next_sen_pull && before.paused.is_none() {
            self.pull_sens(&client).await?;
        }
        let Some(store) = self.store.as_mut() else { return Ok(RECOVER) };
        let now = Utc::now();
        let summary = outbox::sync_once_with(
            store,
            &client,
            &ReportEffects::new(crate::actor::current().clone()),
            now,
            &SyncConfig::default(),
        )
        .await?;
        self.info(|i| i.last_pass_at = Some(now));
        let changed = summary.sent > 0
            || summary.failed > 0
            || summary.offline != before.offline
            || summary.paused != before.paused;
        if changed {
            tracing::info!(
                sent = summary.sent,
                failed = summary.failed,
                pending = summary.pending,
                offline = summary.offline,
                "outbox pass"
            );
            events::changed(&self.app, Topic::Outbox);
            events::changed(&self.app, Topic::Reports);
        }
        if before.offline && !summary.offline {
            // Back online: the SEN feed at once too.
            self.next_sen_pull = Instant::now();
            return Ok(Duration::ZERO);
        }
        let Some(store) = self.store.as_ref() else { return Ok(RECOVER) };
        let outbox_wait = outbox::next_pass_in(Utc::now(), &summary, outbox::next_due(store.conn())?, &PACING);
        let sen_pull_in =
            summary.paused.is_none().then(|| self.next_sen_pull.saturating_duration_since(Instant::now()));
        Ok(round_wait(outbox_wait, sen_pull_in))
    }

    async fn load_client(&mut self) -> desk_core::Result<()> {
        let Some(store) = self.store.as_ref() else { return Ok(()) };
        let Some(url) = portal_access::base_url(store)? else {
            self.client = None;
            return Ok(());
        };
        let token = match portal_access::token_async(url.clone()).await {
            Ok(token) => {
                self.info(|i| i.keyring_error = None);
                token
            }
            Err(e) => {
                // Without a token the portal answers 401 and the queue asks for one.
                tracing::warn!(code = e.code(), "cannot read the portal token from the keyring");
                let message = e.to_string();
                self.info(|i| i.keyring_error = Some(message));
                None
            }
        };
        self.client = Some(portal_access::client(&url, token)?);
        self.next_sen_pull = Instant::now();
        Ok(())
    }

    async fn pull_sens(&mut self, client: &PortalClient) -> desk_core::Result<()> {
        self.next_sen_pull = Instant::now() + SEN_PULL_INTERVAL;
        let Some(store) = self.store.as_ref() else { return Ok(()) };
        let since = feed::cursor(store.conn())?;
        let sent_at = Utc::now();
        let pulled = client.pull_sens(since).await;
        let Some(store) = self.store.as_ref() else { return Ok(()) };
        match pulled {
            Ok(pull) => {
                outbox::portal_answered(store.conn(), Utc::now())?;
                let applied = feed::apply(store.conn(), pull, Utc::now(), crate::actor::current())?;
                for line in &applied.rejected {
                    tracing::warn!("SEN feed entry refused: {line}");
                }
                self.info(|i| {
                    i.sens_pulled_at = Some(sent_at);
                    i.sens_error = None;
                });
                if applied.changed() {
                    tracing::info!(created = applied.created.len(), updated = applied.updated.len(), "SENs pulled");
                    events::changed(&self.app, Topic::Sens);
                }
            }
            Err(outcome) => {
                if matches!(outcome, Outcome::Transient { unreachable: true, .. }) {
                    outbox::portal_unreachable(store.conn(), Utc::now())?;
                    events::changed(&self.app, Topic::Outbox);
                    // Tried again with the next health poll's success.
                }
                let message = outcome.describe();
                tracing::warn!("SEN pull failed: {message}");
                self.info(|i| i.sens_error = Some(message));
            }
        }
        Ok(())
    }
}

/// The wait before the next round: the outbox's, cut short by the next SEN pull when one can be
/// made (`sen_pull_in`: a portal is configured and the queue is not paused; a paused queue waits
/// for a new token, whose settings change reloads the client and pulls at once). With no pull
/// possible a pull time long past must not shorten it: the task would wake every `MIN_GAP`.
fn round_wait(outbox_wait: Duration, sen_pull_in: Option<Duration>) -> Duration {
    sen_pull_in.map_or(outbox_wait, |pull| outbox_wait.min(pull.max(MIN_GAP)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_waits_for_the_outbox_or_the_next_sen_pull_when_one_can_be_made() {
        let minute = Duration::from_secs(60);
        assert_eq!(round_wait(minute, Some(Duration::from_secs(10))), Duration::from_secs(10));
        assert_eq!(round_wait(Duration::from_secs(5), Some(SEN_PULL_INTERVAL)), Duration::from_secs(5));
        assert_eq!(round_wait(minute, Some(Duration::ZERO)), MIN_GAP, "a pull due now: soon, not at once");
        assert_eq!(round_wait(minute, None), minute, "no portal, or the queue paused: the outbox's wait");
    }
}
