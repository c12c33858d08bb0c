//! Login sessions (cookie), API tokens and registration sessions, stored by the SHA-256 of
//! their secret so a leaked database does not leak usable tokens.

use std::sync::LazyLock;

use sha2::{Digest, Sha256};
use sqlx::FromRow;

use crate::staff::Staff;
use crate::{Db, StoreError, Tx, time};

/// The SHA-256 of a token, hex-encoded: what is stored and looked up.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new random token: 32 bytes from the OS generator, hex-encoded (256 bits).
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

/// What a session belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A staff account.
    Staff(i64),
    /// A registered applicant.
    Person(i64),
    /// Someone who proved control of `mobile` for `national_id` but has no person yet.
    Registrant {
        /// The national ID the code was sent for.
        national_id: String,
        /// The mobile it was sent to.
        mobile: String,
    },
}

/// A live session as stored.
#[derive(Clone, Debug, FromRow)]
pub struct Session {
    /// Id.
    pub id: i64,
    /// `session`, `api_token` or `registration`.
    pub kind: String,
    /// Staff account.
    pub staff_user_id: Option<i64>,
    /// Applicant.
    pub person_id: Option<i64>,
    /// Registrant's national ID.
    pub subject_national_id: Option<String>,
    /// Registrant's mobile.
    pub subject_mobile: Option<String>,
    /// Token name (API tokens).
    pub name: Option<String>,
    /// CSRF token for forms (cookie sessions).
    pub csrf_token: Option<String>,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
}

impl Session {
    /// Who the session belongs to.
    pub fn subject(&self) -> Option<Subject> {
        match (
            self.staff_user_id,
            self.person_id,
            &self.subject_national_id,
            &self.subject_mobile,
        ) {
            (Some(id), _, _, _) => Some(Subject::Staff(id)),
            (None, Some(id), _, _) => Some(Subject::Person(id)),
            (None, None, Some(n), Some(m)) => Some(Subject::Registrant {
                national_id: n.clone(),
                mobile: m.clone(),
            }),
            _ => None,
        }
    }
}

/// Creates a session of `kind` for `subject` lasting `ttl`, and returns its secret token
/// (shown once; only its hash is stored) and id.
pub async fn create(
    tx: &mut Tx,
    kind: &str,
    subject: &Subject,
    name: Option<&str>,
    ttl: chrono::Duration,
) -> Result<(String, i64), StoreError> {
    create_until(tx, kind, subject, name, chrono::Utc::now() + ttl).await
}

/// Like [`create`], with the instant the session stops working given (so the caller can
/// tell the client exactly that instant).
pub async fn create_until(
    tx: &mut Tx,
    kind: &str,
    subject: &Subject,
    name: Option<&str>,
    expires_at: chrono::DateTime<chrono::Utc>,
) -> Result<(String, i64), StoreError> {
    let token = new_token();
    let csrf = new_token();
    let now = chrono::Utc::now();
    let (staff, person, nid, mobile) = match subject {
        Subject::Staff(id) => (Some(*id), None, None, None),
        Subject::Person(id) => (None, Some(*id), None, None),
        Subject::Registrant {
            national_id,
            mobile,
        } => (
            None,
            None,
            Some(national_id.as_str()),
            Some(mobile.as_str()),
        ),
    };
    let id: i64 = sqlx::query_scalar(
        "insert into auth_session (token_hash, kind, staff_user_id, person_id, subject_national_id, \
         subject_mobile, name, csrf_token, expires_at, last_seen_at, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) returning id",
    )
    .bind(token_hash(&token))
    .bind(kind)
    .bind(staff)
    .bind(person)
    .bind(nid)
    .bind(mobile)
    .bind(name)
    .bind(csrf)
    .bind(time::ts(expires_at))
    .bind(time::ts(now))
    .fetch_one(&mut **tx)
    .await?;
    Ok((token, id))
}

/// How long a staff login session lasts without use (OWASP ASVS 3.3.2).
pub const STAFF_IDLE_MINUTES: i64 = 30;
/// A session's last use is written at most this often (one write a minute, not per request).
pub const TOUCH_EVERY_SECS: i64 = 60;

/// A live session as found, with when it was last used.
#[derive(FromRow)]
struct Found {
    #[sqlx(flatten)]
    session: Session,
    last_seen_at: Option<String>,
}

/// The live (unexpired, unrevoked) session with this token; a staff login session idle for
/// [`STAFF_IDLE_MINUTES`] is no longer live. Its use is recorded at most once a minute: only
/// a session last seen longer ago is written (a write transaction, which on SQLite waits for
/// the one writer), so most requests only read.
pub async fn find(db: &Db, token: &str) -> Result<Option<Session>, StoreError> {
    Ok(find_with_staff(db, token)
        .await?
        .map(|(session, _)| session))
}

/// As [`find`], with the staff account of a staff session read in the same statement (every
/// staff request needs both; the account's own checks, such as `is_active`, are the caller's).
pub async fn find_with_staff(
    db: &Db,
    token: &str,
) -> Result<Option<(Session, Option<Staff>)>, StoreError> {
    let now = chrono::Utc::now();
    let idle_since = time::ts(now - chrono::Duration::minutes(STAFF_IDLE_MINUTES));
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "select s.id, s.kind, s.staff_user_id, s.person_id, s.subject_national_id, \
             s.subject_mobile, s.name, s.csrf_token, s.expires_at, s.last_seen_at, {} \
             from auth_session s left join staff_user u on u.id = s.staff_user_id \
             where s.token_hash = $1 and s.revoked_at is null and s.expires_at > $2 \
             and not (s.kind = 'session' and s.staff_user_id is not null \
                      and coalesce(s.last_seen_at, s.created_at) <= $3)",
            crate::staff::joined_columns()
        )
    });
    let row = sqlx::query(SQL.as_str())
        .bind(token_hash(token))
        .bind(time::ts(now))
        .bind(&idle_since)
        .fetch_optional(db.pool())
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let Found {
        session,
        last_seen_at,
    } = Found::from_row(&row)?;
    let staff = crate::staff::from_joined(&row)?;
    let stale = time::ts(now - chrono::Duration::seconds(TOUCH_EVERY_SECS));
    if last_seen_at.is_none_or(|seen| seen < stale) {
        let mut tx = db.begin().await?;
        sqlx::query(
            "update auth_session set last_seen_at = $1 where id = $2 \
             and (last_seen_at is null or last_seen_at < $3)",
        )
        .bind(time::ts(now))
        .bind(session.id)
        .bind(&stale)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
    Ok(Some((session, staff)))
}

/// Revokes one session; true when it was live.
pub async fn revoke(tx: &mut Tx, id: i64) -> Result<bool, StoreError> {
    let done =
        sqlx::query("update auth_session set revoked_at = $1 where id = $2 and revoked_at is null")
            .bind(time::now())
            .bind(id)
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// An API token as listed to its owner (never the secret).
#[derive(Clone, Debug, FromRow)]
pub struct ApiToken {
    /// Id.
    pub id: i64,
    /// The owner's name for it.
    pub name: Option<String>,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
    /// When it was last used, if recorded (RFC 3339).
    pub last_seen_at: Option<String>,
}

/// The live API tokens of a staff account, newest first.
pub async fn api_tokens_of<'e, E>(ex: E, staff_user_id: i64) -> Result<Vec<ApiToken>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, name, created_at, expires_at, last_seen_at from auth_session \
         where staff_user_id = $1 and kind = 'api_token' and revoked_at is null \
         and expires_at > $2 order by id desc",
    )
    .bind(staff_user_id)
    .bind(time::now())
    .fetch_all(ex)
    .await?)
}

/// Revokes one live API token of a staff account; false when the account has no such live
/// token (another account's token is not touched).
pub async fn revoke_api_token(
    tx: &mut Tx,
    staff_user_id: i64,
    id: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "update auth_session set revoked_at = $1 \
         where id = $2 and staff_user_id = $3 and kind = 'api_token' and revoked_at is null \
         and expires_at > $1",
    )
    .bind(time::now())
    .bind(id)
    .bind(staff_user_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
