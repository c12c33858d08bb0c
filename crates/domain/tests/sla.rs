//! Service levels and the stage clock, in working days.

use chrono::{Datelike, NaiveDate, Weekday};
use proptest::prelude::*;
use vamyar_calendar::WorkingCalendar;
use vamyar_domain::sla::{
    ClockState, CountingInterval, ServiceLevels, ServiceLevelsError, SlaReport, SlaStatus,
    StageClock, StageClockError, evaluate,
};

fn iso(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Saturday 2026-11-28; Friday 2026-12-04 is the weekend.
fn sat() -> NaiveDate {
    iso(2026, 11, 28)
}

fn open(from: NaiveDate) -> Vec<CountingInterval> {
    vec![CountingInterval {
        from,
        to: None,
        counting: true,
    }]
}

/// Fridays off, and a holiday on Wednesday 2026-12-09.
fn calendar() -> WorkingCalendar {
    WorkingCalendar::new().with_holidays([iso(2026, 12, 9)])
}

#[test]
fn dates_used_here() {
    assert_eq!(sat().weekday(), Weekday::Sat);
    assert_eq!(iso(2026, 12, 4).weekday(), Weekday::Fri);
    assert_eq!(iso(2026, 12, 9).weekday(), Weekday::Wed);
}

#[test]
fn saturday_with_target_three_is_due_tuesday() {
    let cal = WorkingCalendar::new();
    let report = evaluate(&cal, &open(sat()), 3, sat());
    assert_eq!(
        report,
        SlaReport {
            used: 0,
            remaining: 3,
            due_on: Some(iso(2026, 12, 1)),
            status: SlaStatus::OnTime,
            clock: ClockState::Running,
        }
    );
    assert_eq!(cal.add_working_days(sat(), 3), iso(2026, 12, 1));
}

#[test]
fn a_holiday_moves_the_due_date() {
    let cal = WorkingCalendar::new().with_holidays([iso(2026, 11, 30)]);
    let report = evaluate(&cal, &open(sat()), 3, sat());
    assert_eq!(report.due_on, Some(iso(2026, 12, 2)));
}

#[test]
fn status_day_by_day_then_breach_exactly_the_day_after_due() {
    let cal = calendar();
    let intervals = open(sat());
    let expect = [
        (iso(2026, 11, 28), 0, SlaStatus::OnTime),
        (iso(2026, 11, 29), 1, SlaStatus::OnTime),
        (iso(2026, 11, 30), 2, SlaStatus::DueSoon),
        (iso(2026, 12, 1), 3, SlaStatus::DueSoon),
        (iso(2026, 12, 2), 4, SlaStatus::Breached),
    ];
    for (today, used, status) in expect {
        let r = evaluate(&cal, &intervals, 3, today);
        assert_eq!((r.used, r.status), (used, status), "on {today}");
        assert_eq!(r.remaining, 3 - used);
        assert_eq!(r.due_on, Some(iso(2026, 12, 1)), "on {today}");
    }
}

#[test]
fn fridays_are_not_counted_and_breach_can_fall_on_a_friday() {
    let cal = calendar();
    // Started Monday 11-30, target 3: Tue, Wed, Thu 12-03.
    let intervals = open(iso(2026, 11, 30));
    let due = iso(2026, 12, 3);
    assert_eq!(
        evaluate(&cal, &intervals, 3, due).status,
        SlaStatus::DueSoon
    );
    let friday = evaluate(&cal, &intervals, 3, iso(2026, 12, 4));
    assert_eq!(friday.status, SlaStatus::Breached);
    assert_eq!(friday.used, 3);
    assert_eq!(friday.remaining, 0);
    assert_eq!(friday.due_on, Some(due));

    // Started Wednesday 12-02, target 3: Thu, (Fri off), Sat, Sun 12-06.
    let intervals = open(iso(2026, 12, 2));
    let r = evaluate(&cal, &intervals, 3, iso(2026, 12, 4));
    assert_eq!((r.used, r.remaining), (1, 2));
    assert_eq!(r.due_on, Some(iso(2026, 12, 6)));
    assert_eq!(r.status, SlaStatus::OnTime);
    // Thursday 12-03 has two working days left (Sat, Sun): not yet due soon.
    assert_eq!(
        evaluate(&cal, &intervals, 3, iso(2026, 12, 3)).status,
        SlaStatus::OnTime
    );
    // Saturday has one left.
    assert_eq!(
        evaluate(&cal, &intervals, 3, iso(2026, 12, 5)).status,
        SlaStatus::DueSoon
    );
}

#[test]
fn holiday_inside_the_stage() {
    let cal = calendar();
    // Started Monday 12-07, target 3: Tue 8, (Wed 9 holiday), Thu 10, (Fri off), Sat 12.
    let intervals = open(iso(2026, 12, 7));
    let r = evaluate(&cal, &intervals, 3, iso(2026, 12, 7));
    assert_eq!(r.due_on, Some(iso(2026, 12, 12)));
    let r = evaluate(&cal, &intervals, 3, iso(2026, 12, 11));
    assert_eq!((r.used, r.status), (2, SlaStatus::DueSoon));
    assert_eq!(
        evaluate(&cal, &intervals, 3, iso(2026, 12, 13)).status,
        SlaStatus::Breached
    );
}

#[test]
fn pausing_while_the_applicant_owns_the_stage_moves_the_due_date() {
    let cal = calendar();
    // Submitted Saturday, returned for correction Sunday (1 day used), resubmitted
    // Wednesday 12-02: Thu 12-03 and Sat 12-05 complete the target.
    let mut clock = StageClock::start(sat(), 3, true);
    assert_eq!(clock.due_on(&cal, sat()), Some(iso(2026, 12, 1)));
    clock.pause(iso(2026, 11, 29)).unwrap();

    let paused = clock.evaluate(&cal, iso(2026, 12, 1));
    assert_eq!(
        paused,
        SlaReport {
            used: 1,
            remaining: 2,
            due_on: None,
            status: SlaStatus::OnTime,
            clock: ClockState::Paused,
        }
    );
    // Long after the original due date, a paused clock is not breached.
    assert_eq!(clock.status(&cal, iso(2026, 12, 20)), SlaStatus::OnTime);

    let mut clock_resumed = clock.clone();
    clock_resumed.resume(iso(2026, 12, 2)).unwrap();
    let r = clock_resumed.evaluate(&cal, iso(2026, 12, 2));
    assert_eq!((r.used, r.remaining), (1, 2));
    assert_eq!(r.due_on, Some(iso(2026, 12, 5)));
    assert_eq!(r.clock, ClockState::Running);
    assert_eq!(
        clock_resumed.status(&cal, iso(2026, 12, 5)),
        SlaStatus::DueSoon
    );
    assert_eq!(
        clock_resumed.status(&cal, iso(2026, 12, 6)),
        SlaStatus::Breached
    );
    assert_eq!(clock_resumed.working_days_used(&cal, iso(2026, 12, 6)), 4);
    assert_eq!(
        clock_resumed.intervals(),
        [
            CountingInterval {
                from: sat(),
                to: Some(iso(2026, 11, 29)),
                counting: true
            },
            CountingInterval {
                from: iso(2026, 11, 29),
                to: Some(iso(2026, 12, 2)),
                counting: false
            },
            CountingInterval {
                from: iso(2026, 12, 2),
                to: None,
                counting: true
            },
        ]
    );
}

#[test]
fn documents_pending_starts_paused() {
    let cal = calendar();
    // Approved Saturday with documents missing; all uploaded Tuesday 12-01.
    let mut clock = StageClock::start(sat(), 3, false);
    assert_eq!(clock.evaluate(&cal, iso(2026, 11, 30)).used, 0);
    assert_eq!(clock.due_on(&cal, iso(2026, 11, 30)), None);
    clock.resume(iso(2026, 12, 1)).unwrap();
    // Wed 2, Thu 3, (Fri), Sat 5.
    assert_eq!(clock.due_on(&cal, iso(2026, 12, 1)), Some(iso(2026, 12, 5)));
}

#[test]
fn a_breach_before_a_pause_stays_a_breach() {
    let cal = calendar();
    let mut clock = StageClock::start(sat(), 2, true);
    // Due Monday 11-30; paused only on Wednesday.
    clock.pause(iso(2026, 12, 2)).unwrap();
    let r = clock.evaluate(&cal, iso(2026, 12, 3));
    assert_eq!(r.used, 4);
    assert_eq!(r.remaining, -2);
    assert_eq!(r.due_on, Some(iso(2026, 11, 30)));
    assert_eq!(r.status, SlaStatus::Breached);
    assert_eq!(r.clock, ClockState::Paused);
}

#[test]
fn a_finished_stage_is_judged_by_the_days_it_used() {
    let cal = calendar();
    let mut on_time = StageClock::start(sat(), 3, true);
    on_time.stop(iso(2026, 12, 1)).unwrap();
    assert!(on_time.is_stopped());
    let r = on_time.evaluate(&cal, iso(2026, 12, 20));
    assert_eq!((r.used, r.remaining, r.status), (3, 0, SlaStatus::OnTime));
    assert_eq!(r.clock, ClockState::Stopped);
    assert_eq!(r.due_on, Some(iso(2026, 12, 1)));

    let mut early = StageClock::start(sat(), 3, true);
    early.stop(iso(2026, 11, 29)).unwrap();
    let r = early.evaluate(&cal, iso(2026, 12, 20));
    assert_eq!((r.used, r.remaining, r.due_on), (1, 2, None));
    assert_eq!(r.status, SlaStatus::OnTime);

    let mut late = StageClock::start(sat(), 3, true);
    late.stop(iso(2026, 12, 2)).unwrap();
    assert_eq!(late.status(&cal, iso(2026, 12, 20)), SlaStatus::Breached);
}

#[test]
fn empty_and_future_intervals() {
    let cal = calendar();
    let r = evaluate(&cal, &[], 3, sat());
    assert_eq!(
        r,
        SlaReport {
            used: 0,
            remaining: 3,
            due_on: None,
            status: SlaStatus::OnTime,
            clock: ClockState::Stopped,
        }
    );
    // A stage entered after `today` has not begun on `today`.
    let r = evaluate(&cal, &open(iso(2026, 12, 1)), 3, sat());
    assert_eq!((r.used, r.due_on, r.clock), (0, None, ClockState::Stopped));
}

#[test]
fn evaluating_as_of_a_past_day_ignores_later_history() {
    let cal = calendar();
    let mut clock = StageClock::start(sat(), 3, true);
    clock.pause(iso(2026, 11, 29)).unwrap();
    clock.resume(iso(2026, 12, 2)).unwrap();
    clock.stop(iso(2026, 12, 6)).unwrap();
    // As of Monday 11-30 the applicant had the file.
    let r = clock.evaluate(&cal, iso(2026, 11, 30));
    assert_eq!((r.used, r.clock), (1, ClockState::Paused));
    // As of Thursday 12-03 the agency had it back, due Saturday.
    let r = clock.evaluate(&cal, iso(2026, 12, 3));
    assert_eq!((r.used, r.clock), (2, ClockState::Running));
    assert_eq!(r.due_on, Some(iso(2026, 12, 5)));
    // On the boundary day the new owner's mode applies (the day itself was the old one's).
    assert_eq!(
        clock.evaluate(&cal, iso(2026, 12, 2)).clock,
        ClockState::Running
    );
    // It ended Sunday 12-06, one working day late.
    let r = clock.evaluate(&cal, iso(2026, 12, 10));
    assert_eq!(
        (r.used, r.clock, r.status),
        (4, ClockState::Stopped, SlaStatus::Breached)
    );
}

#[test]
fn stage_clock_rejects_bad_changes() {
    let mut clock = StageClock::start(sat(), 3, true);
    assert_eq!(clock.started_on(), Some(sat()));
    assert_eq!(clock.target_days(), 3);
    assert_eq!(
        clock.pause(iso(2026, 11, 27)),
        Err(StageClockError::OutOfOrder)
    );
    // Resuming a running clock changes nothing.
    clock.resume(iso(2026, 11, 29)).unwrap();
    assert_eq!(clock.intervals().len(), 1);
    clock.stop(iso(2026, 11, 30)).unwrap();
    let err = clock.pause(iso(2026, 12, 1)).unwrap_err();
    assert_eq!(err, StageClockError::Stopped);
    assert_eq!(err.code(), "stage_clock_stopped");
    assert_eq!(
        StageClockError::OutOfOrder.code(),
        "stage_clock_out_of_order"
    );
    assert_eq!(clock.stop(iso(2026, 12, 1)), Err(StageClockError::Stopped));

    let json = serde_json::to_string(&clock).unwrap();
    assert_eq!(serde_json::from_str::<StageClock>(&json).unwrap(), clock);
}

#[test]
fn service_levels_targets() {
    let levels = ServiceLevels::default();
    assert_eq!(levels.validate(), Ok(()));
    assert_eq!(levels.target_for("submitted"), Some(3));
    assert_eq!(levels.target_for("documents_pending"), Some(3));
    assert_eq!(levels.target_for("counselling"), Some(5));
    assert_eq!(levels.target_for("awaiting_referral"), Some(3));
    assert_eq!(levels.target_for("referred"), Some(5));
    assert_eq!(levels.target_for("bank_approved"), Some(5));
    assert_eq!(levels.target_for("needs_correction"), None);
    assert_eq!(levels.target_for("guarantees_pending"), None);
    assert_eq!(levels.target_for("active"), None);
    assert_eq!(
        levels.iter().collect::<Vec<_>>(),
        ServiceLevels::STAGES.map(|s| (s, levels.target_for(s).unwrap()))
    );
}

#[test]
fn service_levels_validation() {
    let levels = ServiceLevels {
        referred: 0,
        ..ServiceLevels::default()
    };
    let err = levels.validate().unwrap_err();
    assert_eq!(err, ServiceLevelsError::Zero { stage: "referred" });
    assert_eq!(err.code(), "service_levels_invalid");
    assert_eq!(err.stage(), "referred");
    let levels = ServiceLevels {
        counselling: 10_000,
        ..ServiceLevels::default()
    };
    assert_eq!(
        levels.validate(),
        Err(ServiceLevelsError::TooLong {
            stage: "counselling"
        })
    );
}

#[test]
fn service_levels_serde_round_trips() {
    let levels = ServiceLevels {
        counselling: 7,
        ..ServiceLevels::default()
    };
    let json = serde_json::to_value(levels).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "submitted": 3, "documents_pending": 3, "counselling": 7,
            "awaiting_referral": 3, "referred": 5, "bank_approved": 5
        })
    );
    assert_eq!(
        serde_json::from_value::<ServiceLevels>(json).unwrap(),
        levels
    );
    let partial: ServiceLevels = serde_json::from_str(r#"{"referred": 10}"#).unwrap();
    assert_eq!(partial.referred, 10);
    assert_eq!(partial.submitted, 3);
    assert!(serde_json::from_str::<ServiceLevels>(r#"{"active": 10}"#).is_err());
}

#[test]
fn report_serde() {
    let r = evaluate(&calendar(), &open(sat()), 3, iso(2026, 12, 1));
    let json = serde_json::to_value(r).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "used": 3, "remaining": 0, "due_on": "2026-12-01",
            "status": "due_soon", "clock": "running"
        })
    );
    assert_eq!(SlaStatus::Breached.as_str(), "breached");
    assert_eq!(SlaStatus::OnTime.as_str(), "on_time");
    assert_eq!(ClockState::Paused.as_str(), "paused");
}

/// A stage starting on `start`, with ownership switching after each of `segments`' lengths
/// (in calendar days), the first interval counting iff `first_counting`; the last interval
/// is open.
fn build(start: NaiveDate, first_counting: bool, segments: &[i64]) -> Vec<CountingInterval> {
    let mut intervals = Vec::new();
    let mut from = start;
    let mut counting = first_counting;
    for &len in segments {
        let to = from + chrono::Duration::days(len);
        intervals.push(CountingInterval {
            from,
            to: Some(to),
            counting,
        });
        from = to;
        counting = !counting;
    }
    intervals.push(CountingInterval {
        from,
        to: None,
        counting,
    });
    intervals
}

fn arb_calendar() -> impl Strategy<Value = WorkingCalendar> {
    prop::collection::vec(0i64..120, 0..12).prop_map(|offsets| {
        WorkingCalendar::new().with_holidays(
            offsets
                .into_iter()
                .map(|o| iso(2026, 11, 1) + chrono::Duration::days(o)),
        )
    })
}

proptest! {
    #[test]
    fn used_plus_remaining_is_target_while_running_and_not_breached(
        cal in arb_calendar(),
        start_offset in 0i64..30,
        first_counting in any::<bool>(),
        segments in prop::collection::vec(0i64..10, 0..5),
        target in 0u32..15,
        today_offset in 0i64..80,
    ) {
        let start = iso(2026, 11, 1) + chrono::Duration::days(start_offset);
        let intervals = build(start, first_counting, &segments);
        let today = start + chrono::Duration::days(today_offset);
        let r = evaluate(&cal, &intervals, target, today);
        prop_assert_eq!(r.used + r.remaining, i64::from(target));
        prop_assert!(r.used >= 0);
        if r.clock == ClockState::Running && r.status != SlaStatus::Breached {
            prop_assert!(r.remaining >= 0);
            let due = r.due_on.unwrap();
            prop_assert!(due >= today);
        }
        let no_later_history = today >= intervals.last().unwrap().from;
        if r.clock == ClockState::Running && r.status != SlaStatus::Breached && no_later_history {
            let due = r.due_on.unwrap();
            // With no further change, the target is used up exactly on the due date,
            // which is then due soon, and the next day is a breach.
            let at_due = evaluate(&cal, &intervals, target, due.max(today));
            prop_assert_eq!(at_due.used, i64::from(target));
            prop_assert_eq!(at_due.status, SlaStatus::DueSoon);
            prop_assert_eq!(at_due.due_on, Some(due));
            let after = evaluate(&cal, &intervals, target, due.max(today).succ_opt().unwrap());
            prop_assert_eq!(after.status, SlaStatus::Breached);
        }
        if r.status == SlaStatus::Breached && r.clock != ClockState::Stopped {
            prop_assert!(r.due_on.unwrap() < today);
        }
        if let Some(due) = r.due_on {
            prop_assert!(cal.is_working_day(due) || target == 0);
        }
    }

    #[test]
    fn used_never_decreases_and_pausing_never_advances_due(
        cal in arb_calendar(),
        segments in prop::collection::vec(0i64..10, 0..5),
        first_counting in any::<bool>(),
        target in 1u32..15,
        today_offset in 0i64..60,
        step in 0i64..10,
    ) {
        let start = iso(2026, 11, 1);
        let intervals = build(start, first_counting, &segments);
        let today = start + chrono::Duration::days(today_offset);
        let a = evaluate(&cal, &intervals, target, today);
        let b = evaluate(&cal, &intervals, target, today + chrono::Duration::days(step));
        prop_assert!(b.used >= a.used);

        // Compared with a clock that never paused, pausing only delays the due date.
        let straight = open(start);
        let s = evaluate(&cal, &straight, target, today);
        prop_assert!(s.used >= a.used);
        if let (Some(due), Some(straight_due)) = (a.due_on, s.due_on) {
            prop_assert!(due >= straight_due);
        }
    }
}
