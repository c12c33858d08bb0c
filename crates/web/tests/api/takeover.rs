//! Account takeover through registration (issue 11): registering a known national ID never
//! changes the stored person; contact details change only by staff of the person's county
//! (audited, the old mobile told) or by the person with a code sent to the old mobile.

use reqwest::Method;
use serde_json::json;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::{StaffScope, TEST_PASSWORD, TestApp};
use crate::journey::{demo_program, registration};

const NID: &str = "0076229645";
const OLD: &str = "09121234567";
const NEW: &str = "09359876543";

async fn stored_mobile(app: &TestApp, nid: &str) -> String {
    sqlx::query_scalar("select mobile from person where national_id = $1")
        .bind(nid)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

async fn otp_count(app: &TestApp, mobile: &str) -> i64 {
    sqlx::query_scalar("select count(*) from outbox where event = 'otp' and recipient = $1")
        .bind(mobile)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

both_engines!(
    a_clerk_re_registering_a_known_id_with_another_mobile_takes_nothing_over,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let person = app.create_person(NID, OLD).await;
        let clerk = app.staff_token("clerk1", "desk_clerk").await;
        let mut body = registration(program, NID);
        body["applicant"]["mobile"] = json!(NEW);
        body["applicant"]["sheba"] = json!("IR820540102680020817909002");
        body["applicant"]["address"] = json!("نشانی دیگر");
        let (status, reg) = app
            .call(Method::POST, "/api/v1/applications", &clerk, Some(&body))
            .await;
        assert_eq!(status, 201, "{reg}");
        assert_eq!(reg["details_kept"], true, "{reg}");
        assert_eq!(stored_mobile(&app, NID).await, OLD);
        let (sheba, address): (Option<String>, Option<String>) =
            sqlx::query_as("select sheba, address from person where id = $1")
                .bind(person)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!((sheba, address), (None, None), "nothing typed replaced");
        // the file's announcement goes to the stored mobile, not the typed one
        let to: String = sqlx::query_scalar(
            "select recipient from outbox where event = 'registered' and application_id = $1",
        )
        .bind(reg["id"].as_i64().unwrap())
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        assert_eq!(to, OLD);
        // login codes: the clerk's mobile gets none, the old mobile still does
        let ask = |m: &'static str| json!({"national_id": NID, "mobile": m});
        assert_eq!(app.post_json("/api/v1/auth/otp", &ask(NEW)).await.0, 202);
        assert_eq!(otp_count(&app, NEW).await, 0);
        assert_eq!(app.post_json("/api/v1/auth/otp", &ask(OLD)).await.0, 202);
        assert_eq!(otp_count(&app, OLD).await, 1);

        // a new person is still created with the typed details
        let (status, reg) = app
            .call(
                Method::POST,
                "/api/v1/applications",
                &clerk,
                Some(&registration(program, "0499370899")),
            )
            .await;
        assert_eq!(status, 201, "{reg}");
        assert_eq!(reg["details_kept"], false);
    }
);

both_engines!(
    a_clerk_of_another_county_cannot_register_a_known_person,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        app.create_person(NID, OLD).await;
        // the clerk types their own county; the person's stored county decides
        app.create_staff("far", "desk_clerk", StaffScope::County("07-01"))
            .await;
        let far = app.login("far", TEST_PASSWORD).await;
        let mut body = registration(program, NID);
        body["applicant"]["county"] = json!("07-01");
        body["applicant"]["mobile"] = json!(NEW);
        let (status, res) = app
            .call(Method::POST, "/api/v1/applications", &far, Some(&body))
            .await;
        assert_eq!(status, 422, "{res}");
        assert!(res.to_string().contains("outside_your_county"), "{res}");
        assert_eq!(app.count("application").await, 0);
        assert_eq!(stored_mobile(&app, NID).await, OLD);
    }
);

both_engines!(
    staff_of_the_persons_county_change_contact_details_audited_and_the_old_mobile_is_told,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        demo_program(&app).await;
        let person = app.create_person(NID, OLD).await;
        let path = format!("/api/v1/persons/{person}/contact");
        let body = json!({"mobile": NEW, "sheba": "IR820540102680020817909002",
            "reason": "گوشی قبلی گم شد"});
        for (user, role, scope) in [
            ("far", "desk_clerk", StaffScope::County("07-01")),
            ("nat", "national_admin", StaffScope::All),
            ("prov", "province_admin", StaffScope::Province("07")),
        ] {
            app.create_staff(user, role, scope).await;
            let token = app.login(user, TEST_PASSWORD).await;
            let (status, res) = app.call(Method::PATCH, &path, &token, Some(&body)).await;
            assert_eq!(status, 403, "{user}: {res}");
        }
        assert_eq!(stored_mobile(&app, NID).await, OLD);
        let clerk = app.staff_token("clerk1", "desk_clerk").await;
        let (status, res) = app
            .call(
                Method::PATCH,
                &path,
                &clerk,
                Some(&json!({"mobile": "123"})),
            )
            .await;
        assert_eq!(status, 422, "{res}");
        let (status, res) = app.call(Method::PATCH, &path, &clerk, Some(&body)).await;
        assert_eq!(status, 200, "{res}");
        assert_eq!(res["changed"], json!(["mobile", "sheba"]));
        assert_eq!(stored_mobile(&app, NID).await, NEW);
        let told: Vec<String> =
            sqlx::query_scalar("select recipient from outbox where event = 'mobile_changed'")
                .fetch_all(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(told, vec![OLD.to_string()]);
        let audited: Vec<(String, String)> = sqlx::query_as(
            "select outcome, detail from audit_log where action = 'person.contact_change' \
             order by id",
        )
        .fetch_all(app.db.db.pool())
        .await
        .unwrap();
        assert_eq!(audited.iter().filter(|a| a.0 == "denied").count(), 3);
        let ok: Vec<_> = audited.iter().filter(|a| a.0 == "ok").collect();
        assert_eq!(ok.len(), 1);
        assert!(
            ok[0].1.contains("mobile") && !ok[0].1.contains(NEW),
            "{}",
            ok[0].1
        );
    }
);

both_engines!(
    a_person_changes_their_mobile_with_a_code_sent_to_the_old_one,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        app.create_person(NID, OLD).await;
        app.post_json(
            "/api/v1/auth/otp",
            &json!({"national_id": NID, "mobile": OLD}),
        )
        .await;
        let (code, _) = crate::helpers::last_code(&app, OLD).await;
        let (status, s) = app
            .post_json(
                "/api/v1/auth/otp/verify",
                &json!({"national_id": NID, "code": code}),
            )
            .await;
        assert_eq!(status, 200, "{s}");
        let token = s["token"].as_str().unwrap().to_string();
        let (status, _) = app
            .call(
                Method::POST,
                "/api/v1/me/mobile",
                &token,
                Some(&json!({"mobile": NEW})),
            )
            .await;
        assert_eq!(status, 202);
        assert_eq!(
            otp_count(&app, NEW).await,
            0,
            "the code goes to the old mobile"
        );
        let (code, _) = crate::helpers::last_code(&app, OLD).await;
        let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
        let (status, _) = app
            .call(
                Method::POST,
                "/api/v1/me/mobile/confirm",
                &token,
                Some(&json!({"code": wrong})),
            )
            .await;
        assert_eq!(status, 422);
        assert_eq!(stored_mobile(&app, NID).await, OLD);
        // the mobile-change code is no login code
        let (status, _) = app
            .post_json(
                "/api/v1/auth/otp/verify",
                &json!({"national_id": NID, "code": code}),
            )
            .await;
        assert_eq!(status, 401);
        let (status, res) = app
            .call(
                Method::POST,
                "/api/v1/me/mobile/confirm",
                &token,
                Some(&json!({"code": code})),
            )
            .await;
        assert_eq!(status, 200, "{res}");
        assert_eq!(stored_mobile(&app, NID).await, NEW);
        assert_eq!(app.count("outbox where event = 'mobile_changed'").await, 1);
        // staff may not use the applicant's route
        let clerk = app.staff_token("clerk1", "desk_clerk").await;
        let (status, _) = app
            .call(
                Method::POST,
                "/api/v1/me/mobile",
                &clerk,
                Some(&json!({"mobile": OLD})),
            )
            .await;
        assert_eq!(status, 403);
    }
);
