//! Bad input to the journey's endpoints: a 4xx with a Persian message per field, and not one
//! row written.

use serde_json::{Value, json};
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;
use crate::journey::{call, demo_program, login, registration};

const TABLES: [&str; 12] = [
    "person",
    "application",
    "application_event",
    "stage_timing",
    "outbox",
    "audit_log",
    "referral",
    "guarantee",
    "document",
    "plan_review",
    "counselling_session",
    "quota",
];

async fn snapshot(app: &TestApp) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for t in TABLES {
        // quota rows are compared by their usage, the others by count
        let sql = if t == "quota" {
            "select coalesce(sum(count_used), 0) || '/' || coalesce(sum(amount_used), 0) from quota"
                .to_string()
        } else if t == "audit_log" {
            // refused attempts are audited as `denied`; nothing else may be written
            "select count(*) || '' from audit_log where outcome <> 'denied'".to_string()
        } else {
            format!("select count(*) || '' from {t}")
        };
        let v: String = sqlx::query_scalar(&sql)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        out.push((t.to_string(), v));
    }
    out
}

fn persian(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)))
}

fn set(body: &mut Value, path: &str, v: Value) {
    let mut cur = body;
    let parts: Vec<&str> = path.split('.').collect();
    for p in &parts[..parts.len() - 1] {
        cur = &mut cur[*p];
    }
    cur[parts[parts.len() - 1]] = v;
}

both_engines!(
    bad_registrations_name_the_field_and_write_nothing,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let desk = login(&app, "desk").await;
        let before = snapshot(&app).await;
        let cases: Vec<(&str, Value, &str)> = vec![
            (
                "applicant.national_id",
                json!("0076229646"),
                "national_id_check_digit",
            ),
            ("applicant.mobile", json!("09121"), "mobile_malformed"),
            (
                "applicant.sheba",
                json!("IR012345678901234567890123"),
                "sheba_checksum",
            ),
            (
                "applicant.birth_date",
                json!("1404/12/30"),
                "date_does_not_exist",
            ),
            ("applicant.county", json!("13-24"), "county_not_in_province"),
            (
                "requested_amount",
                json!(999_999_999_999_i64),
                "amount_above_ceiling",
            ),
            ("requested_amount", json!("-5"), "amount_negative"),
            ("loan_type", json!("yacht"), "invalid_choice"),
            ("program_id", json!(999), "unknown_program"),
            ("business.title", json!(""), "required"),
            ("business.jobs_planned", json!("many"), "invalid_number"),
        ];
        for (field, value, code) in cases {
            let mut body = registration(program, "0076229645");
            set(&mut body, field, value);
            let (status, answer) = call(
                &app,
                reqwest::Method::POST,
                &desk,
                "/api/v1/applications",
                Some(body),
            )
            .await;
            assert_eq!(status, 422, "{field}: {answer}");
            let f = &answer["error"]["fields"][field];
            assert_eq!(f["code"], code, "{field}: {answer}");
            assert!(persian(&f["message"]), "{field}: {answer}");
        }
        // a county the clerk does not serve
        let mut body = registration(program, "0076229645");
        set(&mut body, "applicant.province", json!("13"));
        set(&mut body, "applicant.county", json!("13-24"));
        let (status, answer) = call(
            &app,
            reqwest::Method::POST,
            &desk,
            "/api/v1/applications",
            Some(body),
        )
        .await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(
            answer["error"]["fields"]["applicant.county"]["code"],
            "outside_your_county"
        );
        assert_eq!(snapshot(&app).await, before, "nothing written");
        // a second open file for the same person and program is a conflict, and writes nothing more
        let (status, _) = call(
            &app,
            reqwest::Method::POST,
            &desk,
            "/api/v1/applications",
            Some(registration(program, "0076229645")),
        )
        .await;
        assert_eq!(status, 201);
        let after_one = snapshot(&app).await;
        let (status, answer) = call(
            &app,
            reqwest::Method::POST,
            &desk,
            "/api/v1/applications",
            Some(registration(program, "0076229645")),
        )
        .await;
        assert_eq!(status, 409, "{answer}");
        assert_eq!(answer["error"]["code"], "open_file_exists");
        assert!(persian(&answer["error"]["message"]));
        assert_eq!(snapshot(&app).await, after_one);
    }
);

both_engines!(
    bad_actions_are_refused_without_side_effects,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let desk = login(&app, "desk").await;
        let social = login(&app, "social").await;
        let head = login(&app, "head").await;
        let (_, reg) = call(
            &app,
            reqwest::Method::POST,
            &desk,
            "/api/v1/applications",
            Some(registration(program, "0076229645")),
        )
        .await;
        let id = reg["id"].as_i64().unwrap();
        let before = snapshot(&app).await;
        let path = |a: &str| format!("/api/v1/applications/{id}/actions/{a}");
        // a refusal needs a reason
        let (status, answer) = call(
            &app,
            reqwest::Method::POST,
            &social,
            &path("return"),
            Some(json!({"version": 1, "reason": "  "})),
        )
        .await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(
            answer["error"]["fields"]["reason"]["code"],
            "reason_required"
        );
        assert!(persian(&answer["error"]["fields"]["reason"]["message"]));
        // no version
        let (status, answer) = call(
            &app,
            reqwest::Method::POST,
            &social,
            &path("approve"),
            Some(json!({})),
        )
        .await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(answer["error"]["fields"]["version"]["code"], "required");
        // the wrong role, the wrong state, an unknown action
        let (status, _) = call(
            &app,
            reqwest::Method::POST,
            &head,
            &path("approve"),
            Some(json!({"version": 1})),
        )
        .await;
        assert_eq!(status, 403);
        let (status, answer) = call(
            &app,
            reqwest::Method::POST,
            &head,
            &path("refer"),
            Some(json!({"version": 1, "branch_id": 1})),
        )
        .await;
        assert_eq!(status, 409, "{answer}");
        assert_eq!(answer["error"]["code"], "invalid_state");
        assert!(persian(&answer["error"]["message"]));
        let (status, _) = call(
            &app,
            reqwest::Method::POST,
            &social,
            &path("fly"),
            Some(json!({"version": 1})),
        )
        .await;
        assert_eq!(status, 404);
        // referral problems once the file waits for one
        sqlx::query("update application set state = 'awaiting_referral', recommended_amount = 1000000000 where id = $1").bind(id).execute(app.db.db.pool()).await.unwrap();
        let (status, answer) = call(
            &app,
            reqwest::Method::POST,
            &head,
            &path("refer"),
            Some(json!({"version": 1, "branch_id": 99999})),
        )
        .await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(
            answer["error"]["fields"]["branch_id"]["code"],
            "unknown_branch"
        );
        let (status, answer) = call(
            &app,
            reqwest::Method::POST,
            &head,
            &path("refer"),
            Some(json!({"version": 1, "branch_id": 1, "amount": 99_000_000_000_i64})),
        )
        .await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(
            answer["error"]["fields"]["amount"]["code"],
            "amount_above_ceiling"
        );
        assert!(persian(&answer["error"]["fields"]["amount"]["message"]));
        assert_eq!(
            snapshot(&app).await,
            before,
            "nothing written by refused actions"
        );
        let denied: i64 = sqlx::query_scalar("select count(*) from audit_log where outcome = 'denied' and action = 'application.approve'")
        .fetch_one(app.db.db.pool()).await.unwrap();
        assert_eq!(
            denied, 1,
            "the head's attempt to approve is in the audit log"
        );
    }
);
