//! The steps of a close-of-business run, as SQL. Each step has a read that lists its work
//! through an indexed predicate (ids, ascending) and a write for one batch of those ids that
//! re-checks the predicate, so that a batch repeated after a crash, or raced by a payment,
//! changes only what still needs changing.
//!
//! Installment statuses as stored: `pending` (not paid, not yet overdue; shown as `due` once
//! its due date has come, which is not stored: migration 0025), `overdue` (unpaid after its
//! days of grace), `paid`.

use chrono::NaiveDate;
use vamyar_domain::announcement::{Announcement, Notice};

use super::placeholders;
use crate::outbox::{self, NewMessage};
use crate::{Backend, Db, StoreError, Tx, time};

/// Ids in ascending order. The reads below have no `order by`: with one, SQLite prefers to
/// scan the whole table in id order over searching the partial index and sorting.
fn sorted(mut ids: Vec<i64>) -> Result<Vec<i64>, StoreError> {
    ids.sort_unstable();
    Ok(ids)
}

/// Pending installments due before `cutoff` (ISO): past their days of grace, they become
/// `overdue`. (A pending installment whose due date has come is due; that is not stored,
/// migration 0025.)
///
/// PostgreSQL's planner cannot know that pending installments are (almost all) due in the
/// future: it multiplies the share of `pending` rows by the share of dates up to `cutoff` and
/// expects millions of rows, so it would scan the whole table (or bitmap-scan every unpaid
/// installment due by then). The read runs with sequential and bitmap scans (and JIT) turned
/// off for its own transaction, which makes it walk the partial index on `(status, due_on,
/// id)`, whose `pending … < cutoff` range holds exactly the rows wanted.
pub async fn pending_before(db: &Db, cutoff: &str) -> Result<Vec<i64>, StoreError> {
    let sql = "select id from installment where status <> 'paid' and status = 'pending' \
               and due_on < $1";
    let ids = match db.backend() {
        Backend::Sqlite => {
            sqlx::query_scalar(sql)
                .bind(cutoff)
                .fetch_all(db.pool())
                .await?
        }
        Backend::Postgres => {
            let mut tx = db.pool().begin().await?;
            for setting in [
                "set local enable_seqscan = off",
                "set local enable_bitmapscan = off",
                "set local jit = off",
            ] {
                sqlx::query(setting).execute(&mut *tx).await?;
            }
            let ids = sqlx::query_scalar(sql)
                .bind(cutoff)
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            ids
        }
    };
    sorted(ids)
}

/// How many unpaid installments, not overdue, fall due on `date` (ISO): those that became due
/// on the date (nothing is written for it).
pub async fn falling_due_on<'e, E>(ex: E, date: &str) -> Result<u64, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let n: i64 = sqlx::query_scalar(
        "select count(*) from installment where status <> 'paid' and status = 'pending' \
         and due_on = $1",
    )
    .bind(date)
    .fetch_one(ex)
    .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Marks the given installments `overdue` if they are still pending and due before `cutoff`;
/// returns the ids that changed (those get an overdue notice).
pub async fn mark_overdue(tx: &mut Tx, cutoff: &str, ids: &[i64]) -> Result<Vec<i64>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "update installment set status = 'overdue', updated_at = $1 \
         where status = 'pending' and due_on < $2 and id in ({}) returning id",
        placeholders(3, ids.len())
    );
    let sql = crate::cob::for_engine(tx, &sql);
    let mut q = sqlx::query_scalar(&sql).bind(time::now()).bind(cutoff);
    for id in ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(&mut **tx).await?)
}

/// Unpaid installments falling due on `date` exactly (reminders go out three days before),
/// through the partial index on open installments by status and due date: one range per
/// unpaid status (migrations 0024, 0025). `status <> 'paid'` stays in the condition because
/// SQLite uses a partial index only when the query names its condition.
pub async fn unpaid_due_on<'e, E>(ex: E, date: &str) -> Result<Vec<i64>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sorted(
        sqlx::query_scalar(
            "select id from installment where status <> 'paid' \
             and status in ('pending', 'overdue') and due_on = $1",
        )
        .bind(date)
        .fetch_all(ex)
        .await?,
    )
}

/// Queues one message per given unpaid installment to the applicant's mobile, keyed
/// `<key_prefix>:<installment id>` so that queuing it again is a no-op; `notice` makes the
/// message from the amount still owed on the installment and its due date
/// ([`Notice::reminder`], [`Notice::overdue`]). Returns how many were queued now.
pub async fn queue_installment_messages(
    tx: &mut Tx,
    notice: fn(i64, NaiveDate) -> Notice,
    key_prefix: &str,
    ids: &[i64],
) -> Result<u64, StoreError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "select i.id, a.id, p.id, p.mobile, a.tracking_code, i.due_on, \
         i.principal_due + i.fee_due + i.late_charge_due \
            - i.principal_paid - i.fee_paid - i.late_charge_paid \
         from installment i join loan l on l.id = i.loan_id \
         join application a on a.id = l.application_id join person p on p.id = a.person_id \
         where i.status <> 'paid' and i.id in ({}) order by i.id",
        placeholders(1, ids.len())
    );
    let sql = crate::cob::for_engine(tx, &sql);
    let mut q = sqlx::query_as::<_, (i64, i64, i64, String, String, String, i64)>(&sql);
    for id in ids {
        q = q.bind(id);
    }
    let rows = q.fetch_all(&mut **tx).await?;
    let mut messages = Vec::with_capacity(rows.len());
    for (installment_id, application_id, person_id, mobile, tracking_code, due_on, owed) in &rows {
        let due_on =
            NaiveDate::parse_from_str(due_on, "%Y-%m-%d").map_err(|_| StoreError::Corrupt {
                what: "installment due date",
                detail: due_on.clone(),
            })?;
        messages.push(NewMessage {
            application_id: Some(*application_id),
            person_id: Some(*person_id),
            recipient: mobile,
            announcement: Announcement {
                tracking_code: Some(tracking_code.clone()),
                first_name: None,
                notice: notice(*owed, due_on),
            },
            dedupe_key: Some(format!("{key_prefix}:{installment_id}")),
            expires_at: None,
        });
    }
    outbox::enqueue_many(tx, &messages).await
}

/// Loans recorded as in arrears (bucket other than `current`), by id.
pub async fn loans_in_arrears<'e, E>(ex: E) -> Result<Vec<i64>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sorted(
        sqlx::query_scalar("select id from loan where arrears_bucket <> 'current'")
            .fetch_all(ex)
            .await?,
    )
}

/// Open stage intervals owned by the agency or a bank whose due date is before `date` and
/// that are not yet flagged: their service level is breached.
pub async fn breached_stages<'e, E>(ex: E, date: &str) -> Result<Vec<i64>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sorted(
        sqlx::query_scalar(
            "select id from stage_timing where ended_at is null and due_on < $1 \
         and is_breached = 0 and owner in ('agency', 'bank')",
        )
        .bind(date)
        .fetch_all(ex)
        .await?,
    )
}

/// Flags the given stage intervals and their files as breached; returns the ids of the files
/// newly flagged.
pub async fn flag_breaches(tx: &mut Tx, ids: &[i64]) -> Result<Vec<i64>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = placeholders(1, ids.len());
    let sql = format!(
        "update stage_timing set is_breached = 1 \
         where ended_at is null and is_breached = 0 and id in ({list}) returning application_id"
    );
    let sql = crate::cob::for_engine(tx, &sql);
    let mut q = sqlx::query_scalar(&sql);
    for id in ids {
        q = q.bind(id);
    }
    let mut apps: Vec<i64> = q.fetch_all(&mut **tx).await?;
    apps.sort_unstable();
    apps.dedup();
    if apps.is_empty() {
        return Ok(apps);
    }
    let sql = format!(
        "update application set is_breached = 1, updated_at = $1 \
         where is_breached = 0 and id in ({}) returning id",
        placeholders(2, apps.len())
    );
    let sql = crate::cob::for_engine(tx, &sql);
    let mut q = sqlx::query_scalar(&sql).bind(time::now());
    for id in &apps {
        q = q.bind(id);
    }
    let mut flagged: Vec<i64> = q.fetch_all(&mut **tx).await?;
    flagged.sort_unstable();
    Ok(flagged)
}

/// Files whose referral letter is still open (or awaiting guarantees) after its validity
/// ended before `date`, by file id.
pub async fn expired_referrals<'e, E>(ex: E, date: &str) -> Result<Vec<i64>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sorted(
        sqlx::query_scalar(
            "select distinct application_id from referral \
         where status in ('open', 'guarantees_pending') and valid_until < $1",
        )
        .bind(date)
        .fetch_all(ex)
        .await?,
    )
}
