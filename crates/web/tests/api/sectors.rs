//! Business sectors: a program offers some of the vocabulary, the employment expert classifies
//! the plan at its review with one of them, and the file carries it.

use reqwest::Method;
use serde_json::json;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;
use crate::journey::{call, demo_program, registration, through_documents};
use crate::loans::staff;

both_engines!(
    a_plan_is_classified_in_one_of_its_programs_sectors,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let admin = crate::admin::admin(&app).await;
        let path = format!("/api/v1/programs/{program}");

        // a program starts with every sector; the administration narrows it
        let (status, read) = call(&app, Method::GET, &admin, &path, None).await;
        assert_eq!(status, 200, "{read}");
        assert_eq!(read["sectors"].as_array().unwrap().len(), 9, "{read}");
        for (sectors, field, code) in [
            (json!([]), "sectors", "required"),
            (
                json!(["agriculture", "space"]),
                "sectors[1]",
                "unknown_sector",
            ),
            (json!(["trade", "trade"]), "sectors[1]", "duplicate_value"),
        ] {
            let (status, err) = call(
                &app,
                Method::PATCH,
                &admin,
                &path,
                Some(json!({"sectors": sectors})),
            )
            .await;
            assert_eq!(status, 422, "{err}");
            assert_eq!(err["error"]["fields"][field]["code"], code, "{err}");
        }
        let (status, patched) = call(
            &app,
            Method::PATCH,
            &admin,
            &path,
            Some(json!({"sectors": ["agriculture", "handicrafts"]})),
        )
        .await;
        assert_eq!(status, 200, "{patched}");
        assert_eq!(patched["sectors"], json!(["agriculture", "handicrafts"]));
        let audited: String = sqlx::query_scalar(
            "select detail from audit_log where action = 'program.update' order by id desc limit 1",
        )
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        assert!(audited.contains("handicrafts"), "{audited}");

        // the expert's review: a sector the program does not offer is refused, in Persian
        let (status, reg) = call(
            &app,
            Method::POST,
            &s.desk,
            "/api/v1/applications",
            Some(registration(program, "0076229645")),
        )
        .await;
        assert_eq!(status, 201, "{reg}");
        let id = reg["id"].as_i64().unwrap();
        through_documents(&app, &s.desk, &s.social, id, 1).await;
        let review = format!("/api/v1/applications/{id}/plan-review");
        let body = |sector: &str| {
            json!({"activity": "خیاطی", "location": "تهران",
            "recommended_amount": 1_200_000_000_i64, "jobs_to_create": 2, "sector": sector})
        };
        for (sector, code) in [
            ("tourism", "sector_not_in_program"),
            ("space", "unknown_sector"),
        ] {
            let (status, err) =
                call(&app, Method::POST, &s.expert, &review, Some(body(sector))).await;
            assert_eq!(status, 422, "{err}");
            assert_eq!(err["error"]["fields"]["sector"]["code"], code, "{err}");
            let message = err["error"]["fields"]["sector"]["message"]
                .as_str()
                .unwrap();
            assert!(message.contains("بخش فعالیت"), "{message}");
        }
        assert_eq!(
            app.count("plan_review").await,
            0,
            "a refused review writes nothing"
        );

        let (status, done) = call(
            &app,
            Method::POST,
            &s.expert,
            &review,
            Some(body("handicrafts")),
        )
        .await;
        assert_eq!(status, 201, "{done}");
        assert_eq!(done["sector"], "handicrafts");
        let (_, file) = call(
            &app,
            Method::GET,
            &s.expert,
            &format!("/api/v1/applications/{id}"),
            None,
        )
        .await;
        assert_eq!(file["business"]["sector"], "handicrafts", "{file}");

        // a later review without a sector leaves the file unclassified again
        let mut plain = body("x");
        plain.as_object_mut().unwrap().remove("sector");
        let (status, done) = call(&app, Method::POST, &s.expert, &review, Some(plain)).await;
        assert_eq!(status, 201, "{done}");
        let stored: Option<String> =
            sqlx::query_scalar("select sector from application where id = $1")
                .bind(id)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(stored, None);
    }
);
