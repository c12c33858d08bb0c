//! Programs (one per Jalali fiscal year) and their loan types.

use crate::Flag;
use serde::Serialize;
use sqlx::FromRow;

use crate::{StoreError, Tx, UniqueKey, time};

/// The unique key on program codes.
pub const CODE_KEY: UniqueKey = UniqueKey {
    index: "program_code_key",
    sqlite_columns: "program.code",
};

/// A program as stored; settings are JSON text read by the domain layer.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Program {
    /// Id.
    pub id: i64,
    /// Jalali fiscal year.
    pub jalali_year: i64,
    /// Short unique code, e.g. `emp-1405`.
    pub code: String,
    /// Persian title.
    pub title_fa: String,
    /// English title.
    pub title_en: String,
    /// Fee rate (کارمزد) in basis points a year.
    pub fee_rate_bp: i64,
    /// Repayment installments.
    pub term_months: i64,
    /// Months before the first installment.
    pub grace_months: i64,
    /// The fee accrues during grace.
    #[sqlx(try_from = "Flag")]
    pub grace_fee_accrues: bool,
    /// `annuity` or `flat`.
    pub schedule_method: String,
    /// Extra percentage points of the late charge, in basis points (600 = 6).
    pub late_charge_extra_bp: i64,
    /// Due dates on holidays move to the next working day.
    #[sqlx(try_from = "Flag")]
    pub shift_due_to_working_day: bool,
    /// JSON list of eligible groups.
    pub eligible_groups: String,
    /// JSON list of required document kinds.
    pub required_documents: String,
    /// JSON priority weights.
    pub priority_weights: String,
    /// JSON service levels (working days per stage).
    pub service_levels: String,
    /// JSON list of months after disbursement with a monitoring visit.
    pub visit_months: String,
    /// JSON list of the business sectors its plans may be classified in.
    pub sectors: String,
    /// Open for applications.
    #[sqlx(try_from = "Flag")]
    pub is_active: bool,
    /// How many open files one household (linked by its case number) may hold at once
    /// (1 by default; `PATCH /api/v1/programs/{id}`, not yet on the administration page).
    pub max_open_files_per_household: i64,
}

/// A loan type of a program with its central-bank ceiling.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct LoanType {
    /// Id.
    pub id: i64,
    /// Program.
    pub program_id: i64,
    /// `self_employment`, `household_business` or `employer`.
    pub loan_type: String,
    /// Persian title.
    pub title_fa: String,
    /// English title.
    pub title_en: String,
    /// Ceiling in rials (per job created when `per_job` is 1).
    pub ceiling: i64,
    /// The ceiling is per job created (employers).
    #[sqlx(try_from = "Flag")]
    pub per_job: bool,
}

/// A program to create (without id).
pub type NewProgram = Program;

const COLUMNS: &str = "id, jalali_year, code, title_fa, title_en, fee_rate_bp, term_months, \
    grace_months, grace_fee_accrues, schedule_method, late_charge_extra_bp, \
    shift_due_to_working_day, eligible_groups, required_documents, priority_weights, \
    service_levels, visit_months, sectors, is_active, max_open_files_per_household";

/// Creates a program (its `id` is ignored) and returns the new id.
pub async fn create(tx: &mut Tx, p: &NewProgram) -> Result<i64, StoreError> {
    let now = time::now();
    Ok(sqlx::query_scalar(
        "insert into program (jalali_year, code, title_fa, title_en, fee_rate_bp, term_months, \
         grace_months, grace_fee_accrues, schedule_method, late_charge_extra_bp, \
         shift_due_to_working_day, eligible_groups, required_documents, priority_weights, \
         service_levels, visit_months, sectors, is_active, max_open_files_per_household, \
         created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
         $20, $19, $19) \
         returning id",
    )
    .bind(p.jalali_year)
    .bind(&p.code)
    .bind(&p.title_fa)
    .bind(&p.title_en)
    .bind(p.fee_rate_bp)
    .bind(p.term_months)
    .bind(p.grace_months)
    .bind(i64::from(p.grace_fee_accrues))
    .bind(&p.schedule_method)
    .bind(p.late_charge_extra_bp)
    .bind(i64::from(p.shift_due_to_working_day))
    .bind(&p.eligible_groups)
    .bind(&p.required_documents)
    .bind(&p.priority_weights)
    .bind(&p.service_levels)
    .bind(&p.visit_months)
    .bind(&p.sectors)
    .bind(i64::from(p.is_active))
    .bind(now)
    .bind(p.max_open_files_per_household.max(1))
    .fetch_one(&mut **tx)
    .await?)
}

/// Adds a loan type to a program.
pub async fn add_loan_type(tx: &mut Tx, t: &LoanType) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "insert into program_loan_type (program_id, loan_type, title_fa, title_en, ceiling, \
         per_job, created_at) values ($1, $2, $3, $4, $5, $6, $7) returning id",
    )
    .bind(t.program_id)
    .bind(&t.loan_type)
    .bind(&t.title_fa)
    .bind(&t.title_en)
    .bind(t.ceiling)
    .bind(i64::from(t.per_job))
    .bind(time::now())
    .fetch_one(&mut **tx)
    .await?)
}

/// Every program, newest year first.
pub async fn list<'e, E>(ex: E) -> Result<Vec<Program>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS} from program order by jalali_year desc, id"
    ))
    .fetch_all(ex)
    .await?)
}

/// One program.
pub async fn get<'e, E>(ex: E, id: i64) -> Result<Option<Program>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as(&format!("select {COLUMNS} from program where id = $1"))
            .bind(id)
            .fetch_optional(ex)
            .await?,
    )
}

/// One program by code.
pub async fn by_code<'e, E>(ex: E, code: &str) -> Result<Option<Program>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as(&format!("select {COLUMNS} from program where code = $1"))
            .bind(code)
            .fetch_optional(ex)
            .await?,
    )
}

/// The loan types of a program.
pub async fn loan_types<'e, E>(ex: E, program_id: i64) -> Result<Vec<LoanType>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, program_id, loan_type, title_fa, title_en, ceiling, per_job \
         from program_loan_type where program_id = $1 order by id",
    )
    .bind(program_id)
    .fetch_all(ex)
    .await?)
}

/// Every loan type of every program, by program then id (one query for program lists).
pub async fn all_loan_types<'e, E>(ex: E) -> Result<Vec<LoanType>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, program_id, loan_type, title_fa, title_en, ceiling, per_job \
         from program_loan_type order by program_id, id",
    )
    .fetch_all(ex)
    .await?)
}

/// A program's editable settings, the JSON ones as text.
#[derive(Clone, Copy, Debug)]
pub struct Settings<'a> {
    /// Open for applications.
    pub is_active: bool,
    /// JSON priority weights.
    pub priority_weights: &'a str,
    /// JSON service levels.
    pub service_levels: &'a str,
    /// JSON list of business sectors.
    pub sectors: &'a str,
    /// How many open files one household may hold.
    pub max_open_files_per_household: i64,
}

/// Rewrites a program's editable settings (active flag, priority weights, service levels,
/// sectors, the household limit); false when there is no such program.
pub async fn update_settings(tx: &mut Tx, id: i64, s: Settings<'_>) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "update program set is_active = $1, priority_weights = $2, service_levels = $3, \
         sectors = $4, updated_at = $5, max_open_files_per_household = $7 where id = $6",
    )
    .bind(i64::from(s.is_active))
    .bind(s.priority_weights)
    .bind(s.service_levels)
    .bind(s.sectors)
    .bind(time::now())
    .bind(id)
    .bind(s.max_open_files_per_household)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Touches a program's row so that PostgreSQL holds its lock until the transaction ends
/// (SQLite's write transactions are exclusive already): read-modify-write edits then
/// serialise. False when there is no such program.
pub async fn lock(tx: &mut Tx, id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query("update program set updated_at = updated_at where id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}
