//! Posting a payment to a loan's installments, late charges and arrears.
//!
//! # Allocation order
//!
//! A payment settles the **oldest installment first** (by due date, then `seq`), and each
//! installment **in full before the next**: its late charge, then its fee, then its
//! principal. This is the usual practice of Iranian banks and how the specification's
//! "late charges, then fee, then principal, oldest installment first" is read. Installments
//! not yet due are reached only after every earlier one is settled, so a payment larger than
//! what is due prepays the next installments in order. Whatever is left once everything is
//! paid is returned as [`Allocation::to_credit`], held as credit, never lost.
//!
//! Late charges ([`late_charge`]) follow the bank formula
//! `installment × (rate% + extra points) × days / 36000`. Amounts are whole rials (`i64`);
//! products are taken in `i128`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::schedule::div_half_up;

/// What is owed and paid on one installment, in rials.
///
/// The `*_due` fields are what the installment asks for (the late charge assessed so far
/// included), the `*_paid` fields what has been allocated to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InstallmentBalance {
    /// Position in the schedule, starting at 1.
    pub seq: u32,
    /// Due date.
    pub due_on: NaiveDate,
    /// Principal due, in rials.
    pub principal_due: i64,
    /// Fee due, in rials.
    pub fee_due: i64,
    /// Late charge assessed so far, in rials.
    pub late_charge_due: i64,
    /// Principal paid, in rials.
    pub principal_paid: i64,
    /// Fee paid, in rials.
    pub fee_paid: i64,
    /// Late charge paid, in rials.
    pub late_charge_paid: i64,
}

impl InstallmentBalance {
    /// A fresh installment: nothing paid, no late charge.
    pub fn new(seq: u32, due_on: NaiveDate, principal_due: i64, fee_due: i64) -> Self {
        Self {
            seq,
            due_on,
            principal_due,
            fee_due,
            late_charge_due: 0,
            principal_paid: 0,
            fee_paid: 0,
            late_charge_paid: 0,
        }
    }

    /// Principal still owed (never negative), in rials.
    pub fn principal_outstanding(&self) -> i64 {
        self.principal_due
            .saturating_sub(self.principal_paid)
            .max(0)
    }

    /// Fee still owed (never negative), in rials.
    pub fn fee_outstanding(&self) -> i64 {
        self.fee_due.saturating_sub(self.fee_paid).max(0)
    }

    /// Late charge still owed (never negative), in rials.
    pub fn late_charge_outstanding(&self) -> i64 {
        self.late_charge_due
            .saturating_sub(self.late_charge_paid)
            .max(0)
    }

    /// Scheduled amount (principal plus fee) still owed, late charge excluded, in rials.
    pub fn scheduled_outstanding(&self) -> i64 {
        self.principal_outstanding()
            .saturating_add(self.fee_outstanding())
    }

    /// Everything still owed: late charge, fee and principal, in rials.
    pub fn outstanding(&self) -> i64 {
        self.scheduled_outstanding()
            .saturating_add(self.late_charge_outstanding())
    }

    /// Whether nothing is owed on the installment any more.
    pub fn is_settled(&self) -> bool {
        self.outstanding() == 0
    }

    /// Whether the scheduled amount is unpaid after its due date (due today is not overdue).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.due_on < today && self.scheduled_outstanding() > 0
    }
}

/// What a payment pays on one installment, in rials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AllocationLine {
    /// The installment's `seq`.
    pub seq: u32,
    /// Paid towards the late charge.
    pub late_charge: i64,
    /// Paid towards the fee.
    pub fee: i64,
    /// Paid towards the principal.
    pub principal: i64,
}

impl AllocationLine {
    /// Everything paid on the installment.
    pub fn total(&self) -> i64 {
        self.late_charge + self.fee + self.principal
    }
}

/// How a payment is split; `Σ lines.total() + to_credit == amount`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Allocation {
    /// One line per installment that receives something, in allocation order.
    pub lines: Vec<AllocationLine>,
    /// What is left after everything owed is paid, held as the borrower's credit, in rials.
    pub to_credit: i64,
}

impl Allocation {
    /// Total allocated to installments (the payment minus `to_credit`), in rials.
    pub fn allocated(&self) -> i64 {
        self.lines.iter().map(AllocationLine::total).sum()
    }

    /// Adds each line to the `*_paid` fields of the installment with the same `seq`.
    pub fn apply_to(&self, installments: &mut [InstallmentBalance]) {
        for line in &self.lines {
            if let Some(inst) = installments.iter_mut().find(|i| i.seq == line.seq) {
                inst.late_charge_paid = inst.late_charge_paid.saturating_add(line.late_charge);
                inst.fee_paid = inst.fee_paid.saturating_add(line.fee);
                inst.principal_paid = inst.principal_paid.saturating_add(line.principal);
            }
        }
    }
}

/// Why a payment could not be allocated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum AllocationError {
    /// The payment amount is negative.
    #[error("payment amount is negative")]
    AmountNegative,
}

impl AllocationError {
    /// Stable snake_case code for translation and API responses.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AmountNegative => "allocation_amount_negative",
        }
    }
}

/// Splits a payment of `amount` rials over `installments` (see the module documentation for
/// the order). No component receives more than it has outstanding; the rest goes to
/// [`Allocation::to_credit`]. The input order does not matter: installments are taken by
/// due date, then `seq`. A zero amount gives an empty allocation.
///
/// Errors: [`AllocationError::AmountNegative`] for a negative amount.
pub fn allocate(
    installments: &[InstallmentBalance],
    amount: i64,
) -> Result<Allocation, AllocationError> {
    if amount < 0 {
        return Err(AllocationError::AmountNegative);
    }
    let mut order: Vec<&InstallmentBalance> = installments.iter().collect();
    order.sort_by_key(|i| (i.due_on, i.seq));
    let mut left = amount;
    let mut lines = Vec::new();
    for inst in order {
        if left == 0 {
            break;
        }
        let late_charge = inst.late_charge_outstanding().min(left);
        left -= late_charge;
        let fee = inst.fee_outstanding().min(left);
        left -= fee;
        let principal = inst.principal_outstanding().min(left);
        left -= principal;
        let line = AllocationLine {
            seq: inst.seq,
            late_charge,
            fee,
            principal,
        };
        if line.total() > 0 {
            lines.push(line);
        }
    }
    Ok(Allocation {
        lines,
        to_credit: left,
    })
}

/// Late charge (جریمه‌ی دیرکرد) on an installment paid `days_late` days late:
/// `amount × (rate% + extra%) × days / 36000`, i.e.
/// `amount × (annual_rate_bp + extra_points_bp) × days / 3,600,000`, rounded half up.
///
/// `extra_points_bp` is the penalty premium in basis points (`600` = 6 percentage points).
/// A non-positive amount gives 0; the result saturates at `i64::MAX`. Example: 8,847,222
/// rials at 4 % + 6, 30 days late: 73,726.85 → 73,727.
pub fn late_charge(
    installment_amount: i64,
    annual_rate_bp: u32,
    extra_points_bp: u32,
    days_late: u32,
) -> i64 {
    if installment_amount <= 0 {
        return 0;
    }
    let numerator = i128::from(installment_amount)
        * (i128::from(annual_rate_bp) + i128::from(extra_points_bp))
        * i128::from(days_late);
    i64::try_from(div_half_up(numerator, 3_600_000)).unwrap_or(i64::MAX)
}

/// The oldest due date, before `today`, whose installment still has principal or fee unpaid:
/// the date a loan's arrears are counted from; `None` if nothing is overdue. An installment
/// due on `today` is not yet overdue, and unpaid late charges alone do not count.
pub fn arrears_since(installments: &[InstallmentBalance], today: NaiveDate) -> Option<NaiveDate> {
    installments
        .iter()
        .filter(|i| i.is_overdue(today))
        .map(|i| i.due_on)
        .min()
}

/// Days from `since` (a loan's [`arrears_since`]) to `today`; 0 when there is none.
pub fn days_since(since: Option<NaiveDate>, today: NaiveDate) -> u32 {
    since.map_or(0, |oldest| {
        u32::try_from((today - oldest).num_days().max(0)).unwrap_or(u32::MAX)
    })
}

/// Days since the oldest due date whose installment still has principal or fee unpaid;
/// 0 if nothing is overdue ([`arrears_since`] counted to `today`).
pub fn arrears_days(installments: &[InstallmentBalance], today: NaiveDate) -> u32 {
    days_since(arrears_since(installments, today), today)
}

/// Delinquency bucket by days in arrears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ArrearsBucket {
    /// Nothing overdue.
    #[serde(rename = "current")]
    Current,
    /// 1 to 30 days overdue.
    #[serde(rename = "1_30")]
    Days1To30,
    /// 31 to 90 days overdue.
    #[serde(rename = "31_90")]
    Days31To90,
    /// More than 90 days overdue.
    #[serde(rename = "over_90")]
    Over90,
}

impl ArrearsBucket {
    /// Every bucket, from current to the worst.
    pub const ALL: [ArrearsBucket; 4] = [
        Self::Current,
        Self::Days1To30,
        Self::Days31To90,
        Self::Over90,
    ];

    /// Stable name: `"current"`, `"1_30"`, `"31_90"` or `"over_90"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Days1To30 => "1_30",
            Self::Days31To90 => "31_90",
            Self::Over90 => "over_90",
        }
    }

    /// Parses the name produced by [`ArrearsBucket::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.as_str() == s)
    }

    /// The bucket of `days` in arrears.
    pub fn from_days(days: u32) -> Self {
        match days {
            0 => Self::Current,
            1..=30 => Self::Days1To30,
            31..=90 => Self::Days31To90,
            _ => Self::Over90,
        }
    }
}

impl core::fmt::Display for ArrearsBucket {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

crate::named::try_from_name!(ArrearsBucket);

/// The bucket of `days` in arrears; same as [`ArrearsBucket::from_days`].
pub fn bucket(days: u32) -> ArrearsBucket {
    ArrearsBucket::from_days(days)
}
