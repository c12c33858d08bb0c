//! Proposals of the four-eyes rule: an act one staff member proposes and a second confirms
//! or rejects. `pending_key` (`<action>:<subject>`, NULL once decided) lets one act be
//! pending once per subject; [`decide`] claims a pending proposal with a guarded update, so
//! of two confirmations at once exactly one changes the row (the other sees 0 rows).

use serde::Serialize;
use sqlx::FromRow;

use crate::{StoreError, Tx, UniqueKey};

/// One pending proposal per act and subject.
pub const PENDING_KEY: UniqueKey = UniqueKey {
    index: "proposal_pending_key",
    sqlite_columns: "proposal.pending_key",
};

/// A proposal as stored.
#[derive(Clone, Debug, FromRow, Serialize, PartialEq, Eq)]
pub struct Proposal {
    /// Id.
    pub id: i64,
    /// `accelerate` or `reversal`.
    pub action: String,
    /// The file it concerns.
    pub application_id: i64,
    /// The payment a reversal concerns.
    pub payment_id: Option<i64>,
    /// `pending`, `confirmed`, `rejected` or `expired`.
    pub status: String,
    /// Why the proposer proposes it.
    pub reason: Option<String>,
    /// What the act carries (JSON).
    pub detail: String,
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

const COLUMNS: &str = "id, action, application_id, payment_id, status, reason, detail, \
    proposed_by, created_at as proposed_at, expires_on, decided_by, decided_at, decision_note";

/// A proposal to record.
#[derive(Clone, Debug)]
pub struct NewProposal<'a> {
    /// `accelerate` or `reversal`.
    pub action: &'a str,
    /// The file.
    pub application_id: i64,
    /// The payment (reversal).
    pub payment_id: Option<i64>,
    /// `<action>:<subject>`, unique while pending.
    pub pending_key: &'a str,
    /// Why.
    pub reason: Option<&'a str>,
    /// What the act carries (JSON text).
    pub detail: &'a str,
    /// The proposer.
    pub proposed_by: i64,
    /// RFC 3339 instant.
    pub proposed_at: &'a str,
    /// Last day it may be confirmed (ISO).
    pub expires_on: &'a str,
}

/// Inserts a pending proposal; a second pending one for the same act and subject violates
/// [`PENDING_KEY`].
pub async fn insert(tx: &mut Tx, p: &NewProposal<'_>) -> Result<Proposal, StoreError> {
    Ok(sqlx::query_as(&format!(
        "insert into proposal (action, application_id, payment_id, status, pending_key, reason, \
         detail, proposed_by, created_at, expires_on) \
         values ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $9) returning {COLUMNS}"
    ))
    .bind(p.action)
    .bind(p.application_id)
    .bind(p.payment_id)
    .bind(p.pending_key)
    .bind(p.reason)
    .bind(p.detail)
    .bind(p.proposed_by)
    .bind(p.proposed_at)
    .bind(p.expires_on)
    .fetch_one(&mut **tx)
    .await?)
}

/// A proposal by id.
pub async fn get<'e, E>(ex: E, id: i64) -> Result<Option<Proposal>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as(&format!("select {COLUMNS} from proposal where id = $1"))
            .bind(id)
            .fetch_optional(ex)
            .await?,
    )
}

/// Every pending proposal, oldest first (the caller keeps those in its scope).
pub async fn pending<'e, E>(ex: E) -> Result<Vec<Proposal>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS} from proposal where status = 'pending' order by id"
    ))
    .fetch_all(ex)
    .await?)
}

/// The proposals about a file, oldest first.
pub async fn for_application<'e, E>(ex: E, application_id: i64) -> Result<Vec<Proposal>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS} from proposal where application_id = $1 order by id"
    ))
    .bind(application_id)
    .fetch_all(ex)
    .await?)
}

/// Moves a pending proposal still valid on `today` (ISO) to `status` (`confirmed` or
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
) -> Result<Option<Proposal>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "update proposal set status = $2, pending_key = null, decided_by = $3, decided_at = $4, \
         decision_note = $5 where id = $1 and status = 'pending' and expires_on >= $6 \
         returning {COLUMNS}"
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

/// Marks pending proposals whose last day is before `today` (ISO) `expired` and returns them.
pub async fn expire_before(
    tx: &mut Tx,
    today: &str,
    at: &str,
) -> Result<Vec<Proposal>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "update proposal set status = 'expired', pending_key = null, decided_at = $2 \
         where status = 'pending' and expires_on < $1 returning {COLUMNS}"
    ))
    .bind(today)
    .bind(at)
    .fetch_all(&mut **tx)
    .await?)
}
