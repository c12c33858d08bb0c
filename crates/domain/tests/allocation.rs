//! Payment allocation, late charges and arrears.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use vamyar_domain::allocation::{
    AllocationLine, ArrearsBucket, InstallmentBalance, allocate, arrears_days, arrears_since,
    bucket, days_since, late_charge,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Three installments of 1,000 principal + 100 fee, due a month apart from 2025-01-01.
fn three() -> Vec<InstallmentBalance> {
    (0..3)
        .map(|k| InstallmentBalance::new(k + 1, d(2025, k + 1, 1), 1000, 100))
        .collect()
}

#[test]
fn late_charge_golden_8847222_at_4_plus_6_for_30_days_is_73727() {
    // 8,847,222 × (4 + 6) × 30 / 36000 = 73,726.85
    assert_eq!(late_charge(8_847_222, 400, 600, 30), 73_727);
    assert_eq!(late_charge(8_847_222, 400, 600, 0), 0);
    assert_eq!(late_charge(0, 400, 600, 30), 0);
    assert_eq!(late_charge(-5, 400, 600, 30), 0);
    // exactly .5 rounds up: 18 × 1000 bp × 100 days / 3,600,000 = 0.5
    assert_eq!(late_charge(18, 1000, 0, 100), 1);
    assert_eq!(late_charge(i64::MAX, 10_000, 10_000, u32::MAX), i64::MAX);
}

#[test]
fn settles_each_installment_before_the_next() {
    let mut b = three();
    b[0].late_charge_due = 50;
    b[1].late_charge_due = 30;
    let a = allocate(&b, 1200).unwrap();
    assert_eq!(
        a.lines,
        [
            AllocationLine {
                seq: 1,
                late_charge: 50,
                fee: 100,
                principal: 1000
            },
            AllocationLine {
                seq: 2,
                late_charge: 30,
                fee: 20,
                principal: 0
            },
        ]
    );
    assert_eq!(a.to_credit, 0);
    assert_eq!(a.allocated(), 1200);

    a.apply_to(&mut b);
    assert!(b[0].is_settled());
    assert_eq!(b[1].fee_outstanding(), 80);
    let a = allocate(&b, 80 + 1000 + 1100 + 7).unwrap();
    assert_eq!(a.lines.len(), 2);
    assert_eq!(a.to_credit, 7);
    a.apply_to(&mut b);
    assert!(b.iter().all(InstallmentBalance::is_settled));
    let a = allocate(&b, 500).unwrap();
    assert!(a.lines.is_empty());
    assert_eq!(a.to_credit, 500);
}

#[test]
fn input_order_does_not_matter_and_bad_amounts_are_rejected() {
    let b = three();
    let mut rev = b.clone();
    rev.reverse();
    assert_eq!(allocate(&b, 1500), allocate(&rev, 1500));
    assert_eq!(allocate(&b, 1500).unwrap().lines[0].seq, 1);
    assert_eq!(allocate(&b, 0).unwrap().lines, []);
    assert_eq!(
        allocate(&b, -1).unwrap_err().code(),
        "allocation_amount_negative"
    );
}

#[test]
fn arrears_and_buckets() {
    let mut b = three();
    assert_eq!(arrears_days(&b, d(2024, 12, 1)), 0);
    assert_eq!(arrears_days(&b, d(2025, 1, 1)), 0); // due today is not overdue
    assert_eq!(arrears_days(&b, d(2025, 1, 2)), 1);
    assert_eq!(arrears_days(&b, d(2025, 3, 5)), 63);
    b[0].principal_paid = 1000;
    b[0].fee_paid = 100;
    b[0].late_charge_due = 40; // an unpaid late charge alone is not arrears
    assert_eq!(arrears_days(&b, d(2025, 3, 5)), 32);
    // what a loan records is the date, which stays while the days grow
    assert_eq!(arrears_since(&b, d(2025, 3, 5)), Some(d(2025, 2, 1)));
    assert_eq!(arrears_since(&b, d(2025, 3, 6)), Some(d(2025, 2, 1)));
    assert_eq!(days_since(Some(d(2025, 2, 1)), d(2025, 3, 6)), 33);
    assert_eq!(days_since(None, d(2025, 3, 6)), 0);
    assert_eq!(arrears_since(&b, d(2025, 2, 1)), None); // due today is not overdue
    assert!(b[1].is_overdue(d(2025, 3, 5)));
    assert!(!b[0].is_overdue(d(2025, 3, 5)));

    for (days, bucket_name) in [
        (0, "current"),
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_90"),
        (90, "31_90"),
        (91, "over_90"),
        (u32::MAX, "over_90"),
    ] {
        let b = bucket(days);
        assert_eq!(b.as_str(), bucket_name);
        assert_eq!(ArrearsBucket::parse(bucket_name), Some(b));
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            format!("\"{bucket_name}\"")
        );
    }
    assert_eq!(ArrearsBucket::parse("1-30"), None);
}

fn installments() -> impl Strategy<Value = Vec<InstallmentBalance>> {
    prop::collection::vec(
        (
            0i64..10_000,
            0i64..1_000,
            0i64..500,
            0u8..=100,
            0u8..=100,
            0u8..=100,
        ),
        0..12,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(k, (p, f, l, pp, fp, lp))| {
                let mut b = InstallmentBalance::new(
                    k as u32 + 1,
                    d(2025, 1, 1) + Days::new(30 * k as u64),
                    p,
                    f,
                );
                b.late_charge_due = l;
                b.principal_paid = p * i64::from(pp) / 100;
                b.fee_paid = f * i64::from(fp) / 100;
                b.late_charge_paid = l * i64::from(lp) / 100;
                b
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn allocation_invariants(b in installments(), amount in 0i64..200_000) {
        let a = allocate(&b, amount).unwrap();
        prop_assert_eq!(a.allocated() + a.to_credit, amount);
        prop_assert!(a.to_credit >= 0);
        let owed: i64 = b.iter().map(InstallmentBalance::outstanding).sum();
        prop_assert_eq!(a.to_credit, (amount - owed).max(0));
        for line in &a.lines {
            let inst = b.iter().find(|i| i.seq == line.seq).unwrap();
            prop_assert!(line.late_charge >= 0 && line.late_charge <= inst.late_charge_outstanding());
            prop_assert!(line.fee >= 0 && line.fee <= inst.fee_outstanding());
            prop_assert!(line.principal >= 0 && line.principal <= inst.principal_outstanding());
            prop_assert!(line.total() > 0);
        }
        // After applying: a settled prefix, at most one partly paid installment, and the
        // rest untouched; within the partly paid one, late charge before fee before principal.
        let mut after = b.clone();
        a.apply_to(&mut after);
        let mut seen_unsettled = false;
        for (new, old) in after.iter().zip(&b) {
            prop_assert!(new.outstanding() >= 0);
            if seen_unsettled {
                prop_assert_eq!(new, old);
            } else if !new.is_settled() {
                seen_unsettled = true;
                if new.fee_paid > old.fee_paid {
                    prop_assert_eq!(new.late_charge_outstanding(), 0);
                }
                if new.principal_paid > old.principal_paid {
                    prop_assert_eq!(new.late_charge_outstanding() + new.fee_outstanding(), 0);
                }
            }
        }
        if a.to_credit > 0 {
            prop_assert!(after.iter().all(InstallmentBalance::is_settled));
        }
    }

    #[test]
    fn late_charge_is_monotone(
        amount in 0i64..=1_000_000_000_000,
        bp in 0u32..=3000,
        extra in 0u32..=1000,
        days in 0u32..=3650,
    ) {
        let c = late_charge(amount, bp, extra, days);
        prop_assert!(c >= 0);
        prop_assert!(late_charge(amount, bp, extra, days + 1) >= c);
        prop_assert!(late_charge(amount + 1, bp, extra, days) >= c);
        prop_assert!(late_charge(amount, bp, extra + 1, days) >= c);
    }
}
