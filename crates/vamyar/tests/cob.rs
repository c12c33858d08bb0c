//! Close of business end to end: `vamyar seed --loans` then `vamyar cob --date` through the
//! binary, and the run's workflow part (referral letters expiring, breaches, catch-up,
//! idempotency) through `vamyar_web::cob`, on both engines.

use std::process::Command;

use vamyar_store::testdb::TestDb;
use vamyar_store::{Db, both_engines};
use vamyar_web::cob::Outcome;

const BIN: &str = env!("CARGO_BIN_EXE_vamyar");

fn vamyar(url: &str, args: &[&str]) -> (bool, String) {
    let dir = std::env::temp_dir();
    let out = Command::new(BIN)
        .args(["--database-url", url])
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env("VAMYAR_LOG_FORMAT", "text")
        .output()
        .expect("run vamyar");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success() || !stdout.is_empty(),
        "vamyar {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), stdout)
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

both_engines!(
    cob_on_seeded_loans_marks_the_day_and_is_idempotent,
    |t: TestDb| async move {
        let db = &t.db;
        let (ok, out) = vamyar(
            &t.url,
            &[
                "seed",
                "--applicants",
                "300",
                "--loans",
                "--as-of",
                "2026-03-15",
                "--demo-force",
            ],
        );
        assert!(ok, "{out}");
        assert_eq!(
            count(db, "select count(*) from loan where status = 'active'").await,
            300
        );
        assert_eq!(
            count(db, "select count(*) from installment").await,
            300 * 36
        );
        let to_due = count(
            db,
            "select count(*) from installment where status = 'pending' and due_on = '2026-03-15'",
        )
        .await;
        // one working day of grace (the default): on Sunday 2026-03-15 the installments due
        // by Friday the 13th are overdue (Saturday was their grace day), not Saturday's
        let to_overdue = count(
            db,
            "select count(*) from installment where status = 'pending' and due_on < '2026-03-14'",
        )
        .await;
        let reminders = count(
            db,
            "select count(*) from installment where status <> 'paid' and due_on = '2026-03-18'",
        )
        .await;
        assert!(
            to_due > 0 && reminders > 0,
            "the synthetic portfolio has work on the day"
        );

        let (ok, out) = vamyar(&t.url, &["cob", "--date", "2026-03-15"]);
        assert!(ok, "{out}");
        assert!(
            out.contains("close of business for 2026-03-15 done"),
            "{out}"
        );
        assert!(
            out.contains(&format!(
                "{to_due} became due, {to_overdue} became overdue ({to_overdue} overdue notices)"
            )),
            "{out}"
        );
        assert!(
            out.contains(&format!("reminders queued: {reminders} ")),
            "{out}"
        );
        // falling due is not written (due is not stored); past the grace day they are overdue
        assert_eq!(count(db, "select count(*) from installment where status = 'pending' and due_on = '2026-03-15'").await, to_due);
        assert_eq!(
            count(
                db,
                "select count(*) from installment where status = 'pending' and due_on < '2026-03-14'"
            )
            .await,
            0
        );
        assert_eq!(
            count(
                db,
                "select count(*) from outbox where event = 'overdue_notice'"
            )
            .await,
            to_overdue
        );
        assert_eq!(
            count(
                db,
                "select count(*) from outbox where event = 'installment_reminder'"
            )
            .await,
            reminders
        );
        // late charges accrued through the date on every overdue installment
        let charged = "select count(*) from installment where status = 'overdue' \
        and (late_charge_through is null or late_charge_through <> '2026-03-15')";
        assert_eq!(count(db, charged).await, 0);
        assert!(out.contains("late charges: "), "{out}");
        // every loan with an unpaid overdue installment is in arrears, and no other
        let late = count(
            db,
            "select count(distinct loan_id) from installment where status = 'overdue'",
        )
        .await;
        assert_eq!(
            count(
                db,
                "select count(*) from loan where arrears_bucket <> 'current'"
            )
            .await,
            late
        );
        let snapshot = vamyar_store::cob::portfolio::snapshot(db.pool(), "2026-03-15")
            .await
            .unwrap()
            .unwrap();
        let recount = vamyar_store::cob::portfolio::recount(db.pool())
            .await
            .unwrap();
        assert_eq!(snapshot.active_loans, 300);
        assert_eq!(
            snapshot.outstanding_principal,
            recount.outstanding_principal
        );
        assert_eq!(
            snapshot.bucket_1_30 + snapshot.bucket_31_90 + snapshot.bucket_over_90,
            late
        );

        // the same date again changes nothing
        let outbox = count(db, "select count(*) from outbox").await;
        let audit = count(db, "select count(*) from audit_log").await;
        let (ok, out) = vamyar(&t.url, &["cob", "--date", "2026-03-15"]);
        assert!(ok && out.contains("already done"), "{out}");
        assert_eq!(count(db, "select count(*) from outbox").await, outbox);
        assert_eq!(count(db, "select count(*) from audit_log").await, audit);

        // a missed day is caught up first; Jalali dates work (1404/12/27 = 2026-03-18)
        let (ok, out) = vamyar(&t.url, &["cob", "--date", "1404/12/27"]);
        assert!(ok, "{out}");
        for d in ["2026-03-16", "2026-03-17", "2026-03-18"] {
            assert!(
                out.contains(&format!("close of business for {d} done")),
                "{out}"
            );
        }
        assert_eq!(
            count(db, "select count(*) from cob_run where status = 'done'").await,
            5
        );
        assert_eq!(
            count(db, "select count(*) from portfolio_snapshot").await,
            4
        );
        let (ok, out) = vamyar(&t.url, &["cob", "--date", "2026-03-16"]);
        assert!(ok && out.contains("already done"), "{out}");
        let (ok, out) = vamyar(&t.url, &["audit", "verify"]);
        assert!(ok, "{out}");
    }
);

/// A file in `referred` whose letter (valid until 2026-03-01) used one quota slot, and a file
/// in `submitted` whose agency stage was due 2026-03-05. Returns their ids.
async fn files(db: &Db) -> (i64, i64) {
    vamyar_web::demo::seed(db, vamyar_app::Clock::system().today())
        .await
        .unwrap();
    let quota: (i64, i64, i64) = sqlx::query_as(
        "select q.id, m.id, m.bank_id from quota q join memorandum m on m.id = q.memorandum_id \
         where q.province_code = '07' order by q.id limit 1",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    let (quota_id, memorandum_id, bank_id) = quota;
    let branch: i64 = sqlx::query_scalar("select min(id) from branch where bank_id = $1")
        .bind(bank_id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    let program: i64 = sqlx::query_scalar("select min(id) from program")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let now = vamyar_store::time::now();
    let mut ids = Vec::new();
    for (n, state, nid) in [
        (1, "referred", "0076229645"),
        (2, "submitted", "1583250689"),
    ] {
        let person: i64 = sqlx::query_scalar(
            "insert into person (national_id, first_name, last_name, gender, mobile, province_code, \
             county_code, created_at, updated_at) values ($1, 'زهرا', 'احمدی', 'female', $2, '07', \
             '07-15', $3, $3) returning id",
        )
        .bind(nid)
        .bind(format!("0912000000{n}"))
        .bind(&now)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let app: i64 = sqlx::query_scalar(
            "insert into application (tracking_code, person_id, program_id, loan_type, channel, \
             state, requested_amount, business_title, province_code, county_code, submitted_at, \
             state_changed_at, created_at, updated_at) values ($1, $2, $3, 'self_employment', \
             'web', $4, 500000000, 'خیاطی', '07', '07-15', $5, $5, $5, $5) returning id",
        )
        .bind(format!("10000000000{n}"))
        .bind(person)
        .bind(program)
        .bind(state)
        .bind(&now)
        .fetch_one(db.pool())
        .await
        .unwrap();
        ids.push(app);
    }
    sqlx::query(
        "insert into referral (application_id, memorandum_id, quota_id, bank_id, branch_id, \
         letter_number, amount, issued_on, valid_until, status, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, 'L-1', 500000000, '2026-02-01', '2026-03-01', 'open', $6, $6)",
    )
    .bind(ids[0])
    .bind(memorandum_id)
    .bind(quota_id)
    .bind(bank_id)
    .bind(branch)
    .bind(&now)
    .execute(db.pool())
    .await
    .unwrap();
    sqlx::query("update quota set count_used = 1, amount_used = 500000000 where id = $1")
        .bind(quota_id)
        .execute(db.pool())
        .await
        .unwrap();
    sqlx::query(
        "insert into stage_timing (application_id, state, owner, started_at, due_on, created_at) \
         values ($1, 'referred', 'bank', $3, '2026-03-20', $3), \
         ($2, 'submitted', 'agency', $3, '2026-03-05', $3)",
    )
    .bind(ids[0])
    .bind(ids[1])
    .bind(&now)
    .execute(db.pool())
    .await
    .unwrap();
    (ids[0], ids[1])
}

both_engines!(
    expired_letters_release_quota_and_return_the_file,
    |t: TestDb| async move {
        let db = &t.db;
        let (referred, late) = files(db).await;
        let state = vamyar_app::Ctx::new(db.clone(), Default::default());
        let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let Outcome::Ran { days } = vamyar_web::cob::run(&state, date, "test").await.unwrap()
        else {
            panic!("the date ran");
        };
        assert_eq!(days.len(), 1);
        assert_eq!(
            (days[0].referrals_expired, days[0].referrals_skipped),
            (1, 0)
        );
        assert_eq!((days[0].stages_breached, days[0].files_breached), (1, 1));
        let app = vamyar_store::application::get(db.pool(), referred)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(app.state.as_str(), "awaiting_referral");
        assert_eq!(
            count(db, "select count(*) from referral where status = 'expired'").await,
            1
        );
        let used = "select count(*) from quota where count_used > 0 or amount_used > 0";
        assert_eq!(count(db, used).await, 0, "the quota is released");
        let history = vamyar_store::application::history(db.pool(), referred)
            .await
            .unwrap();
        assert_eq!(history.last().unwrap().action, "expire_referral");
        let messages = vamyar_store::outbox::for_application(db.pool(), referred)
            .await
            .unwrap();
        assert_eq!(messages.len(), 1, "the applicant is told");
        let breached = vamyar_store::application::get(db.pool(), late)
            .await
            .unwrap()
            .unwrap();
        assert!(breached.is_breached);
        assert!(
            !app.is_breached,
            "the file moved on: its new stage is not breached"
        );

        // again: nothing changes
        let outbox = count(db, "select count(*) from outbox").await;
        let out = vamyar_web::cob::run(&state, date, "test").await.unwrap();
        assert!(matches!(out, Outcome::AlreadyDone { .. }), "{out:?}");
        assert_eq!(count(db, "select count(*) from outbox").await, outbox);
        // a held lease keeps a second runner out
        assert!(
            vamyar_store::cob::lease::acquire(db, "cob", "other", chrono::Duration::minutes(5))
                .await
                .unwrap()
        );
        let next = date + chrono::Duration::days(2);
        let out = vamyar_web::cob::run(&state, next, "test").await.unwrap();
        assert!(matches!(out, Outcome::Busy { .. }), "{out:?}");
        vamyar_store::cob::lease::release(db, "cob", "other")
            .await
            .unwrap();
        let Outcome::Ran { days } = vamyar_web::cob::run(&state, next, "test").await.unwrap()
        else {
            panic!("caught up");
        };
        let dates: Vec<String> = days.iter().map(|d| d.date.to_string()).collect();
        assert_eq!(dates, ["2026-03-11", "2026-03-12"]);
        // the run sealed the audit log before it returned: every row is in the chain
        let report = vamyar_store::audit::verify(db).await.unwrap();
        assert!(report.ok, "{report:?}");
        assert!(report.rows > 0, "{report:?}");
        assert_eq!(report.unsealed, 0, "{report:?}");
    }
);
