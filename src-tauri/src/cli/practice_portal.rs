//! `incident-desk practice-portal [--port N] [faults…]`: the practice portal (the v1 contract over
//! real HTTP) for exercises (CAT 0) and tests. Prints where it listens, serves until Ctrl-C.

use super::{CliError, CliResult};
use clap::Args;
use serde_json::json;
use std::io::Write;

#[derive(Args)]
pub struct PracticePortalArgs {
    #[command(flatten)]
    pub config: practice_portal::Config,
}

pub fn run(args: PracticePortalArgs) -> CliResult {
    let runtime = super::runtime()?;
    runtime.block_on(async {
        let handle = practice_portal::PracticePortal::start(args.config).await.map_err(|e| match e {
            practice_portal::StartError::InvalidFaults(_) | practice_portal::StartError::Tls(_) => {
                CliError::Refused(e.to_string())
            }
            other => CliError::Failed(other.to_string()),
        })?;
        let line = json!({"url": handle.base_url(), "port": handle.addr.port()});
        let mut out = std::io::stdout().lock();
        writeln!(out, "{line}").and_then(|()| out.flush()).map_err(|e| CliError::Failed(e.to_string()))?;
        drop(out);
        eprintln!("practice portal listening on {} (Ctrl-C to stop)", handle.base_url());
        handle.serve_until_ctrl_c().await.map_err(|e| CliError::Failed(format!("cannot wait for Ctrl-C: {e}")))
    })
}
