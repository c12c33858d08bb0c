//! Printed documents over HTTP, on both engines: the referral letter and the repayment
//! schedule come back as PDF attachments whose text (read back with pdftotext) holds the
//! applicant's Persian name, the letter and contract numbers, the amounts exactly as the
//! pages write them and the verification code; callers who may not see the file get 404;
//! the desk, bank and portal pages link the downloads.

use reqwest::Method;
use serde_json::Value;
use vamyar_print::testing::{normalise, normalised_text};
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::{StaffScope, TestApp};
use crate::journey::{applicant_session, call, demo_program};
use crate::loans::{bank_approved, disburse, staff};
use crate::pages::Visitor;

/// Latin digits as Persian ones (written here, not taken from the code under test).
pub fn fa_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(0x06F0 + d).unwrap(),
            None => c,
        })
        .collect()
}

/// Rials as the pages write tomans: whole tomans grouped with U+066C, the odd rial after
/// U+066B, Persian digits.
pub fn tomans_fa(rials: i64) -> String {
    let whole = (rials / 10).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('\u{066C}');
        }
        grouped.push(c);
    }
    let odd = rials % 10;
    let text = if odd == 0 {
        grouped
    } else {
        format!("{grouped}\u{066B}{odd}")
    };
    fa_digits(&text)
}

/// GETs `path` with a bearer token: status, content type, disposition, body.
pub async fn download(app: &TestApp, token: &str, path: &str) -> (u16, String, String, Vec<u8>) {
    let res = app
        .client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let header = |name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let (ct, cd) = (header("content-type"), header("content-disposition"));
    (
        res.status().as_u16(),
        ct,
        cd,
        res.bytes().await.unwrap().to_vec(),
    )
}

/// The stored verification code of the file's letter.
pub async fn stored_code(app: &TestApp, file: i64) -> Option<String> {
    sqlx::query_scalar("select verification_code from referral where application_id = $1")
        .bind(file)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

/// Gives the file's applicant a last name with a zero-width non-joiner.
async fn rename(app: &TestApp, national_id: &str) {
    sqlx::query("update person set last_name = 'احمدی‌نژاد' where national_id = $1")
        .bind(national_id)
        .execute(app.db.db.pool())
        .await
        .unwrap();
}

both_engines!(
    the_letter_and_the_schedule_are_pdfs_with_the_persian_facts,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let (id, version) = bank_approved(&app, &s, program, "0076229645", 45).await;
        rename(&app, "0076229645").await;
        let letter_number: String =
            sqlx::query_scalar("select letter_number from referral where application_id = $1")
                .bind(id)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(stored_code(&app, id).await, None, "no code before printing");

        let path = format!("/api/v1/applications/{id}/referral-letter.pdf");
        let (status, ct, cd, pdf) = download(&app, &s.desk, &path).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
        assert_eq!(ct, "application/pdf");
        assert_eq!(
            cd,
            format!("attachment; filename=\"referral-{letter_number}.pdf\"")
        );
        let code = stored_code(&app, id)
            .await
            .expect("stored at the first print");
        assert_eq!(code.len(), 16);
        let text = normalised_text(&pdf);
        let grouped = format!(
            "{}-{}-{}-{}",
            &code[..4],
            &code[4..8],
            &code[8..12],
            &code[12..]
        );
        let port = app.base.rsplit(':').next().unwrap();
        for wanted in [
            "زهرا احمدی‌نژاد".to_string(),
            fa_digits("0076229645"),
            letter_number.clone(),
            // 1,200,000,000 rials referred
            "۱۲۰٬۰۰۰٬۰۰۰ تومان".to_string(),
            fa_digits(&grouped),
            format!("http://127.0.0.1:{port}/verify/{code}"),
        ] {
            assert!(text.contains(&normalise(&wanted)), "{wanted} not in {text}");
        }

        // the bank's officer and the applicant get the same letter; printing again keeps
        // the code
        let owner = applicant_session(&app, "0076229645").await;
        for token in [&s.bank, &s.head, &owner] {
            let (status, _, _, pdf) = download(&app, token, &path).await;
            assert_eq!(status, 200);
            assert!(normalised_text(&pdf).contains(&normalise(&fa_digits(&grouped))));
        }
        assert_eq!(stored_code(&app, id).await, Some(code));

        // the schedule, once disbursed
        let loan = disburse(&app, &s, id, version, "C-7001", 40).await;
        let (status, sched) = call(
            &app,
            Method::GET,
            &s.bank,
            &format!("/api/v1/loans/{loan}/schedule"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{sched}");
        let rows = sched["installments"].as_array().unwrap();
        let sum = |f: &str| rows.iter().map(|r| r[f].as_i64().unwrap()).sum::<i64>();
        let path = format!("/api/v1/loans/{loan}/schedule.pdf");
        for token in [&s.bank, &s.desk, &owner] {
            let (status, ct, cd, pdf) = download(&app, token, &path).await;
            assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
            assert_eq!(ct, "application/pdf");
            assert_eq!(cd, "attachment; filename=\"schedule-C-7001.pdf\"");
            let text = normalised_text(&pdf);
            let first: &Value = &rows[0];
            for wanted in [
                "زهرا احمدی‌نژاد".to_string(),
                "C-7001".to_string(),
                // 1,000,000,000 rials lent
                "۱۰۰٬۰۰۰٬۰۰۰ تومان".to_string(),
                fa_digits(first["due_on_jalali"].as_str().unwrap()),
                tomans_fa(first["principal"].as_i64().unwrap()),
                tomans_fa(first["fee"].as_i64().unwrap()),
                tomans_fa(sum("fee")),
                tomans_fa(sum("outstanding")),
            ] {
                assert!(text.contains(&normalise(&wanted)), "{wanted} not in {text}");
            }
        }
        assert_eq!(sum("principal"), 1_000_000_000);
    }
);

both_engines!(
    callers_who_may_not_see_the_file_get_404_and_the_pages_link_the_downloads,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let (id, version) = bank_approved(&app, &s, program, "0076229645", 45).await;
        let loan = disburse(&app, &s, id, version, "C-7002", 40).await;
        // another applicant with a file of their own
        let (status, other) = call(
            &app,
            Method::POST,
            &s.desk,
            "/api/v1/applications",
            Some(crate::journey::registration(program, "1583250689")),
        )
        .await;
        assert_eq!(status, 201, "{other}");
        let other_applicant = applicant_session(&app, "1583250689").await;
        app.create_staff("zahedan-clerk", "desk_clerk", StaffScope::County("13-24"))
            .await;
        let far_clerk = app
            .login("zahedan-clerk", crate::helpers::TEST_PASSWORD)
            .await;
        let resalat = app.create_bank("resalat2").await;
        app.create_staff("resalat-officer", "bank_officer", StaffScope::Bank(resalat))
            .await;
        let other_bank = app
            .login("resalat-officer", crate::helpers::TEST_PASSWORD)
            .await;
        let letter = format!("/api/v1/applications/{id}/referral-letter.pdf");
        let schedule = format!("/api/v1/loans/{loan}/schedule.pdf");
        for (who, token) in [
            ("another county's clerk", &far_clerk),
            ("another bank's officer", &other_bank),
            ("another applicant", &other_applicant),
        ] {
            for path in [&letter, &schedule] {
                let (status, ct, _, body) = download(&app, token, path).await;
                assert_eq!(status, 404, "{who} {path}");
                assert!(ct.starts_with("application/json"), "{who}: {ct}");
                assert!(!String::from_utf8_lossy(&body).contains("%PDF"));
            }
        }
        let res = app.client.get(app.url(&letter)).send().await.unwrap();
        assert_eq!(res.status(), 401);
        // a file never referred has no letter
        let other_id = other["id"].as_i64().unwrap();
        let (status, _, _, _) = download(
            &app,
            &s.desk,
            &format!("/api/v1/applications/{other_id}/referral-letter.pdf"),
        )
        .await;
        assert_eq!(status, 404);

        // the links: the desk's and the bank's file page, and the applicant's portal page
        for who in ["desk", "bank"] {
            let mut v = Visitor::staff_login(&app, who).await;
            let p = v.get(&app, &format!("/desk/files/{id}")).await;
            assert_eq!(p.status, 200, "{who}");
            assert!(p.body.contains(&format!("href=\"{letter}\"")), "{who}");
            assert!(p.body.contains(&format!("href=\"{schedule}\"")), "{who}");
        }
        let mut portal = Visitor::default();
        portal.cookies.push((
            "vamyar_session".into(),
            applicant_session(&app, "0076229645").await,
        ));
        let p = portal.get(&app, &format!("/portal/files/{id}")).await;
        assert_eq!(p.status, 200, "{}", p.body);
        assert!(p.body.contains(&format!("href=\"{letter}\"")));
        assert!(p.body.contains(&format!("href=\"{schedule}\"")));
    }
);
