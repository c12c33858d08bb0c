//! Group commit on SQLite: the writer connection commits without flushing
//! (`synchronous = normal`) and [`vamyar_store::Tx::commit`] returns only after a flush of the
//! write-ahead log that began after the commit; commits made while a flush runs share the next.

use std::sync::Arc;

use tokio::sync::Barrier;
use vamyar_store::testdb::TestDb;
use vamyar_store::{Backend, Tx};

async fn sqlite() -> TestDb {
    let t = TestDb::new(Backend::Sqlite).await.unwrap();
    sqlx::raw_sql("create table gc (id integer primary key, note text not null)")
        .execute(t.db.pool())
        .await
        .unwrap();
    t
}

/// Writes row `id` of the test table in `tx`.
async fn insert(tx: &mut Tx, id: i64) {
    sqlx::query("insert into gc (id, note) values ($1, 'x')")
        .bind(id)
        .execute(&mut **tx)
        .await
        .unwrap();
}

#[tokio::test]
async fn every_commit_returns_after_a_flush_that_followed_it() {
    let t = sqlite().await;
    let db = &t.db;
    for i in 0..5_i64 {
        let before = db.log_flushes();
        let mut tx = db.begin().await.unwrap();
        let level: i64 = sqlx::query_scalar("pragma synchronous")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        assert_eq!(
            level, 1,
            "the writer commits at `normal`: the flush is ours"
        );
        insert(&mut tx, i).await;
        tx.commit().await.unwrap();
        assert_eq!(
            db.log_flushes(),
            before + 1,
            "commit {i} was flushed before it returned"
        );
    }
    let level: i64 = sqlx::query_scalar("pragma synchronous")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(level, 2, "the other connections keep `full`");
    let rolled = db.log_flushes();
    let mut tx = db.begin().await.unwrap();
    insert(&mut tx, 99).await;
    tx.rollback().await.unwrap();
    assert_eq!(db.log_flushes(), rolled, "a rollback has nothing to flush");
}

/// Forces the overlap: a flush is held open (as a slow disk would) while eight transactions
/// commit. All eight are committed (other connections read their rows) yet none has returned:
/// no commit is acknowledged before a flush that began after it. When the flush ends, one more
/// flush serves all eight.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn commits_made_during_a_flush_wait_for_the_next_and_share_it() {
    let t = sqlite().await;
    let db = Arc::new(t.db.clone());
    let sync = db.log_sync().expect("a SQLite file has a group commit");
    let before = db.log_flushes();
    let running = sync.hold().await;
    let barrier = Arc::new(Barrier::new(8));
    let tasks: Vec<_> = (0..8_i64)
        .map(|i| {
            let (db, barrier) = (db.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let mut tx = db.begin().await.unwrap();
                insert(&mut tx, i).await;
                tx.commit().await.unwrap();
            })
        })
        .collect();
    let mut rows = 0_i64;
    for _ in 0..500 {
        rows = sqlx::query_scalar("select count(*) from gc")
            .fetch_one(db.pool())
            .await
            .unwrap();
        if rows == 8 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(rows, 8, "all eight committed while the flush was held");
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(
        tasks.iter().all(|t| !t.is_finished()),
        "no commit returned before its flush"
    );
    drop(running);
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(
        db.log_flushes() - before,
        1,
        "one flush served the eight commits"
    );
}

/// A caller dropped at any point of `Db::begin` (a client hanging up) leaves the writer free
/// and outside any transaction: the begin is abandoned after 1, 2, … polls, each with time for
/// the connection's thread to run in between, and the next transaction begins and commits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_begin_abandoned_midway_leaves_the_writer_usable() {
    use std::future::Future;
    use std::task::Poll;

    let t = sqlite().await;
    let db = &t.db;
    for polls in 1..=8 {
        for round in 0..4_i64 {
            let mut begin = Box::pin(db.begin());
            for _ in 0..polls {
                let ready =
                    std::future::poll_fn(|cx| Poll::Ready(begin.as_mut().poll(cx).is_ready()))
                        .await;
                if ready {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_micros(200 * (round as u64 + 1)))
                    .await;
            }
            drop(begin);
            let mut tx = tokio::time::timeout(std::time::Duration::from_secs(10), db.begin())
                .await
                .expect("the writer was given back")
                .unwrap_or_else(|e| panic!("after {polls} polls: {e}"));
            insert(&mut tx, polls * 10 + round).await;
            tx.commit().await.unwrap();
        }
    }
    let rows: i64 = sqlx::query_scalar("select count(*) from gc")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(rows, 32);
}
