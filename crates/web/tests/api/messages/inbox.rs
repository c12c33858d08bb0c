//! The portal inbox and the staff view of a file's messages: every message with its text in
//! the request's language and its delivery status; one-time codes never.

use reqwest::Method;
use serde_json::{Value, json};
use vamyar_notify::provider::FakeProvider;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use super::{register, worker};
use crate::helpers::TestApp;
use crate::journey::{act, applicant_session, call, demo_program, login};

both_engines!(
    the_inbox_lists_each_message_with_its_text_and_status_and_never_a_code,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let desk = login(&app, "desk").await;
        let social = login(&app, "social").await;
        let (id, code) = register(&app, &desk, program, "0076229645", "09121234567").await;
        act(
            &app,
            &social,
            id,
            "return",
            json!({"reason": "کپی شناسنامه را بفرستید"}),
            1,
            "needs_correction",
        )
        .await;
        // a one-time code for the same person
        let (status, _) = app
            .post_json(
                "/api/v1/auth/otp",
                &json!({"national_id": "0076229645", "mobile": "09121234567"}),
            )
            .await;
        assert_eq!(status, 202);
        let fake = FakeProvider::new();
        worker(&app, &fake).drain().await.unwrap();
        fake.deliver_all(vamyar_notify::Delivery::Delivered);
        sqlx::query("update outbox set updated_at = '2000-01-01T00:00:00.000000Z'")
            .execute(app.db.db.pool())
            .await
            .unwrap();
        worker(&app, &fake).report_step().await.unwrap();

        let me = applicant_session(&app, "0076229645").await;
        let (status, inbox) = call(&app, Method::GET, &me, "/api/v1/me/messages", None).await;
        assert_eq!(status, 200, "{inbox}");
        let list = inbox.as_array().unwrap();
        assert_eq!(list.len(), 2, "{inbox}");
        assert_eq!(list[0]["event"], "returned", "newest first");
        assert_eq!(list[1]["event"], "registered");
        assert_eq!(list[0]["status"], "delivered");
        assert_eq!(list[0]["delivery_status"], "delivered");
        assert_eq!(list[0]["tracking_code"], code.as_str());
        assert!(
            list[0]["text"]
                .as_str()
                .unwrap()
                .contains("کپی شناسنامه را بفرستید")
        );
        assert!(
            !inbox.to_string().contains("otp"),
            "one-time codes are never listed"
        );
        let res = app
            .client
            .get(app.url("/api/v1/me/messages"))
            .bearer_auth(&me)
            .header("Accept-Language", "en")
            .send()
            .await
            .unwrap();
        let en: Value = res.json().await.unwrap();
        assert!(
            en[0]["text"]
                .as_str()
                .unwrap()
                .starts_with("Dear زهرا, file"),
            "{en}"
        );

        // staff see the same messages on the file, with their text
        let (status, on_file) = call(
            &app,
            Method::GET,
            &social,
            &format!("/api/v1/applications/{id}/messages"),
            None,
        )
        .await;
        assert_eq!(status, 200);
        let events: Vec<&str> = on_file
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["event"].as_str().unwrap())
            .collect();
        assert_eq!(events, ["registered", "returned"]);
        assert!(
            on_file[1]["text"]
                .as_str()
                .unwrap()
                .contains("کپی شناسنامه")
        );
        assert_eq!(on_file[1]["delivery_status"], "delivered");

        // staff have no inbox; another applicant sees nothing of this file
        let (status, _) = call(&app, Method::GET, &social, "/api/v1/me/messages", None).await;
        assert_eq!(status, 403);
        let (other, _) = register(&app, &desk, program, "1583250689", "09351234567").await;
        let _ = other;
        let them = applicant_session(&app, "1583250689").await;
        let (_, theirs) = call(&app, Method::GET, &them, "/api/v1/me/messages", None).await;
        assert_eq!(theirs.as_array().unwrap().len(), 1);
        assert_eq!(theirs[0]["event"], "registered");
    }
);
