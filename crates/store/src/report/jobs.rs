//! Jobs: for the loans disbursed in the range (`l.disbursed_on`, ISO dates, inclusive), per
//! province — the jobs the latest plan review of each file planned, the people the latest
//! recorded monitoring visit of each loan found employed, and how many loans were
//! accelerated or closed.

use sqlx::FromRow;

use super::{Columns, ReportFilter, Where};
use crate::StoreError;

const COLUMNS: Columns = Columns {
    date: "l.disbursed_on",
    to_exclusive: false,
    bank: "l.bank_id",
    province: "l.province_code",
};

/// The loans of one province.
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct LoansRow {
    /// The province.
    pub province_code: String,
    /// Loans disbursed.
    pub loans: i64,
    /// Of them accelerated (the whole balance made due).
    pub accelerated: i64,
    /// Of them closed (paid off).
    pub closed: i64,
}

/// A sum over one province.
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct SumRow {
    /// The province.
    pub province_code: String,
    /// How many files (or loans) contributed.
    pub files: i64,
    /// The sum (jobs).
    pub jobs: i64,
}

fn filtered(f: &ReportFilter) -> Where {
    let mut w = Where::default();
    f.conditions(&mut w, COLUMNS);
    w
}

/// Loans, accelerations and closures per province.
pub async fn loans<'e, E>(ex: E, f: &ReportFilter) -> Result<Vec<LoansRow>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let w = filtered(f);
    // the province is kept on the loan: without a condition on the file, `loan` alone answers
    let files = if f.needs_file(COLUMNS) {
        " join application a on a.id = l.application_id".to_string()
    } else {
        String::new()
    };
    let sql = format!(
        "select l.province_code as province_code, count(*) as loans, \
         cast(coalesce(sum(case when l.accelerated_on is not null then 1 else 0 end), 0) as bigint) as accelerated, \
         cast(coalesce(sum(case when l.status = 'closed' then 1 else 0 end), 0) as bigint) as closed \
         from loan l{files}{} group by l.province_code",
        w.sql()
    );
    Ok(w.apply_as(sqlx::query_as(&sql)).fetch_all(ex).await?)
}

/// Jobs planned by the latest plan review of each disbursed file, per province.
pub async fn planned<'e, E>(ex: E, f: &ReportFilter) -> Result<Vec<SumRow>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let w = filtered(f);
    let sql = format!(
        "select l.province_code as province_code, count(*) as files, \
         cast(coalesce(sum(pr.jobs_to_create), 0) as bigint) as jobs \
         from (select application_id, max(id) as id from plan_review group by application_id) last \
         join plan_review pr on pr.id = last.id \
         join loan l on l.application_id = last.application_id \
         join application a on a.id = l.application_id{} \
         group by l.province_code",
        w.sql()
    );
    Ok(w.apply_as(sqlx::query_as(&sql)).fetch_all(ex).await?)
}

/// People found employed by the latest recorded visit of each loan, per province.
pub async fn found<'e, E>(ex: E, f: &ReportFilter) -> Result<Vec<SumRow>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let w = filtered(f);
    let sql = format!(
        "select l.province_code as province_code, count(*) as files, \
         cast(coalesce(sum(v.people_employed), 0) as bigint) as jobs \
         from (select loan_id, max(id) as id from monitoring_visit \
               where visited_on is not null group by loan_id) last \
         join monitoring_visit v on v.id = last.id \
         join loan l on l.id = last.loan_id \
         join application a on a.id = l.application_id{} \
         group by l.province_code",
        w.sql()
    );
    Ok(w.apply_as(sqlx::query_as(&sql)).fetch_all(ex).await?)
}
