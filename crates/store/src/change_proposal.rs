//! Change proposals: administrative acts (a quota, a staff account's role or place, a
//! program's settings, a new memorandum) that one staff member proposes and a second, with
//! the same authority, confirms or rejects. As for [`crate::proposal`], `pending_key`
//! (`<action>:<subject>`, NULL once decided) lets one act be pending once per subject, and
//! [`decide`] claims a pending proposal with a guarded update, so of two confirmations at
//! once exactly one changes the row (the other sees 0 rows).

use serde::Serialize;
use sqlx::FromRow;

use crate::{StoreError, Tx, UniqueKey};

/// One pending change proposal per act and subject.
pub const PENDING_KEY: UniqueKey = UniqueKey {
    index: "change_proposal_pending_key",
    sqlite_columns: "change_proposal.pending_key",
};

/// A change proposal as stored.
#[derive(Clone, Debug, FromRow, Serialize, PartialEq, Eq)]
pub struct ChangeProposal {
    /// Id.
    pub id: i64,
    /// `quota`, `staff_role`, `program` or `memorandum`.
    pub action: String,
    /// What it changes (`quota:3/23`, `staff:7`, `program:1`, `memorandum:new:2/1`).
    pub subject: String,
    /// The province whose authority decides (none: the national administration's).
    pub province_code: Option<String>,
    /// The request as sent (JSON text).
    pub body: String,
    /// `pending`, `confirmed`, `rejected` or `expired`.
    pub status: String,
    /// Why the proposer proposes it.
    pub reason: Option<String>,
    /// The proposer (staff id).
    pub proposed_by: i64,
    /// When it was proposed (RFC 3339; the row's `created_at`).
    pub proposed_at: String,
    /// The last day it may be confirmed (ISO).
    pub expires_on: String,
    /// Who confirmed or rejected it.
    pub decided_by: Option<i64>,
    /// When it was decided or expired (RFC 3339).
    pub decided_at: Option<String>,
    /// The decider's note.
    pub decision_note: Option<String>,
}

const COLUMNS: &str = "id, action, subject, province_code, body, status, reason, proposed_by, \
    created_at as proposed_at, expires_on, decided_by, decided_at, decision_note";

/// A change proposal to record.
#[derive(Clone, Debug)]
pub struct NewChangeProposal<'a> {
    /// `quota`, `staff_role`, `program` or `memorandum`.
    pub action: &'a str,
    /// What it changes.
    pub subject: &'a str,
    /// The province whose authority decides.
    pub province_code: Option<&'a str>,
    /// The request (JSON text).
    pub body: &'a str,
    /// Why.
    pub reason: Option<&'a str>,
    /// The proposer.
    pub proposed_by: i64,
    /// RFC 3339 instant.
    pub proposed_at: &'a str,
    /// Last day it may be confirmed (ISO).
    pub expires_on: &'a str,
}

/// Inserts a pending change proposal (`pending_key` = `<action>:<subject>`); a second pending
/// one for the same act and subject violates [`PENDING_KEY`].
pub async fn insert(tx: &mut Tx, p: &NewChangeProposal<'_>) -> Result<ChangeProposal, StoreError> {
    Ok(sqlx::query_as(&format!(
        "insert into change_proposal (action, subject, province_code, body, status, pending_key, \
         reason, proposed_by, created_at, expires_on) \
         values ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9) returning {COLUMNS}"
    ))
    .bind(p.action)
    .bind(p.subject)
    .bind(p.province_code)
    .bind(p.body)
    .bind(format!("{}:{}", p.action, p.subject))
    .bind(p.reason)
    .bind(p.proposed_by)
    .bind(p.proposed_at)
    .bind(p.expires_on)
    .fetch_one(&mut **tx)
    .await?)
}

/// A change proposal by id.
pub async fn get<'e, E>(ex: E, id: i64) -> Result<Option<ChangeProposal>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS} from change_proposal where id = $1"
    ))
    .bind(id)
    .fetch_optional(ex)
    .await?)
}

/// Every pending change proposal, oldest first (the caller keeps those it may decide).
pub async fn pending<'e, E>(ex: E) -> Result<Vec<ChangeProposal>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS} from change_proposal where status = 'pending' order by id"
    ))
    .fetch_all(ex)
    .await?)
}

/// Moves a pending change proposal still valid on `today` (ISO) to `status` (`confirmed` or
/// `rejected`); returns it when this call changed it, `None` when it was no longer pending
/// (another decision won) or has expired.
pub async fn decide(
    tx: &mut Tx,
    id: i64,
    status: &str,
    by: i64,
    at: &str,
    today: &str,
    note: Option<&str>,
) -> Result<Option<ChangeProposal>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "update change_proposal set status = $2, pending_key = null, decided_by = $3, \
         decided_at = $4, decision_note = $5 \
         where id = $1 and status = 'pending' and expires_on >= $6 returning {COLUMNS}"
    ))
    .bind(id)
    .bind(status)
    .bind(by)
    .bind(at)
    .bind(note)
    .bind(today)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Marks pending change proposals whose last day is before `today` (ISO) `expired` and
/// returns them.
pub async fn expire_before(
    tx: &mut Tx,
    today: &str,
    at: &str,
) -> Result<Vec<ChangeProposal>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "update change_proposal set status = 'expired', pending_key = null, decided_at = $2 \
         where status = 'pending' and expires_on < $1 returning {COLUMNS}"
    ))
    .bind(today)
    .bind(at)
    .fetch_all(&mut **tx)
    .await?)
}
