//! The public check of a referral letter, on both engines: `/verify/{code}` (and the form at
//! `/verify`, and `GET /api/v1/verify/{code}`) confirms the letter's number, bank and branch,
//! amount and dates and says whether it is valid, expired, used or withdrawn, and shows
//! nothing personal; an unknown code is a Persian 404 page, a mistyped one a 422 beside the
//! field; look-ups are rate-limited per address.

use reqwest::Method;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;
use vamyar_web::auth::ratelimit::{Limit, RateLimits};

use crate::helpers::TestApp;
use crate::journey::{call, demo_program};
use crate::loans::{bank_approved, disburse, iso, staff, today};
use crate::pages::Visitor;
use crate::print::{download, fa_digits, stored_code};

/// Prints the file's letter (as the desk) and returns its stored verification code.
async fn printed_code(app: &TestApp, token: &str, id: i64) -> String {
    let path = format!("/api/v1/applications/{id}/referral-letter.pdf");
    let (status, _, _, _) = download(app, token, &path).await;
    assert_eq!(status, 200);
    stored_code(app, id).await.unwrap()
}

async fn set_referral(app: &TestApp, id: i64, column: &str, value: &str) {
    sqlx::query(&format!(
        "update referral set {column} = $1 where application_id = $2"
    ))
    .bind(value)
    .bind(id)
    .execute(app.db.db.pool())
    .await
    .unwrap();
}

both_engines!(
    the_verify_page_confirms_a_letter_and_shows_nothing_personal,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let (id, version) = bank_approved(&app, &s, program, "0076229645", 2).await;
        let code = printed_code(&app, &s.desk, id).await;
        let (letter, tracking): (String, String) = sqlx::query_as(
            "select r.letter_number, a.tracking_code from referral r \
             join application a on a.id = r.application_id where a.id = $1",
        )
        .bind(id)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        let mut v = Visitor::default();
        let p = v.get(&app, &format!("/verify/{code}")).await;
        assert_eq!(p.status, 200, "{}", p.body);
        for wanted in [
            letter.as_str(),
            "بانک قرض‌الحسنه مهر ایران",
            "شعبهٔ مرکزی تهران",
            "۱۲۰٬۰۰۰٬۰۰۰ تومان",
            "معتبر",
        ] {
            assert!(p.body.contains(wanted), "{wanted} not on the page");
        }
        // no personal data: names, national ID, mobile, tracking code in any digits or grouping
        let grouped = format!("{}-{}-{}", &tracking[..4], &tracking[4..8], &tracking[8..]);
        for secret in [
            "زهرا",
            "احمدی",
            "علی",
            "0076229645",
            "09121234567",
            "9121234567",
            tracking.as_str(),
            grouped.as_str(),
        ] {
            assert!(!p.body.contains(secret), "{secret} on the verify page");
            assert!(
                !p.body.contains(&fa_digits(secret)),
                "{secret} (Persian digits) on the verify page"
            );
        }

        // the form: the code as printed, in Persian digits with hyphens
        let printed = fa_digits(&format!(
            "{}-{}-{}-{}",
            &code[..4],
            &code[4..8],
            &code[8..12],
            &code[12..]
        ));
        let req = crate::pages::no_redirects()
            .get(app.url("/verify"))
            .query(&[("code", printed.as_str())]);
        let p = v.send(&app, req).await;
        assert_eq!(p.status, 200);
        assert!(p.body.contains(&letter));

        // the API says the same, also without personal data
        let res = app
            .client
            .get(app.url(&format!("/api/v1/verify/{code}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let body = res.text().await.unwrap();
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["standing"], "valid");
        assert_eq!(json["letter_number"], letter.as_str());
        assert_eq!(json["amount"], 1_200_000_000_i64);
        for secret in [
            "زهرا",
            "احمدی",
            "0076229645",
            "09121234567",
            tracking.as_str(),
        ] {
            assert!(!body.contains(secret), "{secret} in {body}");
        }

        // expired: a letter still open past its last day (before close of business marks
        // it), then one marked expired
        set_referral(&app, id, "status", "open").await;
        set_referral(
            &app,
            id,
            "valid_until",
            &iso(today() - chrono::Duration::days(1)),
        )
        .await;
        let p = v.get(&app, &format!("/verify/{code}")).await;
        assert!(p.body.contains("منقضی"), "open past its last day");
        assert!(!p.body.contains(">معتبر<"));
        set_referral(&app, id, "status", "expired").await;
        let p = v.get(&app, &format!("/verify/{code}")).await;
        assert!(p.body.contains("منقضی"), "marked expired");
        // used: the loan was paid out on it
        set_referral(&app, id, "status", "approved").await;
        set_referral(
            &app,
            id,
            "valid_until",
            &iso(today() + chrono::Duration::days(20)),
        )
        .await;
        disburse(&app, &s, id, version, "C-8001", 1).await;
        let p = v.get(&app, &format!("/verify/{code}")).await;
        assert!(p.body.contains("استفاده‌شده"), "used");
        let (status, json) = call(
            &app,
            Method::GET,
            &s.desk,
            &format!("/api/v1/verify/{code}"),
            None,
        )
        .await;
        assert_eq!((status, json["standing"].as_str()), (200, Some("used")));
        // withdrawn
        set_referral(&app, id, "status", "withdrawn").await;
        let p = v.get(&app, &format!("/verify/{code}")).await;
        assert!(p.body.contains("باطل"), "withdrawn");
        assert!(p.body.contains("انصراف"), "withdrawn says why");
    }
);

both_engines!(
    unknown_and_mistyped_codes_are_told_apart_and_lookups_are_limited,
    |db: TestDb| async move {
        let app = TestApp::spawn_with(db, |s| {
            s.with_rate_limits(RateLimits {
                track_per_ip: Limit::per_minutes(4, 15),
                ..RateLimits::default()
            })
        })
        .await;
        let mut v = Visitor::default();
        // a well-formed code (its Damm check digit holds) that no letter has
        let unknown = "0000000000000000";
        let p = v.get(&app, &format!("/verify/{unknown}")).await;
        assert_eq!(p.status, 404);
        assert!(
            p.body.contains("هیچ معرفی‌نامه‌ای با این کد استعلام پیدا نشد"),
            "{}",
            p.body
        );
        assert!(p.body.contains("dir=\"rtl\""));
        // one digit changed: the check digit catches it
        let p = v.get(&app, "/verify/0000000000000001").await;
        assert_eq!(p.status, 422);
        assert!(p.body.contains("کد استعلام درست نیست"), "{}", p.body);
        assert!(p.body.contains("aria-invalid=\"true\""));
        let res = app
            .client
            .get(app.url(&format!("/api/v1/verify/{unknown}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        // the fourth look-up from this address was the last one allowed
        let res = app
            .client
            .get(app.url(&format!("/verify/{unknown}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        let res = app
            .client
            .get(app.url(&format!("/api/v1/verify/{unknown}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 429);
        let p = v.get(&app, &format!("/verify/{unknown}")).await;
        assert_eq!(p.status, 429);
    }
);
