//! Reading audit rows in the order they were entered, sealed or not.

use serde::Serialize;
use sqlx::FromRow;

use super::AuditRow;
use crate::{Db, StoreError};

/// An audit row as stored: sealed (`seq`, `prev_hash` and `hash` set) or not yet (all three
/// NULL until [`seal`](super::seal) reaches it).
#[derive(Clone, Debug, PartialEq, Eq, FromRow, Serialize)]
pub struct StoredRow {
    /// The order of entry (the order of `append`s' inserts, not of their commits).
    pub id: i64,
    /// Position in the chain, once sealed.
    pub seq: Option<i64>,
    /// When it was appended (RFC 3339 UTC, microseconds).
    pub occurred_at: String,
    /// One of [`actor::ALL`](super::actor::ALL).
    pub actor_kind: String,
    /// The actor's id.
    pub actor_id: Option<i64>,
    /// What was attempted.
    pub action: String,
    /// The kind of thing acted on.
    pub entity: String,
    /// Which one.
    pub entity_id: Option<String>,
    /// One of [`outcome::ALL`](super::outcome::ALL).
    pub outcome: String,
    /// The detail as stored: [`canonical_json`](super::canonical_json) text.
    pub detail: String,
    /// The client's address.
    pub ip: Option<String>,
    /// The previous row's hash, once sealed.
    pub prev_hash: Option<String>,
    /// This row's hash, once sealed.
    pub hash: Option<String>,
}

/// Every column of [`StoredRow`], for `select`.
pub(super) const STORED_COLUMNS: &str = "id, seq, occurred_at, actor_kind, actor_id, action, \
                                         entity, entity_id, outcome, detail, ip, prev_hash, hash";

impl StoredRow {
    /// True once the row has its place in the chain.
    pub fn is_sealed(&self) -> bool {
        self.seq.is_some()
    }

    /// The row as a chain row at `seq` after `prev_hash`, with an empty `hash` (for
    /// [`row_hash`](super::row_hash) to fill).
    pub fn chained(&self, seq: i64, prev_hash: &str) -> AuditRow {
        AuditRow {
            seq,
            occurred_at: self.occurred_at.clone(),
            actor_kind: self.actor_kind.clone(),
            actor_id: self.actor_id,
            action: self.action.clone(),
            entity: self.entity.clone(),
            entity_id: self.entity_id.clone(),
            outcome: self.outcome.clone(),
            detail: self.detail.clone(),
            ip: self.ip.clone(),
            prev_hash: prev_hash.to_string(),
            hash: String::new(),
        }
    }

    /// The detail parsed back into JSON (`Null` if the stored text is not JSON).
    pub fn detail_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.detail).unwrap_or(serde_json::Value::Null)
    }
}

/// The newest `limit` rows about one entity (`entity_id` `None`: about any of that kind),
/// newest entry first (by `id`, so rows not sealed yet are included).
pub async fn recent(
    db: &Db,
    entity: &str,
    entity_id: Option<&str>,
    limit: u32,
) -> Result<Vec<StoredRow>, StoreError> {
    let rows = match entity_id {
        Some(id) => {
            sqlx::query_as(&format!(
                "select {STORED_COLUMNS} from audit_log where entity = $1 and entity_id = $2 \
                 order by id desc limit $3"
            ))
            .bind(entity)
            .bind(id)
            .bind(i64::from(limit))
            .fetch_all(db.pool())
            .await?
        }
        None => {
            sqlx::query_as(&format!(
                "select {STORED_COLUMNS} from audit_log where entity = $1 \
                 order by id desc limit $2"
            ))
            .bind(entity)
            .bind(i64::from(limit))
            .fetch_all(db.pool())
            .await?
        }
    };
    Ok(rows)
}
