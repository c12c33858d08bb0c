//! A loan's repayment schedule as PDF.

use vamyar_domain::policy::Actor;
use vamyar_print::{RepaymentSchedule, ScheduleRow};

use super::{Printed, file_name, typeset};
use crate::Ctx;
use crate::error::{Error, Result};

/// The schedule of loan `id` as PDF, as of today in Tehran, for anyone who may see the loan
/// (the borrower, staff whose scope covers the file, the loan's bank).
pub async fn repayment_schedule(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Printed> {
    let lc = crate::loans::visible_loan(ctx, actor, id, "loan.view").await?;
    let pool = ctx.db.pool();
    let loan = &lc.loan;
    let bank = vamyar_store::bank::bank(pool, loan.bank_id)
        .await?
        .ok_or_else(|| Error::Internal(format!("loan {id}: no bank")))?;
    let rows = crate::loans::installments_as_of(ctx, loan, ctx.today())
        .await?
        .iter()
        .map(|i| {
            Ok(ScheduleRow {
                seq: i.seq,
                due_on: i.due_date()?,
                principal: i.principal_due,
                fee: i.fee_due,
                late_charge: i.late_charge_due,
                paid: i.paid(),
                remaining: i.outstanding(),
                status: i.status,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let person = vamyar_store::person::get(pool, lc.app.person_id)
        .await?
        .ok_or_else(|| Error::Internal(format!("loan {id}: no person")))?;
    let schedule = RepaymentSchedule {
        contract_number: loan.contract_number.clone(),
        bank: bank.name_fa,
        borrower: format!("{} {}", person.first_name, person.last_name),
        principal: loan.principal,
        fee_rate_bp: loan.fee_rate_bp,
        term_months: loan.term_months,
        grace_months: loan.grace_months,
        disbursed_on: vamyar_store::time::parse_date(&loan.disbursed_on)?,
        printed_on: ctx.today(),
        rows,
    };
    Ok(Printed {
        file_name: file_name("schedule", &loan.contract_number),
        pdf: typeset(move || schedule.to_pdf()).await?,
    })
}
