//! Bad values get 422 with the field named and a Persian message, and write nothing.

use serde_json::json;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;

fn good_applicant() -> serde_json::Value {
    json!({
        "national_id": "0076229645", "first_name": "زهرا", "last_name": "احمدي",
        "father_name": "علی", "birth_date": "۱۳۷۰/۰۵/۱۲", "gender": "female",
        "mobile": "+98 912 123 4567", "province": "07", "county": "07-15",
        "female_head_of_household": true, "household_size": "۳", "income_decile": 2,
        "beneficiary_status": "supported", "sheba": "IR820540102680020817909002"
    })
}

both_engines!(
    valid_details_come_back_normalised,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let (status, body) = app
            .post_json("/api/v1/applicants/validate", &good_applicant())
            .await;
        assert_eq!(status, 200, "{body}");
        let a = &body["applicant"];
        assert_eq!(a["mobile"], "09121234567");
        assert_eq!(a["last_name"], "احمدی", "Arabic yeh becomes Persian yeh");
        assert_eq!(a["birth_date"], "1991-08-03");
        assert_eq!(a["household_size"], 3);
    }
);

both_engines!(
    each_bad_field_is_named_with_a_persian_message_and_nothing_is_written,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let tables = ["person", "application", "audit_log", "outbox"];
        let mut before = Vec::new();
        for t in tables {
            before.push(app.count(t).await);
        }
        let cases = [
            (
                "national_id",
                json!("0076229646"),
                "national_id_check_digit",
            ),
            ("mobile", json!("0912123"), "mobile_malformed"),
            (
                "sheba",
                json!("IR012345678901234567890123"),
                "sheba_checksum",
            ),
            ("birth_date", json!("1404/12/30"), "date_does_not_exist"),
            ("county", json!("13-24"), "county_not_in_province"),
            ("gender", json!("other"), "invalid_choice"),
            ("household_size", json!(0), "out_of_range"),
        ];
        for (field, value, code) in cases {
            let mut body = good_applicant();
            body[field] = value;
            let (status, answer) = app.post_json("/api/v1/applicants/validate", &body).await;
            assert_eq!(status, 422, "{field}: {answer}");
            assert_eq!(answer["error"]["code"], "validation_failed");
            let f = &answer["error"]["fields"][field];
            assert_eq!(f["code"], code, "{field}: {answer}");
            let message = f["message"].as_str().unwrap();
            assert!(
                message
                    .chars()
                    .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
                "Persian message for {field}: {message}"
            );
        }
        for (t, n) in tables.iter().zip(before) {
            assert_eq!(app.count(t).await, n, "{t} unchanged");
        }
    }
);

both_engines!(
    missing_fields_and_broken_json_are_explained,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let (status, body) = app
            .post_json("/api/v1/applicants/validate", &json!({"first_name": "x"}))
            .await;
        assert_eq!(status, 422);
        for f in [
            "national_id",
            "last_name",
            "gender",
            "mobile",
            "province",
            "county",
        ] {
            assert_eq!(
                body["error"]["fields"][f]["code"], "required",
                "{f}: {body}"
            );
        }
        let res = app
            .client
            .post(app.url("/api/v1/applicants/validate"))
            .header("content-type", "application/json")
            .body("{\"first_name\": ")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_json");
        let res = app
            .client
            .post(app.url("/api/v1/applicants/validate"))
            .body("x=1")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 415);
        let (status, body) = app
            .post_json("/api/v1/applicants/validate", &json!({"nationalid": "1"}))
            .await;
        assert_eq!(status, 422, "unknown fields are refused: {body}");
    }
);

both_engines!(english_messages_on_request, |db: TestDb| async move {
    let app = TestApp::spawn(db).await;
    let mut body = good_applicant();
    body["national_id"] = json!("0076229646");
    let res = app
        .client
        .post(app.url("/api/v1/applicants/validate"))
        .header("accept-language", "en-GB,en;q=0.8")
        .json(&body)
        .send()
        .await
        .unwrap();
    let answer: serde_json::Value = res.json().await.unwrap();
    assert!(
        answer["error"]["fields"]["national_id"]["message"]
            .as_str()
            .unwrap()
            .contains("check digit")
    );
});
