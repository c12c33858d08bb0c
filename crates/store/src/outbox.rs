//! The transactional outbox: every announcement (SMS and portal inbox) is written here in the
//! same transaction as the change it announces, and delivered later by the notify worker.

use serde::Serialize;
use sqlx::FromRow;

use crate::{StoreError, Tx, time};

/// A message to queue.
#[derive(Clone, Debug)]
pub struct NewMessage<'a> {
    /// What it announces (`registered`, `returned`, `otp`, …).
    pub event: &'a str,
    /// The file it is about.
    pub application_id: Option<i64>,
    /// The person it goes to.
    pub person_id: Option<i64>,
    /// Mobile, `09…`.
    pub recipient: &'a str,
    /// What the message text is made from (JSON).
    pub payload: serde_json::Value,
    /// A key that makes queuing the same message twice a no-op.
    pub dedupe_key: Option<String>,
    /// After this instant the message is useless (one-time codes).
    pub expires_at: Option<String>,
}

/// A queued or sent message.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Message {
    /// Id.
    pub id: i64,
    /// What it announces.
    pub event: String,
    /// The file.
    pub application_id: Option<i64>,
    /// The person.
    pub person_id: Option<i64>,
    /// Mobile.
    pub recipient: String,
    /// JSON payload.
    pub payload: String,
    /// `pending`, `sending`, `sent`, `delivered`, `failed`, `expired`.
    pub status: String,
    /// When it was queued.
    pub created_at: String,
}

/// Queues a message; a repeated `dedupe_key` queues nothing. Returns the id when queued.
pub async fn enqueue(tx: &mut Tx, m: &NewMessage<'_>) -> Result<Option<i64>, StoreError> {
    let now = time::now();
    let id: Option<i64> = sqlx::query_scalar(
        "insert into outbox (event, application_id, person_id, recipient, payload, dedupe_key, \
         status, next_attempt_at, expires_at, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $7, $7) \
         on conflict (dedupe_key) do nothing returning id",
    )
    .bind(m.event)
    .bind(m.application_id)
    .bind(m.person_id)
    .bind(m.recipient)
    .bind(m.payload.to_string())
    .bind(&m.dedupe_key)
    .bind(now)
    .bind(&m.expires_at)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(id)
}

/// The messages about a file, oldest first.
pub async fn for_application<'e, E>(ex: E, application_id: i64) -> Result<Vec<Message>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, event, application_id, person_id, recipient, payload, status, created_at \
         from outbox where application_id = $1 order by id",
    )
    .bind(application_id)
    .fetch_all(ex)
    .await?)
}
