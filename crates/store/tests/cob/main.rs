//! The SQL of close of business, on both engines: installments falling due and overdue on the
//! right dates, notices and reminders queued once, arrears, breaches, the portfolio's totals
//! and PAR30 on a small hand-made portfolio, run bookkeeping and the lease. `unpaid.rs`: the
//! reads of unpaid installments by due date (reminders, how far schedules reach).

mod unpaid;

use chrono::Duration;
use vamyar_domain::announcement::Notice;
use vamyar_store::cob::{self, arrears, lease, portfolio, steps};
use vamyar_store::testdb::TestDb;
use vamyar_store::{Db, both_engines};

const NOW: &str = "2026-01-01T00:00:00.000000Z";

async fn exec(db: &Db, sql: &str) {
    sqlx::raw_sql(sql).execute(db.pool()).await.unwrap();
}

async fn scalar(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

/// A program, a bank with a branch, a memorandum and a quota in Tehran province: ids 1.
async fn base(db: &Db) {
    exec(db, &format!(
        "insert into program (id, jalali_year, code, title_fa, title_en, fee_rate_bp, term_months, \
         schedule_method, eligible_groups, required_documents, priority_weights, service_levels, \
         visit_months, created_at, updated_at) values (1, 1404, 'p', 'p', 'p', 400, 36, 'flat', \
         '[]', '[]', '{{}}', '{{}}', '[]', '{NOW}', '{NOW}');
         insert into bank (id, code, name_fa, name_en, created_at) values (1, 'b', 'b', 'b', '{NOW}');
         insert into branch (id, bank_id, code, name_fa, name_en, province_code, created_at)
             values (1, 1, 'br', 'br', 'br', '07', '{NOW}');
         insert into memorandum (id, bank_id, program_id, number, signed_on, valid_from, valid_to,
             fee_rate_bp, term_months, created_at)
             values (1, 1, 1, 'm', '2025-01-01', '2025-01-01', '2027-01-01', 400, 36, '{NOW}');
         insert into quota (id, memorandum_id, province_code, count_limit, amount_limit,
             count_used, amount_used, created_at, updated_at)
             values (1, 1, '07', 10, 10000000000, 0, 0, '{NOW}', '{NOW}');"
    ))
    .await;
}

/// Applicant, file, referral and loan number `n` (ids `n`) with `principal`, and installments
/// `(due_on, principal, fee)` with ids `100 n + seq`.
async fn loan(db: &Db, n: i64, principal: i64, dues: &[(&str, i64, i64)]) {
    exec(
        db,
        &format!(
        "insert into person (id, national_id, first_name, last_name, gender, mobile, province_code,
             county_code, created_at, updated_at)
             values ({n}, '00000000{n:02}', 'a', 'b', 'female', '091200000{n:02}', '07', '07-15',
             '{NOW}', '{NOW}');
         insert into application (id, tracking_code, person_id, program_id, loan_type, channel,
             state, requested_amount, business_title, province_code, county_code, submitted_at,
             state_changed_at, created_at, updated_at)
             values ({n}, '1000000000{n:02}', {n}, 1, 'self_employment', 'web', 'active',
             {principal}, 't', '07', '07-15', '{NOW}', '{NOW}', '{NOW}', '{NOW}');
         insert into referral (id, application_id, memorandum_id, quota_id, bank_id, branch_id,
             letter_number, amount, issued_on, valid_until, status, created_at, updated_at)
             values ({n}, {n}, 1, 1, 1, 1, 'L{n}', {principal}, '2025-12-01', '2025-12-31',
             'disbursed', '{NOW}', '{NOW}');
         insert into loan (id, application_id, referral_id, bank_id, contract_number, principal,
             fee_rate_bp, term_months, grace_months, schedule_method, late_charge_extra_bp,
             disbursed_on, total_fee, status, created_at, updated_at)
             values ({n}, {n}, {n}, 1, 'C{n}', {principal}, 400, 36, 0, 'flat', 600,
             '2025-12-10', 0, 'active', '{NOW}', '{NOW}');"
    ),
    )
    .await;
    for (i, (due, p, f)) in dues.iter().enumerate() {
        let id = 100 * n + i as i64 + 1;
        exec(
            db,
            &format!(
                "insert into installment (id, loan_id, seq, due_on, principal_due, fee_due,
                 created_at, updated_at)
                 values ({id}, {n}, {}, '{due}', {p}, {f}, '{NOW}', '{NOW}')",
                i + 1
            ),
        )
        .await;
    }
}

async fn status(db: &Db, id: i64) -> String {
    sqlx::query_scalar("select status from installment where id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

both_engines!(
    installments_fall_due_on_their_date_and_overdue_the_day_after,
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
        // falling due on its date is counted, not written: it stays pending (shown as due)
        assert_eq!(
            steps::falling_due_on(db.pool(), "2026-03-10")
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            steps::falling_due_on(db.pool(), "2026-03-11")
                .await
                .unwrap(),
            0
        );
        assert_eq!(status(db, 101).await, "pending");
        // due today is not overdue
        assert!(
            steps::pending_before(db, "2026-03-10")
                .await
                .unwrap()
                .is_empty()
        );
        let ids = steps::pending_before(db, "2026-03-11").await.unwrap();
        assert_eq!(ids, vec![101], "the installment due later is not listed");
        let mut tx = db.begin().await.unwrap();
        let changed = steps::mark_overdue(&mut tx, "2026-03-11", &ids)
            .await
            .unwrap();
        assert_eq!(changed, vec![101]);
        for expected in [1, 0] {
            let n =
                steps::queue_installment_messages(&mut tx, Notice::overdue, "overdue", &changed)
                    .await
                    .unwrap();
            assert_eq!(n, expected, "queued once");
        }
        assert!(
            steps::mark_overdue(&mut tx, "2026-03-11", &ids)
                .await
                .unwrap()
                .is_empty()
        );
        tx.commit().await.unwrap();
        assert_eq!(status(db, 101).await, "overdue");
        let (recipient, payload, key): (String, String, String) = sqlx::query_as(
            "select recipient, payload, dedupe_key from outbox where event = 'overdue_notice'",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(recipient, "09120000001");
        assert_eq!(key, "overdue:101");
        let payload: serde_json::Value = serde_json::from_str(&payload).unwrap();
        assert_eq!(payload["tracking_code"], "100000000001");
        assert_eq!(payload["notice"]["kind"], "overdue_notice");
        assert_eq!(payload["notice"]["due_on"], "2026-03-10");
        assert_eq!(payload["notice"]["amount_owed"], 105);
    }
);

both_engines!(
    arrears_read_unpaid_overdue_installments_and_write_in_one_statement,
    |t: TestDb| async move {
        let db = &t.db;
        base(db).await;
        loan(
            db,
            1,
            300,
            &[
                ("2026-01-10", 100, 5),
                ("2026-02-10", 100, 5),
                ("2026-03-10", 100, 5),
            ],
        )
        .await;
        loan(db, 2, 300, &[("2026-01-20", 300, 5)]).await;
        exec(
            db,
            "update installment set status = 'overdue' where id in (101, 102, 201)",
        )
        .await;
        // only the late charge is left on 201: not in arrears
        exec(db, "update installment set principal_paid = 300, fee_paid = 5, late_charge_due = 9 where id = 201").await;
        let late = arrears::overdue_by_loan(db).await.unwrap();
        assert_eq!(late.keys().copied().collect::<Vec<_>>(), vec![1]);
        assert_eq!(late[&1], vec![101, 102]);
        exec(
            db,
            "update loan set arrears_bucket = '1_30', arrears_since = '2026-03-08' where id = 2",
        )
        .await;
        assert_eq!(steps::loans_in_arrears(db.pool()).await.unwrap(), vec![2]);
        let mut tx = db.begin().await.unwrap();
        let rates = arrears::lock_loans(&mut tx, &[1, 2]).await.unwrap();
        assert_eq!(rates.len(), 2);
        assert_eq!(
            (rates[0].fee_rate_bp, rates[0].late_charge_extra_bp),
            (400, 600)
        );
        assert_eq!(
            arrears::installments(&mut tx, &[102, 101])
                .await
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            arrears::write_late_charges(&mut tx, "2026-03-11", &[(101, 7), (102, 3)])
                .await
                .unwrap(),
            2
        );
        let rows = [
            (1, Some("2026-01-10".to_string()), "31_90"),
            (2, None, "current"),
        ];
        assert_eq!(arrears::write_arrears(&mut tx, &rows).await.unwrap(), 2);
        assert_eq!(
            arrears::write_arrears(&mut tx, &rows).await.unwrap(),
            0,
            "unchanged rows are left"
        );
        // another day in arrears changes neither the date nor the bucket: nothing is written;
        // a new date (the oldest installment paid) or bucket is
        assert_eq!(
            arrears::write_arrears(&mut tx, &rows[..1]).await.unwrap(),
            0
        );
        let later = [(1, Some("2026-02-10".to_string()), "31_90")];
        assert_eq!(arrears::write_arrears(&mut tx, &later).await.unwrap(), 1);
        let worse = [(1, Some("2026-02-10".to_string()), "over_90")];
        assert_eq!(arrears::write_arrears(&mut tx, &worse).await.unwrap(), 1);
        assert_eq!(
            arrears::write_arrears(&mut tx, &rows[..1]).await.unwrap(),
            1
        );
        tx.commit().await.unwrap();
        assert_eq!(steps::loans_in_arrears(db.pool()).await.unwrap(), vec![1]);
        let since: String = sqlx::query_scalar("select arrears_since from loan where id = 1")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(since, "2026-01-10");
        let current: Option<String> =
            sqlx::query_scalar("select arrears_since from loan where id = 2")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(current, None);
        assert_eq!(
            scalar(db, "select late_charge_due from installment where id = 101").await,
            7
        );
        let through: String =
            sqlx::query_scalar("select late_charge_through from installment where id = 102")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(through, "2026-03-11");
    }
);

both_engines!(par30_of_a_small_portfolio, |t: TestDb| async move {
    let db = &t.db;
    base(db).await;
    loan(
        db,
        1,
        100_000_000,
        &[("2026-01-10", 10_000_000, 0), ("2026-02-10", 90_000_000, 0)],
    )
    .await;
    loan(db, 2, 200_000_000, &[("2026-01-10", 200_000_000, 0)]).await;
    loan(db, 3, 50_000_000, &[("2026-01-10", 50_000_000, 0)]).await;
    loan(db, 4, 80_000_000, &[("2026-01-10", 80_000_000, 0)]).await;
    // a payment on loan 1 (the trigger keeps principal_repaid); loan 4 repaid and closed
    exec(
        db,
        "update installment set principal_paid = 10000000, status = 'paid' where id = 101",
    )
    .await;
    exec(
        db,
        "update installment set principal_paid = 80000000, status = 'paid' where id = 401",
    )
    .await;
    exec(db, "update loan set status = 'closed' where id = 4").await;
    exec(
        db,
        "update loan set arrears_bucket = '31_90', arrears_since = '2026-01-20' where id = 2",
    )
    .await;
    exec(
        db,
        "update loan set arrears_bucket = '1_30', arrears_since = '2026-02-24' where id = 3",
    )
    .await;
    assert_eq!(
        scalar(db, "select principal_repaid from loan where id = 1").await,
        10_000_000
    );
    let mut tx = db.begin().await.unwrap();
    while portfolio::fold_ledger(&mut tx, 2).await.unwrap() > 0 {}
    let s = portfolio::write_snapshot(&mut tx, "2026-03-01")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(s.active_loans, 3);
    assert_eq!(s.outstanding_principal, 340_000_000);
    assert_eq!(s.at_risk_30_principal, 200_000_000);
    assert_eq!(s.par30_bp, 5882); // 58.82 %
    assert_eq!((s.bucket_1_30, s.bucket_31_90, s.bucket_over_90), (1, 1, 0));
    assert_eq!(
        portfolio::totals(db.pool()).await.unwrap(),
        portfolio::recount(db.pool()).await.unwrap()
    );
    assert_eq!(
        portfolio::snapshot(db.pool(), "2026-03-01").await.unwrap(),
        Some(s)
    );
    assert_eq!(scalar(db, "select count(*) from portfolio_ledger").await, 0);
});

both_engines!(
    breaches_flag_open_agency_and_bank_stages_past_due,
    |t: TestDb| async move {
        let db = &t.db;
        base(db).await;
        loan(db, 1, 300, &[]).await;
        loan(db, 2, 300, &[]).await;
        loan(db, 3, 300, &[]).await;
        exec(db, &format!(
        "insert into stage_timing (id, application_id, state, owner, started_at, ended_at, due_on, created_at) values
         (1, 1, 'submitted', 'agency', '{NOW}', null, '2026-03-09', '{NOW}'),
         (2, 2, 'needs_correction', 'applicant', '{NOW}', null, '2026-03-01', '{NOW}'),
         (3, 3, 'referred', 'bank', '{NOW}', null, '2026-03-10', '{NOW}'),
         (4, 3, 'submitted', 'agency', '{NOW}', '{NOW}', '2026-03-01', '{NOW}')"
    ))
    .await;
        let ids = steps::breached_stages(db.pool(), "2026-03-10")
            .await
            .unwrap();
        assert_eq!(
            ids,
            vec![1],
            "due today is not yet breached; closed and applicant stages never"
        );
        let mut tx = db.begin().await.unwrap();
        assert_eq!(steps::flag_breaches(&mut tx, &ids).await.unwrap(), vec![1]);
        assert!(
            steps::flag_breaches(&mut tx, &ids)
                .await
                .unwrap()
                .is_empty()
        );
        tx.commit().await.unwrap();
        assert_eq!(
            scalar(db, "select is_breached from application where id = 1").await,
            1
        );
        assert_eq!(
            scalar(db, "select count(*) from application where is_breached = 1").await,
            1
        );
        assert_eq!(
            steps::breached_stages(db.pool(), "2026-03-11")
                .await
                .unwrap(),
            vec![3]
        );
    }
);

both_engines!(
    a_run_is_started_once_and_finished_once,
    |t: TestDb| async move {
        let db = &t.db;
        assert_eq!(cob::last_done(db.pool()).await.unwrap(), None);
        let mut tx = db.begin().await.unwrap();
        assert!(cob::start(&mut tx, "2026-03-10").await.unwrap());
        assert!(
            cob::start(&mut tx, "2026-03-10").await.unwrap(),
            "a running date is redone"
        );
        cob::finish(&mut tx, "2026-03-10", &serde_json::json!({"x": 1}))
            .await
            .unwrap();
        assert!(
            !cob::start(&mut tx, "2026-03-10").await.unwrap(),
            "a done date is not"
        );
        tx.commit().await.unwrap();
        assert_eq!(
            cob::last_done(db.pool()).await.unwrap().as_deref(),
            Some("2026-03-10")
        );
        let run = cob::run(db.pool(), "2026-03-10").await.unwrap().unwrap();
        assert_eq!(run.status, vamyar_domain::vocab::CobRunStatus::Done);
        assert_eq!(run.stats, r#"{"x":1}"#);
    }
);

both_engines!(a_lease_has_one_holder_at_a_time, |t: TestDb| async move {
    let db = &t.db;
    let ttl = Duration::minutes(30);
    assert!(lease::acquire(db, "cob", "a", ttl).await.unwrap());
    assert!(!lease::acquire(db, "cob", "b", ttl).await.unwrap());
    assert!(
        lease::acquire(db, "cob", "a", ttl).await.unwrap(),
        "the holder may retake it"
    );
    assert!(lease::renew(db, "cob", "a", ttl).await.unwrap());
    assert!(!lease::renew(db, "cob", "b", ttl).await.unwrap());
    assert_eq!(
        lease::holder(db, "cob").await.unwrap().as_deref(),
        Some("a")
    );
    lease::release(db, "cob", "a").await.unwrap();
    assert_eq!(lease::holder(db, "cob").await.unwrap(), None);
    assert!(lease::acquire(db, "cob", "b", ttl).await.unwrap());
    assert!(
        !lease::renew(db, "cob", "a", ttl).await.unwrap(),
        "a lost it"
    );
});
