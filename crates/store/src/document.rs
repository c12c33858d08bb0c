//! A file's documents: uploads (the bytes live on disk, content-addressed by SHA-256; the row
//! keeps the metadata), their review, and replacing a pending or rejected upload.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::FromRow;
use vamyar_domain::vocab::DocumentStatus;
use vamyar_domain::workflow::State;

use crate::{StoreError, Tx, time};

/// The lowercase hex SHA-256 of `bytes` (the name of a stored document).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A document as stored.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Document {
    /// Id.
    pub id: i64,
    /// The file it belongs to.
    pub application_id: i64,
    /// `national_card`, `birth_certificate`, `business_plan`, …
    pub kind: String,
    /// The uploader's file name, normalised (metadata only; never a path).
    pub file_name: String,
    /// `application/pdf`, `image/jpeg` or `image/png`, found from the content.
    pub content_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// Lowercase hex SHA-256 of the content: where the bytes are stored.
    pub sha256: String,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: DocumentStatus,
    /// Why it was rejected.
    pub reason: Option<String>,
    /// The desk clerk who uploaded it.
    pub uploaded_by_staff_id: Option<i64>,
    /// The applicant who uploaded it.
    pub uploaded_by_person_id: Option<i64>,
    /// Who accepted or rejected it.
    pub reviewed_by_staff_id: Option<i64>,
    /// When it was accepted or rejected (RFC 3339).
    pub reviewed_at: Option<String>,
    /// When it was uploaded (RFC 3339).
    pub created_at: String,
}

const COLUMNS: &str = "id, application_id, kind, file_name, content_type, size_bytes, sha256, \
    status, reason, uploaded_by_staff_id, uploaded_by_person_id, reviewed_by_staff_id, \
    reviewed_at, created_at";

/// A new upload (status `pending`).
#[derive(Clone, Debug)]
pub struct NewDocument<'a> {
    /// The file.
    pub application_id: i64,
    /// Document kind.
    pub kind: &'a str,
    /// Normalised file name.
    pub file_name: &'a str,
    /// Content type found from the bytes.
    pub content_type: &'a str,
    /// Size in bytes (> 0).
    pub size_bytes: i64,
    /// Hex SHA-256 of the bytes.
    pub sha256: &'a str,
    /// Uploading desk clerk.
    pub uploaded_by_staff_id: Option<i64>,
    /// Uploading applicant.
    pub uploaded_by_person_id: Option<i64>,
}

/// Locks a file's row for the rest of the transaction (`select … for update` on PostgreSQL;
/// SQLite's `begin immediate` already holds the writer lock, see [`Tx::row_lock`]) and returns
/// its current state and version, or `None` when there is no such file. Document changes
/// lock first, so two reviews of one file cannot both miss the moment every required kind
/// is accepted.
pub async fn lock_application(
    tx: &mut Tx,
    application_id: i64,
) -> Result<Option<(State, i64)>, StoreError> {
    use sqlx::Row;
    let lock = tx.row_lock();
    let row = sqlx::query(&format!(
        "select state, version from application where id = $1{lock}"
    ))
    .bind(application_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    Ok(Some((parse_state(r.try_get(0)?)?, r.try_get(1)?)))
}

/// A file's state as stored (`application.state`), or [`StoreError::Corrupt`].
pub(crate) fn parse_state(state: String) -> Result<State, StoreError> {
    State::parse(&state).ok_or(StoreError::Corrupt {
        what: "application state",
        detail: state,
    })
}

/// Marks the file's `pending` and `rejected` documents of `kind` as `replaced` (a new upload
/// of that kind supersedes them); returns their ids.
pub async fn replace_open(
    tx: &mut Tx,
    application_id: i64,
    kind: &str,
) -> Result<Vec<i64>, StoreError> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "select id from document where application_id = $1 and kind = $2 \
         and status in ('pending', 'rejected') order by id",
    )
    .bind(application_id)
    .bind(kind)
    .fetch_all(&mut **tx)
    .await?;
    if !ids.is_empty() {
        sqlx::query(
            "update document set status = 'replaced' where application_id = $1 and kind = $2 \
             and status in ('pending', 'rejected')",
        )
        .bind(application_id)
        .bind(kind)
        .execute(&mut **tx)
        .await?;
    }
    Ok(ids)
}

/// Inserts an upload (status `pending`) and returns it.
pub async fn create(tx: &mut Tx, d: &NewDocument<'_>) -> Result<Document, StoreError> {
    let now = time::now();
    let id: i64 = sqlx::query_scalar(
        "insert into document (application_id, kind, file_name, content_type, size_bytes, sha256, \
         status, uploaded_by_staff_id, uploaded_by_person_id, created_at) \
         values ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9) returning id",
    )
    .bind(d.application_id)
    .bind(d.kind)
    .bind(d.file_name)
    .bind(d.content_type)
    .bind(d.size_bytes)
    .bind(d.sha256)
    .bind(d.uploaded_by_staff_id)
    .bind(d.uploaded_by_person_id)
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Document {
        id,
        application_id: d.application_id,
        kind: d.kind.to_string(),
        file_name: d.file_name.to_string(),
        content_type: d.content_type.to_string(),
        size_bytes: d.size_bytes,
        sha256: d.sha256.to_string(),
        status: DocumentStatus::Pending,
        reason: None,
        uploaded_by_staff_id: d.uploaded_by_staff_id,
        uploaded_by_person_id: d.uploaded_by_person_id,
        reviewed_by_staff_id: None,
        reviewed_at: None,
        created_at: now,
    })
}

/// A document by id.
pub async fn get<'e, E>(ex: E, id: i64) -> Result<Option<Document>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as(&format!("select {COLUMNS} from document where id = $1"))
            .bind(id)
            .fetch_optional(ex)
            .await?,
    )
}

/// True when some document row refers to the stored bytes `sha256`.
pub async fn sha256_in_use<'e, E>(ex: E, sha256: &str) -> Result<bool, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let n: i64 = sqlx::query_scalar("select count(*) from document where sha256 = $1")
        .bind(sha256)
        .fetch_one(ex)
        .await?;
    Ok(n > 0)
}

/// Every document of a file (replaced ones too), oldest first.
pub async fn for_application<'e, E>(ex: E, application_id: i64) -> Result<Vec<Document>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS} from document where application_id = $1 order by id"
    ))
    .bind(application_id)
    .fetch_all(ex)
    .await?)
}

/// Accepts or rejects a `pending` document (`status` is `accepted` or `rejected`); false when
/// it is no longer pending (someone decided or replaced it first).
pub async fn review(
    tx: &mut Tx,
    id: i64,
    status: &str,
    reason: Option<&str>,
    staff_id: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "update document set status = $1, reason = $2, reviewed_by_staff_id = $3, reviewed_at = $4 \
         where id = $5 and status = 'pending'",
    )
    .bind(status)
    .bind(reason)
    .bind(staff_id)
    .bind(time::now())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The kinds of a file's documents that count: each `(kind, status)` with status `pending`
/// (an upload awaiting review) or `accepted`. A required kind with neither is missing.
pub async fn document_kinds(
    tx: &mut Tx,
    application_id: i64,
) -> Result<Vec<(String, String)>, StoreError> {
    use sqlx::Row;
    let rows = sqlx::query(
        "select kind, status from document where application_id = $1 and status in ('pending', 'accepted')",
    )
    .bind(application_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter()
        .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_lowercase_hex_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
