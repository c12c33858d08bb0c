//! The national administration's API: programs, banks, memoranda and quotas, counties and
//! holidays — who may change them, what bad input gets, and what is written.

use serde_json::{Value, json};
use vamyar_store::both_engines;
use vamyar_store::session::{self, Subject};
use vamyar_store::staff::{self, NewStaff};
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;

mod accounts;
mod banks;
mod geography;

/// Creates a staff account with `role` and scope, and a live session; returns its token.
pub(crate) async fn login(
    app: &TestApp,
    role: &str,
    province: Option<&str>,
    county: Option<&str>,
    bank_id: Option<i64>,
) -> String {
    let mut tx = app.db.db.begin().await.unwrap();
    let n: u32 = rand::random();
    let id = staff::create(
        &mut tx,
        &NewStaff {
            username: format!("{role}-{n:08x}"),
            password_hash: "not-a-real-hash".into(),
            full_name: format!("test {role}"),
            role: role.into(),
            province_code: province.map(str::to_string),
            county_code: county.map(str::to_string),
            bank_id,
            branch_id: None,
        },
    )
    .await
    .unwrap();
    // administrators' sessions need a confirmed second factor; others ignore it
    staff::set_totp_secret(&mut tx, id, crate::helpers::TEST_TOTP_SECRET)
        .await
        .unwrap();
    staff::enable_totp(&mut tx, id).await.unwrap();
    let (token, _) = session::create(
        &mut tx,
        "session",
        &Subject::Staff(id),
        None,
        chrono::Duration::hours(1),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    token
}

pub(crate) async fn admin(app: &TestApp) -> String {
    login(app, "national_admin", None, None, None).await
}

/// Sends a request with an optional bearer token and JSON body; the status and JSON answer.
pub(crate) async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut req = app.client.request(method, app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn get(app: &TestApp, path: &str, token: &str) -> (u16, Value) {
    call(app, reqwest::Method::GET, path, Some(token), None).await
}

pub(crate) async fn post(app: &TestApp, path: &str, token: &str, body: &Value) -> (u16, Value) {
    call(app, reqwest::Method::POST, path, Some(token), Some(body)).await
}

pub(crate) async fn put(app: &TestApp, path: &str, token: &str, body: &Value) -> (u16, Value) {
    call(app, reqwest::Method::PUT, path, Some(token), Some(body)).await
}

pub(crate) fn program_body(code: &str) -> Value {
    json!({
        "jalali_year": 1405, "code": code,
        "title_fa": "تسهيلات اشتغال ۱۴۰۵", "title_en": "Employment loans 1405",
        "fee_rate_bp": 400, "term_months": 60, "grace_months": 6, "grace_fee_accrues": true,
        "schedule_method": "flat",
        "eligible_groups": ["supported", "waiting_list", "decile_1_5"],
        "required_documents": ["national_card", "business_plan"],
        "priority_weights": {"female_head_of_household": 400},
        "service_levels": {"submitted": 2},
        "visit_months": [3, 6, 12, 24],
        "loan_types": [
            {"loan_type": "self_employment", "title_fa": "خوداشتغالی",
             "title_en": "Self-employment", "ceiling": 2_000_000_000_i64},
            {"loan_type": "employer", "title_fa": "کارفرمایی", "title_en": "Employer",
             "ceiling": "1,000,000,000"}
        ]
    })
}

pub(crate) async fn counts(app: &TestApp, tables: &[&str]) -> Vec<i64> {
    let mut out = Vec::new();
    for t in tables {
        out.push(app.count(t).await);
    }
    out
}

both_engines!(
    a_national_admin_creates_a_program_and_reads_it_back,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let token = admin(&app).await;
        let audit_before = app.count("audit_log").await;
        let (status, created) =
            post(&app, "/api/v1/programs", &token, &program_body("emp-1405")).await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["code"], "emp-1405");
        assert_eq!(
            created["title_fa"], "تسهیلات اشتغال ۱۴۰۵",
            "Persian text normalised"
        );
        assert_eq!(created["schedule_method"], "flat");
        assert_eq!(created["is_active"], true);
        assert_eq!(created["shift_due_to_working_day"], true);
        assert_eq!(created["late_charge_extra_bp"], 600);
        assert_eq!(created["priority_weights"]["female_head_of_household"], 400);
        assert_eq!(
            created["priority_weights"]["deprived_county"], 250,
            "default kept"
        );
        assert_eq!(created["service_levels"]["submitted"], 2);
        assert_eq!(created["visit_months"], json!([3, 6, 12, 24]));
        let types = created["loan_types"].as_array().unwrap();
        assert_eq!(types.len(), 2);
        assert_eq!(types[1]["ceiling"], 1_000_000_000_i64);
        assert_eq!(types[1]["per_job"], true, "employer ceilings are per job");
        assert_eq!(types[0]["per_job"], false);
        assert_eq!(app.count("audit_log").await, audit_before + 1);

        let id = created["id"].as_i64().unwrap();
        let (status, read) = get(&app, &format!("/api/v1/programs/{id}"), &token).await;
        assert_eq!(status, 200);
        assert_eq!(read, created);
        let worker = login(&app, "social_worker", Some("07"), Some("07-15"), None).await;
        let (status, list) = get(&app, "/api/v1/programs", &worker).await;
        assert_eq!(status, 200, "any staff member reads programs");
        assert!(list.as_array().unwrap().contains(&created));
        let (status, _) = get(&app, "/api/v1/programs/999999", &token).await;
        assert_eq!(status, 404);

        let (status, again) =
            post(&app, "/api/v1/programs", &token, &program_body("emp-1405")).await;
        assert_eq!(status, 409);
        assert_eq!(again["error"]["code"], "program_code_taken");

        let patch = json!({"is_active": false, "priority_weights": {"disability": 10}});
        let path = format!("/api/v1/programs/{id}");
        let (status, patched) = call(
            &app,
            reqwest::Method::PATCH,
            &path,
            Some(&token),
            Some(&patch),
        )
        .await;
        assert_eq!(status, 200, "{patched}");
        assert_eq!(patched["is_active"], false);
        assert_eq!(patched["priority_weights"]["disability"], 10);
        assert_eq!(
            patched["priority_weights"]["female_head_of_household"], 400,
            "merged"
        );
        let bad = json!({"service_levels": {"referred": 0}});
        let (status, answer) = call(
            &app,
            reqwest::Method::PATCH,
            &path,
            Some(&token),
            Some(&bad),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(
            answer["error"]["fields"]["service_levels.referred"]["code"],
            "service_levels_invalid"
        );
        let (status, _) = call(
            &app,
            reqwest::Method::PATCH,
            &path,
            Some(&worker),
            Some(&patch),
        )
        .await;
        assert_eq!(status, 403);
    }
);

both_engines!(
    program_writes_need_a_national_admin,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let tables = ["program", "program_loan_type", "audit_log"];
        let before = counts(&app, &tables).await;
        let body = program_body("emp-x");
        let (status, answer) = call(
            &app,
            reqwest::Method::POST,
            "/api/v1/programs",
            None,
            Some(&body),
        )
        .await;
        assert_eq!(status, 401, "{answer}");
        assert_eq!(answer["error"]["code"], "unauthenticated");
        let (status, _) = call(&app, reqwest::Method::GET, "/api/v1/programs", None, None).await;
        assert_eq!(status, 401);
        for (role, province, county) in [
            ("social_worker", Some("07"), Some("07-15")),
            ("province_admin", Some("07"), None),
            ("auditor", None, None),
        ] {
            let token = login(&app, role, province, county, None).await;
            let (status, answer) = post(&app, "/api/v1/programs", &token, &body).await;
            assert_eq!(status, 403, "{role}: {answer}");
            assert_eq!(answer["error"]["code"], "forbidden");
        }
        assert_eq!(counts(&app, &tables).await, before);
    }
);

both_engines!(
    each_bad_program_field_is_named_and_nothing_is_written,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let token = admin(&app).await;
        let tables = ["program", "program_loan_type", "audit_log"];
        let before = counts(&app, &tables).await;
        let cases: Vec<(&str, Value, &str, &str)> = vec![
            ("jalali_year", json!(1300), "jalali_year", "out_of_range"),
            ("fee_rate_bp", json!(10_001), "fee_rate_bp", "out_of_range"),
            ("term_months", json!(0), "term_months", "out_of_range"),
            ("grace_months", json!("x"), "grace_months", "invalid_number"),
            ("code", json!("Bad Code!"), "code", "code_malformed"),
            (
                "schedule_method",
                json!("balloon"),
                "schedule_method",
                "invalid_choice",
            ),
            (
                "required_documents",
                json!(["national_card", "passport"]),
                "required_documents[1]",
                "unknown_document_kind",
            ),
            (
                "eligible_groups",
                json!(["everyone"]),
                "eligible_groups[0]",
                "unknown_eligible_group",
            ),
            ("eligible_groups", json!([]), "eligible_groups", "required"),
            (
                "visit_months",
                json!([6, 3]),
                "visit_months[1]",
                "visit_months_not_ascending",
            ),
            (
                "visit_months",
                json!([0]),
                "visit_months[0]",
                "out_of_range",
            ),
            (
                "priority_weights",
                json!({"disability": -1}),
                "priority_weights.disability",
                "priority_weights_invalid",
            ),
            (
                "priority_weights",
                json!({"nonsense": 1}),
                "priority_weights.nonsense",
                "priority_weights_invalid",
            ),
            (
                "service_levels",
                json!({"counselling": 0}),
                "service_levels.counselling",
                "service_levels_invalid",
            ),
            ("loan_types", json!([]), "loan_types", "required"),
        ];
        for (field, value, path, code) in cases {
            let mut body = program_body("emp-bad");
            body[field] = value;
            let (status, answer) = post(&app, "/api/v1/programs", &token, &body).await;
            assert_eq!(status, 422, "{field}: {answer}");
            assert_eq!(answer["error"]["code"], "validation_failed");
            assert_eq!(
                answer["error"]["fields"][path]["code"], code,
                "{field}: {answer}"
            );
        }
        let loan_cases = [
            ("ceiling", json!(0), "out_of_range"),
            ("ceiling", json!(10_000_000_000_001_i64), "out_of_range"),
            ("ceiling", json!("12.5"), "amount_fraction"),
            ("loan_type", json!("mortgage"), "invalid_choice"),
        ];
        for (field, value, code) in loan_cases {
            let mut body = program_body("emp-bad");
            body["loan_types"][0][field] = value;
            let (status, answer) = post(&app, "/api/v1/programs", &token, &body).await;
            assert_eq!(status, 422, "{field}: {answer}");
            let f = format!("loan_types[0].{field}");
            assert_eq!(answer["error"]["fields"][&f]["code"], code, "{answer}");
        }
        let mut body = program_body("emp-bad");
        body["loan_types"][1]["loan_type"] = json!("self_employment");
        let (status, answer) = post(&app, "/api/v1/programs", &token, &body).await;
        assert_eq!(status, 422);
        assert_eq!(
            answer["error"]["fields"]["loan_types[1].loan_type"]["code"],
            "duplicate_loan_type"
        );
        let mut body = program_body("emp-bad");
        body.as_object_mut().unwrap().remove("jalali_year");
        body["fee_rate_bp"] = json!(-5);
        let (status, answer) = post(&app, "/api/v1/programs", &token, &body).await;
        assert_eq!(status, 422);
        let fields = &answer["error"]["fields"];
        assert_eq!(
            fields["jalali_year"]["code"], "required",
            "every field reported"
        );
        assert_eq!(fields["fee_rate_bp"]["code"], "out_of_range");
        assert!(
            fields["jalali_year"]["message"]
                .as_str()
                .unwrap()
                .chars()
                .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
        );
        assert_eq!(counts(&app, &tables).await, before);
    }
);

#[test]
fn every_admin_route_is_in_the_openapi_document() {
    let doc = serde_json::to_value(vamyar_web::openapi()).unwrap();
    let paths = &doc["paths"];
    for (path, method) in [
        ("/api/v1/programs", "get"),
        ("/api/v1/programs", "post"),
        ("/api/v1/programs/{id}", "get"),
        ("/api/v1/programs/{id}", "patch"),
        ("/api/v1/banks", "get"),
        ("/api/v1/banks", "post"),
        ("/api/v1/banks/{id}/branches", "post"),
        ("/api/v1/memoranda", "get"),
        ("/api/v1/memoranda", "post"),
        ("/api/v1/memoranda/{id}/quotas/{province_code}", "put"),
        ("/api/v1/counties/{code}", "put"),
        ("/api/v1/holidays", "get"),
        ("/api/v1/holidays", "post"),
        ("/api/v1/holidays/{date}", "delete"),
    ] {
        let op = &paths[path][method];
        assert!(op.is_object(), "{method} {path} missing");
        assert_eq!(op["tags"][0], "admin", "{method} {path}");
    }
}
