//! Safe on the internet (issue 11): client addresses behind a proxy, HSTS, rate limits and
//! budgets, CSRF, the password-hashing bound, metrics and the inbound-SMS secret.

use std::sync::Arc;

use reqwest::Method;
use serde_json::{Value, json};
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;
use vamyar_web::auth::ratelimit::{Limit, RateLimits};
use vamyar_web::{AppState, WebConfig};

use crate::helpers::TestApp;

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
