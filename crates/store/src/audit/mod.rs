//! The tamper-evident audit log: an append-only table whose rows are chained by SHA-256.
//!
//! [`append`] only inserts a row inside the caller's transaction, unsealed (`seq`,
//! `prev_hash` and `hash` NULL): it reads and writes nothing shared, so audited writes do not
//! wait for each other. [`seal`] (every second in `vamyar serve`, at close of business, and at
//! the start of `vamyar audit verify`) then takes the committed unsealed rows in `id` order,
//! under the lock of the single `audit_head` row, and gives each the next `seq`, the previous
//! row's hash as `prev_hash` and its own `hash`, computed over `prev_hash` and the row's fields
//! in the canonical encoding of [`row_hash`]; the head records the last sealed `seq` and
//! `hash`. [`verify`] walks the sealed chain and reports gaps, broken links, edited rows and a
//! head that does not match the last row, and counts the rows not sealed yet.
//!
//! ARCHITECTURE.md ("Audit log") describes what this detects and what it cannot.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::FromRow;

use crate::{Db, StoreError, Tx, time};

/// The `prev_hash` of the first row, and the head's hash before the first seal: 64 zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The first field of every hashed message: names the encoding, so a future change of the
/// encoding cannot produce the same bytes as this one.
pub const ENCODING_TAG: &str = "vamyar-audit-v1";

/// How many rows [`verify`] reads per query.
pub const VERIFY_PAGE_ROWS: u32 = 5_000;

/// [`verify`] stops collecting problems after this many (it still counts the rows).
pub const MAX_PROBLEMS: usize = 100;

/// Who acted: the values of [`Entry::actor_kind`].
pub mod actor {
    /// A staff account (`actor_id` = `staff_user.id`).
    pub const STAFF: &str = "staff";
    /// A registered applicant (`actor_id` = `person.id`).
    pub const APPLICANT: &str = "applicant";
    /// Someone with a registration session and no person yet (no `actor_id`).
    pub const REGISTRANT: &str = "registrant";
    /// The server itself: close of business, the outbox worker, the command line.
    pub const SYSTEM: &str = "system";
    /// An unauthenticated caller (failed logins, denied requests).
    pub const ANONYMOUS: &str = "anonymous";
    /// Every actor kind.
    pub const ALL: [&str; 5] = [STAFF, APPLICANT, REGISTRANT, SYSTEM, ANONYMOUS];
}

/// How the audited attempt ended: the values of [`Entry::outcome`].
pub mod outcome {
    /// Done.
    pub const OK: &str = "ok";
    /// Refused for lack of permission (403/404 by policy, a locked account, a bad password).
    pub const DENIED: &str = "denied";
    /// Attempted and failed for another reason.
    pub const FAILED: &str = "failed";
    /// Every outcome.
    pub const ALL: [&str; 3] = [OK, DENIED, FAILED];
}

/// One event to append to the audit log.
///
/// Build it with a constructor ([`Entry::staff`], [`Entry::applicant`], [`Entry::system`],
/// …) and the chained setters:
/// `Entry::staff(7, "application.approve", "application").on(42).detail(json!({…}))`.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// One of [`actor::ALL`].
    pub actor_kind: &'static str,
    /// The actor's id (staff user or person) when it has one.
    pub actor_id: Option<i64>,
    /// What was attempted, dotted: `application.approve`, `login`, `access.denied`.
    pub action: String,
    /// The kind of thing acted on: `application`, `staff_user`, `loan`, …
    pub entity: &'static str,
    /// Which one, when there is one.
    pub entity_id: Option<String>,
    /// One of [`outcome::ALL`].
    pub outcome: &'static str,
    /// Anything else worth keeping (no secrets: no passwords, tokens or codes); stored and
    /// hashed as [`canonical_json`].
    pub detail: serde_json::Value,
    /// The client's address, when the event came from a request.
    pub ip: Option<String>,
}

impl Entry {
    /// An entry with outcome `ok`, an empty detail object and no entity id or address.
    pub fn new(
        actor_kind: &'static str,
        actor_id: Option<i64>,
        action: impl Into<String>,
        entity: &'static str,
    ) -> Entry {
        Entry {
            actor_kind,
            actor_id,
            action: action.into(),
            entity,
            entity_id: None,
            outcome: outcome::OK,
            detail: serde_json::Value::Object(serde_json::Map::new()),
            ip: None,
        }
    }

    /// Done by the staff account `staff_user_id`.
    pub fn staff(staff_user_id: i64, action: impl Into<String>, entity: &'static str) -> Entry {
        Entry::new(actor::STAFF, Some(staff_user_id), action, entity)
    }

    /// Done by the applicant `person_id`.
    pub fn applicant(person_id: i64, action: impl Into<String>, entity: &'static str) -> Entry {
        Entry::new(actor::APPLICANT, Some(person_id), action, entity)
    }

    /// Done by someone registering (a verified mobile, no person yet).
    pub fn registrant(action: impl Into<String>, entity: &'static str) -> Entry {
        Entry::new(actor::REGISTRANT, None, action, entity)
    }

    /// Done by the server itself.
    pub fn system(action: impl Into<String>, entity: &'static str) -> Entry {
        Entry::new(actor::SYSTEM, None, action, entity)
    }

    /// Attempted by an unauthenticated caller.
    pub fn anonymous(action: impl Into<String>, entity: &'static str) -> Entry {
        Entry::new(actor::ANONYMOUS, None, action, entity)
    }

    /// Names the entity acted on.
    pub fn on(mut self, entity_id: impl ToString) -> Entry {
        self.entity_id = Some(entity_id.to_string());
        self
    }

    /// Sets the outcome (one of [`outcome::ALL`]).
    pub fn outcome(mut self, outcome: &'static str) -> Entry {
        self.outcome = outcome;
        self
    }

    /// Marks the attempt as refused.
    pub fn denied(self) -> Entry {
        self.outcome(outcome::DENIED)
    }

    /// Marks the attempt as failed.
    pub fn failed(self) -> Entry {
        self.outcome(outcome::FAILED)
    }

    /// Sets the detail.
    pub fn detail(mut self, detail: serde_json::Value) -> Entry {
        self.detail = detail;
        self
    }

    /// Sets the client's address.
    pub fn ip(mut self, ip: impl Into<String>) -> Entry {
        self.ip = Some(ip.into());
        self
    }
}

/// A sealed audit row: its place in the chain, the hashed fields, `prev_hash` and `hash`.
/// ([`StoredRow`] is a row as stored, sealed or not.)
#[derive(Clone, Debug, PartialEq, Eq, FromRow, Serialize)]
pub struct AuditRow {
    /// Position in the chain (the order of sealing), from 1 without gaps.
    pub seq: i64,
    /// When it was appended (RFC 3339 UTC, microseconds).
    pub occurred_at: String,
    /// One of [`actor::ALL`].
    pub actor_kind: String,
    /// The actor's id.
    pub actor_id: Option<i64>,
    /// What was attempted.
    pub action: String,
    /// The kind of thing acted on.
    pub entity: String,
    /// Which one.
    pub entity_id: Option<String>,
    /// One of [`outcome::ALL`].
    pub outcome: String,
    /// The detail as stored: [`canonical_json`] text.
    pub detail: String,
    /// The client's address.
    pub ip: Option<String>,
    /// The previous row's hash ([`GENESIS_HASH`] for seq 1).
    pub prev_hash: String,
    /// This row's hash: [`row_hash`].
    pub hash: String,
}

impl AuditRow {
    /// The detail parsed back into JSON (`Null` if the stored text is not JSON).
    pub fn detail_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.detail).unwrap_or(serde_json::Value::Null)
    }
}

const ROW_COLUMNS: &str = "seq, occurred_at, actor_kind, actor_id, action, entity, entity_id, \
                           outcome, detail, ip, prev_hash, hash";

/// The head of the chain as stored in `audit_head`: the last sealed `seq` and `hash`.
#[derive(Clone, Debug, PartialEq, Eq, FromRow, Serialize)]
pub struct Head {
    /// The last sealed seq (0 before the first seal).
    pub seq: i64,
    /// The last sealed hash ([`GENESIS_HASH`] before the first seal).
    pub hash: String,
}

/// JSON text with object keys sorted (by their UTF-8 bytes) at every level, no whitespace,
/// strings escaped as `serde_json` escapes them (non-ASCII kept as UTF-8) and numbers as
/// `serde_json` prints them. Equal values give equal text whatever order the keys were
/// inserted in.
pub fn canonical_json(value: &serde_json::Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {
            out.push_str(&value.to_string());
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
    }
}

/// Appends one field to the hashed message: `0x00` when absent (SQL NULL), else `0x01`, the
/// length of the UTF-8 bytes as a big-endian u64, and the bytes.
fn put_field(hasher: &mut Sha256, field: Option<&str>) {
    match field {
        None => hasher.update([0u8]),
        Some(text) => {
            hasher.update([1u8]);
            hasher.update((text.len() as u64).to_be_bytes());
            hasher.update(text.as_bytes());
        }
    }
}

/// The hash a row must carry: lowercase hex of SHA-256 over the fields
/// [`ENCODING_TAG`], `prev_hash`, `seq`, `occurred_at`, `actor_kind`, `actor_id`, `action`,
/// `entity`, `entity_id`, `outcome`, `detail`, `ip`, in that order, each encoded as
/// `0x00` when NULL or `0x01 ‖ u64 big-endian byte length ‖ UTF-8 bytes`. Integers are
/// written in decimal (`-` for negatives, no padding); text fields exactly as stored
/// (`detail` is the stored [`canonical_json`] text, not re-serialised).
pub fn row_hash(row: &AuditRow) -> String {
    let mut hasher = Sha256::new();
    put_field(&mut hasher, Some(ENCODING_TAG));
    put_field(&mut hasher, Some(&row.prev_hash));
    put_field(&mut hasher, Some(&row.seq.to_string()));
    put_field(&mut hasher, Some(&row.occurred_at));
    put_field(&mut hasher, Some(&row.actor_kind));
    put_field(
        &mut hasher,
        row.actor_id.map(|id| id.to_string()).as_deref(),
    );
    put_field(&mut hasher, Some(&row.action));
    put_field(&mut hasher, Some(&row.entity));
    put_field(&mut hasher, row.entity_id.as_deref());
    put_field(&mut hasher, Some(&row.outcome));
    put_field(&mut hasher, Some(&row.detail));
    put_field(&mut hasher, row.ip.as_deref());
    hex::encode(hasher.finalize())
}

/// Appends `entry` inside the caller's transaction and returns the row's `id` (its place in
/// the order of entry, not in the chain: [`seal`] gives it a `seq` after the transaction
/// commits).
///
/// Only inserts the row, unsealed: nothing shared is read or written, so concurrent audited
/// transactions do not wait for each other here. If the transaction rolls back, the row goes
/// with it and is never sealed, so the chain has no gap.
pub async fn append(tx: &mut Tx, entry: &Entry) -> Result<i64, StoreError> {
    tx.insert_returning_id(INSERT, "", row(entry))
        .await?
        .ok_or(StoreError::Sqlx(sqlx::Error::RowNotFound))
}

/// Appends `entry` without its `id`: in a group commit, with the group's other audit rows
/// just before the commit ([`Tx::insert_later`]); otherwise now.
pub async fn append_later(tx: &mut Tx, entry: &Entry) -> Result<(), StoreError> {
    tx.insert_later(INSERT, "", row(entry)).await
}

/// The audit row's columns, in the order of [`row`].
pub(crate) const INSERT: &str = "insert into audit_log (occurred_at, actor_kind, actor_id, action, entity, \
                      entity_id, outcome, detail, ip, created_at)";

/// Where [`row`] puts the entity id.
pub(crate) const ENTITY_ID_AT: usize = 5;

/// The values of `entry`'s row, entered now.
pub(crate) fn row(entry: &Entry) -> Vec<crate::Value> {
    debug_assert!(
        actor::ALL.contains(&entry.actor_kind),
        "unknown actor kind `{}`",
        entry.actor_kind
    );
    debug_assert!(
        outcome::ALL.contains(&entry.outcome),
        "unknown outcome `{}`",
        entry.outcome
    );
    let now = time::now();
    vec![
        now.clone().into(),
        entry.actor_kind.into(),
        entry.actor_id.into(),
        entry.action.clone().into(),
        entry.entity.into(),
        entry.entity_id.clone().into(),
        entry.outcome.into(),
        canonical_json(&entry.detail).into(),
        entry.ip.clone().into(),
        now.into(),
    ]
}

/// Appends `entry` in a transaction of its own (for a denied attempt in a request that writes
/// nothing else) and returns its `id`.
pub async fn append_now(db: &Db, entry: &Entry) -> Result<i64, StoreError> {
    let mut tx = db.begin().await?;
    let id = append(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// The head of the chain, or `None` before the first seal. Exported periodically (in daily
/// reports), it anchors the chain: a rewritten log cannot end in an earlier exported hash.
pub async fn head(db: &Db) -> Result<Option<Head>, StoreError> {
    Ok(
        sqlx::query_as("select seq, hash from audit_head where id = 1")
            .fetch_optional(db.pool())
            .await?,
    )
}

mod read;
mod seal;
mod verify;

pub use read::{StoredRow, recent};
pub use seal::{SEAL_BATCH_ROWS, seal, seal_all};
pub use verify::{Problem, ProblemKind, VerifyReport, verify, verify_in_pages};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> AuditRow {
        AuditRow {
            seq: 1,
            occurred_at: "2026-03-21T08:00:00.000000Z".into(),
            actor_kind: "staff".into(),
            actor_id: Some(7),
            action: "application.approve".into(),
            entity: "application".into(),
            entity_id: Some("42".into()),
            outcome: "ok".into(),
            detail: "{}".into(),
            ip: None,
            prev_hash: GENESIS_HASH.into(),
            hash: String::new(),
        }
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let a = json!({"b": 1, "a": {"z": [1, {"y": "ی", "x": null}], "c": true}});
        assert_eq!(
            canonical_json(&a),
            r#"{"a":{"c":true,"z":[1,{"x":null,"y":"ی"}]},"b":1}"#
        );
        assert_eq!(canonical_json(&json!("a\"b")), r#""a\"b""#);
    }

    #[test]
    fn field_boundaries_and_nulls_change_the_hash() {
        let base = sample();
        let h = row_hash(&base);
        assert_eq!(h.len(), 64);
        assert_eq!(h, row_hash(&base.clone()), "deterministic");
        let moved = AuditRow {
            action: "application.approv".into(),
            entity: "eapplication".into(),
            ..base.clone()
        };
        assert_ne!(row_hash(&moved), h, "length prefixes keep fields apart");
        let null_vs_empty = AuditRow {
            ip: Some(String::new()),
            ..base.clone()
        };
        assert_ne!(row_hash(&null_vs_empty), h, "NULL differs from empty text");
        let other_prev = AuditRow {
            prev_hash: "1".repeat(64),
            ..base
        };
        assert_ne!(row_hash(&other_prev), h, "the previous hash is chained");
    }
}
