//! Four eyes and payment corrections: a rejected or expired proposal does nothing (close of
//! business marks an expired one), two confirmations at once carry the act out once, and a loan whose payments were
//! posted out of order, back-dated and reversed ends exactly like a loan whose surviving
//! payments were posted in date order.

use chrono::{Duration, NaiveDate};
use reqwest::Method;
use serde_json::{Value, json};
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::{StaffScope, TEST_PASSWORD, TestApp};
use crate::journey::{call, demo_program};
use crate::loans::{Staff, bank_approved, day, disburse, iso, staff, today};

mod payments;

/// A file with an active loan whose monitoring visit found the plan not carried out.
async fn accelerable(app: &TestApp, s: &Staff, program: i64, national_id: &str) -> i64 {
    let (id, version) = bank_approved(app, s, program, national_id, 300).await;
    disburse(app, s, id, version, &format!("C-{national_id}"), 300).await;
    let (_, visits) = call(
        app,
        Method::GET,
        &s.expert,
        &format!("/api/v1/applications/{id}/visits"),
        None,
    )
    .await;
    let visit = visits[0]["id"].as_i64().unwrap();
    let record = json!({"visited_on": iso(today()), "business_running": false, "people_employed": 0,
        "plan_carried_out": false, "findings": "کارگاه تعطیل است"});
    let (status, body) = call(
        app,
        Method::POST,
        &s.expert,
        &format!("/api/v1/visits/{visit}"),
        Some(record),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    id
}

/// The office head proposes accelerating file `id`; returns the proposal's id.
async fn propose(app: &TestApp, head: &str, id: i64) -> i64 {
    let (_, file) = call(
        app,
        Method::GET,
        head,
        &format!("/api/v1/applications/{id}"),
        None,
    )
    .await;
    let (status, body) = call(
        app,
        Method::POST,
        head,
        &format!("/api/v1/applications/{id}/actions/accelerate"),
        Some(json!({"version": file["version"], "reason": "طرح اجرا نشده است"})),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    body["proposal"]["id"].as_i64().unwrap()
}

async fn count(app: &TestApp, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

async fn state_of(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("select state from application where id = $1")
        .bind(id)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

both_engines!(
    a_rejected_or_expired_proposal_does_nothing_and_close_of_business_marks_it,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let id = accelerable(&app, &s, program, "1583250689").await;
        let province = crate::journey::login(&app, "province").await;
        // a rejected proposal changes nothing; the proposer may not reject it either
        let first = propose(&app, &s.head, id).await;
        let reject = format!("/api/v1/proposals/{first}/reject");
        let (status, err) = call(&app, Method::POST, &s.head, &reject, Some(json!({}))).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (403, Some("proposer_cannot_confirm"))
        );
        let (status, rejected) = call(
            &app,
            Method::POST,
            &province,
            &reject,
            Some(json!({"note": "بازدید دوباره لازم است"})),
        )
        .await;
        assert_eq!(status, 200, "{rejected}");
        assert_eq!(rejected["status"], "rejected");
        assert_eq!(rejected["decision_note"], "بازدید دوباره لازم است");
        assert_eq!(state_of(&app, id).await, "active");
        let rejections = "select count(*) from application_event where application_id = $1 and action = 'reject_accelerate'";
        assert_eq!(count(&app, rejections, id).await, 1);
        let pid = propose(&app, &s.head, id).await;
        // its last day has passed
        sqlx::query("update proposal set expires_on = $1 where id = $2")
            .bind(iso(today() - Duration::days(1)))
            .bind(pid)
            .execute(app.db.db.pool())
            .await
            .unwrap();
        let confirm = format!("/api/v1/proposals/{pid}/confirm");
        let (status, err) = call(&app, Method::POST, &province, &confirm, Some(json!({}))).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (409, Some("proposal_expired")),
            "{err}"
        );
        assert!(err["error"]["message"].as_str().unwrap().contains("مهلت"));
        assert_eq!(state_of(&app, id).await, "active");
        let told =
            "select count(*) from outbox where application_id = $1 and event = 'accelerated'";
        assert_eq!(count(&app, told, id).await, 0);
        // not offered to anyone any more
        let (_, list) = call(&app, Method::GET, &province, "/api/v1/proposals", None).await;
        assert_eq!(list[0]["may_decide"], false);

        // close of business marks it expired, in the file's history and the audit log
        let ctx = vamyar_app::Ctx::new(app.db.db.clone(), Default::default());
        vamyar_web::cob::run(&ctx, today(), "test").await.unwrap();
        let (_, p) = call(
            &app,
            Method::GET,
            &province,
            &format!("/api/v1/proposals/{pid}"),
            None,
        )
        .await;
        assert_eq!(p["status"], "expired", "{p}");
        let (_, history) = call(
            &app,
            Method::GET,
            &s.head,
            &format!("/api/v1/applications/{id}/history"),
            None,
        )
        .await;
        let actions: Vec<&str> = history
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["action"].as_str().unwrap())
            .collect();
        assert!(
            actions.ends_with(&[
                "propose_accelerate",
                "reject_accelerate",
                "propose_accelerate",
                "expire_accelerate"
            ]),
            "{actions:?}"
        );
        let audited = "select count(*) from audit_log where action = 'proposal.expire' and entity_id = cast($1 as text)";
        assert_eq!(count(&app, audited, pid).await, 1);
        let (status, err) = call(&app, Method::POST, &province, &confirm, Some(json!({}))).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (409, Some("proposal_expired"))
        );
        assert_eq!(state_of(&app, id).await, "active");
        // a fresh proposal may be made again
        propose(&app, &s.head, id).await;
    }
);

both_engines!(
    two_confirmations_at_once_carry_the_act_out_once,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        app.create_staff("head2", "office_head", StaffScope::County("07-15"))
            .await;
        let id = accelerable(&app, &s, program, "1583250689").await;
        let pid = propose(&app, &s.head, id).await;
        let ctx = vamyar_app::Ctx::new(app.db.db.clone(), Default::default());
        let province = vamyar_app::actors::staff_by_username(&ctx, "province")
            .await
            .unwrap();
        let head2 = vamyar_app::actors::staff_by_username(&ctx, "head2")
            .await
            .unwrap();
        // both second persons pass every check while the proposal is pending: the overlap
        let a = vamyar_app::proposals::check_confirm(&ctx, &province, pid, json!({}))
            .await
            .unwrap();
        let b = vamyar_app::proposals::check_confirm(&ctx, &head2, pid, json!({}))
            .await
            .unwrap();
        let (ra, rb) = tokio::join!(
            vamyar_app::proposals::confirm_checked(&ctx, &province, a),
            vamyar_app::proposals::confirm_checked(&ctx, &head2, b),
        );
        let (won, lost) = match (ra, rb) {
            (Ok(w), Err(l)) | (Err(l), Ok(w)) => (w, l),
            (ra, rb) => panic!("exactly one must win: {ra:?} {rb:?}"),
        };
        assert_eq!(won.status, "confirmed");
        assert_eq!(lost.code(), "proposal_decided");
        assert_eq!(state_of(&app, id).await, "accelerated");
        let accelerations = "select count(*) from application_event where application_id = $1 and action = 'accelerate'";
        assert_eq!(count(&app, accelerations, id).await, 1);
        let told =
            "select count(*) from outbox where application_id = $1 and event = 'accelerated'";
        assert_eq!(count(&app, told, id).await, 1);
        let confirmed = "select count(*) from application_event where application_id = $1 and action = 'confirm_accelerate'";
        assert_eq!(count(&app, confirmed, id).await, 1);
    }
);

/// An installment without its ids: due date, principal, fee, late charge, the three paid
/// parts, status, settlement date, last day charged.
type InstallmentRow = (
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    String,
    Option<String>,
    Option<String>,
);

/// A loan's installments and balances, without ids: what "the same loan" means.
async fn ledger(app: &TestApp, loan: i64) -> Value {
    let rows: Vec<InstallmentRow> = sqlx::query_as(
        "select due_on, principal_due, fee_due, late_charge_due, principal_paid, fee_paid, \
             late_charge_paid, status, paid_on, late_charge_through from installment \
             where loan_id = $1 order by seq",
    )
    .bind(loan)
    .fetch_all(app.db.db.pool())
    .await
    .unwrap();
    // (arrears are "as of" the moment they were last written: close of business writes them
    // as of its business date, a payment or a recomputation as of today)
    let l: (i64, String) = sqlx::query_as("select credit_balance, status from loan where id = $1")
        .bind(loan)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
    json!({"installments": format!("{rows:?}"), "loan": format!("{l:?}")})
}

/// Standing payments of a loan by value date: amount and allocation.
async fn allocations(app: &TestApp, loan: i64) -> Vec<(String, i64, i64, i64, i64, i64)> {
    sqlx::query_as(
        "select paid_on, amount, allocated_late_charge, allocated_fee, allocated_principal, \
         to_credit from payment where loan_id = $1 and reversed_at is null order by paid_on, id",
    )
    .bind(loan)
    .fetch_all(app.db.db.pool())
    .await
    .unwrap()
}

async fn pay(
    app: &TestApp,
    bank: &str,
    loan: i64,
    reference: &str,
    paid_on: NaiveDate,
    amount: i64,
) -> i64 {
    let (status, body) = call(
        app,
        Method::POST,
        bank,
        &format!("/api/v1/loans/{loan}/payments"),
        Some(json!({"amount": amount, "paid_on": iso(paid_on), "bank_reference": reference})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().unwrap()
}
