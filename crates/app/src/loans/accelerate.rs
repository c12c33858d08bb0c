//! `accelerate` (دین به حال): the office head makes the whole balance due today, allowed only
//! when the latest monitoring visit found the plan not carried out. Late charges are first
//! accrued through today; then `vamyar_domain::schedule::accelerate` moves every later
//! installment to today with its unpaid principal and drops its unpaid fee (fee stops
//! accruing). The loan becomes `accelerated`; the announcement tells the applicant what is
//! due now, and the bank's referral export carries the date and the outstanding balance.

use chrono::NaiveDate;
use serde_json::json;
use vamyar_domain::vocab::{InstallmentStatus, LoanStatus};
use vamyar_store::Tx;
use vamyar_store::loan;

use super::arrears;
use crate::error::{Error, Result};
use crate::files::FileContext;

/// The loan's latest recorded monitoring visit when it found the plan not carried out: the
/// visit acceleration rests on (the file page offers `accelerate` only when there is one).
pub async fn failed_visit<'e, E>(ex: E, loan_id: i64) -> Result<Option<loan::visit::Visit>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(loan::visit::latest_recorded(ex, loan_id)
        .await?
        .filter(|v| v.plan_carried_out == Some(0)))
}

/// Checks that acceleration is allowed and accelerates the file's loan; returns the detail
/// kept in the history and carried by the `accelerated` announcement.
pub async fn accelerate(
    tx: &mut Tx,
    file: &FileContext,
    today: NaiveDate,
) -> Result<serde_json::Value> {
    // lock order: the file, then the loan (see vamyar_store::loan)
    vamyar_store::document::lock_application(tx, file.app.id).await?;
    let found = loan::for_application(&mut **tx, file.app.id)
        .await?
        .ok_or(Error::Conflict("no_loan"))?;
    let mut l = loan::lock(tx, found.id)
        .await?
        .ok_or(Error::Conflict("no_loan"))?;
    if l.status != LoanStatus::Active {
        return Err(Error::Conflict("invalid_state"));
    }
    let visit = failed_visit(&mut **tx, l.id)
        .await?
        .ok_or(Error::Conflict("no_failed_visit"))?;
    let charged = loan::accrue_late_charges(tx, l.id, today).await?;
    let mut rows = loan::installments(&mut **tx, l.id).await?;
    let balances = rows
        .iter()
        .map(|r| r.balance())
        .collect::<Result<Vec<_>, _>>()?;
    let done = vamyar_domain::schedule::accelerate(&balances, today);
    for (row, after) in rows.iter_mut().zip(&done.installments) {
        let before = row.clone();
        row.set_balance(after);
        if row.due_on != before.due_on {
            // due today, which a pending installment is from its due date on (not stored)
            row.status = if row.outstanding() > 0 {
                InstallmentStatus::Pending
            } else {
                InstallmentStatus::Paid
            };
        }
        if *row != before {
            loan::update_installment(tx, row).await?;
        }
    }
    let late = arrears(&rows, today)?;
    l.status = LoanStatus::Accelerated;
    l.accelerated_on = Some(vamyar_store::time::date(today));
    late.record_on(&mut l);
    loan::update(tx, &l).await?;
    Ok(json!({
        "loan_id": l.id,
        "accelerated_on": l.accelerated_on,
        "due_now": done.due_now,
        "fee_dropped": done.fee_dropped,
        "late_charge_accrued": charged,
        "visit_id": visit.id,
    }))
}
