//! One file from registration to `bank_approved` through the HTTP API, with a different real
//! account per role, checking state, history and outbox after every step.

use serde_json::{Value, json};
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;

/// Logs in through the API and returns a bearer token.
pub async fn login(app: &TestApp, username: &str) -> String {
    app.login(username, vamyar_web::demo::DEMO_PASSWORD).await
}

/// A session for the person `national_id` (the applicant's portal login).
pub async fn applicant_session(app: &TestApp, national_id: &str) -> String {
    let person: i64 = sqlx::query_scalar("select id from person where national_id = $1")
        .bind(national_id)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
    let mut tx = app.db.db.begin().await.unwrap();
    let (token, _) = vamyar_store::session::create(
        &mut tx,
        "session",
        &vamyar_store::session::Subject::Person(person),
        None,
        chrono::Duration::hours(1),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    token
}

/// Sends a JSON request with a bearer token.
pub async fn call(
    app: &TestApp,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// A registration body for the demo program.
pub fn registration(program_id: i64, national_id: &str) -> Value {
    json!({
        "program_id": program_id, "loan_type": "self_employment", "requested_amount": 1_500_000_000_i64,
        "applicant": {"national_id": national_id, "first_name": "زهرا", "last_name": "احمدی",
            "father_name": "علی", "birth_date": "1370/05/12", "gender": "female", "mobile": "09121234567",
            "province": "07", "county": "07-15", "address": "تهران، خیابان آزادی",
            "female_head_of_household": true, "disability": false, "household_size": 3,
            "income_decile": 2, "beneficiary_status": "supported"},
        "business": {"title": "خیاطی خانگی", "activity": "tailoring", "jobs_planned": 2}
    })
}

/// The demo program's id.
pub async fn demo_program(app: &TestApp) -> i64 {
    vamyar_web::demo::seed(&app.db.db, vamyar_app::Clock::system().today())
        .await
        .unwrap();
    sqlx::query_scalar("select id from program order by id limit 1")
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

async fn events(app: &TestApp, id: i64) -> Vec<String> {
    sqlx::query_scalar("select event from outbox where application_id = $1 order by id")
        .bind(id)
        .fetch_all(app.db.db.pool())
        .await
        .unwrap()
}

async fn actions(app: &TestApp, token: &str, id: i64) -> Vec<String> {
    let (status, h) = call(
        app,
        reqwest::Method::GET,
        token,
        &format!("/api/v1/applications/{id}/history"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    h.as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

/// Performs an action and checks the new state; returns the file.
pub async fn act(
    app: &TestApp,
    token: &str,
    id: i64,
    action: &str,
    mut body: Value,
    version: i64,
    expect_state: &str,
) -> Value {
    body["version"] = json!(version);
    let (status, file) = call(
        app,
        reqwest::Method::POST,
        token,
        &format!("/api/v1/applications/{id}/actions/{action}"),
        Some(body),
    )
    .await;
    assert_eq!(status, 200, "{action}: {file}");
    assert_eq!(file["state"], expect_state, "{action}");
    file
}

/// Uploads a small PDF of `kind` as `token`.
pub async fn upload(app: &TestApp, token: &str, id: i64, kind: &str) -> i64 {
    let pdf =
        format!("%PDF-1.4\n% {kind}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n").into_bytes();
    let form = reqwest::multipart::Form::new()
        .text("kind", kind.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(pdf).file_name(format!("{kind}.pdf")),
        );
    let res = app
        .client
        .post(app.url(&format!("/api/v1/applications/{id}/documents")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "upload {kind}: {body}");
    body["id"].as_i64().unwrap()
}

/// Takes a freshly registered file to `counselling` (documents uploaded and accepted).
pub async fn through_documents(
    app: &TestApp,
    desk: &str,
    social: &str,
    id: i64,
    version: i64,
) -> i64 {
    let file = act(
        app,
        social,
        id,
        "approve",
        json!({}),
        version,
        "documents_pending",
    )
    .await;
    for kind in ["national_card", "birth_certificate", "business_plan"] {
        let doc = upload(app, desk, id, kind).await;
        let (status, body) = call(
            app,
            reqwest::Method::POST,
            social,
            &format!("/api/v1/documents/{doc}/review"),
            Some(json!({"decision": "accept"})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, file2) = call(
        app,
        reqwest::Method::GET,
        social,
        &format!("/api/v1/applications/{id}"),
        None,
    )
    .await;
    assert_eq!(file2["state"], "counselling");
    assert!(file2["version"].as_i64().unwrap() > file["version"].as_i64().unwrap());
    file2["version"].as_i64().unwrap()
}

both_engines!(
    a_file_walks_from_registration_to_bank_approval,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let desk = login(&app, "desk").await;
        let social = login(&app, "social").await;
        let expert = login(&app, "expert").await;
        let head = login(&app, "head").await;
        let bank = login(&app, "bank").await;

        // registration at the desk
        let (status, reg) = call(
            &app,
            reqwest::Method::POST,
            &desk,
            "/api/v1/applications",
            Some(registration(program, "0076229645")),
        )
        .await;
        assert_eq!(status, 201, "{reg}");
        assert_eq!(reg["state"], "submitted");
        let id = reg["id"].as_i64().unwrap();
        let code = reg["tracking_code"].as_str().unwrap().to_string();
        assert_eq!(code.len(), 12);
        let factors: Vec<&str> = reg["priority"]["factors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert!(
            factors.contains(&"female_head_of_household") && factors.contains(&"income_decile"),
            "{factors:?}"
        );
        assert_eq!(actions(&app, &desk, id).await, ["register"]);
        assert_eq!(events(&app, id).await, ["registered"]);
        let recipient: String =
            sqlx::query_scalar("select recipient from outbox where application_id = $1")
                .bind(id)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(recipient, "09121234567");

        // the social worker sees it in the queue and approves; documents are checked
        let (status, queue) = call(
            &app,
            reqwest::Method::GET,
            &social,
            "/api/v1/applications?state=submitted",
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert!(queue.as_array().unwrap().iter().any(|f| f["id"] == id));
        let version = through_documents(&app, &desk, &social, id, 1).await;
        assert_eq!(
            actions(&app, &desk, id).await,
            ["register", "approve", "documents_complete"]
        );
        assert_eq!(
            events(&app, id).await,
            ["registered", "approved", "documents_complete"]
        );

        // counselling and the plan
        let (status, body) = call(&app, reqwest::Method::POST, &expert, &format!("/api/v1/applications/{id}/plan-review"),
        Some(json!({"activity": "tailoring", "location": "تهران", "recommended_amount": 1_200_000_000_i64, "jobs_to_create": 2}))).await;
        assert_eq!(status, 201, "{body}");
        let file = act(
            &app,
            &expert,
            id,
            "approve_plan",
            json!({}),
            version,
            "awaiting_referral",
        )
        .await;
        assert_eq!(file["recommended_amount"], 1_200_000_000_i64);
        assert_eq!(events(&app, id).await.last().unwrap(), "plan_approved");

        // referral to the bank's branch
        let branch: i64 = sqlx::query_scalar(
            "select b.id from branch b join bank k on k.id = b.bank_id where k.code = 'mehr'",
        )
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        let file = act(
            &app,
            &head,
            id,
            "refer",
            json!({"branch_id": branch}),
            file["version"].as_i64().unwrap(),
            "referred",
        )
        .await;
        let letter: String =
            sqlx::query_scalar("select letter_number from referral where application_id = $1")
                .bind(id)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        let payload: String = sqlx::query_scalar(
            "select payload from outbox where application_id = $1 and event = 'referred'",
        )
        .bind(id)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        assert!(
            payload.contains(&letter),
            "the announcement carries the letter number"
        );
        let used: i64 = sqlx::query_scalar("select count_used from quota q join memorandum m on m.id = q.memorandum_id join bank k on k.id = m.bank_id where k.code = 'mehr' and q.province_code = '07'").fetch_one(app.db.db.pool()).await.unwrap();
        assert_eq!(used, 1);

        // the bank sees the referral, asks for guarantees, accepts them
        let (status, inbox) =
            call(&app, reqwest::Method::GET, &bank, "/api/v1/referrals", None).await;
        assert_eq!(status, 200);
        assert_eq!(inbox.as_array().unwrap().len(), 1);
        assert_eq!(inbox[0]["letter_number"], letter);
        let file = act(
            &app,
            &bank,
            id,
            "request_guarantees",
            json!({"guarantees": [
        {"kind": "guarantor", "guarantor_national_id": "1583250689", "guarantor_name": "رضا کریمی"},
        {"kind": "promissory_note", "amount": 1_200_000_000_i64}]}),
            file["version"].as_i64().unwrap(),
            "guarantees_pending",
        )
        .await;
        let file = act(
            &app,
            &bank,
            id,
            "accept_guarantees",
            json!({}),
            file["version"].as_i64().unwrap(),
            "bank_approved",
        )
        .await;
        assert_eq!(file["approved_amount"], 1_200_000_000_i64);
        assert_eq!(
            actions(&app, &desk, id).await,
            [
                "register",
                "approve",
                "documents_complete",
                "approve_plan",
                "refer",
                "request_guarantees",
                "accept_guarantees"
            ]
        );
        assert_eq!(
            events(&app, id).await,
            [
                "registered",
                "approved",
                "documents_complete",
                "plan_approved",
                "referred",
                "guarantees_requested",
                "bank_approved"
            ]
        );

        // the public tracking page shows the stage and nothing personal
        let tracked: Value = app
            .client
            .get(app.url(&format!("/api/v1/track/{code}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(tracked["state"], "bank_approved");
        let text = tracked.to_string();
        assert!(
            !text.contains("0076229645") && !text.contains("زهرا") && !text.contains("0912"),
            "{text}"
        );

        // the audit chain holds every change
        vamyar_store::audit::seal_all(&app.db.db).await.unwrap();
        let report = vamyar_store::audit::verify(&app.db.db).await.unwrap();
        assert!(report.ok, "{report:?}");
        assert!(report.rows >= 10);
        assert_eq!(report.unsealed, 0);
    }
);
