//! Acceleration (دین به حال): when the borrower does not carry out the plan, the whole
//! remaining balance becomes due at once.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::allocation::InstallmentBalance;

/// The installments after acceleration, with what changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceleration {
    /// The installments, in the order given, with due dates and fees updated.
    pub installments: Vec<InstallmentBalance>,
    /// Unpaid fee of the installments that were not yet due, now waived, in rials.
    pub fee_dropped: i64,
    /// Everything outstanding after acceleration (late charges, fee and principal of every
    /// installment), all of it due on the acceleration date, in rials. Saturates at
    /// `i64::MAX`.
    pub due_now: i64,
}

/// Accelerates the loan on `on`:
///
/// - an installment due on or before `on` is left exactly as it is (its fee had already
///   fallen due and stays owed, as do its late charges);
/// - an installment due after `on` becomes due on `on`, with all its unpaid principal; its
///   unpaid fee is dropped (`fee_due` becomes `fee_paid`), since fee stops accruing on the
///   acceleration date. Fee already collected in advance is kept, not refunded. Its late
///   charges (normally none) are left unchanged.
///
/// No fee is pro-rated for the part of the month before `on`. Applying the function twice
/// with the same date changes nothing the second time.
pub fn accelerate(installments: &[InstallmentBalance], on: NaiveDate) -> Acceleration {
    let mut fee_dropped: i64 = 0;
    let mut due_now: i64 = 0;
    let installments = installments
        .iter()
        .map(|inst| {
            let mut out = *inst;
            if inst.due_on > on {
                out.due_on = on;
                out.fee_due = inst.fee_due.min(inst.fee_paid.max(0));
                fee_dropped = fee_dropped.saturating_add(inst.fee_due - out.fee_due);
            }
            due_now = due_now.saturating_add(out.outstanding());
            out
        })
        .collect();
    Acceleration {
        installments,
        fee_dropped,
        due_now,
    }
}
