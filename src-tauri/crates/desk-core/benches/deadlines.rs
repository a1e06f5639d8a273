//! Business-hour deadline throughput: random SENs over a 5-year span, the fast calendar arithmetic
//! side by side with the naive minute-stepping reference, plus whole schedules. Criterion measures
//! both in one group (throughput in elements/s, one element = one deadline computed); a summary
//! table follows with computations per second, the speed-up, and fast-vs-reference agreement on the
//! sample. Prints figures, never fails on speed; target: >= 1,000,000 business-hour deadline
//! computations per second (release build).
//!
//! Run: `cargo bench --locked -p desk-core --bench deadlines`

// Test and benchmark code: a failed unwrap is a failed test (the workspace lints deny it in the
// shipped code).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use criterion::{Criterion, Throughput};
use desk_core::calendar::BusinessCalendar;
use desk_core::calendar::CompiledCalendar;
use desk_core::sen::deadlines::{schedule, SenTimes};
use desk_core::sen::levels::{self, EscalationClock};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::hint::black_box;
use std::time::Instant;

const TARGET_PER_SECOND: f64 = 1_000_000.0;

/// Cases per criterion iteration: the fast path, and the (slow by design) reference.
const FAST_BATCH: usize = 10_000;
const REFERENCE_BATCH: usize = 200;

/// Criterion: fast and reference side by side in one group, then whole schedules.
fn criterion_benches(
    c: &mut Criterion,
    calendar: &CompiledCalendar,
    cases: &[(DateTime<Utc>, u32)],
    sens: &[SenTimes],
) {
    let mut group = c.benchmark_group("business_deadline_random_2025_2029");
    group.sample_size(10);
    group.throughput(Throughput::Elements(FAST_BATCH as u64));
    group.bench_function("fast_add_business_minutes", |b| {
        b.iter(|| {
            let mut checksum = 0i64;
            for &(start, minutes) in &cases[..FAST_BATCH] {
                checksum ^= calendar.add_business_minutes(black_box(start), black_box(minutes)).timestamp();
            }
            checksum
        })
    });
    group.throughput(Throughput::Elements(REFERENCE_BATCH as u64));
    group.bench_function("reference_minute_stepping", |b| {
        b.iter(|| {
            let mut checksum = 0i64;
            for &(start, minutes) in &cases[..REFERENCE_BATCH] {
                checksum ^= calendar.add_business_minutes_reference(black_box(start), black_box(minutes)).timestamp();
            }
            checksum
        })
    });
    group.finish();

    let rules: Vec<_> = ["critical", "high", "medium"].iter().map(|id| levels::rule(id).expect("level")).collect();
    let mut group = c.benchmark_group("sen_schedule");
    group.sample_size(10);
    group.throughput(Throughput::Elements(FAST_BATCH as u64));
    group.bench_function("three_dues_nine_escalations", |b| {
        b.iter(|| {
            let mut checksum = 0i64;
            for (i, times) in sens[..FAST_BATCH].iter().enumerate() {
                let plan = schedule(rules[i % 3], calendar, black_box(times), EscalationClock::SameAsWindow);
                checksum ^= plan.stages[2].due.timestamp();
            }
            checksum
        })
    });
    group.finish();
}

fn main() {
    let mut rng = StdRng::seed_from_u64(5335);
    let from = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).single().expect("start").timestamp();
    let to = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).single().expect("end").timestamp();
    // Every business window and escalation offset of the High and Medium levels.
    let mut windows: Vec<u32> = ["high", "medium"]
        .iter()
        .flat_map(|id| levels::rule(id).expect("level").stages.iter())
        .flat_map(|s| std::iter::once(s.window_minutes).chain(s.escalation_minutes))
        .collect();
    windows.sort_unstable();
    windows.dedup();
    let cases: Vec<(DateTime<Utc>, u32)> = (0..200_000)
        .map(|_| {
            let minute = rng.random_range(from / 60..to / 60);
            let start = DateTime::from_timestamp(minute * 60, 0).expect("in range");
            (start, windows[rng.random_range(0..windows.len())])
        })
        .collect();

    let started = Instant::now();
    let calendar = BusinessCalendar::default().compile().expect("default calendar");
    let compile_time = started.elapsed();

    // Fast path: several passes over the sample.
    let passes = 10;
    let started = Instant::now();
    let mut checksum = 0i64;
    for _ in 0..passes {
        for &(start, minutes) in &cases {
            checksum ^= black_box(calendar.add_business_minutes(black_box(start), black_box(minutes))).timestamp();
        }
    }
    let fast_elapsed = started.elapsed();
    let fast_ops = (passes * cases.len()) as f64;
    let fast_rate = fast_ops / fast_elapsed.as_secs_f64();

    // Reference: minute stepping, on a slice of the same sample (it is slow by design).
    let reference_cases = &cases[..5_000];
    let started = Instant::now();
    let mut mismatches = 0;
    for &(start, minutes) in reference_cases {
        let slow = black_box(calendar.add_business_minutes_reference(black_box(start), black_box(minutes)));
        if slow != calendar.add_business_minutes(start, minutes) {
            mismatches += 1;
        }
    }
    // The timing above includes one fast call per case; it is negligible next to the stepping.
    let reference_elapsed = started.elapsed();
    let reference_rate = reference_cases.len() as f64 / reference_elapsed.as_secs_f64();

    // Whole schedules (3 due times + 9 escalations) for random High / Medium / Critical SENs.
    let rules: Vec<_> = ["critical", "high", "medium"].iter().map(|id| levels::rule(id).expect("level")).collect();
    let sens: Vec<SenTimes> = cases
        .iter()
        .take(100_000)
        .map(|&(start, _)| SenTimes {
            sent_at: start,
            acknowledged_at: Some(start + TimeDelta::minutes(rng.random_range(1..600))),
            determination: None,
            linked_at: None,
        })
        .collect();
    let mut criterion = Criterion::default().configure_from_args();
    criterion_benches(&mut criterion, &calendar, &cases, &sens);
    criterion.final_summary();

    let started = Instant::now();
    for (i, times) in sens.iter().enumerate() {
        let plan = schedule(rules[i % 3], &calendar, black_box(times), EscalationClock::SameAsWindow);
        checksum ^= black_box(plan.stages[2].due.timestamp());
    }
    let schedule_elapsed = started.elapsed();
    let schedule_rate = sens.len() as f64 / schedule_elapsed.as_secs_f64();

    println!("SEN business-hour deadlines (random sent times 2025-2029, windows {windows:?} min)");
    println!("  calendar compile (holiday bitset 2000-2150):  {:>12.1} us", compile_time.as_secs_f64() * 1e6);
    println!(
        "  fast add_business_minutes:                    {:>12.0} computations/s ({:.0} ns each, {} ops)",
        fast_rate,
        1e9 / fast_rate,
        fast_ops
    );
    println!(
        "  reference minute-stepping:                    {:>12.0} computations/s ({:.0} ns each, {} ops)",
        reference_rate,
        1e9 / reference_rate,
        reference_cases.len()
    );
    println!("  speed-up fast / reference:                    {:>12.0}x", fast_rate / reference_rate);
    println!("  fast != reference on the sample:              {:>12}", mismatches);
    println!("  full schedules (3 dues + 9 escalations):      {:>12.0} schedules/s", schedule_rate);
    println!(
        "  target >= {:.0}/s:                          {:>12}",
        TARGET_PER_SECOND,
        if fast_rate >= TARGET_PER_SECOND { "met" } else { "NOT MET" }
    );
    black_box(checksum);
}
