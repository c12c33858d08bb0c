//! Walking the audit chain and reporting what is broken.

use std::fmt;

use serde::Serialize;

use super::{AuditRow, GENESIS_HASH, Head, MAX_PROBLEMS, ROW_COLUMNS, VERIFY_PAGE_ROWS, row_hash};
use crate::{Backend, Db, StoreError};

/// What is wrong at one place of the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// This seq is missing: rows were deleted (or a seq was changed).
    Gap,
    /// This row's `prev_hash` is not the previous row's `hash`: the previous row was replaced
    /// (its hash recomputed) or rows before this one were deleted.
    BrokenLink,
    /// This row's `hash` does not match its fields: the row was edited.
    HashMismatch,
    /// The head does not match the last row: the last rows were deleted, rows were added
    /// past the head, or the head was altered. The seq is the head's.
    HeadMismatch,
}

impl ProblemKind {
    /// A short English description for the command line and logs.
    pub fn describe(self) -> &'static str {
        match self {
            ProblemKind::Gap => "missing (gap in the sequence: rows deleted)",
            ProblemKind::BrokenLink => {
                "broken link (prev_hash is not the previous row's hash: a row replaced or deleted)"
            }
            ProblemKind::HashMismatch => "hash mismatch (row edited)",
            ProblemKind::HeadMismatch => {
                "head mismatch (the head does not match the last row: last rows deleted or head altered)"
            }
        }
    }
}

/// One problem found by [`verify`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Where in the chain.
    pub seq: i64,
    /// What.
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "seq {}: {}", self.seq, self.kind.describe())
    }
}

/// The outcome of [`verify`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Sealed rows read.
    pub rows: u64,
    /// Rows appended and not sealed yet: not in the chain, so not checked. Not a problem by
    /// itself (the sealer has not reached them, or their transaction is still open), but
    /// such rows are not tamper-evident until sealed.
    pub unsealed: u64,
    /// True when no problem was found.
    pub ok: bool,
    /// The problems in chain order (head last), at most [`MAX_PROBLEMS`].
    pub problems: Vec<Problem>,
    /// True when there were more problems than [`MAX_PROBLEMS`].
    pub truncated: bool,
    /// The head as stored (`None` when the head row is missing).
    pub head: Option<Head>,
}

/// Checks the whole sealed chain: seqs run 1..=n without gaps, each `prev_hash` is the
/// previous row's hash (the first is [`GENESIS_HASH`]), each hash recomputes, and the head's
/// seq and hash are the last row's; counts the unsealed rows. Reads pages of
/// [`VERIFY_PAGE_ROWS`] rows by seq inside one read-only snapshot (repeatable read on
/// PostgreSQL, a read transaction on SQLite), so concurrent appends and seals neither disturb
/// nor appear in it. It seals nothing: call [`seal_all`](super::seal_all) first to check
/// every committed row.
pub async fn verify(db: &Db) -> Result<VerifyReport, StoreError> {
    verify_in_pages(db, VERIFY_PAGE_ROWS).await
}

/// [`verify`] with pages of `page_rows` rows (at least 1).
pub async fn verify_in_pages(db: &Db, page_rows: u32) -> Result<VerifyReport, StoreError> {
    let page_rows = i64::from(page_rows.max(1));
    let mut tx = match db.backend() {
        Backend::Postgres => {
            db.pool()
                .begin_with("begin transaction isolation level repeatable read, read only")
                .await?
        }
        // A deferred transaction: its first read fixes the WAL snapshot until it ends.
        Backend::Sqlite => db.pool().begin().await?,
    };
    let head: Option<Head> = sqlx::query_as("select seq, hash from audit_head where id = 1")
        .fetch_optional(&mut *tx)
        .await?;
    let unsealed: i64 = sqlx::query_scalar("select count(*) from audit_log where seq is null")
        .fetch_one(&mut *tx)
        .await?;
    let mut check = Checker::default();
    let mut after = i64::MIN;
    loop {
        // `seq > $1` leaves the unsealed rows (seq NULL) out
        let page: Vec<AuditRow> = sqlx::query_as(&format!(
            "select {ROW_COLUMNS} from audit_log where seq > $1 order by seq limit $2"
        ))
        .bind(after)
        .bind(page_rows)
        .fetch_all(&mut *tx)
        .await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        let full = page.len() as i64 == page_rows;
        for row in &page {
            check.row(row);
        }
        if !full {
            break;
        }
    }
    tx.rollback().await?;
    check.head(head.as_ref());
    Ok(VerifyReport {
        rows: check.rows,
        unsealed: u64::try_from(unsealed).unwrap_or_default(),
        ok: check.problems.is_empty() && !check.truncated,
        problems: check.problems,
        truncated: check.truncated,
        head,
    })
}

/// The state of a walk along the chain.
#[derive(Default)]
struct Checker {
    rows: u64,
    /// The last row seen: its seq and hash.
    last: Option<(i64, String)>,
    problems: Vec<Problem>,
    truncated: bool,
}

impl Checker {
    fn problem(&mut self, seq: i64, kind: ProblemKind) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Problem { seq, kind });
        } else {
            self.truncated = true;
        }
    }

    fn row(&mut self, row: &AuditRow) {
        self.rows += 1;
        let (expected_seq, linked) = match &self.last {
            Some((seq, hash)) => (seq + 1, row.prev_hash == *hash),
            None => (1, row.prev_hash == GENESIS_HASH),
        };
        if row.seq != expected_seq {
            self.problem(expected_seq.min(row.seq), ProblemKind::Gap);
        }
        if !linked {
            self.problem(row.seq, ProblemKind::BrokenLink);
        }
        if row_hash(row) != row.hash {
            self.problem(row.seq, ProblemKind::HashMismatch);
        }
        self.last = Some((row.seq, row.hash.clone()));
    }

    fn head(&mut self, head: Option<&Head>) {
        let (last_seq, last_hash) = match &self.last {
            Some((seq, hash)) => (*seq, hash.as_str()),
            None => (0, GENESIS_HASH),
        };
        match head {
            Some(h) if h.seq == last_seq && h.hash == last_hash => {}
            Some(h) => self.problem(h.seq, ProblemKind::HeadMismatch),
            // No head and no rows: nothing was ever appended.
            None if self.last.is_none() => {}
            None => self.problem(last_seq, ProblemKind::HeadMismatch),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AuditRow, GENESIS_HASH, row_hash};

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
    fn the_checker_reports_each_kind() {
        let mut rows = Vec::new();
        let mut prev = GENESIS_HASH.to_string();
        for seq in 1..=4 {
            let mut row = AuditRow {
                seq,
                prev_hash: prev.clone(),
                ..sample()
            };
            row.hash = row_hash(&row);
            prev = row.hash.clone();
            rows.push(row);
        }
        let head = Head {
            seq: 4,
            hash: prev.clone(),
        };
        let run = |rows: &[AuditRow], head: Option<&Head>| {
            let mut c = Checker::default();
            rows.iter().for_each(|r| c.row(r));
            c.head(head);
            c.problems
        };
        assert!(run(&rows, Some(&head)).is_empty());
        assert!(run(&[], None).is_empty());
        let mut edited = rows.clone();
        edited[1].detail = r#"{"x":1}"#.into();
        assert_eq!(
            run(&edited, Some(&head)),
            vec![Problem {
                seq: 2,
                kind: ProblemKind::HashMismatch
            }]
        );
        let mut gap = rows.clone();
        gap.remove(1);
        assert_eq!(
            run(&gap, Some(&head)),
            vec![
                Problem {
                    seq: 2,
                    kind: ProblemKind::Gap
                },
                Problem {
                    seq: 3,
                    kind: ProblemKind::BrokenLink
                }
            ]
        );
        assert_eq!(
            run(&rows[..3], Some(&head)),
            vec![Problem {
                seq: 4,
                kind: ProblemKind::HeadMismatch
            }]
        );
        assert_eq!(
            run(&rows, None),
            vec![Problem {
                seq: 4,
                kind: ProblemKind::HeadMismatch
            }]
        );
    }
}
