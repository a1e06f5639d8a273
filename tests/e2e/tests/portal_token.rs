//! The portal token lives in the OS keyring only. A distinctive token is given through the CLI
//! (`portal token --stdin`, into the real gnome-keyring on the private session bus), then used:
//! a refused sync (the portal first knows another token: 401, queue paused), the right token,
//! syncs that deliver, status and connection tests, all with trace logging. Afterwards no file
//! under the data dir (database with -wal/-shm, logs) or the XDG config, data and cache dirs holds
//! the token, and no command printed it.

use e2e::portal::{cli_json, cli_with_input, queue_reports, PortalProcess};
use e2e::{free_port, require_session};
use std::path::{Path, PathBuf};

fn files_under(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => files_under(&path, out),
            Ok(t) if t.is_file() => out.push(path),
            _ => {}
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_never_reaches_the_database_the_logs_or_the_config() -> anyhow::Result<()> {
    require_session()?;
    let token = format!("TOKEN-{}-never-on-disk", std::process::id());
    let data = tempfile::tempdir()?;
    let portal_dir = tempfile::tempdir()?;
    let dir = data.path();
    let trace = [("INCIDENT_DESK_LOG", "trace")];
    let mut printed: Vec<u8> = Vec::new();
    let mut run = |args: &[&str], stdin: &str| -> anyhow::Result<serde_json::Value> {
        let out = cli_with_input(dir, args, stdin, &trace)?;
        printed.extend_from_slice(&out.stdout);
        printed.extend_from_slice(&out.stderr);
        anyhow::ensure!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        Ok(serde_json::from_slice(&out.stdout)?)
    };

    // Before any address: refused with one line, exit 2.
    let unset = cli_with_input(dir, &["outbox", "sync"], "", &trace)?;
    assert_eq!(unset.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unset.stderr).contains("portal configure --url"));

    // The portal knows only another token at first: our token is refused (401).
    let port = free_port()?;
    let portal =
        PortalProcess::start(portal_dir.path(), &["--port", &port.to_string(), "--token", "some-other-token"])?;
    run(&["portal", "configure", "--url", &portal.url], "")?;
    // A connection held open all along (as the window holds one) keeps the -wal and -shm files,
    // with every commit of the commands below, on disk for the scan.
    let held = e2e::open_store(dir)?;
    let stored = run(&["portal", "token", "--stdin"], &format!("{token}\n"))?;
    assert_eq!(stored["token_stored"], true);
    let ids = queue_reports(dir, 3, "2024-03-01T08:10:00-08:00")?;
    let refused = run(&["outbox", "sync"], "")?;
    assert!(refused["paused"].as_str().is_some_and(|p| p.contains("token needed")), "{refused}");
    let test = run(&["portal", "test"], "")?;
    assert_eq!(test["token"], "refused");

    // The portal now accepts it: a new token given resumes the queue, everything goes.
    portal.stop();
    let portal = PortalProcess::start(portal_dir.path(), &["--port", &port.to_string(), "--token", &token])?;
    run(&["portal", "token", "--stdin"], &token)?;
    let synced = run(&["outbox", "sync", "--until-empty", "--timeout", "30"], "")?;
    assert_eq!((synced["sent"].as_u64(), synced["pending"].as_u64()), (Some(ids.len() as u64), Some(0)), "{synced}");
    assert_eq!(run(&["portal", "test"], "")?["token"], "accepted");
    run(&["portal", "show"], "")?;
    run(&["outbox", "status", "--items", "10"], "")?;
    cli_json(dir, &["outbox", "sync"], &trace)?;
    portal.stop();

    // Every file the app could have written (the WAL still holds the recent commits).
    let _ = held.conn().execute_batch("SELECT 1");
    let mut roots = vec![dir.to_path_buf()];
    for var in ["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"] {
        if let Some(path) = std::env::var_os(var) {
            roots.push(PathBuf::from(path));
        }
    }
    let mut files = Vec::new();
    for root in &roots {
        files_under(root, &mut files);
    }
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    for wanted in
        ["incident-desk.sqlite3", "incident-desk.sqlite3-wal", "incident-desk.sqlite3-shm", "logs/incident-desk"]
    {
        assert!(names.iter().any(|n| n.contains(wanted)), "expected {wanted} among the scanned files: {names:?}");
    }
    let log_bytes: u64 = files
        .iter()
        .filter(|f| f.starts_with(dir.join("logs")))
        .filter_map(|f| f.metadata().ok())
        .map(|m| m.len())
        .sum();
    assert!(log_bytes > 1_000, "trace logging wrote something to scan ({log_bytes} bytes)");
    for file in &files {
        let bytes = std::fs::read(file)?;
        assert!(!contains(&bytes, token.as_bytes()), "the token is in {}", file.display());
    }
    assert!(!contains(&printed, token.as_bytes()), "a command printed the token");
    drop(held);
    println!("token scan: {} files under {:?}, {log_bytes} bytes of trace logs: no token", files.len(), roots);

    // It is in the keyring, for this portal's address.
    let url = format!("http://127.0.0.1:{port}");
    let from_keyring = tokio::task::spawn_blocking(move || desk_core::secrets::get_token(&url)).await??;
    assert_eq!(from_keyring.map(|t| t.expose().to_string()), Some(token));
    Ok(())
}
