//! Token-bucket rate limits in the `rate_limit` table, shared by every server process on the
//! same database (several `vamyar serve` behind one PostgreSQL count together).
//!
//! Each bucket is the generic cell rate algorithm (GCRA), the token bucket kept as one
//! instant: a limit of `n` per `window` refills one token every `window / n` and holds at
//! most `n`; the row stores the bucket's *theoretical arrival time* (column `window_start`)
//! — the instant at which the bucket would be full again — and `hits`, the hits allowed so
//! far. A request is allowed when that instant is at most `window - window / n` ahead of now,
//! and then moves it `window / n` later. There are no fixed windows, so no burst of `2n` at
//! a window's edge. Each [`hit`] reads and writes its row in one transaction under the row's
//! lock (SQLite's writer lock), so concurrent requests — in one process or many — can never
//! both take the last token.
//!
//! Bucket names are made with [`bucket`], which hashes everything after the limit's name:
//! the table never holds national IDs, usernames or addresses in plain text. (SHA-256 of a
//! national ID can still be brute-forced by someone holding the database; the hash keeps the
//! values out of casual view and backups, and [`purge`] removes idle buckets.)

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

/// Takes one token from `bucket` (a limit of `limit` per `window`) and says whether the
/// request is allowed; a refused request takes nothing.
pub async fn hit(
    db: &Db,
    bucket: &str,
    limit: u32,
    window: Duration,
) -> Result<Decision, StoreError> {
    let now = Utc::now();
    let interval = interval(limit, window);
    let tolerance = window - interval;
    let mut tx = db.begin().await?;
    let (tat, hits) = locked(&mut tx, bucket, now).await?;
    let tat = tat.max(now);
    if tat - now > tolerance {
        tx.commit().await?;
        let wait = tat - now - tolerance;
        return Ok(Decision {
            allowed: false,
            hits: i64::from(limit) + 1,
            retry_after_secs: ceil_secs(wait),
        });
    }
    let next = tat + interval;
    sqlx::query("update rate_limit set window_start = $1, hits = $2 where bucket = $3")
        .bind(time::ts(next))
        .bind(hits + 1)
        .bind(bucket)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let used = (next - now).num_microseconds().unwrap_or(i64::MAX);
    let per = interval.num_microseconds().unwrap_or(1).max(1);
    Ok(Decision {
        allowed: true,
        hits: (used + per - 1) / per,
        retry_after_secs: ceil_secs(interval),
    })
}

/// The refill interval of a limit: `window / limit` (at least a microsecond).
fn interval(limit: u32, window: Duration) -> Duration {
    let micros = window.num_microseconds().unwrap_or(i64::MAX) / i64::from(limit.max(1));
    Duration::microseconds(micros.max(1))
}

fn ceil_secs(d: Duration) -> u64 {
    let micros = d.num_microseconds().unwrap_or(0).max(0);
    u64::try_from((micros + 999_999) / 1_000_000)
        .unwrap_or(1)
        .max(1)
}

/// Creates the bucket if needed, locks its row and reads its instant and hits.
async fn locked(
    tx: &mut crate::Tx,
    bucket: &str,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, i64), StoreError> {
    sqlx::query(
        "insert into rate_limit (bucket, window_start, hits, created_at) values ($1, $2, 0, $2) \
         on conflict (bucket) do nothing",
    )
    .bind(bucket)
    .bind(time::ts(now))
    .execute(&mut **tx)
    .await?;
    sqlx::query("update rate_limit set hits = hits where bucket = $1")
        .bind(bucket)
        .execute(&mut **tx)
        .await?;
    let (at, hits): (String, i64) =
        sqlx::query_as("select window_start, hits from rate_limit where bucket = $1")
            .bind(bucket)
            .fetch_one(&mut **tx)
            .await?;
    let at = DateTime::parse_from_rfc3339(&at)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now);
    Ok((at, hits))
}

/// Gives back one token (never past a full bucket): a successful login does not count
/// against the limits meant for guessing, so an office behind one address is not stopped by
/// its own staff logging in.
pub async fn forgive(
    db: &Db,
    bucket: &str,
    limit: u32,
    window: Duration,
) -> Result<(), StoreError> {
    let now = Utc::now();
    let mut tx = db.begin().await?;
    let (tat, hits) = locked(&mut tx, bucket, now).await?;
    let back = (tat - interval(limit, window)).max(now);
    sqlx::query("update rate_limit set window_start = $1, hits = $2 where bucket = $3")
        .bind(time::ts(back))
        .bind((hits - 1).max(0))
        .bind(bucket)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes buckets that were full again before `before` (idle buckets); returns how many.
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
    fn intervals_split_the_window() {
        assert_eq!(interval(3, Duration::minutes(15)), Duration::minutes(5));
        assert_eq!(ceil_secs(Duration::milliseconds(1)), 1);
        assert_eq!(ceil_secs(Duration::milliseconds(1500)), 2);
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
        forgive(&t.db, "t:a", 3, w).await.unwrap();
        assert!(hit(&t.db, "t:a", 3, w).await.unwrap().allowed);
        assert!(
            !hit(&t.db, "t:a", 3, w).await.unwrap().allowed,
            "one token given back"
        );
        // a bucket idle for long is full again
        sqlx::query("update rate_limit set window_start = '2000-01-01T00:00:00.000000Z'")
            .execute(t.db.pool())
            .await
            .unwrap();
        assert_eq!(hit(&t.db, "t:a", 3, w).await.unwrap().hits, 1);
        // tokens come back one by one: moving the bucket one interval back frees one
        for _ in 0..2 {
            assert!(hit(&t.db, "t:a", 3, w).await.unwrap().allowed);
        }
        assert!(!hit(&t.db, "t:a", 3, w).await.unwrap().allowed);
        let tat: String =
            sqlx::query_scalar("select window_start from rate_limit where bucket = 't:a'")
                .fetch_one(t.db.pool())
                .await
                .unwrap();
        let earlier = DateTime::parse_from_rfc3339(&tat).unwrap() - Duration::minutes(5);
        sqlx::query("update rate_limit set window_start = $1 where bucket = 't:a'")
            .bind(time::ts(earlier.with_timezone(&Utc)))
            .execute(t.db.pool())
            .await
            .unwrap();
        assert!(
            hit(&t.db, "t:a", 3, w).await.unwrap().allowed,
            "one token refilled"
        );
        assert!(!hit(&t.db, "t:a", 3, w).await.unwrap().allowed, "only one");
        sqlx::query("update rate_limit set window_start = '2000-01-01T00:00:00.000000Z'")
            .execute(t.db.pool())
            .await
            .unwrap();
        assert_eq!(
            purge(&t.db, Utc::now() - Duration::days(1)).await.unwrap(),
            2,
            "both buckets idle since 2000"
        );
    });
}
