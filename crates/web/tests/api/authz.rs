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

/// Who may pass a route's authorization.
#[derive(Clone, Copy, Debug)]
enum Who {
    /// Anyone, without logging in.
    Public,
    /// Any logged-in caller.
    Anyone,
    /// Any staff member (applicants get 403).
    Staff,
    /// Only these roles (others logged in get 403).
    Roles(&'static [&'static str]),
    /// A shared secret, not a login (the SMS provider's webhook): everyone here lacks it, 401.
    Secret,
}

/// A route's rule: who passes, and whether it concerns the fixture file (then callers who
/// cannot see the file get 404 whatever their role) or the fixture household of the file's
/// county (`area`: staff outside the county get 404; applicants and bank officers, who have no
/// part in households, are judged by role).
#[derive(Clone, Copy, Debug)]
struct Rule {
    who: Who,
    file: bool,
    area: bool,
}

const fn r(who: Who, file: bool) -> Rule {
    Rule {
        who,
        file,
        area: false,
    }
}

/// A rule about the fixture household (see [`Rule::area`]).
const fn area(who: Who) -> Rule {
    Rule {
        who,
        file: false,
        area: true,
    }
}

/// Everyone but bank officers reads complaints (each within their scope).
const COMPLAINT_READERS: Who = Who::Roles(&[
    "applicant",
    "desk_clerk",
    "social_worker",
    "employment_expert",
    "office_head",
    "province_admin",
    "national_admin",
    "auditor",
]);

/// The rules. A route missing here fails the test.
fn rule(method: &str, path: &str) -> Option<Rule> {
    use Who::*;
    Some(match (method, path) {
        ("GET", "/healthz")
        | ("GET", "/api/v1/provinces")
        | ("GET", "/api/v1/track/{tracking_code}")
        | ("GET", "/api/v1/verify/{code}") => r(Public, false),
        ("POST", "/api/v1/applicants/validate") => r(Public, false),
        ("POST", "/api/v1/auth/login")
        | ("POST", "/api/v1/auth/otp")
        | ("POST", "/api/v1/auth/otp/verify") => r(Public, false),
        ("POST", "/api/v1/auth/logout") | ("GET", "/api/v1/auth/me") => r(Anyone, false),
        ("GET", "/api/v1/auth/tokens")
        | ("POST", "/api/v1/auth/tokens")
        | ("DELETE", "/api/v1/auth/tokens/{id}") => r(Staff, false),
        ("GET", "/api/v1/applications") => r(Staff, false),
        ("POST", "/api/v1/applications") => {
            r(Roles(&["applicant", "desk_clerk", "national_admin"]), false)
        }
        ("GET", "/api/v1/applications/{id}")
        | ("GET", "/api/v1/applications/{id}/history")
        | ("GET", "/api/v1/applications/{id}/messages")
        | ("GET", "/api/v1/applications/{id}/documents")
        | ("GET", "/api/v1/applications/{id}/counselling")
        | ("GET", "/api/v1/documents/{id}/content")
        | ("GET", "/api/v1/applications/{id}/loan")
        | ("GET", "/api/v1/applications/{id}/visits")
        | ("GET", "/api/v1/loans/{id}")
        | ("GET", "/api/v1/loans/{id}/schedule")
        | ("GET", "/api/v1/loans/{id}/schedule.pdf")
        | ("GET", "/api/v1/applications/{id}/referral-letter.pdf")
        | ("GET", "/api/v1/loans/{id}/payments") => r(Anyone, true),
        ("POST", "/api/v1/loans/{id}/payments") => r(Roles(&["bank_officer"]), true),
        ("POST", "/api/v1/payments/import") => r(Roles(&["bank_officer"]), false),
        ("POST", "/api/v1/visits/{id}") => r(Roles(&["employment_expert"]), true),
        ("POST", "/api/v1/applications/{id}/actions/{action}") => {
            r(Roles(&["social_worker"]), true)
        }
        ("POST", "/api/v1/applications/{id}/documents") => {
            r(Roles(&["applicant", "desk_clerk"]), true)
        }
        ("POST", "/api/v1/documents/{id}/review") => {
            r(Roles(&["social_worker", "employment_expert"]), true)
        }
        ("POST", "/api/v1/applications/{id}/counselling")
        | ("POST", "/api/v1/applications/{id}/plan-review")
        | ("POST", "/api/v1/applications/{id}/services") => r(Roles(&["employment_expert"]), true),
        ("GET", "/api/v1/referrals") => r(Roles(&["bank_officer"]), false),
        ("GET", "/api/v1/me/messages") => r(Roles(&["applicant"]), false),
        ("GET", "/api/v1/me/notices") | ("POST", "/api/v1/me/notices/read") => r(Staff, false),
        ("POST", "/api/v1/sms/inbound") => r(Secret, false),
        ("GET", "/api/v1/complaints") => r(COMPLAINT_READERS, false),
        ("POST", "/api/v1/complaints") => r(Roles(&["applicant", "desk_clerk"]), false),
        // {id} is a complaint about the fixture file
        ("GET", "/api/v1/complaints/{id}") => r(COMPLAINT_READERS, true),
        ("POST", "/api/v1/complaints/{id}/answer") => r(Roles(&["office_head"]), true),
        ("POST", "/api/v1/households") => r(Roles(&["desk_clerk", "social_worker"]), false),
        ("GET", "/api/v1/households/{case_number}") => area(Roles(&[
            "desk_clerk",
            "social_worker",
            "employment_expert",
            "office_head",
            "province_admin",
            "national_admin",
            "auditor",
        ])),
        ("POST", "/api/v1/households/{case_number}/members") => {
            area(Roles(&["desk_clerk", "social_worker"]))
        }
        ("GET", "/api/v1/banks")
        | ("GET", "/api/v1/memoranda")
        | ("GET", "/api/v1/programs")
        | ("GET", "/api/v1/programs/{id}")
        | ("GET", "/api/v1/holidays") => r(Staff, false),
        ("POST", "/api/v1/banks")
        | ("POST", "/api/v1/banks/{id}/branches")
        | ("POST", "/api/v1/memoranda")
        | ("POST", "/api/v1/programs")
        | ("PATCH", "/api/v1/programs/{id}")
        | ("PUT", "/api/v1/counties/{code}")
        | ("POST", "/api/v1/holidays")
        | ("DELETE", "/api/v1/holidays/{date}") => r(Roles(&["national_admin"]), false),
        ("PUT", "/api/v1/memoranda/{id}/quotas/{province_code}") => {
            r(Roles(&["national_admin", "province_admin"]), false)
        }
        ("GET", "/api/v1/staff") | ("POST", "/api/v1/staff") | ("PUT", "/api/v1/staff/{id}") => {
            r(Roles(&["national_admin", "province_admin"]), false)
        }
        ("POST", "/api/v1/auth/totp") | ("POST", "/api/v1/auth/totp/confirm") => {
            r(Roles(&["national_admin", "province_admin"]), false)
        }
        ("POST", "/api/v1/me/mobile") | ("POST", "/api/v1/me/mobile/confirm") => {
            r(Roles(&["applicant"]), false)
        }
        // {id} is the fixture file's id, which is also its applicant's person id here
        ("PATCH", "/api/v1/persons/{id}/contact") => {
            r(Roles(&["desk_clerk", "office_head"]), false)
        }
        ("GET", "/api/v1/proposals") => r(Staff, false),
        ("GET", "/api/v1/proposals/{id}") => r(Staff, true),
        // the fixture proposal is an acceleration another office head of the county proposed
        ("POST", "/api/v1/proposals/{id}/confirm") | ("POST", "/api/v1/proposals/{id}/reject") => {
            r(Roles(&["office_head", "province_admin"]), true)
        }
        ("POST", "/api/v1/payments/{id}/reversal") => r(Roles(&["bank_officer"]), true),
        ("GET", "/api/v1/changes") => r(Staff, false),
        // the fixture change is province 07's quota, proposed by someone else: its proposer and
        // those holding the quota authority of province 07 see and decide it
        ("GET", "/api/v1/changes/{id}")
        | ("POST", "/api/v1/changes/{id}/confirm")
        | ("POST", "/api/v1/changes/{id}/reject") => {
            r(Roles(&["national_admin", "province_admin"]), false)
        }
        ("GET", "/api/v1/reports") | ("GET", "/api/v1/reports/{name}") => r(
            Roles(&[
                "national_admin",
                "province_admin",
                "auditor",
                "bank_officer",
            ]),
            false,
        ),
        _ => return None,
    })
}

/// One caller of the matrix.
struct Caller {
    name: &'static str,
    role: &'static str,
    token: Option<String>,
    sees_file: bool,
}

async fn session_for(app: &TestApp, subject: Subject) -> String {
    let mut tx = app.db.db.begin().await.unwrap();
    let (token, _) = vamyar_store::session::create(
        &mut tx,
        "session",
        &subject,
        None,
        chrono::Duration::hours(1),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    token
}

async fn staff(
    app: &TestApp,
    username: &str,
    role: &str,
    county: Option<&str>,
    bank: Option<&str>,
) -> String {
    let bank_id: Option<i64> = match bank {
        Some(code) => Some(
            sqlx::query_scalar("select id from bank where code = $1")
                .bind(code)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap(),
        ),
        None => None,
    };
    let mut tx = app.db.db.begin().await.unwrap();
    let id = vamyar_store::staff::create(
        &mut tx,
        &vamyar_store::staff::NewStaff {
            username: username.into(),
            password_hash: "unused".into(),
            full_name: username.into(),
            role: role.into(),
            province_code: county.map(|c| c[..2].to_string()),
            county_code: county.map(str::to_string),
            bank_id,
            branch_id: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    session_for(app, Subject::Staff(id)).await
}

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
