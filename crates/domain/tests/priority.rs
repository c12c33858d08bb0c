//! Priority scoring: weights, the score and its breakdown, queue order.

use chrono::NaiveDate;
use proptest::prelude::*;
use vamyar_domain::priority::{
    BeneficiaryStatus, FACTOR_NAMES, Factor, Priority, PriorityInput, PriorityWeights,
    PriorityWeightsError, queue_order, score,
};

fn iso(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    iso(2026, 11, 28)
}

fn ordinary(submitted_on: NaiveDate) -> PriorityInput {
    PriorityInput {
        female_head_of_household: false,
        deprived_county: false,
        disability: false,
        income_decile: None,
        beneficiary_status: BeneficiaryStatus::None,
        household_size: 1,
        submitted_on,
    }
}

fn sum(p: &Priority) -> i64 {
    p.factors.iter().map(|f| f.points).sum()
}

#[test]
fn defaults_are_valid_and_documented_values() {
    let w = PriorityWeights::default();
    assert_eq!(w.validate(), Ok(()));
    assert_eq!(w.female_head_of_household, 300);
    assert_eq!(w.deprived_county, 250);
    assert_eq!(w.per_day_waited, 2);
    assert_eq!(w.days_waited_cap, 365);
}

#[test]
fn ordinary_fresh_applicant_scores_zero() {
    let p = score(&PriorityWeights::default(), &ordinary(today()), today());
    assert_eq!(p.score, 0);
    assert!(p.factors.is_empty());
}

#[test]
fn full_breakdown_is_ordered_and_sums() {
    let input = PriorityInput {
        female_head_of_household: true,
        deprived_county: true,
        disability: true,
        income_decile: Some(2),
        beneficiary_status: BeneficiaryStatus::Supported,
        household_size: 4,
        submitted_on: iso(2026, 11, 18),
    };
    let p = score(&PriorityWeights::default(), &input, today());
    let lines: Vec<(&str, i64, i64)> = p
        .factors
        .iter()
        .map(|f| (f.name, f.points, f.detail))
        .collect();
    assert_eq!(
        lines,
        [
            ("female_head_of_household", 300, 1),
            ("deprived_county", 250, 1),
            ("disability", 150, 1),
            ("beneficiary_status", 120, 1),
            // A tie on points is broken by name.
            ("income_decile", 120, 2),
            ("household_size", 30, 4),
            ("days_waited", 20, 10),
        ]
    );
    assert_eq!(p.score, 300 + 250 + 150 + 120 + 120 + 30 + 20);
    assert_eq!(p.score, sum(&p));
    assert_eq!(p.factor("days_waited").map(|f| f.detail), Some(10));
    assert_eq!(p.factor("nonexistent"), None);
}

#[test]
fn decile_points() {
    let w = PriorityWeights::default();
    let points = |decile: Option<u8>| {
        let mut input = ordinary(today());
        input.income_decile = decile;
        score(&w, &input, today()).score
    };
    assert_eq!(points(Some(1)), 150);
    assert_eq!(points(Some(3)), 90);
    assert_eq!(points(Some(5)), 30);
    assert_eq!(points(Some(6)), 0);
    assert_eq!(points(Some(10)), 0);
    assert_eq!(points(Some(0)), 0);
    assert_eq!(points(Some(11)), 0);
    assert_eq!(points(None), 0);
}

#[test]
fn beneficiary_status_points_and_detail() {
    let w = PriorityWeights::default();
    for (status, points, rank) in [
        (BeneficiaryStatus::Supported, 120, 1),
        (BeneficiaryStatus::WaitingList, 60, 2),
        (BeneficiaryStatus::HouseholdMember, 40, 3),
    ] {
        let mut input = ordinary(today());
        input.beneficiary_status = status;
        let p = score(&w, &input, today());
        assert_eq!(
            p.factors,
            [Factor {
                name: "beneficiary_status",
                points,
                detail: rank
            }]
        );
    }
}

#[test]
fn household_size_is_capped() {
    let w = PriorityWeights::default();
    let factor = |size: u8| {
        let mut input = ordinary(today());
        input.household_size = size;
        score(&w, &input, today()).factor("household_size").copied()
    };
    assert_eq!(factor(0), None);
    assert_eq!(factor(1), None);
    assert_eq!(
        factor(3),
        Some(Factor {
            name: "household_size",
            points: 20,
            detail: 3
        })
    );
    assert_eq!(factor(7).map(|f| f.points), Some(60));
    assert_eq!(factor(255).map(|f| (f.points, f.detail)), Some((60, 255)));
}

#[test]
fn days_waited_is_capped_and_never_negative() {
    let w = PriorityWeights::default();
    let future = score(&w, &ordinary(iso(2026, 12, 5)), today());
    assert_eq!(future.score, 0);
    let long = score(&w, &ordinary(iso(2025, 10, 24)), today());
    assert_eq!(
        long.factors,
        [Factor {
            name: "days_waited",
            points: 730,
            detail: 400
        }]
    );
}

#[test]
fn nobody_starves_in_the_queue() {
    let w = PriorityWeights::default();
    let mut fresh_fhh = ordinary(today());
    fresh_fhh.female_head_of_household = true;
    let fhh = score(&w, &fresh_fhh, today()).score;
    let waited = |days: i64| {
        score(
            &w,
            &ordinary(today() - chrono::Duration::days(days)),
            today(),
        )
        .score
    };
    assert!(waited(120) < fhh);
    assert_eq!(waited(150), fhh);
    // About six months: close to (just past) a fresh female head of household.
    assert!(waited(182) > fhh);
    assert!(waited(182) - fhh < 100);
}

#[test]
fn zero_weights_give_zero() {
    let w = PriorityWeights {
        female_head_of_household: 0,
        deprived_county: 0,
        disability: 0,
        supported_beneficiary: 0,
        waiting_list: 0,
        household_member: 0,
        per_decile_below_6: 0,
        per_household_member: 0,
        household_member_cap: 0,
        per_day_waited: 0,
        days_waited_cap: 0,
    };
    assert_eq!(w.validate(), Ok(()));
    let input = PriorityInput {
        female_head_of_household: true,
        deprived_county: true,
        disability: true,
        income_decile: Some(1),
        beneficiary_status: BeneficiaryStatus::Supported,
        household_size: 9,
        submitted_on: iso(2020, 1, 1),
    };
    assert_eq!(score(&w, &input, today()), Priority::default());
}

#[test]
fn validation() {
    let w = PriorityWeights {
        disability: -1,
        ..PriorityWeights::default()
    };
    let err = w.validate().unwrap_err();
    assert_eq!(
        err,
        PriorityWeightsError::Negative {
            field: "disability"
        }
    );
    assert_eq!(err.code(), "priority_weights_invalid");
    assert_eq!(err.field(), "disability");

    let w = PriorityWeights {
        per_day_waited: 1_000_000,
        ..PriorityWeights::default()
    };
    assert_eq!(
        w.validate(),
        Err(PriorityWeightsError::TooLarge {
            field: "per_day_waited"
        })
    );

    let w = PriorityWeights {
        days_waited_cap: 100_000,
        ..PriorityWeights::default()
    };
    let err = w.validate().unwrap_err();
    assert_eq!(err.field(), "days_waited_cap");
    assert_eq!(err.code(), "priority_weights_invalid");

    let w = PriorityWeights {
        household_member_cap: 200,
        ..PriorityWeights::default()
    };
    assert_eq!(w.validate().unwrap_err().field(), "household_member_cap");
}

#[test]
fn weights_serde() {
    let w = PriorityWeights::default();
    let json = serde_json::to_value(w).unwrap();
    assert_eq!(json["female_head_of_household"], 300);
    assert_eq!(json["days_waited_cap"], 365);
    let back: PriorityWeights = serde_json::from_value(json).unwrap();
    assert_eq!(back, w);

    let partial: PriorityWeights =
        serde_json::from_str(r#"{"female_head_of_household": 500}"#).unwrap();
    assert_eq!(partial.female_head_of_household, 500);
    assert_eq!(partial.deprived_county, 250);

    assert!(serde_json::from_str::<PriorityWeights>(r#"{"female_head": 500}"#).is_err());
}

#[test]
fn beneficiary_status_names() {
    for status in BeneficiaryStatus::ALL {
        assert_eq!(BeneficiaryStatus::parse(status.as_str()), Some(status));
        assert_eq!(status.as_str().parse::<BeneficiaryStatus>(), Ok(status));
        assert_eq!(status.to_string(), status.as_str());
        let json = serde_json::to_string(&status).unwrap();
        assert_eq!(json, format!("\"{}\"", status.as_str()));
        assert_eq!(
            serde_json::from_str::<BeneficiaryStatus>(&json).unwrap(),
            status
        );
    }
    assert_eq!(BeneficiaryStatus::WaitingList.as_str(), "waiting_list");
    assert_eq!(BeneficiaryStatus::parse("Supported"), None);
    let err = "x".parse::<BeneficiaryStatus>().unwrap_err();
    assert_eq!(err.code(), "beneficiary_status_unknown");
    assert_eq!(BeneficiaryStatus::default(), BeneficiaryStatus::None);
}

#[test]
fn input_serde() {
    let input: PriorityInput = serde_json::from_str(
        r#"{"female_head_of_household": true, "deprived_county": false, "disability": false,
            "income_decile": 3, "beneficiary_status": "household_member",
            "household_size": 5, "submitted_on": "2026-11-01"}"#,
    )
    .unwrap();
    assert_eq!(input.beneficiary_status, BeneficiaryStatus::HouseholdMember);
    assert_eq!(input.income_decile, Some(3));
    assert_eq!(input.submitted_on, iso(2026, 11, 1));
}

#[test]
fn priority_serde_shape() {
    let mut input = ordinary(iso(2026, 11, 18));
    input.female_head_of_household = true;
    let p = score(&PriorityWeights::default(), &input, today());
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "score": 320,
            "factors": [
                {"name": "female_head_of_household", "points": 300, "detail": 1},
                {"name": "days_waited", "points": 20, "detail": 10},
            ]
        })
    );
    let back: Priority = serde_json::from_value(json).unwrap();
    assert_eq!(back, p);
    let bad = r#"{"score": 1, "factors": [{"name": "bribe", "points": 1, "detail": 1}]}"#;
    assert!(serde_json::from_str::<Priority>(bad).is_err());
}

#[test]
fn queue_orders_by_score_then_submission() {
    let t = |d: u32| iso(2026, 11, d);
    let mut queue = vec![
        (100, t(3)),
        (300, t(5)),
        (100, t(1)),
        (300, t(2)),
        (0, t(1)),
    ];
    queue.sort_by(|a, b| queue_order(*a, *b));
    assert_eq!(
        queue,
        [
            (300, t(2)),
            (300, t(5)),
            (100, t(1)),
            (100, t(3)),
            (0, t(1))
        ]
    );
}

fn arb_status() -> impl Strategy<Value = BeneficiaryStatus> {
    prop::sample::select(BeneficiaryStatus::ALL.to_vec())
}

fn arb_weights() -> impl Strategy<Value = PriorityWeights> {
    (
        (0i64..=1000, 0i64..=1000, 0i64..=1000, 0i64..=1000),
        (0i64..=1000, 0i64..=1000, 0i64..=100, 0i64..=100),
        (0u32..=20, 0i64..=20, 0u32..=3650),
    )
        .prop_map(|((a, b, c, d), (e, f, g, h), (i, j, k))| PriorityWeights {
            female_head_of_household: a,
            deprived_county: b,
            disability: c,
            supported_beneficiary: d,
            waiting_list: e,
            household_member: f,
            per_decile_below_6: g,
            per_household_member: h,
            household_member_cap: i,
            per_day_waited: j,
            days_waited_cap: k,
        })
}

fn arb_input() -> impl Strategy<Value = PriorityInput> {
    (
        any::<(bool, bool, bool)>(),
        prop::option::of(0u8..=12),
        arb_status(),
        any::<u8>(),
        0i64..4000,
    )
        .prop_map(
            |((fhh, dep, dis), decile, status, size, ago)| PriorityInput {
                female_head_of_household: fhh,
                deprived_county: dep,
                disability: dis,
                income_decile: decile,
                beneficiary_status: status,
                household_size: size,
                submitted_on: today() - chrono::Duration::days(ago),
            },
        )
}

proptest! {
    #[test]
    fn score_is_the_sum_of_positive_sorted_factors(w in arb_weights(), input in arb_input()) {
        prop_assert_eq!(w.validate(), Ok(()));
        let p = score(&w, &input, today());
        prop_assert_eq!(p.score, sum(&p));
        prop_assert!(p.factors.iter().all(|f| f.points > 0));
        prop_assert!(p.factors.iter().all(|f| FACTOR_NAMES.contains(&f.name)));
        for pair in p.factors.windows(2) {
            prop_assert!(
                pair[0].points > pair[1].points
                    || (pair[0].points == pair[1].points && pair[0].name < pair[1].name)
            );
        }
        let json = serde_json::to_string(&p).unwrap();
        prop_assert_eq!(serde_json::from_str::<Priority>(&json).unwrap(), p);
    }

    #[test]
    fn monotone_in_each_flag(w in arb_weights(), input in arb_input()) {
        let base = score(&w, &input, today()).score;
        let mut a = input;
        a.female_head_of_household = true;
        prop_assert!(score(&w, &a, today()).score >= base);
        let mut b = input;
        b.deprived_county = true;
        prop_assert!(score(&w, &b, today()).score >= base);
        let mut c = input;
        c.disability = true;
        prop_assert!(score(&w, &c, today()).score >= base);
        // With the default (strictly positive) weights, each flag strictly adds.
        let d = PriorityWeights::default();
        let mut off = input;
        off.female_head_of_household = false;
        off.deprived_county = false;
        off.disability = false;
        let off_score = score(&d, &off, today()).score;
        let mut on = off;
        on.female_head_of_household = true;
        prop_assert_eq!(score(&d, &on, today()).score, off_score + 300);
        on.deprived_county = true;
        prop_assert_eq!(score(&d, &on, today()).score, off_score + 550);
        on.disability = true;
        prop_assert_eq!(score(&d, &on, today()).score, off_score + 700);
    }

    #[test]
    fn monotone_in_days_waited(w in arb_weights(), input in arb_input(), later in 0i64..800) {
        let now = score(&w, &input, today()).score;
        let then = score(&w, &input, today() + chrono::Duration::days(later)).score;
        prop_assert!(then >= now);
        let d = PriorityWeights::default();
        let waited = (today() - input.submitted_on).num_days();
        let gain = score(&d, &input, today() + chrono::Duration::days(later)).score
            - score(&d, &input, today()).score;
        let expected = 2 * ((waited + later).min(365) - waited.min(365));
        prop_assert_eq!(gain, expected);
    }

    #[test]
    fn lower_decile_never_scores_less(w in arb_weights(), input in arb_input(), d in 1u8..=10) {
        let mut high = input;
        high.income_decile = Some(d);
        let mut low = input;
        low.income_decile = Some(d - 1).filter(|&x| x >= 1);
        if low.income_decile.is_some() {
            prop_assert!(score(&w, &low, today()).score >= score(&w, &high, today()).score);
            if d <= 6 {
                let def = PriorityWeights::default();
                prop_assert_eq!(
                    score(&def, &low, today()).score - score(&def, &high, today()).score,
                    30
                );
            }
        }
        let mut unknown = input;
        unknown.income_decile = None;
        prop_assert!(score(&w, &high, today()).score >= score(&w, &unknown, today()).score);
    }
}
