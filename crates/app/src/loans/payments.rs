//! Posting a bank's payment, exactly once per bank reference, from any channel (the API,
//! `vamyar import payments`).
//!
//! In one transaction, holding the file's and then the loan's lock: late charges are accrued
//! through `paid_on` (so a late payment pays its charge), the amount is allocated late
//! charges → fee → principal, oldest installment first
//! (`vamyar_domain::allocation::allocate`), an overpayment is kept as the loan's credit, and
//! when every installment is settled the loan closes and the file moves to `closed` by the
//! system (announced). The payment row is written first (on PostgreSQL in one statement
//! with the installments and the audit row, `vamyar_store::loan::posting`), so a reference
//! the bank already used is refused by the unique index before any change is kept: the
//! transaction rolls back and the stored payment is the answer (a repeat), or a conflict
//! when it was another loan's, amount or date. A payment dated before a day close of
//! business already charged, or before a payment already standing (back-dated), is recorded
//! and the loan replayed with it in its place (`super::recompute`), so late charges charged
//! for days it paid are undone.
//! Two concurrent posts of one reference cannot both insert: the unique index
//! `payment_bank_reference_key` refuses the second (it waits for the first to end), which
//! then rolls back and answers with the first one's stored payment.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde_json::json;
use vamyar_domain::vocab::{InstallmentStatus, LoanStatus};
use vamyar_domain::workflow::{self, Action, ActionInput, Role};
use vamyar_store::Tx;
use vamyar_store::audit::Entry;
use vamyar_store::loan::{self, payment, payment::NewPayment, payment::Payment, posting};

use super::recompute::{Basis, is_backdated, recompute};
use super::{LoanContext, arrears};
use crate::Ctx;
use crate::applicant::Flex;
use crate::error::{Error, FieldErrors, Result};
use crate::fields;
use crate::files::doer::Doer;
use crate::files::{FileContext, Rules};

/// The largest payment accepted, in rials (10¹³).
pub const MAX_PAYMENT: i64 = 10_000_000_000_000;

/// The longest bank reference (characters).
pub const MAX_REFERENCE_CHARS: usize = 64;

/// A payment as received, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentInput {
    /// Rials, `1..=MAX_PAYMENT`.
    pub amount: i64,
    /// Value date, not in the future.
    pub paid_on: NaiveDate,
    /// The bank's reference, trimmed, digits made Latin.
    pub bank_reference: String,
}

/// Who posts, for the payment row and the audit log.
#[derive(Clone, Copy, Debug)]
pub struct Poster {
    /// The bank officer (none for a file import run by the operator).
    pub staff_id: Option<i64>,
    /// `api` or `file`.
    pub channel: &'static str,
}

impl Poster {
    /// The audit entry of a payment posted by this poster (its detail still to add).
    fn entry(self) -> Entry {
        match self.staff_id {
            Some(id) => Entry::staff(id, "loan.payment", "payment"),
            None => Entry::system("loan.payment", "payment"),
        }
    }
}

/// The outcome of posting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Posted {
    /// Posted now (HTTP 201).
    Created(Payment),
    /// The reference was posted before with the same loan, amount and date: the stored
    /// payment, nothing changed (HTTP 200).
    Repeated(Payment),
}

impl Posted {
    /// The stored payment.
    pub fn payment(&self) -> &Payment {
        match self {
            Posted::Created(p) | Posted::Repeated(p) => p,
        }
    }
}

/// Checks the three fields of a payment (API body or CSV row) and collects every problem.
pub fn parse_input(
    amount: Option<&str>,
    paid_on: Option<&str>,
    bank_reference: Option<&str>,
    today: NaiveDate,
) -> Result<PaymentInput, FieldErrors> {
    let mut errors = FieldErrors::new();
    let amount = fields::amount(
        &mut errors,
        "amount",
        &amount.map(|a| Flex(a.to_string())),
        1..=MAX_PAYMENT,
    );
    let paid_on = fields::past_date(&mut errors, "paid_on", &paid_on.map(str::to_string), today);
    let reference = fields::reference(
        &mut errors,
        "bank_reference",
        bank_reference,
        MAX_REFERENCE_CHARS,
    );
    match (amount, paid_on, reference) {
        (Some(amount), Some(paid_on), Some(bank_reference)) if errors.is_empty() => {
            Ok(PaymentInput {
                amount,
                paid_on,
                bank_reference,
            })
        }
        _ => Err(errors),
    }
}

/// The stored payment answers a repeat only if it is the same payment; a reference reused
/// for another loan, amount or date is a conflict the bank must look into.
fn repeat_of(stored: Payment, lc: &LoanContext, input: &PaymentInput) -> Result<Posted> {
    if stored.loan_id == lc.loan.id
        && stored.amount == input.amount
        && stored.paid_on == vamyar_store::time::date(input.paid_on)
    {
        Ok(Posted::Repeated(stored))
    } else {
        Err(Error::Conflict("bank_reference_conflict"))
    }
}

/// Posts `input` to the loan of `lc` (the caller has checked who may). See the module
/// documentation. Errors: 409 `loan_closed`, 409 `bank_reference_conflict`, 422 `paid_on`
/// before disbursement.
pub async fn post(ctx: &Ctx, lc: &LoanContext, input: &PaymentInput, by: Poster) -> Result<Posted> {
    if input.paid_on < vamyar_store::time::parse_date(&lc.loan.disbursed_on)? {
        let mut f = FieldErrors::new();
        f.add("paid_on", "date_before_disbursement");
        return Err(Error::Validation(f));
    }
    let bank_id = lc.loan.bank_id;
    let basis = Basis::load(ctx).await?;
    let (c, l, i) = (ctx.clone(), lc.clone(), input.clone());
    let posted = ctx
        .db
        .grouped(move |tx| Box::pin(async move { post_in(tx, &c, &l, &i, by, &basis).await }))
        .await;
    match posted {
        Err(Error::Conflict(TAKEN_MEANWHILE)) => {
            let stored = payment::by_reference(ctx.db.pool(), bank_id, &input.bank_reference)
                .await?
                .ok_or_else(|| Error::Internal("duplicate reference vanished".into()))?;
            repeat_of(stored, lc, input)
        }
        posted => posted,
    }
}

/// What [`post_in`] answers when the reference is already stored (posted before, or by
/// another transaction meanwhile): its writes are rolled back, and [`post`] reads the stored
/// payment.
const TAKEN_MEANWHILE: &str = "bank_reference_taken_meanwhile";

/// The posting's transaction: the payment written (and the file closed if it settled the
/// loan), or [`TAKEN_MEANWHILE`] when the reference is already stored (its writes are then
/// rolled back and [`post`] answers with the stored payment).
async fn post_in(
    tx: &mut Tx,
    ctx: &Ctx,
    lc: &LoanContext,
    input: &PaymentInput,
    by: Poster,
    basis: &Basis,
) -> Result<Posted> {
    // the file's lock, then the loan's, in one statement
    let locked = loan::lock_for_payment(tx, lc.app.id, lc.loan.id)
        .await?
        .ok_or(Error::NotFound)?;
    let (app_state, version) = (locked.file_state()?, locked.file_version);
    match write(tx, locked, input, by, basis).await? {
        Written::Posted(p, closed) => {
            if closed {
                // the person and county only now: the usual payment never needs them
                let mut app = lc.app.clone();
                app.state = app_state;
                app.version = version;
                let file = FileContext::complete_via(ctx, &mut **tx, app).await?;
                close_file(tx, ctx, &file, &p).await?;
            }
            Ok(Posted::Created(*p))
        }
        Written::Duplicate => Err(Error::Conflict(TAKEN_MEANWHILE)),
    }
}

enum Written {
    /// The payment, and whether it settled the loan.
    Posted(Box<Payment>, bool),
    /// The reference is already stored (posted before, or by another transaction meanwhile);
    /// nothing was written.
    Duplicate,
}

/// Writes the payment to the loan `locked` (the file's and the loan's locks held).
async fn write(
    tx: &mut Tx,
    locked: loan::Locked,
    input: &PaymentInput,
    by: Poster,
    basis: &Basis,
) -> Result<Written> {
    let backdated = is_backdated(locked.last_settled(), input.paid_on)?;
    let mut l = locked.loan;
    if l.status == LoanStatus::Closed {
        // a repeat of the payment that settled it is still answered as a repeat
        return match payment::by_reference(&mut **tx, l.bank_id, &input.bank_reference).await? {
            Some(_) => Ok(Written::Duplicate),
            None => Err(Error::Conflict("loan_closed")),
        };
    }
    if l.status == LoanStatus::Active && backdated {
        return write_backdated(tx, l, input, by, basis).await;
    }
    let today = basis.today;
    // late charges through the value date and the allocation, in memory; the payment is
    // inserted first (a reference already stored stops the posting before anything is
    // written), then each installment changed by them is written once
    let mut rows = loan::installments(&mut **tx, l.id).await?;
    let accrued = loan::late::accrue(
        &mut rows,
        l.fee_rate_bp,
        l.late_charge_extra_bp,
        input.paid_on,
    )?;
    let charged = accrued
        .iter()
        .fold(0_i64, |sum, a| sum.saturating_add(a.amount));
    let mut changed: BTreeSet<i64> = accrued.iter().map(|a| a.seq).collect();
    let balances = rows
        .iter()
        .map(|r| r.balance())
        .collect::<Result<Vec<_>, _>>()?;
    let allocation = vamyar_domain::allocation::allocate(&balances, input.amount)
        .map_err(|e| Error::Internal(e.code().into()))?;
    let paid_on = vamyar_store::time::date(input.paid_on);
    for line in &allocation.lines {
        let Some(row) = rows.iter_mut().find(|r| r.seq == i64::from(line.seq)) else {
            return Err(Error::Internal(
                "allocated to an unknown installment".into(),
            ));
        };
        row.late_charge_paid += line.late_charge;
        row.fee_paid += line.fee;
        row.principal_paid += line.principal;
        if row.outstanding() == 0 {
            row.status = InstallmentStatus::Paid;
            row.paid_on = Some(paid_on.clone());
        }
        changed.insert(row.seq);
    }
    let sum = |f: fn(&vamyar_domain::allocation::AllocationLine) -> i64| {
        allocation.lines.iter().map(f).sum::<i64>()
    };
    let settled = rows.iter().all(|r| r.outstanding() == 0);
    let entry = by.entry();
    // the payment's own columns, as the row will hold them; its id is the entry's entity
    let entry = entry.detail(json!({
        "loan_id": l.id,
        "application_id": l.application_id,
        "bank_reference": input.bank_reference,
        "amount": input.amount,
        "paid_on": paid_on,
        "channel": by.channel,
        "late_charge_accrued": charged,
        "lines": allocation.lines,
        "to_credit": allocation.to_credit,
        "loan_closed": settled,
    }));
    let written: Vec<&loan::Installment> =
        rows.iter().filter(|r| changed.contains(&r.seq)).collect();
    let recorded = posting::record(
        tx,
        &NewPayment {
            loan_id: l.id,
            bank_id: l.bank_id,
            bank_reference: &input.bank_reference,
            amount: input.amount,
            paid_on: &paid_on,
            channel: by.channel,
            allocated_late_charge: sum(|l| l.late_charge),
            allocated_fee: sum(|l| l.fee),
            allocated_principal: sum(|l| l.principal),
            to_credit: allocation.to_credit,
            posted_by_staff_id: by.staff_id,
        },
        &written,
        entry,
    )
    .await;
    let p = match recorded {
        Ok(p) => p,
        Err(e) if e.violates(payment::REFERENCE_KEY) => return Ok(Written::Duplicate),
        Err(e) => return Err(e.into()),
    };
    let late = arrears(&rows, today)?;
    // the usual payment (on time, on a current loan, or one that leaves the oldest unpaid
    // installment unpaid) leaves the loan's own fields as they were: no new version of its
    // row (the principal repaid is the installment trigger's)
    let changed = settled || allocation.to_credit != 0 || !late.recorded_on(&l);
    l.credit_balance += allocation.to_credit;
    late.record_on(&mut l);
    if settled {
        l.status = LoanStatus::Closed;
        l.closed_on = Some(paid_on.clone());
    }
    if changed {
        loan::update(tx, &l).await?;
    }
    Ok(Written::Posted(Box::new(p), settled))
}

/// A payment whose value date reaches back before days already charged or payments already
/// standing: recorded, then the loan is replayed with it in its place
/// ([`super::recompute`]), which also allocates it.
async fn write_backdated(
    tx: &mut Tx,
    mut l: vamyar_store::loan::Loan,
    input: &PaymentInput,
    by: Poster,
    basis: &Basis,
) -> Result<Written> {
    let paid_on = vamyar_store::time::date(input.paid_on);
    let inserted = payment::insert(
        tx,
        &NewPayment {
            loan_id: l.id,
            bank_id: l.bank_id,
            bank_reference: &input.bank_reference,
            amount: input.amount,
            paid_on: &paid_on,
            channel: by.channel,
            allocated_late_charge: 0,
            allocated_fee: 0,
            allocated_principal: 0,
            to_credit: 0,
            posted_by_staff_id: by.staff_id,
        },
    )
    .await;
    let p = match inserted {
        Ok(p) => p,
        Err(e) if e.violates(payment::REFERENCE_KEY) => return Ok(Written::Duplicate),
        Err(e) => return Err(e.into()),
    };
    let done = recompute(tx, &mut l, basis).await?;
    let p = payment::get(&mut **tx, p.id)
        .await?
        .ok_or_else(|| Error::Internal("payment vanished".into()))?;
    let entry = by.entry();
    let entry = entry.on(p.id).detail(json!({
        "loan_id": l.id,
        "application_id": l.application_id,
        "bank_reference": p.bank_reference,
        "amount": p.amount,
        "paid_on": p.paid_on,
        "channel": p.channel,
        "backdated": true,
        "recomputed": done,
        "loan_closed": done.settled,
    }));
    vamyar_store::audit::append_later(tx, &entry).await?;
    Ok(Written::Posted(Box::new(p), done.settled))
}

/// Moves a file whose loan was just settled to `closed` (by the system; announced as
/// `closed`). `file` must carry the state and version read under the file's lock.
async fn close_file(tx: &mut Tx, ctx: &Ctx, file: &FileContext, p: &Payment) -> Result<()> {
    let from = file.app.state;
    let t = workflow::decide(from, Action::Close, Role::System, &ActionInput::default())
        .map_err(|e| Error::Internal(format!("closing file {}: {}", file.app.id, e.code())))?;
    let rules = Rules::load(ctx, file.app.program_id).await?;
    crate::files::actions::apply(
        tx,
        file,
        &rules,
        &t,
        &Doer::system(),
        &ActionInput::default(),
        json!({"loan_id": p.loan_id, "closed_on": p.paid_on, "payment_id": p.id}),
    )
    .await
}
