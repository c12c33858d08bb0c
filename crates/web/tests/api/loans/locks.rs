//! A payment takes the file's lock and then the loan's, the order every writer of a loan
//! takes them, although it takes both in one statement (`loan::lock_for_payment`). Forced on
//! PostgreSQL (on SQLite one writer at a time holds the whole database): a transaction holds
//! one of the two rows while the payment waits, and a third connection finds which of the
//! rows the waiting payment holds.

use std::sync::Arc;
use std::time::{Duration as Wait, Instant};

use sqlx::{Any, Pool, Transaction};
use tokio::task::JoinHandle;
use vamyar_store::Backend;

use super::*;

/// Waits (at most a minute) until a statement of this database waits for a row lock.
async fn until_a_payment_waits(pool: &Pool<Any>) {
    let start = Instant::now();
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "select count(*) from pg_stat_activity where datname = current_database() \
             and wait_event_type = 'Lock' and query like '%locked_file%'",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        if waiting > 0 {
            return;
        }
        assert!(
            start.elapsed() < Wait::from_secs(60),
            "the payment never waited for the held lock"
        );
        tokio::time::sleep(Wait::from_millis(20)).await;
    }
}

/// Whether `sql` (a `for update nowait` of one row) takes its lock now; rolled back.
async fn free(pool: &Pool<Any>, sql: &str, id: i64) -> bool {
    let mut tx = pool.begin().await.unwrap();
    let took = sqlx::query(sql).bind(id).fetch_optional(&mut *tx).await;
    tx.rollback().await.unwrap();
    match took {
        Ok(row) => {
            assert!(row.is_some(), "{sql} found its row");
            true
        }
        Err(e) => {
            assert!(
                e.to_string().contains("could not obtain lock"),
                "a lock refused, not another error: {e}"
            );
            false
        }
    }
}

/// Locks `sql`'s row `row` in a transaction left open, then posts a payment of 1,000,000
/// rials to `loan` and returns once it waits for a lock: the open transaction and the
/// waiting payment.
async fn pay_behind(
    app: &Arc<TestApp>,
    token: &str,
    sql: &str,
    row: i64,
    loan: i64,
    reference: &'static str,
) -> (Transaction<'static, Any>, JoinHandle<(u16, Value)>) {
    let pool = app.db.db.pool().clone();
    let mut held = pool.begin().await.unwrap();
    sqlx::query(sql)
        .bind(row)
        .fetch_one(&mut *held)
        .await
        .unwrap();
    let paying = {
        let (app, token) = (app.clone(), token.to_string());
        tokio::spawn(async move { pay(&app, &token, loan, 1_000_000, today(), reference).await })
    };
    until_a_payment_waits(&pool).await;
    (held, paying)
}

const FILE: &str = "select id from application where id = $1 for update nowait";
const LOAN: &str = "select id from loan where id = $1 for update nowait";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(pg_tests), ignore = "VAMYAR_TEST_POSTGRES_URL is not set")]
async fn a_payment_locks_the_file_before_the_loan() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let app = Arc::new(TestApp::spawn(db).await);
    let program = demo_program(&app).await;
    let s = staff(&app).await;
    let (id, version) = bank_approved(&app, &s, program, "0076229645", 300).await;
    let loan = disburse(&app, &s, id, version, "C-LOCKS-1", 290).await;
    let pool = app.db.db.pool().clone();

    // the file held: the waiting payment holds nothing, the loan is free
    let (held, paying) = pay_behind(&app, &s.bank, FILE, id, loan, "REF-LOCK-1").await;
    assert!(
        free(&pool, LOAN, loan).await,
        "waiting for the file, the payment must not hold the loan"
    );
    held.rollback().await.unwrap();
    let (status, body) = paying.await.unwrap();
    assert_eq!(status, 201, "{body}");

    // the loan held: the waiting payment already holds the file
    let (held, paying) = pay_behind(&app, &s.bank, LOAN, loan, loan, "REF-LOCK-2").await;
    assert!(
        !free(&pool, FILE, id).await,
        "waiting for the loan, the payment holds the file"
    );
    held.rollback().await.unwrap();
    let (status, body) = paying.await.unwrap();
    assert_eq!(status, 201, "{body}");
    let posted: i64 = sqlx::query_scalar("select count(*) from payment where loan_id = $1")
        .bind(loan)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(posted, 2);
}
