//! The portfolio's totals and its daily snapshot (PAR30).
//!
//! Triggers (migration step 2) append to `portfolio_ledger` whenever a loan is created,
//! closed or reopened, or its principal or principal repaid changes; [`fold_ledger`] consumes
//! those rows into the one row of `portfolio_total`. A day's snapshot therefore reads the
//! totals, plus the loans in arrears through a partial index: never every loan.
//!
//! PAR30 (portfolio at risk over 30 days) is the outstanding principal of the loans more than
//! 30 days in arrears (buckets `31_90` and `over_90`) over the whole outstanding principal, in
//! basis points, rounded half up.

use serde::Serialize;
use sqlx::{FromRow, Row};

use crate::{StoreError, Tx, time};

/// The running totals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromRow, Serialize)]
pub struct Totals {
    /// Loans not closed (active or accelerated).
    pub open_loans: i64,
    /// Their principal not yet repaid, in rials.
    pub outstanding_principal: i64,
}

/// One day's snapshot.
#[derive(Clone, Debug, Default, PartialEq, Eq, FromRow, Serialize)]
pub struct Snapshot {
    /// The business date (ISO).
    pub business_date: String,
    /// Loans not closed.
    pub active_loans: i64,
    /// Outstanding principal, rials.
    pub outstanding_principal: i64,
    /// Outstanding principal of the loans more than 30 days in arrears, rials.
    pub at_risk_30_principal: i64,
    /// `at_risk_30_principal / outstanding_principal` in basis points.
    pub par30_bp: i64,
    /// Loans 1–30 days in arrears.
    pub bucket_1_30: i64,
    /// Loans 31–90 days in arrears.
    pub bucket_31_90: i64,
    /// Loans more than 90 days in arrears.
    pub bucket_over_90: i64,
}

/// Consumes up to `limit` ledger rows into the totals; returns how many were consumed (0 when
/// the ledger is empty). Rows are deleted and counted by the same statement, so a row
/// committed concurrently is either counted now or left for the next fold, never lost.
pub async fn fold_ledger(tx: &mut Tx, limit: usize) -> Result<u64, StoreError> {
    // The ids first, then a delete by those ids: a `delete … where id in (select … limit)`
    // lets PostgreSQL, misled by stale statistics on this short-lived table, rescan the
    // subquery for every row.
    let ids: Vec<i64> = sqlx::query_scalar("select id from portfolio_ledger order by id limit $1")
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&mut **tx)
        .await?;
    if ids.is_empty() {
        return Ok(0);
    }
    let mut rows = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(1000) {
        let sql = format!(
            "delete from portfolio_ledger where id in ({}) \
             returning loans_delta, principal_delta",
            super::placeholders(1, chunk.len())
        );
        let sql = crate::cob::for_engine(tx, &sql);
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id);
        }
        rows.extend(q.fetch_all(&mut **tx).await?);
    }
    let (mut loans, mut principal) = (0_i64, 0_i64);
    for r in &rows {
        let l: i64 = r.try_get("loans_delta")?;
        let p: i64 = r.try_get("principal_delta")?;
        loans = loans.saturating_add(l);
        principal = principal.saturating_add(p);
    }
    if !rows.is_empty() {
        sqlx::query(
            "update portfolio_total set open_loans = open_loans + $1, \
             outstanding_principal = outstanding_principal + $2, updated_at = $3 where id = 1",
        )
        .bind(loans)
        .bind(principal)
        .bind(time::now())
        .execute(&mut **tx)
        .await?;
    }
    Ok(rows.len() as u64)
}

/// The totals as of the last fold.
pub async fn totals<'e, E>(ex: E) -> Result<Totals, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as(
            "select open_loans, outstanding_principal from portfolio_total where id = 1",
        )
        .fetch_optional(ex)
        .await?
        .unwrap_or_default(),
    )
}

/// The totals recomputed from every loan (a full read, for checks and tests only).
pub async fn recount<'e, E>(ex: E) -> Result<Totals, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select count(*) as open_loans, \
         cast(coalesce(sum(principal - principal_repaid), 0) as bigint) as outstanding_principal \
         from loan where status <> 'closed'",
    )
    .fetch_one(ex)
    .await?)
}

/// Computes and stores (replacing) the snapshot of `date` from the totals (fold the ledger
/// first) and the loans in arrears.
pub async fn write_snapshot(tx: &mut Tx, date: &str) -> Result<Snapshot, StoreError> {
    let totals = totals(&mut **tx).await?;
    let rows = sqlx::query(
        "select arrears_bucket, count(*) as n, \
         cast(coalesce(sum(principal - principal_repaid), 0) as bigint) as principal \
         from loan where arrears_bucket <> 'current' and status <> 'closed' \
         group by arrears_bucket",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut s = Snapshot {
        business_date: date.to_string(),
        active_loans: totals.open_loans,
        outstanding_principal: totals.outstanding_principal,
        ..Snapshot::default()
    };
    for r in &rows {
        let bucket: String = r.try_get("arrears_bucket")?;
        let n: i64 = r.try_get("n")?;
        let principal: i64 = r.try_get("principal")?;
        match bucket.as_str() {
            "1_30" => s.bucket_1_30 = n,
            "31_90" => {
                s.bucket_31_90 = n;
                s.at_risk_30_principal += principal;
            }
            "over_90" => {
                s.bucket_over_90 = n;
                s.at_risk_30_principal += principal;
            }
            _ => {}
        }
    }
    s.par30_bp = par_bp(s.at_risk_30_principal, s.outstanding_principal);
    sqlx::query(
        "insert into portfolio_snapshot (business_date, active_loans, outstanding_principal, \
         at_risk_30_principal, par30_bp, bucket_1_30, bucket_31_90, bucket_over_90, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         on conflict (business_date) do update set active_loans = excluded.active_loans, \
         outstanding_principal = excluded.outstanding_principal, \
         at_risk_30_principal = excluded.at_risk_30_principal, par30_bp = excluded.par30_bp, \
         bucket_1_30 = excluded.bucket_1_30, bucket_31_90 = excluded.bucket_31_90, \
         bucket_over_90 = excluded.bucket_over_90",
    )
    .bind(&s.business_date)
    .bind(s.active_loans)
    .bind(s.outstanding_principal)
    .bind(s.at_risk_30_principal)
    .bind(s.par30_bp)
    .bind(s.bucket_1_30)
    .bind(s.bucket_31_90)
    .bind(s.bucket_over_90)
    .bind(time::now())
    .execute(&mut **tx)
    .await?;
    Ok(s)
}

/// The stored snapshot of `date`, if any.
pub async fn snapshot<'e, E>(ex: E, date: &str) -> Result<Option<Snapshot>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select business_date, active_loans, outstanding_principal, at_risk_30_principal, \
         par30_bp, bucket_1_30, bucket_31_90, bucket_over_90 from portfolio_snapshot \
         where business_date = $1",
    )
    .bind(date)
    .fetch_optional(ex)
    .await?)
}

/// `part / whole` in basis points, rounded half up; 0 when `whole` is not positive.
pub fn par_bp(part: i64, whole: i64) -> i64 {
    if whole <= 0 || part <= 0 {
        return 0;
    }
    let bp = (i128::from(part) * 20_000 + i128::from(whole)) / (2 * i128::from(whole));
    i64::try_from(bp).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::par_bp;

    #[test]
    fn par_is_basis_points_rounded_half_up() {
        assert_eq!(par_bp(1, 3), 3333);
        assert_eq!(par_bp(2, 3), 6667);
        assert_eq!(par_bp(5, 0), 0);
        assert_eq!(par_bp(10, 10), 10_000);
        assert_eq!(par_bp(1, 20_000), 1); // 0.5 bp rounds up
    }
}
