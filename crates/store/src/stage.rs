//! Time spent in each stage of a file, for service levels. Each row is one interval with one
//! owner; a stage owned by the applicant for a while (a missing document) is a row of its own,
//! so the agency's clock pauses exactly there.

use crate::Flag;
use serde::Serialize;
use sqlx::FromRow;

use crate::{StoreError, Tx};

/// One interval of a stage.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct StageInterval {
    /// Id.
    pub id: i64,
    /// The file's state during the interval.
    pub state: String,
    /// `agency`, `bank`, `applicant` or `none`.
    pub owner: String,
    /// Start (RFC 3339).
    pub started_at: String,
    /// End, or none while running.
    pub ended_at: Option<String>,
    /// The stage's target in working days.
    pub target_working_days: Option<i64>,
    /// The due date computed when the interval opened (ISO).
    pub due_on: Option<String>,
    /// Once flagged breached.
    #[sqlx(try_from = "Flag")]
    pub is_breached: bool,
}

/// Ends the running interval of a file, if any.
pub async fn close(tx: &mut Tx, application_id: i64, at: &str) -> Result<(), StoreError> {
    sqlx::query(
        "update stage_timing set ended_at = $1 where application_id = $2 and ended_at is null",
    )
    .bind(at)
    .bind(application_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The interval a stage clock opens: its stage, owner, target and due date.
#[derive(Clone, Copy, Debug)]
pub struct Opening<'a> {
    /// The state the file entered.
    pub state: &'a str,
    /// `agency`, `bank`, `applicant` or `none`.
    pub owner: &'a str,
    /// The stage's target in working days.
    pub target_working_days: Option<i64>,
    /// The due date (ISO).
    pub due_on: Option<&'a str>,
}

/// Opens an interval at `at` (closing the running one first).
pub async fn open(
    tx: &mut Tx,
    application_id: i64,
    opening: Opening<'_>,
    at: &str,
) -> Result<(), StoreError> {
    close(tx, application_id, at).await?;
    open_first(tx, application_id, opening, at).await
}

/// Opens the first interval of a file just created (nothing runs yet to close).
pub async fn open_first(
    tx: &mut Tx,
    application_id: i64,
    opening: Opening<'_>,
    at: &str,
) -> Result<(), StoreError> {
    tx.insert_now(INSERT, "", row(application_id, opening, at))
        .await
}

/// [`open_first`] for a file this transaction just created, in a group commit with the
/// group's other such rows ([`Tx::insert_later`]).
pub async fn open_first_later(
    tx: &mut Tx,
    application_id: i64,
    opening: Opening<'_>,
    at: &str,
) -> Result<(), StoreError> {
    tx.insert_later(INSERT, "", row(application_id, opening, at))
        .await
}

/// An interval's columns, in the order of [`row`].
const INSERT: &str = "insert into stage_timing (application_id, state, owner, started_at, \
                      target_working_days, due_on, created_at)";

/// The values of an interval opened at `at`.
fn row(application_id: i64, opening: Opening<'_>, at: &str) -> Vec<crate::Value> {
    vec![
        application_id.into(),
        opening.state.into(),
        opening.owner.into(),
        at.into(),
        opening.target_working_days.into(),
        opening.due_on.into(),
        at.into(),
    ]
}

/// The intervals of the current visit to the file's current stage (since `since`, the last
/// state change), oldest first.
pub async fn current<'e, E>(
    ex: E,
    application_id: i64,
    since: &str,
) -> Result<Vec<StageInterval>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, state, owner, started_at, ended_at, target_working_days, due_on, is_breached \
         from stage_timing where application_id = $1 and started_at >= $2 order by id",
    )
    .bind(application_id)
    .bind(since)
    .fetch_all(ex)
    .await?)
}

/// Every interval of a file, oldest first (for reports of time per stage).
pub async fn all<'e, E>(ex: E, application_id: i64) -> Result<Vec<StageInterval>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, state, owner, started_at, ended_at, target_working_days, due_on, is_breached \
         from stage_timing where application_id = $1 order by id",
    )
    .bind(application_id)
    .fetch_all(ex)
    .await?)
}

/// The stage intervals of several files at once (every interval of each, oldest first), as
/// `(application_id, interval)` pairs; the caller keeps those of the current visit.
pub async fn of_files<'e, E>(ex: E, ids: &[i64]) -> Result<Vec<(i64, StageInterval)>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    #[derive(sqlx::FromRow)]
    struct Row {
        application_id: i64,
        #[sqlx(flatten)]
        interval: StageInterval,
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "select application_id, id, state, owner, started_at, ended_at, target_working_days, \
         due_on, is_breached from stage_timing where application_id in ({}) order by id",
        marks.join(", ")
    );
    let mut q = sqlx::query_as::<_, Row>(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(ex)
        .await?
        .into_iter()
        .map(|r| (r.application_id, r.interval))
        .collect())
}
