//! Fixed-window rate-limit counters in the `rate_limit` table, shared by every server process
//! on the same database (several `vamyar serve` behind one PostgreSQL count together).
//!
//! A bucket is one row: the start of its current window and the hits counted in it. Each
//! [`hit`] is a single atomic upsert, so concurrent requests — in one process or many — can
//! never both see the last free slot. Windows are aligned to multiples of their length since
//! the Unix epoch, so every process computes the same window for the same instant.
//!
//! Bucket names are made with [`bucket`], which hashes everything after the limit's name:
//! the table never holds national IDs, usernames or addresses in plain text. (SHA-256 of a
//! national ID can still be brute-forced by someone holding the database; the hash keeps the
//! values out of casual view and backups, the rows are reset every window, and [`purge`]
//! removes idle ones.)

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use crate::{Db, StoreError, time};

/// The answer of the limiter for one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    /// True when the request is within the limit (and was counted).
    pub allowed: bool,
    /// Hits counted in the current window, this one included.
    pub hits: i64,
    /// Seconds until the current window ends (at least 1): the `Retry-After` of a refusal.
    pub retry_after_secs: u64,
}

/// The name of a bucket: the limit's name in clear (for operators), then the SHA-256 of the
/// limit's name and the parts, so accounts and addresses are not stored in plain text.
pub fn bucket(limit_name: &str, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(limit_name.as_bytes());
    for p in parts {
        h.update([0u8]);
        h.update(p.as_bytes());
    }
    format!("{limit_name}:{}", hex::encode(&h.finalize()[..16]))
}

/// The start of the fixed window of length `window` that contains `now`.
pub fn window_start(now: DateTime<Utc>, window: Duration) -> DateTime<Utc> {
    let len = window.num_seconds().max(1);
    let start = now.timestamp().div_euclid(len) * len;
    DateTime::from_timestamp(start, 0).unwrap_or(now)
}

/// Counts one hit in `bucket` and says whether it stays within `limit` hits per `window`.
///
/// One statement on both engines: insert the bucket, or add one to it when its stored window
/// is the current one (a stored window from an earlier period restarts at 1). A window
/// stored by a process whose clock runs ahead is kept, never moved back.
pub async fn hit(
    db: &Db,
    bucket: &str,
    limit: u32,
    window: Duration,
) -> Result<Decision, StoreError> {
    let now = Utc::now();
    let start = window_start(now, window);
    let hits: i64 = sqlx::query_scalar(
        "insert into rate_limit (bucket, window_start, hits, created_at) values ($1, $2, 1, $3) \
         on conflict (bucket) do update set \
           hits = case when rate_limit.window_start >= excluded.window_start \
                  then rate_limit.hits + 1 else 1 end, \
           window_start = case when rate_limit.window_start >= excluded.window_start \
                  then rate_limit.window_start else excluded.window_start end \
         returning hits",
    )
    .bind(bucket)
    .bind(time::ts(start))
    .bind(time::ts(now))
    .fetch_one(db.pool())
    .await?;
    let ends = start + window;
    let retry_after_secs = u64::try_from((ends - now).num_seconds())
        .unwrap_or(0)
        .max(1);
    Ok(Decision {
        allowed: hits <= i64::from(limit),
        hits,
        retry_after_secs,
    })
}

/// Takes back one hit of the current window (never below zero): a successful login does not
/// count against the limits meant for guessing, so an office behind one address is not
/// stopped by its own staff logging in.
pub async fn forgive(db: &Db, bucket: &str, window: Duration) -> Result<(), StoreError> {
    let start = window_start(Utc::now(), window);
    sqlx::query(
        "update rate_limit set hits = hits - 1 \
         where bucket = $1 and window_start = $2 and hits > 0",
    )
    .bind(bucket)
    .bind(time::ts(start))
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Deletes buckets whose window started before `before` (idle buckets); returns how many.
pub async fn purge(db: &Db, before: DateTime<Utc>) -> Result<u64, StoreError> {
    let done = sqlx::query("delete from rate_limit where window_start < $1")
        .bind(time::ts(before))
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::both_engines;
    use crate::testdb::TestDb;

    #[test]
    fn buckets_hide_their_parts_and_differ_by_part() {
        let b = bucket("otp_sms", &["0076229645", "09121234567"]);
        assert!(b.starts_with("otp_sms:"));
        assert!(!b.contains("0076229645"));
        assert_ne!(b, bucket("otp_sms", &["0076229645", "09121234568"]));
        assert_ne!(bucket("x", &["ab", "c"]), bucket("x", &["a", "bc"]));
    }

    #[test]
    fn windows_are_aligned() {
        let at = DateTime::from_timestamp(1_000_000_123, 0).unwrap();
        let start = window_start(at, Duration::minutes(15));
        assert_eq!(start.timestamp() % 900, 0);
        assert!(start <= at && at < start + Duration::minutes(15));
    }

    both_engines!(hits_are_counted_up_to_the_limit, |t: TestDb| async move {
        let w = Duration::minutes(15);
        for n in 1..=3 {
            let d = hit(&t.db, "t:a", 3, w).await.unwrap();
            assert!(d.allowed, "hit {n}");
            assert_eq!(d.hits, n);
        }
        let d = hit(&t.db, "t:a", 3, w).await.unwrap();
        assert!(!d.allowed);
        assert!(d.retry_after_secs >= 1 && d.retry_after_secs <= 900);
        assert!(hit(&t.db, "t:b", 3, w).await.unwrap().allowed, "own bucket");
        forgive(&t.db, "t:a", w).await.unwrap();
        forgive(&t.db, "t:a", w).await.unwrap();
        assert!(hit(&t.db, "t:a", 3, w).await.unwrap().allowed);
        // an old window restarts at one
        sqlx::query("update rate_limit set window_start = '2000-01-01T00:00:00.000000Z'")
            .execute(t.db.pool())
            .await
            .unwrap();
        assert_eq!(hit(&t.db, "t:a", 3, w).await.unwrap().hits, 1);
        assert_eq!(
            purge(&t.db, Utc::now() - Duration::days(1)).await.unwrap(),
            1
        );
    });
}
