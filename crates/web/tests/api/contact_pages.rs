//! The staff page that changes a person's contact details.

use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::{StaffScope, TestApp};
use crate::pages::Visitor;
use crate::totp_pages::page_login;

both_engines!(
    staff_of_the_county_change_contact_details_on_a_page_with_a_reason_and_confirmation,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let person = app.create_person("0499370899", "09121111111").await;
        app.create_staff("clerk", "desk_clerk", StaffScope::Default)
            .await;
        app.create_staff("far", "desk_clerk", StaffScope::County("07-01"))
            .await;
        let url = format!("/desk/persons/{person}/contact");
        let mut far = Visitor::default();
        page_login(&app, &mut far, "far", "").await;
        assert_eq!(far.get(&app, &url).await.status, 403, "another county");

        let mut v = Visitor::default();
        page_login(&app, &mut v, "clerk", "").await;
        let p = v.get(&app, &url).await;
        assert_eq!(p.status, 200);
        assert!(p.body.contains("09121111111"), "the stored mobile is shown");
        let token = Visitor::token(&p);
        // no confirmation: nothing changes, the problem is marked at its field
        let refused = v
            .post(
                &app,
                &url,
                &[("csrf", &token), ("mobile", "09122222222"), ("reason", "")],
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("href=\"#contact-confirm\""));
        assert!(
            refused.body.contains("09122222222"),
            "what was typed is kept"
        );
        let refused = v
            .post(
                &app,
                &url,
                &[
                    ("csrf", &token),
                    ("mobile", "09122222222"),
                    ("confirm", "1"),
                ],
            )
            .await;
        assert_eq!(refused.status, 422, "a reason is needed");
        assert!(refused.body.contains("href=\"#contact-reason\""));
        let mobile: String = sqlx::query_scalar("select mobile from person where id = $1")
            .bind(person)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(mobile, "09121111111");
        let done = v
            .post(
                &app,
                &format!("{url}?file=7"),
                &[
                    ("csrf", &token),
                    ("mobile", "09122222222"),
                    ("reason", "شمارهٔ تازه با کارت ملی"),
                    ("confirm", "1"),
                ],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        assert_eq!(
            done.location.as_deref(),
            Some("/desk/files/7?done=contact-changed")
        );
        let mobile: String = sqlx::query_scalar("select mobile from person where id = $1")
            .bind(person)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(mobile, "09122222222");
        let told: i64 =
            sqlx::query_scalar("select count(*) from outbox where event = 'mobile_changed'")
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(told, 1, "the old mobile is told");
        let audited: i64 = sqlx::query_scalar(
            "select count(*) from audit_log where action = 'person.contact_change'",
        )
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        assert_eq!(audited, 1);
    }
);
