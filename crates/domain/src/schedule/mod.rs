//! Repayment schedules of a loan: due dates in Jalali months and the split of each installment
//! into principal and fee (کارمزد), plus acceleration (دین به حال).
//!
//! Everything is whole rials in `i64`, computed with integer (`i128`, and for the annuity an
//! exact big-integer rational) arithmetic; there is no floating point. Rates are annual, in
//! basis points (`400` = 4 % a year); the monthly rate is `r = bp / 120000`.
//!
//! # Methods
//!
//! Every installment but the last is a **whole number of tomans** (a multiple of
//! [`PAYABLE_UNIT`] = 10 rials), so the amount shown in tomans is exactly what is owed and a
//! payment typed in tomans settles it; the last installment absorbs every remainder.
//!
//! - [`ScheduleMethod::Annuity`] (declining balance): the level payment
//!   `P·r / (1 − (1+r)⁻ⁿ)` is computed exactly and rounded to whole tomans, half up
//!   (`x.5` tomans goes up). Each month's fee is `balance × r` in rials, rounded half up; the
//!   principal part is `payment − fee`. The **last** installment repays whatever balance is
//!   left, plus its own fee, so it absorbs every rounding remainder and may differ from the
//!   others by some tomans. For 300,000,000 rials at 4 % over 36 months: 35 installments of
//!   8,857,200 and a last one of 8,857,030; total fee 18,859,030 (the exact, unrounded total
//!   is 18,859,038.07).
//! - [`ScheduleMethod::Flat`] (the Iranian bank formula): total fee
//!   `P × rate% × (n+1) / 2400` rounded half up; each installment is `(P + fee) / n` rounded
//!   down to whole tomans and the **last** takes the remainder. Each installment's fee part
//!   is `fee / n` rounded down (the last takes the remainder) and the rest is principal. For
//!   300,000,000 at 4 % over 36: fee 18,500,000; 35 installments of 8,847,220 and a last of
//!   8,847,300.
//!
//! In both methods `Σ principal == P` and `Σ (principal + fee) == P + total_fee` exactly,
//! and no part is ever negative. (For principals of a few rials, where rounding the
//! installment would repay more principal than was lent, the principal part is capped at
//! what is still owed and the later installments carry only fee; odd rials that a cap leaves
//! in an earlier installment move to the last.)
//!
//! Schedules are fixed when the loan is disbursed and stored with it; loans disbursed
//! before installments were rounded to tomans keep their stored amounts (see
//! `docs/MIGRATIONS.md`).
//!
//! # Grace
//!
//! No installment falls due during the `grace_months`. If the program says the fee accrues
//! during grace, the grace fee `P × r × grace_months` (simple, rounded half up) is added to
//! the total fee and **collected with the installments, evenly in whole tomans, the remainder
//! on the last**;
//! otherwise grace is free.
//!
//! # Due dates
//!
//! Installment `k` (1-based) falls due `grace_months + k` Jalali months after the
//! disbursement date, on the same day of the month clamped to the month's length. Each date
//! is computed from the disbursement date directly (never from the previous due date), so a
//! clamped day does not drift: disbursed on 31 Shahrivar, the installments fall on 30 Mehr,
//! 30 Aban, …, 29 or 30 Esfand, 31 Farvardin, … With `shift_to_working_day`, a due date on a
//! weekend day or holiday moves to the next working day; this changes only the date, never
//! any amount.

mod acceleration;
mod annuity;
mod bigint;
mod flat;

pub use acceleration::{Acceleration, accelerate};

use core::fmt;
use core::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use vamyar_calendar::{JalaliDate, WorkingCalendar};

/// Denominator of the monthly rate: `r = bp / 120000` (12 months × 10000 bp).
const MONTHLY_RATE_DENOMINATOR: i128 = 120_000;

/// Every installment but the last is a whole multiple of this many rials (one toman), so
/// it can be shown in tomans and paid exactly as shown; the last absorbs the remainder.
pub const PAYABLE_UNIT: i64 = 10;

/// Largest number of installments accepted (20 years).
pub const MAX_TERM_MONTHS: u32 = 240;
/// Largest grace period accepted, in months (5 years).
pub const MAX_GRACE_MONTHS: u32 = 60;
/// Largest annual fee rate accepted, in basis points (100 % a year).
pub const MAX_RATE_BP: u32 = 10_000;

/// `num / den` rounded half up, for `num ≥ 0` and `den > 0`.
pub(crate) fn div_half_up(num: i128, den: i128) -> i128 {
    debug_assert!(num >= 0 && den > 0);
    (2 * num + den) / (2 * den)
}

/// How the fee is computed and spread over the installments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleMethod {
    /// Declining-balance annuity: level installments, fee on the remaining balance.
    Annuity,
    /// The Iranian bank formula: fee `P × rate% × (n+1) / 2400`, spread evenly.
    Flat,
}

impl ScheduleMethod {
    /// Stable snake_case name: `"annuity"` or `"flat"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Annuity => "annuity",
            Self::Flat => "flat",
        }
    }

    /// Parses the name produced by [`ScheduleMethod::as_str`].
    pub fn parse(s: &str) -> Result<Self, ScheduleError> {
        match s {
            "annuity" => Ok(Self::Annuity),
            "flat" => Ok(Self::Flat),
            _ => Err(ScheduleError::MethodUnknown),
        }
    }
}

impl fmt::Display for ScheduleMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ScheduleMethod {
    type Err = ScheduleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

crate::named::try_from_name!(ScheduleMethod, |name| ScheduleMethod::parse(name).ok());

/// Why a schedule could not be generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum ScheduleError {
    /// The principal is zero or negative.
    #[error("principal must be positive")]
    PrincipalInvalid,
    /// The number of installments is 0 or above [`MAX_TERM_MONTHS`].
    #[error("term must be between 1 and 240 months")]
    TermInvalid,
    /// The annual rate is above [`MAX_RATE_BP`].
    #[error("annual rate must be at most 10000 basis points")]
    RateInvalid,
    /// The grace period is above [`MAX_GRACE_MONTHS`].
    #[error("grace must be at most 60 months")]
    GraceInvalid,
    /// An amount (principal plus fee) does not fit in 64 bits.
    #[error("amounts overflow")]
    AmountOverflow,
    /// The method name is not `annuity` or `flat`.
    #[error("unknown schedule method")]
    MethodUnknown,
}

impl ScheduleError {
    /// Stable snake_case code for translation and API responses.
    pub fn code(&self) -> &'static str {
        match self {
            Self::PrincipalInvalid => "schedule_principal_invalid",
            Self::TermInvalid => "schedule_term_invalid",
            Self::RateInvalid => "schedule_rate_invalid",
            Self::GraceInvalid => "schedule_grace_invalid",
            Self::AmountOverflow => "schedule_amount_overflow",
            Self::MethodUnknown => "schedule_method_unknown",
        }
    }
}

/// The terms a schedule is generated from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleTerms {
    /// Amount lent, in rials; must be positive.
    pub principal: i64,
    /// Annual fee rate in basis points (`400` = 4 % a year), at most [`MAX_RATE_BP`].
    pub annual_rate_bp: u32,
    /// Number of monthly repayment installments, `1..=`[`MAX_TERM_MONTHS`].
    pub term_months: u32,
    /// Months after disbursement before the repayment months start, at most
    /// [`MAX_GRACE_MONTHS`].
    pub grace_months: u32,
    /// Whether fee accrues on the principal during grace (collected with the installments).
    pub grace_fee_accrues: bool,
    /// How the fee is computed.
    pub method: ScheduleMethod,
    /// Day the loan was paid out; due dates count Jalali months from it.
    pub disbursed_on: NaiveDate,
    /// Whether a due date on a non-working day moves to the next working day.
    pub shift_to_working_day: bool,
}

/// One repayment installment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Installment {
    /// Position in the schedule, starting at 1.
    pub seq: u32,
    /// Due date (already moved to a working day if the terms ask for it).
    pub due_on: NaiveDate,
    /// Principal part, in rials (never negative).
    pub principal: i64,
    /// Fee part (including its share of any grace fee), in rials (never negative).
    pub fee: i64,
}

impl Installment {
    /// Amount due: principal plus fee, in rials.
    pub fn total(&self) -> i64 {
        self.principal + self.fee
    }
}

/// A generated repayment schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// The installments in due-date order, `seq` 1, 2, …
    pub installments: Vec<Installment>,
    /// Total fee over the loan, in rials, grace fee included; equals `Σ fee`.
    pub total_fee: i64,
    /// The part of `total_fee` that accrued during grace (0 if grace is free), in rials.
    pub grace_fee: i64,
}

impl Schedule {
    /// `Σ principal`, which always equals the principal lent.
    pub fn total_principal(&self) -> i64 {
        self.installments.iter().map(|i| i.principal).sum()
    }

    /// Everything the borrower repays: principal plus `total_fee`, in rials.
    pub fn total_repayable(&self) -> i64 {
        self.installments.iter().map(Installment::total).sum()
    }
}

/// The due dates of the `term_months` installments (see the module documentation).
pub fn due_dates(terms: &ScheduleTerms, calendar: &WorkingCalendar) -> Vec<NaiveDate> {
    let start = JalaliDate::from_iso(terms.disbursed_on);
    (1..=terms.term_months)
        .map(|k| {
            let months = i32::try_from(terms.grace_months + k).unwrap_or(i32::MAX);
            let due = start.add_months(months).to_iso();
            if terms.shift_to_working_day {
                calendar.next_working_day_on_or_after(due)
            } else {
                due
            }
        })
        .collect()
}

/// The fee accrued during grace: `P × r × grace_months`, rounded half up; 0 if grace is
/// free. `None` on overflow.
fn grace_fee(terms: &ScheduleTerms) -> Option<i64> {
    if !terms.grace_fee_accrues {
        return Some(0);
    }
    let numerator = i128::from(terms.principal)
        * i128::from(terms.annual_rate_bp)
        * i128::from(terms.grace_months);
    i64::try_from(div_half_up(numerator, MONTHLY_RATE_DENOMINATOR)).ok()
}

/// Makes every row but the last a whole multiple of [`PAYABLE_UNIT`] by moving the odd
/// rials of a row (principal first, then fee) onto the last row. The methods already round
/// their level installments to a toman; this only acts where a clamp for a principal of a
/// few tomans broke that. Sums and signs are kept. `None` on overflow.
fn payable_in_tomans(rows: &mut [(i64, i64)]) -> Option<()> {
    let Some((last, rest)) = rows.split_last_mut() else {
        return Some(());
    };
    for row in rest {
        let odd = (row.0 + row.1).rem_euclid(PAYABLE_UNIT);
        let from_principal = odd.min(row.0);
        let from_fee = odd - from_principal;
        row.0 -= from_principal;
        row.1 -= from_fee;
        last.0 = last.0.checked_add(from_principal)?;
        last.1 = last.1.checked_add(from_fee)?;
    }
    Some(())
}

/// Generates the schedule for `terms`; `calendar` is only consulted when
/// `terms.shift_to_working_day` is set.
///
/// Errors: [`ScheduleError::PrincipalInvalid`], [`ScheduleError::TermInvalid`],
/// [`ScheduleError::RateInvalid`], [`ScheduleError::GraceInvalid`] for out-of-range terms,
/// [`ScheduleError::AmountOverflow`] if principal plus fee does not fit in an `i64`.
pub fn generate(
    terms: &ScheduleTerms,
    calendar: &WorkingCalendar,
) -> Result<Schedule, ScheduleError> {
    if terms.principal <= 0 {
        return Err(ScheduleError::PrincipalInvalid);
    }
    if terms.term_months == 0 || terms.term_months > MAX_TERM_MONTHS {
        return Err(ScheduleError::TermInvalid);
    }
    if terms.annual_rate_bp > MAX_RATE_BP {
        return Err(ScheduleError::RateInvalid);
    }
    if terms.grace_months > MAX_GRACE_MONTHS {
        return Err(ScheduleError::GraceInvalid);
    }
    let (p, bp, n) = (terms.principal, terms.annual_rate_bp, terms.term_months);
    let mut rows = match terms.method {
        ScheduleMethod::Annuity => annuity::rows(p, bp, n),
        ScheduleMethod::Flat => flat::rows(p, bp, n),
    }
    .ok_or(ScheduleError::AmountOverflow)?;

    let grace_fee = grace_fee(terms).ok_or(ScheduleError::AmountOverflow)?;
    let share = grace_fee / i64::from(n) / PAYABLE_UNIT * PAYABLE_UNIT;
    let remainder = grace_fee - share * i64::from(n);
    for row in &mut rows {
        row.1 = row
            .1
            .checked_add(share)
            .ok_or(ScheduleError::AmountOverflow)?;
    }
    if let Some(last) = rows.last_mut() {
        last.1 = last
            .1
            .checked_add(remainder)
            .ok_or(ScheduleError::AmountOverflow)?;
    }

    payable_in_tomans(&mut rows).ok_or(ScheduleError::AmountOverflow)?;

    let total_fee: i128 = rows.iter().map(|r| i128::from(r.1)).sum();
    let total_fee = i64::try_from(total_fee).map_err(|_| ScheduleError::AmountOverflow)?;
    p.checked_add(total_fee)
        .ok_or(ScheduleError::AmountOverflow)?;

    let installments = rows
        .into_iter()
        .zip(due_dates(terms, calendar))
        .zip(1..)
        .map(|(((principal, fee), due_on), seq)| Installment {
            seq,
            due_on,
            principal,
            fee,
        })
        .collect();
    Ok(Schedule {
        installments,
        total_fee,
        grace_fee,
    })
}
