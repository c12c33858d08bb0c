//! Staff logins: bounded password checks, password rules, idle sessions and the second factor of
//! national administrators.

use super::*;

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
