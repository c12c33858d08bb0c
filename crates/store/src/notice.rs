//! Notices to staff on the desk (`staff_notice`): a stage past its service level, a stage past
//! twice its level, and the morning digest of a county's breaches. Written by close of
//! business, read and marked read by the person they are addressed to. Each has a dedupe key,
//! so a repeated run adds nothing.

use serde::Serialize;
use sqlx::{FromRow, Row};

use crate::cob::placeholders;
use crate::{StoreError, Tx, time};

/// A notice as stored.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct StaffNotice {
    /// Id.
    pub id: i64,
    /// `breach`, `escalation` or `digest`.
    pub kind: String,
    /// The file it is about (breach, escalation).
    pub application_id: Option<i64>,
    /// The stage (state name) that passed its level.
    pub stage: Option<String>,
    /// JSON: what the notice's text needs (tracking code, days, counts, the county's files).
    pub detail: String,
    /// When it was read (RFC 3339), if it was.
    pub read_at: Option<String>,
    /// When it was written (RFC 3339).
    pub created_at: String,
}

/// A notice to write.
#[derive(Clone, Debug)]
pub struct NewNotice<'a> {
    /// To whom.
    pub staff_user_id: i64,
    /// `breach`, `escalation` or `digest`.
    pub kind: &'a str,
    /// The file.
    pub application_id: Option<i64>,
    /// The stage.
    pub stage: Option<&'a str>,
    /// JSON detail.
    pub detail: String,
    /// Unique per notice and person: writing it again does nothing.
    pub dedupe_key: String,
}

/// Writes a notice unless one with its dedupe key exists; true when written.
pub async fn add(tx: &mut Tx, n: &NewNotice<'_>) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "insert into staff_notice (staff_user_id, kind, application_id, stage, detail, \
         dedupe_key, created_at) values ($1, $2, $3, $4, $5, $6, $7) \
         on conflict (dedupe_key) do nothing",
    )
    .bind(n.staff_user_id)
    .bind(n.kind)
    .bind(n.application_id)
    .bind(n.stage)
    .bind(&n.detail)
    .bind(&n.dedupe_key)
    .bind(time::now())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A person's latest notices, newest first.
pub async fn of_staff<'e, E>(
    ex: E,
    staff_user_id: i64,
    limit: i64,
) -> Result<Vec<StaffNotice>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, kind, application_id, stage, detail, read_at, created_at from staff_notice \
         where staff_user_id = $1 order by id desc limit $2",
    )
    .bind(staff_user_id)
    .bind(limit)
    .fetch_all(ex)
    .await?)
}

/// How many of a person's notices are unread.
pub async fn unread<'e, E>(ex: E, staff_user_id: i64) -> Result<i64, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_scalar(
        "select count(*) from staff_notice where staff_user_id = $1 and read_at is null",
    )
    .bind(staff_user_id)
    .fetch_one(ex)
    .await?)
}

/// Marks a person's unread notices up to `through_id` read; returns how many.
pub async fn mark_read(
    tx: &mut Tx,
    staff_user_id: i64,
    through_id: i64,
) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "update staff_notice set read_at = $1 \
         where staff_user_id = $2 and id <= $3 and read_at is null",
    )
    .bind(time::now())
    .bind(staff_user_id)
    .bind(through_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// An open stage past its level, with what addressing its notices needs.
#[derive(Clone, Debug, FromRow)]
pub struct LateStage {
    /// The stage interval.
    pub id: i64,
    /// The file.
    pub application_id: i64,
    /// The file's tracking code.
    pub tracking_code: String,
    /// The stage (state name).
    pub state: String,
    /// Its level in working days.
    pub target_working_days: Option<i64>,
    /// Its due date (ISO).
    pub due_on: Option<String>,
    /// The file's province.
    pub province_code: String,
    /// The file's county.
    pub county_code: String,
    /// The bank of the file's referral.
    pub bank_id: Option<i64>,
    /// The branch of the file's referral.
    pub branch_id: Option<i64>,
}

const LATE: &str = "select s.id, s.application_id, a.tracking_code, s.state, \
    s.target_working_days, s.due_on, a.province_code, a.county_code, a.bank_id, a.branch_id \
    from stage_timing s join application a on a.id = s.application_id";

/// The given stage intervals with their files, by id, while open and flagged breached.
pub async fn late_stages<'e, E>(ex: E, ids: &[i64]) -> Result<Vec<LateStage>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{LATE} where s.id in ({}) and s.ended_at is null and s.is_breached = 1 order by s.id",
        placeholders(1, ids.len())
    );
    let mut q = sqlx::query_as(&sql);
    for id in ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(ex).await?)
}

/// Records the day a breached stage passes twice its level.
pub async fn set_escalate_on(tx: &mut Tx, stage_id: i64, date: &str) -> Result<(), StoreError> {
    sqlx::query("update stage_timing set escalate_on = $1 where id = $2 and escalated_at is null")
        .bind(date)
        .bind(stage_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Open stages that passed twice their level before `date` (ISO) and were not escalated yet.
pub async fn escalations_due<'e, E>(ex: E, date: &str) -> Result<Vec<LateStage>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let sql = format!(
        "{LATE} where s.ended_at is null and s.escalated_at is null \
         and s.escalate_on is not null and s.escalate_on < $1 order by s.id"
    );
    Ok(sqlx::query_as(&sql).bind(date).fetch_all(ex).await?)
}

/// Marks a stage escalated; false when it already was (or has ended).
pub async fn mark_escalated(tx: &mut Tx, stage_id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "update stage_timing set escalated_at = $1 \
         where id = $2 and escalated_at is null and ended_at is null",
    )
    .bind(time::now())
    .bind(stage_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Who to tell: active accounts with `role` where the file is. County roles by county,
/// province administrators by province, bank officers by the referral's bank (and its branch,
/// for an officer tied to one). Ids with their mobiles, by id.
pub async fn recipients<'e, E>(
    ex: E,
    role: &str,
    stage: &LateStage,
) -> Result<Vec<(i64, Option<String>)>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let base = "select id, mobile from staff_user where is_active = 1 and role = $1";
    let (sql, place) = match role {
        "province_admin" => (
            format!("{base} and province_code = $2 order by id"),
            stage.province_code.clone(),
        ),
        "bank_officer" => (
            format!(
                "{base} and bank_id = $2 and (branch_id is null or branch_id = $3) order by id"
            ),
            String::new(),
        ),
        _ => (
            format!("{base} and county_code = $2 order by id"),
            stage.county_code.clone(),
        ),
    };
    let q = sqlx::query(&sql).bind(role);
    let q = if role == "bank_officer" {
        q.bind(stage.bank_id.unwrap_or(-1))
            .bind(stage.branch_id.unwrap_or(-1))
    } else {
        q.bind(place)
    };
    let rows = q.fetch_all(ex).await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// A county's open files past their stage's level.
#[derive(Clone, Debug)]
pub struct CountyBreaches {
    /// The county.
    pub county_code: String,
    /// How many.
    pub files: i64,
    /// The files' tracking codes, longest late first (at most 20).
    pub tracking_codes: Vec<String>,
}

/// Every county with open files past their stage's level, by county code.
pub async fn county_breaches<'e, E>(ex: E) -> Result<Vec<CountyBreaches>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query(
        "select county_code, tracking_code from application \
         where is_breached = 1 and state not in ('rejected', 'withdrawn', 'closed') \
         order by county_code, state_changed_at, id",
    )
    .fetch_all(ex)
    .await?;
    let mut out: Vec<CountyBreaches> = Vec::new();
    for r in rows {
        let county: String = r.try_get(0)?;
        let code: String = r.try_get(1)?;
        match out.last_mut() {
            Some(c) if c.county_code == county => {
                c.files += 1;
                if c.tracking_codes.len() < 20 {
                    c.tracking_codes.push(code);
                }
            }
            _ => out.push(CountyBreaches {
                county_code: county,
                files: 1,
                tracking_codes: vec![code],
            }),
        }
    }
    Ok(out)
}

/// Active office heads of a county: ids with their mobiles.
pub async fn office_heads<'e, E>(
    ex: E,
    county_code: &str,
) -> Result<Vec<(i64, Option<String>)>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query(
        "select id, mobile from staff_user where is_active = 1 and role = 'office_head' \
         and county_code = $1 order by id",
    )
    .bind(county_code)
    .fetch_all(ex)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}
