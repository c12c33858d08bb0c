//! Delivering the outbox: claiming due messages under a lease, recording what the provider
//! answered, polling delivery reports, the portal inbox and inbound SMS. The worker that drives
//! these lives in `vamyar-notify`; this module only speaks SQL.
//!
//! # Claims
//!
//! A message is *due* when it is `pending` with `next_attempt_at` reached, or `sending` with
//! an expired lease (its worker died or hung mid-send), and it has not expired. [`claim`]
//! marks a batch of due messages `sending`, stamps the lease (`locked_until`, `locked_by`)
//! and counts the attempt, in one statement. On PostgreSQL the inner select takes
//! `for update skip locked`, so concurrent workers in several processes never claim the same
//! row; on SQLite the statement runs inside `begin immediate` (one writer at a time). That
//! difference lives in [`claim_sql`] alone. Every later write is guarded by
//! `status = 'sending' and locked_by = <worker>`, so a worker whose lease was taken over
//! cannot overwrite the new owner's result.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::FromRow;
use vamyar_domain::vocab::MessageStatus;

use crate::{Backend, Db, StoreError, Tx, time};

/// A message claimed for sending.
#[derive(Clone, Debug, FromRow)]
pub struct Claimed {
    /// Outbox id (also the provider's local id).
    pub id: i64,
    /// What it announces.
    pub event: String,
    /// The file it is about.
    pub application_id: Option<i64>,
    /// Mobile, `09…`.
    pub recipient: String,
    /// JSON payload.
    pub payload: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
    /// After this instant the message must not be sent.
    pub expires_at: Option<String>,
}

/// The columns returned by a claim.
const CLAIMED_COLUMNS: &str = "id, event, application_id, recipient, payload, attempts, expires_at";

/// The claim statement of an engine: the only place where the engines differ.
/// `$1` now, `$2` lease end, `$3` worker id, `$4` batch size, `$5` the only event to claim
/// (empty: every event).
///
/// Two index-friendly selects (both walk `outbox_due (status, next_attempt_at)`, never the
/// sent rows): up to `$4` rows whose lease expired, and up to `$4` pending rows in the order
/// they fell due.
fn claim_sql(backend: Backend) -> String {
    let lock = match backend {
        Backend::Postgres => " for update skip locked",
        Backend::Sqlite => "",
    };
    format!(
        "update outbox set status = 'sending', locked_until = $2, locked_by = $3, \
         attempts = attempts + 1, updated_at = $1 \
         where id in (\
           select id from (select id from outbox \
             where status = 'sending' and locked_until <= $1 \
               and (expires_at is null or expires_at > $1) \
               and ($5 = '' or event = $5) \
             order by locked_until limit $4{lock}) as stale \
           union all \
           select id from (select id from outbox \
             where status = 'pending' and next_attempt_at <= $1 \
               and (expires_at is null or expires_at > $1) \
               and ($5 = '' or event = $5) \
             order by next_attempt_at, id limit $4{lock}) as due) \
         returning {CLAIMED_COLUMNS}"
    )
}

/// Marks messages past their `expires_at` that were never handed over as `expired` (they are
/// never sent: a one-time code is useless once it has expired, and its code is removed in
/// the same statement). A message whose send is in progress under a live lease is left to
/// its worker. Reads only the waiting messages (through `outbox_due`), never the sent ones.
/// Returns how many expired.
pub async fn expire_due(db: &Db, now: DateTime<Utc>) -> Result<u64, StoreError> {
    let now = time::ts(now);
    let done = sqlx::query(
        "update outbox set status = 'expired', locked_until = null, locked_by = null, \
         updated_at = $1, payload = case when event = 'otp' then $2 else payload end \
         where status in ('pending', 'sending') and expires_at <= $1 \
           and (status = 'pending' or locked_until <= $1)",
    )
    .bind(&now)
    .bind(SCRUBBED_CODE_PAYLOAD)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected())
}

/// The payload a one-time code's message keeps once it was sent, failed or expired: the code
/// itself is gone (it was only ever needed to write the SMS).
pub const SCRUBBED_CODE_PAYLOAD: &str = r#"{"code_removed":true}"#;

/// Claims due messages for `worker` until `now + lease` (see the module documentation):
/// up to `limit` pending ones in the order they fell due, and up to `limit` whose lease
/// expired. With `only_event`, only messages of that event are claimed (in quiet hours, the
/// one-time codes); the others wait, pending, for a later claim. Returned by id.
pub async fn claim(
    db: &Db,
    worker: &str,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
    only_event: Option<&str>,
) -> Result<Vec<Claimed>, StoreError> {
    let mut tx = db.begin().await?;
    let mut rows: Vec<Claimed> = sqlx::query_as(&claim_sql(db.backend()))
        .bind(time::ts(now))
        .bind(time::ts(now + lease))
        .bind(worker)
        .bind(limit)
        .bind(only_event.unwrap_or_default())
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

mod record;
pub use record::{Record, record_all};

/// Puts a `failed` message back in the queue for another round of attempts (staff retry).
/// Expired messages and one-time codes (whose code is gone) are never requeued. True when
/// it was requeued.
pub async fn requeue_failed(db: &Db, id: i64) -> Result<bool, StoreError> {
    let now = time::now();
    let done = sqlx::query(
        "update outbox set status = 'pending', attempts = 0, next_attempt_at = $1, \
         updated_at = $1 where id = $2 and status = 'failed' and event <> 'otp' \
         and (expires_at is null or expires_at > $1)",
    )
    .bind(&now)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A sent message whose delivery report is awaited.
#[derive(Clone, Debug, FromRow)]
pub struct AwaitingReport {
    /// Outbox id.
    pub id: i64,
    /// The provider's message id.
    pub provider_message_id: String,
}

/// Sent messages of `provider` not yet finally reported, sent after `sent_since` and not
/// polled since `polled_before` (their `updated_at`), oldest first.
pub async fn awaiting_report(
    db: &Db,
    provider: &str,
    sent_since: DateTime<Utc>,
    polled_before: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<AwaitingReport>, StoreError> {
    Ok(sqlx::query_as(
        "select id, provider_message_id from outbox \
         where status = 'sent' and provider = $1 and provider_message_id is not null \
           and sent_at >= $2 and updated_at <= $3 order by id limit $4",
    )
    .bind(provider)
    .bind(time::ts(sent_since))
    .bind(time::ts(polled_before))
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

/// Records a delivery report: `delivery_status` (`delivered`, `undelivered`, …; `None` when
/// the provider said nothing, which only marks the message as polled) and, when it is final,
/// the message's new status (`delivered` or `failed`).
pub async fn record_report(
    db: &Db,
    id: i64,
    delivery_status: Option<&str>,
    final_status: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "update outbox set delivery_status = coalesce($1, delivery_status), \
         status = coalesce($2, status), updated_at = $3 where id = $4 and status = 'sent'",
    )
    .bind(delivery_status)
    .bind(final_status)
    .bind(time::now())
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// A message as the portal inbox and the staff show it.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct InboxRow {
    /// Outbox id.
    pub id: i64,
    /// What it announces.
    pub event: String,
    /// The file.
    pub application_id: Option<i64>,
    /// JSON payload.
    pub payload: String,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: MessageStatus,
    /// The provider's delivery report, when there is one.
    pub delivery_status: Option<String>,
    /// When it was queued.
    pub created_at: String,
    /// When the provider accepted it.
    pub sent_at: Option<String>,
}

/// Every message to a person about their files, newest first; one-time codes are left out.
pub async fn inbox(db: &Db, person_id: i64) -> Result<Vec<InboxRow>, StoreError> {
    Ok(sqlx::query_as(
        "select id, event, application_id, payload, status, delivery_status, created_at, \
         sent_at from outbox where person_id = $1 and event <> 'otp' order by id desc",
    )
    .bind(person_id)
    .fetch_all(db.pool())
    .await?)
}

/// The messages about a file with their delivery state, oldest first; one-time codes left out.
pub async fn for_application(db: &Db, application_id: i64) -> Result<Vec<InboxRow>, StoreError> {
    Ok(sqlx::query_as(
        "select id, event, application_id, payload, status, delivery_status, created_at, \
         sent_at from outbox where application_id = $1 and event <> 'otp' order by id",
    )
    .bind(application_id)
    .fetch_all(db.pool())
    .await?)
}

/// How many messages are in each status (for metrics and the CLI).
pub async fn counts(db: &Db) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(
        sqlx::query_as("select status, count(*) from outbox group by status order by status")
            .fetch_all(db.pool())
            .await?,
    )
}

/// The hash under which an inbound sender is kept: SHA-256 of the canonical mobile, so the
/// table never holds the number in clear.
pub fn sender_hash(mobile: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"vamyar-sms-sender\0");
    h.update(mobile.as_bytes());
    hex::encode(h.finalize())
}

/// Records an inbound SMS (`body_kind`: `tracking_code`, `help`, `rate_limited`, …).
/// False when the provider's message id was seen before (a repeated webhook call).
pub async fn record_inbound(
    tx: &mut Tx,
    sender_mobile: &str,
    provider_message_id: Option<&str>,
    body_kind: &str,
) -> Result<bool, StoreError> {
    if let Some(mid) = provider_message_id {
        let seen: Option<i64> =
            sqlx::query_scalar("select id from sms_inbound where provider_message_id = $1")
                .bind(mid)
                .fetch_optional(&mut **tx)
                .await?;
        if seen.is_some() {
            return Ok(false);
        }
    }
    sqlx::query(
        "insert into sms_inbound (sender_hash, provider_message_id, body_kind, created_at) \
         values ($1, $2, $3, $4)",
    )
    .bind(sender_hash(sender_mobile))
    .bind(provider_message_id)
    .bind(body_kind)
    .bind(time::now())
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_postgres_claims_skip_locked_rows() {
        assert!(claim_sql(Backend::Postgres).contains("for update skip locked"));
        assert!(!claim_sql(Backend::Sqlite).contains("for update"));
        assert_eq!(
            claim_sql(Backend::Postgres).replace(" for update skip locked", ""),
            claim_sql(Backend::Sqlite)
        );
    }

    #[test]
    fn senders_are_hashed() {
        let h = sender_hash("09121234567");
        assert_eq!(h.len(), 64);
        assert!(!h.contains("0912"));
        assert_ne!(h, sender_hash("09121234568"));
    }
}
