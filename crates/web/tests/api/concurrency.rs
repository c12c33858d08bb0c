//! Races: two referrals against a quota with room for one, and two officers acting on the
//! same file with the same version.

use serde_json::json;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;
use crate::journey::{call, demo_program, login, registration};

/// Creates another staff account with the demo password in the demo county.
async fn second_staff(app: &TestApp, username: &str, role: &str) {
    let hash = vamyar_web::auth::password::hash(vamyar_web::demo::DEMO_PASSWORD.into())
        .await
        .unwrap();
    let mut tx = app.db.db.begin().await.unwrap();
    vamyar_store::staff::create(
        &mut tx,
        &vamyar_store::staff::NewStaff {
            username: username.into(),
            password_hash: hash,
            full_name: username.into(),
            role: role.into(),
            province_code: Some("07".into()),
            county_code: Some(vamyar_web::demo::DEMO_COUNTY.into()),
            bank_id: None,
            branch_id: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

both_engines!(
    two_officers_with_the_same_version_one_wins,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        second_staff(&app, "social2", "social_worker").await;
        let desk = login(&app, "desk").await;
        let a = login(&app, "social").await;
        let b = login(&app, "social2").await;
        let (_, reg) = call(
            &app,
            reqwest::Method::POST,
            &desk,
            "/api/v1/applications",
            Some(registration(program, "0076229645")),
        )
        .await;
        let id = reg["id"].as_i64().unwrap();
        let path = format!("/api/v1/applications/{id}/actions/approve");
        let reject = format!("/api/v1/applications/{id}/actions/reject");
        let (r1, r2) = tokio::join!(
            call(
                &app,
                reqwest::Method::POST,
                &a,
                &path,
                Some(json!({"version": 1}))
            ),
            call(
                &app,
                reqwest::Method::POST,
                &b,
                &reject,
                Some(json!({"version": 1, "reason": "مدارک ناقص"}))
            ),
        );
        let mut statuses = [r1.0, r2.0];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{r1:?} {r2:?}");
        let loser = if r1.0 == 409 { &r1.1 } else { &r2.1 };
        assert!(
            matches!(
                loser["error"]["code"].as_str(),
                Some("stale_version" | "invalid_state")
            ),
            "{loser}"
        );
        let rows: i64 =
            sqlx::query_scalar("select count(*) from application_event where application_id = $1")
                .bind(id)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(rows, 2, "register + exactly one decision");
        let (_, file) = call(
            &app,
            reqwest::Method::GET,
            &a,
            &format!("/api/v1/applications/{id}"),
            None,
        )
        .await;
        assert_eq!(file["version"], 2);
        // a stale version is refused and changes nothing
        let (status, body) = call(
            &app,
            reqwest::Method::POST,
            &a,
            &path,
            Some(json!({"version": 1})),
        )
        .await;
        assert_eq!(status, 409, "{body}");
        let rows_after: i64 =
            sqlx::query_scalar("select count(*) from application_event where application_id = $1")
                .bind(id)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(rows_after, 2);
    }
);

both_engines!(
    two_referrals_against_a_quota_with_room_for_one_exactly_one_succeeds,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let desk = login(&app, "desk").await;
        let head = login(&app, "head").await;
        let mut ids = Vec::new();
        for nid in ["0076229645", "1583250689"] {
            let (status, reg) = call(
                &app,
                reqwest::Method::POST,
                &desk,
                "/api/v1/applications",
                Some(registration(program, nid)),
            )
            .await;
            assert_eq!(status, 201, "{reg}");
            ids.push(reg["id"].as_i64().unwrap());
        }
        // both files have passed counselling (shortcut: this test is about the quota)
        for id in &ids {
            sqlx::query("update application set state = 'awaiting_referral', recommended_amount = 1000000000 where id = $1")
            .bind(id).execute(app.db.db.pool()).await.unwrap();
        }
        let (quota, branch): (i64, i64) = {
            let q: i64 = sqlx::query_scalar("select q.id from quota q join memorandum m on m.id = q.memorandum_id join bank k on k.id = m.bank_id where k.code = 'mehr' and q.province_code = '07'").fetch_one(app.db.db.pool()).await.unwrap();
            let b: i64 = sqlx::query_scalar(
                "select b.id from branch b join bank k on k.id = b.bank_id where k.code = 'mehr'",
            )
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
            (q, b)
        };
        sqlx::query("update quota set count_limit = 1 where id = $1")
            .bind(quota)
            .execute(app.db.db.pool())
            .await
            .unwrap();
        let body = json!({"version": 1, "branch_id": branch});
        let p0 = format!("/api/v1/applications/{}/actions/refer", ids[0]);
        let p1 = format!("/api/v1/applications/{}/actions/refer", ids[1]);
        let (r1, r2) = tokio::join!(
            call(&app, reqwest::Method::POST, &head, &p0, Some(body.clone())),
            call(&app, reqwest::Method::POST, &head, &p1, Some(body.clone())),
        );
        let mut statuses = [r1.0, r2.0];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{r1:?} {r2:?}");
        let loser = if r1.0 == 409 { &r1.1 } else { &r2.1 };
        assert_eq!(loser["error"]["code"], "quota_exhausted");
        let (used, amount): (i64, i64) = {
            let u: i64 = sqlx::query_scalar("select count_used from quota where id = $1")
                .bind(quota)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
            let a: i64 = sqlx::query_scalar("select amount_used from quota where id = $1")
                .bind(quota)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
            (u, a)
        };
        assert_eq!((used, amount), (1, 1_000_000_000));
        let referrals: i64 = sqlx::query_scalar("select count(*) from referral")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(referrals, 1, "the refused referral left no row");
    }
);
