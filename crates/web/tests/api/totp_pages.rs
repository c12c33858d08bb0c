//! The pages of the second factor: enrolment (forced for administrators who have not
//! enrolled) and a national administrator's reset of a province administrator's factor.

use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::{StaffScope, TEST_PASSWORD, TestApp};
use crate::pages::Visitor;

/// Logs `username` in through the staff login page; the redirect's target.
pub async fn page_login(app: &TestApp, v: &mut Visitor, username: &str, totp: &str) -> String {
    let p = v.get(app, "/staff/login").await;
    let token = Visitor::token(&p);
    let done = v
        .post(
            app,
            "/staff/login",
            &[
                ("csrf", &token),
                ("username", username),
                ("password", TEST_PASSWORD),
                ("totp", totp),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    done.location.unwrap()
}

both_engines!(
    an_administrator_is_sent_to_enrol_and_enrols_on_the_page,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        app.create_staff("nat", "national_admin", StaffScope::Default)
            .await;
        let mut v = Visitor::default();
        assert_eq!(page_login(&app, &mut v, "nat", "").await, "/staff/totp");
        // every other page sends the session back to enrolment
        for path in ["/admin/staff", "/desk", "/"] {
            let p = v.get(&app, path).await;
            assert_eq!(p.status, 303, "{path}");
            assert_eq!(p.location.as_deref(), Some("/staff/totp"), "{path}");
        }
        let p = v.get(&app, "/staff/totp").await;
        assert_eq!(p.status, 200);
        assert!(p.body.contains("<svg"), "the QR code is drawn inline");
        let at = p.body.find("id=\"totp-secret\">").unwrap() + 17;
        let secret: String = p.body[at..]
            .chars()
            .take_while(|c| *c != '<')
            .filter(|c| !c.is_whitespace())
            .collect();
        // reloading keeps the secret the app scanned
        assert!(v.get(&app, "/staff/totp").await.body.contains(&secret[..4]));
        let token = Visitor::token(&p);
        let wrong = v
            .post(&app, "/staff/totp", &[("csrf", &token), ("code", "12")])
            .await;
        assert_eq!(wrong.status, 422);
        assert!(wrong.body.contains("error-summary"), "{}", wrong.body);
        assert!(wrong.body.contains("href=\"#totp-code\""));
        assert!(wrong.body.contains("aria-invalid=\"true\""));
        let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap();
        let code = vamyar_app::totp::code_at(&secret, "nat", now).unwrap();
        let done = v
            .post(&app, "/staff/totp", &[("csrf", &token), ("code", &code)])
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        assert_eq!(done.location.as_deref(), Some("/admin?done=totp-enabled"));
        assert_eq!(v.get(&app, "/admin/staff").await.status, 200);
        let p = v.get(&app, "/staff/totp").await;
        assert!(!p.body.contains("<svg"), "no secret is shown once enrolled");
    }
);

both_engines!(
    a_national_admin_resets_a_province_admins_factor_with_a_reason,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let prov = app
            .create_staff("tehran", "province_admin", StaffScope::Default)
            .await;
        app.enrol_totp("tehran").await;
        app.create_staff("nat", "national_admin", StaffScope::Default)
            .await;
        app.enrol_totp("nat").await;
        // the province admin may not reset factors
        let mut pv = Visitor::default();
        let code = app.totp_code("tehran").await.unwrap();
        assert_eq!(page_login(&app, &mut pv, "tehran", &code).await, "/admin");
        let url = format!("/admin/staff/{prov}/totp-reset");
        assert_eq!(pv.get(&app, &url).await.status, 403);

        let mut v = Visitor::default();
        let code = app.totp_code("nat").await.unwrap();
        assert_eq!(page_login(&app, &mut v, "nat", &code).await, "/admin");
        let list = v.get(&app, "/admin/staff").await;
        assert!(list.body.contains(&url), "the staff page offers the reset");
        let token = Visitor::token(&list);
        // the button leads to a confirmation; no reason, nothing done
        let p = v.post(&app, &url, &[("csrf", &token)]).await;
        assert_eq!(p.location.as_deref(), Some(url.as_str()));
        let p = v
            .post(
                &app,
                &url,
                &[("csrf", &token), ("confirm", "1"), ("reason", " ")],
            )
            .await;
        assert_eq!(p.status, 422, "{}", p.body);
        assert!(p.body.contains("error-summary"));
        let (_, enabled) = vamyar_store::staff::totp(app.db.db.pool(), prov)
            .await
            .unwrap();
        assert!(enabled.is_some(), "nothing reset without a reason");
        let p = v
            .post(
                &app,
                &url,
                &[
                    ("csrf", &token),
                    ("confirm", "1"),
                    ("reason", "گوشی گم شده"),
                ],
            )
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        let (secret, enabled) = vamyar_store::staff::totp(app.db.db.pool(), prov)
            .await
            .unwrap();
        assert_eq!((secret, enabled), (None, None));
        let detail: String = sqlx::query_scalar(
            "select detail from audit_log where action = 'staff.totp_reset' and entity_id = $1",
        )
        .bind(prov.to_string())
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        assert!(detail.contains("گوشی گم شده"), "{detail}");
        // the province admin's open session may only enrol now, and so may a new login
        assert_eq!(
            pv.get(&app, "/admin/staff").await.location.as_deref(),
            Some("/staff/totp")
        );
        let (status, body) = app
            .post_json(
                "/api/v1/auth/login",
                &serde_json::json!({"username": "tehran", "password": TEST_PASSWORD}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["totp_enrolment_required"], true);
    }
);
