//! `incident-desk audit verify`: walks every history chain (desk_core::audit). Sound: the JSON
//! summary `{"ok": true, "chains", "rows"}`, exit 0. Broken: `{"ok": false, "broken": {table,
//! row_id, record, reason}}` on stdout, the same in one line on stderr, exit 1.

use super::{open_store, print_json, CliError, CliResult};
use clap::Subcommand;
use std::path::Path;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check every report's revisions and events and every SEN's history against their hash
    /// chains; names the first broken link (exit 1).
    Verify,
}

pub fn run(command: AuditCommand, data_dir: &Path) -> CliResult {
    match command {
        AuditCommand::Verify => {
            let store = open_store(data_dir)?;
            match desk_core::audit::verify(store.conn())? {
                Ok(verified) => {
                    print_json(&serde_json::json!({"ok": true, "chains": verified.chains, "rows": verified.rows}))
                }
                Err(broken) => {
                    print_json(&serde_json::json!({"ok": false, "broken": broken}))?;
                    Err(CliError::Failed(format!("history chain broken at {broken}")))
                }
            }
        }
    }
}
