//! [`vamyar_store::Db::grouped`]: on a SQLite file, the work waiting for the one writer runs
//! in one transaction, each piece in a savepoint, and each caller hears its own outcome only
//! once the group's commit is on disk; elsewhere, one transaction per piece. The overlaps are
//! forced: a transaction held open on the writer connection (the pieces queue behind it), a
//! log flush held open (the commit is made, its answer waits).

use std::sync::Arc;
use std::time::Duration;

use vamyar_store::testdb::TestDb;
use vamyar_store::{Backend, Db, StoreError, Tx, both_engines};

async fn table(db: &Db) {
    sqlx::raw_sql("create table g (id integer primary key, note text not null)")
        .execute(db.pool())
        .await
        .unwrap();
}

/// What a piece does after writing its row.
#[derive(Clone, Copy)]
enum Then {
    Succeed,
    Fail,
    Panic,
}

impl Then {
    /// What piece `id` answers.
    fn outcome(self, id: i64) -> Result<i64, StoreError> {
        match self {
            Then::Succeed => Ok(id),
            Then::Fail => Err(StoreError::Corrupt {
                what: "test",
                detail: format!("piece {id} refused"),
            }),
            Then::Panic => panic!("piece {id} panicked"),
        }
    }
}

/// A piece that writes row `id`, then does `then`.
async fn put(db: &Db, id: i64, then: Then) -> Result<i64, StoreError> {
    db.grouped(move |tx: &mut Tx| {
        Box::pin(async move {
            sqlx::query("insert into g (id, note) values ($1, 'x')")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            then.outcome(id)
        })
    })
    .await
}

async fn ids(db: &Db) -> Vec<i64> {
    sqlx::query_scalar("select id from g order by id")
        .fetch_all(db.pool())
        .await
        .unwrap()
}

both_engines!(
    a_failed_piece_is_rolled_back_alone,
    |t: TestDb| async move {
        let db = &t.db;
        table(db).await;
        assert_eq!(put(db, 1, Then::Succeed).await.unwrap(), 1);
        let refused = put(db, 2, Then::Fail).await.unwrap_err();
        assert!(refused.to_string().contains("piece 2 refused"), "{refused}");
        let taken = put(db, 1, Then::Succeed).await.unwrap_err();
        assert!(taken.is_unique_violation(), "{taken}");
        assert_eq!(put(db, 3, Then::Succeed).await.unwrap(), 3);
        assert_eq!(ids(db).await, vec![1, 3]);
    }
);

/// Waits until `n` pieces are queued behind the writer.
async fn until_waiting(db: &Db, n: usize) {
    for _ in 0..1000 {
        if db.group_stats().unwrap().waiting == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("{n} pieces never queued: {:?}", db.group_stats());
}

/// Four pieces queue while another transaction holds the writer: one waits for the connection,
/// three behind it. Once it is free they run as one group: the one that fails and the one that
/// panics are refused alone, each with its own error, and the other two commit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pieces_queued_behind_the_writer_commit_as_one_group() {
    let t = TestDb::new(Backend::Sqlite).await.unwrap();
    let db = Arc::new(t.db.clone());
    table(&db).await;
    let before = db.group_stats().expect("a SQLite file has a group writer");
    let mut holder = db.begin().await.unwrap();
    sqlx::query("insert into g (id, note) values (0, 'holder')")
        .execute(&mut *holder)
        .await
        .unwrap();
    let plan = [
        (1, Then::Succeed),
        (2, Then::Fail),
        (3, Then::Panic),
        (4, Then::Succeed),
    ];
    let tasks: Vec<_> = plan
        .iter()
        .map(|&(id, then)| {
            let db = db.clone();
            tokio::spawn(async move { put(&db, id, then).await })
        })
        .collect();
    until_waiting(&db, 3).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(
        tasks.iter().all(|t| !t.is_finished()),
        "no piece ran while the writer was held"
    );
    holder.commit().await.unwrap();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    assert_eq!(outcomes[0].as_ref().unwrap(), &1);
    let failed = outcomes[1].as_ref().unwrap_err().to_string();
    assert!(failed.contains("piece 2 refused"), "{failed}");
    let panicked = outcomes[2].as_ref().unwrap_err().to_string();
    assert!(panicked.contains("panicked"), "{panicked}");
    assert_eq!(outcomes[3].as_ref().unwrap(), &4);
    assert_eq!(ids(&db).await, vec![0, 1, 4]);
    let after = db.group_stats().unwrap();
    assert_eq!(after.groups - before.groups, 1, "one group: {after:?}");
    assert_eq!(after.pieces - before.pieces, 4, "of four pieces: {after:?}");
    assert_eq!(after.waiting, 0);
}

/// A piece's commit is made (other connections read its row) but its caller hears nothing
/// until a flush of the log that began after the commit has ended.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_piece_is_answered_only_after_the_log_reaches_the_disk() {
    let t = TestDb::new(Backend::Sqlite).await.unwrap();
    let db = Arc::new(t.db.clone());
    table(&db).await;
    let sync = db.log_sync().expect("a SQLite file has a log syncer");
    let flushes = db.log_flushes();
    let running = sync.hold().await;
    let task = {
        let db = db.clone();
        tokio::spawn(async move { put(&db, 7, Then::Succeed).await })
    };
    for _ in 0..1000 {
        if ids(&db).await == vec![7] {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(ids(&db).await, vec![7], "the group committed");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!task.is_finished(), "answered before the flush");
    drop(running);
    assert_eq!(task.await.unwrap().unwrap(), 7);
    assert!(db.log_flushes() > flushes, "a flush served the piece");
}

/// The writer goes on after every kind of outcome: many callers at once, each answered with
/// its own row, and every row there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_callers_at_once_each_hear_their_own_answer() {
    let t = TestDb::new(Backend::Sqlite).await.unwrap();
    let db = Arc::new(t.db.clone());
    table(&db).await;
    let barrier = Arc::new(tokio::sync::Barrier::new(200));
    let tasks: Vec<_> = (0..200_i64)
        .map(|id| {
            let (db, barrier) = (db.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let then = if id % 7 == 3 {
                    Then::Fail
                } else {
                    Then::Succeed
                };
                (id, put(&db, id, then).await)
            })
        })
        .collect();
    for task in tasks {
        let (id, outcome) = task.await.unwrap();
        match id % 7 == 3 {
            true => assert!(outcome.is_err(), "piece {id} should be refused"),
            false => assert_eq!(outcome.unwrap(), id),
        }
    }
    let expected: Vec<i64> = (0..200).filter(|id| id % 7 != 3).collect();
    assert_eq!(ids(&db).await, expected);
    let stats = db.group_stats().unwrap();
    assert_eq!(stats.pieces, 200);
}

/// A row inserted later by piece `id` (and, for odd ids, a second with the same key, which
/// the statement's tail absorbs), then `then`.
async fn put_later(db: &Db, id: i64, then: Then) -> Result<i64, StoreError> {
    db.grouped(move |tx: &mut Tx| {
        Box::pin(async move {
            for _ in 0..(1 + id % 2) {
                tx.insert_later(
                    "insert into g (id, note)",
                    "on conflict (id) do nothing",
                    vec![id.into(), format!("later {id}").into()],
                )
                .await?;
            }
            then.outcome(id)
        })
    })
    .await
}

both_engines!(
    rows_inserted_later_are_stored_once_and_go_with_their_piece,
    |t: TestDb| async move {
        let db = &t.db;
        table(db).await;
        assert_eq!(put_later(db, 1, Then::Succeed).await.unwrap(), 1);
        assert!(put_later(db, 2, Then::Fail).await.is_err());
        assert_eq!(put_later(db, 3, Then::Succeed).await.unwrap(), 3);
        let notes: Vec<String> = sqlx::query_scalar("select note from g order by id")
            .fetch_all(db.pool())
            .await
            .unwrap();
        assert_eq!(notes, vec!["later 1", "later 3"]);
        // outside a group the row is there at once, for the rest of the transaction to read
        let mut tx = db.begin().await.unwrap();
        tx.insert_later(
            "insert into g (id, note)",
            "",
            vec![9_i64.into(), "now".into()],
        )
        .await
        .unwrap();
        let seen: i64 = sqlx::query_scalar("select count(*) from g where id = 9")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        assert_eq!(seen, 1);
        tx.rollback().await.unwrap();
    }
);

/// Pieces queued behind a held writer insert their rows later: the kept pieces' rows are
/// written together before the one commit, the failed and the panicked pieces' rows are not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_writes_the_kept_pieces_later_rows_only() {
    let t = TestDb::new(Backend::Sqlite).await.unwrap();
    let db = Arc::new(t.db.clone());
    table(&db).await;
    let before = db.group_stats().unwrap();
    let holder = db.begin().await.unwrap();
    let plan = [
        (11, Then::Succeed),
        (12, Then::Fail),
        (13, Then::Succeed),
        (14, Then::Panic),
        (15, Then::Succeed),
    ];
    let tasks: Vec<_> = plan
        .iter()
        .map(|&(id, then)| {
            let db = db.clone();
            tokio::spawn(async move { put_later(&db, id, then).await })
        })
        .collect();
    until_waiting(&db, 4).await;
    assert!(ids(&db).await.is_empty(), "nothing written while held");
    holder.rollback().await.unwrap();
    let mut kept = Vec::new();
    for task in tasks {
        if let Ok(id) = task.await.unwrap() {
            kept.push(id);
        }
    }
    assert_eq!(kept, vec![11, 13, 15]);
    assert_eq!(ids(&db).await, vec![11, 13, 15]);
    let after = db.group_stats().unwrap();
    assert_eq!(
        (after.groups - before.groups, after.pieces - before.pieces),
        (1, 5)
    );
}
