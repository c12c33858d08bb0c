//! The authorization matrix: every API route (read from the OpenAPI document, so a new route
//! without a rule fails this test) × every role, including an applicant reaching for another
//! applicant's file, a county officer outside their county and a bank officer of another bank.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use vamyar_store::both_engines;
use vamyar_store::session::Subject;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;
use crate::journey::{call, demo_program, login, registration, upload};

mod callers;
mod rules;

use callers::{Caller, session_for, staff};
use rules::{Who, rule};

both_engines!(
    every_route_answers_every_role_as_the_policy_says,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let desk = login(&app, "desk").await;
        // the fixture file F (applicant A, county 07-15) with a document, referred to bank `mehr`;
        // another applicant B with a file of their own
        let (_, f) = call(
            &app,
            reqwest::Method::POST,
            &desk,
            "/api/v1/applications",
            Some(registration(program, "0076229645")),
        )
        .await;
        let (_, g) = call(
            &app,
            reqwest::Method::POST,
            &desk,
            "/api/v1/applications",
            Some(registration(program, "1583250689")),
        )
        .await;
        let file_id = f["id"].as_i64().unwrap();
        let document = upload(&app, &desk, file_id, "national_card").await;
        let (memorandum, quota, bank_id, branch): (i64, i64, i64, i64) = {
            let pool = app.db.db.pool();
            let m: i64 = sqlx::query_scalar("select m.id from memorandum m join bank k on k.id = m.bank_id where k.code = 'mehr'").fetch_one(pool).await.unwrap();
            let q: i64 = sqlx::query_scalar(
                "select id from quota where memorandum_id = $1 and province_code = '07'",
            )
            .bind(m)
            .fetch_one(pool)
            .await
            .unwrap();
            let k: i64 = sqlx::query_scalar("select id from bank where code = 'mehr'")
                .fetch_one(pool)
                .await
                .unwrap();
            let b: i64 = sqlx::query_scalar("select id from branch where bank_id = $1")
                .bind(k)
                .fetch_one(pool)
                .await
                .unwrap();
            (m, q, k, b)
        };
        sqlx::query("update application set state = 'referred', version = 7 where id = $1")
            .bind(file_id)
            .execute(app.db.db.pool())
            .await
            .unwrap();
        sqlx::query("insert into referral (application_id, memorandum_id, quota_id, bank_id, branch_id, letter_number, amount, issued_on, valid_until, status, created_at, updated_at) values ($1, $2, $3, $4, $5, 'L-1', 1000, '2026-01-01', '2099-01-01', 'open', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
        .bind(file_id).bind(memorandum).bind(quota).bind(bank_id).bind(branch).execute(app.db.db.pool()).await.unwrap();
        // the fixture file's loan (disbursed under the referral above) and a scheduled visit
        let (loan_id, visit_id) = {
            let referral: i64 =
                sqlx::query_scalar("select id from referral where application_id = $1")
                    .bind(file_id)
                    .fetch_one(app.db.db.pool())
                    .await
                    .unwrap();
            let mut tx = app.db.db.begin().await.unwrap();
            let loan = vamyar_store::loan::create(
                &mut tx,
                &vamyar_store::loan::NewLoan {
                    application_id: file_id,
                    referral_id: referral,
                    bank_id,
                    contract_number: "M-1",
                    principal: 1000,
                    fee_rate_bp: 400,
                    term_months: 1,
                    grace_months: 0,
                    schedule_method: "flat",
                    late_charge_extra_bp: 600,
                    disbursed_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                    total_fee: 0,
                },
                &[],
            )
            .await
            .unwrap();
            let visit = vamyar_store::loan::visit::schedule(&mut tx, loan, file_id, "2026-04-01")
                .await
                .unwrap();
            tx.commit().await.unwrap();
            (loan, visit)
        };
        // a payment on the loan, and an acceleration proposed by a second office head
        let (payment_id, proposal_id) = {
            let head2: i64 = {
                let mut tx = app.db.db.begin().await.unwrap();
                let id = vamyar_store::staff::create(
                    &mut tx,
                    &vamyar_store::staff::NewStaff {
                        username: "head2".into(),
                        password_hash: "unused".into(),
                        full_name: "head2".into(),
                        role: "office_head".into(),
                        province_code: Some("07".into()),
                        county_code: Some("07-15".into()),
                        bank_id: None,
                        branch_id: None,
                    },
                )
                .await
                .unwrap();
                tx.commit().await.unwrap();
                id
            };
            let mut tx = app.db.db.begin().await.unwrap();
            let payment = vamyar_store::loan::payment::insert(
                &mut tx,
                &vamyar_store::loan::payment::NewPayment {
                    loan_id,
                    bank_id,
                    bank_reference: "R-1",
                    amount: 10,
                    paid_on: "2026-01-05",
                    channel: "api",
                    allocated_late_charge: 0,
                    allocated_fee: 0,
                    allocated_principal: 10,
                    to_credit: 0,
                    posted_by_staff_id: None,
                },
            )
            .await
            .unwrap();
            let detail = json!({"loan_id": loan_id, "bank_id": bank_id}).to_string();
            let proposal = vamyar_store::proposal::insert(
                &mut tx,
                &vamyar_store::proposal::NewProposal {
                    action: "accelerate",
                    application_id: file_id,
                    payment_id: None,
                    pending_key: "accelerate:fixture",
                    reason: Some("طرح اجرا نشده است"),
                    detail: &detail,
                    proposed_by: head2,
                    proposed_at: "2026-01-01T00:00:00Z",
                    expires_on: "2099-01-01",
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            (payment.id, proposal.id)
        };
        // a pending change of province 07's quota (four eyes on administrative changes)
        let change_id = {
            let proposer: i64 =
                sqlx::query_scalar("select id from staff_user where username = 'head2'")
                    .fetch_one(app.db.db.pool())
                    .await
                    .unwrap();
            let subject = format!("quota:{memorandum}/07");
            let body =
                json!({"count_limit": 500, "amount_limit": 1_000_000_000_000_i64}).to_string();
            let mut tx = app.db.db.begin().await.unwrap();
            let change = vamyar_store::change_proposal::insert(
                &mut tx,
                &vamyar_store::change_proposal::NewChangeProposal {
                    action: "quota",
                    subject: &subject,
                    province_code: Some("07"),
                    body: &body,
                    reason: None,
                    proposed_by: proposer,
                    proposed_at: "2026-01-01T00:00:00Z",
                    expires_on: "2099-01-01",
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            change.id
        };
        let owner_id: i64 =
            sqlx::query_scalar("select id from person where national_id = '0076229645'")
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        let other_id: i64 =
            sqlx::query_scalar("select id from person where national_id = '1583250689'")
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        let owner = session_for(&app, Subject::Person(owner_id)).await;
        // a complaint about the fixture file, filed at the desk
        let complaint_id = {
            let (status, c) = call(
                &app,
                reqwest::Method::POST,
                &desk,
                "/api/v1/complaints",
                Some(
                    json!({"tracking_code": f["tracking_code"], "kind": "complaint",
                    "body": "پاسخی نگرفتم"}),
                ),
            )
            .await;
            assert_eq!(status, 201, "{c}");
            c["id"].as_i64().unwrap()
        };
        // a household of the fixture file's county
        {
            let (status, h) = call(
                &app,
                reqwest::Method::POST,
                &desk,
                "/api/v1/households",
                Some(json!({"case_number": "HH-77", "size": 4})),
            )
            .await;
            assert_eq!(status, 201, "{h}");
        }
        let other = session_for(&app, Subject::Person(other_id)).await;
        let admin_token_id: i64 = {
            let admin = login(&app, "admin").await;
            let (status, t) = call(
                &app,
                reqwest::Method::POST,
                &admin,
                "/api/v1/auth/tokens",
                Some(json!({"name": "matrix"})),
            )
            .await;
            assert_eq!(status, 201, "{t}");
            t["id"].as_i64().unwrap()
        };
        let callers = vec![
            Caller {
                name: "anonymous",
                role: "",
                token: None,
                sees_file: false,
            },
            Caller {
                name: "owner",
                role: "applicant",
                token: Some(owner),
                sees_file: true,
            },
            Caller {
                name: "other applicant",
                role: "applicant",
                token: Some(other),
                sees_file: false,
            },
            Caller {
                name: "desk",
                role: "desk_clerk",
                token: Some(login(&app, "desk").await),
                sees_file: true,
            },
            Caller {
                name: "social",
                role: "social_worker",
                token: Some(login(&app, "social").await),
                sees_file: true,
            },
            Caller {
                name: "social outside the county",
                role: "social_worker",
                token: Some(staff(&app, "zahedan", "social_worker", Some("13-24"), None).await),
                sees_file: false,
            },
            Caller {
                name: "expert",
                role: "employment_expert",
                token: Some(login(&app, "expert").await),
                sees_file: true,
            },
            Caller {
                name: "head",
                role: "office_head",
                token: Some(login(&app, "head").await),
                sees_file: true,
            },
            Caller {
                name: "bank",
                role: "bank_officer",
                token: Some(login(&app, "bank").await),
                sees_file: true,
            },
            Caller {
                name: "another bank",
                role: "bank_officer",
                token: Some(
                    staff(
                        &app,
                        "resalat-officer",
                        "bank_officer",
                        None,
                        Some("resalat"),
                    )
                    .await,
                ),
                sees_file: false,
            },
            Caller {
                name: "province",
                role: "province_admin",
                token: Some(login(&app, "province").await),
                sees_file: true,
            },
            Caller {
                name: "auditor",
                role: "auditor",
                token: Some(login(&app, "auditor").await),
                sees_file: true,
            },
            Caller {
                name: "admin",
                role: "national_admin",
                token: Some(login(&app, "admin").await),
                sees_file: true,
            },
        ];
        let holiday: String = sqlx::query_scalar(
            "select holiday_date from holiday order by holiday_date desc limit 1",
        )
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        let params: BTreeMap<&str, String> = BTreeMap::from([
            (
                "{tracking_code}",
                f["tracking_code"].as_str().unwrap().to_string(),
            ),
            ("{action}", "approve".to_string()),
            ("{province_code}", "07".to_string()),
            ("{code}", "07-15".to_string()),
            ("{date}", holiday),
            ("{name}", "funnel".to_string()),
            ("{case_number}", "HH-77".to_string()),
        ]);
        let doc: Value = app
            .client
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mut missing = Vec::new();
        let mut failures = Vec::new();
        let mut checked = 0;
        // logging out ends the caller's session, so it goes last
        let mut paths: Vec<(&String, &Value)> = doc["paths"].as_object().unwrap().iter().collect();
        paths.sort_by_key(|(p, _)| p.as_str() == "/api/v1/auth/logout");
        for (path, item) in paths {
            for method in ["get", "post", "put", "patch", "delete"] {
                if item.get(method).is_none() {
                    continue;
                }
                let m = method.to_uppercase();
                let Some(rule) = rule(&m, path) else {
                    missing.push(format!("{m} {path}"));
                    continue;
                };
                let id = if path.starts_with("/api/v1/loans/") {
                    loan_id.to_string()
                } else if path.starts_with("/api/v1/visits/") {
                    visit_id.to_string()
                } else if path.starts_with("/api/v1/documents/") {
                    document.to_string()
                } else if path.starts_with("/api/v1/auth/tokens/") {
                    admin_token_id.to_string()
                } else if path.starts_with("/api/v1/banks/") {
                    bank_id.to_string()
                } else if path.starts_with("/api/v1/memoranda/") {
                    memorandum.to_string()
                } else if path.starts_with("/api/v1/programs/") {
                    program.to_string()
                } else if path.starts_with("/api/v1/changes/") {
                    change_id.to_string()
                } else if path.starts_with("/api/v1/proposals/") {
                    proposal_id.to_string()
                } else if path.starts_with("/api/v1/payments/") {
                    payment_id.to_string()
                } else if path.starts_with("/api/v1/complaints/") {
                    complaint_id.to_string()
                } else {
                    file_id.to_string()
                };
                let mut url = path.replace("{id}", &id);
                for (k, v) in &params {
                    url = url.replace(k, v);
                }
                // the admin goes last so a DELETE it may perform does not change what others see
                for c in &callers {
                    let body = if path.ends_with("/actions/{action}") {
                        json!({"version": 7})
                    } else {
                        json!({})
                    };
                    let mut req = app.client.request(
                        reqwest::Method::from_bytes(m.as_bytes()).unwrap(),
                        app.url(&url),
                    );
                    if let Some(t) = &c.token {
                        req = req.bearer_auth(t);
                    }
                    if path == "/api/v1/applications/{id}/documents" && m == "POST" {
                        let form = reqwest::multipart::Form::new().text("kind", "photo").part(
                            "file",
                            reqwest::multipart::Part::bytes(b"%PDF-1.4 x".to_vec())
                                .file_name("a.pdf"),
                        );
                        req = req.multipart(form);
                    } else if m != "GET" && m != "DELETE" {
                        req = req.json(&body);
                    }
                    let status = req.send().await.unwrap().status().as_u16();
                    checked += 1;
                    let expected: &[u16] = match rule.who {
                        Who::Public => &[],
                        Who::Secret => &[401],
                        _ if c.token.is_none() => &[401],
                        _ if rule.file && !c.sees_file => &[404],
                        _ if rule.area
                            && !c.sees_file
                            && !matches!(c.role, "applicant" | "bank_officer") =>
                        {
                            &[404]
                        }
                        Who::Anyone => &[],
                        Who::Staff if c.role == "applicant" => &[403],
                        Who::Staff => &[],
                        Who::Roles(roles) if roles.contains(&c.role) => &[],
                        Who::Roles(_) => &[403],
                    };
                    let ok = if expected.is_empty() {
                        // allowed past authorization: anything but 401/403, and 404 only where the
                        // record itself is not theirs (someone else's API token)
                        let foreign_token =
                            path == "/api/v1/auth/tokens/{id}" && c.role != "national_admin";
                        !matches!(status, 401 | 403)
                            && (status != 404 || foreign_token)
                            && status < 500
                    } else {
                        expected.contains(&status)
                    };
                    if !ok {
                        failures.push(format!(
                            "{m} {url} as {}: got {status}, expected {}",
                            c.name,
                            if expected.is_empty() {
                                "allowed".to_string()
                            } else {
                                format!("{expected:?}")
                            }
                        ));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "routes without an authorization rule: {missing:#?}"
        );
        assert!(
            failures.is_empty(),
            "{} of {checked} checks failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
        assert!(checked > 400, "{checked} checks");
        let _ = g;
    }
);
