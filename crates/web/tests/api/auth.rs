//! Logging in: staff passwords, applicants' one-time codes, sessions, API tokens and the rate
//! limits that guard them.

use reqwest::Method;
use serde_json::{Value, json};
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;
use vamyar_web::auth::ratelimit::{Limit, RateLimits};

use crate::helpers::{StaffScope, TEST_PASSWORD, TestApp};

const NID: &str = "0076229645";
const MOBILE: &str = "09121234567";

/// The code of the newest SMS queued to `mobile`.
async fn last_code(app: &TestApp, mobile: &str) -> String {
    let (code, minutes) = crate::helpers::last_code(app, mobile).await;
    assert_eq!(minutes, 5);
    code
}

async fn request_code(app: &TestApp, nid: &str, mobile: &str) -> (u16, Value) {
    app.post_json(
        "/api/v1/auth/otp",
        &json!({"national_id": nid, "mobile": mobile}),
    )
    .await
}

async fn verify(app: &TestApp, nid: &str, code: &str) -> (u16, Value) {
    app.post_json(
        "/api/v1/auth/otp/verify",
        &json!({"national_id": nid, "code": code}),
    )
    .await
}

/// A six-digit code that is not `code`.
fn other_code(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

both_engines!(
    staff_login_gives_a_token_and_an_http_only_cookie,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        app.create_staff("clerk", "desk_clerk", StaffScope::Default)
            .await;
        let res = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"username": "clerk", "password": TEST_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
        let body: Value = res.json().await.unwrap();
        let token = body["token"].as_str().unwrap();
        assert_eq!(token.len(), 64);
        assert_eq!(body["role"], "desk_clerk");
        assert_eq!(body["username"], "clerk");
        assert!(body["expires_at"].as_str().unwrap().ends_with('Z'));
        assert!(
            cookie.starts_with(&format!("vamyar_session={token};")),
            "{cookie}"
        );
        for attr in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(attr), "{cookie}");
        }
        assert!(!cookie.contains("Secure"), "no TLS in tests: {cookie}");

        let (status, me) = app.call(Method::GET, "/api/v1/auth/me", token, None).await;
        assert_eq!(status, 200, "{me}");
        assert_eq!(me["kind"], "staff");
        assert_eq!(me["role"], "desk_clerk");
        assert_eq!(me["username"], "clerk");
        assert_eq!(me["scope"]["kind"], "county");
        assert_eq!(me["scope"]["county_code"], "07-15");
        assert!(me.get("person_id").is_none());

        // the cookie alone works too
        let res = app
            .client
            .get(app.url("/api/v1/auth/me"))
            .header("cookie", format!("vamyar_session={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(app.count("auth_session").await, 1);
    }
);

both_engines!(
    wrong_password_unknown_user_and_inactive_account_get_one_answer,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        app.create_staff("worker", "social_worker", StaffScope::Default)
            .await;
        let gone = app
            .create_staff("gone", "social_worker", StaffScope::Default)
            .await;
        sqlx::query("update staff_user set is_active = 0 where id = $1")
            .bind(gone)
            .execute(app.db.db.pool())
            .await
            .unwrap();
        let attempts = [
            json!({"username": "worker", "password": "wrong horse battery"}),
            json!({"username": "nobody", "password": TEST_PASSWORD}),
            json!({"username": "gone", "password": TEST_PASSWORD}),
            json!({"username": "", "password": ""}),
        ];
        let mut answers = Vec::new();
        for a in &attempts {
            let (status, body) = app.post_json("/api/v1/auth/login", a).await;
            assert_eq!(status, 401, "{a}: {body}");
            answers.push(body);
        }
        assert_eq!(answers[0]["error"]["code"], "invalid_credentials");
        assert!(answers.iter().all(|b| *b == answers[0]), "{answers:?}");
        assert_eq!(app.count("auth_session").await, 0);
    }
);

both_engines!(logout_revokes_the_session, |db: TestDb| async move {
    let app = TestApp::spawn(db).await;
    let token = app.staff_token("head", "office_head").await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("vamyar_session=;") && cookie.contains("Max-Age=0"),
        "{cookie}"
    );
    let (status, body) = app.call(Method::GET, "/api/v1/auth/me", &token, None).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "unauthenticated");
    let (status, _) = app
        .call(Method::POST, "/api/v1/auth/logout", &token, None)
        .await;
    assert_eq!(status, 401, "a revoked session cannot log out again");
    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
});

both_engines!(
    a_code_for_a_registered_person_goes_to_their_mobile_once,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let person = app.create_person(NID, MOBILE).await;
        let (status, body) = request_code(&app, "۰۰۷۶۲۲۹۶۴۵", "+98 912 123 4567").await;
        assert_eq!(status, 202, "{body}");
        assert_eq!(body, json!({"sent": true}));
        assert_eq!(app.count("outbox").await, 1);
        let (event, recipient, person_id, status, expires): (
            String,
            String,
            Option<i64>,
            String,
            Option<String>,
        ) = sqlx::query_as("select event, recipient, person_id, status, expires_at from outbox")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(
            (
                event.as_str(),
                recipient.as_str(),
                person_id,
                status.as_str()
            ),
            ("otp", MOBILE, Some(person), "pending")
        );
        let code = last_code(&app, MOBILE).await;
        assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()));
        let (hash, challenge_expires, challenge_person): (String, String, Option<i64>) =
            sqlx::query_as("select code_hash, expires_at, person_id from otp_challenge")
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert!(!hash.contains(&code), "only a hash of the code is stored");
        assert_eq!(Some(challenge_expires), expires);
        assert_eq!(challenge_person, Some(person));
    }
);

both_engines!(
    a_wrong_mobile_gets_the_same_answer_and_nothing_is_sent,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        app.create_person(NID, MOBILE).await;
        let (status, body) = request_code(&app, NID, "09350000000").await;
        assert_eq!(status, 202);
        assert_eq!(body, json!({"sent": true}));
        assert_eq!(app.count("outbox").await, 0);
        assert_eq!(app.count("otp_challenge").await, 0);

        let (status, body) = request_code(&app, "0076229646", "0912").await;
        assert_eq!(status, 422);
        assert_eq!(
            body["error"]["fields"]["national_id"]["code"],
            "national_id_check_digit"
        );
        assert_eq!(
            body["error"]["fields"]["mobile"]["code"],
            "mobile_malformed"
        );
    }
);

both_engines!(
    a_code_for_an_unknown_national_id_opens_a_registration,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let (status, _) = request_code(&app, "1234567891", MOBILE).await;
        assert_eq!(status, 202);
        let person: Option<i64> = sqlx::query_scalar("select person_id from otp_challenge")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(person, None);
        let code = last_code(&app, MOBILE).await;
        let res = app
            .client
            .post(app.url("/api/v1/auth/otp/verify"))
            .json(&json!({"national_id": "1234567891", "code": code}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(
            res.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .contains("HttpOnly")
        );
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["kind"], "registrant");
        let token = body["token"].as_str().unwrap();
        let (status, me) = app.call(Method::GET, "/api/v1/auth/me", token, None).await;
        assert_eq!(status, 200, "{me}");
        assert_eq!(me["kind"], "registrant");
        assert_eq!(me["national_id"], "1234567891");
        assert_eq!(me["mobile"], MOBILE);
        assert_eq!(me["session_kind"], "registration");
    }
);

both_engines!(
    a_right_code_logs_in_once_and_a_wrong_one_does_not,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let person = app.create_person(NID, MOBILE).await;
        request_code(&app, NID, MOBILE).await;
        let code = last_code(&app, MOBILE).await;
        let (status, body) = verify(&app, NID, &other_code(&code)).await;
        assert_eq!(status, 401);
        assert_eq!(body["error"]["code"], "invalid_code");
        let (status, body) = verify(&app, NID, &code).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["kind"], "applicant");
        let token = body["token"].as_str().unwrap();
        let (_, me) = app.call(Method::GET, "/api/v1/auth/me", token, None).await;
        assert_eq!(me["kind"], "applicant");
        assert_eq!(me["person_id"], person);
        assert_eq!(me["scope"], json!({"kind": "own", "person_id": person}));
        let (status, body) = verify(&app, NID, &code).await;
        assert_eq!(status, 401, "single use: {body}");
        let (status, body) = verify(&app, NID, "12a").await;
        assert_eq!(status, 422);
        assert_eq!(
            body["error"]["fields"]["code"]["code"],
            "otp_code_malformed"
        );
        let (status, _) = verify(&app, "1234567891", &code).await;
        assert_eq!(status, 401, "no code for this national ID");
    }
);

both_engines!(expired_codes_fail, |db: TestDb| async move {
    let app = TestApp::spawn(db).await;
    app.create_person(NID, MOBILE).await;
    request_code(&app, NID, MOBILE).await;
    let code = last_code(&app, MOBILE).await;
    sqlx::query("update otp_challenge set expires_at = '2020-01-01T00:00:00.000000Z'")
        .execute(app.db.db.pool())
        .await
        .unwrap();
    let (status, body) = verify(&app, NID, &code).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "invalid_code");
});

both_engines!(
    after_five_wrong_attempts_even_the_right_code_fails,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        app.create_person(NID, MOBILE).await;
        request_code(&app, NID, MOBILE).await;
        let code = last_code(&app, MOBILE).await;
        let wrong = other_code(&code);
        for n in 1..=5 {
            let (status, _) = verify(&app, NID, &wrong).await;
            assert_eq!(status, 401, "attempt {n}");
        }
        let (status, _) = verify(&app, NID, &code).await;
        assert_eq!(
            status, 401,
            "the sixth attempt fails even with the right code"
        );
        // a new code works again
        request_code(&app, NID, MOBILE).await;
        let code = last_code(&app, MOBILE).await;
        let (status, _) = verify(&app, NID, &code).await;
        assert_eq!(status, 200);
    }
);

fn small_limits() -> RateLimits {
    RateLimits {
        login_per_ip: Limit::per_minutes(50, 15),
        login_per_account_ip: Limit::per_minutes(2, 15),
        otp_request_per_ip: Limit::per_minutes(3, 15),
        otp_sms_per_recipient: Limit::per_minutes(1, 15),
        otp_verify_per_ip: Limit::per_minutes(2, 15),
        ..RateLimits::default()
    }
}

both_engines!(
    rate_limits_answer_429_with_retry_after,
    |db: TestDb| async move {
        let app = TestApp::spawn_with(db, |s| s.with_rate_limits(small_limits())).await;
        app.create_person(NID, MOBILE).await;
        // the per-recipient SMS limit is silent: 202 both times, one SMS
        for _ in 0..2 {
            assert_eq!(request_code(&app, NID, MOBILE).await.0, 202);
        }
        assert_eq!(app.count("outbox").await, 1);
        assert_eq!(request_code(&app, NID, "09350000000").await.0, 202);
        let res = app
            .client
            .post(app.url("/api/v1/auth/otp"))
            .json(&json!({"national_id": NID, "mobile": MOBILE}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 429, "the fourth request from this address");
        let retry: u64 = res.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=900).contains(&retry), "{retry}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "too_many_requests");

        for _ in 0..2 {
            assert_eq!(verify(&app, NID, "000000").await.0, 401);
        }
        assert_eq!(verify(&app, NID, "000000").await.0, 429);

        app.create_staff("officer", "bank_officer", StaffScope::Default)
            .await;
        let wrong = json!({"username": "officer", "password": "wrong horse battery"});
        for _ in 0..2 {
            assert_eq!(app.post_json("/api/v1/auth/login", &wrong).await.0, 401);
        }
        let (status, body) = app.post_json("/api/v1/auth/login", &wrong).await;
        assert_eq!(status, 429, "{body}");
        // the limit is per (account, address): other accounts from here are not blocked
        app.create_staff("other", "auditor", StaffScope::Default)
            .await;
        app.login("other", TEST_PASSWORD).await;
        let stored: Vec<String> = sqlx::query_scalar("select bucket from rate_limit")
            .fetch_all(app.db.db.pool())
            .await
            .unwrap();
        assert!(
            stored
                .iter()
                .all(|b| !b.contains(NID) && !b.contains("officer")),
            "{stored:?}"
        );
    }
);

both_engines!(
    api_tokens_are_created_listed_and_revoked_by_their_owner,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let officer = app.staff_token("officer", "bank_officer").await;
        let other = app.staff_token("officer2", "bank_officer").await;
        let body = json!({"name": "gateway", "days": 30});
        let (status, created) = app
            .call(Method::POST, "/api/v1/auth/tokens", &officer, Some(&body))
            .await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["name"], "gateway");
        let api = created["token"].as_str().unwrap().to_string();
        let id = created["id"].as_i64().unwrap();

        let (status, me) = app.call(Method::GET, "/api/v1/auth/me", &api, None).await;
        assert_eq!(status, 200);
        assert_eq!(me["session_kind"], "api_token");
        assert_eq!(me["scope"]["kind"], "bank");
        let (status, _) = app
            .call(Method::POST, "/api/v1/auth/tokens", &api, Some(&body))
            .await;
        assert_eq!(status, 403, "a token cannot make tokens");

        let (status, list) = app
            .call(Method::GET, "/api/v1/auth/tokens", &officer, None)
            .await;
        assert_eq!(status, 200);
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0]["id"], id);
        assert!(list[0].get("token").is_none());
        assert!(!list[0].to_string().contains(&api));

        let path = format!("/api/v1/auth/tokens/{id}");
        let (status, _) = app.call(Method::DELETE, &path, &other, None).await;
        assert_eq!(status, 404, "another officer's token");
        let (status, _) = app
            .call(Method::DELETE, "/api/v1/auth/tokens/x", &officer, None)
            .await;
        assert_eq!(status, 404);
        let (status, _) = app.call(Method::DELETE, &path, &officer, None).await;
        assert_eq!(status, 204);
        let (status, _) = app.call(Method::GET, "/api/v1/auth/me", &api, None).await;
        assert_eq!(status, 401, "a revoked token no longer works");
        let (_, list) = app
            .call(Method::GET, "/api/v1/auth/tokens", &officer, None)
            .await;
        assert_eq!(list, json!([]));

        let (status, refused) = app
            .call(
                Method::POST,
                "/api/v1/auth/tokens",
                &officer,
                Some(&json!({"name": " ", "days": 400})),
            )
            .await;
        assert_eq!(status, 422);
        assert_eq!(refused["error"]["fields"]["days"]["code"], "out_of_range");
        assert_eq!(refused["error"]["fields"]["name"]["code"], "text_empty");

        app.create_person(NID, MOBILE).await;
        request_code(&app, NID, MOBILE).await;
        let code = last_code(&app, MOBILE).await;
        let applicant = verify(&app, NID, &code).await.1["token"]
            .as_str()
            .unwrap()
            .to_string();
        let (status, _) = app
            .call(Method::POST, "/api/v1/auth/tokens", &applicant, Some(&body))
            .await;
        assert_eq!(status, 403, "applicants have no API tokens");
    }
);
