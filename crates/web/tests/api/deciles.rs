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
