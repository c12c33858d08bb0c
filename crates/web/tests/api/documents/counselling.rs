//! The employment expert records counselling sessions, the business plan review and the services
//! given.

use super::*;

both_engines!(
    the_expert_records_counselling_and_the_plan_review,
    |db: TestDb| async move {
        let (app, _) = spawn(db).await;
        let desk = staff(&app, "desk_clerk").await;
        let social = staff(&app, "social_worker").await;
        let (expert, expert_name) = staff_in(&app, "employment_expert", Some("07-15"), None).await;
        let id = approved_file(&app, &desk, &social, "0076229645").await;
        let today = vamyar_calendar::Clock::system().today();
        let yesterday = vamyar_calendar::JalaliDate::from_iso(today - chrono::Duration::days(1));
        let jalali = vamyar_calendar::digits::to_persian_digits(&format!(
            "{}/{:02}/{:02}",
            yesterday.year(),
            yesterday.month(),
            yesterday.day()
        ));
        let session = json!({"held_on": jalali, "notes": "بررسی بازار", "next_session_on": (today + chrono::Duration::days(7)).to_string()});

        // not yet in counselling: 409
        let (status, body) = post(
            &app,
            &expert,
            &format!("/api/v1/applications/{id}/counselling"),
            session.clone(),
        )
        .await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["error"]["code"], "invalid_state");
        for kind in REQUIRED {
            let doc = upload_pdf(&app, &desk, id, kind).await;
            let (status, _) = review(&app, &expert, doc, json!({"decision": "accept"})).await;
            assert_eq!(status, 200);
        }
        assert_eq!(file_state(&app, &expert, id).await, "counselling");

        // only the employment expert of the county
        let (status, _) = post(
            &app,
            &desk,
            &format!("/api/v1/applications/{id}/counselling"),
            session.clone(),
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = post(
            &app,
            &social,
            &format!("/api/v1/applications/{id}/plan-review"),
            json!({}),
        )
        .await;
        assert_eq!(status, 403);
        let (other, _) = staff_in(&app, "employment_expert", Some("07-02"), None).await;
        let (status, _) = post(
            &app,
            &other,
            &format!("/api/v1/applications/{id}/counselling"),
            session.clone(),
        )
        .await;
        assert_eq!(status, 404);

        // a session: not in the future; a next session is announced
        let tomorrow = (today + chrono::Duration::days(1)).to_string();
        let (status, body) = post(
            &app,
            &expert,
            &format!("/api/v1/applications/{id}/counselling"),
            json!({"held_on": tomorrow}),
        )
        .await;
        assert_eq!(
            (status, field_code(&body, "held_on")),
            (422, "date_in_future".to_string())
        );
        let (status, body) = post(
            &app,
            &expert,
            &format!("/api/v1/applications/{id}/counselling"),
            session.clone(),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(
            body["held_on"],
            (today - chrono::Duration::days(1)).to_string()
        );
        assert_eq!(body["recorded_by"], expert_name.as_str());
        let scheduled: Vec<String> = sqlx::query_scalar("select payload from outbox where application_id = $1 and event = 'counselling_scheduled'")
        .bind(id)
        .fetch_all(app.db.db.pool())
        .await
        .unwrap();
        assert_eq!(scheduled.len(), 1);
        assert!(scheduled[0].contains(&(today + chrono::Duration::days(7)).to_string()));

        // the plan review: amount within the self-employment ceiling (2,000,000,000 rials)
        let review_body = |amount: Value, jobs: Value| json!({"activity": "خیاطی", "location": "تهران", "recommended_amount": amount, "jobs_to_create": jobs});
        let path = format!("/api/v1/applications/{id}/plan-review");
        let (status, body) = post(
            &app,
            &expert,
            &path,
            review_body(json!(2_000_000_001_i64), json!(2)),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            field_code(&body, "recommended_amount"),
            "amount_above_ceiling"
        );
        let (status, body) = post(&app, &expert, &path, review_body(json!(0), json!(10_001))).await;
        assert_eq!(status, 422);
        assert_eq!(field_code(&body, "recommended_amount"), "out_of_range");
        assert_eq!(field_code(&body, "jobs_to_create"), "out_of_range");
        let (status, body) = post(&app, &expert, &path, json!({"recommended_amount": 1})).await;
        assert_eq!(status, 422);
        assert_eq!(field_code(&body, "activity"), "required");
        assert_eq!(field_code(&body, "jobs_to_create"), "required");
        let (status, body) = post(
            &app,
            &expert,
            &path,
            review_body(json!("۱٬۲۰۰٬۰۰۰٬۰۰۰"), json!("۲")),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["recommended_amount"], 1_200_000_000_i64);
        assert_eq!(body["jobs_to_create"], 2);

        // a service, then the plan is approved with the review's amount; services go on
        let service = json!({"kind": "training", "description": "دوره آموزش دوخت", "provided_on": today.to_string()});
        let services = format!("/api/v1/applications/{id}/services");
        let (status, body) = post(
            &app,
            &expert,
            &services,
            json!({"kind": "magic", "description": "x", "provided_on": today.to_string()}),
        )
        .await;
        assert_eq!(
            (status, field_code(&body, "kind")),
            (422, "invalid_choice".to_string())
        );
        let (status, body) = post(&app, &expert, &services, service.clone()).await;
        assert_eq!(status, 201, "{body}");
        let (_, file) = get(&app, &expert, &format!("/api/v1/applications/{id}")).await;
        let (status, file) = post(
            &app,
            &expert,
            &format!("/api/v1/applications/{id}/actions/approve_plan"),
            json!({"version": file["version"]}),
        )
        .await;
        assert_eq!(status, 200, "{file}");
        assert_eq!(file["state"], "awaiting_referral");
        assert_eq!(file["recommended_amount"], 1_200_000_000_i64);
        let (status, _) = post(
            &app,
            &expert,
            &format!("/api/v1/applications/{id}/counselling"),
            session.clone(),
        )
        .await;
        assert_eq!(status, 409);
        let (status, _) = post(&app, &expert, &services, service).await;
        assert_eq!(status, 201);

        // everything is listed: usernames for staff, not for the applicant
        let (status, all) = get(
            &app,
            &social,
            &format!("/api/v1/applications/{id}/counselling"),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(all["sessions"].as_array().unwrap().len(), 1);
        assert_eq!(all["plan_reviews"].as_array().unwrap().len(), 1);
        assert_eq!(all["services"].as_array().unwrap().len(), 2);
        assert_eq!(all["plan_reviews"][0]["recorded_by"], expert_name.as_str());
        let me = token_for(
            &app,
            Subject::Person(file["applicant"]["person_id"].as_i64().unwrap()),
        )
        .await;
        let (status, mine) =
            get(&app, &me, &format!("/api/v1/applications/{id}/counselling")).await;
        assert_eq!(status, 200);
        assert!(mine["sessions"][0]["recorded_by"].is_null());
        let (status, _) = get(
            &app,
            &other,
            &format!("/api/v1/applications/{id}/counselling"),
        )
        .await;
        assert_eq!(status, 404);

        assert_eq!(audit_count(&app, "counselling.session").await, 1);
        assert_eq!(audit_count(&app, "counselling.plan_review").await, 1);
        assert_eq!(audit_count(&app, "counselling.service").await, 2);
    }
);
