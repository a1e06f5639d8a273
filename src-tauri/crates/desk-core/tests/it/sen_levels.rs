//! Every row of the SIMM 5335-A tables (domain.md section 3): the stage windows (III.D) and the
//! escalation offsets from the start of each stage (III.G.2), per level, as data and as computed.

use chrono::{DateTime, TimeDelta, Utc};
use desk_core::calendar::BusinessCalendar;
use desk_core::sen::deadlines::{schedule, DeterminationTimes, Outcome, SenTimes};
use desk_core::sen::levels::{self, describe, escalation_level, ClockKind, EscalationClock, Stage, ESCALATION_LADDER};

use crate::common::la;

/// The times of a SEN whose `stage` started at `start` (earlier stages done right before).
fn times_with_stage_starting(stage: Stage, start: DateTime<Utc>) -> SenTimes {
    let earlier = start - TimeDelta::minutes(1);
    match stage {
        Stage::Acknowledge => SenTimes { sent_at: start, acknowledged_at: None, determination: None, linked_at: None },
        Stage::Determine => {
            SenTimes { sent_at: earlier, acknowledged_at: Some(start), determination: None, linked_at: None }
        }
        Stage::Record => SenTimes {
            sent_at: earlier - TimeDelta::minutes(1),
            acknowledged_at: Some(earlier),
            determination: Some(DeterminationTimes {
                at: start,
                outcome: Outcome::ConfirmedIncident,
                findings_by: None,
                requested_at: None,
                help_requested_at: None,
            }),
            linked_at: None,
        },
    }
}

/// One row: `level`'s `stage` has a `window` and escalations at `offsets` (minutes from the stage
/// start). Checked as data, and as computed from a stage starting Monday 08:00 (all offsets fit in
/// that business day, so business and clock minutes coincide there).
fn check(level: &str, stage: Stage, window: u32, offsets: [u32; 3]) {
    let rule = levels::rule(level).expect("known level");
    let row = rule.stage(stage);
    assert_eq!(row.window_minutes, window, "{level} {stage:?} window");
    assert_eq!(row.escalation_minutes, offsets, "{level} {stage:?} escalations");

    let calendar = BusinessCalendar::default().compile().expect("calendar");
    let start = la("2026-03-02 08:00");
    let computed = schedule(rule, &calendar, &times_with_stage_starting(stage, start), EscalationClock::SameAsWindow);
    let due = computed.stage(stage);
    assert_eq!((due.start, due.projected_start), (start, false), "{level} {stage:?} start");
    assert_eq!(due.due, start + TimeDelta::minutes(i64::from(window)), "{level} {stage:?} due");
    let escalations: Vec<_> = computed.escalations.iter().filter(|e| e.stage == stage).collect();
    assert_eq!(escalations.len(), 3);
    for (escalation, (offset, level_no)) in escalations.iter().zip(offsets.iter().zip(1u8..)) {
        assert_eq!(escalation.level, level_no);
        assert_eq!(escalation.at, start + TimeDelta::minutes(i64::from(*offset)), "{level} {stage:?} L{level_no}");
        assert_eq!(escalation.recipients, escalation_level(level_no).expect("ladder").to);
    }
}

#[test]
fn critical_rows() {
    check("critical", Stage::Acknowledge, 60, [60, 150, 180]);
    check("critical", Stage::Determine, 120, [120, 150, 180]);
    check("critical", Stage::Record, 30, [30, 60, 180]);
}

#[test]
fn high_rows() {
    check("high", Stage::Acknowledge, 120, [120, 150, 180]);
    check("high", Stage::Determine, 240, [240, 270, 300]);
    check("high", Stage::Record, 60, [60, 90, 120]);
}

#[test]
fn medium_rows() {
    check("medium", Stage::Acknowledge, 120, [120, 150, 180]);
    check("medium", Stage::Determine, 240, [240, 270, 300]);
    check("medium", Stage::Record, 120, [120, 150, 180]);
}

#[test]
fn level_columns_label_colour_clock_total() {
    let check = |id: &str, label: &str, colour: &str, clock: ClockKind, total: u32| {
        let rule = levels::rule(id).expect("known");
        assert_eq!((rule.label, rule.colour, rule.clock, rule.total_minutes()), (label, colour, clock, total), "{id}");
    };
    check("critical", "Critical", "red", ClockKind::Clock, 210); // 3.5 clock hours
    check("high", "High", "orange", ClockKind::Business, 420); // 7 business hours
    check("medium", "Medium", "yellow", ClockKind::Business, 480); // 8 business hours
    assert_eq!(levels::rule(" CRITICAL ").map(|r| r.id), Some("critical"));
}

#[test]
fn escalation_ladder_recipients() {
    let to: Vec<&str> = ESCALATION_LADDER.iter().map(|l| l.to).collect();
    assert_eq!(
        to,
        [
            "Statewide Incident Program Manager (SIPM)",
            "State Chief Information Security Officer (CISO) and State Deputy CISO",
            "State Chief Information Officer (CIO) and State Deputy CIO",
        ]
    );
    assert!(ESCALATION_LADDER
        .iter()
        .all(|l| l.email_copies.contains(&"Entity established SOC notify group email address")));
    assert!(escalation_level(4).is_none());
}

#[test]
fn unknown_levels_are_kept_with_a_note() {
    let low = describe("LOW");
    assert_eq!((low.id.as_str(), low.label.as_str(), low.colour, low.rule), ("low", "Low", None, None));
    assert!(low.note.as_deref().is_some_and(|n| n.contains("no deadlines are computed")), "{:?}", low.note);
    let critical = describe("Critical");
    assert_eq!((critical.colour, critical.note), (Some("red"), None));
}

#[test]
fn escalation_clock_setting_shows_the_seed_words() {
    assert_eq!(EscalationClock::default(), EscalationClock::SameAsWindow);
    assert!(levels::ESCALATION_CLOCK_SEED_WORDS.contains("After 2 clock hours for first level escalation (Level 1)"));
    assert!(levels::ESCALATION_CLOCK_SEED_WORDS.contains("two (2) business hours"));
    assert_eq!(serde_json::to_string(&EscalationClock::LiteralClockHours).expect("json"), "\"literal_clock_hours\"");
}
