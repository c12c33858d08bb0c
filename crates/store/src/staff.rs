//! Staff accounts.

use crate::Flag;
use serde::Serialize;
use sqlx::FromRow;

use crate::{StoreError, Tx, UniqueKey, time};

/// The unique key on usernames.
pub const USERNAME_KEY: UniqueKey = UniqueKey {
    index: "staff_user_username_key",
    sqlite_columns: "staff_user.username",
};

/// A staff account to create; the password is already hashed (Argon2id PHC string).
#[derive(Clone, Debug)]
pub struct NewStaff {
    /// Login name, unique.
    pub username: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Display name.
    pub full_name: String,
    /// Role (API name).
    pub role: String,
    /// Province scope.
    pub province_code: Option<String>,
    /// County scope.
    pub county_code: Option<String>,
    /// Bank scope.
    pub bank_id: Option<i64>,
    /// Branch scope (optional for bank officers).
    pub branch_id: Option<i64>,
}

/// A staff account as stored.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Staff {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Argon2id PHC string (never serialised to clients).
    #[serde(skip)]
    pub password_hash: String,
    /// Display name.
    pub full_name: String,
    /// Role.
    pub role: String,
    /// Province scope.
    pub province_code: Option<String>,
    /// County scope.
    pub county_code: Option<String>,
    /// Bank scope.
    pub bank_id: Option<i64>,
    /// Branch scope.
    pub branch_id: Option<i64>,
    /// The account may log in.
    #[sqlx(try_from = "Flag")]
    pub is_active: bool,
    /// When the second factor (TOTP) was confirmed; none while not enrolled.
    #[serde(skip)]
    pub totp_enabled_at: Option<String>,
}

const COLUMNS: &str = "id, username, password_hash, full_name, role, province_code, county_code, \
                       bank_id, branch_id, is_active, totp_enabled_at";

/// The account's columns read through the alias `u`, each named `staff_…`, for a join that
/// reads an account beside another row (see [`crate::session::find_with_staff`]).
pub(crate) fn joined_columns() -> String {
    crate::cob::aliased(COLUMNS, "u", "staff_")
}

/// The account read by [`joined_columns`] from a row of an outer join: none when the row has
/// no account.
pub(crate) fn from_joined(row: &sqlx::any::AnyRow) -> Result<Option<Staff>, StoreError> {
    use sqlx::Row;
    let Some(id) = row.try_get::<Option<i64>, _>("staff_id")? else {
        return Ok(None);
    };
    Ok(Some(Staff {
        id,
        username: row.try_get("staff_username")?,
        password_hash: row.try_get("staff_password_hash")?,
        full_name: row.try_get("staff_full_name")?,
        role: row.try_get("staff_role")?,
        province_code: row.try_get("staff_province_code")?,
        county_code: row.try_get("staff_county_code")?,
        bank_id: row.try_get("staff_bank_id")?,
        branch_id: row.try_get("staff_branch_id")?,
        is_active: row.try_get::<crate::Flag, _>("staff_is_active")?.into(),
        totp_enabled_at: row.try_get("staff_totp_enabled_at")?,
    }))
}

/// Creates an account and returns its id; a taken username violates [`USERNAME_KEY`].
pub async fn create(tx: &mut Tx, s: &NewStaff) -> Result<i64, StoreError> {
    let now = time::now();
    let id: i64 = sqlx::query_scalar(
        "insert into staff_user (username, password_hash, full_name, role, province_code, \
         county_code, bank_id, branch_id, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) returning id",
    )
    .bind(&s.username)
    .bind(&s.password_hash)
    .bind(&s.full_name)
    .bind(&s.role)
    .bind(&s.province_code)
    .bind(&s.county_code)
    .bind(s.bank_id)
    .bind(s.branch_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Lets an account log in again (`active`) or not; `at` is the change's instant.
pub async fn set_active(tx: &mut Tx, id: i64, active: bool, at: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("update staff_user set is_active = $1, updated_at = $2 where id = $3")
        .bind(i64::from(active))
        .bind(at)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Changes an account's display name, role and scope (the username and password hash of
/// `s` are ignored); `at` is the change's instant.
pub async fn update(tx: &mut Tx, id: i64, s: &NewStaff, at: &str) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "update staff_user set full_name = $1, role = $2, province_code = $3, county_code = $4, \
         bank_id = $5, branch_id = $6, updated_at = $7 where id = $8",
    )
    .bind(&s.full_name)
    .bind(&s.role)
    .bind(&s.province_code)
    .bind(&s.county_code)
    .bind(s.bank_id)
    .bind(s.branch_id)
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The account with this username.
pub async fn by_username<'e, E>(ex: E, username: &str) -> Result<Option<Staff>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS} from staff_user where username = $1"
    ))
    .bind(username)
    .fetch_optional(ex)
    .await?)
}

/// The account with this id.
pub async fn by_id<'e, E>(ex: E, id: i64) -> Result<Option<Staff>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as(&format!("select {COLUMNS} from staff_user where id = $1"))
            .bind(id)
            .fetch_optional(ex)
            .await?,
    )
}

/// Every account, oldest first (for the administration's staff page).
pub async fn list<'e, E>(ex: E) -> Result<Vec<Staff>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as(&format!("select {COLUMNS} from staff_user order by id"))
            .fetch_all(ex)
            .await?,
    )
}

/// A staff account's TOTP secret (base32) and when it was put in force, if ever.
pub async fn totp(
    pool: &sqlx::AnyPool,
    id: i64,
) -> Result<(Option<String>, Option<String>), StoreError> {
    Ok(
        sqlx::query_as("select totp_secret, totp_enabled_at from staff_user where id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?
            .unwrap_or((None, None)),
    )
}

/// Stores a new, not yet confirmed, TOTP secret.
pub async fn set_totp_secret(tx: &mut Tx, id: i64, secret: &str) -> Result<(), StoreError> {
    sqlx::query("update staff_user set totp_secret = $1, totp_enabled_at = null where id = $2")
        .bind(secret)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Puts the stored TOTP secret in force.
pub async fn enable_totp(tx: &mut Tx, id: i64) -> Result<(), StoreError> {
    sqlx::query("update staff_user set totp_enabled_at = $1 where id = $2")
        .bind(time::now())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records `step` as the account's last accepted TOTP time step, only if it is later than
/// the one recorded (one conditional update: of two logins with the same code, one wins).
/// False when the step was already used (or an earlier one is offered).
pub async fn accept_totp_step<'e, E>(ex: E, id: i64, step: i64) -> Result<bool, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let done = sqlx::query(
        "update staff_user set totp_last_step = $1 \
         where id = $2 and (totp_last_step is null or totp_last_step < $1)",
    )
    .bind(step)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes the account's second factor (secret and confirmation); the last accepted step is
/// kept. The account must enrol again.
pub async fn reset_totp(tx: &mut Tx, id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "update staff_user set totp_secret = null, totp_enabled_at = null where id = $1",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
