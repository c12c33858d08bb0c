//! `disburse`: the bank officer pays the loan out. The terms come from the bank's memorandum
//! (fee rate, term, grace) and the program (schedule method, grace fee, late-charge points,
//! moving due dates to working days); the schedule from `vamyar_domain::schedule::generate`
//! over the working calendar. In the action's transaction: the loan and its installments,
//! the referral marked `disbursed`, the monitoring visits scheduled at the program's
//! `visit_months` after disbursement, and (after the state moves) the first visit announced.

use chrono::NaiveDate;
use serde_json::json;
use vamyar_calendar::JalaliDate;
use vamyar_domain::announcement::Notice;
use vamyar_domain::schedule::{self, ScheduleMethod, ScheduleTerms};
use vamyar_domain::vocab::ReferralStatus;
use vamyar_store::Tx;
use vamyar_store::loan::{self, NewLoan};
use vamyar_store::referral;

use crate::error::{Error, FieldErrors, Result};
use crate::fields;
use crate::files::body::ActionBody;
use crate::files::{FileContext, Rules};

/// The longest contract number (characters).
pub const MAX_CONTRACT_CHARS: usize = 64;

/// The disbursement's fields, checked.
struct Checked {
    contract_number: String,
    amount: i64,
    disbursed_on: NaiveDate,
}

fn check(
    body: &ActionBody,
    approved: i64,
    issued_on: NaiveDate,
    today: NaiveDate,
) -> Result<Checked> {
    let mut errors = FieldErrors::new();
    let contract = fields::reference(
        &mut errors,
        "contract_number",
        body.contract_number.as_deref(),
        MAX_CONTRACT_CHARS,
    );
    let amount = match &body.amount {
        None => Some(approved),
        Some(v) => match fields::positive_amount(&mut errors, "amount", v) {
            Some(a) if a > approved => {
                errors.add_with(
                    "amount",
                    "amount_above_approved",
                    vec![("approved", approved)],
                );
                None
            }
            a => a,
        },
    };
    let disbursed_on =
        match fields::past_date(&mut errors, "disbursed_on", &body.disbursed_on, today) {
            Some(d) if d < issued_on => {
                errors.add("disbursed_on", "date_before_referral");
                None
            }
            d => d,
        };
    errors.finish()?;
    match (contract, amount, disbursed_on) {
        (Some(contract_number), Some(amount), Some(disbursed_on)) => Ok(Checked {
            contract_number,
            amount,
            disbursed_on,
        }),
        _ => Err(Error::Internal(
            "disbursement checked without its parts".into(),
        )),
    }
}

fn contract_taken() -> Error {
    let mut f = FieldErrors::new();
    f.add("contract_number", "contract_number_taken");
    Error::Validation(f)
}

fn to_u32(v: i64, what: &str) -> Result<u32> {
    u32::try_from(v).map_err(|_| Error::Internal(format!("{what} out of range: {v}")))
}

/// Checks the body, writes the loan, its schedule and visits; returns the detail kept in the
/// history and carried by the `disbursed` announcement (first due date and amount included).
pub async fn disburse(
    tx: &mut Tx,
    file: &FileContext,
    rules: &Rules,
    body: &ActionBody,
) -> Result<serde_json::Value> {
    let settings = &rules.settings;
    let app = &file.app;
    let r = referral::latest(&mut **tx, app.id)
        .await?
        .filter(|r| r.status == ReferralStatus::Approved)
        .ok_or(Error::Conflict("no_open_referral"))?;
    let approved = app.approved_amount.unwrap_or(r.amount);
    let issued_on = vamyar_store::time::parse_date(&r.issued_on)?;
    let c = check(body, approved, issued_on, rules.today)?;
    if loan::by_contract(&mut **tx, r.bank_id, &c.contract_number)
        .await?
        .is_some()
    {
        return Err(contract_taken());
    }
    let memorandum = vamyar_store::bank::memorandum(&mut **tx, r.memorandum_id)
        .await?
        .ok_or_else(|| Error::Internal(format!("referral {} has no memorandum", r.id)))?;
    let program = &settings.program;
    let method = ScheduleMethod::parse(&program.schedule_method)
        .map_err(|e| Error::Internal(format!("program {}: {e}", program.id)))?;
    let terms = ScheduleTerms {
        principal: c.amount,
        annual_rate_bp: to_u32(memorandum.fee_rate_bp, "fee rate")?,
        term_months: to_u32(memorandum.term_months, "term")?,
        grace_months: to_u32(memorandum.grace_months, "grace")?,
        grace_fee_accrues: program.grace_fee_accrues,
        method,
        disbursed_on: c.disbursed_on,
        shift_to_working_day: program.shift_due_to_working_day,
    };
    let plan = schedule::generate(&terms, &rules.calendar).map_err(|e| {
        tracing::warn!(
            code = e.code(),
            memorandum = memorandum.id,
            "loan terms refused"
        );
        Error::Conflict("loan_terms_invalid")
    })?;
    let created = loan::create(
        tx,
        &NewLoan {
            application_id: app.id,
            referral_id: r.id,
            bank_id: r.bank_id,
            contract_number: &c.contract_number,
            principal: c.amount,
            fee_rate_bp: memorandum.fee_rate_bp,
            term_months: memorandum.term_months,
            grace_months: memorandum.grace_months,
            schedule_method: method.as_str(),
            late_charge_extra_bp: program.late_charge_extra_bp,
            disbursed_on: c.disbursed_on,
            total_fee: plan.total_fee,
        },
        &plan.installments,
    )
    .await;
    let loan_id = match created {
        Ok(id) => id,
        Err(e) if e.violates(loan::CONTRACT_KEY) => return Err(contract_taken()),
        Err(e) => return Err(e.into()),
    };
    referral::set_status(tx, r.id, "disbursed", None, None).await?;

    let months: Vec<u32> = serde_json::from_str(&program.visit_months)
        .map_err(|e| Error::Internal(format!("program {} visit months: {e}", program.id)))?;
    let start = JalaliDate::from_iso(c.disbursed_on);
    let mut first_visit = None;
    for m in months {
        let on = rules.calendar.next_working_day_on_or_after(
            start
                .add_months(i32::try_from(m).unwrap_or(i32::MAX))
                .to_iso(),
        );
        let on = vamyar_store::time::date(on);
        let id = loan::visit::schedule(tx, loan_id, app.id, &on).await?;
        first_visit.get_or_insert(json!({"id": id, "scheduled_on": on}));
    }
    let first = plan.installments.first();
    Ok(json!({
        "loan_id": loan_id,
        "referral_id": r.id,
        "contract_number": c.contract_number,
        "amount": c.amount,
        "disbursed_on": vamyar_store::time::date(c.disbursed_on),
        "installments": plan.installments.len(),
        "total_fee": plan.total_fee,
        "total_repayable": plan.total_repayable(),
        "first_due_on": first.map(|i| vamyar_store::time::date(i.due_on)),
        "first_installment_amount": first.map(|i| i.total()),
        "first_visit": first_visit,
    }))
}

/// After the file became `active`: announces the first monitoring visit (event
/// `visit_scheduled`) to the applicant.
pub async fn announce_first_visit(
    tx: &mut Tx,
    file: &FileContext,
    detail: &serde_json::Value,
) -> Result<()> {
    let visit = &detail["first_visit"];
    let (Some(id), Some(on)) = (visit["id"].as_i64(), visit["scheduled_on"].as_str()) else {
        return Ok(());
    };
    let date = chrono::NaiveDate::parse_from_str(on, "%Y-%m-%d")
        .map_err(|_| Error::Internal(format!("visit {id} scheduled on `{on}`")))?;
    crate::files::announce::queue_message(
        tx,
        file,
        Notice::VisitScheduled { date },
        format!("visit:{id}:scheduled"),
    )
    .await
}
