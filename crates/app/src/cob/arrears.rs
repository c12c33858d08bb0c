//! The loans in arrears, in one pass of close of business: their late charges accrue through
//! the date and their arrears days and bucket are set, batch by batch of loans, each batch in
//! one transaction that locks its loans as payments lock one (so that a payment and the run
//! never overwrite each other), reads their overdue installments again under the lock, and
//! writes the charges and the arrears back with one statement each. Then the loans recorded
//! in arrears with nothing overdue any more go back to current.
//!
//! The late charge is the loans' own rule (`vamyar_store::loan::late::accrue`, the rule of
//! `accrue_late_charges`: no day is charged twice, missed days are caught up); arrears are
//! counted by the rule payments use (`crate::loans::arrears`), on the installments read under
//! the lock. (The file lock that
//! payments take before the loan's is not needed: the run changes only installments and the
//! loans' arrears, and taking loan locks alone cannot close a cycle with a payment, which
//! holds one loan's.)

use std::collections::BTreeMap;

use chrono::NaiveDate;
use vamyar_store::audit::{self, Entry};
use vamyar_store::cob::arrears::ArrearsRow;
use vamyar_store::cob::{self, steps};
use vamyar_store::loan::Installment;

use super::{HeldLease, audit_batch};
use crate::Ctx;
use crate::error::Result;

/// What the pass did.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Counts {
    /// Loans whose late charges were accrued through the date.
    pub late_charge_loans: u64,
    /// Rials of late charges accrued.
    pub late_charges: i64,
    /// Loans in arrears after the pass.
    pub loans_in_arrears: u64,
    /// Loans whose arrears days or bucket changed (including back to current).
    pub arrears_changed: u64,
    /// Loans back to current.
    pub back_to_current: u64,
}

impl Counts {
    /// Adds what another batch did.
    fn add(&mut self, other: Counts) {
        self.late_charge_loans += other.late_charge_loans;
        self.late_charges = self.late_charges.saturating_add(other.late_charges);
        self.loans_in_arrears += other.loans_in_arrears;
        self.arrears_changed += other.arrears_changed;
        self.back_to_current += other.back_to_current;
    }
}

/// Accrues the late charges and sets the arrears of every loan with overdue installments,
/// then moves the loans no longer overdue back to current. On PostgreSQL two batches (of
/// different loans) run at a time, each in its own transaction on its own connection; on
/// SQLite, whose writes are one at a time, one.
pub(super) async fn run(ctx: &Ctx, date: NaiveDate, held: &mut HeldLease) -> Result<Counts> {
    let mut s = Counts::default();
    let db = &ctx.db;
    let iso = vamyar_store::time::date(date);
    let late = cob::arrears::overdue_by_loan(db).await?;
    let loans: Vec<i64> = late.keys().copied().collect();
    let batches: Vec<&[i64]> = loans
        .chunks(ctx.settings.cob_loans_per_batch.max(1))
        .collect();
    for group in batches.chunks(super::side_by_side(ctx)) {
        let done = futures_util::future::try_join_all(
            group
                .iter()
                .map(|loans| batch(ctx, date, &iso, loans, &late)),
        )
        .await?;
        for d in done {
            s.add(d);
        }
        held.keep().await?;
    }
    let current: Vec<ArrearsRow> = steps::loans_in_arrears(db.pool())
        .await?
        .into_iter()
        .filter(|id| !late.contains_key(id))
        .map(|id| (id, None, "current"))
        .collect();
    for chunk in current.chunks(cob::BATCH) {
        let mut tx = db.begin().await?;
        let n = cob::arrears::write_arrears(&mut tx, chunk).await?;
        let ids: Vec<i64> = chunk.iter().map(|r| r.0).collect();
        audit_batch(&mut tx, "cob.arrears", &iso, n, &ids).await?;
        tx.commit().await?;
        s.arrears_changed += n;
        s.back_to_current += n;
        held.keep().await?;
    }
    Ok(s)
}

/// One batch of loans in arrears, in one transaction: locks the loans, reads their overdue
/// installments again under the lock, accrues and writes the late charges, sets the arrears.
async fn batch(
    ctx: &Ctx,
    date: NaiveDate,
    iso: &str,
    chunk: &[i64],
    late: &BTreeMap<i64, Vec<i64>>,
) -> Result<Counts> {
    let mut tx = ctx.db.begin().await?;
    let rates = cob::arrears::lock_loans(&mut tx, chunk).await?;
    let ids: Vec<i64> = chunk
        .iter()
        .filter_map(|l| late.get(l))
        .flatten()
        .copied()
        .collect();
    let mut now: BTreeMap<i64, Vec<Installment>> = BTreeMap::new();
    for i in cob::arrears::installments(&mut tx, &ids).await? {
        now.entry(i.loan_id).or_default().push(i);
    }
    let (mut writes, mut rials, mut charged) = (Vec::new(), 0_i64, 0_u64);
    let mut arrears: Vec<ArrearsRow> = Vec::with_capacity(rates.len());
    for r in &rates {
        // (none left when a payment settled them since the first read: back to current)
        let rows = now.entry(r.loan_id).or_default();
        rows.sort_by_key(|i| i.seq);
        let made =
            vamyar_store::loan::late::accrue(rows, r.fee_rate_bp, r.late_charge_extra_bp, date)?;
        if !made.is_empty() {
            charged += 1;
        }
        for a in &made {
            rials = rials.saturating_add(a.amount);
            if let Some(row) = rows.iter().find(|i| i.seq == a.seq) {
                writes.push((row.id, row.late_charge_due));
            }
        }
        let now = crate::loans::arrears(rows, date)?;
        arrears.push((r.loan_id, now.since_iso(), now.bucket));
    }
    for part in writes.chunks(cob::BATCH) {
        cob::arrears::write_late_charges(&mut tx, iso, part).await?;
    }
    if charged > 0 {
        let mut entry = Entry::system("cob.late_charges", "cob_run").on(iso);
        entry.detail = serde_json::json!({
            "loans": charged,
            "installments": writes.len(),
            "rials": rials,
            "first_loan": chunk.first(),
            "last_loan": chunk.last(),
        });
        audit::append(&mut tx, &entry).await?;
    }
    let changed = cob::arrears::write_arrears(&mut tx, &arrears).await?;
    let loan_ids: Vec<i64> = arrears.iter().map(|r| r.0).collect();
    audit_batch(&mut tx, "cob.arrears", iso, changed, &loan_ids).await?;
    tx.commit().await?;
    Ok(Counts {
        late_charge_loans: charged,
        late_charges: rials,
        loans_in_arrears: arrears.len() as u64,
        arrears_changed: changed,
        back_to_current: 0,
    })
}
