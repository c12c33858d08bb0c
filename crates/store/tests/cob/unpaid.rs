//! Unpaid installments by due date, through the partial index on open installments by status
//! and due date: the reminders' list (queued once) and how far running schedules reach.

use vamyar_domain::announcement::Notice;
use vamyar_store::both_engines;
use vamyar_store::cob::steps;
use vamyar_store::testdb::TestDb;

use super::{base, exec, loan, scalar};

both_engines!(
    reminders_are_queued_once_for_installments_due_in_three_days,
    |t: TestDb| async move {
        let db = &t.db;
        base(db).await;
        loan(
            db,
            1,
            300,
            &[("2026-03-10", 100, 5), ("2026-04-10", 200, 5)],
        )
        .await;
        loan(db, 2, 300, &[("2026-03-10", 300, 5)]).await;
        exec(db, "update installment set principal_paid = 300, fee_paid = 5, status = 'paid' where id = 201").await;
        let ids = steps::unpaid_due_on(db.pool(), "2026-03-10").await.unwrap();
        assert_eq!(ids, vec![101], "paid installments get no reminder");
        for _ in 0..2 {
            let mut tx = db.begin().await.unwrap();
            steps::queue_installment_messages(&mut tx, Notice::reminder, "reminder", &ids)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        assert_eq!(
            scalar(
                db,
                "select count(*) from outbox where dedupe_key = 'reminder:101'"
            )
            .await,
            1
        );
        assert_eq!(scalar(db, "select count(*) from outbox").await, 1);
    }
);

both_engines!(
    unpaid_installments_of_every_status_are_found_by_due_date,
    |t: TestDb| async move {
        let db = &t.db;
        base(db).await;
        let dues = [("2026-03-10", 1, 0), ("2026-03-10", 1, 0)];
        loan(db, 1, 2, &dues).await;
        loan(
            db,
            2,
            3,
            &[
                ("2026-03-10", 1, 0),
                ("2026-09-10", 1, 0),
                ("2027-05-10", 1, 0),
            ],
        )
        .await;
        // 101 pending, 102 overdue, 201 paid; 203 (the last date) paid, 202 pending
        exec(
            db,
            "update installment set status = 'overdue' where id = 102; \
                  update installment set status = 'paid' where id in (201, 203)",
        )
        .await;
        let ids = steps::unpaid_due_on(db.pool(), "2026-03-10").await.unwrap();
        assert_eq!(ids, vec![101, 102], "each unpaid status, not the paid one");
        // the reach read as set up, then after each change of status
        for (change, reach, why) in [
            (
                "select 1",
                Some("2026-09-10"),
                "a pending one before the last",
            ),
            (
                "update installment set status = 'overdue' where id = 202",
                Some("2026-09-10"),
                "an overdue one",
            ),
            (
                "update installment set status = 'pending' where id = 203",
                Some("2027-05-10"),
                "a pending one, the last",
            ),
            (
                "update installment set status = 'paid'",
                None,
                "nothing owed",
            ),
        ] {
            exec(db, change).await;
            let got = vamyar_store::reference::schedules_reach(db).await.unwrap();
            assert_eq!(got.map(|d| d.to_string()).as_deref(), reach, "{why}");
        }
    }
);

both_engines!(
    an_installment_is_never_stored_as_due,
    |t: TestDb| async move {
        let db = &t.db;
        base(db).await;
        loan(db, 1, 3, &[("2026-03-10", 3, 0)]).await;
        for sql in [
            "update installment set status = 'due' where id = 101",
            "insert into installment (id, loan_id, seq, due_on, principal_due, fee_due, status,
             created_at, updated_at)
             values (102, 1, 2, '2026-04-10', 1, 0, 'due', '2026-03-01', '2026-03-01')",
        ] {
            let refused = sqlx::query(sql).execute(db.pool()).await;
            assert!(refused.is_err(), "{sql}: {refused:?}");
        }
        assert_eq!(
            scalar(
                db,
                "select count(*) from installment where status = 'pending'"
            )
            .await,
            1,
            "nothing changed"
        );
    }
);

// On SQLite the pass over the loans in arrears lists the overdue installments from the index
// of exactly them (migration 0027; its loan and id are all the query reads, so SQLite's seek
// of each row is deferred and never made); the same list on both engines, leaving out
// installments paid but for their late charge.
both_engines!(
    overdue_installments_are_listed_from_their_own_index,
    |t: TestDb| async move {
        let db = &t.db;
        base(db).await;
        loan(
            db,
            1,
            300,
            &[("2026-01-10", 100, 5), ("2026-02-10", 200, 5)],
        )
        .await;
        loan(db, 2, 300, &[("2026-01-10", 300, 5)]).await;
        exec(
            db,
            "update installment set status = 'overdue' where id in (101, 102, 201)",
        )
        .await;
        exec(
            db,
            "update installment set principal_paid = 300, fee_paid = 5 where id = 201",
        )
        .await;
        let late = vamyar_store::cob::arrears::overdue_by_loan(db)
            .await
            .unwrap();
        assert_eq!(
            late.into_iter().collect::<Vec<_>>(),
            vec![(1, vec![101, 102])]
        );
        if db.backend() == vamyar_store::Backend::Sqlite {
            let sql = vamyar_store::cob::arrears::overdue_by_loan_sql(db.backend());
            let plan: Vec<(i64, i64, i64, String)> =
                sqlx::query_as(&format!("explain query plan {sql}"))
                    .fetch_all(db.pool())
                    .await
                    .unwrap();
            let detail: Vec<&str> = plan.iter().map(|p| p.3.as_str()).collect();
            assert!(
                detail
                    .iter()
                    .any(|d| d.contains("USING INDEX installment_overdue_loan")),
                "{detail:?}"
            );
        }
    }
);
