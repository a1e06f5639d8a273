//! The practice portal: a real HTTP server of the Incident Desk portal contract (v1,
//! `shared/portal-api.md`), for training and for tests over loopback. It is an independent
//! implementation of the contract: it shares no code with the client in desk-core.
//!
//! ```text
//! GET  /api/v1/health                                  no token
//! POST /api/v1/incidents                               201 {incident_number, report_id, received_at}
//! POST /api/v1/incidents/{incident_number}/supplements 201 {incident_number, revision, received_at}
//! GET  /api/v1/sens?updated_since=<RFC 3339>           200 {sens: [...]} (updated_since inclusive)
//! POST /api/v1/sens/{sen_number}/acknowledgement       201 {sen_number, status, received_at}
//! POST /api/v1/sens/{sen_number}/determination         201 {sen_number, outcome, status, received_at}
//! POST /api/v1/sens/{sen_number}/incident-link         201 {sen_number, incident_number, status, received_at}
//!
//! Training and inspection (bearer token required, never faulted, no Idempotency-Key):
//! POST /practice/sens        {sen_number?, level, summary, sent_at?, status?} → 201 the SEN (creates or replaces)
//! GET  /practice/sens        every SEN with the responses received
//! GET  /practice/incidents   ?report_id= → {total, reports: [{report_id, count, incident_numbers, supplement_revisions}]}
//! GET  /practice/faults      the faults in force
//! PUT  /practice/faults      replace them: a `Faults` JSON (missing members = off) plus optional `down_for_secs`
//! GET  /practice/stats       {requests, dropped, by_status: {"201": n, ...}} of the contract endpoints
//! ```

mod api;
mod config;
mod faults;
mod practice;
mod server;
mod store;
mod tls;
mod validate;

pub use config::{Config, DownMode, Faults, DEFAULT_PORT, DEFAULT_TOKEN, RESPONSE_FORMATS};
pub use validate::OUTCOMES;

use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the practice portal's store: {0}")]
    Store(#[from] rusqlite::Error),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("fault rates must be between 0 and 1: {0}")]
    InvalidFaults(String),
    #[error("cannot serve HTTPS: {0}")]
    Tls(String),
}

/// Namespace of [`PracticePortal::start`].
pub struct PracticePortal;

impl PracticePortal {
    /// Binds the listener and serves in the background on the current tokio runtime.
    pub async fn start(config: Config) -> Result<Handle, StartError> {
        let bad = config.faults.invalid_rates();
        if !bad.is_empty() {
            return Err(StartError::InvalidFaults(bad.join(", ")));
        }
        let tls = match (&config.tls_cert, &config.tls_key) {
            (Some(cert), Some(key)) => Some(tls::acceptor(cert, key)?),
            (None, None) => None,
            _ => return Err(StartError::Tls("--tls-cert and --tls-key go together".into())),
        };
        let wanted = SocketAddr::new(config.bind, config.port);
        let listener =
            tokio::net::TcpListener::bind(wanted).await.map_err(|source| StartError::Bind { addr: wanted, source })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind { addr: wanted, source })?;
        let app = api::App::new(&config)?;
        let faults = app.faults.clone();
        let refusing = app.refusing.subscribe();
        let (shutdown, shutdown_rx) = watch::channel(false);
        let scheme = if tls.is_some() { "https" } else { "http" };
        let task = tokio::spawn(server::serve(listener, addr, app, tls, shutdown_rx));
        tracing::info!(%addr, scheme, "practice portal listening");
        Ok(Handle { addr, scheme, shutdown, task, faults, refusing })
    }
}

/// A running practice portal.
pub struct Handle {
    pub addr: SocketAddr,
    scheme: &'static str,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
    faults: Arc<watch::Sender<Faults>>,
    /// The accept loop's listening state (see [`Handle::switch_faults`]).
    refusing: watch::Receiver<bool>,
}

impl Handle {
    /// `http://127.0.0.1:<port>` (`https://` with TLS): the base URL a client is configured with.
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    pub fn faults(&self) -> Faults {
        self.faults.borrow().clone()
    }

    /// Replaces the faults in force (as `PUT /practice/faults` does). Every fault but `refuse`
    /// applies from the next request; a `refuse` switched on or off takes the accept loop a moment
    /// (see [`Handle::switch_faults`]).
    pub fn set_faults(&self, faults: Faults) {
        self.faults.send_replace(faults);
    }

    /// Test control: replaces the faults and returns once they are in force, so a test switches a
    /// fault on, and off again, instead of sleeping until a `down_until` window ends (or until the
    /// port closes). Down in mode `refuse`: returns once the listening socket is closed; otherwise
    /// once the portal listens again. For a `down_until` longer than this call takes (a test
    /// switching it off sets it far ahead, e.g. an hour). Not part of the portal's contract.
    pub async fn switch_faults(&self, faults: Faults) {
        let refuse = faults.down_at(chrono::Utc::now()) == Some(DownMode::Refuse);
        self.faults.send_replace(faults);
        // An error means the server task has ended: nothing left to wait for.
        let _ = self.refusing.clone().wait_for(|refusing| *refusing == refuse).await;
    }

    /// Stops listening, closes every connection and waits for the server task.
    pub async fn shutdown(self) {
        self.shutdown.send_replace(true);
        let _ = self.task.await;
    }

    /// Serves until the process receives Ctrl-C (for the CLI), then shuts down.
    pub async fn serve_until_ctrl_c(self) -> std::io::Result<()> {
        let result = tokio::signal::ctrl_c().await;
        self.shutdown().await;
        result
    }
}
