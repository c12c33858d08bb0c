//! Sealing: giving committed audit rows their place in the chain.

use super::read::{STORED_COLUMNS, StoredRow};
use super::{GENESIS_HASH, Head, row_hash};
use crate::{Backend, Db, StoreError, Tx, time};

/// How many rows [`seal_all`] seals per transaction.
pub const SEAL_BATCH_ROWS: u32 = 1_000;

/// Seals up to `max_rows` (at least 1) committed unsealed rows and returns how many it sealed.
///
/// In one transaction: locks the head (`select … for update` on PostgreSQL; on SQLite the
/// write lock that [`Db::begin`] takes), creating it on the first seal; reads the unsealed
/// rows by `id`; gives each the next `seq` after the head, the previous hash as `prev_hash`
/// and its [`row_hash`]; stores them and the new head; commits. One sealer runs at a time,
/// whatever the number of processes. A row whose transaction commits after a later row was
/// sealed is sealed in a later batch, after it: the chain is in the order of sealing.
///
/// Fails, sealing nothing, when the head is missing although rows are sealed (the head was
/// deleted: `verify` reports it), rather than start the chain again.
pub async fn seal(db: &Db, max_rows: u32) -> Result<u64, StoreError> {
    // nothing to do: no lock taken (the common case on an idle server)
    let any: Option<i64> =
        sqlx::query_scalar("select id from audit_log where seq is null order by id limit 1")
            .fetch_optional(db.pool())
            .await?;
    if any.is_none() {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    let head = match lock_head(&mut tx, db.backend()).await? {
        Some(head) => head,
        None => create_head(&mut tx, db.backend()).await?,
    };
    let rows: Vec<StoredRow> = sqlx::query_as(&format!(
        "select {STORED_COLUMNS} from audit_log where seq is null order by id limit $1"
    ))
    .bind(i64::from(max_rows.max(1)))
    .fetch_all(&mut *tx)
    .await?;
    let (mut seq, mut prev_hash) = (head.seq, head.hash);
    let mut links = Vec::with_capacity(rows.len());
    for stored in &rows {
        seq += 1;
        let mut row = stored.chained(seq, &prev_hash);
        row.hash = row_hash(&row);
        prev_hash = row.hash.clone();
        links.push(Link {
            id: stored.id,
            seq: row.seq,
            prev_hash: row.prev_hash,
            hash: row.hash,
        });
    }
    let stored = store_links(&mut tx, db.backend(), &links).await?;
    if stored != links.len() as u64 {
        // only a sealer writes seq, and it holds the head: a second one cannot be here
        return Err(StoreError::Corrupt {
            what: "audit_log",
            detail: format!(
                "{} of {} rows were sealed by someone else meanwhile",
                links.len() as u64 - stored,
                links.len()
            ),
        });
    }
    if !rows.is_empty() {
        sqlx::query("update audit_head set seq = $1, hash = $2 where id = 1")
            .bind(seq)
            .bind(&prev_hash)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(rows.len() as u64)
}

/// Rows given their place per statement (four parameters each).
const LINKS_PER_STATEMENT: usize = 200;

/// A row's place in the chain, as sealing writes it.
struct Link {
    id: i64,
    seq: i64,
    prev_hash: String,
    hash: String,
}

/// Writes the links of a batch, [`LINKS_PER_STATEMENT`] rows per `update … from (values …)`
/// statement (a batch is a few statements, not one per row: the sealer holds the one SQLite
/// writer while it writes); each only on a row still unsealed. Returns the rows updated.
async fn store_links(tx: &mut Tx, backend: Backend, links: &[Link]) -> Result<u64, StoreError> {
    let mut updated = 0;
    for chunk in links.chunks(LINKS_PER_STATEMENT) {
        let values = crate::cob::value_rows(1, chunk.len(), 4);
        let sql = match backend {
            Backend::Postgres => format!(
                "update audit_log set seq = v.seq, prev_hash = v.prev_hash, hash = v.hash \
                 from (values {values}) as v (id, seq, prev_hash, hash) \
                 where audit_log.id = v.id and audit_log.seq is null"
            ),
            // SQLite names the columns of a `values` list column1, column2, …
            Backend::Sqlite => format!(
                "update audit_log set seq = v.column2, prev_hash = v.column3, hash = v.column4 \
                 from (values {values}) as v \
                 where audit_log.id = v.column1 and audit_log.seq is null"
            ),
        };
        let sql = crate::cob::for_engine(tx, &sql);
        let mut query = sqlx::query(&sql);
        for link in chunk {
            query = query
                .bind(link.id)
                .bind(link.seq)
                .bind(&link.prev_hash)
                .bind(&link.hash);
        }
        updated += query.execute(&mut **tx).await?.rows_affected();
    }
    Ok(updated)
}

/// Seals in batches of [`SEAL_BATCH_ROWS`] until a batch finds fewer rows than that; returns
/// how many it sealed. Rows committed while it runs are sealed too as long as it keeps up.
pub async fn seal_all(db: &Db) -> Result<u64, StoreError> {
    let mut total = 0;
    loop {
        let n = seal(db, SEAL_BATCH_ROWS).await?;
        total += n;
        if n < u64::from(SEAL_BATCH_ROWS) {
            return Ok(total);
        }
    }
}

/// Reads the head, holding it until the transaction ends.
async fn lock_head(tx: &mut Tx, backend: Backend) -> Result<Option<Head>, StoreError> {
    let sql = match backend {
        Backend::Postgres => "select seq, hash from audit_head where id = 1 for update",
        // the transaction already holds the database's write lock
        Backend::Sqlite => "select seq, hash from audit_head where id = 1",
    };
    Ok(sqlx::query_as(sql).fetch_optional(&mut **tx).await?)
}

/// Creates the head at seq 0 (unless a concurrent first seal did) and locks it; refuses when
/// rows are already sealed.
async fn create_head(tx: &mut Tx, backend: Backend) -> Result<Head, StoreError> {
    let sealed: Option<i64> =
        sqlx::query_scalar("select seq from audit_log where seq is not null limit 1")
            .fetch_optional(&mut **tx)
            .await?;
    if sealed.is_some() {
        return Err(StoreError::Corrupt {
            what: "audit_head",
            detail: "the head of the audit chain is missing although rows are sealed; \
                     nothing sealed (`vamyar audit verify` reports it)"
                .to_string(),
        });
    }
    sqlx::query(
        "insert into audit_head (id, seq, hash, created_at) values (1, 0, $1, $2) \
         on conflict (id) do nothing",
    )
    .bind(GENESIS_HASH)
    .bind(time::now())
    .execute(&mut **tx)
    .await?;
    lock_head(tx, backend)
        .await?
        .ok_or_else(|| StoreError::Corrupt {
            what: "audit_head",
            detail: "missing after it was created".to_string(),
        })
}
