//! Job counselling of a file: counselling sessions, the business-plan reviews that
//! `approve_plan` relies on, and the technical services the employment experts provide.

use serde::Serialize;
use sqlx::FromRow;

use crate::{StoreError, Tx, time};

/// A counselling session held with the applicant.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Session {
    /// Id.
    pub id: i64,
    /// The file.
    pub application_id: i64,
    /// The employment expert.
    pub staff_user_id: i64,
    /// The day it was held (ISO).
    pub held_on: String,
    /// The next session's day, if one was arranged (ISO).
    pub scheduled_for: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// When it was recorded (RFC 3339).
    pub created_at: String,
}

/// A review of the business plan.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct PlanReview {
    /// Id.
    pub id: i64,
    /// The file.
    pub application_id: i64,
    /// The employment expert.
    pub staff_user_id: i64,
    /// The activity as reviewed.
    pub activity: String,
    /// Where the business will run.
    pub location: String,
    /// Rials recommended (> 0, at most the program's ceiling).
    pub recommended_amount: i64,
    /// Jobs the plan creates.
    pub jobs_to_create: i64,
    /// The business sector (`vamyar_domain::vocab::Sector`), when classified.
    pub sector: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// When it was recorded (RFC 3339).
    pub created_at: String,
}

/// A technical or expert service provided to the applicant's business.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Service {
    /// Id.
    pub id: i64,
    /// The file.
    pub application_id: i64,
    /// The employment expert.
    pub staff_user_id: i64,
    /// What kind of service.
    pub kind: String,
    /// What was done.
    pub description: String,
    /// The day it was provided (ISO).
    pub provided_on: String,
    /// When it was recorded (RFC 3339).
    pub created_at: String,
}

/// Records a session (ISO dates) and returns it.
pub async fn add_session(
    tx: &mut Tx,
    application_id: i64,
    staff_user_id: i64,
    held_on: &str,
    scheduled_for: Option<&str>,
    notes: Option<&str>,
) -> Result<Session, StoreError> {
    let now = time::now();
    let id: i64 = sqlx::query_scalar(
        "insert into counselling_session (application_id, staff_user_id, held_on, scheduled_for, \
         notes, created_at) values ($1, $2, $3, $4, $5, $6) returning id",
    )
    .bind(application_id)
    .bind(staff_user_id)
    .bind(held_on)
    .bind(scheduled_for)
    .bind(notes)
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Session {
        id,
        application_id,
        staff_user_id,
        held_on: held_on.to_string(),
        scheduled_for: scheduled_for.map(str::to_string),
        notes: notes.map(str::to_string),
        created_at: now,
    })
}

/// A file's sessions, oldest first.
pub async fn sessions<'e, E>(ex: E, application_id: i64) -> Result<Vec<Session>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, application_id, staff_user_id, held_on, scheduled_for, notes, created_at \
         from counselling_session where application_id = $1 order by id",
    )
    .bind(application_id)
    .fetch_all(ex)
    .await?)
}

/// What a plan review records.
#[derive(Clone, Debug)]
pub struct NewPlanReview<'a> {
    /// The file.
    pub application_id: i64,
    /// The employment expert.
    pub staff_user_id: i64,
    /// Activity.
    pub activity: &'a str,
    /// Location.
    pub location: &'a str,
    /// Rials recommended.
    pub recommended_amount: i64,
    /// Jobs to create.
    pub jobs_to_create: i64,
    /// The business sector, when classified.
    pub sector: Option<&'a str>,
    /// Notes.
    pub notes: Option<&'a str>,
}

/// Records a plan review and returns it; the file takes the review's sector (the latest
/// review classifies the file).
pub async fn add_plan_review(tx: &mut Tx, r: &NewPlanReview<'_>) -> Result<PlanReview, StoreError> {
    let now = time::now();
    let id: i64 = sqlx::query_scalar(
        "insert into plan_review (application_id, staff_user_id, activity, location, \
         recommended_amount, jobs_to_create, notes, sector, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
    )
    .bind(r.application_id)
    .bind(r.staff_user_id)
    .bind(r.activity)
    .bind(r.location)
    .bind(r.recommended_amount)
    .bind(r.jobs_to_create)
    .bind(r.notes)
    .bind(r.sector)
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("update application set sector = $1 where id = $2")
        .bind(r.sector)
        .bind(r.application_id)
        .execute(&mut **tx)
        .await?;
    Ok(PlanReview {
        id,
        application_id: r.application_id,
        staff_user_id: r.staff_user_id,
        activity: r.activity.to_string(),
        location: r.location.to_string(),
        recommended_amount: r.recommended_amount,
        jobs_to_create: r.jobs_to_create,
        sector: r.sector.map(str::to_string),
        notes: r.notes.map(str::to_string),
        created_at: now,
    })
}

/// A file's plan reviews, oldest first.
pub async fn plan_reviews<'e, E>(ex: E, application_id: i64) -> Result<Vec<PlanReview>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, application_id, staff_user_id, activity, location, recommended_amount, \
         jobs_to_create, sector, notes, created_at from plan_review where application_id = $1 \
         order by id",
    )
    .bind(application_id)
    .fetch_all(ex)
    .await?)
}

/// The latest plan review of a file: (recommended amount, jobs to create).
pub async fn latest_plan_review(
    tx: &mut Tx,
    application_id: i64,
) -> Result<Option<(i64, i64)>, StoreError> {
    use sqlx::Row;
    let row = sqlx::query(
        "select recommended_amount, jobs_to_create from plan_review where application_id = $1 \
         order by id desc limit 1",
    )
    .bind(application_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match row {
        Some(r) => Some((r.try_get(0)?, r.try_get(1)?)),
        None => None,
    })
}

/// Records a service (ISO date) and returns it.
pub async fn add_service(
    tx: &mut Tx,
    application_id: i64,
    staff_user_id: i64,
    kind: &str,
    description: &str,
    provided_on: &str,
) -> Result<Service, StoreError> {
    let now = time::now();
    let id: i64 = sqlx::query_scalar(
        "insert into expert_service (application_id, staff_user_id, kind, description, \
         provided_on, created_at) values ($1, $2, $3, $4, $5, $6) returning id",
    )
    .bind(application_id)
    .bind(staff_user_id)
    .bind(kind)
    .bind(description)
    .bind(provided_on)
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Service {
        id,
        application_id,
        staff_user_id,
        kind: kind.to_string(),
        description: description.to_string(),
        provided_on: provided_on.to_string(),
        created_at: now,
    })
}

/// A file's services, oldest first.
pub async fn services<'e, E>(ex: E, application_id: i64) -> Result<Vec<Service>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, application_id, staff_user_id, kind, description, provided_on, created_at \
         from expert_service where application_id = $1 order by id",
    )
    .bind(application_id)
    .fetch_all(ex)
    .await?)
}
