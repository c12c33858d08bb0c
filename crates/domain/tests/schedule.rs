//! Repayment schedules: golden examples, due dates, validation, acceleration and properties.

use chrono::{Datelike, NaiveDate, Weekday};
use proptest::prelude::*;
use vamyar_calendar::{JalaliDate, WorkingCalendar};
use vamyar_domain::allocation::{InstallmentBalance, allocate};
use vamyar_domain::money::{Rial, format_tomans};
use vamyar_domain::schedule::{
    Schedule, ScheduleError, ScheduleMethod, ScheduleTerms, accelerate, due_dates, generate,
};

fn j(y: i32, m: u8, d: u8) -> NaiveDate {
    JalaliDate::new(y, m, d).unwrap().to_iso()
}

fn terms(principal: i64, bp: u32, n: u32, method: ScheduleMethod) -> ScheduleTerms {
    ScheduleTerms {
        principal,
        annual_rate_bp: bp,
        term_months: n,
        grace_months: 0,
        grace_fee_accrues: false,
        method,
        disbursed_on: j(1404, 1, 15),
        shift_to_working_day: false,
    }
}

fn gen_ok(t: &ScheduleTerms) -> Schedule {
    generate(t, &WorkingCalendar::new()).unwrap()
}

fn check_sums(s: &Schedule, principal: i64) {
    assert_eq!(s.total_principal(), principal);
    assert_eq!(s.total_repayable(), principal + s.total_fee);
    assert_eq!(
        s.installments.iter().map(|i| i.fee).sum::<i64>(),
        s.total_fee
    );
}

#[test]
fn annuity_300m_4pct_36_first_8857200_last_absorbs_the_rest() {
    let s = gen_ok(&terms(300_000_000, 400, 36, ScheduleMethod::Annuity));
    assert_eq!(s.installments.len(), 36);
    check_sums(&s, 300_000_000);

    // numpy_financial.pmt(0.04 / 12, 36, -300_000_000) == 8_857_195.502…; in whole tomans
    // that is 885,719.55… → 885,720 tomans.
    let r = 0.04_f64 / 12.0;
    let pmt = 300_000_000.0 * r / (1.0 - (1.0 + r).powi(-36));
    assert!((pmt - 8_857_195.502).abs() < 0.001, "{pmt}");
    assert_eq!(s.installments[0].total(), (pmt / 10.0).round() as i64 * 10);

    let first = s.installments[0];
    assert_eq!((first.principal, first.fee), (7_857_200, 1_000_000));
    assert!(s.installments[..35].iter().all(|i| i.total() == 8_857_200));
    let last = s.installments[35];
    assert_eq!(last.principal + last.fee, last.total());
    assert_eq!(
        (last.principal, last.fee, last.total()),
        (8_827_605, 29_425, 8_857_030)
    );
    assert_eq!(s.total_fee, 18_859_030);
    assert_eq!(s.grace_fee, 0);
}

#[test]
fn flat_300m_4pct_36_fee_18500000_first_8847220_last_8847300() {
    let s = gen_ok(&terms(300_000_000, 400, 36, ScheduleMethod::Flat));
    check_sums(&s, 300_000_000);
    assert_eq!(s.total_fee, 18_500_000);
    let first = s.installments[0];
    // 318,500,000 / 36 = 8,847,222.2…, down to a whole toman
    assert_eq!((first.principal, first.fee), (8_333_332, 513_888));
    assert!(s.installments[..35].iter().all(|i| i.total() == 8_847_220));
    assert_eq!(8_847_220 * 35, 309_652_700);
    let last = s.installments[35];
    assert_eq!(last.total(), 318_500_000 - 309_652_700);
    assert_eq!(
        (last.principal, last.fee, last.total()),
        (8_333_380, 513_920, 8_847_300)
    );
}

#[test]
fn zero_rate_1000_over_3_is_330_330_340() {
    for method in [ScheduleMethod::Annuity, ScheduleMethod::Flat] {
        let s = gen_ok(&terms(1000, 0, 3, method));
        let totals: Vec<i64> = s.installments.iter().map(|i| i.total()).collect();
        assert_eq!(totals, [330, 330, 340], "{method}");
        assert_eq!(s.total_fee, 0);
        check_sums(&s, 1000);
    }
}

#[test]
fn grace_fee_accrues_and_is_spread_evenly_remainder_last() {
    let mut t = terms(300_000_000, 400, 36, ScheduleMethod::Flat);
    t.grace_months = 3;
    t.grace_fee_accrues = true;
    let s = gen_ok(&t);
    // 300,000,000 × 4 % / 12 × 3 = 3,000,000 = 36 × 83,330 + 120 (shares in whole tomans)
    assert_eq!(s.grace_fee, 3_000_000);
    assert_eq!(s.total_fee, 21_500_000);
    assert_eq!(s.installments[0].fee, 513_888 + 83_330);
    assert_eq!(s.installments[35].fee, 513_920 + 83_450);
    assert!(s.installments[..35].iter().all(|i| i.total() % 10 == 0));
    check_sums(&s, 300_000_000);
    // first installment 4 months after disbursement (3 grace + 1)
    assert_eq!(s.installments[0].due_on, j(1404, 5, 15));

    t.grace_fee_accrues = false;
    let free = gen_ok(&t);
    assert_eq!((free.grace_fee, free.total_fee), (0, 18_500_000));
    assert_eq!(free.installments[0].due_on, j(1404, 5, 15));
}

#[test]
fn shahrivar_31_due_dates_clamp_without_drifting() {
    let mut t = terms(12_000_000, 400, 13, ScheduleMethod::Annuity);
    t.disbursed_on = j(1403, 6, 31);
    let s = gen_ok(&t);
    let expected = [
        j(1403, 7, 30),
        j(1403, 8, 30),
        j(1403, 9, 30),
        j(1403, 10, 30),
        j(1403, 11, 30),
        j(1403, 12, 30), // 1403 is a leap year
        j(1404, 1, 31),
        j(1404, 2, 31),
        j(1404, 3, 31),
        j(1404, 4, 31),
        j(1404, 5, 31),
        j(1404, 6, 31),
        j(1404, 7, 30),
    ];
    let got: Vec<NaiveDate> = s.installments.iter().map(|i| i.due_on).collect();
    assert_eq!(got, expected);
    assert_eq!(
        s.installments.iter().map(|i| i.seq).collect::<Vec<_>>(),
        (1..=13).collect::<Vec<_>>()
    );

    // 1404 is a common year: Esfand has 29 days.
    t.disbursed_on = j(1404, 6, 31);
    t.term_months = 7;
    let dates = due_dates(&t, &WorkingCalendar::new());
    assert_eq!(dates[5], j(1404, 12, 29));
    assert_eq!(dates[6], j(1405, 1, 31));
}

#[test]
fn shift_to_working_day_moves_dates_but_not_amounts() {
    // Find a disbursement date whose first due date is a Friday.
    let mut t = terms(50_000_000, 400, 12, ScheduleMethod::Flat);
    let cal = WorkingCalendar::new();
    let mut d = j(1404, 1, 1);
    while JalaliDate::from_iso(d).add_months(1).weekday() != Weekday::Fri {
        d = d.succ_opt().unwrap();
    }
    t.disbursed_on = d;
    let plain = gen_ok(&t);
    t.shift_to_working_day = true;
    let shifted = generate(&t, &cal).unwrap();
    assert_eq!(plain.installments[0].due_on.weekday(), Weekday::Fri);
    assert_eq!(
        shifted.installments[0].due_on,
        plain.installments[0].due_on.succ_opt().unwrap()
    );
    for (a, b) in plain.installments.iter().zip(&shifted.installments) {
        assert_eq!((a.principal, a.fee), (b.principal, b.fee));
        assert!(cal.is_working_day(b.due_on));
    }

    // A holiday on the (shifted) Saturday pushes it to Sunday.
    let cal = cal.with_holidays([shifted.installments[0].due_on]);
    let s = generate(&t, &cal).unwrap();
    assert_eq!(s.installments[0].due_on.weekday(), Weekday::Sun);
}

/// A change to valid terms.
type Change = fn(&mut ScheduleTerms);

#[test]
fn invalid_terms_have_stable_codes() {
    let base = terms(1_000_000, 400, 12, ScheduleMethod::Annuity);
    let cal = WorkingCalendar::new();
    let cases: [(Change, &str); 7] = [
        (|t| t.principal = 0, "schedule_principal_invalid"),
        (|t| t.principal = -5, "schedule_principal_invalid"),
        (|t| t.term_months = 0, "schedule_term_invalid"),
        (|t| t.term_months = 241, "schedule_term_invalid"),
        (|t| t.annual_rate_bp = 10_001, "schedule_rate_invalid"),
        (|t| t.grace_months = 61, "schedule_grace_invalid"),
        (
            |t| {
                t.principal = i64::MAX;
                t.method = ScheduleMethod::Flat;
            },
            "schedule_amount_overflow",
        ),
    ];
    for (change, code) in cases {
        let mut t = base;
        change(&mut t);
        assert_eq!(generate(&t, &cal).unwrap_err().code(), code);
    }
    let mut t = base;
    (t.term_months, t.annual_rate_bp, t.grace_months) = (240, 10_000, 60);
    assert!(generate(&t, &cal).is_ok());
}

#[test]
fn method_names() {
    for m in [ScheduleMethod::Annuity, ScheduleMethod::Flat] {
        assert_eq!(ScheduleMethod::parse(m.as_str()), Ok(m));
        assert_eq!(m.as_str().parse::<ScheduleMethod>(), Ok(m));
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, format!("\"{}\"", m.as_str()));
    }
    assert_eq!(
        ScheduleMethod::parse("Flat").unwrap_err(),
        ScheduleError::MethodUnknown
    );
    assert_eq!(
        ScheduleError::MethodUnknown.code(),
        "schedule_method_unknown"
    );
}

fn balances(s: &Schedule) -> Vec<InstallmentBalance> {
    s.installments
        .iter()
        .map(|i| InstallmentBalance::new(i.seq, i.due_on, i.principal, i.fee))
        .collect()
}

#[test]
fn acceleration_makes_principal_due_and_drops_future_fee() {
    let s = gen_ok(&terms(300_000_000, 400, 36, ScheduleMethod::Flat));
    let mut b = balances(&s);
    // two installments paid, the third partly paid and overdue
    let paid = allocate(&b, 2 * 8_847_222 + 600_000).unwrap();
    paid.apply_to(&mut b);
    b[2].late_charge_due = 10_000;
    let on = s.installments[3].due_on.pred_opt().unwrap(); // one day before the 4th
    let acc = accelerate(&b, on);

    // 1–3 unchanged; 4–36 due on `on`, fee dropped, principal unchanged.
    assert_eq!(&acc.installments[..3], &b[..3]);
    for (new, old) in acc.installments[3..].iter().zip(&b[3..]) {
        assert_eq!(new.due_on, on);
        assert_eq!(new.fee_due, 0);
        assert_eq!(new.principal_due, old.principal_due);
    }
    let future_fee: i64 = b[3..].iter().map(|i| i.fee_due).sum();
    assert_eq!(acc.fee_dropped, future_fee);
    // Principal left + the 3rd installment's unpaid fee + its late charge.
    let principal_left: i64 = b.iter().map(|i| i.principal_outstanding()).sum();
    assert_eq!(
        acc.due_now,
        principal_left + b[2].fee_outstanding() + 10_000
    );
    assert_eq!(
        acc.due_now,
        b.iter().map(|i| i.outstanding()).sum::<i64>() - future_fee
    );

    // Idempotent.
    let again = accelerate(&acc.installments, on);
    assert_eq!(again.installments, acc.installments);
    assert_eq!(again.fee_dropped, 0);
    assert_eq!(again.due_now, acc.due_now);
}

#[test]
fn acceleration_keeps_fee_paid_in_advance() {
    let s = gen_ok(&terms(3_000_000, 1200, 3, ScheduleMethod::Annuity));
    let mut b = balances(&s);
    b[2].fee_paid = 5;
    let acc = accelerate(&b, s.installments[0].due_on);
    assert_eq!(acc.installments[0], b[0]);
    assert_eq!(acc.installments[2].fee_due, 5);
    assert_eq!(acc.installments[2].fee_outstanding(), 0);
    assert_eq!(acc.fee_dropped, b[1].fee_due + b[2].fee_due - 5);
}

fn method() -> impl Strategy<Value = ScheduleMethod> {
    prop_oneof![Just(ScheduleMethod::Annuity), Just(ScheduleMethod::Flat)]
}

fn disbursement() -> impl Strategy<Value = NaiveDate> {
    (1395i32..1415, 1u8..=12, 1u8..=31)
        .prop_map(|(y, m, d)| j(y, m, d.min(JalaliDate::days_in_month(y, m))))
}

proptest! {
    #[test]
    fn schedules_sum_exactly(
        principal in 1i64..=1_000_000_000_000,
        bp in 0u32..=3000,
        n in 1u32..=120,
        grace in 0u32..=12,
        accrues in any::<bool>(),
        method in method(),
        disbursed_on in disbursement(),
        shift in any::<bool>(),
    ) {
        let t = ScheduleTerms {
            principal,
            annual_rate_bp: bp,
            term_months: n,
            grace_months: grace,
            grace_fee_accrues: accrues,
            method,
            disbursed_on,
            shift_to_working_day: shift,
        };
        let s = generate(&t, &WorkingCalendar::new()).unwrap();
        prop_assert_eq!(s.installments.len(), n as usize);
        prop_assert_eq!(s.total_principal(), principal);
        prop_assert_eq!(s.total_repayable(), principal + s.total_fee);
        prop_assert_eq!(s.installments.iter().map(|i| i.fee).sum::<i64>(), s.total_fee);
        prop_assert!(s.grace_fee >= 0 && s.grace_fee <= s.total_fee);
        if !accrues || grace == 0 || bp == 0 {
            prop_assert_eq!(s.grace_fee, 0);
        }
        for (k, i) in s.installments.iter().enumerate() {
            prop_assert_eq!(i.seq as usize, k + 1);
            prop_assert!(i.principal >= 0 && i.fee >= 0, "{:?}", i);
        }
        for w in s.installments.windows(2) {
            prop_assert!(w[0].due_on < w[1].due_on);
        }
        prop_assert!(s.installments[0].due_on > disbursed_on);
        // Level installments: all but the last are equal.
        let first = s.installments[0].total();
        if principal >= 1_000_000 {
            prop_assert!(s.installments[..n as usize - 1].iter().all(|i| i.total() == first));
        }
    }

    #[test]
    fn annuity_payment_matches_the_float_formula(
        principal in 1_000_000i64..=1_000_000_000_000,
        bp in 1u32..=3000,
        n in 2u32..=120,
    ) {
        let s = generate(&terms(principal, bp, n, ScheduleMethod::Annuity), &WorkingCalendar::new()).unwrap();
        let r = f64::from(bp) / 120_000.0;
        let pmt = principal as f64 * r / (1.0 - (1.0 + r).powi(-(n as i32)));
        // rounded half up to a whole toman
        prop_assert!((s.installments[0].total() as f64 - pmt).abs() <= 5.0 + pmt * 1e-12);
    }

    #[test]
    fn flat_fee_is_the_bank_formula(
        principal in 1i64..=1_000_000_000_000,
        bp in 0u32..=3000,
        n in 1u32..=120,
    ) {
        let s = generate(&terms(principal, bp, n, ScheduleMethod::Flat), &WorkingCalendar::new()).unwrap();
        let exact = i128::from(principal) * i128::from(bp) * (i128::from(n) + 1);
        let fee = i128::from(s.total_fee);
        // fee = round_half_up(exact / 240000): exact / 240000 − ½ < fee ≤ exact / 240000 + ½
        // (an exact half rounds up, so the upper bound is reached)
        prop_assert!(fee * 240_000 * 2 > exact * 2 - 240_000);
        prop_assert!(fee * 240_000 * 2 <= exact * 2 + 240_000);
    }

    /// What a borrower is shown is what settles: every installment but the last is a whole
    /// number of tomans, and paying each installment exactly as the page shows it (in tomans,
    /// typed back into the payment form) settles that installment and, at the end, the
    /// loan, with nothing left owing and nothing over.
    #[test]
    fn paying_each_displayed_amount_closes_the_loan(
        principal in 1i64..=100_000_000_000,
        bp in 0u32..=3000,
        n in 1u32..=120,
        grace in 0u32..=12,
        accrues in any::<bool>(),
        method in method(),
        persian in any::<bool>(),
    ) {
        let mut t = terms(principal, bp, n, method);
        t.grace_months = grace;
        t.grace_fee_accrues = accrues;
        let s = generate(&t, &WorkingCalendar::new()).unwrap();
        for i in &s.installments[..n as usize - 1] {
            prop_assert_eq!(i.total() % 10, 0, "{:?}", i);
        }
        let mut book = balances(&s);
        for k in 0..book.len() {
            let shown = format_tomans(book[k].outstanding(), persian);
            let typed = Rial::parse_tomans(&shown).unwrap().value();
            let paid = allocate(&book, typed).unwrap();
            prop_assert_eq!(paid.to_credit, 0);
            paid.apply_to(&mut book);
            prop_assert!(book[k].is_settled(), "{:?} after paying {}", book[k], shown);
            prop_assert!(book[k + 1..].iter().all(|b| b.outstanding() == b.principal_due + b.fee_due));
        }
        prop_assert!(book.iter().all(InstallmentBalance::is_settled));
        prop_assert_eq!(book.iter().map(|b| b.principal_paid).sum::<i64>(), principal);
    }
}
