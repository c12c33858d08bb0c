//! Complaints and appeals about a file (`complaint`): filed, listed by whoever may see them,
//! answered once by the county's office head, and escalated once by close of business when
//! their service level passed unanswered.

use serde::Serialize;
use sqlx::FromRow;

use crate::{StoreError, Tx};

/// A complaint as stored, with its file's tracking code.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Complaint {
    /// Id: also the ticket number told to the applicant.
    pub id: i64,
    /// The file it is about.
    pub application_id: i64,
    /// The file's tracking code.
    pub tracking_code: String,
    /// The file's state now.
    pub file_state: String,
    /// The applicant.
    pub person_id: i64,
    /// The file's province.
    pub province_code: String,
    /// The file's county.
    pub county_code: String,
    /// `complaint` or `appeal`.
    pub kind: String,
    /// `portal`, `sms` or `desk`.
    pub channel: String,
    /// What the applicant said.
    pub body: String,
    /// `open` or `answered`.
    pub status: String,
    /// `upheld` or `dismissed`, once answered.
    pub outcome: Option<String>,
    /// The answer, once answered.
    pub answer: Option<String>,
    /// The desk clerk who filed it for the applicant.
    pub filed_by_staff_id: Option<i64>,
    /// Who answered.
    pub answered_by_staff_id: Option<i64>,
    /// The day it was filed (ISO, Tehran).
    pub filed_on: String,
    /// The last working day of its service level (ISO).
    pub due_on: String,
    /// When close of business escalated it (RFC 3339).
    pub escalated_at: Option<String>,
    /// When it was answered (RFC 3339).
    pub answered_at: Option<String>,
    /// When it was filed (RFC 3339).
    pub created_at: String,
}

const SELECT: &str = "select c.id, c.application_id, a.tracking_code, a.state as file_state, \
    c.person_id, c.province_code, c.county_code, c.kind, c.channel, c.body, c.status, \
    c.outcome, c.answer, c.filed_by_staff_id, c.answered_by_staff_id, c.filed_on, c.due_on, \
    c.escalated_at, c.answered_at, c.created_at \
    from complaint c join application a on a.id = c.application_id";

/// A complaint to write.
#[derive(Clone, Debug)]
pub struct NewComplaint<'a> {
    /// The file.
    pub application_id: i64,
    /// The applicant.
    pub person_id: i64,
    /// The file's province.
    pub province_code: &'a str,
    /// The file's county.
    pub county_code: &'a str,
    /// `complaint` or `appeal`.
    pub kind: &'a str,
    /// `portal`, `sms` or `desk`.
    pub channel: &'a str,
    /// What the applicant said.
    pub body: &'a str,
    /// The desk clerk filing it for the applicant.
    pub filed_by_staff_id: Option<i64>,
    /// Today (ISO, Tehran).
    pub filed_on: &'a str,
    /// The last working day of its service level (ISO).
    pub due_on: &'a str,
    /// Now (RFC 3339).
    pub at: &'a str,
}

/// Writes a complaint; returns its id.
pub async fn insert(tx: &mut Tx, c: &NewComplaint<'_>) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "insert into complaint (application_id, person_id, province_code, county_code, kind, \
         channel, body, filed_by_staff_id, filed_on, due_on, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) returning id",
    )
    .bind(c.application_id)
    .bind(c.person_id)
    .bind(c.province_code)
    .bind(c.county_code)
    .bind(c.kind)
    .bind(c.channel)
    .bind(c.body)
    .bind(c.filed_by_staff_id)
    .bind(c.filed_on)
    .bind(c.due_on)
    .bind(c.at)
    .fetch_one(&mut **tx)
    .await?)
}

/// One complaint by id.
pub async fn get<'e, E>(ex: E, id: i64) -> Result<Option<Complaint>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!("{SELECT} where c.id = $1"))
        .bind(id)
        .fetch_optional(ex)
        .await?)
}

/// Whose complaints a list shows.
#[derive(Clone, Debug)]
pub enum Whose<'a> {
    /// One applicant's.
    Person(i64),
    /// One county's.
    County(&'a str),
    /// One province's.
    Province(&'a str),
    /// Everyone's.
    All,
}

/// Complaints, open ones first, then newest first; at most `limit`.
pub async fn list<'e, E>(ex: E, whose: &Whose<'_>, limit: i64) -> Result<Vec<Complaint>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let order = "order by case when c.status = 'open' then 0 else 1 end, c.id desc limit $2";
    let (column, value) = match whose {
        Whose::Person(id) => ("c.person_id", id.to_string()),
        Whose::County(code) => ("c.county_code", (*code).to_string()),
        Whose::Province(code) => ("c.province_code", (*code).to_string()),
        Whose::All => ("'all'", "all".to_string()),
    };
    let sql = format!("{SELECT} where {column} = $1 {order}");
    let q = match whose {
        Whose::Person(id) => sqlx::query_as(&sql).bind(*id),
        _ => sqlx::query_as(&sql).bind(value),
    };
    Ok(q.bind(limit).fetch_all(ex).await?)
}

/// An answer to record.
#[derive(Clone, Debug)]
pub struct Answer<'a> {
    /// The complaint.
    pub id: i64,
    /// `upheld` or `dismissed`.
    pub outcome: &'a str,
    /// The answer's text.
    pub answer: &'a str,
    /// Who answered.
    pub staff_user_id: i64,
    /// Now (RFC 3339).
    pub at: &'a str,
}

/// Records the answer of an open complaint; false when it was answered already.
pub async fn answer(tx: &mut Tx, a: &Answer<'_>) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "update complaint set status = 'answered', outcome = $1, answer = $2, \
         answered_by_staff_id = $3, answered_at = $4, updated_at = $4 \
         where id = $5 and status = 'open'",
    )
    .bind(a.outcome)
    .bind(a.answer)
    .bind(a.staff_user_id)
    .bind(a.at)
    .bind(a.id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Open complaints whose service level ended before `date` (ISO) and that were not
/// escalated yet, by id.
pub async fn past_due<'e, E>(ex: E, date: &str) -> Result<Vec<Complaint>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "{SELECT} where c.status = 'open' and c.escalated_at is null and c.due_on < $1 \
         order by c.id"
    ))
    .bind(date)
    .fetch_all(ex)
    .await?)
}

/// Marks an open complaint escalated; false when it already was (or was answered).
pub async fn mark_escalated(tx: &mut Tx, id: i64, at: &str) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "update complaint set escalated_at = $1, updated_at = $1 \
         where id = $2 and status = 'open' and escalated_at is null",
    )
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the file has an appeal waiting for its answer.
pub async fn open_appeal<'e, E>(ex: E, application_id: i64) -> Result<bool, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let n: i64 = sqlx::query_scalar(
        "select count(*) from complaint where application_id = $1 and kind = 'appeal' \
         and status = 'open'",
    )
    .bind(application_id)
    .fetch_one(ex)
    .await?;
    Ok(n > 0)
}
