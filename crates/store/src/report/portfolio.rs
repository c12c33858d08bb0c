//! The portfolio: loans not closed, by bank and province — outstanding principal, the part
//! at risk over 30 days (PAR30) and the central bank's classes by days past due, counted to
//! the given day from the oldest unpaid due date that the last close of business or payment
//! recorded (`loan.arrears_since`). The range bounds the disbursement date.

use sqlx::FromRow;

use chrono::{Days, NaiveDate};

use super::{Bind, Columns, ReportFilter, Where};
use crate::{StoreError, time};

/// The day thresholds of the classes: a loan is in a class when its days past due are more
/// than the class's threshold and not more than the next one's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Thresholds {
    /// Past due (سررسید گذشته) after this many days.
    pub overdue: i64,
    /// Deferred (معوق) after this many days.
    pub deferred: i64,
    /// Doubtful (مشکوک‌الوصول) after this many days.
    pub doubtful: i64,
}

/// One bank and province.
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct PortfolioRow {
    /// The bank.
    pub bank_id: i64,
    /// The province.
    pub province_code: String,
    /// Loans not closed.
    pub loans: i64,
    /// Their outstanding principal, rials.
    pub outstanding: i64,
    /// Outstanding principal of loans more than 30 days past due.
    pub par30: i64,
    /// Loans past due (class 2).
    pub overdue_loans: i64,
    /// Their outstanding principal.
    pub overdue: i64,
    /// Loans deferred (class 3).
    pub deferred_loans: i64,
    /// Their outstanding principal.
    pub deferred: i64,
    /// Loans doubtful (class 4).
    pub doubtful_loans: i64,
    /// Their outstanding principal.
    pub doubtful: i64,
}

/// The open loans of the filter's files, grouped by bank and province, with their days past
/// due counted to `today` (the report's date).
pub async fn by_bank_and_province<'e, E>(
    ex: E,
    f: &ReportFilter,
    t: Thresholds,
    today: NaiveDate,
) -> Result<Vec<PortfolioRow>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let mut w = Where::default();
    // more than n days past due: in arrears since a day before `today − n` (ISO dates compare
    // as text); a current loan's `arrears_since` is null and in no class
    let mut before = |days: i64| {
        w.param(Bind::Text(time::date(
            today - Days::new(days.max(0).unsigned_abs()),
        )))
    };
    let overdue = before(t.overdue);
    let deferred = before(t.deferred);
    let doubtful = before(t.doubtful);
    let par30 = before(30);
    w.raw("l.status <> 'closed'");
    let cols = Columns {
        date: "l.disbursed_on",
        to_exclusive: false,
        bank: "l.bank_id",
        province: "l.province_code",
    };
    f.conditions(&mut w, cols);
    // the province is kept on the loan: without a condition on the file, `loan` alone answers
    let files = if f.needs_file(cols) {
        " join application a on a.id = l.application_id".to_string()
    } else {
        String::new()
    };
    let out = "(l.principal - l.principal_repaid)";
    let class = |lo: &str, hi: Option<&str>| match hi {
        Some(hi) => format!("l.arrears_since < {lo} and l.arrears_since >= {hi}"),
        None => format!("l.arrears_since < {lo}"),
    };
    let (c2, c3, c4) = (
        class(&overdue, Some(&deferred)),
        class(&deferred, Some(&doubtful)),
        class(&doubtful, None),
    );
    let sql = format!(
        "select l.bank_id as bank_id, l.province_code as province_code, count(*) as loans, \
         cast(coalesce(sum({out}), 0) as bigint) as outstanding, \
         cast(coalesce(sum(case when l.arrears_since < {par30} then {out} else 0 end), 0) as bigint) as par30, \
         cast(coalesce(sum(case when {c2} then 1 else 0 end), 0) as bigint) as overdue_loans, \
         cast(coalesce(sum(case when {c2} then {out} else 0 end), 0) as bigint) as overdue, \
         cast(coalesce(sum(case when {c3} then 1 else 0 end), 0) as bigint) as deferred_loans, \
         cast(coalesce(sum(case when {c3} then {out} else 0 end), 0) as bigint) as deferred, \
         cast(coalesce(sum(case when {c4} then 1 else 0 end), 0) as bigint) as doubtful_loans, \
         cast(coalesce(sum(case when {c4} then {out} else 0 end), 0) as bigint) as doubtful \
         from loan l{files}{} \
         group by l.bank_id, l.province_code order by l.bank_id, l.province_code",
        w.sql()
    );
    Ok(w.apply_as(sqlx::query_as(&sql)).fetch_all(ex).await?)
}
