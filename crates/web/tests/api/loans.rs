//! Loans through the HTTP API: a file from `bank_approved` to `closed` (disbursement, the
//! schedule, payments with a repeat, a late payment with its charge, closure) and concurrent
//! posts of one reference. `acceleration.rs` takes a second file to `accelerated`.

use chrono::{Duration, NaiveDate};
use reqwest::Method;
use serde_json::{Value, json};
use vamyar_calendar::JalaliDate;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;
use crate::journey::{act, call, demo_program, login, registration, through_documents};

mod journey;
mod locks;
mod shown;

/// The demo accounts a loan needs.
pub struct Staff {
    pub desk: String,
    pub social: String,
    pub expert: String,
    pub head: String,
    pub bank: String,
}

pub async fn staff(app: &TestApp) -> Staff {
    Staff {
        desk: login(app, "desk").await,
        social: login(app, "social").await,
        expert: login(app, "expert").await,
        head: login(app, "head").await,
        bank: login(app, "bank").await,
    }
}

/// Today in Iran, as the service counts it.
pub fn today() -> NaiveDate {
    vamyar_calendar::Clock::system().today()
}

/// Registers a file and takes it to `bank_approved` (1,200,000,000 rials at bank `mehr`);
/// its referral letter is dated `issued_days_ago` days back. Returns the id and version.
pub async fn bank_approved(
    app: &TestApp,
    s: &Staff,
    program: i64,
    national_id: &str,
    issued_days_ago: i64,
) -> (i64, i64) {
    let (status, reg) = call(
        app,
        Method::POST,
        &s.desk,
        "/api/v1/applications",
        Some(registration(program, national_id)),
    )
    .await;
    assert_eq!(status, 201, "{reg}");
    let id = reg["id"].as_i64().unwrap();
    let version = through_documents(app, &s.desk, &s.social, id, 1).await;
    let (status, body) = call(app, Method::POST, &s.expert, &format!("/api/v1/applications/{id}/plan-review"),
        Some(json!({"activity": "tailoring", "location": "تهران", "recommended_amount": 1_200_000_000_i64, "jobs_to_create": 2}))).await;
    assert_eq!(status, 201, "{body}");
    let f = act(
        app,
        &s.expert,
        id,
        "approve_plan",
        json!({}),
        version,
        "awaiting_referral",
    )
    .await;
    let branch: i64 = sqlx::query_scalar(
        "select b.id from branch b join bank k on k.id = b.bank_id where k.code = 'mehr'",
    )
    .fetch_one(app.db.db.pool())
    .await
    .unwrap();
    let f = act(
        app,
        &s.head,
        id,
        "refer",
        json!({"branch_id": branch}),
        v(&f),
        "referred",
    )
    .await;
    let f = act(
        app,
        &s.bank,
        id,
        "request_guarantees",
        json!({"guarantees": [{"kind": "promissory_note", "amount": 1_200_000_000_i64}]}),
        v(&f),
        "guarantees_pending",
    )
    .await;
    let f = act(
        app,
        &s.bank,
        id,
        "accept_guarantees",
        json!({}),
        v(&f),
        "bank_approved",
    )
    .await;
    sqlx::query("update referral set issued_on = $1 where application_id = $2")
        .bind(iso(today() - Duration::days(issued_days_ago)))
        .bind(id)
        .execute(app.db.db.pool())
        .await
        .unwrap();
    (id, v(&f))
}

pub fn v(file: &Value) -> i64 {
    file["version"].as_i64().unwrap()
}

pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn day(s: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(s.as_str().unwrap(), "%Y-%m-%d").unwrap()
}

/// Disburses 1,000,000,000 rials `days_ago` days back; returns the loan id.
pub async fn disburse(
    app: &TestApp,
    s: &Staff,
    id: i64,
    version: i64,
    contract: &str,
    days_ago: i64,
) -> i64 {
    let body = json!({"contract_number": contract, "amount": 1_000_000_000_i64,
        "disbursed_on": iso(today() - Duration::days(days_ago))});
    act(app, &s.bank, id, "disburse", body, version, "active").await;
    let (status, loan) = call(
        app,
        Method::GET,
        &s.bank,
        &format!("/api/v1/applications/{id}/loan"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{loan}");
    loan["id"].as_i64().unwrap()
}

pub async fn events(app: &TestApp, id: i64) -> Vec<String> {
    sqlx::query_scalar("select event from outbox where application_id = $1 order by id")
        .bind(id)
        .fetch_all(app.db.db.pool())
        .await
        .unwrap()
}

pub async fn pay(
    app: &TestApp,
    token: &str,
    loan: i64,
    amount: i64,
    paid_on: NaiveDate,
    reference: &str,
) -> (u16, Value) {
    call(
        app,
        Method::POST,
        token,
        &format!("/api/v1/loans/{loan}/payments"),
        Some(json!({"amount": amount, "paid_on": iso(paid_on), "bank_reference": reference})),
    )
    .await
}

/// Σ paid parts of the installments + credit, and Σ payments, of a loan.
pub async fn reconcile(app: &TestApp, loan: i64) -> (i64, i64) {
    let pool = app.db.db.pool();
    let paid: i64 = sqlx::query_scalar("select cast(coalesce(sum(principal_paid + fee_paid + late_charge_paid), 0) as bigint) from installment where loan_id = $1")
        .bind(loan).fetch_one(pool).await.unwrap();
    let credit: i64 = sqlx::query_scalar("select credit_balance from loan where id = $1")
        .bind(loan)
        .fetch_one(pool)
        .await
        .unwrap();
    let payments: i64 = sqlx::query_scalar(
        "select cast(coalesce(sum(amount), 0) as bigint) from payment where loan_id = $1",
    )
    .bind(loan)
    .fetch_one(pool)
    .await
    .unwrap();
    (paid + credit, payments)
}

both_engines!(
    two_concurrent_posts_of_one_reference_make_one_payment,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let (id, version) = bank_approved(&app, &s, program, "0012345679", 10).await;
        let loan_id = disburse(&app, &s, id, version, "C-9", 10).await;
        // a second file cannot reuse the bank's contract number
        let (id2, version2) = bank_approved(&app, &s, program, "0023456787", 10).await;
        let (status, err) = call(&app, Method::POST, &s.bank, &format!("/api/v1/applications/{id2}/actions/disburse"),
            Some(json!({"version": version2, "contract_number": "C-9", "disbursed_on": iso(today())}))).await;
        assert_eq!(status, 422, "{err}");
        assert_eq!(
            err["error"]["fields"]["contract_number"]["code"],
            "contract_number_taken"
        );

        for n in 0..4 {
            let reference = format!("RACE-{n}");
            let (a, b) = tokio::join!(
                pay(&app, &s.bank, loan_id, 1_000_000, today(), &reference),
                pay(&app, &s.bank, loan_id, 1_000_000, today(), &reference),
            );
            let mut statuses = [a.0, b.0];
            statuses.sort();
            assert_eq!(statuses, [200, 201], "{a:?} {b:?}");
            assert_eq!(
                stored(&a.1),
                stored(&b.1),
                "both answer with the one stored payment"
            );
            let rows: i64 =
                sqlx::query_scalar("select count(*) from payment where bank_reference = $1")
                    .bind(&reference)
                    .fetch_one(app.db.db.pool())
                    .await
                    .unwrap();
            assert_eq!(rows, 1);
        }
        let (paid, payments) = reconcile(&app, loan_id).await;
        assert_eq!((paid, payments), (4_000_000, 4_000_000));
    }
);

/// A payment answer without the words that tell a first post from a repeat.
fn stored(answer: &serde_json::Value) -> serde_json::Value {
    let mut v = answer.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("outcome");
        o.remove("message");
    }
    v
}
