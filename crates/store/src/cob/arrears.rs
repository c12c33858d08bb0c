//! Close of business over the loans in arrears: reading their overdue installments once,
//! locking a batch of loans as payments lock one, and writing late charges and arrears back
//! with one statement per batch (`update … from (values …)`, which both engines accept), so
//! that the daily cost per loan in arrears stays small.
//!
//! The late charge itself is computed by the loans' own rule
//! (`crate::loan::late::accrue`); this module only reads and writes.

use std::collections::BTreeMap;

use super::{placeholders, value_rows};
use crate::loan::Installment;
use crate::{Backend, Db, StoreError, Tx, time};

const COLUMNS: &str = "id, loan_id, seq, due_on, principal_due, fee_due, late_charge_due, \
    principal_paid, fee_paid, late_charge_paid, status, paid_on, late_charge_through";

/// The ids of every overdue installment whose principal or fee is unpaid (unpaid late
/// charges alone do not count), grouped by loan id. Only the ids: close of business reads the
/// rows again under the loans' locks ([`installments`]), so reading them whole here would
/// read them twice. On SQLite from the index that holds exactly these rows' loan and id
/// (`installment_overdue_loan`, migration 0027), without reading the rows; on PostgreSQL
/// through the partial index on unpaid installments (by status), then the rows.
pub async fn overdue_by_loan(db: &Db) -> Result<BTreeMap<i64, Vec<i64>>, StoreError> {
    let sql = overdue_by_loan_sql(db.backend());
    let rows: Vec<(i64, i64)> = sqlx::query_as(sql).fetch_all(db.pool()).await?;
    let mut by_loan: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (loan, id) in rows {
        by_loan.entry(loan).or_default().push(id);
    }
    for list in by_loan.values_mut() {
        list.sort_unstable();
    }
    Ok(by_loan)
}

/// The statement [`overdue_by_loan`] runs on `backend` (public so that a test can ask SQLite
/// for its plan).
pub fn overdue_by_loan_sql(backend: Backend) -> &'static str {
    // (the same rows; SQLite uses a partial index only when the query carries its condition
    // term by term, and with `status <> 'paid'` here it would take the index by status and
    // read every row: 1.1–1.7 s a day at a million loans, where the index alone answers in
    // 0.03 s from a warm cache and 0.5 s from a cold one)
    match backend {
        Backend::Sqlite => {
            "select loan_id, id from installment where status = 'overdue' \
             and principal_paid + fee_paid < principal_due + fee_due"
        }
        Backend::Postgres => {
            "select loan_id, id from installment where status <> 'paid' and status = 'overdue' \
             and principal_paid + fee_paid < principal_due + fee_due"
        }
    }
}

/// A loan's rates, as the late charge needs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rates {
    /// Loan id.
    pub loan_id: i64,
    /// Fee rate, basis points a year.
    pub fee_rate_bp: i64,
    /// Late-charge premium, basis points.
    pub late_charge_extra_bp: i64,
}

/// Locks the given loans that are not closed and returns their rates, with the lock payments
/// take on a loan ([`Tx::row_lock`]: `for update` on PostgreSQL, which writes no new row
/// versions where a no-op update of 500 loans would rewrite 500 rows and their index entries;
/// on SQLite the transaction's `begin immediate` already holds the writer lock).
pub async fn lock_loans(tx: &mut Tx, ids: &[i64]) -> Result<Vec<Rates>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = placeholders(1, ids.len());
    let lock = tx.row_lock();
    let sql = format!(
        "select id, fee_rate_bp, late_charge_extra_bp from loan \
         where status <> 'closed' and id in ({list}){lock}"
    );
    let sql = crate::cob::for_engine(tx, &sql);
    let mut q = sqlx::query_as::<_, (i64, i64, i64)>(&sql);
    for id in ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(&mut **tx)
        .await?
        .into_iter()
        .map(|(loan_id, fee_rate_bp, late_charge_extra_bp)| Rates {
            loan_id,
            fee_rate_bp,
            late_charge_extra_bp,
        })
        .collect())
}

/// The installments with the given ids, as they are now (read again under the loans' lock).
pub async fn installments(tx: &mut Tx, ids: &[i64]) -> Result<Vec<Installment>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select {COLUMNS} from installment where id in ({})",
        placeholders(1, ids.len())
    );
    let sql = crate::cob::for_engine(tx, &sql);
    let mut q = sqlx::query_as::<_, Installment>(&sql);
    for id in ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(&mut **tx).await?)
}

/// Writes accrued late charges: `(installment id, new late_charge_due)`, each now charged
/// through `through`. The installments are already `overdue` (they were read as such), so
/// the status is left alone, which spares the indexes on it. Returns the rows written.
pub async fn write_late_charges(
    tx: &mut Tx,
    through: &str,
    rows: &[(i64, i64)],
) -> Result<u64, StoreError> {
    if rows.is_empty() {
        return Ok(0);
    }
    let values = value_rows(3, rows.len(), 2);
    let sql = format!(
        "update installment set late_charge_due = v.column2, late_charge_through = $1, \
         updated_at = $2 from (values {values}) as v where installment.id = v.column1"
    );
    let sql = crate::cob::for_engine(tx, &sql);
    let mut q = sqlx::query(&sql).bind(through).bind(time::now());
    for (id, due) in rows {
        q = q.bind(id).bind(due);
    }
    Ok(q.execute(&mut **tx).await?.rows_affected())
}

/// One loan's arrears as close of business records them: the oldest unpaid due date it counts
/// from (ISO, `None` when current) and the bucket.
pub type ArrearsRow<'a> = (i64, Option<String>, &'a str);

/// Sets `(loan id, arrears since, bucket)` on the loans whose recorded values differ; returns
/// how many changed. A loan stays in arrears for days without either changing (the days are
/// counted from `arrears_since` when asked for), so most loans in arrears are not written.
pub async fn write_arrears(tx: &mut Tx, rows: &[ArrearsRow<'_>]) -> Result<u64, StoreError> {
    if rows.is_empty() {
        return Ok(0);
    }
    let values = value_rows(2, rows.len(), 3);
    let sql = format!(
        "update loan set arrears_since = v.column2, arrears_bucket = v.column3, updated_at = $1 \
         from (values {values}) as v where loan.id = v.column1 \
         and (coalesce(loan.arrears_since, '') <> coalesce(v.column2, '') \
         or loan.arrears_bucket <> v.column3)"
    );
    let sql = crate::cob::for_engine(tx, &sql);
    let mut q = sqlx::query(&sql).bind(time::now());
    for (id, since, bucket) in rows {
        q = q.bind(id).bind(since.as_deref()).bind(*bucket);
    }
    Ok(q.execute(&mut **tx).await?.rows_affected())
}
