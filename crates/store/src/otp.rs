//! One-time login codes for applicants (`otp_challenge`), and the SMS that carries them
//! (an `outbox` row written in the same transaction, so a code is never stored without its
//! message, nor a message queued for a code that was rolled back).
//!
//! Only a salted SHA-256 of a code is stored, as `salt$hash` with a random per-challenge
//! salt: `sha256(national_id ":" code ":" salt)`. (Six digits are a small space, so the hash
//! protects a code only against a casual look at the database; codes live five minutes.)
//! Every verification attempt is counted *before* the code is compared, with a conditional
//! update, so parallel guesses cannot exceed [`MAX_ATTEMPTS`] comparisons per challenge.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sha2::{Digest, Sha256};
use sqlx::FromRow;
use vamyar_domain::announcement::{Announcement, Notice};

use crate::outbox::{self, NewMessage};
use crate::{StoreError, Tx, time};

/// How many times a challenge's code may be tried.
pub const MAX_ATTEMPTS: i64 = 5;

/// The outbox event of an SMS carrying a login code.
pub const OUTBOX_EVENT: &str = "otp";

/// A live challenge as stored.
#[derive(Clone, Debug, FromRow)]
pub struct Challenge {
    /// Id.
    pub id: i64,
    /// The person the code was sent for, or `None` for online registration.
    pub person_id: Option<i64>,
    /// The national ID (canonical).
    pub national_id: String,
    /// The mobile the code went to (canonical).
    pub mobile: String,
    /// `salt$sha256hex`.
    pub code_hash: String,
    /// Attempts made so far.
    pub attempts: i64,
    /// When the code stops working (RFC 3339).
    pub expires_at: String,
    /// `login`, or `mobile_change` (a person's own change of mobile).
    pub purpose: String,
    /// For a mobile change: the mobile to move to once the code is given.
    pub new_mobile: Option<String>,
}

/// The purpose of a login code.
pub const LOGIN: &str = "login";

/// A new random code: six digits from the thread-local CSPRNG (ChaCha, seeded by the OS).
pub fn new_code() -> String {
    let n: u32 = rand::rng().random_range(0..1_000_000);
    format!("{n:06}")
}

fn digest(national_id: &str, code: &str, salt: &str) -> String {
    let mut h = Sha256::new();
    h.update(national_id.as_bytes());
    h.update(b":");
    h.update(code.as_bytes());
    h.update(b":");
    h.update(salt.as_bytes());
    hex::encode(h.finalize())
}

/// The stored form of `code` for `national_id`, with a fresh random salt.
pub fn hash_code(national_id: &str, code: &str) -> String {
    let salt: [u8; 16] = rand::random();
    let salt = hex::encode(salt);
    format!("{salt}${}", digest(national_id, code, &salt))
}

/// True when `code` matches the stored `salt$hash`; the hashes are compared in constant time.
pub fn code_matches(stored: &str, national_id: &str, code: &str) -> bool {
    let Some((salt, expected)) = stored.split_once('$') else {
        return false;
    };
    let actual = digest(national_id, code, salt);
    constant_time_eq(actual.as_bytes(), expected.as_bytes())
}

/// Compares two byte strings without an early exit on the first difference.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Who a code is requested for.
#[derive(Clone, Debug)]
pub struct NewChallenge<'a> {
    /// The existing person, or `None` for online registration.
    pub person_id: Option<i64>,
    /// The national ID (canonical).
    pub national_id: &'a str,
    /// The mobile the code goes to (canonical).
    pub mobile: &'a str,
}

/// Creates a login challenge for a new `code` valid for `ttl` and queues its SMS in the
/// outbox. Older live login challenges of the national ID stop working (only the newest
/// code counts). Returns the challenge's id and its expiry.
pub async fn create(
    tx: &mut Tx,
    new: &NewChallenge<'_>,
    code: &str,
    ttl: Duration,
) -> Result<(i64, DateTime<Utc>), StoreError> {
    create_for(tx, new, code, ttl, LOGIN, None).await
}

/// Like [`create`] for a `purpose` (`login` or `mobile_change`, with the mobile to move to).
pub async fn create_for(
    tx: &mut Tx,
    new: &NewChallenge<'_>,
    code: &str,
    ttl: Duration,
    purpose: &str,
    new_mobile: Option<&str>,
) -> Result<(i64, DateTime<Utc>), StoreError> {
    let now = Utc::now();
    let expires = now + ttl;
    sqlx::query(
        "update otp_challenge set expires_at = $1 \
         where national_id = $2 and purpose = $3 and consumed_at is null and expires_at > $1",
    )
    .bind(time::ts(now))
    .bind(new.national_id)
    .bind(purpose)
    .execute(&mut **tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "insert into otp_challenge (person_id, national_id, mobile, code_hash, attempts, \
         expires_at, created_at, purpose, new_mobile) \
         values ($1, $2, $3, $4, 0, $5, $6, $7, $8) returning id",
    )
    .bind(new.person_id)
    .bind(new.national_id)
    .bind(new.mobile)
    .bind(hash_code(new.national_id, code))
    .bind(time::ts(expires))
    .bind(time::ts(now))
    .bind(purpose)
    .bind(new_mobile)
    .fetch_one(&mut **tx)
    .await?;
    let message = NewMessage {
        application_id: None,
        person_id: new.person_id,
        recipient: new.mobile,
        announcement: Announcement {
            tracking_code: None,
            first_name: None,
            notice: Notice::Otp {
                code: code.to_string(),
                expires_minutes: ttl.num_minutes(),
            },
        },
        dedupe_key: Some(format!("otp:{id}")),
        expires_at: Some(time::ts(expires)),
    };
    outbox::enqueue(tx, &message).await?;
    Ok((id, expires))
}

/// The newest unconsumed, unexpired login challenge of a national ID (possibly out of
/// attempts).
pub async fn latest_live(tx: &mut Tx, national_id: &str) -> Result<Option<Challenge>, StoreError> {
    latest_live_for(tx, national_id, LOGIN).await
}

/// The newest unconsumed, unexpired challenge of a national ID for `purpose`.
pub async fn latest_live_for(
    tx: &mut Tx,
    national_id: &str,
    purpose: &str,
) -> Result<Option<Challenge>, StoreError> {
    Ok(sqlx::query_as(
        "select id, person_id, national_id, mobile, code_hash, attempts, expires_at, purpose, \
         new_mobile from otp_challenge where national_id = $1 and purpose = $3 \
         and consumed_at is null and expires_at > $2 order by id desc limit 1",
    )
    .bind(national_id)
    .bind(time::now())
    .bind(purpose)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Counts one attempt on a live challenge that has attempts left; false when it has none
/// (or was consumed or expired meanwhile), and then the code must not be compared.
pub async fn count_attempt(tx: &mut Tx, id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "update otp_challenge set attempts = attempts + 1 \
         where id = $1 and consumed_at is null and expires_at > $2 and attempts < $3",
    )
    .bind(id)
    .bind(time::now())
    .bind(MAX_ATTEMPTS)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a challenge used; false when it was already used (single use).
pub async fn consume(tx: &mut Tx, id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "update otp_challenge set consumed_at = $1 where id = $2 and consumed_at is null",
    )
    .bind(time::now())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::both_engines;
    use crate::testdb::TestDb;

    #[test]
    fn codes_are_six_digits_and_hashes_are_salted() {
        for _ in 0..100 {
            let c = new_code();
            assert_eq!(c.len(), 6);
            assert!(c.bytes().all(|b| b.is_ascii_digit()));
        }
        let a = hash_code("0076229645", "123456");
        let b = hash_code("0076229645", "123456");
        assert_ne!(a, b, "a fresh salt each time");
        assert!(!a.contains("123456"));
        assert!(code_matches(&a, "0076229645", "123456"));
        assert!(!code_matches(&a, "0076229645", "123457"));
        assert!(!code_matches(&a, "0076229646", "123456"));
        assert!(!code_matches("nonsense", "0076229645", "123456"));
    }

    both_engines!(
        attempts_are_bounded_and_codes_single_use,
        |t: TestDb| async move {
            let new = NewChallenge {
                person_id: None,
                national_id: "0076229645",
                mobile: "09121234567",
            };
            let mut tx = t.db.begin().await.unwrap();
            let (old, _) = create(&mut tx, &new, "111111", Duration::minutes(5))
                .await
                .unwrap();
            let (id, _) = create(&mut tx, &new, "222222", Duration::minutes(5))
                .await
                .unwrap();
            let live = latest_live(&mut tx, "0076229645").await.unwrap().unwrap();
            assert_eq!(live.id, id, "the newer code replaces the older");
            assert_ne!(old, id);
            for _ in 0..MAX_ATTEMPTS {
                assert!(count_attempt(&mut tx, id).await.unwrap());
            }
            assert!(!count_attempt(&mut tx, id).await.unwrap());
            assert!(consume(&mut tx, id).await.unwrap());
            assert!(!consume(&mut tx, id).await.unwrap());
            assert!(latest_live(&mut tx, "0076229645").await.unwrap().is_none());
            tx.commit().await.unwrap();
            let outbox: i64 = sqlx::query_scalar("select count(*) from outbox where event = 'otp'")
                .fetch_one(t.db.pool())
                .await
                .unwrap();
            assert_eq!(outbox, 2);
        }
    );
}
