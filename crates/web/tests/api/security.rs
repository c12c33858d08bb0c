//! Safe on the internet (issue 11): client addresses behind a proxy, HSTS, rate limits and
//! budgets, CSRF, the password-hashing bound, metrics and the inbound-SMS secret.

use std::sync::Arc;

use serde_json::{Value, json};
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;
use vamyar_web::auth::ratelimit::{Limit, RateLimits};
use vamyar_web::{AppState, WebConfig};

use crate::helpers::{StaffScope, TestApp};

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

both_engines!(
    two_clients_behind_a_trusted_proxy_have_separate_buckets,
    |db: TestDb| async move {
        let app = TestApp::spawn_with(db, |s| {
            configured(s, |c| {
                c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
            })
            .with_rate_limits(one_code_request_per_address())
        })
        .await;
        let a = Some(("x-forwarded-for", "203.0.113.1"));
        let b = Some(("x-forwarded-for", "198.51.100.2, 203.0.113.2"));
        assert_eq!(ask_code(&app, a).await, 202);
        assert_eq!(ask_code(&app, a).await, 429, "client a's bucket is used up");
        assert_eq!(ask_code(&app, b).await, 202, "client b has its own bucket");
        // the same client spoofing a left-hand entry stays in its bucket
        let a_spoofed = Some(("x-forwarded-for", "198.51.100.77, 203.0.113.1"));
        assert_eq!(ask_code(&app, a_spoofed).await, 429);
        // RFC 7239 Forwarded works the same way
        let c = Some(("forwarded", "for=192.0.2.60;proto=https"));
        assert_eq!(ask_code(&app, c).await, 202);
        assert_eq!(ask_code(&app, c).await, 429);
    }
);

both_engines!(
    an_untrusted_peers_forwarding_header_is_ignored,
    |db: TestDb| async move {
        let app = TestApp::spawn_with(db, |s| {
            configured(s, |c| {
                c.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
            })
            .with_rate_limits(one_code_request_per_address())
        })
        .await;
        let a = Some(("x-forwarded-for", "203.0.113.1"));
        let b = Some(("x-forwarded-for", "203.0.113.2"));
        assert_eq!(ask_code(&app, a).await, 202);
        assert_eq!(
            ask_code(&app, b).await,
            429,
            "the peer 127.0.0.1 is no trusted proxy: one bucket, whatever the header says"
        );
    }
);

both_engines!(
    hsts_and_secure_cookies_when_served_over_tls,
    |db: TestDb| async move {
        let app = TestApp::spawn_with(db, |s| configured(s, |c| c.secure_cookies = true)).await;
        app.create_staff("clerk", "desk_clerk", crate::helpers::StaffScope::Default)
            .await;
        let res = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"username": "clerk", "password": crate::helpers::TEST_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(
            res.headers()["strict-transport-security"]
                .to_str()
                .unwrap()
                .starts_with("max-age=")
        );
        assert!(
            res.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .contains("Secure")
        );
    }
);

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

both_engines!(
    a_desk_clerk_is_not_held_to_the_public_per_address_registration_limit,
    |db: TestDb| async move {
        // one registration per address: the public form's second attempt is refused
        let app = TestApp::spawn_with(db, |s| s.with_rate_limits(one_each())).await;
        let program = crate::journey::demo_program(&app).await;
        let clerk = app.staff_token("clerk", "desk_clerk").await;
        for nid in ["0076229645", "1583250689"] {
            let res = app
                .client
                .post(app.url("/api/v1/applications"))
                .bearer_auth(&clerk)
                .json(&crate::journey::registration(program, nid))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 201, "walk-in {nid}");
        }
        let anonymous = || {
            app.client
                .post(app.url("/api/v1/applications"))
                .json(&json!({}))
        };
        assert_eq!(anonymous().send().await.unwrap().status(), 401);
        assert_limited(anonymous().send().await.unwrap(), "public registration").await;
    }
);

both_engines!(
    registration_tracking_validation_and_uploads_are_rate_limited,
    |db: TestDb| async move {
        let app = TestApp::spawn_with(db, |s| s.with_rate_limits(one_each())).await;
        let c = &app.client;
        let register = || c.post(app.url("/api/v1/applications")).json(&json!({}));
        assert_eq!(register().send().await.unwrap().status(), 401);
        assert_limited(register().send().await.unwrap(), "register").await;

        let track = || c.get(app.url("/api/v1/track/VM-0000-0000"));
        assert_ne!(track().send().await.unwrap().status(), 429);
        assert_limited(track().send().await.unwrap(), "track").await;
        // the page form shares the bucket
        let page = c
            .post(app.url("/track"))
            .form(&[("code", "VM-0000-0000")])
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 429);

        let validate = || {
            c.post(app.url("/api/v1/applicants/validate"))
                .json(&json!({"national_id": "1"}))
        };
        assert_ne!(validate().send().await.unwrap().status(), 429);
        assert_limited(validate().send().await.unwrap(), "validate").await;

        let upload = || c.post(app.url("/api/v1/applications/1/documents"));
        assert_eq!(upload().send().await.unwrap().status(), 401);
        assert_limited(upload().send().await.unwrap(), "upload").await;

        // other routes are not limited by these buckets
        assert_eq!(
            c.get(app.url("/healthz")).send().await.unwrap().status(),
            200
        );
    }
);

async fn otp_sent_to(app: &TestApp, mobile: &str) -> i64 {
    sqlx::query_scalar("select count(*) from outbox where event = 'otp' and recipient = $1")
        .bind(mobile)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

both_engines!(
    one_mobile_gets_few_codes_whatever_the_national_id,
    |db: TestDb| async move {
        let limits = RateLimits {
            otp_sms_per_mobile: Limit::per_minutes(2, 60),
            ..RateLimits::default()
        };
        let app = TestApp::spawn_with(db, |s| s.with_rate_limits(limits)).await;
        // unregistered national IDs: each would send a code to the typed mobile
        for nid in ["0012345679", "0023456787", "0034567895"] {
            let (status, _) = app
                .post_json(
                    "/api/v1/auth/otp",
                    &json!({"national_id": nid, "mobile": MOBILE}),
                )
                .await;
            assert_eq!(status, 202, "silent: says nothing about who is registered");
        }
        assert_eq!(otp_sent_to(&app, MOBILE).await, 2, "the mobile's budget");
        let other = "09350000000";
        app.post_json(
            "/api/v1/auth/otp",
            &json!({"national_id": "0045678911", "mobile": other}),
        )
        .await;
        assert_eq!(
            otp_sent_to(&app, other).await,
            1,
            "another mobile has its own"
        );
    }
);

both_engines!(the_global_sms_budget_answers_429, |db: TestDb| async move {
    let limits = RateLimits {
        otp_sms_global: Limit::per_minutes(2, 60),
        ..RateLimits::default()
    };
    let app = TestApp::spawn_with(db, |s| s.with_rate_limits(limits)).await;
    let asks = [
        ("0012345679", "09120000001"),
        ("0023456787", "09120000002"),
        ("0034567895", "09120000003"),
    ];
    for (nid, mobile) in &asks[..2] {
        let (status, _) = app
            .post_json(
                "/api/v1/auth/otp",
                &json!({"national_id": nid, "mobile": mobile}),
            )
            .await;
        assert_eq!(status, 202);
    }
    let res = app
        .client
        .post(app.url("/api/v1/auth/otp"))
        .json(&json!({"national_id": asks[2].0, "mobile": asks[2].1}))
        .send()
        .await
        .unwrap();
    assert_limited(res, "global SMS budget").await;
    assert_eq!(app.count("outbox").await, 2);
});

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

both_engines!(
    password_checks_are_bounded_and_a_saturated_server_answers_503,
    |db: TestDb| async move {
        let gate = std::sync::Mutex::new(None);
        let app = TestApp::spawn_with(db, |s| {
            let s = s.with_hashing_permits(2);
            *gate.lock().unwrap() = Some(s.hashing.clone());
            s
        })
        .await;
        let gate = gate.lock().unwrap().take().unwrap();
        app.create_staff("clerk", "desk_clerk", crate::helpers::StaffScope::Default)
            .await;
        let body = json!({"username": "clerk", "password": crate::helpers::TEST_PASSWORD});
        // every permit held: as if two logins were hashing right now
        let held = gate.clone().acquire_many_owned(2).await.unwrap();
        let res = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 503);
        assert!(res.headers().contains_key("retry-after"));
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["code"], "busy");
        assert!(err["error"]["message"].as_str().unwrap().contains("شلوغ"));
        assert_eq!(app.count("auth_session").await, 0);
        // one permit free again: the login goes through
        drop(held);
        let held_one = gate.clone().acquire_owned().await.unwrap();
        let (status, _) = app.post_json("/api/v1/auth/login", &body).await;
        assert_eq!(status, 200);
        drop(held_one);
        assert_eq!(
            gate.available_permits(),
            2,
            "the login gave its permit back"
        );
    }
);

both_engines!(
    staff_passwords_need_twelve_characters_and_not_a_common_one,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let admin = app.staff_token("nat", "national_admin").await;
        for (password, code) in [
            ("eleven char", "password_too_short"),
            ("Password1234", "password_too_common"),
        ] {
            let (status, body) = app
                .call(
                    reqwest::Method::POST,
                    "/api/v1/staff",
                    &admin,
                    Some(&json!({"username": "auditor2", "password": password,
                        "role": "auditor", "full_name": "حسابرس"})),
                )
                .await;
            assert_eq!(status, 422, "{body}");
            assert_eq!(body["error"]["fields"]["password"]["code"], code, "{body}");
        }
        assert_eq!(app.count("staff_user").await, 1);
    }
);

both_engines!(
    staff_sessions_end_after_thirty_idle_minutes,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let idle = app.staff_token("idle", "desk_clerk").await;
        let busy = app.staff_token("busy", "desk_clerk").await;
        let ago = |minutes: i64| {
            vamyar_store::time::ts(chrono::Utc::now() - chrono::Duration::minutes(minutes))
        };
        let set = |token: &str, at: String| {
            let hash = vamyar_store::session::token_hash(token);
            let pool = app.db.db.pool().clone();
            async move {
                sqlx::query(
                    "update auth_session set last_seen_at = $1, created_at = $1 where token_hash = $2",
                )
                .bind(at)
                .bind(hash)
                .execute(&pool)
                .await
                .unwrap();
            }
        };
        set(&idle, ago(31)).await;
        set(&busy, ago(29)).await;
        let me = "/api/v1/auth/me";
        let get = reqwest::Method::GET;
        assert_eq!(
            app.call(get.clone(), me, &idle, None).await.0,
            401,
            "idle 31 minutes"
        );
        assert_eq!(
            app.call(get, me, &busy, None).await.0,
            200,
            "idle 29 minutes"
        );
        // that use counted: the session is fresh again
        let seen: String =
            sqlx::query_scalar("select last_seen_at from auth_session where token_hash = $1")
                .bind(vamyar_store::session::token_hash(&busy))
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert!(seen > ago(1), "{seen}");
    }
);

both_engines!(
    national_admins_log_in_with_a_totp_code_once_enrolled,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        app.create_staff("nat", "national_admin", StaffScope::Default)
            .await;
        let clerk = app.staff_token("clerk", "desk_clerk").await;
        let post = reqwest::Method::POST;
        let get = reqwest::Method::GET;
        let password = crate::helpers::TEST_PASSWORD;
        let login = |totp: Option<String>| {
            let mut body = json!({"username": "nat", "password": password});
            if let Some(t) = totp {
                body["totp"] = json!(t);
            }
            body
        };
        // not enrolled: the password gives a session that may only enrol
        let (status, body) = app.post_json("/api/v1/auth/login", &login(None)).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["totp_enrolment_required"], true);
        let token = body["token"].as_str().unwrap().to_string();
        for path in ["/api/v1/staff", "/api/v1/programs", "/api/v1/applications"] {
            let (status, body) = app.call(get.clone(), path, &token, None).await;
            assert_eq!(status, 403, "{path}: {body}");
            assert_eq!(body["error"]["code"], "totp_enrolment_required");
            let msg = body["error"]["message"].as_str().unwrap();
            assert!(msg.contains("احراز هویت"), "{msg}");
        }
        // pages send the session to the enrolment page
        let res = crate::pages::no_redirects()
            .get(app.url("/admin"))
            .header("cookie", format!("vamyar_session={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/staff/totp");
        assert_eq!(
            app.call(get.clone(), "/api/v1/auth/me", &token, None)
                .await
                .0,
            200
        );
        assert_eq!(
            app.call(post.clone(), "/api/v1/auth/totp", &clerk, None)
                .await
                .0,
            403
        );
        let (status, enrol) = app
            .call(post.clone(), "/api/v1/auth/totp", &token, None)
            .await;
        assert_eq!(status, 200, "{enrol}");
        assert!(enrol["qr_svg"].as_str().unwrap().starts_with("<svg"));
        assert!(
            enrol["otpauth_url"]
                .as_str()
                .unwrap()
                .starts_with("otpauth://totp/")
        );
        let secret = enrol["secret"].as_str().unwrap().to_string();
        let t0 = u64::try_from(chrono::Utc::now().timestamp()).unwrap();
        let code = |at: u64| vamyar_app::totp::code_at(&secret, "nat", at).unwrap();
        // not in force until confirmed: the password alone still opens a restricted session
        let (status, body) = app.post_json("/api/v1/auth/login", &login(None)).await;
        assert_eq!(status, 200);
        assert_eq!(body["totp_enrolment_required"], true);
        let (status, _) = app
            .call(
                post.clone(),
                "/api/v1/auth/totp/confirm",
                &token,
                Some(&json!({"code": "000000"})),
            )
            .await;
        assert_eq!(status, 422, "a wrong code confirms nothing");
        assert_eq!(
            app.call(get.clone(), "/api/v1/staff", &token, None).await.0,
            403
        );
        let (status, body) = app
            .call(
                post.clone(),
                "/api/v1/auth/totp/confirm",
                &token,
                Some(&json!({"code": code(t0)})),
            )
            .await;
        assert_eq!(status, 204, "{body}");
        // confirmed: the same session has full access
        let (status, body) = app.call(get.clone(), "/api/v1/staff", &token, None).await;
        assert_eq!(status, 200, "{body}");
        // in force: no code or a wrong one is refused with the one login answer
        let (status, body) = app.post_json("/api/v1/auth/login", &login(None)).await;
        assert_eq!(status, 401);
        assert_eq!(body["error"]["code"], "invalid_credentials");
        let wrong = code(t0 + 600);
        assert_eq!(
            app.post_json("/api/v1/auth/login", &login(Some(wrong)))
                .await
                .0,
            401
        );
        // the code that confirmed enrolment is used up
        assert_eq!(
            app.post_json("/api/v1/auth/login", &login(Some(code(t0))))
                .await
                .0,
            401,
            "the confirming code opens no session"
        );
        // the next step's code works once, and a second time it is refused
        let (status, body) = app
            .post_json("/api/v1/auth/login", &login(Some(code(t0 + 30))))
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["totp_enrolment_required"], false);
        let (status, body) = app
            .post_json("/api/v1/auth/login", &login(Some(code(t0 + 30))))
            .await;
        assert_eq!(status, 401, "the same code twice: {body}");
        // an earlier step than the last accepted one is refused too
        assert_eq!(
            app.post_json(
                "/api/v1/auth/login",
                &login(Some(code(t0.saturating_sub(30))))
            )
            .await
            .0,
            401
        );
        // other roles never need one
        app.login("clerk", password).await;
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
