//! The plain forms: a walk-in registered without scripts, an account deactivated only after
//! confirming, and the code page naming the number the code went to.

use super::*;

both_engines!(
    a_walk_in_is_registered_through_the_plain_form,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await.to_string();
        let mut desk = Visitor::staff_login(&app, "desk").await;
        let form = desk.get(&app, "/desk/register").await;
        let token = Visitor::token(&form);
        let mut fields = vec![
            ("csrf", token.as_str()),
            ("program_id", program.as_str()),
            ("national_id", "۰۰۷۶۲۲۹۶۴۵"),
            ("first_name", "زهرا"),
            ("last_name", "احمدی"),
            ("gender", "female"),
            ("mobile", "09121234567"),
            ("county", "07-15"),
            ("birth_date", "۱۳۷۰/۰۵/۱۲"),
            ("female_head_of_household", "1"),
            ("household_size", "3"),
            ("loan_type", "household_business"),
            ("requested_amount", "۱۰۰٬۰۰۰٬۰۰۰"),
        ];
        let refused = desk.post(&app, "/desk/register", &fields).await;
        assert_eq!(refused.status, 422, "the business title is missing");
        assert!(
            refused.body.contains("class=\"error-summary\""),
            "the problem is summarised on top"
        );
        assert!(
            refused.body.contains("href=\"#business_title\""),
            "the summary links to the field"
        );
        assert!(
            refused.body.contains("id=\"business_title-error\""),
            "the field has its message"
        );
        assert!(
            refused
                .body
                .contains("aria-invalid=\"true\" aria-describedby=\"business_title-error\""),
            "the field is marked for assistive technology"
        );
        assert!(
            refused.body.contains("value=\"۱۰۰٬۰۰۰٬۰۰۰\""),
            "what was typed is kept"
        );
        fields.push(("business_title", "خیاطی خانگی"));
        let done = desk.post(&app, "/desk/register", &fields).await;
        assert_eq!(done.status, 303, "{}", done.body);
        let to = done.location.unwrap();
        assert!(to.starts_with("/desk/files/") && to.ends_with("?done=registered"));
        let (amount, channel): (i64, String) = sqlx::query_as(
            "select requested_amount, channel from application order by id desc limit 1",
        )
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        assert_eq!(
            (amount, channel.as_str()),
            (1_000_000_000, "desk"),
            "tomans become rials"
        );
        let page = desk.get(&app, &to).await;
        assert!(
            page.body.contains("۱۰۰٬۰۰۰٬۰۰۰ تومان"),
            "amounts shown in tomans"
        );
    }
);

both_engines!(
    an_admin_deactivates_an_account_only_after_confirming,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        fixture(&app).await;
        let mut admin = Visitor::staff_login(&app, "admin").await;
        let id: i64 = sqlx::query_scalar("select id from staff_user where username = 'auditor'")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        let active = |app: &TestApp| {
            let pool = app.db.db.pool().clone();
            async move {
                sqlx::query_scalar::<_, i64>("select is_active from staff_user where id = $1")
                    .bind(id)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
            }
        };
        let list = admin.get(&app, "/admin/staff").await;
        let url = format!("/admin/staff/{id}/active");
        assert!(
            list.body.contains(&format!("href=\"{url}\"")),
            "a link, not a one-click form"
        );
        let token = Visitor::token(&list);
        // without the confirmation: sent to the confirmation page, nothing changes
        let p = admin
            .post(&app, &url, &[("csrf", &token), ("active", "false")])
            .await;
        assert_eq!(p.status, 303);
        assert_eq!(p.location.as_deref(), Some(url.as_str()));
        assert_eq!(active(&app).await, 1);
        let confirm = admin.get(&app, &url).await;
        assert_eq!(confirm.status, 200);
        assert!(confirm.body.contains("name=\"confirm\""));
        assert!(confirm.body.contains("name=\"reason\""), "asks why");
        // confirmed without a reason: refused on the confirmation page, nothing changes
        let p = admin
            .post(
                &app,
                &url,
                &[("csrf", &token), ("active", "false"), ("confirm", "1")],
            )
            .await;
        assert_eq!(p.status, 422, "{}", p.body);
        assert!(p.body.contains("error-summary") && p.body.contains("href=\"#f-reason\""));
        assert_eq!(active(&app).await, 1);
        let p = admin
            .post(
                &app,
                &url,
                &[
                    ("csrf", &token),
                    ("active", "false"),
                    ("confirm", "1"),
                    ("reason", "بازنشسته شد"),
                ],
            )
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        assert_eq!(active(&app).await, 0);
        let detail: String = sqlx::query_scalar(
            "select detail from audit_log where action = 'staff.deactivate' and entity_id = $1",
        )
        .bind(id.to_string())
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        assert!(
            detail.contains("بازنشسته شد"),
            "the reason is audited: {detail}"
        );
        // the account can no longer log in; activating it again needs no confirmation
        let mut v = Visitor::default();
        let login = v.get(&app, "/staff/login").await;
        let t = Visitor::token(&login);
        let refused = v
            .post(
                &app,
                "/staff/login",
                &[
                    ("csrf", &t),
                    ("username", "auditor"),
                    ("password", vamyar_web::demo::DEMO_PASSWORD),
                ],
            )
            .await;
        assert_eq!(refused.status, 401);
        let p = admin
            .post(&app, &url, &[("csrf", &token), ("active", "true")])
            .await;
        assert_eq!(p.status, 303);
        assert_eq!(active(&app).await, 1);
        // nobody deactivates their own account
        let own: i64 = sqlx::query_scalar("select id from staff_user where username = 'admin'")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        let p = admin
            .post(
                &app,
                &format!("/admin/staff/{own}/active"),
                &[
                    ("csrf", &token),
                    ("active", "false"),
                    ("confirm", "1"),
                    ("reason", "آزمایش"),
                ],
            )
            .await;
        assert_eq!(p.status, 409);
        assert!(p.body.contains("error-summary"));
    }
);

both_engines!(
    the_code_page_says_which_number_the_code_went_to,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let mut v = Visitor::default();
        let form = v.get(&app, "/login").await;
        let token = Visitor::token(&form);
        let p = v
            .post(
                &app,
                "/login",
                &[
                    ("csrf", &token),
                    ("national_id", "0076229645"),
                    ("mobile", "۰۹۱۲۱۲۳۴۵۶۷"),
                ],
            )
            .await;
        assert_eq!(p.status, 200, "{}", p.body);
        assert!(
            p.body.contains("<bdi dir=\"ltr\">۰۹۱۲***۴۵۶۷</bdi>"),
            "masked, isolated left to right: {}",
            p.body
        );
        assert!(!p.body.contains("1234567") && !p.body.contains("۱۲۳۴۵۶۷"));
        // a wrong code keeps saying where it went, and nothing else can be slipped in
        let again = v
            .post(
                &app,
                "/login/verify",
                &[
                    ("csrf", &token),
                    ("national_id", "0076229645"),
                    ("code", "000000"),
                    ("sent_to", "۰۹۱۲***۴۵۶۷"),
                ],
            )
            .await;
        assert!(again.body.contains("<bdi dir=\"ltr\">۰۹۱۲***۴۵۶۷</bdi>"));
        let forged = v
            .post(
                &app,
                "/login/verify",
                &[
                    ("csrf", &token),
                    ("national_id", "0076229645"),
                    ("code", "000000"),
                    ("sent_to", "call 0900 now"),
                ],
            )
            .await;
        assert!(!forged.body.contains("call 0900"));
    }
);
