//! Four eyes on administrative changes (`[four_eyes] quota`, `staff_role`, `program`,
//! `memorandum` switched on): a proposal changes nothing until a second person with the
//! authority confirms it, the proposer may not decide it, an invalid request is refused when
//! proposed (no proposal written), a rejected or expired one changes nothing (close of
//! business marks it expired), and someone without the authority gets 403.

use chrono::Duration;
use reqwest::Method;
use serde_json::{Value, json};
use vamyar_app::proposals::FourEyes;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;
use vamyar_web::AppState;

use crate::helpers::{StaffScope, TEST_PASSWORD, TestApp};
use crate::journey::{call, demo_program, login};
use crate::loans::{iso, today};
use crate::pages::Visitor;

mod overlap;

/// The app with every administrative switch of `[four_eyes]` on.
async fn app_with_four_eyes(db: TestDb) -> TestApp {
    TestApp::spawn_with(db, |state| {
        let mut config = (*state.config).clone();
        config.four_eyes = FourEyes {
            quota: true,
            staff_role: true,
            program: true,
            memorandum: true,
            ..FourEyes::default()
        };
        AppState::new(state.db.clone(), config)
    })
    .await
}

async fn scalar(app: &TestApp, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

async fn text(app: &TestApp, sql: &str, id: i64) -> String {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

/// Audit rows of `action` on change proposal `id`.
async fn audited(app: &TestApp, action: &str, id: i64) -> i64 {
    sqlx::query_scalar(
        "select count(*) from audit_log where action = $1 and entity = 'change_proposal' \
         and entity_id = $2 and outcome = 'ok'",
    )
    .bind(action)
    .bind(id.to_string())
    .fetch_one(app.db.db.pool())
    .await
    .unwrap()
}

async fn mehr_memorandum(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "select m.id from memorandum m join bank k on k.id = m.bank_id where k.code = 'mehr'",
    )
    .fetch_one(app.db.db.pool())
    .await
    .unwrap()
}

const QUOTA_07: &str =
    "select count_limit from quota where memorandum_id = $1 and province_code = '07'";

fn code(body: &Value) -> Option<&str> {
    body["error"]["code"].as_str()
}

both_engines!(
    a_quota_change_waits_for_a_second_person,
    |db: TestDb| async move {
        let app = app_with_four_eyes(db).await;
        demo_program(&app).await;
        let m = mehr_memorandum(&app).await;
        let province = login(&app, "province").await;
        let admin = login(&app, "admin").await;
        app.create_staff("province13", "province_admin", StaffScope::Province("13"))
            .await;
        let other_province = app.login("province13", TEST_PASSWORD).await;
        let social = login(&app, "social").await;
        let before = scalar(&app, QUOTA_07, m).await;
        let url = format!("/api/v1/memoranda/{m}/quotas/07");

        // refused at proposing time: the field error now, no proposal written
        let (status, err) = call(
            &app,
            Method::PUT,
            &province,
            &url,
            Some(json!({"count_limit": "بسیار", "amount_limit": 1000})),
        )
        .await;
        assert_eq!(status, 422, "{err}");
        assert_eq!(
            err["error"]["fields"]["count_limit"]["code"], "invalid_number",
            "{err}"
        );
        assert!(
            !err["error"]["fields"]["count_limit"]["message"]
                .as_str()
                .unwrap()
                .is_empty()
        );
        assert_eq!(app.count("change_proposal").await, 0);

        // proposed: 202, nothing changed
        let limits = json!({"count_limit": 300, "amount_limit": 900_000_000});
        let (status, proposed) =
            call(&app, Method::PUT, &province, &url, Some(limits.clone())).await;
        assert_eq!(status, 202, "{proposed}");
        let change = &proposed["change"];
        let id = change["id"].as_i64().unwrap();
        assert_eq!(change["action"], "quota");
        assert_eq!(change["subject"], format!("quota:{m}/07"));
        assert_eq!(change["status"], "pending");
        assert_eq!(change["body"]["count_limit"], "300");
        assert_eq!(scalar(&app, QUOTA_07, m).await, before);
        assert_eq!(audited(&app, "change.propose", id).await, 1);
        let (status, again) = call(&app, Method::PUT, &province, &url, Some(limits)).await;
        assert_eq!((status, code(&again)), (409, Some("proposal_pending")));

        // the proposer may not decide; others without the province's authority get 403
        let confirm = format!("/api/v1/changes/{id}/confirm");
        let (status, err) = call(&app, Method::POST, &province, &confirm, Some(json!({}))).await;
        assert_eq!((status, code(&err)), (403, Some("proposer_cannot_confirm")));
        for caller in [&other_province, &social] {
            let (status, _) = call(&app, Method::POST, caller, &confirm, Some(json!({}))).await;
            assert_eq!(status, 403);
            let (_, list) = call(&app, Method::GET, caller, "/api/v1/changes", None).await;
            assert!(list.as_array().is_none_or(|l| l.is_empty()), "{list}");
        }
        assert_eq!(scalar(&app, QUOTA_07, m).await, before);

        // the national admin sees it, may decide it, and confirms it
        let (_, list) = call(&app, Method::GET, &admin, "/api/v1/changes", None).await;
        assert_eq!(list[0]["id"], id, "{list}");
        assert_eq!(list[0]["may_decide"], true);
        let (status, done) = call(
            &app,
            Method::POST,
            &admin,
            &confirm,
            Some(json!({"note": "بررسی شد"})),
        )
        .await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(done["status"], "confirmed");
        assert_eq!(done["decided_by"], "admin");
        assert_eq!(scalar(&app, QUOTA_07, m).await, 300);
        assert_eq!(audited(&app, "change.confirm", id).await, 1);
        let quota_set: String = sqlx::query_scalar(
            "select detail from audit_log where action = 'quota.set' and entity_id = $1 \
             and actor_id = (select id from staff_user where username = 'admin')",
        )
        .bind(format!("{m}/07"))
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        assert!(quota_set.contains("\"count_limit\":300"), "{quota_set}");
        let (status, err) = call(&app, Method::POST, &admin, &confirm, Some(json!({}))).await;
        assert_eq!((status, code(&err)), (409, Some("proposal_decided")));

        // a rejected proposal changes nothing
        let (status, p) = call(
            &app,
            Method::PUT,
            &province,
            &url,
            Some(json!({"count_limit": 200, "amount_limit": 1})),
        )
        .await;
        assert_eq!(status, 202, "{p}");
        let rejected = p["change"]["id"].as_i64().unwrap();
        let (status, r) = call(
            &app,
            Method::POST,
            &admin,
            &format!("/api/v1/changes/{rejected}/reject"),
            Some(json!({"note": "نه"})),
        )
        .await;
        assert_eq!(status, 200, "{r}");
        assert_eq!(r["status"], "rejected");
        assert_eq!(scalar(&app, QUOTA_07, m).await, 300);
        assert_eq!(audited(&app, "change.reject", rejected).await, 1);

        // an expired one cannot be confirmed, and close of business marks it expired
        let (status, p) = call(
            &app,
            Method::PUT,
            &province,
            &url,
            Some(json!({"count_limit": 250, "amount_limit": 1})),
        )
        .await;
        assert_eq!(status, 202, "{p}");
        let expired = p["change"]["id"].as_i64().unwrap();
        sqlx::query("update change_proposal set expires_on = $1 where id = $2")
            .bind(iso(today() - Duration::days(1)))
            .bind(expired)
            .execute(app.db.db.pool())
            .await
            .unwrap();
        let confirm = format!("/api/v1/changes/{expired}/confirm");
        let (status, err) = call(&app, Method::POST, &admin, &confirm, Some(json!({}))).await;
        assert_eq!(
            (status, code(&err)),
            (409, Some("proposal_expired")),
            "{err}"
        );
        assert_eq!(scalar(&app, QUOTA_07, m).await, 300);
        let ctx = vamyar_app::Ctx::new(app.db.db.clone(), Default::default());
        vamyar_web::cob::run(&ctx, today(), "test").await.unwrap();
        let (_, p) = call(
            &app,
            Method::GET,
            &admin,
            &format!("/api/v1/changes/{expired}"),
            None,
        )
        .await;
        assert_eq!(p["status"], "expired", "{p}");
        assert_eq!(audited(&app, "change.expire", expired).await, 1);
        let (status, err) = call(&app, Method::POST, &admin, &confirm, Some(json!({}))).await;
        assert_eq!((status, code(&err)), (409, Some("proposal_expired")));
        assert_eq!(scalar(&app, QUOTA_07, m).await, 300);
    }
);

both_engines!(
    a_staff_role_change_waits_for_a_second_person,
    |db: TestDb| async move {
        let app = app_with_four_eyes(db).await;
        demo_program(&app).await;
        let clerk = app
            .create_staff("clerk2", "desk_clerk", StaffScope::County("07-15"))
            .await;
        let province = login(&app, "province").await;
        let admin = login(&app, "admin").await;
        app.create_staff("province13", "province_admin", StaffScope::Province("13"))
            .await;
        let other_province = app.login("province13", TEST_PASSWORD).await;
        let url = format!("/api/v1/staff/{clerk}");
        let role = "select role from staff_user where id = $1";

        // refused at proposing time
        let (status, err) = call(
            &app,
            Method::PUT,
            &province,
            &url,
            Some(json!({"full_name": "کارمند دوم", "role": "wizard", "county": "07-15"})),
        )
        .await;
        assert_eq!(status, 422, "{err}");
        assert_eq!(err["error"]["fields"]["role"]["code"], "invalid_choice");
        assert_eq!(app.count("change_proposal").await, 0);

        // a new role is proposed; nothing changes
        let edit = json!({"full_name": "کارمند دوم", "role": "social_worker", "county": "07-15"});
        let (status, p) = call(&app, Method::PUT, &province, &url, Some(edit)).await;
        assert_eq!(status, 202, "{p}");
        let id = p["change"]["id"].as_i64().unwrap();
        assert_eq!(p["change"]["subject"], format!("staff:{clerk}"));
        assert_eq!(p["change"]["province_code"], "07");
        assert_eq!(text(&app, role, clerk).await, "desk_clerk");

        // a new display name alone is no role change: saved at once
        let (status, s) = call(
            &app,
            Method::PUT,
            &province,
            &url,
            Some(json!({"full_name": "نام تازه", "role": "desk_clerk", "county": "07-15"})),
        )
        .await;
        assert_eq!(status, 200, "{s}");
        assert_eq!(s["full_name"], "نام تازه");
        assert_eq!(app.count("change_proposal").await, 1);

        // the proposer may not decide; a province admin elsewhere has no authority
        let confirm = format!("/api/v1/changes/{id}/confirm");
        let (status, err) = call(&app, Method::POST, &province, &confirm, Some(json!({}))).await;
        assert_eq!((status, code(&err)), (403, Some("proposer_cannot_confirm")));
        let (status, _) = call(
            &app,
            Method::POST,
            &other_province,
            &confirm,
            Some(json!({})),
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = call(
            &app,
            Method::GET,
            &other_province,
            &format!("/api/v1/changes/{id}"),
            None,
        )
        .await;
        assert_eq!(status, 403);
        assert_eq!(text(&app, role, clerk).await, "desk_clerk");

        // the national admin confirms: the role changes, on their authority, audited
        let (status, done) = call(&app, Method::POST, &admin, &confirm, Some(json!({}))).await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(text(&app, role, clerk).await, "social_worker");
        let admin_id = scalar(
            &app,
            "select id from staff_user where username = 'admin' and id > $1",
            0,
        )
        .await;
        let by = scalar(&app, "select actor_id from audit_log where action = 'staff.update' and entity_id = cast($1 as text) order by id desc limit 1", clerk).await;
        assert_eq!(by, admin_id);
        let confirmed = text(&app, "select detail from audit_log where action = 'change.confirm' and outcome = 'ok' and entity_id = cast($1 as text)", id).await;
        let proposer = scalar(
            &app,
            "select id from staff_user where username = 'province' and id > $1",
            0,
        )
        .await;
        assert!(
            confirmed.contains(&format!("\"proposed_by\":{proposer}")),
            "{confirmed}"
        );
    }
);

both_engines!(
    program_and_memorandum_changes_wait_for_another_national_admin,
    |db: TestDb| async move {
        let app = app_with_four_eyes(db).await;
        let program = demo_program(&app).await;
        let admin = login(&app, "admin").await;
        app.create_staff("admin2", "national_admin", StaffScope::All)
            .await;
        let admin2 = app.login("admin2", TEST_PASSWORD).await;
        let province = login(&app, "province").await;

        // a program closed: proposed, then confirmed by the second national admin
        let url = format!("/api/v1/programs/{program}");
        let (status, err) = call(
            &app,
            Method::PATCH,
            &admin,
            &url,
            Some(json!({"max_open_files_per_household": 99})),
        )
        .await;
        assert_eq!(status, 422, "{err}");
        assert_eq!(app.count("change_proposal").await, 0);
        let (status, p) = call(
            &app,
            Method::PATCH,
            &admin,
            &url,
            Some(json!({"is_active": false, "reason": "پایان سال"})),
        )
        .await;
        assert_eq!(status, 202, "{p}");
        assert_eq!(p["change"]["reason"], "پایان سال");
        let id = p["change"]["id"].as_i64().unwrap();
        let active = "select is_active from program where id = $1";
        assert_eq!(scalar(&app, active, program).await, 1);
        let confirm = format!("/api/v1/changes/{id}/confirm");
        let (status, _) = call(&app, Method::POST, &province, &confirm, Some(json!({}))).await;
        assert_eq!(status, 403);
        let (status, err) = call(&app, Method::POST, &admin, &confirm, Some(json!({}))).await;
        assert_eq!((status, code(&err)), (403, Some("proposer_cannot_confirm")));
        let (status, done) = call(&app, Method::POST, &admin2, &confirm, Some(json!({}))).await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(scalar(&app, active, program).await, 0);

        // a new memorandum: proposed, nothing signed until confirmed
        let bank = app.create_bank("tazeh").await;
        let memoranda = app.count("memorandum").await;
        let input = json!({"bank_id": bank, "program_id": program, "number": "M-77",
            "signed_on": iso(today()), "valid_from": iso(today()),
            "valid_to": iso(today() + Duration::days(300)),
            "quotas": [{"province_code": "07", "count_limit": 10, "amount_limit": 1_000_000_000}]});
        let (status, p) = call(
            &app,
            Method::POST,
            &admin2,
            "/api/v1/memoranda",
            Some(input),
        )
        .await;
        assert_eq!(status, 202, "{p}");
        assert_eq!(
            p["change"]["subject"],
            format!("memorandum:new:{bank}/{program}")
        );
        assert_eq!(app.count("memorandum").await, memoranda);
        let id = p["change"]["id"].as_i64().unwrap();
        let (status, done) = call(
            &app,
            Method::POST,
            &admin,
            &format!("/api/v1/changes/{id}/confirm"),
            Some(json!({})),
        )
        .await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(app.count("memorandum").await, memoranda + 1);
        let signed = scalar(
            &app,
            "select count(*) from memorandum where bank_id = $1 and number = 'M-77'",
            bank,
        )
        .await;
        assert_eq!(signed, 1);
    }
);

both_engines!(
    the_pages_say_a_second_person_must_confirm,
    |db: TestDb| async move {
        let app = app_with_four_eyes(db).await;
        demo_program(&app).await;
        let m = mehr_memorandum(&app).await;
        let mut province = Visitor::staff_login(&app, "province").await;
        let page = province.get(&app, "/admin/memoranda").await;
        let token = Visitor::token(&page);
        let sent = province
            .post(
                &app,
                &format!("/admin/memoranda/{m}/quota"),
                &[
                    ("csrf", &token),
                    ("memorandum_id", &m.to_string()),
                    ("province_code", "07"),
                    ("count_limit", "۳۰۰"),
                    ("amount_limit", "۹۰۰۰۰"),
                ],
            )
            .await;
        assert_eq!(sent.status, 303, "{}", sent.body);
        let back = sent.location.unwrap();
        assert!(back.ends_with("done=change_proposed"), "{back}");
        let shown = province.get(&app, &back).await;
        assert!(
            shown.body.contains("شخص دومی"),
            "the notice says a second person must confirm"
        );
        assert!(
            !shown.body.contains("تغییر ذخیره شد"),
            "never that it was saved"
        );
        assert_eq!(scalar(&app, QUOTA_07, m).await, 500);

        let mut admin = Visitor::staff_login(&app, "admin").await;
        let desk = admin.get(&app, "/desk/proposals").await;
        assert_eq!(desk.status, 200);
        assert!(
            desk.body.contains("تعیین سهمیهٔ استان"),
            "the act in Persian"
        );
        let id = scalar(&app, "select id from change_proposal where id > $1", 0).await;
        let action = format!("/desk/changes/{id}/confirm");
        assert!(desk.body.contains(&action), "a confirm form");
        let token = Visitor::token(&desk);
        let done = admin
            .post(&app, &action, &[("csrf", &token), ("note", "")])
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        assert!(done.location.unwrap().ends_with("done=change_confirmed"));
        assert_eq!(scalar(&app, QUOTA_07, m).await, 300);
    }
);
