//! Never lose a keystroke: type into a report through the real window, SIGKILL the app mid-typing
//! (no chance to flush anything), restart it, and check that every character typed more than
//! 300 ms before the kill is there (and nothing that was never typed).
//!
//! Rounds: `REPORT_KILL_ROUNDS` (default below); `INCIDENT_DESK_SOAK=1` (the suite's soak mode)
//! runs 20. `REPORT_KILL_SEED` replays a run (the seed is printed).

use anyhow::{ensure, Context, Result};
use e2e::report::{control, seed_profile};
use e2e::Desk;
use e2e::WAIT;
use std::time::{Duration, Instant};

/// Rounds in the normal suite (about 6 s each on the 2-core CI machine, see README).
const DEFAULT_ROUNDS: usize = 20;
const SOAK_ROUNDS: usize = 20;
/// The promise: a keystroke is on disk this long after it was typed.
const DURABLE_WITHIN: Duration = Duration::from_millis(300);
const FIELDS: [&str; 2] = ["incident.description", "incident.actions_taken"];

/// Small deterministic generator (the seed is printed so a failure can be replayed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// One burst of typing: a word and a separator, sometimes digits or punctuation.
    fn chunk(&mut self) -> String {
        const WORDS: &[&str] = &[
            "laptop",
            "stolen",
            "vpn",
            "badge",
            "server",
            "payroll",
            "phish",
            "usb",
            "Sacramento",
            "CHP",
            "ISO",
            "10.1.2.3",
            "x",
            "ok",
        ];
        const SEPARATORS: &[&str] = &[" ", " ", " ", ", ", ". ", "; ", "-", "\n"];
        let word = WORDS[self.below(WORDS.len() as u64) as usize];
        let sep = SEPARATORS[self.below(SEPARATORS.len() as u64) as usize];
        format!("{word}{sep}")
    }
}

fn rounds() -> usize {
    if std::env::var("INCIDENT_DESK_SOAK").is_ok_and(|v| !v.is_empty() && v != "0") {
        return SOAK_ROUNDS;
    }
    std::env::var("REPORT_KILL_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_ROUNDS)
}

/// What one field must hold after a restart: at least `confirmed` (typed more than 300 ms before
/// the kill) and at most `attempted` (everything sent to the window, a partly typed burst included).
#[derive(Clone, Default)]
struct Expect {
    confirmed: String,
    attempted: String,
}

/// Reads the field after a restart and checks it against what was typed.
async fn check(desk: &Desk, field: &str, expect: &Expect, round: usize) -> Result<String> {
    let stored = desk.value(&format!("f-{field}")).await?;
    ensure!(
        stored.starts_with(&expect.confirmed),
        "round {round}: {field} lost characters typed more than 300 ms before the kill\n  expected at least: {:?}\n  found:             {:?}",
        expect.confirmed,
        stored
    );
    ensure!(
        expect.attempted.starts_with(&stored),
        "round {round}: {field} holds text that was never typed\n  typed: {:?}\n  found: {:?}",
        expect.attempted,
        stored
    );
    Ok(stored)
}

#[tokio::test]
async fn sigkill_mid_typing_loses_nothing_typed_300_ms_before_the_kill() -> Result<()> {
    let rounds = rounds();
    let seed = std::env::var("REPORT_KILL_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(7)
    });
    println!("kill test: {rounds} rounds, REPORT_KILL_SEED={seed}");
    let mut rng = Lcg(seed);
    let data = tempfile::tempdir()?;
    seed_profile(data.path())?;
    let started = Instant::now();

    let desk = Desk::launch(data.path(), &[]).await?;
    let report_id = desk.new_report().await?;
    desk.click_css("#w-incident\\.discovered_at button").await?; // "Now": the report is a real one
    desk.wait_saved().await?;
    let mut expect: [Expect; 2] = Default::default();
    let mut first = Some(desk);

    for round in 0..rounds {
        let round_started = Instant::now();
        let desk = match first.take() {
            Some(desk) => desk,
            None => {
                let desk = Desk::launch(data.path(), &[]).await?;
                desk.open_report(&report_id).await?;
                for (i, field) in FIELDS.iter().enumerate() {
                    let stored = check(&desk, field, &expect[i], round).await?;
                    if expect[i].attempted != expect[i].confirmed {
                        println!(
                            "          restart: {field} kept {} chars (at least {} required, {} typed)",
                            stored.chars().count(),
                            expect[i].confirmed.chars().count(),
                            expect[i].attempted.chars().count()
                        );
                    }
                    expect[i] = Expect { confirmed: stored.clone(), attempted: stored };
                }
                desk
            }
        };
        let which = round % FIELDS.len();
        let field = FIELDS[which];
        // Focus the field with the caret at the end, then type bursts into it until the kill.
        let el = desk.wait_css(&control(field), WAIT).await?;
        desk.client
            .execute(
                "const el = document.getElementById(arguments[0]); el.scrollIntoView({ block: 'center' }); el.focus(); el.setSelectionRange(el.value.length, el.value.length);",
                vec![format!("f-{field}").into()],
            )
            .await?;
        let start_text = expect[which].confirmed.clone();
        let bursts: Vec<String> = (0..400).map(|_| rng.chunk()).collect();
        let typing = tokio::spawn(async move {
            let mut text = start_text;
            let mut log: Vec<(Instant, String)> = Vec::new();
            for burst in bursts {
                let attempted = format!("{text}{burst}");
                // WebKitWebDriver drops a typed "\n"; the Enter key makes the new line.
                if el.send_keys(&burst.replace('\n', "\u{E007}")).await.is_err() {
                    return (log, attempted);
                }
                text.push_str(&burst);
                log.push((Instant::now(), text.clone()));
            }
            (log, text)
        });

        // Type for a while, kill at a random moment (often mid-burst).
        let typing_for = Duration::from_millis(700 + rng.below(1800));
        tokio::time::sleep(typing_for).await;
        let kill_at = Instant::now();
        desk.kill_app().await.context("SIGKILL the app")?;
        let (log, attempted) = typing.await?;
        let confirmed = log
            .iter()
            .rev()
            .find(|(at, _)| *at + DURABLE_WITHIN <= kill_at)
            .map(|(_, text)| text.clone())
            .unwrap_or_else(|| expect[which].confirmed.clone());
        println!(
            "round {round:>2}: {field}: typed {} bursts in {typing_for:?}, {} chars must survive, killed with {} more in flight; round took {:.1} s",
            log.len(),
            confirmed.chars().count(),
            attempted.chars().count() - confirmed.chars().count(),
            round_started.elapsed().as_secs_f64()
        );
        expect[which] = Expect { confirmed, attempted };
    }

    let desk = Desk::launch(data.path(), &[]).await?;
    desk.open_report(&report_id).await?;
    for (i, field) in FIELDS.iter().enumerate() {
        check(&desk, field, &expect[i], rounds).await?;
    }
    desk.settled_screenshot("report-after-kills").await?;
    desk.quit().await?;
    println!("kill test: {rounds} rounds in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
