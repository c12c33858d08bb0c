//! Monitoring visits: scheduled at disbursement (the program's `visit_months` after it) and
//! recorded once by the employment expert. The latest recorded visit decides whether the
//! office head may accelerate the loan (the plan was not carried out).

use serde::Serialize;
use sqlx::FromRow;

use crate::{StoreError, Tx, time};

/// A monitoring visit as stored.
#[derive(Clone, Debug, FromRow, Serialize, PartialEq, Eq)]
pub struct Visit {
    /// Id.
    pub id: i64,
    /// The loan.
    pub loan_id: i64,
    /// The file.
    pub application_id: i64,
    /// The day it is planned for (ISO).
    pub scheduled_on: String,
    /// The day it took place (ISO); `None` while only scheduled.
    pub visited_on: Option<String>,
    /// The employment expert who recorded it.
    pub staff_user_id: Option<i64>,
    /// 1 when the business was running.
    pub business_running: Option<i64>,
    /// People working in the business.
    pub people_employed: Option<i64>,
    /// 1 when the business plan was carried out; 0 lets the office head accelerate.
    pub plan_carried_out: Option<i64>,
    /// What the expert found.
    pub findings: Option<String>,
    /// What the expert recommends.
    pub recommendation: Option<String>,
    /// When it was last changed (RFC 3339).
    pub updated_at: String,
}

const COLUMNS: &str = "id, loan_id, application_id, scheduled_on, visited_on, staff_user_id, \
    business_running, people_employed, plan_carried_out, findings, recommendation, updated_at";

/// What the expert records about a visit.
#[derive(Clone, Debug)]
pub struct VisitRecord<'a> {
    /// The day of the visit (ISO).
    pub visited_on: &'a str,
    /// The expert.
    pub staff_user_id: i64,
    /// Whether the business was running.
    pub business_running: bool,
    /// People working in the business.
    pub people_employed: i64,
    /// Whether the plan was carried out.
    pub plan_carried_out: bool,
    /// Findings.
    pub findings: Option<&'a str>,
    /// Recommendation.
    pub recommendation: Option<&'a str>,
}

/// Schedules a visit; returns its id.
pub async fn schedule(
    tx: &mut Tx,
    loan_id: i64,
    application_id: i64,
    scheduled_on: &str,
) -> Result<i64, StoreError> {
    let now = time::now();
    Ok(sqlx::query_scalar(
        "insert into monitoring_visit (loan_id, application_id, scheduled_on, created_at, updated_at) \
         values ($1, $2, $3, $4, $4) returning id",
    )
    .bind(loan_id)
    .bind(application_id)
    .bind(scheduled_on)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}

/// A visit by id.
pub async fn get<'e, E>(ex: E, id: i64) -> Result<Option<Visit>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS} from monitoring_visit where id = $1"
    ))
    .bind(id)
    .fetch_optional(ex)
    .await?)
}

/// The visits of a file, by scheduled date.
pub async fn for_application<'e, E>(ex: E, application_id: i64) -> Result<Vec<Visit>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS} from monitoring_visit where application_id = $1 \
         order by scheduled_on, id"
    ))
    .bind(application_id)
    .fetch_all(ex)
    .await?)
}

/// Records a scheduled visit, once: false when it was already recorded (someone else was
/// first), and nothing changes.
pub async fn record(tx: &mut Tx, id: i64, r: &VisitRecord<'_>) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "update monitoring_visit set visited_on = $1, staff_user_id = $2, business_running = $3, \
         people_employed = $4, plan_carried_out = $5, findings = $6, recommendation = $7, \
         updated_at = $8 where id = $9 and visited_on is null",
    )
    .bind(r.visited_on)
    .bind(r.staff_user_id)
    .bind(i64::from(r.business_running))
    .bind(r.people_employed)
    .bind(i64::from(r.plan_carried_out))
    .bind(r.findings)
    .bind(r.recommendation)
    .bind(time::now())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The loan's most recently held visit (latest `visited_on`, then latest recorded).
pub async fn latest_recorded<'e, E>(ex: E, loan_id: i64) -> Result<Option<Visit>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS} from monitoring_visit where loan_id = $1 and visited_on is not null \
         order by visited_on desc, updated_at desc, id desc limit 1"
    ))
    .bind(loan_id)
    .fetch_optional(ex)
    .await?)
}
