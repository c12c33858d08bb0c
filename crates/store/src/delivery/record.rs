//! Recording what became of a claimed batch, in one transaction and in a few statements
//! whatever its size: the messages the provider accepted (nearly all of them) in one
//! `update … from (values …)` per [`SENT_PER_STATEMENT`], the rare retries and failures one
//! by one, and the one-time codes of every message recorded scrubbed in one statement. The
//! SQLite writer is held for a handful of statements per batch, not two per message, so the
//! worker does not slow the registrations it announces.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::SCRUBBED_CODE_PAYLOAD;
use crate::{Db, StoreError, Tx, time};

/// Accepted messages recorded per statement (three parameters each).
const SENT_PER_STATEMENT: usize = 200;

/// What became of one claimed message, to be recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// The provider accepted it: `sent`, with the provider's message id and its first report.
    Sent {
        /// The provider's message id.
        provider_message_id: String,
        /// The delivery status it reported at once.
        delivery_status: Option<String>,
    },
    /// A transient failure: back to `pending` until `next_attempt_at`.
    Retry {
        /// When to try again.
        next_attempt_at: DateTime<Utc>,
        /// Why it failed.
        error: String,
    },
    /// Done without sending: `failed` (kept for staff) or `expired`.
    Final {
        /// `failed` or `expired`.
        status: &'static str,
        /// Why.
        error: String,
    },
}

/// Records what became of claimed messages `(id, record)`, all in one transaction (one disk
/// sync for a whole batch). Each update is guarded by `worker` still holding the message;
/// returns, per message, whether it was recorded (false: its lease was taken over, and the
/// new holder decides). A one-time code's message that was recorded keeps no code.
pub async fn record_all(
    db: &Db,
    worker: &str,
    provider: &str,
    records: &[(i64, Record)],
) -> Result<Vec<bool>, StoreError> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let now = time::now();
    let mut tx = db.begin().await?;
    let mut recorded: HashSet<i64> = HashSet::with_capacity(records.len());
    let sent: Vec<(i64, &str, Option<&str>)> = records
        .iter()
        .filter_map(|(id, r)| match r {
            Record::Sent {
                provider_message_id,
                delivery_status,
            } => Some((
                *id,
                provider_message_id.as_str(),
                delivery_status.as_deref(),
            )),
            _ => None,
        })
        .collect();
    for chunk in sent.chunks(SENT_PER_STATEMENT) {
        recorded.extend(record_sent(&mut tx, worker, provider, chunk, &now).await?);
    }
    for (id, record) in records {
        if record_unsent(&mut tx, *id, worker, record, &now).await? {
            recorded.insert(*id);
        }
    }
    let ids: Vec<i64> = recorded.iter().copied().collect();
    for chunk in ids.chunks(SENT_PER_STATEMENT) {
        scrub(&mut tx, chunk).await?;
    }
    tx.commit().await?;
    Ok(records
        .iter()
        .map(|(id, _)| recorded.contains(id))
        .collect())
}

/// Marks accepted messages `sent` where `worker` still holds them; returns their ids.
async fn record_sent(
    tx: &mut Tx,
    worker: &str,
    provider: &str,
    rows: &[(i64, &str, Option<&str>)],
    now: &str,
) -> Result<Vec<i64>, StoreError> {
    let values = crate::cob::value_rows(4, rows.len(), 3);
    // both engines name the columns of a `values` list column1, column2, …
    let sql = format!(
        "update outbox set status = 'sent', provider = $1, provider_message_id = v.column2, \
         delivery_status = v.column3, sent_at = $2, updated_at = $2, last_error = null, \
         locked_until = null, locked_by = null \
         from (values {values}) as v \
         where outbox.id = v.column1 and outbox.status = 'sending' and outbox.locked_by = $3 \
         returning id"
    );
    let mut q = sqlx::query_scalar(&sql)
        .bind(provider)
        .bind(now)
        .bind(worker);
    for (id, message_id, delivery) in rows {
        q = q.bind(*id).bind(*message_id).bind(*delivery);
    }
    Ok(q.fetch_all(&mut **tx).await?)
}

/// Records a retry or a final failure where `worker` still holds the message (nothing for
/// an accepted one, which [`record_sent`] wrote); true when it was recorded.
async fn record_unsent(
    tx: &mut Tx,
    id: i64,
    worker: &str,
    record: &Record,
    now: &str,
) -> Result<bool, StoreError> {
    let q = match record {
        Record::Sent { .. } => return Ok(false),
        Record::Retry {
            next_attempt_at,
            error,
        } => sqlx::query(
            "update outbox set status = 'pending', next_attempt_at = $1, last_error = $2, \
             locked_until = null, locked_by = null, updated_at = $3 \
             where id = $4 and status = 'sending' and locked_by = $5",
        )
        .bind(time::ts(*next_attempt_at))
        .bind(error),
        Record::Final { status, error } => sqlx::query(
            "update outbox set status = $1, last_error = $2, locked_until = null, \
             locked_by = null, updated_at = $3 \
             where id = $4 and status = 'sending' and locked_by = $5",
        )
        .bind(*status)
        .bind(error),
    };
    let done = q.bind(now).bind(id).bind(worker).execute(&mut **tx).await?;
    Ok(done.rows_affected() == 1)
}

/// Removes the code from the payload of the given messages that are one-time codes done
/// with (sent or given up; a retried one still needs its code).
async fn scrub(tx: &mut Tx, ids: &[i64]) -> Result<(), StoreError> {
    let sql = format!(
        "update outbox set payload = $1 where event = 'otp' \
         and status not in ('pending', 'sending') and id in ({})",
        crate::cob::placeholders(2, ids.len())
    );
    let sql = crate::cob::for_engine(tx, &sql);
    let mut q = sqlx::query(&sql).bind(SCRUBBED_CODE_PAYLOAD);
    for id in ids {
        q = q.bind(id);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}
