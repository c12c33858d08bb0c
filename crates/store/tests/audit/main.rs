//! The audit chain on both engines: clean logs verify; edits, deletions and a rewrite by
//! someone who knows the algorithm are found; concurrent appends keep the chain whole.
//! `seal.rs`: appending leaves the head alone, sealing chains rows in entry order, and
//! neither overlapping audited transactions nor overlapping sealers break the chain.

mod seal;

use serde_json::json;
use vamyar_store::audit::{self, AuditRow, Entry, GENESIS_HASH, Problem, ProblemKind};
use vamyar_store::testdb::TestDb;
use vamyar_store::{Db, both_engines};

/// The i-th sample entry: a mix of actors, outcomes, optional fields and Persian text.
fn entry(i: i64) -> Entry {
    match i % 4 {
        0 => Entry::staff(i, "application.approve", "application")
            .on(1000 + i)
            .detail(json!({"from": "office_review", "to": "approved", "note": "تأیید شد"}))
            .ip("10.0.0.7"),
        1 => Entry::applicant(i, "application.submit", "application").on(1000 + i),
        2 => Entry::anonymous("login", "staff_user")
            .denied()
            .detail(json!({"username": format!("user{i}")}))
            .ip("192.0.2.1"),
        _ => Entry::system("cob.run", "cob_run").failed(),
    }
}

/// Appends entries 1..=n, each in its own transaction, unsealed; returns their ids.
async fn append_unsealed(db: &Db, n: i64) -> Vec<i64> {
    let mut ids: Vec<i64> = Vec::new();
    for i in 1..=n {
        let mut tx = db.begin().await.unwrap();
        let id = audit::append(&mut tx, &entry(i)).await.unwrap();
        tx.commit().await.unwrap();
        assert!(ids.last().is_none_or(|last| *last < id), "ids grow");
        ids.push(id);
    }
    ids
}

/// Appends entries 1..=n and seals them: on a fresh log, seqs 1..=n.
async fn append_many(db: &Db, n: i64) -> Vec<i64> {
    let ids = append_unsealed(db, n).await;
    assert_eq!(audit::seal_all(db).await.unwrap(), n as u64);
    ids
}

async fn row(db: &Db, seq: i64) -> AuditRow {
    sqlx::query_as(
        "select seq, occurred_at, actor_kind, actor_id, action, entity, entity_id, outcome, \
         detail, ip, prev_hash, hash from audit_log where seq = $1",
    )
    .bind(seq)
    .fetch_one(db.pool())
    .await
    .unwrap()
}

async fn exec(db: &Db, sql: &str, seq: i64) {
    let done = sqlx::query(sql).bind(seq).execute(db.pool()).await.unwrap();
    assert_eq!(done.rows_affected(), 1, "{sql}");
}

fn problem(seq: i64, kind: ProblemKind) -> Problem {
    Problem { seq, kind }
}

both_engines!(an_empty_log_verifies, |t: TestDb| async move {
    let report = audit::verify(&t.db).await.unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!((report.rows, report.unsealed), (0, 0));
    assert_eq!(audit::head(&t.db).await.unwrap(), None);
    assert_eq!(audit::seal_all(&t.db).await.unwrap(), 0);
    assert_eq!(
        audit::head(&t.db).await.unwrap(),
        None,
        "nothing sealed, no head"
    );
});

both_engines!(a_clean_log_verifies_across_pages, |t: TestDb| async move {
    append_many(&t.db, 60).await;
    let report = audit::verify(&t.db).await.unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!((report.rows, report.unsealed), (60, 0));
    // pages that end exactly on the last row, and pages that do not
    for page in [1, 7, 20, 60, 61] {
        let paged = audit::verify_in_pages(&t.db, page).await.unwrap();
        assert!(paged.ok && paged.rows == 60, "page {page}: {paged:?}");
    }
    let first = row(&t.db, 1).await;
    assert_eq!(first.prev_hash, GENESIS_HASH);
    assert_eq!(first.hash, audit::row_hash(&first));
    assert_eq!(row(&t.db, 2).await.prev_hash, first.hash);
    let head = audit::head(&t.db).await.unwrap().unwrap();
    assert_eq!(head.seq, 60);
    assert_eq!(head.hash, row(&t.db, 60).await.hash);
    assert_eq!(report.head, Some(head));
    // the detail is stored as canonical JSON and reads back
    let stored = row(&t.db, 4).await;
    assert!(
        stored
            .detail
            .starts_with(r#"{"from":"office_review","note":"#)
    );
    assert_eq!(stored.detail_json()["note"], "تأیید شد");
    assert_eq!(stored.actor_kind, "staff");
    assert_eq!(stored.ip.as_deref(), Some("10.0.0.7"));
    assert_eq!(row(&t.db, 2).await.outcome, "denied");
    assert_eq!(row(&t.db, 3).await.actor_id, None);
});

both_engines!(a_rolled_back_append_leaves_no_gap, |t: TestDb| async move {
    append_many(&t.db, 2).await;
    let mut tx = t.db.begin().await.unwrap();
    audit::append(&mut tx, &entry(3)).await.unwrap();
    tx.rollback().await.unwrap();
    audit::append_now(&t.db, &entry(3)).await.unwrap();
    assert_eq!(audit::seal_all(&t.db).await.unwrap(), 1);
    let report = audit::verify(&t.db).await.unwrap();
    assert!(report.ok && report.rows == 3, "{report:?}");
    assert_eq!(row(&t.db, 3).await.outcome, "failed");
});

both_engines!(
    an_edited_detail_is_a_hash_mismatch,
    |t: TestDb| async move {
        append_many(&t.db, 20).await;
        exec(
            &t.db,
            "update audit_log set detail = '{\"note\":\"nothing to see\"}' where seq = $1",
            13,
        )
        .await;
        let report = audit::verify(&t.db).await.unwrap();
        assert!(!report.ok);
        assert_eq!(report.rows, 20);
        assert_eq!(
            report.problems,
            vec![problem(13, ProblemKind::HashMismatch)]
        );
        assert_eq!(
            report.problems[0].to_string(),
            "seq 13: hash mismatch (row edited)"
        );
    }
);

both_engines!(a_deleted_middle_row_is_a_gap, |t: TestDb| async move {
    append_many(&t.db, 20).await;
    exec(&t.db, "delete from audit_log where seq = $1", 8).await;
    let report = audit::verify(&t.db).await.unwrap();
    assert!(!report.ok);
    assert_eq!(report.rows, 19);
    assert_eq!(
        report.problems,
        vec![
            problem(8, ProblemKind::Gap),
            problem(9, ProblemKind::BrokenLink)
        ]
    );
});

both_engines!(a_deleted_first_row_is_found, |t: TestDb| async move {
    append_many(&t.db, 5).await;
    exec(&t.db, "delete from audit_log where seq = $1", 1).await;
    let report = audit::verify(&t.db).await.unwrap();
    assert_eq!(
        report.problems,
        vec![
            problem(1, ProblemKind::Gap),
            problem(2, ProblemKind::BrokenLink)
        ]
    );
});

both_engines!(
    a_deleted_last_row_is_a_head_mismatch,
    |t: TestDb| async move {
        append_many(&t.db, 20).await;
        exec(&t.db, "delete from audit_log where seq = $1", 20).await;
        let report = audit::verify(&t.db).await.unwrap();
        assert!(!report.ok);
        assert_eq!(report.rows, 19);
        assert_eq!(
            report.problems,
            vec![problem(20, ProblemKind::HeadMismatch)]
        );
    }
);

both_engines!(a_deleted_head_is_a_head_mismatch, |t: TestDb| async move {
    append_many(&t.db, 3).await;
    exec(&t.db, "delete from audit_head where id = $1", 1).await;
    let report = audit::verify(&t.db).await.unwrap();
    assert_eq!(report.problems, vec![problem(3, ProblemKind::HeadMismatch)]);
    // the sealer does not start the chain again without its head
    audit::append_now(&t.db, &entry(4)).await.unwrap();
    let refused = audit::seal_all(&t.db).await.unwrap_err();
    assert!(refused.to_string().contains("head"), "{refused}");
    let report = audit::verify(&t.db).await.unwrap();
    assert_eq!(report.problems, vec![problem(3, ProblemKind::HeadMismatch)]);
    assert_eq!((report.rows, report.unsealed), (3, 1));
});

both_engines!(
    a_rewritten_row_with_a_recomputed_hash_breaks_the_next_link,
    |t: TestDb| async move {
        append_many(&t.db, 20).await;
        // An attacker who knows the algorithm rewrites row 11 and gives it a valid hash.
        let mut forged = row(&t.db, 11).await;
        forged.detail = r#"{"note":"approved by the book"}"#.to_string();
        forged.hash = audit::row_hash(&forged);
        sqlx::query("update audit_log set detail = $1, hash = $2 where seq = $3")
            .bind(&forged.detail)
            .bind(&forged.hash)
            .bind(11_i64)
            .execute(t.db.pool())
            .await
            .unwrap();
        let report = audit::verify(&t.db).await.unwrap();
        assert!(!report.ok);
        assert_eq!(report.problems, vec![problem(12, ProblemKind::BrokenLink)]);
        // Re-linking row 12 as well only moves the break to 12's own hash.
        sqlx::query("update audit_log set prev_hash = $1 where seq = $2")
            .bind(&forged.hash)
            .bind(12_i64)
            .execute(t.db.pool())
            .await
            .unwrap();
        let report = audit::verify(&t.db).await.unwrap();
        assert_eq!(
            report.problems,
            vec![problem(12, ProblemKind::HashMismatch)]
        );
    }
);

both_engines!(
    concurrent_appends_and_a_sealer_make_one_unbroken_chain,
    |t: TestDb| async move {
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let sealer = {
            let (db, done) = (t.db.clone(), done.clone());
            tokio::spawn(async move {
                let mut sealed = 0;
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    sealed += audit::seal(&db, 7).await.unwrap();
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                }
                sealed
            })
        };
        let mut tasks = Vec::new();
        for task in 0..8_i64 {
            let db = t.db.clone();
            tasks.push(tokio::spawn(async move {
                let mut ids = Vec::new();
                for i in 0..25_i64 {
                    let mut tx = db.begin().await.unwrap();
                    let e = entry(task * 100 + i).detail(json!({"task": task, "i": i}));
                    ids.push(audit::append(&mut tx, &e).await.unwrap());
                    tx.commit().await.unwrap();
                }
                ids
            }));
        }
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.unwrap());
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        let sealed = sealer.await.unwrap() + audit::seal_all(&t.db).await.unwrap();
        assert_eq!(sealed, 200);
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 200, "every append has its own id");
        let report = audit::verify(&t.db).await.unwrap();
        assert!(report.ok, "{report:?}");
        assert_eq!((report.rows, report.unsealed), (200, 0));
        assert_eq!(audit::head(&t.db).await.unwrap().unwrap().seq, 200);
    }
);

both_engines!(
    verify_runs_beside_appends_and_seals,
    |t: TestDb| async move {
        append_many(&t.db, 10).await;
        let writer = {
            let db = t.db.clone();
            tokio::spawn(async move {
                for i in 0..40 {
                    audit::append_now(&db, &entry(i)).await.unwrap();
                    if i % 3 == 0 {
                        audit::seal(&db, 2).await.unwrap();
                    }
                }
            })
        };
        for _ in 0..5 {
            let report = audit::verify_in_pages(&t.db, 3).await.unwrap();
            assert!(report.ok, "{report:?}");
            assert!(report.rows + report.unsealed <= 50, "{report:?}");
        }
        writer.await.unwrap();
        audit::seal_all(&t.db).await.unwrap();
        let report = audit::verify(&t.db).await.unwrap();
        assert!(report.ok && report.rows == 50, "{report:?}");
    }
);

both_engines!(
    recent_lists_an_entitys_rows_newest_first_sealed_or_not,
    |t: TestDb| async move {
        let ids = append_many(&t.db, 12).await;
        let unsealed = audit::append_now(
            &t.db,
            &Entry::staff(3, "application.return", "application").on(1004),
        )
        .await
        .unwrap();
        let rows = audit::recent(&t.db, "application", Some("1004"), 10)
            .await
            .unwrap();
        let actions: Vec<_> = rows.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(actions, ["application.return", "application.approve"]);
        assert_eq!(
            (rows[0].id, rows[0].seq, rows[0].hash.as_deref()),
            (unsealed, None, None)
        );
        assert!(!rows[0].is_sealed() && rows[1].is_sealed());
        assert_eq!(rows[1].seq, Some(4));
        let any = audit::recent(&t.db, "application", None, 3).await.unwrap();
        assert_eq!(
            any.iter().map(|r| r.id).collect::<Vec<_>>(),
            [unsealed, ids[11], ids[8]]
        );
        assert!(
            audit::recent(&t.db, "loan", None, 10)
                .await
                .unwrap()
                .is_empty()
        );
    }
);
