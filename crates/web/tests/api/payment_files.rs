//! `POST /api/v1/payments/import`: a bank officer's payment file, posted row by row by the
//! command line's own function, answered with a report line by line; a file refused whole
//! posts nothing; only bank officers, and only for loans of their own bank.

use reqwest::Method;
use serde_json::Value;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::{StaffScope, TEST_PASSWORD, TestApp};
use crate::journey::demo_program;
use crate::loans::{bank_approved, disburse, iso, pay, staff, today};

/// Sends `csv` as the multipart field `file`; returns the status and the JSON answer.
pub async fn send_file(app: &TestApp, token: &str, csv: Vec<u8>, lang: &str) -> (u16, Value) {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv).file_name("payments.csv"),
    );
    let res = app
        .client
        .request(Method::POST, app.url("/api/v1/payments/import"))
        .bearer_auth(token)
        .header("accept-language", lang)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn payments(app: &TestApp) -> i64 {
    app.count("payment").await
}

both_engines!(
    a_payment_file_reports_each_line_and_posts_the_good_ones,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let (id, version) = bank_approved(&app, &s, program, "1583250689", 300).await;
        let loan = disburse(&app, &s, id, version, "C-55", 300).await;
        let (status, _) = pay(&app, &s.bank, loan, 2_000_000, today(), "REF-0").await;
        assert_eq!(status, 201);
        let csv = format!(
            "\u{feff}contract_number,bank_reference,amount,paid_on\n\
             C-55,REF-1,۵٬۰۰۰٬۰۰۰,{today}\n\
             C-55,REF-2,five million,{today}\n\
             C-55,REF-0,2000000,{today}\n",
            today = iso(today())
        );

        // authority first: nobody but a bank officer, whatever the body
        let (status, _) = send_file(&app, &s.expert, csv.clone().into_bytes(), "fa").await;
        assert_eq!(status, 403);
        assert_eq!(payments(&app).await, 1);

        let (status, report) = send_file(&app, &s.bank, csv.clone().into_bytes(), "fa").await;
        assert_eq!(status, 200, "{report}");
        let lines = report["lines"].as_array().unwrap();
        let outcomes: Vec<(i64, &str, &str)> = lines
            .iter()
            .map(|l| {
                (
                    l["line"].as_i64().unwrap(),
                    l["bank_reference"].as_str().unwrap(),
                    l["outcome"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            outcomes,
            [
                (2, "REF-1", "posted"),
                (3, "REF-2", "refused"),
                (4, "REF-0", "repeat")
            ]
        );
        assert_eq!(lines[0]["amount"], 5_000_000);
        assert!(lines[0].get("code").is_none());
        assert_eq!(lines[1]["code"], "validation_failed");
        assert_eq!(lines[1]["fields"]["amount"]["code"], "amount_not_a_number");
        let message = lines[1]["message"].as_str().unwrap();
        assert!(
            message.starts_with("amount: ")
                && message
                    .chars()
                    .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
            "a Persian reason: {message}"
        );
        assert_eq!(
            report["totals"],
            serde_json::json!({"rows": 3, "posted": 1, "repeated": 1, "refused": 1})
        );
        assert_eq!(report["bank_code"], "mehr");
        let stored: (String, i64, String, Option<i64>) = sqlx::query_as(
            "select bank_reference, amount, channel, posted_by_staff_id from payment \
             order by id desc limit 1",
        )
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        assert_eq!(
            (stored.0.as_str(), stored.1, stored.2.as_str()),
            ("REF-1", 5_000_000, "file")
        );
        assert!(stored.3.is_some(), "the officer is recorded");
        let audited: Vec<(String, String)> = sqlx::query_as(
            "select actor_kind, detail from audit_log where action = 'payments.import' \
             and outcome = 'ok'",
        )
        .fetch_all(app.db.db.pool())
        .await
        .unwrap();
        assert_eq!(audited.len(), 1);
        assert_eq!(audited[0].0, "staff");
        let detail: Value = serde_json::from_str(&audited[0].1).unwrap();
        assert_eq!(
            (detail["posted"].as_i64(), detail["refused"].as_i64()),
            (Some(1), Some(1))
        );

        // again, in English: the good row is now a repeat, nothing new is posted
        let (status, again) = send_file(&app, &s.bank, csv.into_bytes(), "en").await;
        assert_eq!(status, 200);
        assert_eq!(
            again["totals"],
            serde_json::json!({"rows": 3, "posted": 0, "repeated": 2, "refused": 1})
        );
        assert!(
            again["lines"][1]["message"]
                .as_str()
                .unwrap()
                .starts_with("amount: ")
        );
        assert_eq!(payments(&app).await, 2);

        // another bank's officer cannot reach this bank's contract; a short row is named
        let other_bank: i64 = sqlx::query_scalar("select id from bank where code = 'resalat'")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        app.create_staff(
            "resalat-officer",
            "bank_officer",
            StaffScope::Bank(other_bank),
        )
        .await;
        let other = app.login("resalat-officer", TEST_PASSWORD).await;
        let csv = format!(
            "contract_number,bank_reference,amount,paid_on\nC-55,REF-9,1000,{}\nC-55,REF-8\n",
            iso(today())
        );
        let (status, report) = send_file(&app, &other, csv.into_bytes(), "en").await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(
            report["lines"][0]["fields"]["contract_number"]["code"],
            "unknown_contract"
        );
        assert_eq!(report["lines"][1]["code"], "csv_field_count");
        assert_eq!(report["lines"][1]["line"], 3);
        assert_eq!(payments(&app).await, 2);
    }
);

both_engines!(
    a_file_refused_whole_posts_nothing,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let (id, version) = bank_approved(&app, &s, program, "1583250689", 300).await;
        disburse(&app, &s, id, version, "C-56", 300).await;
        let today = iso(today());
        for (csv, code) in [
            (
                format!("reference,amount\nREF-Z,10,{today}\n").into_bytes(),
                "csv_header",
            ),
            (vec![0xff, 0xfe, 0x00, 0x41], "csv_not_utf8"),
            (Vec::new(), "file_empty"),
            (
                {
                    let mut s = String::from("contract_number,bank_reference,amount,paid_on\n");
                    for i in 0..1001 {
                        s.push_str(&format!("C-56,R-{i},1000,{today}\n"));
                    }
                    s.into_bytes()
                },
                "csv_too_many_rows",
            ),
        ] {
            let (status, body) = send_file(&app, &s.bank, csv, "fa").await;
            assert_eq!(status, 422, "{code}: {body}");
            assert_eq!(body["error"]["fields"]["file"]["code"], code);
        }
        let (status, _) = send_file(&app, &s.bank, vec![b'a'; 1024 * 1024 + 1], "fa").await;
        assert_eq!(status, 413);
        let (status, _) = app
            .call(
                Method::POST,
                "/api/v1/payments/import",
                &s.bank,
                Some(&serde_json::json!({})),
            )
            .await;
        assert_eq!(status, 415, "not multipart");
        assert_eq!(payments(&app).await, 0);
    }
);

both_engines!(
    a_payment_file_with_windows_line_endings_reports_the_files_own_line_numbers,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let (id, version) = bank_approved(&app, &s, program, "1583250689", 300).await;
        disburse(&app, &s, id, version, "C-56", 300).await;
        let today = iso(today());
        // CRLF endings, a blank line and a quoted reference spanning two lines
        let csv = format!(
            "\u{feff}contract_number,bank_reference,amount,paid_on\r\n\
             C-56,W-1,5000000,{today}\r\n\
             \r\n\
             C-56,W-2,bad,{today}\r\n\
             C-56,\"W-3\r\nX\",5000000,{today}\r\n\
             C-56,W-4,five,{today}\r\n"
        );
        let (status, report) = send_file(&app, &s.bank, csv.into_bytes(), "en").await;
        assert_eq!(status, 200, "{report}");
        let lines: Vec<(i64, &str)> = report["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["line"].as_i64().unwrap(), l["outcome"].as_str().unwrap()))
            .collect();
        assert_eq!(lines[0], (2, "posted"));
        assert_eq!(lines[1], (4, "refused"));
        assert_eq!(lines[2].0, 5);
        assert_eq!(lines[3], (7, "refused"));
    }
);
