//! Chaos: 1,000 reports queued while the portal is down; the portal comes up with 30 % 5xx
//! answers, 10 % dropped connections (half before the request is processed, half after: the
//! record exists but the answer is lost) and random latency; the app (`incident-desk outbox sync
//! --until-empty` on the same data dir) is SIGKILLed twice during the sync. In the end the portal
//! holds exactly 1,000 reports, each once, every report is `sent` with the portal's incident
//! number, and the outbox is empty.

use e2e::portal::{cli_json, cli_with_input, practice_get, queue_reports, wait_until, PortalProcess};
use e2e::{free_port, require_session};
use std::collections::{HashMap, HashSet};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const REPORTS: usize = 1_000;
const TOKEN: &str = "chaos-exercise-token";

async fn portal_total(url: &str) -> anyhow::Result<i64> {
    Ok(practice_get(url, "/practice/incidents", TOKEN).await?["total"].as_i64().unwrap_or(-1))
}

fn db_sent(data_dir: &std::path::Path) -> anyhow::Result<usize> {
    let store = e2e::open_store(data_dir)?;
    Ok(desk_core::outbox::queue_status(store.conn())?.sent)
}

/// `outbox sync --until-empty` as a separate process (the app), with retries capped at 1 s so the
/// run stays short under a 30 % failure rate.
fn spawn_sync(data_dir: &std::path::Path) -> anyhow::Result<std::process::Child> {
    Ok(Command::new(e2e::app_binary())
        .arg("--data-dir")
        .arg(data_dir)
        .args(["outbox", "sync", "--until-empty", "--timeout", "300", "--max-retry-delay", "1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_reports_reach_a_faulty_portal_exactly_once_across_two_sigkills() -> anyhow::Result<()> {
    require_session()?;
    let started = Instant::now();
    let data = tempfile::tempdir()?;
    let portal_dir = tempfile::tempdir()?;
    let dir = data.path();
    let port = free_port()?;
    let url = format!("http://127.0.0.1:{port}");
    cli_json(dir, &["portal", "configure", "--url", &url], &[])?;
    let stored = cli_with_input(dir, &["portal", "token", "--stdin"], TOKEN, &[])?;
    assert!(stored.status.success(), "token: {}", String::from_utf8_lossy(&stored.stderr));

    // 1. Queued while the portal is down (nothing listens on its port).
    let ids = queue_reports(dir, REPORTS, "2024-03-01T08:10:00-08:00")?;
    let queued_in = started.elapsed();
    let down = cli_json(dir, &["outbox", "sync"], &[])?;
    assert_eq!(
        (down["offline"].as_bool(), down["sent"].as_u64(), down["pending"].as_u64()),
        (Some(true), Some(0), Some(REPORTS as u64)),
        "{down}"
    );

    // 2. The portal comes up, faulty.
    let portal = PortalProcess::start(
        portal_dir.path(),
        &[
            "--port",
            &port.to_string(),
            "--token",
            TOKEN,
            "--error-rate",
            "0.3",
            "--drop-request-rate",
            "0.05",
            "--drop-response-rate",
            "0.05",
            "--latency-ms",
            "0",
            "--latency-max-ms",
            "30",
        ],
    )?;
    assert_eq!(portal.url, url);

    // 3. The app syncs and is SIGKILLed twice along the way.
    let sync_started = Instant::now();
    let mut kills = Vec::new();
    for kill_after in [250_i64, 600] {
        let mut app = spawn_sync(dir)?;
        wait_until(Duration::from_secs(120), "portal progress", || async {
            Ok(portal_total(&url).await? >= kill_after)
        })
        .await?;
        assert!(app.try_wait()?.is_none(), "the sync must still be running when it is killed");
        app.kill()?; // SIGKILL
        app.wait()?;
        let (on_portal, recorded) = (portal_total(&url).await?, db_sent(dir)?);
        assert!(on_portal < REPORTS as i64, "killed during the sync, not after it");
        kills.push((on_portal, recorded));
    }

    // 4. A last run finishes the job.
    let last = spawn_sync(dir)?.wait_with_output()?;
    assert!(last.status.success(), "last sync failed: {}", last.status);
    let summary: serde_json::Value = serde_json::from_slice(&last.stdout)?;
    assert_eq!((summary["pending"].as_u64(), summary["timed_out"].as_bool()), (Some(0), Some(false)), "{summary}");
    let sync_time = sync_started.elapsed();

    // The portal holds exactly 1,000 reports, each once, and they are ours.
    let counts = practice_get(&url, "/practice/incidents", TOKEN).await?;
    assert_eq!(counts["total"].as_i64(), Some(REPORTS as i64), "exactly {REPORTS} on the portal");
    let on_portal: HashMap<String, (i64, Vec<String>)> = counts["reports"]
        .as_array()
        .map(|reports| {
            reports
                .iter()
                .map(|r| {
                    let numbers = r["incident_numbers"]
                        .as_array()
                        .map(|n| n.iter().filter_map(|v| v.as_str().map(String::from)).collect())
                        .unwrap_or_default();
                    (
                        r["report_id"].as_str().unwrap_or_default().to_string(),
                        (r["count"].as_i64().unwrap_or(0), numbers),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(on_portal.keys().cloned().collect::<HashSet<_>>(), ids.iter().cloned().collect::<HashSet<_>>());
    assert!(on_portal.values().all(|(count, _)| *count == 1), "each report once");

    // The outbox is empty; every report is sent with the number the portal gave it.
    let status = cli_json(dir, &["outbox", "status"], &[])?;
    assert_eq!(
        (status["pending"].as_u64(), status["parked"].as_u64(), status["sent"].as_u64()),
        (Some(0), Some(0), Some(REPORTS as u64)),
        "{status}"
    );
    let store = e2e::open_store(dir)?;
    for id in &ids {
        let report = desk_core::report::get(store.conn(), &desk_core::report::ReportId::parse(id)?)?;
        assert_eq!(report.state, desk_core::report::State::Sent, "report {id}");
        assert_eq!(report.incident_number.as_ref(), on_portal[id].1.first(), "report {id} carries the portal's number");
    }
    let stats = practice_get(&url, "/practice/stats", TOKEN).await?;
    portal.stop();
    println!(
        "chaos: {REPORTS} reports queued in {:.1} s; delivered through 30% 5xx + 10% drops + 0-30 ms latency in {:.1} s \
         with 2 SIGKILLs (portal/recorded at each kill: {kills:?}); portal saw {} requests ({} dropped), by status {}; total test {:.1} s",
        queued_in.as_secs_f64(),
        sync_time.as_secs_f64(),
        stats["requests"],
        stats["dropped"],
        stats["by_status"],
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
