//! Sealing on both engines: appending leaves the head alone, sealing chains committed rows in
//! entry order, and neither overlapping audited transactions nor overlapping sealers break
//! the chain. SQLite has one writer at a time (`begin immediate`), so two audited
//! transactions cannot be open at once there: its runs check the same outcome with the
//! second transaction waiting for the first.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Barrier;
use vamyar_store::audit::{self, ProblemKind};
use vamyar_store::testdb::TestDb;
use vamyar_store::{Backend, Db, Tx, both_engines};

use super::{append_many, append_unsealed, entry, exec, problem, row};

/// Long enough for anything that does not wait on a lock; a wait for a transaction that is
/// itself waiting (the old head lock) never ends.
const PATIENCE: Duration = Duration::from_secs(20);

/// The head row as stored, every column.
async fn head_row(db: &Db) -> Option<(i64, String, String)> {
    sqlx::query_as("select seq, hash, created_at from audit_head where id = 1")
        .fetch_optional(db.pool())
        .await
        .unwrap()
}

/// The seq of the row `id` (`None` while unsealed).
async fn seq_of(db: &Db, id: i64) -> Option<i64> {
    sqlx::query_scalar("select seq from audit_log where id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

/// A transaction holding the head: its row lock on PostgreSQL, the writer lock on SQLite.
async fn hold_head(db: &Db) -> Tx {
    let mut tx = db.begin().await.unwrap();
    if db.backend() == Backend::Postgres {
        sqlx::query("select seq from audit_head where id = 1 for update")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    }
    tx
}

/// Waits until `n` sessions of this PostgreSQL database wait for a lock.
async fn until_waiting_for_locks(db: &Db, n: i64) {
    let sql = "select count(*) from pg_stat_activity \
               where datname = current_database() and wait_event_type = 'Lock'";
    tokio::time::timeout(PATIENCE, async {
        while count(db, sql).await < n {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{n} sessions never waited for a lock"));
}

both_engines!(
    appending_leaves_the_head_alone_until_sealed,
    |t: TestDb| async move {
        append_many(&t.db, 3).await;
        let before = head_row(&t.db).await.unwrap();
        assert_eq!(before.0, 3);
        // PostgreSQL: the head stays locked by another transaction while rows are appended
        let holder = match t.db.backend() {
            Backend::Postgres => Some(hold_head(&t.db).await),
            Backend::Sqlite => None,
        };
        let ids = tokio::time::timeout(PATIENCE, append_unsealed(&t.db, 5))
            .await
            .expect("appends do not wait for the head");
        assert_eq!(head_row(&t.db).await.unwrap(), before, "head untouched");
        let unsealed = "select count(*) from audit_log \
                        where seq is null and prev_hash is null and hash is null";
        assert_eq!(count(&t.db, unsealed).await, 5);
        let report = audit::verify(&t.db).await.unwrap();
        assert!(report.ok, "{report:?}");
        assert_eq!((report.rows, report.unsealed), (3, 5));
        if let Some(tx) = holder {
            tx.rollback().await.unwrap();
        }

        assert_eq!(audit::seal_all(&t.db).await.unwrap(), 5);
        let head = audit::head(&t.db).await.unwrap().unwrap();
        assert_eq!(head.seq, 8);
        assert_eq!(head.hash, row(&t.db, 8).await.hash);
        assert_eq!(seq_of(&t.db, ids[4]).await, Some(8));
        let report = audit::verify(&t.db).await.unwrap();
        assert!(report.ok, "{report:?}");
        assert_eq!((report.rows, report.unsealed), (8, 0));
    }
);

both_engines!(
    a_batch_larger_than_one_statement_is_sealed_whole_and_in_order,
    |t: TestDb| async move {
        // 450 rows: three statements of the batch (200, 200 and 50 rows)
        let ids = append_unsealed(&t.db, 450).await;
        assert_eq!(audit::seal(&t.db, 1_000).await.unwrap(), 450);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(seq_of(&t.db, *id).await, Some(i as i64 + 1), "row {id}");
        }
        for seq in [199, 200, 201, 400, 401] {
            assert_eq!(
                row(&t.db, seq + 1).await.prev_hash,
                row(&t.db, seq).await.hash
            );
        }
        let head = audit::head(&t.db).await.unwrap().unwrap();
        assert_eq!((head.seq, head.hash), (450, row(&t.db, 450).await.hash));
        let report = audit::verify(&t.db).await.unwrap();
        assert!(report.ok, "{report:?}");
        assert_eq!((report.rows, report.unsealed), (450, 0));
    }
);

both_engines!(
    sealing_chains_rows_in_id_order_a_batch_at_a_time,
    |t: TestDb| async move {
        let ids = append_unsealed(&t.db, 10).await;
        assert_eq!(audit::seal(&t.db, 4).await.unwrap(), 4);
        let head = audit::head(&t.db).await.unwrap().unwrap();
        assert_eq!((head.seq, head.hash), (4, row(&t.db, 4).await.hash));
        assert_eq!(seq_of(&t.db, ids[4]).await, None, "beyond the batch");
        assert_eq!(audit::seal(&t.db, 4).await.unwrap(), 4);
        assert_eq!(audit::seal(&t.db, 4).await.unwrap(), 2);
        assert_eq!(audit::seal(&t.db, 4).await.unwrap(), 0);
        for (k, id) in ids.iter().enumerate() {
            assert_eq!(seq_of(&t.db, *id).await, Some(k as i64 + 1), "row {id}");
        }
        // a batch links to the one before it; every row's fields are hashed as stored
        let (fourth, fifth) = (row(&t.db, 4).await, row(&t.db, 5).await);
        assert_eq!(fifth.prev_hash, fourth.hash);
        assert_eq!(fifth.hash, audit::row_hash(&fifth));
        assert_eq!(fifth.action, entry(5).action);
        let report = audit::verify(&t.db).await.unwrap();
        assert!(report.ok, "{report:?}");
        assert_eq!((report.rows, report.unsealed), (10, 0));
    }
);

both_engines!(
    a_deleted_last_row_is_still_found_after_later_seals,
    |t: TestDb| async move {
        append_many(&t.db, 20).await;
        exec(&t.db, "delete from audit_log where seq = $1", 20).await;
        // the sealer goes on from the head, which still names the deleted row
        append_unsealed(&t.db, 3).await;
        assert_eq!(audit::seal_all(&t.db).await.unwrap(), 3);
        let report = audit::verify(&t.db).await.unwrap();
        assert!(!report.ok);
        assert_eq!(report.rows, 22);
        assert_eq!(
            report.problems,
            vec![
                problem(20, ProblemKind::Gap),
                problem(21, ProblemKind::BrokenLink)
            ]
        );
    }
);

both_engines!(
    a_sealed_row_made_unsealed_again_leaves_a_gap,
    |t: TestDb| async move {
        append_many(&t.db, 20).await;
        // someone clears row 10's place in the chain, hoping to edit it and have it resealed
        exec(
            &t.db,
            "update audit_log set seq = null, prev_hash = null, hash = null, \
             detail = '{}' where seq = $1",
            10,
        )
        .await;
        let expected = vec![
            problem(10, ProblemKind::Gap),
            problem(11, ProblemKind::BrokenLink),
        ];
        let report = audit::verify(&t.db).await.unwrap();
        assert_eq!((report.rows, report.unsealed), (19, 1));
        assert_eq!(report.problems, expected);
        assert_eq!(audit::seal_all(&t.db).await.unwrap(), 1);
        let report = audit::verify(&t.db).await.unwrap();
        assert_eq!((report.rows, report.unsealed), (20, 0));
        assert_eq!(report.problems, expected, "resealed at 21, the gap stays");
    }
);

both_engines!(
    two_audited_transactions_open_at_once_both_commit,
    |t: TestDb| async move {
        // the head exists: the old append took its row lock and held it until commit
        append_many(&t.db, 2).await;
        let (first, second) = match t.db.backend() {
            Backend::Postgres => {
                let barrier = Arc::new(Barrier::new(2));
                let open = |n: i64| {
                    let (db, barrier) = (t.db.clone(), barrier.clone());
                    tokio::spawn(async move {
                        let mut tx = db.begin().await.unwrap();
                        let id = audit::append(&mut tx, &entry(n)).await.unwrap();
                        // both have appended before either commits
                        barrier.wait().await;
                        tx.commit().await.unwrap();
                        id
                    })
                };
                let (a, b) = (open(3), open(4));
                tokio::time::timeout(PATIENCE, async { (a.await.unwrap(), b.await.unwrap()) })
                    .await
                    .expect("neither append waits for the other transaction")
            }
            Backend::Sqlite => {
                let mut tx = t.db.begin().await.unwrap();
                let a = audit::append(&mut tx, &entry(3)).await.unwrap();
                let later = {
                    let db = t.db.clone();
                    tokio::spawn(async move { audit::append_now(&db, &entry(4)).await.unwrap() })
                };
                tokio::time::sleep(Duration::from_millis(200)).await;
                assert!(!later.is_finished(), "one writer at a time");
                tx.commit().await.unwrap();
                (a, later.await.unwrap())
            }
        };
        assert_ne!(first, second);
        assert_eq!(count(&t.db, "select count(*) from audit_log").await, 4);
        assert_eq!(audit::head(&t.db).await.unwrap().unwrap().seq, 2);
        assert_eq!(audit::seal_all(&t.db).await.unwrap(), 2);
        let report = audit::verify(&t.db).await.unwrap();
        assert!(report.ok, "{report:?}");
        assert_eq!((report.rows, report.unsealed), (4, 0));
    }
);

both_engines!(
    two_sealers_at_once_give_each_row_one_place,
    |t: TestDb| async move {
        let sealed_first = append_many(&t.db, 5).await;
        let ids = append_unsealed(&t.db, 60).await;
        // a held head keeps both sealers waiting, so that they start together
        let holder = hold_head(&t.db).await;
        let barrier = Arc::new(Barrier::new(3));
        let sealer = || {
            let (db, barrier) = (t.db.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let mut total = 0;
                loop {
                    let n = audit::seal(&db, 7).await.unwrap();
                    if n == 0 {
                        return total;
                    }
                    total += n;
                }
            })
        };
        let (a, b) = (sealer(), sealer());
        barrier.wait().await;
        match t.db.backend() {
            Backend::Postgres => until_waiting_for_locks(&t.db, 2).await,
            // both wait for the writer lock (busy timeout 10 s)
            Backend::Sqlite => tokio::time::sleep(Duration::from_millis(300)).await,
        }
        assert!(
            !a.is_finished() && !b.is_finished(),
            "both wait for the head"
        );
        holder.commit().await.unwrap();
        let (a, b) = tokio::time::timeout(PATIENCE, async { (a.await.unwrap(), b.await.unwrap()) })
            .await
            .expect("the sealers finish");
        assert_eq!(a + b, 60);
        let by_seq: Vec<i64> = sqlx::query_scalar("select id from audit_log order by seq")
            .fetch_all(t.db.pool())
            .await
            .unwrap();
        assert_eq!(
            by_seq,
            [sealed_first, ids].concat(),
            "seq order is id order"
        );
        let report = audit::verify(&t.db).await.unwrap();
        assert!(report.ok, "{report:?}");
        assert_eq!((report.rows, report.unsealed), (65, 0));
        assert_eq!(audit::head(&t.db).await.unwrap().unwrap().seq, 65);
    }
);

both_engines!(
    a_row_committed_after_a_later_row_was_sealed_is_sealed_after_it,
    |t: TestDb| async move {
        append_many(&t.db, 2).await;
        let mut early = t.db.begin().await.unwrap();
        let a = audit::append(&mut early, &entry(3)).await.unwrap();
        let (b, sealed_before) = match t.db.backend() {
            Backend::Postgres => {
                // a later row commits and is sealed while the earlier one's transaction is open
                let b = tokio::time::timeout(PATIENCE, audit::append_now(&t.db, &entry(4)))
                    .await
                    .expect("the later append does not wait for the open transaction")
                    .unwrap();
                let sealed = audit::seal_all(&t.db).await.unwrap();
                assert_eq!(seq_of(&t.db, b).await, Some(3));
                early.commit().await.unwrap();
                (b, sealed)
            }
            Backend::Sqlite => {
                // one writer: the later row's transaction waits for the earlier one
                let later = {
                    let db = t.db.clone();
                    tokio::spawn(async move { audit::append_now(&db, &entry(4)).await.unwrap() })
                };
                tokio::time::sleep(Duration::from_millis(200)).await;
                assert!(!later.is_finished(), "one writer at a time");
                early.commit().await.unwrap();
                (later.await.unwrap(), 0)
            }
        };
        assert!(a < b, "the open transaction's row has the lower id");
        assert_eq!(sealed_before + audit::seal_all(&t.db).await.unwrap(), 2);
        let (seq_a, seq_b) = (
            seq_of(&t.db, a).await.unwrap(),
            seq_of(&t.db, b).await.unwrap(),
        );
        match t.db.backend() {
            Backend::Postgres => assert_eq!((seq_b, seq_a), (3, 4), "sealed in commit order"),
            Backend::Sqlite => assert_eq!((seq_a, seq_b), (3, 4)),
        }
        assert_eq!(row(&t.db, 4).await.prev_hash, row(&t.db, 3).await.hash);
        let report = audit::verify(&t.db).await.unwrap();
        assert!(report.ok, "{report:?}");
        assert_eq!((report.rows, report.unsealed), (4, 0));
    }
);
