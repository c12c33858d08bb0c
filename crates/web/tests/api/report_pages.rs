//! The reports pages and the desk's notices from the server's side: a disbursed loan shows in
//! the disbursements report as a chart and a table in tomans, the downloads carry the same
//! filters, a bad filter is refused on the form with what was typed kept, roles without
//! reports are refused, and notices link to their files and are marked read.

use chrono::Duration;
use reqwest::Method;
use serde_json::json;
use vamyar_calendar::JalaliDate;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;
use crate::journey::{act, call, demo_program};
use crate::loans::{bank_approved, iso, staff, today};
use crate::pages::Visitor;

both_engines!(
    a_manager_reads_a_report_as_chart_and_table_and_downloads_it,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let (id, version) = bank_approved(&app, &s, program, "0076229645", 0).await;
        act(&app, &s.bank, id, "disburse",
            json!({"contract_number": "C-1", "amount": 1_000_000_000_i64, "disbursed_on": iso(today())}),
            version, "active").await;

        let mut admin = Visitor::staff_login(&app, "admin").await;
        let list = admin.get(&app, "/reports").await;
        assert_eq!(list.status, 200, "{}", list.body);
        for name in [
            "funnel",
            "disbursements",
            "quotas",
            "portfolio",
            "jobs",
            "priority",
        ] {
            assert!(
                list.body.contains(&format!("href=\"/reports/{name}\"")),
                "{name}"
            );
        }
        assert!(list.body.contains("href=\"/reports\""), "in the navigation");

        let page = admin.get(&app, "/reports/disbursements").await;
        assert_eq!(page.status, 200, "{}", page.body);
        let b = &page.body;
        assert!(
            b.contains("<svg class=\"chart\"") && b.contains("role=\"img\""),
            "a chart"
        );
        assert!(
            b.contains("۱۰۰٬۰۰۰٬۰۰۰ تومان"),
            "the amount in tomans, exactly"
        );
        assert!(
            b.contains("<table>") && b.contains("<th scope=\"col\""),
            "the numbers as a table"
        );
        assert!(!b.contains("<script"), "no script on the page");
        let month = JalaliDate::from_iso(today());
        assert!(b.contains(&vamyar_calendar::digits::to_persian_digits(
            &month.year().to_string()
        )));

        // the downloads carry the filters; the session cookie is enough
        let from = JalaliDate::from_iso(today() - Duration::days(30)).to_string();
        let filtered = admin
            .get(
                &app,
                &format!("/reports/disbursements?from={from}&province=07"),
            )
            .await;
        assert_eq!(filtered.status, 200, "{}", filtered.body);
        let at = filtered
            .body
            .find("href=\"/api/v1/reports/disbursements?")
            .unwrap()
            + 6;
        let link = &filtered.body[at..];
        let link = link[..link.find('"').unwrap()]
            .replace("&#38;", "&")
            .replace("&amp;", "&");
        assert!(
            link.contains("province=07") && link.contains("format=csv"),
            "{link}"
        );
        let res = app
            .client
            .get(app.url(&link))
            .header("cookie", admin.cookie_header())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let bytes = res.bytes().await.unwrap();
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "CSV with a BOM: {link} {}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
        );
        let csv = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(csv.contains("1000000000"), "{csv}");

        // a bad filter: the summary, the field marked, the typed value kept
        let bad = admin
            .get(&app, "/reports/disbursements?from=1405/13/40")
            .await;
        assert_eq!(bad.status, 422, "{}", bad.body);
        assert!(bad.body.contains("role=\"alert\""), "an error summary");
        assert!(bad.body.contains("href=\"#r-from\""), "linked to the field");
        assert!(bad.body.contains("aria-invalid=\"true\""));
        assert!(
            bad.body.contains("value=\"1405/13/40\""),
            "what was typed is kept"
        );
        assert!(bad.body.contains("از تاریخ"), "the field named in Persian");

        // county staff have no reports
        let mut desk = Visitor::staff_login(&app, "desk").await;
        assert_eq!(desk.get(&app, "/reports").await.status, 403);
        assert_eq!(desk.get(&app, "/reports/funnel").await.status, 403);
        // a province administrator chooses among their province only
        let mut province = Visitor::staff_login(&app, "province").await;
        let p = province.get(&app, "/reports/funnel").await;
        assert_eq!(p.status, 200, "{}", p.body);
        assert!(p.body.contains("<option value=\"07\""));
        assert!(
            !p.body.contains("<option value=\"01\""),
            "another province is not offered"
        );
        assert_eq!(admin.get(&app, "/reports/nothing").await.status, 404);

        // a late file's notice links to it, and is marked read
        let head: i64 = sqlx::query_scalar("select id from staff_user where username = 'head'")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        sqlx::query(
            "insert into staff_notice (staff_user_id, kind, application_id, stage, detail, \
             dedupe_key, created_at) values ($1, 'breach', $2, 'submitted', \
             '{\"tracking_code\":\"123456789012\",\"due_on\":\"2026-11-28\"}', 'k', $3)",
        )
        .bind(head)
        .bind(id)
        .bind(vamyar_store::time::now())
        .execute(app.db.db.pool())
        .await
        .unwrap();
        let mut office = Visitor::staff_login(&app, "head").await;
        let notices = office.get(&app, "/desk/notices").await;
        assert_eq!(notices.status, 200, "{}", notices.body);
        assert!(notices.body.contains(&format!("href=\"/desk/files/{id}\"")));
        assert!(notices.body.contains("۱۲۳۴۵۶۷۸۹۰۱۲") || notices.body.contains("123456789012"));
        let token = Visitor::token(&notices);
        let done = office
            .post(
                &app,
                "/desk/notices/read",
                &[("csrf", &token), ("through_id", "999999")],
            )
            .await;
        assert_eq!(done.status, 303);
        let (status, mine) = call(&app, Method::GET, &s.head, "/api/v1/me/notices", None).await;
        assert_eq!(status, 200, "{mine}");
        assert_eq!(mine["unread"], 0, "{mine}");
        assert_eq!(mine["notices"][0]["application_id"], id);
    }
);
