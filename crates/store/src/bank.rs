//! Partner banks, their branches, memoranda with the agency and provincial quotas.

use serde::Serialize;
use sqlx::FromRow;

use crate::{StoreError, Tx, UniqueKey, time};

/// The unique key on bank codes.
pub const BANK_CODE_KEY: UniqueKey = UniqueKey {
    index: "bank_code_key",
    sqlite_columns: "bank.code",
};

/// A bank.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Bank {
    /// Id.
    pub id: i64,
    /// Short code, e.g. `mehr`.
    pub code: String,
    /// Persian name.
    pub name_fa: String,
    /// English name.
    pub name_en: String,
    /// The three-digit bank code inside Sheba numbers.
    pub sheba_code: Option<String>,
}

/// A branch of a bank.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Branch {
    /// Id.
    pub id: i64,
    /// Bank.
    pub bank_id: i64,
    /// Code within the bank.
    pub code: String,
    /// Persian name.
    pub name_fa: String,
    /// English name.
    pub name_en: String,
    /// Province.
    pub province_code: String,
    /// County.
    pub county_code: Option<String>,
}

/// A memorandum (تفاهم‌نامه) between a bank and the agency for a program.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Memorandum {
    /// Id.
    pub id: i64,
    /// Bank.
    pub bank_id: i64,
    /// Program.
    pub program_id: i64,
    /// The memorandum's number.
    pub number: String,
    /// Signing date (ISO).
    pub signed_on: String,
    /// First day referrals may be made (ISO).
    pub valid_from: String,
    /// Last day referrals may be made (ISO).
    pub valid_to: String,
    /// Fee rate in basis points.
    pub fee_rate_bp: i64,
    /// Repayment installments.
    pub term_months: i64,
    /// Grace months.
    pub grace_months: i64,
    /// Days a referral letter stays valid.
    pub letter_validity_days: i64,
}

/// A province's quota under a memorandum.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Quota {
    /// Id.
    pub id: i64,
    /// Memorandum.
    pub memorandum_id: i64,
    /// Province.
    pub province_code: String,
    /// Referrals allowed.
    pub count_limit: i64,
    /// Rials allowed.
    pub amount_limit: i64,
    /// Referrals made.
    pub count_used: i64,
    /// Rials referred.
    pub amount_used: i64,
}

/// Creates a bank.
pub async fn create_bank(
    tx: &mut Tx,
    code: &str,
    name_fa: &str,
    name_en: &str,
    sheba_code: Option<&str>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "insert into bank (code, name_fa, name_en, sheba_code, created_at) \
         values ($1, $2, $3, $4, $5) returning id",
    )
    .bind(code)
    .bind(name_fa)
    .bind(name_en)
    .bind(sheba_code)
    .bind(time::now())
    .fetch_one(&mut **tx)
    .await?)
}

/// Creates a branch (its `id` is ignored).
pub async fn create_branch(tx: &mut Tx, b: &Branch) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "insert into branch (bank_id, code, name_fa, name_en, province_code, county_code, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
    )
    .bind(b.bank_id)
    .bind(&b.code)
    .bind(&b.name_fa)
    .bind(&b.name_en)
    .bind(&b.province_code)
    .bind(&b.county_code)
    .bind(time::now())
    .fetch_one(&mut **tx)
    .await?)
}

/// Creates a memorandum (its `id` is ignored).
pub async fn create_memorandum(tx: &mut Tx, m: &Memorandum) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "insert into memorandum (bank_id, program_id, number, signed_on, valid_from, valid_to, \
         fee_rate_bp, term_months, grace_months, letter_validity_days, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id",
    )
    .bind(m.bank_id)
    .bind(m.program_id)
    .bind(&m.number)
    .bind(&m.signed_on)
    .bind(&m.valid_from)
    .bind(&m.valid_to)
    .bind(m.fee_rate_bp)
    .bind(m.term_months)
    .bind(m.grace_months)
    .bind(m.letter_validity_days)
    .bind(time::now())
    .fetch_one(&mut **tx)
    .await?)
}

/// Sets a province's quota under a memorandum (creating or replacing its limits; what was
/// already used stays).
pub async fn set_quota(
    tx: &mut Tx,
    memorandum_id: i64,
    province_code: &str,
    count_limit: i64,
    amount_limit: i64,
) -> Result<(), StoreError> {
    let now = time::now();
    sqlx::query(
        "insert into quota (memorandum_id, province_code, count_limit, amount_limit, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $5) \
         on conflict (memorandum_id, province_code) do update \
         set count_limit = excluded.count_limit, amount_limit = excluded.amount_limit, updated_at = excluded.updated_at",
    )
    .bind(memorandum_id)
    .bind(province_code)
    .bind(count_limit)
    .bind(amount_limit)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Every bank.
pub async fn banks<'e, E>(ex: E) -> Result<Vec<Bank>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as("select id, code, name_fa, name_en, sheba_code from bank order by code")
            .fetch_all(ex)
            .await?,
    )
}

/// A bank by code.
pub async fn bank_by_code<'e, E>(ex: E, code: &str) -> Result<Option<Bank>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as("select id, code, name_fa, name_en, sheba_code from bank where code = $1")
            .bind(code)
            .fetch_optional(ex)
            .await?,
    )
}

/// Every branch, by bank then code.
pub async fn branches<'e, E>(ex: E) -> Result<Vec<Branch>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, bank_id, code, name_fa, name_en, province_code, county_code from branch \
         order by bank_id, code",
    )
    .fetch_all(ex)
    .await?)
}

/// A branch of a bank by its code.
pub async fn branch_by_code<'e, E>(
    ex: E,
    bank_id: i64,
    code: &str,
) -> Result<Option<Branch>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, bank_id, code, name_fa, name_en, province_code, county_code from branch \
         where bank_id = $1 and code = $2",
    )
    .bind(bank_id)
    .bind(code)
    .fetch_optional(ex)
    .await?)
}

/// Every memorandum.
pub async fn memoranda<'e, E>(ex: E) -> Result<Vec<Memorandum>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, bank_id, program_id, number, signed_on, valid_from, valid_to, fee_rate_bp, \
         term_months, grace_months, letter_validity_days from memorandum order by id",
    )
    .fetch_all(ex)
    .await?)
}

/// Every quota.
pub async fn quotas<'e, E>(ex: E) -> Result<Vec<Quota>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, memorandum_id, province_code, count_limit, amount_limit, count_used, \
         amount_used from quota order by memorandum_id, province_code",
    )
    .fetch_all(ex)
    .await?)
}

/// The unique key on branch codes within a bank.
pub const BRANCH_CODE_KEY: UniqueKey = UniqueKey {
    index: "branch_bank_code_key",
    sqlite_columns: "branch.bank_id, branch.code",
};

/// The unique key of one memorandum per bank and program.
pub const MEMORANDUM_KEY: UniqueKey = UniqueKey {
    index: "memorandum_bank_program_key",
    sqlite_columns: "memorandum.bank_id, memorandum.program_id",
};

/// A bank by id.
pub async fn bank<'e, E>(ex: E, id: i64) -> Result<Option<Bank>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as("select id, code, name_fa, name_en, sheba_code from bank where id = $1")
            .bind(id)
            .fetch_optional(ex)
            .await?,
    )
}

/// A branch by id.
pub async fn branch<'e, E>(ex: E, id: i64) -> Result<Option<Branch>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, bank_id, code, name_fa, name_en, province_code, county_code from branch \
         where id = $1",
    )
    .bind(id)
    .fetch_optional(ex)
    .await?)
}

/// A memorandum by id.
pub async fn memorandum<'e, E>(ex: E, id: i64) -> Result<Option<Memorandum>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, bank_id, program_id, number, signed_on, valid_from, valid_to, fee_rate_bp, \
         term_months, grace_months, letter_validity_days from memorandum where id = $1",
    )
    .bind(id)
    .fetch_optional(ex)
    .await?)
}

/// The memorandum of a bank for a program, if any.
pub async fn memorandum_for<'e, E>(
    ex: E,
    bank_id: i64,
    program_id: i64,
) -> Result<Option<Memorandum>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, bank_id, program_id, number, signed_on, valid_from, valid_to, fee_rate_bp, \
         term_months, grace_months, letter_validity_days from memorandum \
         where bank_id = $1 and program_id = $2",
    )
    .bind(bank_id)
    .bind(program_id)
    .fetch_optional(ex)
    .await?)
}

/// The quotas of one memorandum, by province.
pub async fn quotas_of<'e, E>(ex: E, memorandum_id: i64) -> Result<Vec<Quota>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, memorandum_id, province_code, count_limit, amount_limit, count_used, \
         amount_used from quota where memorandum_id = $1 order by province_code",
    )
    .bind(memorandum_id)
    .fetch_all(ex)
    .await?)
}

/// One province's quota under a memorandum.
pub async fn quota<'e, E>(
    ex: E,
    memorandum_id: i64,
    province_code: &str,
) -> Result<Option<Quota>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, memorandum_id, province_code, count_limit, amount_limit, count_used, \
         amount_used from quota where memorandum_id = $1 and province_code = $2",
    )
    .bind(memorandum_id)
    .bind(province_code)
    .fetch_optional(ex)
    .await?)
}

/// Sets a province's quota limits unless they would fall below what is already used: one
/// conditional upsert, so a referral consuming quota at the same moment cannot slip under
/// the new limit. True when the limits were written, false when they are below the use.
pub async fn set_quota_within_used(
    tx: &mut Tx,
    memorandum_id: i64,
    province_code: &str,
    count_limit: i64,
    amount_limit: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "insert into quota (memorandum_id, province_code, count_limit, amount_limit, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $5) \
         on conflict (memorandum_id, province_code) do update \
         set count_limit = excluded.count_limit, amount_limit = excluded.amount_limit, \
         updated_at = excluded.updated_at \
         where quota.count_used <= excluded.count_limit and quota.amount_used <= excluded.amount_limit",
    )
    .bind(memorandum_id)
    .bind(province_code)
    .bind(count_limit)
    .bind(amount_limit)
    .bind(time::now())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
