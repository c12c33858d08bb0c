//! A second file to `accelerated`: a monitoring visit finds the plan not carried out, and the
//! office head makes the whole balance due today.

use chrono::Duration;
use reqwest::Method;
use serde_json::{Value, json};
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;
use crate::journey::{call, demo_program};
use crate::loans::{bank_approved, day, disburse, iso, staff, today, v};

async fn accelerate(
    app: &TestApp,
    head: &str,
    id: i64,
    version: i64,
    reason: Option<&str>,
) -> (u16, Value) {
    let mut body = json!({"version": version});
    if let Some(r) = reason {
        body["reason"] = json!(r);
    }
    call(
        app,
        Method::POST,
        head,
        &format!("/api/v1/applications/{id}/actions/accelerate"),
        Some(body),
    )
    .await
}

both_engines!(
    a_failed_visit_lets_the_office_head_accelerate_the_loan,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let (id, version) = bank_approved(&app, &s, program, "1583250689", 300).await;
        let loan_id = disburse(&app, &s, id, version, "C-77", 300).await;
        let (_, file) = call(
            &app,
            Method::GET,
            &s.head,
            &format!("/api/v1/applications/{id}"),
            None,
        )
        .await;
        let (status, err) =
            accelerate(&app, &s.head, id, v(&file), Some("طرح اجرا نشده است")).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (409, Some("no_failed_visit"))
        );

        // the expert records the first visit: the plan was not carried out
        let (_, visits) = call(
            &app,
            Method::GET,
            &s.expert,
            &format!("/api/v1/applications/{id}/visits"),
            None,
        )
        .await;
        let visit = visits[0]["id"].as_i64().unwrap();
        let record = json!({"visited_on": iso(today()), "business_running": false, "people_employed": 0,
            "plan_carried_out": false, "findings": "کارگاه تعطیل است", "recommendation": "دین به حال"});
        let (status, _) = call(
            &app,
            Method::POST,
            &s.bank,
            &format!("/api/v1/visits/{visit}"),
            Some(record.clone()),
        )
        .await;
        assert_eq!(status, 403);
        let (status, bad) = call(
            &app,
            Method::POST,
            &s.expert,
            &format!("/api/v1/visits/{visit}"),
            Some(json!({"visited_on": iso(today() + Duration::days(1)), "people_employed": -1})),
        )
        .await;
        assert_eq!(status, 422);
        for f in [
            "visited_on",
            "people_employed",
            "business_running",
            "plan_carried_out",
        ] {
            assert!(bad["error"]["fields"][f].is_object(), "{f}: {bad}");
        }
        let (status, recorded) = call(
            &app,
            Method::POST,
            &s.expert,
            &format!("/api/v1/visits/{visit}"),
            Some(record.clone()),
        )
        .await;
        assert_eq!(status, 200, "{recorded}");
        assert_eq!(recorded["plan_carried_out"], false);
        assert_eq!(recorded["visited_on"], iso(today()));
        let (status, err) = call(
            &app,
            Method::POST,
            &s.expert,
            &format!("/api/v1/visits/{visit}"),
            Some(record),
        )
        .await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (409, Some("visit_already_recorded"))
        );
        let audited: i64 = sqlx::query_scalar(
            "select count(*) from audit_log where action = 'visit.record' and outcome = 'ok'",
        )
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        assert_eq!(audited, 1);

        // acceleration needs a reason; then the whole balance is due today
        let (status, _) = accelerate(&app, &s.head, id, v(&file), None).await;
        assert_eq!(status, 422);
        // a reason of only spaces and joiners is no reason
        let (status, _) = accelerate(&app, &s.head, id, v(&file), Some(" \u{200c} ")).await;
        assert_eq!(status, 422);
        // typed on an Arabic keyboard (ي, ك): kept in Persian letters like all other text
        let (status, file) = accelerate(
            &app,
            &s.head,
            id,
            v(&file),
            Some("طرح اجرا نشده است؛ كارگاه تعطيل"),
        )
        .await;
        // four eyes: the office head's word is a proposal; nothing changes yet
        assert_eq!(status, 202, "{file}");
        let proposal = file["proposal"].clone();
        assert_eq!(proposal["action"], "accelerate");
        assert_eq!(proposal["status"], "pending");
        assert_eq!(proposal["proposed_by"], "head");
        assert!(proposal["expires_on"].as_str().unwrap() > iso(today()).as_str());
        let pid = proposal["id"].as_i64().unwrap();
        let (_, still) = call(
            &app,
            Method::GET,
            &s.head,
            &format!("/api/v1/applications/{id}"),
            None,
        )
        .await;
        assert_eq!(still["state"], "active");
        let told: i64 = sqlx::query_scalar(
            "select count(*) from outbox where application_id = $1 and event = 'accelerated'",
        )
        .bind(id)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        assert_eq!(told, 0, "the borrower is told only once it is confirmed");
        // the same act cannot be proposed twice
        let (status, err) = accelerate(&app, &s.head, id, v(&still), Some("دوباره")).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (409, Some("proposal_pending"))
        );
        // the proposer cannot confirm; nor can the bank officer (who sees the file)
        let confirm = format!("/api/v1/proposals/{pid}/confirm");
        let (status, err) = call(&app, Method::POST, &s.head, &confirm, Some(json!({}))).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (403, Some("proposer_cannot_confirm"))
        );
        assert!(
            err["error"]["message"]
                .as_str()
                .unwrap()
                .contains("پیشنهاددهنده")
        );
        let (status, _) = call(&app, Method::POST, &s.bank, &confirm, Some(json!({}))).await;
        assert_eq!(status, 403);
        // the province admin sees it among the proposals to decide, and confirms it
        let province = crate::journey::login(&app, "province").await;
        let (status, list) = call(&app, Method::GET, &province, "/api/v1/proposals", None).await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["id"], pid);
        assert_eq!(list[0]["may_decide"], true);
        let (_, mine) = call(&app, Method::GET, &s.head, "/api/v1/proposals", None).await;
        assert_eq!(
            mine.as_array().unwrap().len(),
            0,
            "not the proposer's to decide"
        );
        let (status, done) = call(
            &app,
            Method::POST,
            &province,
            &confirm,
            Some(json!({"note": "تأیید شد"})),
        )
        .await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(done["status"], "confirmed");
        assert_eq!(done["decided_by"], "province");
        let (status, err) = call(&app, Method::POST, &province, &confirm, Some(json!({}))).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (409, Some("proposal_decided"))
        );
        let (_, file) = call(
            &app,
            Method::GET,
            &s.head,
            &format!("/api/v1/applications/{id}"),
            None,
        )
        .await;
        assert_eq!(file["state"], "accelerated");
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
            actions.ends_with(&["propose_accelerate", "confirm_accelerate", "accelerate"]),
            "{actions:?}"
        );
        let (_, loan) = call(
            &app,
            Method::GET,
            &s.bank,
            &format!("/api/v1/loans/{loan_id}"),
            None,
        )
        .await;
        assert_eq!(loan["status"], "accelerated");
        assert_eq!(loan["accelerated_on"], iso(today()));
        assert_eq!(loan["balances"]["principal_outstanding"], 1_000_000_000);
        let (_, sched) = call(
            &app,
            Method::GET,
            &s.bank,
            &format!("/api/v1/loans/{loan_id}/schedule"),
            None,
        )
        .await;
        let rows = sched["installments"].as_array().unwrap();
        assert!(
            rows.iter().all(|r| day(&r["due_on"]) <= today()),
            "everything is due"
        );
        assert_eq!(
            rows.iter()
                .map(|r| r["principal"].as_i64().unwrap())
                .sum::<i64>(),
            1_000_000_000
        );
        // fee stops: only installments already due keep theirs
        let kept: i64 = rows.iter().map(|r| r["fee"].as_i64().unwrap()).sum();
        assert!(
            kept < loan["total_fee"].as_i64().unwrap(),
            "future fee dropped"
        );
        assert_eq!(
            loan["balances"]["due_now"],
            loan["balances"]["total_outstanding"]
        );
        let payload: String = sqlx::query_scalar(
            "select payload from outbox where application_id = $1 and event = 'accelerated'",
        )
        .bind(id)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        let payload: Value = serde_json::from_str(&payload).unwrap();
        assert_eq!(payload["notice"]["accelerated_on"], iso(today()));
        assert_eq!(
            payload["notice"]["reason"],
            "طرح اجرا نشده است؛ کارگاه تعطیل"
        );
        let reasons: Vec<Option<String>> = sqlx::query_scalar(
            "select reason from application_event where application_id = $1 and reason is not null",
        )
        .bind(id)
        .fetch_all(app.db.db.pool())
        .await
        .unwrap();
        // the proposal's reason, and the acceleration's
        assert_eq!(
            reasons,
            [
                Some("طرح اجرا نشده است؛ کارگاه تعطیل".to_string()),
                Some("طرح اجرا نشده است؛ کارگاه تعطیل".to_string())
            ]
        );
        vamyar_store::audit::seal_all(&app.db.db).await.unwrap();
        let report = vamyar_store::audit::verify(&app.db.db).await.unwrap();
        assert!(report.ok, "{report:?}");
    }
);
