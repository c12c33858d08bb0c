//! A loan's installments as its history makes them: the close-of-business days and the
//! payments, applied in date order by the same rules the service applies them day by day.
//!
//! # Why replay
//!
//! Late charges depend on when and how much was paid: a payment stops the charge on what it
//! pays from its value date on. A payment posted with a value date before days already
//! charged (back-dated), or a payment reversed after the fact, changes every charge and every
//! allocation after its date. [`replay`] recomputes the installments from the schedule as if
//! the payments had always been what they are now: it walks the dates in order, and on each
//! date first runs that date's close of business ([`close_day`]: installments fall due and
//! overdue, overdue ones are charged through the date) and then the payments of the date, by
//! id ([`pay`]: charges through the value date, then allocation, oldest installment first).
//!
//! Posting a payment whose value date is not before any date already charged or paid is the
//! same as replaying with it last, so the service posts such payments directly ([`pay`]) and
//! replays only for back-dated payments and reversals. The property test
//! (`tests/ledger.rs`) checks that any mix of posts, back-dated posts, reversals and close of
//! business days ends where posting the surviving payments in date order ends.
//!
//! # Charge rule
//!
//! [`charge_days`]: the days after the last one charged (or after the due date) up to the
//! given date, on the principal and fee unpaid, by [`late_charge`]; a charge that rounds to
//! zero charges nothing and leaves the days to be charged with the next ones.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::allocation::{Allocation, AllocationError, InstallmentBalance, allocate, late_charge};
use crate::vocab::InstallmentStatus;

/// One installment with what the daily rules keep about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Line {
    /// Amounts due and paid.
    pub balance: InstallmentBalance,
    /// Where it stands.
    pub status: InstallmentStatus,
    /// The value date of the payment that settled it.
    pub paid_on: Option<NaiveDate>,
    /// The last day its late charge covers.
    pub late_charge_through: Option<NaiveDate>,
}

impl Line {
    /// The installment as scheduled: nothing paid, nothing charged, `pending`.
    pub fn fresh(seq: u32, due_on: NaiveDate, principal_due: i64, fee_due: i64) -> Line {
        Line {
            balance: InstallmentBalance::new(seq, due_on, principal_due, fee_due),
            status: InstallmentStatus::Pending,
            paid_on: None,
            late_charge_through: None,
        }
    }

    /// The same installment as scheduled (due date, principal and fee kept; the rest reset).
    pub fn reset(&self) -> Line {
        Line::fresh(
            self.balance.seq,
            self.balance.due_on,
            self.balance.principal_due,
            self.balance.fee_due,
        )
    }
}

/// A loan's late-charge rates, fixed at disbursement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rates {
    /// The fee rate, basis points a year.
    pub annual_rate_bp: u32,
    /// The penalty premium, basis points.
    pub extra_points_bp: u32,
}

/// One installment's charge for some days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Charge {
    /// The installment's `seq`.
    pub seq: u32,
    /// Days charged.
    pub days: i64,
    /// Principal plus fee unpaid, the charge's base, in rials.
    pub base: i64,
    /// The charge, in rials (positive).
    pub amount: i64,
}

/// The days and rials an installment with `base` unpaid, due on `due_on` and charged through
/// `charged_through`, owes for the days up to `through`; `None` when nothing (no base, not
/// late, already charged, or under one rial).
pub fn charge_days(
    base: i64,
    due_on: NaiveDate,
    charged_through: Option<NaiveDate>,
    through: NaiveDate,
    rates: Rates,
) -> Option<(i64, i64)> {
    if base <= 0 {
        return None;
    }
    let from = charged_through.map_or(due_on, |d| d.max(due_on));
    let days = (through - from).num_days();
    if days <= 0 {
        return None;
    }
    let amount = late_charge(
        base,
        rates.annual_rate_bp,
        rates.extra_points_bp,
        u32::try_from(days).unwrap_or(u32::MAX),
    );
    (amount > 0).then_some((days, amount))
}

/// Charges every line (or, with `only_overdue`, every `overdue` line, as close of business
/// does) through `through`; a charged line becomes `overdue`.
pub fn accrue(
    lines: &mut [Line],
    rates: Rates,
    through: NaiveDate,
    only_overdue: bool,
) -> Vec<Charge> {
    let mut made = Vec::new();
    for line in lines.iter_mut() {
        if only_overdue && line.status != InstallmentStatus::Overdue {
            continue;
        }
        let base = line.balance.scheduled_outstanding();
        let Some((days, amount)) = charge_days(
            base,
            line.balance.due_on,
            line.late_charge_through,
            through,
            rates,
        ) else {
            continue;
        };
        line.balance.late_charge_due = line.balance.late_charge_due.saturating_add(amount);
        line.late_charge_through = Some(through);
        line.status = InstallmentStatus::Overdue;
        made.push(Charge {
            seq: line.balance.seq,
            days,
            base,
            amount,
        });
    }
    made
}

/// Close of business on `date`: pending lines due before `overdue_before` become `overdue`
/// (a pending line whose due date has come is due, which is not stored:
/// [`InstallmentStatus::shown`]), and overdue lines with principal or fee unpaid are charged
/// through the date.
pub fn close_day(
    lines: &mut [Line],
    rates: Rates,
    date: NaiveDate,
    overdue_before: NaiveDate,
) -> Vec<Charge> {
    for line in lines.iter_mut() {
        if line.status == InstallmentStatus::Pending && line.balance.due_on < overdue_before {
            line.status = InstallmentStatus::Overdue;
        }
    }
    accrue(lines, rates, date, true)
}

/// A payment of `amount` with value date `paid_on`: charges every line through the date,
/// allocates (late charge, fee, principal, oldest first) and marks the lines it settles
/// `paid` on the date.
pub fn pay(
    lines: &mut [Line],
    rates: Rates,
    amount: i64,
    paid_on: NaiveDate,
) -> Result<Allocation, AllocationError> {
    accrue(lines, rates, paid_on, false);
    let balances: Vec<InstallmentBalance> = lines.iter().map(|l| l.balance).collect();
    let allocation = allocate(&balances, amount)?;
    for a in &allocation.lines {
        if let Some(line) = lines.iter_mut().find(|l| l.balance.seq == a.seq) {
            line.balance.late_charge_paid += a.late_charge;
            line.balance.fee_paid += a.fee;
            line.balance.principal_paid += a.principal;
            if line.balance.is_settled() {
                line.status = InstallmentStatus::Paid;
                line.paid_on = Some(paid_on);
            }
        }
    }
    Ok(allocation)
}

/// A payment that stands (not reversed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Posting {
    /// The payment's id: payments of one date apply in id order.
    pub id: i64,
    /// Value date.
    pub paid_on: NaiveDate,
    /// Rials.
    pub amount: i64,
}

/// A close of business that ran for the loan's dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Day {
    /// The business date.
    pub date: NaiveDate,
    /// Installments due before this date are overdue on it (the grace of working days).
    pub overdue_before: NaiveDate,
}

/// The result of [`replay`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replayed {
    /// The installments, in the order given.
    pub lines: Vec<Line>,
    /// How each payment was allocated, by payment id, in the order applied.
    pub allocations: Vec<(i64, Allocation)>,
    /// Overpayment held as the borrower's credit, in rials.
    pub credit: i64,
}

/// The installments after the close-of-business `days` and the `payments`, from the schedule
/// (`lines` are reset to it first; see the module documentation for the order).
pub fn replay(
    lines: &[Line],
    rates: Rates,
    payments: &[Posting],
    days: &[Day],
) -> Result<Replayed, AllocationError> {
    let mut out: Vec<Line> = lines.iter().map(Line::reset).collect();
    let mut payments = payments.to_vec();
    payments.sort_by_key(|p| (p.paid_on, p.id));
    let mut days = days.to_vec();
    days.sort_by_key(|d| d.date);
    let mut allocations = Vec::with_capacity(payments.len());
    let mut credit = 0_i64;
    let mut next_day = days.iter().peekable();
    for p in &payments {
        while let Some(d) = next_day.next_if(|d| d.date <= p.paid_on) {
            close_day(&mut out, rates, d.date, d.overdue_before);
        }
        let a = pay(&mut out, rates, p.amount, p.paid_on)?;
        credit = credit.saturating_add(a.to_credit);
        allocations.push((p.id, a));
    }
    for d in next_day {
        close_day(&mut out, rates, d.date, d.overdue_before);
    }
    Ok(Replayed {
        lines: out,
        allocations,
        credit,
    })
}
