//! Disbursements: loans disbursed in the range (`l.disbursed_on`, ISO dates, inclusive),
//! counted and summed per day; the use case folds the days into Jalali months.

use sqlx::FromRow;

use super::{Columns, ReportFilter, Where};
use crate::StoreError;

/// The loans disbursed on one day.
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct Day {
    /// The day (ISO).
    pub disbursed_on: String,
    /// How many loans.
    pub loans: i64,
    /// Their principal, rials.
    pub principal: i64,
}

/// The loans of the filter's files disbursed in its range, per day, oldest first.
pub async fn by_day<'e, E>(ex: E, f: &ReportFilter) -> Result<Vec<Day>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let cols = Columns {
        date: "l.disbursed_on",
        to_exclusive: false,
        bank: "l.bank_id",
        province: "l.province_code",
    };
    let mut w = Where::default();
    f.conditions(&mut w, cols);
    // without a condition on the file, the loans alone answer (one scan of `loan`)
    let files = if f.needs_file(cols) {
        " join application a on a.id = l.application_id".to_string()
    } else {
        String::new()
    };
    let sql = format!(
        "select l.disbursed_on as disbursed_on, count(*) as loans, \
         cast(coalesce(sum(l.principal), 0) as bigint) as principal \
         from loan l{files}{} group by l.disbursed_on order by l.disbursed_on",
        w.sql()
    );
    Ok(w.apply_as(sqlx::query_as(&sql)).fetch_all(ex).await?)
}
