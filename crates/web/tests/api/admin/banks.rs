//! Banks, branches, memoranda and provincial quotas.

use serde_json::{Value, json};
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use super::{admin, counts, get, login, post, program_body, put};
use crate::helpers::TestApp;

/// A program, a bank with one branch and a memorandum with quotas in provinces 07 and 13;
/// returns (program id, bank id, memorandum).
async fn bank_setup(app: &TestApp, token: &str) -> (i64, i64, Value) {
    let (status, program) = post(app, "/api/v1/programs", token, &program_body("emp-1405")).await;
    assert_eq!(status, 201, "{program}");
    let program_id = program["id"].as_i64().unwrap();
    let bank = json!({"code": "mehr", "name_fa": "بانک مهر ایران", "name_en": "Mehr Iran", "sheba_code": "۰۶۰"});
    let (status, bank) = post(app, "/api/v1/banks", token, &bank).await;
    assert_eq!(status, 201, "{bank}");
    assert_eq!(bank["sheba_code"], "060");
    let bank_id = bank["id"].as_i64().unwrap();
    let memo = json!({
        "bank_id": bank_id, "program_id": program_id, "number": "1405/mehr/1",
        "signed_on": "۱۴۰۵/۰۱/۱۵", "valid_from": "1405/01/15", "valid_to": "2027-03-20",
        "fee_rate_bp": 400, "term_months": 60, "grace_months": 6, "letter_validity_days": 30,
        "quotas": [
            {"province_code": "07", "count_limit": 100, "amount_limit": 200_000_000_000_i64},
            {"province_code": "13", "count_limit": 10, "amount_limit": "20,000,000,000"}
        ]
    });
    let (status, memo) = post(app, "/api/v1/memoranda", token, &memo).await;
    assert_eq!(status, 201, "{memo}");
    (program_id, bank_id, memo)
}

both_engines!(
    banks_branches_and_memoranda_with_quotas,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let token = admin(&app).await;
        let (program_id, bank_id, memo) = bank_setup(&app, &token).await;
        assert_eq!(
            memo["signed_on"], "2026-04-04",
            "Jalali dates stored as ISO"
        );
        assert_eq!(memo["valid_from"], "2026-04-04");
        let quotas = memo["quotas"].as_array().unwrap();
        assert_eq!(quotas.len(), 2);
        assert_eq!(quotas[1]["province_code"], "13");
        assert_eq!(quotas[1]["amount_limit"], 20_000_000_000_i64);
        assert_eq!(quotas[1]["count_remaining"], 10);

        let dup = json!({"code": "MEHR", "name_fa": "مهر", "name_en": "Mehr"});
        let (status, answer) = post(&app, "/api/v1/banks", &token, &dup).await;
        assert_eq!(status, 409, "{answer}");
        assert_eq!(answer["error"]["code"], "bank_code_taken");

        let branches = format!("/api/v1/banks/{bank_id}/branches");
        let branch = json!({"code": "101", "name_fa": "شعبه مرکزی", "name_en": "Central",
            "province_code": "07", "county_code": "07-15"});
        let (status, created) = post(&app, &branches, &token, &branch).await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["county_code"], "07-15");
        let (status, answer) = post(&app, &branches, &token, &branch).await;
        assert_eq!(status, 409);
        assert_eq!(answer["error"]["code"], "branch_code_taken");
        for (province, county, field, code) in [
            ("07", "13-01", "county_code", "county_not_in_province"),
            ("99", "07-15", "province_code", "unknown_province"),
            ("07", "07-99", "county_code", "unknown_county"),
        ] {
            let mut b = branch.clone();
            b["code"] = json!("102");
            b["province_code"] = json!(province);
            b["county_code"] = json!(county);
            let (status, answer) = post(&app, &branches, &token, &b).await;
            assert_eq!(status, 422, "{answer}");
            assert_eq!(answer["error"]["fields"][field]["code"], code, "{answer}");
        }
        let (status, _) = post(&app, "/api/v1/banks/999999/branches", &token, &branch).await;
        assert_eq!(status, 404);

        let tables = ["memorandum", "quota"];
        let before = counts(&app, &tables).await;
        let mut again = json!({
            "bank_id": bank_id, "program_id": program_id, "number": "2",
            "signed_on": "2026-04-01", "valid_from": "2026-04-01", "valid_to": "2027-03-20",
            "quotas": [{"province_code": "07", "count_limit": 1, "amount_limit": 1}]
        });
        let (status, answer) = post(&app, "/api/v1/memoranda", &token, &again).await;
        assert_eq!(status, 409, "{answer}");
        assert_eq!(answer["error"]["code"], "memorandum_exists");
        again["valid_to"] = json!("2026-03-01");
        again["signed_on"] = json!("1405/13/01");
        again["program_id"] = json!(999_999);
        again["quotas"][0]["province_code"] = json!("99");
        let (status, answer) = post(&app, "/api/v1/memoranda", &token, &again).await;
        assert_eq!(status, 422, "{answer}");
        let fields = &answer["error"]["fields"];
        assert_eq!(fields["valid_to"]["code"], "date_range_reversed");
        assert_eq!(fields["signed_on"]["code"], "date_month_invalid");
        assert_eq!(fields["program_id"]["code"], "unknown_program");
        assert_eq!(
            fields["quotas[0].province_code"]["code"],
            "unknown_province"
        );
        assert_eq!(counts(&app, &tables).await, before, "nothing written");

        let worker = login(&app, "social_worker", Some("07"), Some("07-15"), None).await;
        let (status, banks) = get(&app, "/api/v1/banks", &worker).await;
        assert_eq!(status, 200);
        let mehr = &banks.as_array().unwrap()[0];
        assert_eq!(mehr["code"], "mehr");
        assert_eq!(mehr["branches"][0]["code"], "101");
        assert_eq!(mehr["memoranda"][0]["quotas"][0]["count_limit"], 100);
        let (status, memoranda) = get(&app, "/api/v1/memoranda", &worker).await;
        assert_eq!(status, 200);
        assert_eq!(memoranda.as_array().unwrap().len(), 1);

        let other = json!({"code": "resalat", "name_fa": "رسالت", "name_en": "Resalat"});
        let (status, other) = post(&app, "/api/v1/banks", &token, &other).await;
        assert_eq!(status, 201);
        let officer = login(&app, "bank_officer", None, None, other["id"].as_i64()).await;
        let (status, seen) = get(&app, "/api/v1/banks", &officer).await;
        assert_eq!(status, 200);
        let seen = seen.as_array().unwrap();
        assert_eq!(seen.len(), 1, "a bank officer sees only their bank");
        assert_eq!(seen[0]["code"], "resalat");
        let (_, memoranda) = get(&app, "/api/v1/memoranda", &officer).await;
        assert_eq!(memoranda, json!([]));
        let (status, _) = post(&app, "/api/v1/banks", &officer, &dup).await;
        assert_eq!(status, 403);
    }
);

both_engines!(
    a_province_admin_sets_only_their_own_provinces_quota,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let token = admin(&app).await;
        let (_, _, memo) = bank_setup(&app, &token).await;
        let id = memo["id"].as_i64().unwrap();
        let tehran = login(&app, "province_admin", Some("07"), None, None).await;
        let limits = json!({"count_limit": 150, "amount_limit": "300,000,000,000"});
        let (status, quota) = put(
            &app,
            &format!("/api/v1/memoranda/{id}/quotas/07"),
            &tehran,
            &limits,
        )
        .await;
        assert_eq!(status, 200, "{quota}");
        assert_eq!(quota["count_limit"], 150);
        assert_eq!(quota["amount_limit"], 300_000_000_000_i64);
        let (status, _) = put(
            &app,
            &format!("/api/v1/memoranda/{id}/quotas/13"),
            &tehran,
            &limits,
        )
        .await;
        assert_eq!(status, 403, "another province's quota");
        let (status, _) = put(
            &app,
            &format!("/api/v1/memoranda/{id}/quotas/99"),
            &tehran,
            &limits,
        )
        .await;
        assert_eq!(status, 404, "no such province");
        let (status, _) = put(&app, "/api/v1/memoranda/999999/quotas/07", &tehran, &limits).await;
        assert_eq!(status, 404, "no such memorandum");
        let worker = login(&app, "social_worker", Some("07"), Some("07-15"), None).await;
        let (status, _) = put(
            &app,
            &format!("/api/v1/memoranda/{id}/quotas/07"),
            &worker,
            &limits,
        )
        .await;
        assert_eq!(status, 403);
        // the national admin may set any province, including one without a quota yet
        let (status, quota) = put(
            &app,
            &format!("/api/v1/memoranda/{id}/quotas/۰۸"),
            &token,
            &limits,
        )
        .await;
        assert_eq!(status, 200, "{quota}");
        assert_eq!(quota["province_code"], "08");
        let (_, memoranda) = get(&app, "/api/v1/memoranda", &token).await;
        assert_eq!(memoranda[0]["quotas"].as_array().unwrap().len(), 3);
        let bad = json!({"count_limit": -1, "amount_limit": 5});
        let (status, answer) = put(
            &app,
            &format!("/api/v1/memoranda/{id}/quotas/07"),
            &tehran,
            &bad,
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(
            answer["error"]["fields"]["count_limit"]["code"],
            "out_of_range"
        );
    }
);

both_engines!(
    a_quota_cannot_fall_below_what_is_used,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let token = admin(&app).await;
        let (_, _, memo) = bank_setup(&app, &token).await;
        let id = memo["id"].as_i64().unwrap();
        sqlx::query(
            "update quota set count_used = 40, amount_used = 80000000000 \
             where memorandum_id = $1 and province_code = '07'",
        )
        .bind(id)
        .execute(app.db.db.pool())
        .await
        .unwrap();
        let audit_before = app.count("audit_log").await;
        let path = format!("/api/v1/memoranda/{id}/quotas/07");
        let lower = json!({"count_limit": 39, "amount_limit": 80_000_000_000_i64});
        let (status, answer) = put(&app, &path, &token, &lower).await;
        assert_eq!(status, 422, "{answer}");
        let fields = &answer["error"]["fields"];
        assert_eq!(fields["count_limit"]["code"], "quota_below_used");
        assert!(
            fields["count_limit"]["message"]
                .as_str()
                .unwrap()
                .contains("۴۰"),
            "{answer}"
        );
        assert!(
            fields.get("amount_limit").is_none(),
            "the amount is still enough"
        );
        let (_, memoranda) = get(&app, "/api/v1/memoranda", &token).await;
        assert_eq!(memoranda[0]["quotas"][0]["count_limit"], 100, "unchanged");
        assert_eq!(app.count("audit_log").await, audit_before);
        let exact = json!({"count_limit": 40, "amount_limit": 80_000_000_000_i64});
        let (status, quota) = put(&app, &path, &token, &exact).await;
        assert_eq!(status, 200, "{quota}");
        assert_eq!(quota["count_remaining"], 0);
        assert_eq!(app.count("audit_log").await, audit_before + 1);
    }
);
