//! Named leases in the `lease` table, so that background work shared by several server
//! processes runs in one of them at a time. A lease is taken when it is free or expired,
//! renewed by its holder while the work goes on, and released (expired) when it is done.
//! A holder that dies simply lets its lease expire.

use chrono::{Duration, Utc};

use crate::{Db, StoreError, time};

/// Takes the lease `name` for `holder` until `ttl` from now, when it is free, expired or
/// already held by `holder`. Returns true when `holder` now holds it.
pub async fn acquire(db: &Db, name: &str, holder: &str, ttl: Duration) -> Result<bool, StoreError> {
    let now = Utc::now();
    let mut tx = db.begin().await?;
    let got: Option<String> = sqlx::query_scalar(
        "insert into lease (name, holder, expires_at, created_at) values ($1, $2, $3, $4) \
         on conflict (name) do update set holder = excluded.holder, \
         expires_at = excluded.expires_at \
         where lease.expires_at < $4 or lease.holder = excluded.holder \
         returning holder",
    )
    .bind(name)
    .bind(holder)
    .bind(time::ts(now + ttl))
    .bind(time::ts(now))
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(got.as_deref() == Some(holder))
}

/// Extends a lease that `holder` still holds; false when it was lost (expired and taken).
pub async fn renew(db: &Db, name: &str, holder: &str, ttl: Duration) -> Result<bool, StoreError> {
    let mut tx = db.begin().await?;
    let done = sqlx::query("update lease set expires_at = $3 where name = $1 and holder = $2")
        .bind(name)
        .bind(holder)
        .bind(time::ts(Utc::now() + ttl))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// Gives a lease back (it expires now) if `holder` holds it.
pub async fn release(db: &Db, name: &str, holder: &str) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    sqlx::query("update lease set expires_at = $3 where name = $1 and holder = $2")
        .bind(name)
        .bind(holder)
        .bind(time::ts(Utc::now() - Duration::seconds(1)))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The holder of a lease that has not expired, if any.
pub async fn holder(db: &Db, name: &str) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("select holder from lease where name = $1 and expires_at >= $2")
            .bind(name)
            .bind(time::now())
            .fetch_optional(db.pool())
            .await?,
    )
}
