//! Close of business on successive dates over a loan disbursed through the API: a reminder
//! three days before the first installment, due on its date and through its working day of
//! grace (pending as stored, shown as due), `overdue` with arrears and an overdue notice the day after that, late charges and the 31–90 bucket a month later, back to
//! current once the bank posts what is owed; each date idempotent.

use chrono::Duration;
use vamyar_domain::vocab::InstallmentStatus;
use vamyar_store::both_engines;
use vamyar_store::loan::Installment;
use vamyar_store::testdb::TestDb;
use vamyar_web::cob::Outcome;

use crate::helpers::TestApp;
use crate::journey::demo_program;
use crate::loans::{bank_approved, disburse, pay, staff, today};

/// The installments as close of business stored them (the API's schedule shows them as of
/// today, with the late charge since the last run accrued in memory).
async fn schedule(app: &TestApp, loan: i64) -> Vec<Installment> {
    vamyar_store::loan::installments(app.db.db.pool(), loan)
        .await
        .unwrap()
}

/// The loan's recorded arrears: since when (the oldest unpaid due date) and the bucket.
async fn loan_row(app: &TestApp, loan: i64) -> (Option<String>, String) {
    sqlx::query_as("select arrears_since, arrears_bucket from loan where id = $1")
        .bind(loan)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

/// When the loan's row was last written.
async fn loan_written(app: &TestApp, loan: i64) -> String {
    sqlx::query_scalar("select updated_at from loan where id = $1")
        .bind(loan)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

fn current() -> (Option<String>, String) {
    (None, "current".to_string())
}

async fn outbox_events(app: &TestApp, id: i64, event: &str) -> i64 {
    sqlx::query_scalar("select count(*) from outbox where application_id = $1 and event = $2")
        .bind(id)
        .bind(event)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

both_engines!(
    close_of_business_on_successive_dates_follows_a_loan,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let state = vamyar_app::Ctx::new(app.db.db.clone(), Default::default());
        // disbursed long enough ago that the first installments (after six months of grace) are past
        let (id, version) = bank_approved(&app, &s, program, "0076229645", 300).await;
        let loan = disburse(&app, &s, id, version, "CT-COB-1", 290).await;
        let plan = schedule(&app, loan).await;
        let first_due = plan[0].due_date().unwrap();
        assert!(
            first_due < today(),
            "the first installment fell due in the past"
        );

        // three days before: a reminder, nothing due yet
        let run = |d| vamyar_web::cob::run(&state, d, "test");
        assert!(matches!(
            run(first_due - Duration::days(3)).await.unwrap(),
            Outcome::Ran { .. }
        ));
        assert_eq!(outbox_events(&app, id, "installment_reminder").await, 1);
        assert_eq!(
            schedule(&app, loan).await[0].status,
            InstallmentStatus::Pending
        );

        // on the date (the days between are caught up): due, not overdue
        // (due is not stored: a pending installment is shown due from its date on)
        assert!(matches!(run(first_due).await.unwrap(), Outcome::Ran { .. }));
        let first = schedule(&app, loan).await[0].status;
        assert_eq!(first, InstallmentStatus::Pending);
        assert_eq!(first.shown(first_due, first_due), InstallmentStatus::Due);
        assert_eq!(loan_row(&app, loan).await, current());

        // through its working day of grace (the next working day): still due, no notice
        let calendar = state.calendar().await.unwrap();
        let grace_day = calendar.add_working_days(first_due, 1);
        assert!(matches!(run(grace_day).await.unwrap(), Outcome::Ran { .. }));
        let first = schedule(&app, loan).await[0].status;
        assert_eq!(first.shown(first_due, grace_day), InstallmentStatus::Due);
        assert_eq!(outbox_events(&app, id, "overdue_notice").await, 0);

        // the day after the grace day: overdue, in arrears since the due date, a notice
        let overdue_on = grace_day + Duration::days(1);
        assert!(matches!(
            run(overdue_on).await.unwrap(),
            Outcome::Ran { .. }
        ));
        let after = schedule(&app, loan).await;
        assert_eq!(after[0].status, InstallmentStatus::Overdue);
        let since = Some(first_due.format("%Y-%m-%d").to_string());
        assert_eq!(
            loan_row(&app, loan).await,
            (since.clone(), "1_30".to_string())
        );
        assert_eq!(outbox_events(&app, id, "overdue_notice").await, 1);

        // a day later: one day more in arrears and another day's late charge, but the loan's
        // row is not written again (its days are counted from the date it records)
        // (a mark no write by the run could leave)
        sqlx::query("update loan set updated_at = 'not written since' where id = $1")
            .bind(loan)
            .execute(app.db.db.pool())
            .await
            .unwrap();
        let written = loan_written(&app, loan).await;
        let charged = schedule(&app, loan).await[0].late_charge_due;
        assert!(matches!(
            run(overdue_on + Duration::days(1)).await.unwrap(),
            Outcome::Ran { .. }
        ));
        assert_eq!(loan_written(&app, loan).await, written);
        assert_eq!(
            loan_row(&app, loan).await,
            (since.clone(), "1_30".to_string())
        );
        assert!(schedule(&app, loan).await[0].late_charge_due > charged);

        // a date already done changes nothing and queues nothing again
        assert!(matches!(
            run(overdue_on + Duration::days(1)).await.unwrap(),
            Outcome::AlreadyDone { .. }
        ));
        assert_eq!(outbox_events(&app, id, "overdue_notice").await, 1);
        assert_eq!(outbox_events(&app, id, "installment_reminder").await, 1);

        // a month later: 31 days in arrears, a late charge accrued on the first installment
        assert!(matches!(
            run(first_due + Duration::days(31)).await.unwrap(),
            Outcome::Ran { .. }
        ));
        assert_eq!(loan_row(&app, loan).await, (since, "31_90".to_string()));
        let month = schedule(&app, loan).await;
        assert!(month[0].late_charge_due > 0, "{:?}", month[0]);
        let snapshot: i64 =
            sqlx::query_scalar("select par30_bp from portfolio_snapshot where business_date = $1")
                .bind(
                    (first_due + Duration::days(31))
                        .format("%Y-%m-%d")
                        .to_string(),
                )
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(
            snapshot, 10_000,
            "the only loan is 30+ days in arrears: PAR30 is 100%"
        );

        // the bank posts everything owed up to then; the next run finds the loan current.
        // When the second installment fell due the day before (a 30-day month), the payment
        // also accrues that day's late charge, which the stored schedule does not show yet: the
        // bank pays a margin over it, which goes to the next installment
        let owed: i64 = month
            .iter()
            .filter(|i| i.due_date().unwrap() <= first_due + Duration::days(31))
            .map(|i| i.outstanding())
            .sum();
        let margin = 1_000_000;
        let (status, body) = pay(
            &app,
            &s.bank,
            loan,
            owed + margin,
            first_due + Duration::days(31),
            "REF-COB-1",
        )
        .await;
        assert_eq!(status, 201, "{body}");
        assert!(matches!(
            run(first_due + Duration::days(32)).await.unwrap(),
            Outcome::Ran { .. }
        ));
        assert_eq!(loan_row(&app, loan).await, current());
        vamyar_store::audit::seal_all(&app.db.db).await.unwrap();
        let report = vamyar_store::audit::verify(&app.db.db).await.unwrap();
        assert!(report.ok, "{report:?}");
    }
);

both_engines!(
    arrears_batches_of_one_loan_each_give_every_loan_its_charge,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        // one loan a transaction, so the arrears pass has three batches (on PostgreSQL a pair
        // run side by side, then one)
        let settings = vamyar_app::Settings {
            cob_loans_per_batch: 1,
            ..Default::default()
        };
        let state = vamyar_app::Ctx::new(app.db.db.clone(), settings);
        let mut loans = Vec::new();
        for (n, nid) in ["0123456789", "0234567899", "0345678915"]
            .iter()
            .enumerate()
        {
            let (id, version) = bank_approved(&app, &s, program, nid, 300).await;
            loans.push((
                id,
                disburse(&app, &s, id, version, &format!("CT-B-{n}"), 290).await,
            ));
        }
        let first_due = schedule(&app, loans[0].1).await[0].due_date().unwrap();
        let run = |d| vamyar_web::cob::run(&state, d, "test");
        assert!(matches!(
            run(first_due - Duration::days(3)).await.unwrap(),
            Outcome::Ran { .. }
        ));
        let Outcome::Ran { days } = run(first_due + Duration::days(31)).await.unwrap() else {
            panic!("the month was run");
        };
        let last = days.last().unwrap();
        assert_eq!(last.loans_in_arrears, 3);
        assert_eq!(last.late_charge_loans, 3);
        let mut charges = Vec::new();
        for (id, loan) in &loans {
            // a reminder three days before each installment due by the month's end + 3
            let plan = schedule(&app, *loan).await;
            let reminded = plan
                .iter()
                .filter(|i| i.due_date().unwrap() <= first_due + Duration::days(34))
                .count();
            assert_eq!(
                outbox_events(&app, *id, "installment_reminder").await,
                reminded as i64
            );
            let overdue = plan
                .iter()
                .filter(|i| i.status == InstallmentStatus::Overdue)
                .count();
            assert!(overdue >= 1);
            assert_eq!(
                outbox_events(&app, *id, "overdue_notice").await,
                overdue as i64
            );
            assert_eq!(
                loan_row(&app, *loan).await,
                (
                    Some(first_due.format("%Y-%m-%d").to_string()),
                    "31_90".to_string()
                )
            );
            let first = &plan[0];
            assert_eq!(first.status, InstallmentStatus::Overdue);
            charges.push(first.late_charge_due);
        }
        // the same terms on the same dates: the same charge on each loan, the day's share in
        // the summary three times one loan's
        assert!(
            charges[0] > 0 && charges.iter().all(|c| *c == charges[0]),
            "{charges:?}"
        );
        assert_eq!(last.late_charges % 3, 0, "{}", last.late_charges);
        vamyar_store::audit::seal_all(&app.db.db).await.unwrap();
        let report = vamyar_store::audit::verify(&app.db.db).await.unwrap();
        assert!(report.ok, "{report:?}");
    }
);
