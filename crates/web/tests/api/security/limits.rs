//! Rate limits per client address behind a trusted proxy, per mobile and for the SMS budget; HSTS
//! and secure cookies over TLS.

use super::*;

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
