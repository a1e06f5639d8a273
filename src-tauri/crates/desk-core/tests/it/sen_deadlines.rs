//! The response clock on real-shaped timelines: after hours, Friday evening, holiday weekends,
//! close of business, DST, projections, more time, false positives, escalation clock, status.

use chrono::TimeDelta;
use desk_core::sen::deadlines::{status, DeterminationTimes, Outcome, Schedule, StageState};
use desk_core::sen::levels::{EscalationClock, Stage};
use proptest::prelude::*;

use crate::common::{default_calendar as calendar, la, plan, plan_with, sent, utc};

/// The three due times, LA wall clock, and whether each start is projected.
fn check_dues(schedule: &Schedule, expected: [(&str, bool); 3]) {
    let cal = calendar();
    for (due, (when, projected)) in schedule.stages.iter().zip(expected) {
        assert_eq!(cal.format_local(due.due), cal.format_local(la(when)), "{:?} due", due.stage);
        assert_eq!(due.projected_start, projected, "{:?} projected", due.stage);
    }
}

fn escalation_times(schedule: &Schedule, stage: Stage) -> Vec<String> {
    let cal = calendar();
    schedule.escalations.iter().filter(|e| e.stage == stage).map(|e| cal.format_local(e.at)).collect()
}

#[test]
fn critical_runs_on_the_clock_through_the_night() {
    let s = plan("critical", &sent(la("2026-03-07 23:30")));
    check_dues(&s, [("2026-03-08 00:30", false), ("2026-03-08 03:30", true), ("2026-03-08 04:00", true)]);
    // 23:30 PST + 3.5 h crosses the spring-forward change: 3.5 real hours, wall clock 04:00 PDT.
    assert_eq!(s.stages[2].due - s.stages[0].start, TimeDelta::minutes(210));
}

#[test]
fn critical_clock_hour_across_autumn_change_ends_one_real_hour_later() {
    let sent_at = utc("2026-11-01T08:30:00Z"); // 01:30 PDT, first pass
    let s = plan("critical", &sent(sent_at));
    assert_eq!(s.stages[0].due, utc("2026-11-01T09:30:00Z"));
    assert_eq!(
        calendar().format_local(s.stages[0].due),
        "Sun 2026-11-01 01:30 PST",
        "the wall clock shows the same time"
    );
}

#[test]
fn high_sent_friday_evening_is_due_monday_across_spring_forward() {
    let s = plan("high", &sent(la("2026-03-06 16:00")));
    check_dues(&s, [("2026-03-09 09:00", false), ("2026-03-09 13:00", true), ("2026-03-09 14:00", true)]);
    assert_eq!(s.stages[0].due, utc("2026-03-09T16:00:00Z"));
}

#[test]
fn high_sent_after_hours_counts_from_next_opening() {
    let s = plan("high", &sent(la("2026-03-03 20:00")));
    check_dues(&s, [("2026-03-04 10:00", false), ("2026-03-04 14:00", true), ("2026-03-04 15:00", true)]);
}

#[test]
fn medium_before_thanksgiving_weekend_and_close_of_business() {
    // 15:00 + 2 business hours lands exactly at 17:00 Wednesday: that close, not Monday morning.
    let s = plan("medium", &sent(la("2026-11-25 15:00")));
    check_dues(&s, [("2026-11-25 17:00", false), ("2026-11-30 12:00", true), ("2026-11-30 14:00", true)]);
}

#[test]
fn medium_before_a_holiday_weekend_skips_the_holiday() {
    // Friday 2026-09-04 16:30 before Labor Day: 30 min Friday, 90 min Tuesday.
    let s = plan("medium", &sent(la("2026-09-04 16:30")));
    check_dues(&s, [("2026-09-08 09:30", false), ("2026-09-08 13:30", true), ("2026-09-08 15:30", true)]);
}

#[test]
fn real_times_replace_projections() {
    let mut times = sent(la("2026-03-02 09:00"));
    times.acknowledged_at = Some(la("2026-03-02 09:30"));
    let s = plan("high", &times);
    check_dues(&s, [("2026-03-02 11:00", false), ("2026-03-02 13:30", false), ("2026-03-02 14:30", true)]);
    assert_eq!(s.stages[0].completed_at, Some(la("2026-03-02 09:30")));

    times.determination = Some(DeterminationTimes {
        at: la("2026-03-02 10:15"),
        outcome: Outcome::ConfirmedIncident,
        findings_by: None,
        requested_at: None,
        help_requested_at: None,
    });
    let s = plan("high", &times);
    check_dues(&s, [("2026-03-02 11:00", false), ("2026-03-02 13:30", false), ("2026-03-02 11:15", false)]);
    assert_eq!(s.stages[1].completed_at, Some(la("2026-03-02 10:15")));
}

#[test]
fn more_time_moves_the_determination_due_and_its_escalations() {
    let mut times = sent(la("2026-03-02 09:00"));
    times.acknowledged_at = Some(la("2026-03-02 09:30"));
    times.determination = Some(DeterminationTimes {
        at: la("2026-03-02 11:00"),
        outcome: Outcome::MoreTime,
        findings_by: Some(la("2026-03-05 12:00")),
        requested_at: None,
        help_requested_at: None,
    });
    let s = plan("high", &times);
    check_dues(&s, [("2026-03-02 11:00", false), ("2026-03-05 12:00", false), ("2026-03-05 13:00", true)]);
    assert!(s.stages[1].due_from_findings_by);
    assert_eq!(s.stages[1].completed_at, None, "more time does not end the stage");
    assert_eq!(
        escalation_times(&s, Stage::Determine),
        ["Thu 2026-03-05 12:00 PST", "Thu 2026-03-05 12:30 PST", "Thu 2026-03-05 13:00 PST",]
    );

    // The final determination later keeps the moved due date and ends the stage.
    times.determination = Some(DeterminationTimes {
        at: la("2026-03-05 10:00"),
        outcome: Outcome::ConfirmedIncident,
        findings_by: Some(la("2026-03-05 12:00")),
        requested_at: None,
        help_requested_at: None,
    });
    let s = plan("high", &times);
    check_dues(&s, [("2026-03-02 11:00", false), ("2026-03-05 12:00", false), ("2026-03-05 11:00", false)]);
    assert!(s.escalations.iter().filter(|e| e.stage == Stage::Determine).all(|e| e.averted));
}

#[test]
fn false_positive_needs_no_incident_record() {
    let mut times = sent(la("2026-03-02 09:00"));
    times.acknowledged_at = Some(la("2026-03-02 09:10"));
    times.determination = Some(DeterminationTimes {
        at: la("2026-03-02 10:00"),
        outcome: Outcome::FalsePositive,
        findings_by: None,
        requested_at: None,
        help_requested_at: None,
    });
    let s = plan("critical", &times);
    assert!(s.stages[2].not_applicable);
    assert!(s.escalations.iter().all(|e| e.stage != Stage::Record));
    let now = la("2026-03-02 12:00");
    let st = status(&s, &calendar(), now);
    assert_eq!(st.stages[2].state, StageState::NotApplicable);
    assert_eq!(st.current_stage, None);
    assert_eq!(st.next_escalation, None);
}

#[test]
fn escalation_clock_setting() {
    let times = sent(la("2026-03-06 16:00")); // Friday
    let same = plan_with("high", &times, EscalationClock::SameAsWindow);
    assert_eq!(
        escalation_times(&same, Stage::Acknowledge),
        ["Mon 2026-03-09 09:00 PDT", "Mon 2026-03-09 09:30 PDT", "Mon 2026-03-09 10:00 PDT",]
    );
    let literal = plan_with("high", &times, EscalationClock::LiteralClockHours);
    assert_eq!(
        escalation_times(&literal, Stage::Acknowledge),
        ["Fri 2026-03-06 18:00 PST", "Fri 2026-03-06 18:30 PST", "Fri 2026-03-06 19:00 PST",]
    );
    assert_eq!(literal.stages[0].due, same.stages[0].due, "the response window itself does not change");
    // Critical is on the clock either way.
    let critical = sent(la("2026-03-06 16:00"));
    assert_eq!(
        plan_with("critical", &critical, EscalationClock::SameAsWindow).escalations,
        plan_with("critical", &critical, EscalationClock::LiteralClockHours).escalations
    );
}

#[test]
fn escalations_are_averted_only_by_a_response_in_time() {
    let mut times = sent(la("2026-03-02 09:00"));
    times.acknowledged_at = Some(la("2026-03-02 10:00")); // Critical: exactly at L1 (1 h)
    let s = plan("critical", &times);
    let averted: Vec<bool> =
        s.escalations.iter().filter(|e| e.stage == Stage::Acknowledge).map(|e| e.averted).collect();
    assert_eq!(averted, [true, true, true]);
    times.acknowledged_at = Some(la("2026-03-02 11:00")); // after L1, before L2 (2.5 h)
    let s = plan("critical", &times);
    let averted: Vec<bool> =
        s.escalations.iter().filter(|e| e.stage == Stage::Acknowledge).map(|e| e.averted).collect();
    assert_eq!(averted, [false, true, true]);
}

#[test]
fn status_at_a_moment() {
    let cal = calendar();
    let s = plan("high", &sent(la("2026-03-06 16:00")));
    // Saturday noon: 2 h business left, 69 real hours.
    let st = status(&s, &cal, la("2026-03-07 12:00"));
    assert_eq!(st.current_stage, Some(Stage::Acknowledge));
    assert_eq!(st.stages[0].state, StageState::DueIn { minutes: 20 * 60 + 24 * 60 });
    assert_eq!(st.stages[0].business_minutes_left, Some(60));
    assert_eq!(st.stages[0].business_time_left, Some(TimeDelta::hours(1)));
    // Nothing reads differently before the acknowledgement falls due (its L1 escalation is then too).
    assert_eq!(st.changes_at(), Some(la("2026-03-09 09:00")));
    assert!(st.counts_business_time());
    assert!(
        st.stages[0].text.starts_with("due in 1 d 20 h (1 h business; Mon 2026-03-09 09:00 PDT"),
        "{}",
        st.stages[0].text
    );
    let next = st.next_escalation.expect("next escalation");
    assert_eq!((next.stage, next.level, next.at), (Stage::Acknowledge, 1, la("2026-03-09 09:00")));
    assert_eq!(
        st.next_escalation_text.as_deref(),
        Some("Level 1 (Statewide Incident Program Manager (SIPM)) at Mon 2026-03-09 09:00 PDT, in 1 d 20 h")
    );
    assert_eq!(st.stages[0].due_local, "Mon 2026-03-09 09:00 PDT");
    assert!(st.escalated.is_empty());
    assert!(st.stages[1].projected);

    // Monday 09:40: overdue by 40 min; L1 (09:00) and L2 (09:30) have passed, L3 (10:00) is next.
    let st = status(&s, &cal, la("2026-03-09 09:40"));
    assert_eq!(st.stages[0].state, StageState::Overdue { minutes: 40 });
    assert_eq!(st.stages[0].text, "overdue by 40 min (was due Mon 2026-03-09 09:00 PDT)");
    assert_eq!(st.escalated.iter().map(|e| e.level).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(st.next_escalation.as_ref().map(|e| e.level), Some(3));
    // Overdue: the next change is the L3 escalation; business time is no longer counted here.
    assert_eq!(st.changes_at(), Some(la("2026-03-09 10:00")));
    assert_eq!(st.stages[0].business_time_left, None);
}

#[test]
fn a_page_asks_again_when_the_clocks_next_read_differently() {
    use desk_core::sen::clocks_change_at;
    let cal = calendar();
    // Tuesday 10:00: a Critical SEN sent at 09:50 (clock hours) and a High one sent at 09:00
    // (business hours, acknowledgement due at 13:00 on the same day).
    let now = la("2026-03-03 10:00");
    let critical = status(&plan("critical", &sent(la("2026-03-03 09:50"))), &cal, now);
    let high = status(&plan("high", &sent(la("2026-03-03 09:00"))), &cal, now);
    assert_eq!(critical.changes_at(), Some(la("2026-03-03 10:50")), "the acknowledgement falls due");
    assert_eq!(clocks_change_at([&critical], &cal, now), Some(la("2026-03-03 10:50")));
    assert_eq!(clocks_change_at([&critical, &high], &cal, now), Some(la("2026-03-03 10:50")));
    // The High one alone: its figures count business time; the earliest of its due time and the
    // day's closing.
    assert!(high.counts_business_time() && !critical.counts_business_time());
    let high_due = high.changes_at().expect("open stage");
    assert_eq!(clocks_change_at([&high], &cal, now), Some(high_due.min(la("2026-03-03 17:00"))));
    // In the evening, nothing of the High one changes until the next opening (or its due time).
    let evening = la("2026-03-03 18:00");
    let high_evening = status(&plan("high", &sent(la("2026-03-03 16:30"))), &cal, evening);
    let next = clocks_change_at([&high_evening], &cal, evening).expect("a change ahead");
    assert!(next <= la("2026-03-04 08:00"), "{next}");
    assert_eq!(clocks_change_at([], &cal, now), None, "nothing shown, nothing to ask");
}

#[test]
fn status_of_a_late_acknowledgement() {
    let cal = calendar();
    let mut times = sent(la("2026-03-02 09:00"));
    times.acknowledged_at = Some(la("2026-03-02 10:25"));
    let s = plan("critical", &times);
    let st = status(&s, &cal, la("2026-03-02 10:30"));
    assert_eq!(st.stages[0].state, StageState::Done { at: la("2026-03-02 10:25"), late_by_minutes: 25 });
    assert_eq!(st.stages[0].text, "done Mon 2026-03-02 10:25 PST (25 min late)");
    assert_eq!(st.current_stage, Some(Stage::Determine));
    let next = st.next_escalation.expect("next");
    assert_eq!((next.stage, next.level, next.at), (Stage::Determine, 1, la("2026-03-02 12:25")));
    assert!(st.escalated.is_empty(), "the acknowledgement L1 escalation is history, not pending");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn stages_follow_each_other(sent_min in 0i64..(5 * 365 * 24 * 60), ack in proptest::option::of(0i64..3_000),
                                 level in prop::sample::select(vec!["critical", "high", "medium"])) {
        let sent_at = la("2025-01-01 00:00") + TimeDelta::minutes(sent_min);
        let mut times = sent(sent_at);
        times.acknowledged_at = ack.map(|m| sent_at + TimeDelta::minutes(m));
        let s = plan(level, &times);
        for stage in &s.stages {
            prop_assert!(stage.due >= stage.start);
        }
        prop_assert!(s.stages[1].start >= s.stages[0].start);
        prop_assert!(s.stages[2].start >= s.stages[1].start);
        prop_assert_eq!(s.escalations.len(), 9);
        for e in &s.escalations {
            prop_assert!(e.at >= s.stage(e.stage).start);
        }
    }
}

#[test]
fn given_times_must_follow_the_answering_order() {
    use desk_core::sen::deadlines::{OutOfOrder, SenTimes};
    let sent = utc("2026-03-02T17:00:00Z");
    let ack = utc("2026-03-02T17:10:00Z");
    let det = utc("2026-03-02T18:00:00Z");
    assert_eq!(
        SenTimes::given(sent, Some(sent - TimeDelta::minutes(1)), None),
        Err(OutOfOrder::AcknowledgedBeforeSent)
    );
    assert_eq!(SenTimes::given(sent, None, Some(det)), Err(OutOfOrder::DeterminedWithoutAcknowledgement));
    assert_eq!(SenTimes::given(sent, Some(ack), Some(sent)), Err(OutOfOrder::DeterminedBeforeAcknowledged));
    let times = SenTimes::given(sent, Some(ack), Some(det)).expect("in order");
    assert_eq!(times.acknowledged_at, Some(ack));
    let determination = times.determination.expect("determination");
    assert_eq!((determination.at, determination.outcome), (det, Outcome::ConfirmedIncident));
    assert_eq!(SenTimes::given(sent, None, None).expect("sent only").determination, None);
}
