//! Staff accounts from the web: who may create which, the scope each role needs, and the
//! new account logging in.

use reqwest::Method;
use serde_json::json;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;
use crate::journey::{call, demo_program};

both_engines!(
    administrators_create_staff_within_their_reach,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        demo_program(&app).await;
        let admin = app.staff_token("hq", "national_admin").await;
        let province = app.staff_token("tehran-admin", "province_admin").await;
        let clerk = json!({"username": "new-clerk", "password": "a long password",
            "role": "desk_clerk", "county": "۰۷-۱۵"});
        let (status, body) = call(
            &app,
            Method::POST,
            &province,
            "/api/v1/staff",
            Some(clerk.clone()),
        )
        .await;
        assert_eq!(
            status, 201,
            "a province admin adds a clerk in their province: {body}"
        );
        assert_eq!(body["county_code"], "07-15");
        assert_eq!(body["province_code"], "07");
        assert!(body.get("password_hash").is_none());
        app.login("new-clerk", "a long password").await;

        let (status, body) =
            call(&app, Method::POST, &province, "/api/v1/staff", Some(clerk)).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (409, Some("username_taken"))
        );
        let elsewhere = json!({"username": "far", "password": "a long password",
            "role": "social_worker", "county": "13-24"});
        let (status, _) = call(
            &app,
            Method::POST,
            &province,
            "/api/v1/staff",
            Some(elsewhere.clone()),
        )
        .await;
        assert_eq!(status, 403, "not another province's");
        let banker = json!({"username": "banker", "password": "a long password",
            "role": "bank_officer", "bank": "mehr"});
        let (status, _) = call(
            &app,
            Method::POST,
            &province,
            "/api/v1/staff",
            Some(banker.clone()),
        )
        .await;
        assert_eq!(status, 403, "bank officers are headquarters'");
        let (status, _) = call(&app, Method::POST, &admin, "/api/v1/staff", Some(elsewhere)).await;
        assert_eq!(status, 201);
        let (status, _) = call(&app, Method::POST, &admin, "/api/v1/staff", Some(banker)).await;
        assert_eq!(status, 201);

        let (status, body) = call(
            &app,
            Method::POST,
            &admin,
            "/api/v1/staff",
            Some(json!({"username": "x y", "password": "short", "role": "desk_clerk"})),
        )
        .await;
        assert_eq!(status, 422);
        for field in ["username", "password", "county"] {
            assert!(
                body["error"]["fields"][field].is_object(),
                "{field}: {body}"
            );
        }

        let (_, mine) = call(&app, Method::GET, &province, "/api/v1/staff", None).await;
        let names: Vec<&str> = mine
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["username"].as_str().unwrap())
            .collect();
        assert!(
            names.contains(&"new-clerk") && !names.contains(&"far") && !names.contains(&"banker"),
            "{names:?}"
        );
        let (_, all) = call(&app, Method::GET, &admin, "/api/v1/staff", None).await;
        assert!(all.as_array().unwrap().len() > mine.as_array().unwrap().len());
        let clerk = app.staff_token("desk-2", "desk_clerk").await;
        let (status, _) = call(&app, Method::GET, &clerk, "/api/v1/staff", None).await;
        assert_eq!(status, 403);
    }
);

both_engines!(
    administrators_edit_name_role_and_scope_within_their_reach,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        demo_program(&app).await;
        let admin = app.staff_token("hq", "national_admin").await;
        let province = app.staff_token("tehran-admin", "province_admin").await;
        let clerk = app
            .create_staff("clerk-1", "desk_clerk", crate::helpers::StaffScope::Default)
            .await;
        let far = app
            .create_staff(
                "far-1",
                "desk_clerk",
                crate::helpers::StaffScope::County("13-24"),
            )
            .await;
        let url = format!("/api/v1/staff/{clerk}");
        let audit_before = app.count("audit_log").await;

        // a province admin makes their clerk an office head elsewhere in the province
        let edit = json!({"full_name": "زهرا کریمی", "role": "office_head", "county": "07-15"});
        let (status, body) = call(&app, Method::PUT, &province, &url, Some(edit)).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            (body["role"].as_str(), body["full_name"].as_str()),
            (Some("office_head"), Some("زهرا کریمی"))
        );
        assert_eq!(body["county_code"], "07-15");
        assert_eq!(app.count("audit_log").await, audit_before + 1);
        let detail: String = sqlx::query_scalar(
            "select detail from audit_log where action = 'staff.update' and entity_id = $1",
        )
        .bind(clerk.to_string())
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        assert!(
            detail.contains("\"before\"") && detail.contains("desk_clerk"),
            "{detail}"
        );

        // beyond the province admin's reach: another province's account, another province,
        // a headquarters' role
        let to_far = json!({"full_name": "x", "role": "desk_clerk", "county": "07-15"});
        let (status, _) = call(
            &app,
            Method::PUT,
            &province,
            &format!("/api/v1/staff/{far}"),
            Some(to_far),
        )
        .await;
        assert_eq!(status, 403, "not another province's account");
        for (edit, why) in [
            (
                json!({"full_name": "x", "role": "desk_clerk", "county": "13-24"}),
                "not into another province",
            ),
            (
                json!({"full_name": "x", "role": "national_admin"}),
                "not a headquarters role",
            ),
        ] {
            let (status, _) = call(&app, Method::PUT, &province, &url, Some(edit)).await;
            assert_eq!(status, 403, "{why}");
        }

        // field errors name the fields; nothing changes
        let (status, body) = call(
            &app,
            Method::PUT,
            &admin,
            &url,
            Some(json!({"full_name": " ", "role": "bank_officer"})),
        )
        .await;
        assert_eq!(status, 422);
        for field in ["full_name", "bank"] {
            assert!(
                body["error"]["fields"][field].is_object(),
                "{field}: {body}"
            );
        }

        // nobody raises (or changes) their own role
        let own: i64 =
            sqlx::query_scalar("select id from staff_user where username = 'tehran-admin'")
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        let (status, body) = call(
            &app,
            Method::PUT,
            &province,
            &format!("/api/v1/staff/{own}"),
            Some(json!({"full_name": "x", "role": "national_admin"})),
        )
        .await;
        assert_eq!(status, 403, "above the province admin's reach: {body}");
        let hq: i64 = sqlx::query_scalar("select id from staff_user where username = 'hq'")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        let (status, body) = call(
            &app,
            Method::PUT,
            &admin,
            &format!("/api/v1/staff/{hq}"),
            Some(json!({"full_name": "x", "role": "auditor"})),
        )
        .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (409, Some("own_role"))
        );
        // renaming oneself is fine
        let (status, _) = call(
            &app,
            Method::PUT,
            &admin,
            &format!("/api/v1/staff/{hq}"),
            Some(json!({"full_name": "دفتر مرکزی", "role": "national_admin"})),
        )
        .await;
        assert_eq!(status, 200);
        let (status, _) = call(
            &app,
            Method::PUT,
            &admin,
            "/api/v1/staff/999999",
            Some(json!({"full_name": "x", "role": "auditor"})),
        )
        .await;
        assert_eq!(status, 404);
    }
);
