//! Imported income deciles: the import rewrites the stored priority of the person's open
//! files (and only those), the queue follows it, and the explanation names the list.

use reqwest::Method;
use serde_json::Value;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;
use crate::journey::{call, demo_program, registration};
use crate::loans::staff;

async fn stored(app: &TestApp, id: i64) -> (i64, Value) {
    let (score, factors): (i64, String) =
        sqlx::query_as("select priority_score, priority_factors from application where id = $1")
            .bind(id)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
    (score, serde_json::from_str(&factors).unwrap())
}

fn decile_factor(factors: &Value) -> Option<&Value> {
    factors["factors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "income_decile")
}

both_engines!(
    an_imported_decile_rewrites_the_stored_priority_of_open_files,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let mut ids = Vec::new();
        for nid in ["1583250700", "1583250719", "1583250727"] {
            let (status, reg) = call(
                &app,
                Method::POST,
                &s.desk,
                "/api/v1/applications",
                Some(registration(program, nid)),
            )
            .await;
            assert_eq!(status, 201, "{reg}");
            ids.push(reg["id"].as_i64().unwrap());
        }
        let (a, b, c) = (ids[0], ids[1], ids[2]);
        // all three declared decile 2; the stored explanation says so
        let (a_before, a_factors) = stored(&app, a).await;
        assert_eq!(a_factors["income_decile_source"], "declared");
        assert_eq!(decile_factor(&a_factors).unwrap()["detail"], 2);
        // c's file is closed (rejected): its stored priority is history
        sqlx::query("update application set state = 'rejected' where id = $1")
            .bind(c)
            .execute(app.db.db.pool())
            .await
            .unwrap();
        let c_before = stored(&app, c).await;
        let queue_order = |q: &Value| -> Vec<i64> {
            q.as_array()
                .unwrap()
                .iter()
                .map(|f| f["id"].as_i64().unwrap())
                .filter(|id| *id == a || *id == b)
                .collect()
        };
        let q = call(&app, Method::GET, &s.desk, "/api/v1/applications", None)
            .await
            .1;
        assert_eq!(queue_order(&q), vec![a, b], "equal scores: the older first");

        // the ministry's list: a is decile 9 (no points), b is decile 1, c is decile 1
        let ctx = vamyar_app::Ctx::new(app.db.db.clone(), Default::default());
        let report = vamyar_app::admin::decile_import::import_deciles(
            &ctx,
            None,
            "national_id,decile\n1583250700,9\n1583250719,1\n1583250727,1\n".as_bytes(),
            "list-1405",
            vamyar_i18n::Lang::Fa,
        )
        .await
        .unwrap();
        assert_eq!((report.imported, report.refused), (3, 0));
        assert_eq!(
            report.rescored, 2,
            "a's and b's open files, not c's closed one"
        );

        let (a_after, a_factors) = stored(&app, a).await;
        let (b_after, b_factors) = stored(&app, b).await;
        assert!(a_after < a_before, "{a_before} → {a_after}");
        assert!(decile_factor(&a_factors).is_none(), "{a_factors}");
        assert_eq!(a_factors["income_decile_source"], "imported");
        assert_eq!(a_factors["score"], a_after);
        assert!(b_after > a_after);
        assert_eq!(decile_factor(&b_factors).unwrap()["detail"], 1);
        assert_eq!(b_factors["income_decile_source"], "imported");
        assert_eq!(
            stored(&app, c).await,
            c_before,
            "a closed file keeps its priority"
        );
        // the stored score is the live one
        let b_view = call(
            &app,
            Method::GET,
            &s.desk,
            &format!("/api/v1/applications/{b}"),
            None,
        )
        .await
        .1;
        assert_eq!(b_view["priority"]["score"], b_after);

        let q = call(&app, Method::GET, &s.desk, "/api/v1/applications", None)
            .await
            .1;
        assert_eq!(
            queue_order(&q),
            vec![b, a],
            "the imported decile reorders the queue"
        );

        // the explanation on the file page names the list
        let mut desk = crate::pages::Visitor::staff_login(&app, "desk").await;
        let page = desk.get(&app, &format!("/desk/files/{b}")).await;
        let said = vamyar_i18n::text(
            vamyar_i18n::Lang::Fa,
            "pg-factor-income_decile-imported",
            &[],
        );
        assert!(
            page.body.contains(&said),
            "the factor names the imported list"
        );

        // a newer list that changes nothing rewrites nothing
        let again = vamyar_app::admin::decile_import::import_deciles(
            &ctx,
            None,
            "national_id,decile\n1583250719,1\n".as_bytes(),
            "list-1405",
            vamyar_i18n::Lang::Fa,
        )
        .await
        .unwrap();
        assert_eq!((again.unchanged, again.rescored), (1, 0));
    }
);

both_engines!(
    the_national_administrator_uploads_a_decile_list_and_reads_a_report_per_line,
    |db: TestDb| async move {
        use crate::pages::{Visitor, no_redirects};
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let (status, reg) = call(
            &app,
            Method::POST,
            &s.desk,
            "/api/v1/applications",
            Some(registration(program, "1583250700")),
        )
        .await;
        assert_eq!(status, 201, "{reg}");
        let id = reg["id"].as_i64().unwrap();
        let (score_before, _) = stored(&app, id).await;

        let mut admin = Visitor::staff_login(&app, "admin").await;
        let p = admin.get(&app, "/admin/programs").await;
        assert!(
            p.body.contains("href=\"/admin/deciles\""),
            "in the navigation"
        );
        let p = admin.get(&app, "/admin/deciles").await;
        assert_eq!(p.status, 200);
        assert!(p.body.contains("action=\"/admin/deciles\""));
        assert!(p.body.contains("enctype=\"multipart/form-data\""));
        assert!(p.body.contains("national_id,decile"), "the header is shown");
        let token = Visitor::token(&p);
        let upload = |token: String, csv: &str| {
            let form = reqwest::multipart::Form::new().text("csrf", token).part(
                "file",
                reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("d.csv"),
            );
            no_redirects()
                .post(app.url("/admin/deciles"))
                .multipart(form)
        };

        // a province administrator neither sees nor uses it
        let mut province = Visitor::staff_login(&app, "province").await;
        let p = province.get(&app, "/admin/programs").await;
        assert!(!p.body.contains("href=\"/admin/deciles\""));
        assert_eq!(province.get(&app, "/admin/deciles").await.status, 403);
        let t = Visitor::token(&p);
        let csv = "national_id,decile\n1583250700,1\n";
        assert_eq!(province.send(&app, upload(t, csv)).await.status, 403);
        // without the form's token nothing is imported
        let p = admin.send(&app, upload("forged".into(), csv)).await;
        assert_eq!(p.status, 403);
        let none: i64 = sqlx::query_scalar("select count(*) from income_decile")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(none, 0);

        // BOM, CRLF, Persian digits; line 3 is refused and the rest imported
        let csv = "\u{feff}national_id,decile\r\n۱۵۸۳۲۵۰۷۰۰,۱\r\n1583250701,11\r\n1583250719,4\r\n";
        let p = admin.send(&app, upload(token.clone(), csv)).await;
        assert_eq!(p.status, 200, "{}", p.body);
        assert!(p.body.contains("سطر ۲: دهک ثبت شد."), "{}", p.body);
        assert!(p.body.contains("سطر ۳: ثبت نشد: national_id"), "{}", p.body);
        assert!(p.body.contains("سطر ۴: دهک ثبت شد."), "{}", p.body);
        assert!(p.body.contains("۱ پروندهٔ باز"), "{}", p.body);
        assert!(
            !p.body.contains("1583250719"),
            "no national ID in the report"
        );
        let (score_after, factors) = stored(&app, id).await;
        assert!(score_after > score_before, "decile 1 earns more than 2");
        assert_eq!(factors["income_decile_source"], "imported");
        let audited: i64 =
            sqlx::query_scalar("select count(*) from audit_log where action = 'deciles.import'")
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(audited, 1);

        // a wrong header imports nothing and says why in the error summary
        let p = admin
            .send(&app, upload(token, "code,decile\n1583250727,2\n"))
            .await;
        assert_eq!(p.status, 422);
        assert!(p.body.contains("id=\"error-summary\""), "{}", p.body);
        let count: i64 = sqlx::query_scalar("select count(*) from income_decile")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(count, 2);
    }
);
