//! Secrets of the installation (`installation_secret`): 32 random bytes per name, made by the
//! first server that asks and then shared by every server process of the installation.

use rand::RngCore;

use crate::{Db, StoreError, time};

/// The key of the permutation that turns a file's id into its tracking code.
pub const TRACKING_CODE: &str = "tracking_code";

/// The key from which referral letters' verification codes are derived
/// (`VerificationCode::derive`).
pub const LETTER_VERIFICATION: &str = "letter_verification";

/// The secret `name`, made now if the installation has none yet (two servers asking at once
/// both read the one that was stored first).
pub async fn get_or_create(db: &Db, name: &str) -> Result<[u8; 32], StoreError> {
    let mut fresh = [0u8; 32];
    rand::rng().fill_bytes(&mut fresh);
    let mut tx = db.begin().await?;
    sqlx::query(
        "insert into installation_secret (name, value, created_at) values ($1, $2, $3) \
         on conflict (name) do nothing",
    )
    .bind(name)
    .bind(hex::encode(fresh))
    .bind(time::now())
    .execute(&mut *tx)
    .await?;
    let value: String = sqlx::query_scalar("select value from installation_secret where name = $1")
        .bind(name)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    let mut key = [0u8; 32];
    hex::decode_to_slice(value.trim(), &mut key).map_err(|e| StoreError::Corrupt {
        what: "installation_secret.value",
        detail: format!("{name}: {e}"),
    })?;
    Ok(key)
}
