//! The applicant's own mobile change on the portal: a code to the old mobile, then the code.

use serde_json::json;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::{TestApp, last_code};
use crate::pages::Visitor;

const NID: &str = "0499370899";
const OLD: &str = "09121111111";
const NEW: &str = "09122222222";

/// An applicant logged in on the portal (a session cookie from the code sent to `OLD`).
async fn applicant(app: &TestApp) -> Visitor {
    app.create_person(NID, OLD).await;
    app.post_json(
        "/api/v1/auth/otp",
        &json!({"national_id": NID, "mobile": OLD}),
    )
    .await;
    let (code, _) = last_code(app, OLD).await;
    let (status, s) = app
        .post_json(
            "/api/v1/auth/otp/verify",
            &json!({"national_id": NID, "code": code}),
        )
        .await;
    assert_eq!(status, 200, "{s}");
    Visitor {
        cookies: vec![("vamyar_session".into(), s["token"].as_str().unwrap().into())],
    }
}

async fn stored_mobile(app: &TestApp) -> String {
    sqlx::query_scalar("select mobile from person where national_id = $1")
        .bind(NID)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

/// How many codes were queued for `mobile`.
async fn codes_to(app: &TestApp, mobile: &str) -> i64 {
    sqlx::query_scalar("select count(*) from outbox where event = 'otp' and recipient = $1")
        .bind(mobile)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

both_engines!(
    an_applicant_changes_their_mobile_on_the_portal_with_a_code_sent_to_the_old_one,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let mut v = applicant(&app).await;
        let portal = v.get(&app, "/portal").await;
        assert!(
            portal.body.contains("href=\"/portal/mobile\""),
            "the portal links the page"
        );
        let p = v.get(&app, "/portal/mobile").await;
        assert_eq!(p.status, 200, "{}", p.body);
        let token = Visitor::token(&p);

        // a bad mobile: 422, the problem at its field in Persian, what was typed kept
        let bad = v
            .post(
                &app,
                "/portal/mobile",
                &[("csrf", &token), ("mobile", "0912abc")],
            )
            .await;
        assert_eq!(bad.status, 422, "{}", bad.body);
        assert!(bad.body.contains("href=\"#mobile-new\""), "{}", bad.body);
        assert!(bad.body.contains("شمارهٔ همراه تازه"));
        assert!(bad.body.contains("aria-invalid=\"true\""));
        assert!(
            bad.body.contains("value=\"0912abc\""),
            "what was typed is kept"
        );
        // the same mobile as stored
        let same = v
            .post(&app, "/portal/mobile", &[("csrf", &token), ("mobile", OLD)])
            .await;
        assert_eq!(same.status, 422);
        assert!(same.body.contains("href=\"#mobile-new\""));
        assert_eq!(codes_to(&app, OLD).await, 1, "no code for a refused mobile");

        // a good one (Persian digits): step 2; the code goes to the OLD mobile only
        let sent = v
            .post(
                &app,
                "/portal/mobile",
                &[("csrf", &token), ("mobile", "۰۹۱۲۲۲۲۲۲۲۲")],
            )
            .await;
        assert_eq!(sent.status, 200, "{}", sent.body);
        assert!(sent.body.contains("id=\"mobile-code\""));
        assert!(!sent.body.contains(NEW), "the new mobile is not echoed");
        assert_eq!(
            codes_to(&app, OLD).await,
            2,
            "the code went to the old mobile"
        );
        assert_eq!(codes_to(&app, NEW).await, 0, "nothing to the new mobile");
        let (code, _) = last_code(&app, OLD).await;

        // a wrong code changes nothing and shows step 2 again with the problem
        let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
        let refused = v
            .post(
                &app,
                "/portal/mobile/confirm",
                &[("csrf", &token), ("code", &wrong)],
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("href=\"#mobile-code\""));
        assert!(
            refused.body.contains(&format!("value=\"{wrong}\"")),
            "typed code kept"
        );
        assert_eq!(
            stored_mobile(&app).await,
            OLD,
            "a wrong code changes nothing"
        );
        let nothing = "select count(*) from outbox where event = 'mobile_changed'";
        assert_eq!(count(&app, nothing).await, 0);

        // the right code: the mobile changes, audited, the old mobile is told
        let done = v
            .post(
                &app,
                "/portal/mobile/confirm",
                &[("csrf", &token), ("code", &code)],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        assert_eq!(
            done.location.as_deref(),
            Some("/portal?done=mobile-changed")
        );
        assert_eq!(stored_mobile(&app).await, NEW);
        let portal = v.get(&app, "/portal?done=mobile-changed").await;
        assert!(
            portal.body.contains("شمارهٔ همراه شما تغییر کرد"),
            "the portal says what changed"
        );
        let told: String =
            sqlx::query_scalar("select recipient from outbox where event = 'mobile_changed'")
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(told, OLD, "the old mobile is told");
        let audited = "select count(*) from audit_log where action = 'person.mobile_change'";
        assert_eq!(count(&app, audited).await, 1);
        // the used code works no more
        let again = v
            .post(
                &app,
                "/portal/mobile/confirm",
                &[("csrf", &token), ("code", &code)],
            )
            .await;
        assert_eq!(again.status, 422);
    }
);

both_engines!(
    mobile_change_codes_are_rate_limited_on_the_page_and_the_api,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let mut v = applicant(&app).await;
        let p = v.get(&app, "/portal/mobile").await;
        let token = Visitor::token(&p);
        let mut statuses = Vec::new();
        for _ in 0..4 {
            let r = v
                .post(&app, "/portal/mobile", &[("csrf", &token), ("mobile", NEW)])
                .await;
            statuses.push(r.status);
            if r.status == 429 {
                assert!(r.body.contains("value=\"09122222222\""), "typed value kept");
            }
        }
        assert_eq!(statuses, vec![200, 200, 200, 429], "three codes per person");
        // the API shares the person's budget
        let session = v.cookies[0].1.clone();
        let (status, _) = app
            .call(
                reqwest::Method::POST,
                "/api/v1/me/mobile",
                &session,
                Some(&json!({"mobile": NEW})),
            )
            .await;
        assert_eq!(status, 429);
        assert_eq!(
            codes_to(&app, OLD).await,
            4,
            "one login code and three change codes"
        );
        assert_eq!(stored_mobile(&app).await, OLD);
    }
);
