//! The transactional outbox: every announcement (SMS and portal inbox) is written here in the
//! same transaction as the change it announces, and delivered later by the notify worker.

use serde::Serialize;
use sqlx::FromRow;
use vamyar_domain::announcement::Announcement;
use vamyar_domain::vocab::MessageStatus;

use crate::{StoreError, Tx, time};

/// A message to queue.
#[derive(Clone, Debug)]
pub struct NewMessage<'a> {
    /// The file it is about.
    pub application_id: Option<i64>,
    /// The person it goes to.
    pub person_id: Option<i64>,
    /// Mobile, `09…`.
    pub recipient: &'a str,
    /// What it says: its kind is the outbox's `event`, and it is stored as the payload.
    pub announcement: Announcement,
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
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: MessageStatus,
    /// When it was queued.
    pub created_at: String,
}

/// Queues a message; a repeated `dedupe_key` queues nothing. Returns the id when queued.
pub async fn enqueue(tx: &mut Tx, m: &NewMessage<'_>) -> Result<Option<i64>, StoreError> {
    tx.insert_returning_id(INSERT, ONCE, row(m)).await
}

/// [`enqueue`] without the id, in a group commit with the group's other messages just before
/// the commit ([`Tx::insert_later`]); a repeated `dedupe_key` still queues nothing.
pub async fn enqueue_later(tx: &mut Tx, m: &NewMessage<'_>) -> Result<(), StoreError> {
    tx.insert_later(INSERT, ONCE, row(m)).await
}

/// A queued message's columns, in the order of [`row`] (`status` takes its default,
/// `pending`).
const INSERT: &str = "insert into outbox (event, application_id, person_id, recipient, payload, \
                      dedupe_key, next_attempt_at, expires_at, created_at, updated_at)";

/// A repeated `dedupe_key` queues nothing.
const ONCE: &str = "on conflict (dedupe_key) do nothing";

/// The values of `m`'s row, queued now.
fn row(m: &NewMessage<'_>) -> Vec<crate::Value> {
    let now = time::now();
    vec![
        m.announcement.notice.kind().into(),
        m.application_id.into(),
        m.person_id.into(),
        m.recipient.into(),
        m.announcement.to_payload().to_string().into(),
        m.dedupe_key.clone().into(),
        now.clone().into(),
        m.expires_at.clone().into(),
        now.clone().into(),
        now.into(),
    ]
}

/// Holds a queued message until `at` (RFC 3339): the worker does not send it before.
pub async fn hold_until(tx: &mut Tx, id: i64, at: &str) -> Result<(), StoreError> {
    sqlx::query("update outbox set next_attempt_at = $1 where id = $2 and status = 'pending'")
        .bind(at)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Queues many messages in a few statements (rows of at most [`BATCH`]); a repeated
/// `dedupe_key` queues nothing. Returns how many were queued.
pub async fn enqueue_many(tx: &mut Tx, messages: &[NewMessage<'_>]) -> Result<u64, StoreError> {
    let now = time::now();
    let mut queued = 0;
    for chunk in messages.chunks(BATCH) {
        // each parameter once and in order, so that SQLite binds them as anonymous ones
        // (`crate::cob::for_engine`); `status` takes its default, `pending`
        let values = crate::cob::value_rows(1, chunk.len(), 10);
        let sql = format!(
            "insert into outbox (event, application_id, person_id, recipient, payload, \
             dedupe_key, next_attempt_at, expires_at, created_at, updated_at) \
             values {values} on conflict (dedupe_key) do nothing"
        );
        let sql = crate::cob::for_engine(tx, &sql);
        let mut q = sqlx::query(&sql);
        for m in chunk {
            q = q
                .bind(m.announcement.notice.kind())
                .bind(m.application_id)
                .bind(m.person_id)
                .bind(m.recipient)
                .bind(m.announcement.to_payload().to_string())
                .bind(m.dedupe_key.clone())
                .bind(now.clone())
                .bind(m.expires_at.clone())
                .bind(now.clone())
                .bind(now.clone());
        }
        queued += q.execute(&mut **tx).await?.rows_affected();
    }
    Ok(queued)
}

/// Rows per statement of [`enqueue_many`] (10 parameters each, well inside both engines'
/// limits).
pub const BATCH: usize = 500;

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
