//! Close of business: the SQL of the daily run (`vamyar cob`, and `serve` once a day).
//!
//! The run itself is orchestrated by `vamyar_web::cob`, which calls these functions in
//! bounded transactions. Here live the bookkeeping of runs (`cob_run`: one row per business
//! date, `running` until every step is done), the lease that keeps two processes from running
//! at once, and in the submodules the steps ([`steps`]) and the portfolio's totals and daily
//! snapshot ([`portfolio`]).
//!
//! Every step selects its work through an indexed predicate (what falls due on the date, what
//! is overdue, what expired), never by reading the whole portfolio, and every step is
//! idempotent, so a run interrupted half-way is simply run again.

use std::borrow::Cow;

use serde::Serialize;
use sqlx::{AnyConnection, FromRow};
use vamyar_domain::vocab::CobRunStatus;

use crate::{StoreError, Tx, time};

pub mod arrears;
pub mod lease;
pub mod portfolio;
pub mod steps;

/// How many rows one transaction of a step handles.
pub const BATCH: usize = 1000;

/// A run of one business date.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Run {
    /// The business date (ISO).
    pub business_date: String,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: CobRunStatus,
    /// Counts per step (JSON), once done.
    pub stats: String,
    /// When the run (last) started (RFC 3339).
    pub started_at: String,
    /// When it finished.
    pub finished_at: Option<String>,
}

const SELECT_RUN: &str =
    "select business_date, status, stats, started_at, finished_at from cob_run";

/// The run of `date` (ISO), if any.
pub async fn run<'e, E>(ex: E, date: &str) -> Result<Option<Run>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as(&format!("{SELECT_RUN} where business_date = $1"))
            .bind(date)
            .fetch_optional(ex)
            .await?,
    )
}

/// The latest business date whose run is done (ISO), if any.
pub async fn last_done<'e, E>(ex: E) -> Result<Option<String>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_scalar("select max(business_date) from cob_run where status = 'done'")
            .fetch_one(ex)
            .await?,
    )
}

/// Marks the run of `date` as started (`running`), creating its row, unless it is already
/// done. Returns false when it is done (nothing to do).
pub async fn start(tx: &mut Tx, date: &str) -> Result<bool, StoreError> {
    let now = time::now();
    sqlx::query(
        "insert into cob_run (business_date, status, stats, started_at, created_at) \
         values ($1, 'running', '{}', $2, $2) on conflict (business_date) do nothing",
    )
    .bind(date)
    .bind(&now)
    .execute(&mut **tx)
    .await?;
    let restarted = sqlx::query(
        "update cob_run set status = 'running', started_at = $2, finished_at = null \
         where business_date = $1 and status <> 'done'",
    )
    .bind(date)
    .bind(&now)
    .execute(&mut **tx)
    .await?;
    Ok(restarted.rows_affected() == 1)
}

/// Records the run of `date` as done, with its counts.
pub async fn finish(tx: &mut Tx, date: &str, stats: &serde_json::Value) -> Result<(), StoreError> {
    sqlx::query(
        "update cob_run set status = 'done', stats = $2, finished_at = $3 \
         where business_date = $1",
    )
    .bind(date)
    .bind(stats.to_string())
    .bind(time::now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records that the run of `date` stopped on an error (it is redone by the next run).
pub async fn fail(tx: &mut Tx, date: &str) -> Result<(), StoreError> {
    sqlx::query(
        "update cob_run set status = 'failed', finished_at = $2 \
         where business_date = $1 and status = 'running'",
    )
    .bind(date)
    .bind(time::now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// `$first, $first+1, …` for `n` values, for `in (…)` lists.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `sql` as the connection's engine binds it fastest. On SQLite, when its parameters are
/// `$1, $2, …, $n` written in that order, each once (as [`placeholders`] and [`value_rows`]
/// write them), they become anonymous `?`: SQLite finds a named parameter by walking the list
/// of names, so binding a statement of n named parameters costs n² string comparisons (a
/// 2,000-value `update … from (values …)` spent more time binding than running). Any other
/// `sql`, and every statement on PostgreSQL, is left as it is.
pub(crate) fn for_engine<'a>(conn: &AnyConnection, sql: &'a str) -> Cow<'a, str> {
    if crate::is_postgres(conn) {
        return Cow::Borrowed(sql);
    }
    anonymous(sql).map_or(Cow::Borrowed(sql), Cow::Owned)
}

/// `sql` with `$1 … $n` (in order, each once) replaced by `?`; `None` when its parameters
/// are numbered otherwise (or there are none).
fn anonymous(sql: &str) -> Option<String> {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let (mut next, mut last) = (1_usize, 0_usize);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let digits = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits == 0 {
                return None;
            }
            let n: usize = sql[i + 1..i + 1 + digits].parse().ok()?;
            if n != next {
                return None;
            }
            out.push_str(&sql[last..i]);
            out.push('?');
            next += 1;
            i += 1 + digits;
            last = i;
        } else {
            i += 1;
        }
    }
    if next == 1 {
        return None;
    }
    out.push_str(&sql[last..]);
    Some(out)
}

/// `($first, …), (…), …`: `rows` rows of `width` placeholders each, numbered on from
/// `first`, for `values` lists (`update … from (values …)`).
pub(crate) fn value_rows(first: usize, rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(first + r * width, width)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `t.a as pa, t.b as pb, …`: the comma-separated `columns` read through the table alias
/// `table`, each named with `prefix` before its own name, for a join that reads two tables'
/// rows side by side without a name clash.
pub(crate) fn aliased(columns: &str, table: &str, prefix: &str) -> String {
    columns
        .split(',')
        .map(|c| format!("{table}.{0} as {prefix}{0}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The business dates close of business ran (or began) from `from` (ISO) on, in order: the
/// days a loan's replay charges late charges on (`vamyar_domain::ledger::replay`).
pub async fn dates_from<'e, E>(ex: E, from: &str) -> Result<Vec<String>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_scalar(
        "select business_date from cob_run where business_date >= $1 order by business_date",
    )
    .bind(from)
    .fetch_all(ex)
    .await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholder_lists_count_from_the_first() {
        assert_eq!(super::placeholders(3, 3), "$3, $4, $5");
        assert_eq!(super::placeholders(1, 1), "$1");
    }

    #[test]
    fn aliased_columns_keep_their_names_after_the_prefix() {
        assert_eq!(
            super::aliased("id, name", "u", "staff_"),
            "u.id as staff_id, u.name as staff_name"
        );
        assert_eq!(super::aliased("id", "p", ""), "p.id as id");
    }

    #[test]
    fn parameters_in_order_become_anonymous_and_others_stay_named() {
        assert_eq!(
            super::anonymous("update t set a = $1 where id in ($2, $3)").as_deref(),
            Some("update t set a = ? where id in (?, ?)")
        );
        let values = format!("select 1 from (values {}) v", super::value_rows(1, 2, 2));
        assert_eq!(
            super::anonymous(&values).as_deref(),
            Some("select 1 from (values (?, ?), (?, ?)) v")
        );
        // out of order, used twice, or no parameters: left to the names
        assert_eq!(super::anonymous("select $2, $1"), None);
        assert_eq!(super::anonymous("select $1 where a = $1"), None);
        assert_eq!(super::anonymous("select 1"), None);
        assert_eq!(super::anonymous("select '$x'"), None);
    }

    #[test]
    fn value_rows_count_on_across_rows() {
        assert_eq!(super::value_rows(4, 2, 3), "($4, $5, $6), ($7, $8, $9)");
        assert_eq!(super::value_rows(1, 1, 1), "($1)");
    }
}
