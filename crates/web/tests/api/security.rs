//! Safe on the internet (issue 11): client addresses behind a proxy, HSTS, rate limits and
//! budgets, CSRF, the password-hashing bound, metrics and the inbound-SMS secret.

use std::sync::Arc;

use serde_json::{Value, json};
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;
use vamyar_web::auth::ratelimit::{Limit, RateLimits};
use vamyar_web::{AppState, WebConfig};

use crate::helpers::{StaffScope, TestApp};

mod limits;
mod logins;

const NID: &str = "0076229645";
const MOBILE: &str = "09121234567";

/// The state with the web configuration changed by `f`.
pub fn configured(s: AppState, f: impl FnOnce(&mut WebConfig)) -> AppState {
    let mut c = (*s.config).clone();
    f(&mut c);
    AppState {
        config: Arc::new(c),
        ..s
    }
}

fn one_code_request_per_address() -> RateLimits {
    RateLimits {
        otp_request_per_ip: Limit::per_minutes(1, 15),
        ..RateLimits::default()
    }
}

async fn ask_code(app: &TestApp, header: Option<(&str, &str)>) -> u16 {
    let mut req = app
        .client
        .post(app.url("/api/v1/auth/otp"))
        .json(&json!({"national_id": NID, "mobile": MOBILE}));
    if let Some((k, v)) = header {
        req = req.header(k, v);
    }
    req.send().await.unwrap().status().as_u16()
}

fn one_each() -> RateLimits {
    let one = Limit::per_minutes(1, 15);
    RateLimits {
        register_per_ip: one,
        track_per_ip: one,
        validate_per_ip: one,
        upload_per_ip: one,
        ..RateLimits::default()
    }
}

/// Asserts a 429 with `Retry-After` and the Persian message.
async fn assert_limited(res: reqwest::Response, what: &str) {
    assert_eq!(res.status(), 429, "{what}");
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&retry), "{what}: {retry}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_many_requests", "{what}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("درخواست"), "{what}: {message}");
}

async fn otp_sent_to(app: &TestApp, mobile: &str) -> i64 {
    sqlx::query_scalar("select count(*) from outbox where event = 'otp' and recipient = $1")
        .bind(mobile)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

/// A multipart upload of a small PDF with the session cookie and the given extra headers.
async fn upload_with_cookie(
    app: &TestApp,
    token: &str,
    id: i64,
    headers: &[(&str, String)],
    bearer: bool,
) -> u16 {
    let bytes = format!("%PDF-1.4\n% {}\n%%EOF\n", rand::random::<u32>()).into_bytes();
    let form = reqwest::multipart::Form::new()
        .text("kind", "national_card")
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes)
                .file_name("card.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        );
    let mut req = app
        .client
        .post(app.url(&format!("/api/v1/applications/{id}/documents")))
        .header("cookie", format!("vamyar_session={token}"))
        .multipart(form);
    if bearer {
        req = req.bearer_auth(token);
    }
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    req.send().await.unwrap().status().as_u16()
}

both_engines!(
    cookie_authenticated_uploads_must_come_from_this_site,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = crate::journey::demo_program(&app).await;
        let clerk = app.staff_token("clerk1", "desk_clerk").await;
        let (status, reg) = app
            .call(
                reqwest::Method::POST,
                "/api/v1/applications",
                &clerk,
                Some(&crate::journey::registration(program, NID)),
            )
            .await;
        assert_eq!(status, 201, "{reg}");
        let id = reg["id"].as_i64().unwrap();
        let host = app.base.trim_start_matches("http://").to_string();
        let evil = [("origin", "https://evil.example".to_string())];
        let cross = [("sec-fetch-site", "cross-site".to_string())];
        assert_eq!(
            upload_with_cookie(&app, &clerk, id, &evil, false).await,
            403
        );
        assert_eq!(
            upload_with_cookie(&app, &clerk, id, &cross, false).await,
            403
        );
        assert_eq!(
            upload_with_cookie(&app, &clerk, id, &[], false).await,
            403,
            "no Origin, no Sec-Fetch-Site"
        );
        assert_eq!(app.count("document").await, 0);
        let same = [("origin", format!("http://{host}"))];
        assert_eq!(
            upload_with_cookie(&app, &clerk, id, &same, false).await,
            201
        );
        let fetch = [("sec-fetch-site", "same-origin".to_string())];
        assert_eq!(
            upload_with_cookie(&app, &clerk, id, &fetch, false).await,
            201
        );
        assert_eq!(
            upload_with_cookie(&app, &clerk, id, &evil, true).await,
            201,
            "a bearer token is exempt"
        );
        assert_eq!(app.count("document").await, 3);
    }
);

both_engines!(
    cookie_authenticated_payment_imports_must_come_from_this_site,
    |db: TestDb| async move {
        use crate::loans::{bank_approved, disburse, iso, staff, today};
        let app = TestApp::spawn(db).await;
        let program = crate::journey::demo_program(&app).await;
        let s = staff(&app).await;
        let (id, version) = bank_approved(&app, &s, program, "1583250689", 300).await;
        disburse(&app, &s, id, version, "C-55", 300).await;
        let csv = format!(
            "contract_number,bank_reference,amount,paid_on\nC-55,REF-1,5000000,{}\n",
            iso(today())
        );
        let send = |origin: &str| {
            let form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(csv.clone().into_bytes()).file_name("payments.csv"),
            );
            app.client
                .post(app.url("/api/v1/payments/import"))
                .header("cookie", format!("vamyar_session={}", s.bank))
                .header("origin", origin)
                .multipart(form)
                .send()
        };
        let res = send("https://evil.example").await.unwrap();
        assert_eq!(res.status(), 403);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "cross_site_request");
        assert_eq!(app.count("payment").await, 0);
        let host = app.base.clone();
        let res = send(&host).await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(app.count("payment").await, 1);
    }
);

/// Regular files under `dir`, recursively (temporary files included).
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

both_engines!(
    an_upload_whose_transaction_fails_leaves_no_file_behind,
    |db: TestDb| async move {
        let dir = std::sync::Mutex::new(None);
        let app = TestApp::spawn_with(db, |s| {
            *dir.lock().unwrap() = Some(s.config.upload_dir.clone());
            s
        })
        .await;
        let uploads = dir.lock().unwrap().take().unwrap();
        let program = crate::journey::demo_program(&app).await;
        let clerk = app.staff_token("clerk1", "desk_clerk").await;
        let (status, reg) = app
            .call(
                reqwest::Method::POST,
                "/api/v1/applications",
                &clerk,
                Some(&crate::journey::registration(program, NID)),
            )
            .await;
        assert_eq!(status, 201, "{reg}");
        let id = reg["id"].as_i64().unwrap();
        // force the upload's transaction to fail after the bytes were written
        let pool = app.db.db.pool();
        match app.db.db.backend() {
            vamyar_store::Backend::Sqlite => {
                sqlx::query(
                    "create trigger fail_upload before insert on document \
                     begin select raise(abort, 'forced failure'); end",
                )
                .execute(pool)
                .await
                .unwrap();
            }
            vamyar_store::Backend::Postgres => {
                sqlx::query(
                    "create function fail_upload() returns trigger language plpgsql as \
                     $$ begin raise exception 'forced failure'; end $$",
                )
                .execute(pool)
                .await
                .unwrap();
                sqlx::query(
                    "create trigger fail_upload before insert on document \
                     for each row execute function fail_upload()",
                )
                .execute(pool)
                .await
                .unwrap();
            }
        }
        let status = upload_with_cookie(&app, &clerk, id, &[], true).await;
        assert_eq!(status, 500);
        assert_eq!(app.count("document").await, 0);
        assert!(
            files_under(&uploads).is_empty(),
            "{:?}",
            files_under(&uploads)
        );
        assert!(
            uploads.is_dir(),
            "the bytes had been written (and were removed)"
        );
        sqlx::query("drop trigger fail_upload on document")
            .execute(pool)
            .await
            .or(sqlx::query("drop trigger fail_upload").execute(pool).await)
            .unwrap();
        assert_eq!(upload_with_cookie(&app, &clerk, id, &[], true).await, 201);
        assert_eq!(files_under(&uploads).len(), 1);
    }
);
