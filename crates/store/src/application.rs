//! Applications (files): creation, reading with their scope, optimistic state changes, the
//! history of actions and the time spent in each stage.

use crate::Flag;
use serde::Serialize;
use sqlx::FromRow;
use vamyar_domain::workflow::State;

use crate::{StoreError, Tx, UniqueKey, time};

/// One open file per person per program.
pub const OPEN_PER_PERSON_KEY: UniqueKey = UniqueKey {
    index: "application_open_per_person_key",
    sqlite_columns: "application.person_id, application.program_id",
};

/// The unique key on tracking codes.
pub const TRACKING_CODE_KEY: UniqueKey = UniqueKey {
    index: "application_tracking_code_key",
    sqlite_columns: "application.tracking_code",
};

/// A file as stored, with the bank of its latest referral (for scoping bank officers).
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Application {
    /// Id.
    pub id: i64,
    /// Tracking code (12 digits).
    pub tracking_code: String,
    /// The applicant.
    pub person_id: i64,
    /// The program.
    pub program_id: i64,
    /// Loan type.
    pub loan_type: String,
    /// `web`, `desk` or `api`.
    pub channel: String,
    /// Workflow state.
    #[sqlx(try_from = "String")]
    pub state: State,
    /// Optimistic-concurrency version.
    pub version: i64,
    /// Rials asked for.
    pub requested_amount: i64,
    /// Rials recommended by the employment expert.
    pub recommended_amount: Option<i64>,
    /// Rials approved by the bank.
    pub approved_amount: Option<i64>,
    /// Business title.
    pub business_title: String,
    /// Business activity.
    pub business_activity: Option<String>,
    /// Where the business will run.
    pub business_location: Option<String>,
    /// Business plan summary.
    pub business_summary: Option<String>,
    /// Jobs the plan creates.
    pub jobs_planned: i64,
    /// The business sector of its latest plan review (`vamyar_domain::vocab::Sector`), when
    /// classified.
    pub sector: Option<String>,
    /// Province.
    pub province_code: String,
    /// County.
    pub county_code: String,
    /// Stored priority score (refreshed on changes and daily).
    pub priority_score: i64,
    /// When it was submitted.
    pub submitted_at: String,
    /// When the state last changed.
    pub state_changed_at: String,
    /// The current stage has breached its service level (refreshed daily).
    #[sqlx(try_from = "Flag")]
    pub is_breached: bool,
    /// The staff member who registered it at a desk.
    pub created_by_staff_id: Option<i64>,
    /// Bank of the latest referral.
    pub bank_id: Option<i64>,
    /// Branch of the latest referral.
    pub branch_id: Option<i64>,
    /// The queue's order key (`vamyar_domain::queue_key`): lower comes first.
    pub queue_rank: i64,
}

pub(crate) const SELECT: &str = "select a.id, a.tracking_code, a.person_id, a.program_id, a.loan_type, \
    a.channel, a.state, a.version, a.requested_amount, a.recommended_amount, a.approved_amount, \
    a.business_title, a.business_activity, a.business_location, a.business_summary, \
    a.jobs_planned, a.sector, a.province_code, a.county_code, a.priority_score, a.submitted_at, \
    a.state_changed_at, a.is_breached, a.created_by_staff_id, a.bank_id, a.branch_id, \
    a.queue_rank from application a";

/// A new file (state `submitted`).
#[derive(Clone, Debug)]
pub struct NewApplication {
    /// Tracking code.
    pub tracking_code: String,
    /// Applicant.
    pub person_id: i64,
    /// Program.
    pub program_id: i64,
    /// Loan type.
    pub loan_type: String,
    /// Channel.
    pub channel: String,
    /// Initial state.
    pub state: String,
    /// Rials asked for.
    pub requested_amount: i64,
    /// Business title.
    pub business_title: String,
    /// Activity.
    pub business_activity: Option<String>,
    /// Location.
    pub business_location: Option<String>,
    /// Summary.
    pub business_summary: Option<String>,
    /// Jobs planned.
    pub jobs_planned: i64,
    /// Province.
    pub province_code: String,
    /// County.
    pub county_code: String,
    /// Priority score at submission (without waiting points: the static score).
    pub priority_score: i64,
    /// The queue's order key at submission (`vamyar_domain::queue_key::Waiting::rank`).
    pub queue_rank: i64,
    /// The Tehran day of submission (`vamyar_domain::queue_key::day_number`).
    pub submitted_day: i64,
    /// Priority factors (JSON).
    pub priority_factors: String,
    /// Desk clerk who registered it.
    pub created_by_staff_id: Option<i64>,
    /// When it was submitted (RFC 3339 UTC, from the service's clock).
    pub submitted_at: String,
}

/// Inserts a file with the id drawn by [`next_id`] and returns it.
pub async fn create(tx: &mut Tx, id: i64, a: &NewApplication) -> Result<i64, StoreError> {
    let now = &a.submitted_at;
    Ok(sqlx::query_scalar(
        "insert into application (tracking_code, person_id, program_id, loan_type, channel, state, \
         requested_amount, business_title, business_activity, business_location, business_summary, \
         jobs_planned, province_code, county_code, priority_score, priority_factors, submitted_at, \
         state_changed_at, created_by_staff_id, created_at, updated_at, queue_rank, submitted_day, id) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, $17, $17, \
         $19, $20, $21) \
         returning id",
    )
    .bind(&a.tracking_code)
    .bind(a.person_id)
    .bind(a.program_id)
    .bind(&a.loan_type)
    .bind(&a.channel)
    .bind(&a.state)
    .bind(a.requested_amount)
    .bind(&a.business_title)
    .bind(&a.business_activity)
    .bind(&a.business_location)
    .bind(&a.business_summary)
    .bind(a.jobs_planned)
    .bind(&a.province_code)
    .bind(&a.county_code)
    .bind(a.priority_score)
    .bind(&a.priority_factors)
    .bind(now)
    .bind(a.created_by_staff_id)
    .bind(a.queue_rank)
    .bind(a.submitted_day)
    .bind(id)
    .fetch_one(&mut **tx)
    .await?)
}

/// Draws the id the next file will have ([`create`] takes it): the identity sequence's next
/// value on PostgreSQL; on SQLite, whose write transaction is exclusive, one past the highest
/// id ever given (`sqlite_sequence`, so an id is never reused). The tracking code is made from
/// it before the row is written.
pub async fn next_id(tx: &mut Tx) -> Result<i64, StoreError> {
    let sql = if crate::is_postgres(tx) {
        "select nextval(pg_get_serial_sequence('application', 'id'))"
    } else {
        "select max(coalesce((select seq from sqlite_sequence where name = 'application'), 0), \
         coalesce((select max(id) from application), 0)) + 1"
    };
    Ok(sqlx::query_scalar(sql).fetch_one(&mut **tx).await?)
}

/// A file by id.
pub async fn get<'e, E>(ex: E, id: i64) -> Result<Option<Application>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!("{SELECT} where a.id = $1"))
        .bind(id)
        .fetch_optional(ex)
        .await?)
}

/// A file by tracking code.
pub async fn by_tracking_code<'e, E>(ex: E, code: &str) -> Result<Option<Application>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as(&format!("{SELECT} where a.tracking_code = $1"))
            .bind(code)
            .fetch_optional(ex)
            .await?,
    )
}

/// The files of a person, newest first.
pub async fn for_person<'e, E>(ex: E, person_id: i64) -> Result<Vec<Application>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "{SELECT} where a.person_id = $1 order by a.id desc"
    ))
    .bind(person_id)
    .fetch_all(ex)
    .await?)
}

/// Moves a file to `to` if it is still at `version` (and in `from`); false when someone else
/// changed it first (the caller answers 409 and rolls back).
pub async fn transition(
    tx: &mut Tx,
    id: i64,
    version: i64,
    from: &str,
    to: &str,
    at: &str,
) -> Result<bool, StoreError> {
    let now = at.to_string();
    let closed = if matches!(to, "rejected" | "withdrawn" | "closed") {
        Some(now.clone())
    } else {
        None
    };
    let done = sqlx::query(
        "update application set state = $1, version = version + 1, state_changed_at = $2, \
         updated_at = $2, is_breached = 0, closed_at = coalesce($3, closed_at) \
         where id = $4 and version = $5 and state = $6",
    )
    .bind(to)
    .bind(&now)
    .bind(closed)
    .bind(id)
    .bind(version)
    .bind(from)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets amounts decided along the way.
pub async fn set_amounts(
    tx: &mut Tx,
    id: i64,
    recommended: Option<i64>,
    approved: Option<i64>,
) -> Result<(), StoreError> {
    sqlx::query(
        "update application set recommended_amount = coalesce($1, recommended_amount), \
         approved_amount = coalesce($2, approved_amount), updated_at = $3 where id = $4",
    )
    .bind(recommended)
    .bind(approved)
    .bind(time::now())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The business details of a file, as corrected by the applicant.
#[derive(Clone, Copy, Debug)]
pub struct Business<'a> {
    /// Its title.
    pub title: &'a str,
    /// Its activity.
    pub activity: Option<&'a str>,
    /// Where it runs.
    pub location: Option<&'a str>,
    /// A short description.
    pub summary: Option<&'a str>,
}

/// Replaces a file's business details (a correction); `at` is the change's instant.
pub async fn set_business(
    tx: &mut Tx,
    id: i64,
    b: &Business<'_>,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "update application set business_title = $1, business_activity = $2, \
         business_location = $3, business_summary = $4, updated_at = $5 where id = $6",
    )
    .bind(b.title)
    .bind(b.activity)
    .bind(b.location)
    .bind(b.summary)
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sets the number of jobs the plan creates (from the business plan review).
pub async fn set_jobs(tx: &mut Tx, id: i64, jobs: i64) -> Result<(), StoreError> {
    sqlx::query("update application set jobs_planned = $1, updated_at = $2 where id = $3")
        .bind(jobs)
        .bind(time::now())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Moves a file whose loan was just disbursed to its rank in the served band (after every
/// waiting file; `vamyar_domain::queue_key::Waiting::served_rank`), `per_day` being its
/// program's waiting points per day.
pub async fn rank_as_served(tx: &mut Tx, id: i64, per_day: i64) -> Result<(), StoreError> {
    sqlx::query(
        "update application set queue_rank = $1 + $2 * submitted_day - priority_score \
         where id = $3",
    )
    .bind(vamyar_domain::queue_key::SERVED)
    .bind(per_day)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Stores a recomputed static priority score (without waiting points), its factors and the
/// queue rank that follows from it.
pub async fn set_priority(
    tx: &mut Tx,
    id: i64,
    score: i64,
    factors: &str,
    queue_rank: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "update application set priority_score = $1, priority_factors = $2, queue_rank = $3 \
         where id = $4",
    )
    .bind(score)
    .bind(factors)
    .bind(queue_rank)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One action in a file's history.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Event {
    /// Id.
    pub id: i64,
    /// Action name.
    pub action: String,
    /// State before.
    pub from_state: Option<String>,
    /// State after.
    pub to_state: String,
    /// `staff`, `applicant` or `system`.
    pub actor_kind: String,
    /// Staff member.
    pub staff_user_id: Option<i64>,
    /// Applicant.
    pub person_id: Option<i64>,
    /// Free note.
    pub note: Option<String>,
    /// Reason of a refusal.
    pub reason: Option<String>,
    /// Extra data (JSON).
    pub detail: String,
    /// When.
    pub created_at: String,
}

/// A history row to append.
#[derive(Clone, Debug)]
pub struct NewEvent<'a> {
    /// File.
    pub application_id: i64,
    /// Action.
    pub action: &'a str,
    /// State before (none for registration).
    pub from_state: Option<&'a str>,
    /// State after.
    pub to_state: &'a str,
    /// `staff`, `applicant` or `system`.
    pub actor_kind: &'a str,
    /// Staff member.
    pub staff_user_id: Option<i64>,
    /// Applicant.
    pub person_id: Option<i64>,
    /// Note.
    pub note: Option<&'a str>,
    /// Reason.
    pub reason: Option<&'a str>,
    /// Extra data.
    pub detail: serde_json::Value,
    /// When (RFC 3339 UTC, from the service's clock).
    pub at: &'a str,
}

/// Appends to a file's history.
pub async fn add_event(tx: &mut Tx, e: &NewEvent<'_>) -> Result<i64, StoreError> {
    tx.insert_returning_id(EVENT_INSERT, "", event_row(e))
        .await?
        .ok_or(StoreError::Sqlx(sqlx::Error::RowNotFound))
}

/// Appends to the history of a file this transaction just created (no other transaction can
/// act on it yet), in a group commit with the group's other such rows ([`Tx::insert_later`]).
pub async fn add_event_later(tx: &mut Tx, e: &NewEvent<'_>) -> Result<(), StoreError> {
    tx.insert_later(EVENT_INSERT, "", event_row(e)).await
}

/// A history row's columns, in the order of [`event_row`].
const EVENT_INSERT: &str = "insert into application_event (application_id, action, from_state, \
                            to_state, actor_kind, staff_user_id, person_id, note, reason, detail, \
                            created_at)";

/// The values of `e`'s history row.
fn event_row(e: &NewEvent<'_>) -> Vec<crate::Value> {
    vec![
        e.application_id.into(),
        e.action.into(),
        e.from_state.into(),
        e.to_state.into(),
        e.actor_kind.into(),
        e.staff_user_id.into(),
        e.person_id.into(),
        e.note.into(),
        e.reason.into(),
        e.detail.to_string().into(),
        e.at.into(),
    ]
}

/// A file's history, oldest first.
pub async fn history<'e, E>(ex: E, application_id: i64) -> Result<Vec<Event>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, action, from_state, to_state, actor_kind, staff_user_id, person_id, note, \
         reason, detail, created_at from application_event where application_id = $1 order by id",
    )
    .bind(application_id)
    .fetch_all(ex)
    .await?)
}
