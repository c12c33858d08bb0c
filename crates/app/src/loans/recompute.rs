//! Recomputing a loan after a back-dated payment or a reversal: its installments, late
//! charges and each surviving payment's allocation are replayed from the schedule
//! (`vamyar_domain::ledger::replay`: every close-of-business date that ran, and every payment
//! not reversed, in date order), so the loan ends exactly as if the payments had always been
//! what they are now. Installments the replay leaves as they were are not written.
//!
//! An accelerated loan is not replayed: acceleration rewrote its schedule (due dates moved,
//! fee dropped), so the schedule a replay would start from is gone (409 `loan_accelerated`).

use chrono::{Duration, NaiveDate};
use vamyar_calendar::WorkingCalendar;
use vamyar_domain::ledger::{self, Day, Line, Posting, Rates};
use vamyar_domain::vocab::LoanStatus;
use vamyar_store::Tx;
use vamyar_store::loan::{self, Loan, payment};

use super::arrears;
use crate::Ctx;
use crate::error::{Error, Result};

/// What the replay needs from outside the loan: the working calendar and grace by which
/// close of business marked installments overdue, and today.
#[derive(Clone, Debug)]
pub struct Basis {
    calendar: WorkingCalendar,
    grace: u32,
    /// Today in Tehran.
    pub today: NaiveDate,
}

impl Basis {
    /// Reads the calendar (before the caller's transaction begins).
    pub async fn load(ctx: &Ctx) -> Result<Basis> {
        Ok(Basis {
            calendar: ctx.calendar().await?,
            grace: ctx.settings.overdue_after_working_days,
            today: ctx.today(),
        })
    }
}

/// The outcome of a recomputation.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Recomputed {
    /// Installments whose row changed.
    pub installments_changed: usize,
    /// Late charges before and after, in rials.
    pub late_charge_before: i64,
    /// Late charges after, in rials.
    pub late_charge_after: i64,
    /// Whether every installment is now settled.
    pub settled: bool,
}

/// Whether a payment with value date `paid_on` reaches back before a day already charged by
/// close of business or before a payment standing on the loan (and so needs a replay);
/// `last_settled` is read with the loan's lock ([`loan::Locked::last_settled`]).
pub fn is_backdated(last_settled: Option<&str>, paid_on: NaiveDate) -> Result<bool> {
    let last = last_settled
        .map(vamyar_store::time::parse_date)
        .transpose()?;
    Ok(last.is_some_and(|last| paid_on < last))
}

/// Replays loan `l` (locked by the caller: the file, then the loan) and writes its
/// installments, its payments' allocations, its credit, arrears and, when settled, its
/// closure (the caller closes the file). Errors: 409 `loan_accelerated`.
pub async fn recompute(tx: &mut Tx, l: &mut Loan, basis: &Basis) -> Result<Recomputed> {
    if l.status == LoanStatus::Accelerated {
        return Err(Error::Conflict("loan_accelerated"));
    }
    let rate = |bp: i64| u32::try_from(bp.max(0)).unwrap_or(u32::MAX);
    let rates = Rates {
        annual_rate_bp: rate(l.fee_rate_bp),
        extra_points_bp: rate(l.late_charge_extra_bp),
    };
    let mut rows = loan::installments(&mut **tx, l.id).await?;
    let fresh = rows
        .iter()
        .map(|r| {
            let b = r.balance()?;
            Ok(Line::fresh(b.seq, b.due_on, b.principal_due, b.fee_due))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut postings = Vec::new();
    let mut last_paid = None;
    for p in payment::for_loan(&mut **tx, l.id).await? {
        if p.is_reversed() {
            continue;
        }
        let paid_on = vamyar_store::time::parse_date(&p.paid_on)?;
        last_paid = last_paid.max(Some(paid_on));
        postings.push(Posting {
            id: p.id,
            paid_on,
            amount: p.amount,
        });
    }
    let mut days = Vec::new();
    for d in vamyar_store::cob::dates_from(&mut **tx, &l.disbursed_on).await? {
        let date = vamyar_store::time::parse_date(&d)?;
        days.push(Day {
            date,
            overdue_before: overdue_cutoff(&basis.calendar, date, basis.grace),
        });
    }
    let replayed = ledger::replay(&fresh, rates, &postings, &days)
        .map_err(|e| Error::Internal(e.code().into()))?;
    let late_charge_before = rows.iter().map(|r| r.late_charge_due).sum();
    let mut changed = 0;
    for (row, line) in rows.iter_mut().zip(&replayed.lines) {
        let before = row.clone();
        row.set_balance(&line.balance);
        row.status = line.status;
        row.paid_on = line.paid_on.map(vamyar_store::time::date);
        row.late_charge_through = line.late_charge_through.map(vamyar_store::time::date);
        if *row != before {
            loan::update_installment(tx, row).await?;
            changed += 1;
        }
    }
    for (id, a) in &replayed.allocations {
        let sum = |f: fn(&vamyar_domain::allocation::AllocationLine) -> i64| {
            a.lines.iter().map(f).sum::<i64>()
        };
        payment::set_allocation(
            tx,
            *id,
            sum(|l| l.late_charge),
            sum(|l| l.fee),
            sum(|l| l.principal),
            a.to_credit,
        )
        .await?;
    }
    let settled = rows.iter().all(|r| r.outstanding() == 0);
    arrears(&rows, basis.today)?.record_on(l);
    l.credit_balance = replayed.credit;
    if settled {
        l.status = LoanStatus::Closed;
        l.closed_on = last_paid.map(vamyar_store::time::date);
    }
    loan::update(tx, l).await?;
    Ok(Recomputed {
        installments_changed: changed,
        late_charge_before,
        late_charge_after: rows.iter().map(|r| r.late_charge_due).sum(),
        settled,
    })
}

/// Installments due before the returned date are overdue on `date`: those with more than
/// `grace` whole working days between their due date and `date` (with `grace == 0`, every
/// due date before `date`). With one working day of grace and a Friday weekend, an
/// installment due on a Wednesday is overdue from Friday's close of business on (Thursday is
/// its day of grace), one due on a Thursday from Sunday's (Saturday is its day of grace).
pub fn overdue_cutoff(calendar: &WorkingCalendar, date: NaiveDate, grace: u32) -> NaiveDate {
    // the grace day after a due date never comes before it, so the overdue due dates are
    // all those up to some day: step back from the day before `date` to it
    let mut last = date - Duration::days(1);
    while grace > 0 && calendar.add_working_days(last, grace) >= date {
        match last.pred_opt() {
            Some(d) => last = d,
            None => break,
        }
    }
    last + Duration::days(1)
}
