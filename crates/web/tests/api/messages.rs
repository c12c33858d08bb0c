//! Announcements end to end: files driven through the workflow over HTTP, the outbox drained
//! by the delivery worker into the fake provider — each event exactly one SMS, with its text,
//! to the registered mobile — then the portal inbox, the staff view of a file's messages, and
//! SMS sent in with a tracking code.

use std::sync::Arc;

use reqwest::Method;
use serde_json::{Value, json};
use vamyar_calendar::digits::to_persian_digits;
use vamyar_i18n::Lang;
use vamyar_notify::provider::FakeProvider;
use vamyar_notify::{SmsProvider, Worker, WorkerConfig};
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;
use crate::journey::{act, call, demo_program, login, registration, through_documents, upload};

mod inbound;
mod inbox;

pub(crate) fn worker(app: &TestApp, fake: &FakeProvider) -> Worker {
    let p: Arc<dyn SmsProvider> = Arc::new(fake.clone());
    Worker::new(app.db.db.clone(), p, WorkerConfig::default())
}

pub(crate) async fn register(
    app: &TestApp,
    desk: &str,
    program: i64,
    nid: &str,
    mobile: &str,
) -> (i64, String) {
    let mut body = registration(program, nid);
    body["applicant"]["mobile"] = json!(mobile);
    let (status, reg) = call(app, Method::POST, desk, "/api/v1/applications", Some(body)).await;
    assert_eq!(status, 201, "{reg}");
    (
        reg["id"].as_i64().unwrap(),
        reg["tracking_code"].as_str().unwrap().to_string(),
    )
}

async fn version(app: &TestApp, token: &str, id: i64) -> i64 {
    let (_, f) = call(
        app,
        Method::GET,
        token,
        &format!("/api/v1/applications/{id}"),
        None,
    )
    .await;
    f["version"].as_i64().unwrap()
}

/// (id, event, recipient, payload) of every message about a file, oldest first.
async fn outbox_of(app: &TestApp, id: i64) -> Vec<(i64, String, String, String)> {
    sqlx::query_as(
        "select id, event, recipient, payload from outbox where application_id = $1 order by id",
    )
    .bind(id)
    .fetch_all(app.db.db.pool())
    .await
    .unwrap()
}

both_engines!(
    each_workflow_event_sends_exactly_one_sms_with_its_text_to_the_registered_mobile,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let desk = login(&app, "desk").await;
        let social = login(&app, "social").await;
        let expert = login(&app, "expert").await;
        let head = login(&app, "head").await;
        let bank = login(&app, "bank").await;
        let branch: i64 = sqlx::query_scalar(
            "select b.id from branch b join bank k on k.id = b.bank_id where k.code = 'mehr'",
        )
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();

        // file A: registration to disbursement, with a bank refusal on the way
        let (a, code_a) = register(&app, &desk, program, "0076229645", "09121234567").await;
        let v = through_documents(&app, &desk, &social, a, 1).await;
        let (status, body) = call(&app, Method::POST, &expert, &format!("/api/v1/applications/{a}/plan-review"),
            Some(json!({"activity": "tailoring", "location": "تهران", "recommended_amount": 1_200_000_000_i64, "jobs_to_create": 2}))).await;
        assert_eq!(status, 201, "{body}");
        let f = act(
            &app,
            &expert,
            a,
            "approve_plan",
            json!({}),
            v,
            "awaiting_referral",
        )
        .await;
        let f = act(
            &app,
            &head,
            a,
            "refer",
            json!({"branch_id": branch}),
            f["version"].as_i64().unwrap(),
            "referred",
        )
        .await;
        let f = act(
            &app,
            &bank,
            a,
            "bank_reject",
            json!({"reason": "سابقهٔ چک برگشتی دارد"}),
            f["version"].as_i64().unwrap(),
            "awaiting_referral",
        )
        .await;
        let f = act(
            &app,
            &head,
            a,
            "refer",
            json!({"branch_id": branch}),
            f["version"].as_i64().unwrap(),
            "referred",
        )
        .await;
        let f = act(&app, &bank, a, "request_guarantees", json!({"guarantees": [
            {"kind": "guarantor", "guarantor_national_id": "1583250689", "guarantor_name": "رضا کریمی"},
            {"kind": "promissory_note", "amount": 1_200_000_000_i64}]}), f["version"].as_i64().unwrap(), "guarantees_pending").await;
        let f = act(
            &app,
            &bank,
            a,
            "accept_guarantees",
            json!({}),
            f["version"].as_i64().unwrap(),
            "bank_approved",
        )
        .await;
        let today = vamyar_calendar::Clock::system()
            .today()
            .format("%Y-%m-%d")
            .to_string();
        act(
            &app,
            &bank,
            a,
            "disburse",
            json!({"contract_number": "C-77", "amount": 1_000_000_000_i64, "disbursed_on": today}),
            f["version"].as_i64().unwrap(),
            "active",
        )
        .await;

        // file B: returned, resubmitted, rejected
        let (b, _) = register(&app, &desk, program, "1583250689", "09351234567").await;
        let f = act(
            &app,
            &social,
            b,
            "return",
            json!({"reason": "نشانی محل کسب ناقص است"}),
            1,
            "needs_correction",
        )
        .await;
        let f = act(
            &app,
            &desk,
            b,
            "resubmit",
            json!({}),
            f["version"].as_i64().unwrap(),
            "submitted",
        )
        .await;
        act(
            &app,
            &social,
            b,
            "reject",
            json!({"reason": "درآمد خانوار بیش از سقف است"}),
            f["version"].as_i64().unwrap(),
            "rejected",
        )
        .await;

        // file C: a document rejected, then withdrawn
        let (c, _) = register(&app, &desk, program, "0499370899", "09191234567").await;
        let f = act(
            &app,
            &social,
            c,
            "approve",
            json!({}),
            1,
            "documents_pending",
        )
        .await;
        let doc = upload(&app, &desk, c, "national_card").await;
        let (status, body) = call(
            &app,
            Method::POST,
            &social,
            &format!("/api/v1/documents/{doc}/review"),
            Some(json!({"decision": "reject", "reason": "تصویر ناخواناست"})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let _ = f;
        let vc = version(&app, &desk, c).await;
        act(&app, &desk, c, "withdraw", json!({}), vc, "withdrawn").await;

        // deliver everything
        let fake = FakeProvider::new();
        let w = worker(&app, &fake);
        w.drain().await.unwrap();
        assert_eq!(w.drain().await.unwrap(), 0);

        let mut expected_events = Vec::new();
        for (file, mobile) in [(a, "09121234567"), (b, "09351234567"), (c, "09191234567")] {
            for (id, event, recipient, payload) in outbox_of(&app, file).await {
                let sent: Vec<_> = fake
                    .sent()
                    .into_iter()
                    .filter(|s| s.local_id == id)
                    .collect();
                assert_eq!(sent.len(), 1, "{event} of file {file}: exactly one SMS");
                assert_eq!(recipient, mobile);
                assert_eq!(sent[0].to, mobile, "{event} goes to the registered mobile");
                let payload: Value = serde_json::from_str(&payload).unwrap();
                let text = vamyar_notify::render(&event, &payload, Lang::Fa).unwrap();
                assert_eq!(sent[0].text, text, "{event}");
                expected_events.push((file, event, sent[0].text.clone()));
            }
        }
        assert_eq!(
            fake.sent().len(),
            expected_events.len(),
            "nothing else was sent"
        );
        let events_of = |f: i64| -> Vec<&str> {
            expected_events
                .iter()
                .filter(|(x, _, _)| *x == f)
                .map(|(_, e, _)| e.as_str())
                .collect()
        };
        assert_eq!(
            events_of(a),
            [
                "registered",
                "approved",
                "documents_complete",
                "plan_approved",
                "referred",
                "bank_rejected",
                "referred",
                "guarantees_requested",
                "bank_approved",
                "disbursed",
                "visit_scheduled"
            ]
        );
        assert_eq!(
            events_of(b),
            ["registered", "returned", "resubmitted", "rejected"]
        );
        assert_eq!(
            events_of(c),
            ["registered", "approved", "document_rejected", "withdrawn"]
        );
        let text_of = |f: i64, e: &str| -> String {
            expected_events
                .iter()
                .find(|(x, ev, _)| *x == f && ev == e)
                .unwrap()
                .2
                .clone()
        };
        assert!(
            text_of(a, "registered")
                .contains(&to_persian_digits(&crate::helpers::grouped(&code_a)))
        );
        let letter: String = sqlx::query_scalar(
            "select letter_number from referral where application_id = $1 order by id desc limit 1",
        )
        .bind(a)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        // the bank's name, shortened between words if the whole would not fit two parts
        assert!(
            text_of(a, "referred").contains("بانک قرض‌الحسنه مهر")
                && vamyar_notify::length::fits(&text_of(a, "referred")),
            "{}",
            text_of(a, "referred")
        );
        assert!(
            expected_events
                .iter()
                .any(|(_, e, t)| e == "referred" && t.contains(&to_persian_digits(&letter)))
        );
        assert!(text_of(a, "bank_rejected").contains("سابقهٔ چک برگشتی دارد"));
        assert!(text_of(a, "guarantees_requested").contains("ضامن، سفته"));
        assert!(
            text_of(a, "disbursed").contains("۱۰۰٬۰۰۰٬۰۰۰ تومان"),
            "{}",
            text_of(a, "disbursed")
        );
        assert!(text_of(b, "returned").contains("نشانی محل کسب ناقص است"));
        assert!(text_of(b, "rejected").contains("درآمد خانوار بیش از سقف است"));
        assert!(
            text_of(c, "document_rejected").contains("کارت ملی")
                && text_of(c, "document_rejected").contains("تصویر ناخواناست")
        );
        let statuses: Vec<String> = sqlx::query_scalar(
            "select distinct status from outbox where application_id is not null",
        )
        .fetch_all(app.db.db.pool())
        .await
        .unwrap();
        assert_eq!(statuses, ["sent"]);
    }
);
