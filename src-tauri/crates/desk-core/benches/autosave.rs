//! Autosave and search latency on a realistic database, printed as a table.
//!
//! Builds an on-disk store (WAL, synchronous FULL, as `Store` opens it) with 10,000 reports, then:
//! - autosave: `report::set_field` on a full report with 50 affected computers, one transaction per
//!   keystroke, next to a bare rusqlite INSERT of the same bytes (the report's JSON) in its own
//!   transaction, which is the floor the disk sets;
//! - search: `report::list` with FTS5 text over the 10,000 reports (each first search after typing
//!   also indexes the report typed into: autosave only marks it).
//!
//! Everything runs twice in the same process, on a plain database and on one encrypted with
//! SQLCipher as the app opens it, and the two are printed side by side.
//!
//! Targets: autosave p99 < 5 ms, search p99 < 20 ms. Run: `cargo bench -p desk-core --bench autosave`
//! (`AUTOSAVE_REPORTS=2000` for a quicker run).

// Test and benchmark code: a failed unwrap is a failed test (the workspace lints deny it in the
// shipped code).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{Duration as Span, Utc};
use desk_core::profile::{Contact, Entity, Profile};
use desk_core::report::{self, ListQuery};
use desk_core::store::cipher::DbKey;
use desk_core::store::DB_FILE;
use desk_core::Store;
use rusqlite::params;
use serde_json::json;
use std::time::{Duration, Instant};

const WORDS: &[&str] = &[
    "phishing",
    "ransomware",
    "laptop",
    "stolen",
    "payroll",
    "server",
    "mailbox",
    "credential",
    "vpn",
    "firewall",
    "malware",
    "outage",
    "database",
    "breach",
    "contractor",
    "badge",
    "printer",
    "backup",
    "encryption",
    "usb",
    "sacramento",
    "fresno",
    "district",
    "office",
    "workstation",
    "invoice",
    "wire",
    "vendor",
    "scanner",
    "portal",
];

/// Tiny deterministic generator: the same database every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn word(&mut self) -> &'static str {
        WORDS[self.next() % WORDS.len()]
    }
    fn sentence(&mut self, words: usize) -> String {
        (0..words).map(|_| self.word()).collect::<Vec<_>>().join(" ")
    }
}

fn profile() -> Profile {
    Profile {
        entity: Entity {
            name: "Department of Examples".into(),
            address: "1 Capitol Mall, Sacramento, CA 95814".into(),
        },
        reporting_person: Contact {
            name: "Rita Reporter".into(),
            address: "1 Capitol Mall".into(),
            email: "rita.reporter@example.ca.gov".into(),
            phones: vec!["(916) 555-0101".into()],
        },
        iso: Contact {
            name: "Ada ISO".into(),
            address: "1 Capitol Mall".into(),
            email: "ada.iso@example.ca.gov".into(),
            phones: vec!["(916) 555-0100".into(), "(916) 555-0199".into()],
        },
        alternate: Contact { name: "Sam Sysadmin".into(), phones: vec!["(916) 555-0102".into()], ..Contact::default() },
    }
}

struct Stats {
    p50: Duration,
    p99: Duration,
    max: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    Stats { p50: at(0.50), p99: at(0.99), max: samples[samples.len() - 1] }
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

fn main() {
    let reports: usize = std::env::var("AUTOSAVE_REPORTS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let plain = measure(false, reports);
    let encrypted = measure(true, reports);
    println!();
    println!(
        "{:<56} {:>9} {:>9} {:>9}   {:>9} {:>9} {:>9}",
        "operation (ms)", "plain p50", "p99", "max", "SQLCipher", "p99", "max"
    );
    for ((name, p), (_, e)) in plain.into_iter().zip(encrypted) {
        println!(
            "{name:<56} {:>9} {:>9} {:>9}   {:>9} {:>9} {:>9}",
            ms(p.p50),
            ms(p.p99),
            ms(p.max),
            ms(e.p50),
            ms(e.p99),
            ms(e.max)
        );
    }
    println!("(targets: autosave p99 < 5 ms, search p99 < 20 ms)");
}

/// Builds the database (plain or encrypted) and measures; returns (operation, stats) rows.
fn measure(encrypted: bool, reports: usize) -> Vec<(String, Stats)> {
    let keystrokes: usize = 2_000;
    let searches: usize = 500;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = if encrypted {
        Store::open_encrypted(&dir.path().join(DB_FILE), &DbKey::generate().expect("key"))
            .expect("open encrypted store")
    } else {
        Store::open_in_dir(dir.path()).expect("open store")
    };
    let now = Utc::now();
    let discovered = (now - Span::hours(3)).to_rfc3339();
    let mut rng = Lcg(42);

    // ---- the database: 10,000 reports, in one transaction (the API nests as savepoints) ----
    let started = Instant::now();
    let tx = store.conn_mut().transaction().expect("tx");
    for i in 0..reports {
        let id = report::create_draft(&tx, &profile(), now, &desk_core::audit::Actor::new("bench", "bench"))
            .expect("create")
            .report_id;
        let words = 60 + rng.next() % 200;
        let description = format!("Report {i}: {}", rng.sentence(words));
        report::set_field(
            &tx,
            &id,
            "incident.description",
            json!(description),
            now,
            &desk_core::audit::Actor::new("bench", "bench"),
        )
        .expect("description");
        report::set_field(
            &tx,
            &id,
            "incident.discovered_at",
            json!(discovered),
            now,
            &desk_core::audit::Actor::new("bench", "bench"),
        )
        .expect("discovered");
        report::set_field(
            &tx,
            &id,
            "incident.actions_taken",
            json!(rng.sentence(30)),
            now,
            &desk_core::audit::Actor::new("bench", "bench"),
        )
        .expect("actions");
        let rows = rng.next() % 3;
        for c in 0..rows {
            report::add_row(&tx, &id, "computers", now, &desk_core::audit::Actor::new("bench", "bench")).expect("row");
            report::set_field(
                &tx,
                &id,
                &format!("computers.{c}.hostname"),
                json!(format!("WS-{i}-{c}")),
                now,
                &desk_core::audit::Actor::new("bench", "bench"),
            )
            .expect("host");
            report::set_field(
                &tx,
                &id,
                &format!("computers.{c}.ip"),
                json!(format!("10.{}.{}.{}", i % 250, c, i % 200 + 1)),
                now,
                &desk_core::audit::Actor::new("bench", "bench"),
            )
            .expect("ip");
        }
    }
    // The report being typed: every field filled, 50 affected computers.
    let target = report::create_draft(&tx, &profile(), now, &desk_core::audit::Actor::new("bench", "bench"))
        .expect("create")
        .report_id;
    let set = |path: &str, value: serde_json::Value| {
        report::set_field(&tx, &target, path, value, now, &desk_core::audit::Actor::new("bench", "bench")).expect(path);
    };
    set("incident.description", json!(rng.sentence(400)));
    set("incident.discovered_at", json!(discovered));
    set("incident.occurred_at", json!((now - Span::hours(5)).to_rfc3339()));
    set("incident.actions_taken", json!(rng.sentence(80)));
    set("categories.criminal_activity", json!(true));
    set("categories.criminal.theft_or_destruction", json!(true));
    set("federal.category", json!("cat_1"));
    set("response.detection_method", json!(rng.sentence(20)));
    set("response.impact", json!(rng.sentence(40)));
    set("personal_info.involved", json!("yes"));
    set("personal_info.residents_to_notify", json!("1200"));
    for c in 0..50 {
        report::add_row(&tx, &target, "computers", now, &desk_core::audit::Actor::new("bench", "bench")).expect("row");
        for (field, value) in [
            ("make_model", "Dell Latitude 7440".to_string()),
            ("serial_number", format!("SN{c:06}")),
            ("asset_number", format!("CA-ASSET-{c:05}")),
            ("ip", format!("10.20.{}.{}", c / 100, c % 100 + 1)),
            ("hostname", format!("LT-{c:03}")),
            ("os", "Windows 11 23H2, patched 2024-02".to_string()),
            ("location", "Sacramento, 3rd floor".to_string()),
            ("function", "workstation".to_string()),
            ("antivirus", "Defender 4.18, definitions 2024-02-28".to_string()),
        ] {
            set(&format!("computers.{c}.{field}"), json!(value));
        }
    }
    tx.commit().expect("commit");
    let doc_bytes = serde_json::to_string(&report::get(store.conn(), &target).expect("get").doc).expect("json");
    let db_size = std::fs::metadata(store.path()).map(|m| m.len()).unwrap_or(0);
    println!(
        "{} database: {} reports built in {:.1} s, {:.1} MB; the report typed into: 50 computers, {} bytes of JSON",
        if encrypted { "encrypted (SQLCipher)" } else { "plain" },
        reports + 1,
        started.elapsed().as_secs_f64(),
        db_size as f64 / 1e6,
        doc_bytes.len()
    );

    let conn = store.conn();
    // Building by autosave marked every report for indexing; a search would catch up on all of
    // them once. Done here, and timed, so that the search figures below are steady-state.
    let t = Instant::now();
    let indexed = report::refresh_search_index(conn).expect("index");
    println!("(search index caught up on {indexed} reports in {:.0} ms)", t.elapsed().as_secs_f64() * 1e3);
    // Experiment: `AUTOSAVE_NO_AUTOCHECKPOINT=1` moves WAL checkpoints off the typing path (as an
    // idle-time checkpoint would), to show how much of the tail they are.
    if std::env::var_os("AUTOSAVE_NO_AUTOCHECKPOINT").is_some() {
        conn.execute_batch("PRAGMA wal_autocheckpoint = 0").expect("autocheckpoint");
        println!("(WAL auto-checkpoint off for the measurements)");
    }
    // ---- autosave: one keystroke = one set_field = one durable transaction ----
    let mut autosave = Vec::with_capacity(keystrokes);
    let mut description = String::from("Typing: ");
    for k in 0..keystrokes {
        let at = Utc::now();
        let t = Instant::now();
        if k % 2 == 0 {
            description.push(char::from(b'a' + (k % 26) as u8));
            report::set_field(
                conn,
                &target,
                "incident.description",
                json!(description),
                at,
                &desk_core::audit::Actor::new("bench", "bench"),
            )
            .expect("autosave");
        } else {
            let c = (k / 2) % 50;
            report::set_field(
                conn,
                &target,
                &format!("computers.{c}.location"),
                json!(format!("Room {k}")),
                at,
                &desk_core::audit::Actor::new("bench", "bench"),
            )
            .expect("autosave");
        }
        autosave.push(t.elapsed());
    }

    // ---- the same keystrokes without waiting for the disk: what the autosave itself costs ----
    conn.execute_batch("PRAGMA synchronous = OFF").expect("sync off");
    let mut in_memory = Vec::with_capacity(keystrokes);
    for k in 0..keystrokes {
        let at = Utc::now();
        let t = Instant::now();
        description.push(char::from(b'a' + (k % 26) as u8));
        report::set_field(
            conn,
            &target,
            "incident.description",
            json!(description),
            at,
            &desk_core::audit::Actor::new("bench", "bench"),
        )
        .expect("autosave");
        in_memory.push(t.elapsed());
    }
    conn.execute_batch("PRAGMA synchronous = FULL").expect("sync full");

    // ---- the floor: a bare INSERT of the same bytes, one durable transaction each ----
    conn.execute_batch("CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, body TEXT NOT NULL)").expect("raw table");
    let mut bare = Vec::with_capacity(keystrokes);
    for _ in 0..keystrokes {
        let t = Instant::now();
        conn.execute("INSERT INTO bench_raw (body) VALUES (?1)", params![doc_bytes]).expect("raw insert");
        bare.push(t.elapsed());
    }

    // ---- search over every report ----
    let mut search = Vec::with_capacity(searches);
    let mut hits = 0;
    for s in 0..searches {
        let text = if s % 3 == 0 {
            format!("{} {}", rng.word(), rng.word())
        } else {
            {
                let w = rng.word();
                w.get(..4).unwrap_or(w).to_string()
            }
        };
        let t = Instant::now();
        hits += report::list(conn, &ListQuery { text: Some(text), limit: Some(50), ..ListQuery::default() })
            .expect("search")
            .len();
        search.push(t.elapsed());
    }
    let mut listing = Vec::with_capacity(100);
    for _ in 0..100 {
        let t = Instant::now();
        report::list(conn, &ListQuery::default()).expect("list");
        listing.push(t.elapsed());
    }

    println!("(searches returned {hits} rows in all)");
    vec![
        (format!("autosave set_field, 50-computer report (n={keystrokes})"), stats(autosave)),
        ("  same autosave, synchronous=OFF (CPU and page writes)".to_string(), stats(in_memory)),
        (format!("bare rusqlite INSERT of the same {} bytes", doc_bytes.len()), stats(bare)),
        (format!("FTS search, {} reports, top 50 (n={searches})", reports + 1), stats(search)),
        ("list, no text, newest 200 (n=100)".to_string(), stats(listing)),
    ]
}
