//! Counties' deprived flag and the holiday calendar.

use serde_json::{Value, json};
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use super::{admin, call, get, login, post, put};
use crate::helpers::TestApp;

async fn deprived_in_provinces(app: &TestApp, county: &str) -> bool {
    let (status, provinces) =
        call(app, reqwest::Method::GET, "/api/v1/provinces", None, None).await;
    assert_eq!(status, 200);
    provinces
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["counties"].as_array().unwrap())
        .find(|c| c["code"] == county)
        .map(|c| c["deprived"].as_bool().unwrap())
        .unwrap()
}

both_engines!(
    a_countys_deprived_flag_toggles_and_shows_in_provinces,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let token = admin(&app).await;
        assert!(!deprived_in_provinces(&app, "07-15").await);
        let (status, county) = put(
            &app,
            "/api/v1/counties/07-15",
            &token,
            &json!({"deprived": true}),
        )
        .await;
        assert_eq!(status, 200, "{county}");
        assert_eq!(county["deprived"], true);
        assert!(deprived_in_provinces(&app, "07-15").await);
        let (status, _) = put(
            &app,
            "/api/v1/counties/۰۷-۱۵",
            &token,
            &json!({"deprived": false}),
        )
        .await;
        assert_eq!(status, 200, "Persian digits in the code");
        assert!(!deprived_in_provinces(&app, "07-15").await);

        let (status, _) = put(
            &app,
            "/api/v1/counties/07-99",
            &token,
            &json!({"deprived": true}),
        )
        .await;
        assert_eq!(status, 404);
        let (status, answer) = put(
            &app,
            "/api/v1/counties/07-15",
            &token,
            &json!({"deprived": "yes"}),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(
            answer["error"]["fields"]["deprived"]["code"],
            "invalid_value"
        );
        let province = login(&app, "province_admin", Some("07"), None, None).await;
        let (status, _) = put(
            &app,
            "/api/v1/counties/07-15",
            &province,
            &json!({"deprived": true}),
        )
        .await;
        assert_eq!(status, 403);
        assert!(!deprived_in_provinces(&app, "07-15").await);
    }
);

fn dates(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap().to_string())
        .collect()
}

both_engines!(
    holidays_are_added_listed_and_deleted,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let token = admin(&app).await;
        let holiday = json!({"date": "۱۴۰۵/۰۲/۱۰", "name_fa": "تعطیل نمونه",
            "name_en": "Sample holiday", "kind": "lunar"});
        let (status, created) = post(&app, "/api/v1/holidays", &token, &holiday).await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["date"], "2026-04-30");
        let (status, answer) = post(&app, "/api/v1/holidays", &token, &holiday).await;
        assert_eq!(status, 409);
        assert_eq!(answer["error"]["code"], "holiday_exists");
        let mut bad = holiday.clone();
        bad["kind"] = json!("religious");
        bad["date"] = json!("1404/12/30");
        let (status, answer) = post(&app, "/api/v1/holidays", &token, &bad).await;
        assert_eq!(status, 422);
        assert_eq!(answer["error"]["fields"]["kind"]["code"], "invalid_choice");
        assert_eq!(
            answer["error"]["fields"]["date"]["code"],
            "date_does_not_exist"
        );

        let worker = login(&app, "social_worker", Some("07"), Some("07-15"), None).await;
        let (status, list) = get(
            &app,
            "/api/v1/holidays?from=2026-04-01&to=1405/02/31",
            &worker,
        )
        .await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(dates(&list), vec!["2026-04-01", "2026-04-02", "2026-04-30"]);
        let (status, answer) = get(
            &app,
            "/api/v1/holidays?from=2026-05-01&to=2026-04-01",
            &worker,
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(
            answer["error"]["fields"]["to"]["code"],
            "date_range_reversed"
        );
        let (status, _) = post(&app, "/api/v1/holidays", &worker, &holiday).await;
        assert_eq!(status, 403);
        let (status, _) = call(
            &app,
            reqwest::Method::DELETE,
            "/api/v1/holidays/2026-04-30",
            Some(&worker),
            None,
        )
        .await;
        assert_eq!(status, 403);

        let (status, _) = call(
            &app,
            reqwest::Method::DELETE,
            "/api/v1/holidays/2026-04-30",
            Some(&token),
            None,
        )
        .await;
        assert_eq!(status, 204);
        let (status, _) = call(
            &app,
            reqwest::Method::DELETE,
            "/api/v1/holidays/2026-04-30",
            Some(&token),
            None,
        )
        .await;
        assert_eq!(status, 404);
        let (_, list) = get(
            &app,
            "/api/v1/holidays?from=2026-04-01&to=2026-05-21",
            &worker,
        )
        .await;
        assert_eq!(dates(&list), vec!["2026-04-01", "2026-04-02"]);
        let (status, _) = call(&app, reqwest::Method::GET, "/api/v1/holidays", None, None).await;
        assert_eq!(status, 401);
    }
);
