//! Quota use: each memorandum's quota per province with what is used and what is left.
//! Only the program, bank and province of the filter apply (a quota has no file).

use sqlx::FromRow;

use super::{Bind, ReportFilter, Where};
use crate::StoreError;

/// One quota.
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct QuotaRow {
    /// The memorandum's number.
    pub memorandum: String,
    /// The bank's Persian name.
    pub bank_fa: String,
    /// The bank's English name.
    pub bank_en: String,
    /// The province.
    pub province_code: String,
    /// Referrals allowed.
    pub count_limit: i64,
    /// Referrals taken.
    pub count_used: i64,
    /// Rials allowed.
    pub amount_limit: i64,
    /// Rials taken.
    pub amount_used: i64,
}

/// The quotas of the filter's program, bank and province, by memorandum number, then
/// province.
pub async fn list<'e, E>(ex: E, f: &ReportFilter) -> Result<Vec<QuotaRow>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let mut w = Where::default();
    if let Some(p) = f.program_id {
        w.bind("m.program_id = {}", Bind::Int(p));
    }
    if let Some(b) = f.bank_id {
        w.bind("m.bank_id = {}", Bind::Int(b));
    }
    if let Some(p) = &f.province_code {
        w.bind("q.province_code = {}", Bind::Text(p.clone()));
    }
    let sql = format!(
        "select m.number as memorandum, b.name_fa as bank_fa, b.name_en as bank_en, \
         q.province_code, q.count_limit, q.count_used, q.amount_limit, q.amount_used \
         from quota q join memorandum m on m.id = q.memorandum_id \
         join bank b on b.id = m.bank_id{} order by m.number, q.province_code",
        w.sql()
    );
    Ok(w.apply_as(sqlx::query_as(&sql)).fetch_all(ex).await?)
}
