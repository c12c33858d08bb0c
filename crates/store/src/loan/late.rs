//! Late charges (جریمه‌ی دیرکرد), accrued so that no day is ever charged twice.
//!
//! # The rule
//!
//! An installment whose principal or fee is unpaid after its due date owes, for each day late,
//! `unpaid × (fee rate + extra points) / 36000` per day
//! ([`vamyar_domain::allocation::late_charge`], rounded half up per accrual), where `unpaid` is
//! its principal plus fee still owed (late charges do not bear late charges) and the rates
//! are the loan's `fee_rate_bp` and `late_charge_extra_bp`, fixed at disbursement.
//!
//! # No day charged twice
//!
//! `installment.late_charge_through` is the last day already charged (`NULL`: none yet). An
//! accrual "through" a date `D` charges the days `(max(due_on, late_charge_through), D]` on the
//! amount unpaid at that moment, adds the charge to `late_charge_due` and sets
//! `late_charge_through = D`. Accruing again through `D` (or an earlier date) charges nothing,
//! so close of business and payments can both call [`accrue_late_charges`] in any order:
//!
//! - **close of business** accrues every loan with overdue installments through its business
//!   date (a missed day is caught up: the days since `late_charge_through` are all charged);
//! - **a payment** first accrues through its `paid_on`, so a late payment pays its own charge
//!   (allocation takes late charges first), and the days after `paid_on` are charged later on
//!   what is still unpaid after it.
//!
//! A charge that rounds to 0 rials does not advance `late_charge_through`: the days stay
//! uncharged and are charged together with the next ones, so small amounts are not lost to
//! rounding. The day count and amount are `vamyar_domain::ledger::charge_days`, the rule the
//! replay of a back-dated payment or a reversal uses (`vamyar_app::loans::recompute`), which
//! recomputes the charges from the schedule rather than undoing days here.

use chrono::NaiveDate;
use vamyar_domain::vocab::{InstallmentStatus, LoanStatus};

use super::{Installment, installments};
use crate::{StoreError, Tx, time};

/// One installment's late charge for the days since it was last charged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accrual {
    /// The installment's `seq`.
    pub seq: i64,
    /// Days charged.
    pub days: i64,
    /// Principal plus fee unpaid, the charge's base, in rials.
    pub base: i64,
    /// The charge, in rials (positive).
    pub amount: i64,
}

/// The late charge `inst` owes for the days after it was last charged up to `through`, or
/// `None` when it owes nothing more (paid, not late, already charged, or under one rial).
pub fn accrual(
    inst: &Installment,
    annual_rate_bp: i64,
    extra_points_bp: i64,
    through: NaiveDate,
) -> Result<Option<Accrual>, StoreError> {
    let base =
        (inst.principal_due - inst.principal_paid).max(0) + (inst.fee_due - inst.fee_paid).max(0);
    if base == 0 {
        return Ok(None);
    }
    let rates = vamyar_domain::ledger::Rates {
        annual_rate_bp: u32::try_from(annual_rate_bp.max(0)).unwrap_or(u32::MAX),
        extra_points_bp: u32::try_from(extra_points_bp.max(0)).unwrap_or(u32::MAX),
    };
    let charged = match &inst.late_charge_through {
        Some(d) => Some(time::parse_date(d)?),
        None => None,
    };
    let Some((days, amount)) =
        vamyar_domain::ledger::charge_days(base, inst.due_date()?, charged, through, rates)
    else {
        return Ok(None);
    };
    Ok(Some(Accrual {
        seq: inst.seq,
        days,
        base,
        amount,
    }))
}

/// Accrues late charges on `installments` through `through` in memory (see the module
/// documentation): adds each charge to `late_charge_due`, moves `late_charge_through` and
/// marks the installment `overdue`. Returns the accruals made, in `seq` order.
pub fn accrue(
    installments: &mut [Installment],
    annual_rate_bp: i64,
    extra_points_bp: i64,
    through: NaiveDate,
) -> Result<Vec<Accrual>, StoreError> {
    let mut made = Vec::new();
    for inst in installments.iter_mut() {
        if let Some(a) = accrual(inst, annual_rate_bp, extra_points_bp, through)? {
            inst.late_charge_due = inst.late_charge_due.saturating_add(a.amount);
            inst.late_charge_through = Some(time::date(through));
            inst.status = InstallmentStatus::Overdue;
            made.push(a);
        }
    }
    Ok(made)
}

/// Accrues the late charges of loan `loan_id` through `through` and writes the installments
/// that changed; returns the rials charged (0 for a closed or unknown loan). The shared entry
/// point of close of business and payments, so both charge by the same rule and never charge
/// a day twice. The caller holds the locks (file, then loan) and commits.
pub async fn accrue_late_charges(
    tx: &mut Tx,
    loan_id: i64,
    through: NaiveDate,
) -> Result<i64, StoreError> {
    let Some(loan) = super::get(&mut **tx, loan_id).await? else {
        return Ok(0);
    };
    if loan.status == LoanStatus::Closed {
        return Ok(0);
    }
    let mut rows = installments(&mut **tx, loan_id).await?;
    let made = accrue(
        &mut rows,
        loan.fee_rate_bp,
        loan.late_charge_extra_bp,
        through,
    )?;
    let mut total = 0_i64;
    for a in &made {
        if let Some(row) = rows.iter().find(|r| r.seq == a.seq) {
            super::update_installment(tx, row).await?;
        }
        total = total.saturating_add(a.amount);
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inst(due: &str, principal: i64, fee: i64) -> Installment {
        Installment {
            id: 1,
            loan_id: 1,
            seq: 1,
            due_on: due.into(),
            principal_due: principal,
            fee_due: fee,
            late_charge_due: 0,
            principal_paid: 0,
            fee_paid: 0,
            late_charge_paid: 0,
            status: InstallmentStatus::Pending,
            paid_on: None,
            late_charge_through: None,
        }
    }

    fn d(s: &str) -> NaiveDate {
        time::parse_date(s).unwrap()
    }

    #[test]
    fn thirty_days_late_follow_the_bank_formula() {
        // 8,847,222 at 4 % + 6 points for 30 days: 73,726.85 → 73,727
        let mut rows = vec![inst("2026-01-10", 8_000_000, 847_222)];
        let made = accrue(&mut rows, 400, 600, d("2026-02-09")).unwrap();
        assert_eq!(made[0].days, 30);
        assert_eq!(rows[0].late_charge_due, 73_727);
        assert_eq!(rows[0].late_charge_through.as_deref(), Some("2026-02-09"));
        assert_eq!(rows[0].status, InstallmentStatus::Overdue);
    }

    #[test]
    fn no_day_is_charged_twice_and_a_missed_day_is_caught_up() {
        let mut daily = vec![inst("2026-01-10", 8_000_000, 847_222)];
        for day in 11..=20 {
            accrue(&mut daily, 400, 600, d(&format!("2026-01-{day}"))).unwrap();
            // accruing the same day again changes nothing
            let again = accrue(&mut daily, 400, 600, d(&format!("2026-01-{day}"))).unwrap();
            assert!(again.is_empty());
        }
        let mut once = vec![inst("2026-01-10", 8_000_000, 847_222)];
        accrue(&mut once, 400, 600, d("2026-01-20")).unwrap();
        // ten daily charges of 2,457.56 → 2,458 each; one charge for ten days: 24,575.6 → 24,576
        assert_eq!(daily[0].late_charge_due, 24_580);
        assert_eq!(once[0].late_charge_due, 24_576);
        assert!(
            accrue(&mut once, 400, 600, d("2026-01-15"))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn paid_or_not_yet_late_installments_owe_nothing() {
        let mut paid = inst("2026-01-10", 100, 10);
        paid.principal_paid = 100;
        paid.fee_paid = 10;
        assert_eq!(accrual(&paid, 400, 600, d("2026-03-01")).unwrap(), None);
        let on_time = inst("2026-01-10", 100, 10);
        assert_eq!(accrual(&on_time, 400, 600, d("2026-01-10")).unwrap(), None);
    }

    #[test]
    fn charges_under_a_rial_wait_for_the_next_days() {
        let mut rows = vec![inst("2026-01-10", 100, 0)];
        assert!(
            accrue(&mut rows, 400, 600, d("2026-01-11"))
                .unwrap()
                .is_empty()
        );
        assert_eq!(rows[0].late_charge_through, None);
        // 100 × 1000 × 18 / 3,600,000 = 0.5 → 1
        let made = accrue(&mut rows, 400, 600, d("2026-01-28")).unwrap();
        assert_eq!(made[0].days, 18);
        assert_eq!(rows[0].late_charge_due, 1);
    }
}
