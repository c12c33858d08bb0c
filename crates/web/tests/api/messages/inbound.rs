//! SMS sent in: a tracking code texted to the service gets the file's stage back, to the
//! registered mobile only; anything else gets the help text; the webhook needs its secret and
//! answers each sender a limited number of times.

use std::sync::Arc;

use vamyar_calendar::digits::to_persian_digits;
use vamyar_notify::provider::FakeProvider;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;
use vamyar_web::WebConfig;
use vamyar_web::routes::messages::InboundSecret;

use super::{register, worker};
use crate::helpers::TestApp;
use crate::journey::{demo_program, login};

const SECRET: &str = "webhook-secret-for-tests";

async fn app_with_secret(db: TestDb) -> TestApp {
    TestApp::spawn_with(db, |mut s| {
        let mut c: WebConfig = (*s.config).clone();
        c.sms_inbound_secret = InboundSecret::new(SECRET);
        s.config = Arc::new(c);
        s
    })
    .await
}

async fn sms_in(app: &TestApp, from: &str, message: &str, id: &str) -> u16 {
    app.client
        .post(app.url("/api/v1/sms/inbound"))
        .header("X-Sms-Secret", SECRET)
        .form(&[
            ("from", from),
            ("message", message),
            ("messageid", id),
            ("to", "10004346"),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

both_engines!(
    a_tracking_code_texted_in_gets_the_stage_back_to_the_registered_mobile_only,
    |db: TestDb| async move {
        let app = app_with_secret(db).await;
        let program = demo_program(&app).await;
        let desk = login(&app, "desk").await;
        let (id, code) = register(&app, &desk, program, "0076229645", "09121234567").await;
        let fake = FakeProvider::new();
        let w = worker(&app, &fake);
        w.drain().await.unwrap();
        let before = fake.sent().len();

        // the registered mobile, Persian digits with dashes, words around
        let fa = to_persian_digits(&format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..]));
        assert_eq!(
            sms_in(&app, "+989121234567", &format!("پیگیری {fa}"), "m-1").await,
            200
        );
        w.drain().await.unwrap();
        let new: Vec<_> = fake.sent().into_iter().skip(before).collect();
        assert_eq!(new.len(), 1, "{new:?}");
        assert_eq!(new[0].to, "09121234567");
        assert_eq!(new[0].kind, "stage_reply");
        assert!(
            new[0].text.contains("در انتظار بررسی مددکاری")
                && new[0]
                    .text
                    .contains(&to_persian_digits(&crate::helpers::grouped(&code))),
            "{}",
            new[0].text
        );
        // the provider calling again for the same message changes nothing
        assert_eq!(sms_in(&app, "09121234567", &code, "m-1").await, 200);
        w.drain().await.unwrap();
        assert_eq!(fake.sent().len(), before + 1);

        // a stranger with the code: the stage goes to the registered mobile, the stranger
        // only gets the help text
        assert_eq!(sms_in(&app, "09359999999", &code, "m-2").await, 200);
        w.drain().await.unwrap();
        let new: Vec<_> = fake.sent().into_iter().skip(before + 1).collect();
        assert_eq!(new.len(), 2, "{new:?}");
        let to_stranger: Vec<_> = new.iter().filter(|s| s.to == "09359999999").collect();
        assert_eq!(to_stranger.len(), 1);
        assert_eq!(to_stranger[0].kind, "help");
        assert!(
            !to_stranger[0]
                .text
                .contains(&to_persian_digits(&crate::helpers::grouped(&code)))
        );
        assert!(
            new.iter()
                .any(|s| s.to == "09121234567" && s.kind == "stage_reply")
        );

        // anything else: the help text
        assert_eq!(
            sms_in(&app, "09351111111", "سلام وضعیت وام من چیست؟", "m-3").await,
            200
        );
        w.drain().await.unwrap();
        let last = fake.sent().last().unwrap().clone();
        assert_eq!(
            (last.to.as_str(), last.kind.as_str()),
            ("09351111111", "help")
        );
        assert!(last.text.contains("کد رهگیری"));

        // only hashes of senders are kept
        let stored: Vec<String> = sqlx::query_scalar("select sender_hash from sms_inbound")
            .fetch_all(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(stored.len(), 3);
        assert!(stored.iter().all(|h| h.len() == 64 && !h.contains("0912")));
        let _ = id;
    }
);

both_engines!(
    inbound_sms_needs_the_secret_and_is_rate_limited_per_sender,
    |db: TestDb| async move {
        let app = app_with_secret(db).await;
        let post = |secret: Option<(&'static str, &'static str)>, query: &'static str| {
            let mut req = app
                .client
                .post(app.url(&format!("/api/v1/sms/inbound{query}")));
            if let Some((k, v)) = secret {
                req = req.header(k, v);
            }
            req.form(&[("from", "09121234567"), ("message", "help")])
        };
        assert_eq!(post(None, "").send().await.unwrap().status(), 401);
        assert_eq!(
            post(Some(("X-Sms-Secret", "wrong")), "")
                .send()
                .await
                .unwrap()
                .status(),
            401
        );
        assert_eq!(
            post(None, "?secret=webhook-secret-for-tests")
                .send()
                .await
                .unwrap()
                .status(),
            401,
            "the secret is taken only from the header, never the URL"
        );
        assert_eq!(
            post(Some(("X-Sms-Secret", SECRET)), "")
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        let as_field = app
            .client
            .post(app.url("/api/v1/sms/inbound"))
            .form(&[
                ("from", "09121234567"),
                ("message", "x"),
                ("secret", SECRET),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(as_field.status(), 401, "nor the body");
        for n in 0..6 {
            assert_eq!(
                sms_in(&app, "09127777777", "?", &format!("r-{n}")).await,
                200
            );
        }
        let helps: i64 = sqlx::query_scalar(
            "select count(*) from outbox where event = 'help' and recipient = '09127777777'",
        )
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        assert_eq!(
            helps,
            i64::from(vamyar_web::routes::messages::REPLIES_PER_SENDER.max),
            "past the limit nothing is sent"
        );
        let limited: i64 =
            sqlx::query_scalar("select count(*) from sms_inbound where body_kind = 'rate_limited'")
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(limited, 1);
    }
);

both_engines!(
    without_a_configured_secret_the_webhook_refuses_everything,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let res = app
            .client
            .post(app.url("/api/v1/sms/inbound?secret="))
            .header("X-Sms-Secret", "")
            .form(&[("from", "09121234567"), ("message", "x"), ("secret", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        assert_eq!(app.count("outbox").await, 0);
    }
);

both_engines!(
    the_complaint_keyword_with_a_tracking_code_files_a_complaint_answered_with_its_ticket,
    |db: TestDb| async move {
        let app = app_with_secret(db).await;
        let program = demo_program(&app).await;
        let desk = login(&app, "desk").await;
        let (id, code) = register(&app, &desk, program, "0076229645", "09121234567").await;
        let fake = FakeProvider::new();
        let w = worker(&app, &fake);
        w.drain().await.unwrap();
        let before = fake.sent().len();
        let fa = to_persian_digits(&code);

        // a stranger with the keyword files nothing: the help text only
        assert_eq!(
            sms_in(&app, "09359999999", &format!("شکایت {fa}"), "c-1").await,
            200
        );
        // the registered mobile files it, Arabic letter forms and all
        assert_eq!(
            sms_in(
                &app,
                "09121234567",
                &format!("شكايت {fa} کسی جواب نمی‌دهد"),
                "c-2"
            )
            .await,
            200
        );
        // the provider calling again files nothing twice
        assert_eq!(
            sms_in(
                &app,
                "09121234567",
                &format!("شكايت {fa} کسی جواب نمی‌دهد"),
                "c-2"
            )
            .await,
            200
        );
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "select id, kind, channel, body from complaint where application_id = $1",
        )
        .bind(id)
        .fetch_all(app.db.db.pool())
        .await
        .unwrap();
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(
            (rows[0].1.as_str(), rows[0].2.as_str()),
            ("complaint", "sms")
        );
        assert!(
            rows[0].3.contains("شکایت"),
            "stored normalised: {}",
            rows[0].3
        );
        w.drain().await.unwrap();
        let new: Vec<_> = fake.sent().into_iter().skip(before).collect();
        let receipt: Vec<_> = new.iter().filter(|s| s.kind == "complaint_filed").collect();
        assert_eq!(receipt.len(), 1, "{new:?}");
        assert_eq!(receipt[0].to, "09121234567");
        assert!(
            receipt[0]
                .text
                .contains(&to_persian_digits(&rows[0].0.to_string())),
            "the ticket number: {}",
            receipt[0].text
        );
        assert_eq!(
            new.iter().filter(|s| s.kind == "stage_reply").count(),
            1,
            "the stranger's code tells the registered mobile the stage; the complaint gets \
             the ticket instead"
        );
        let stranger: Vec<_> = new.iter().filter(|s| s.to == "09359999999").collect();
        assert_eq!(stranger.len(), 1);
        assert_eq!(stranger[0].kind, "help");
    }
);
