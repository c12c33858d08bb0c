//! Reports over HTTP: the list, a report as JSON, the CSV and XLSX downloads, and the
//! refusals (a bad or out-of-scope filter 422 naming the field in Persian, county staff 403,
//! an unknown report 404).

use reqwest::Method;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;
use crate::journey::{call, demo_program, login};

both_engines!(reports_answer_json_csv_and_xlsx, |db: TestDb| async move {
    let app = TestApp::spawn(db).await;
    demo_program(&app).await;
    let admin = login(&app, "admin").await;
    let (status, list) = call(&app, Method::GET, &admin, "/api/v1/reports", None).await;
    assert_eq!(status, 200, "{list}");
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "funnel",
            "disbursements",
            "quotas",
            "portfolio",
            "jobs",
            "priority"
        ]
    );
    let (status, quotas) = call(&app, Method::GET, &admin, "/api/v1/reports/quotas", None).await;
    assert_eq!(status, 200, "{quotas}");
    let table = &quotas["tables"][0];
    assert_eq!(table["columns"][0]["title"], "تفاهم‌نامه");
    assert_eq!(table["columns"][3]["kind"], "count");
    // the demo: two memoranda with a quota in each of the 31 provinces
    assert_eq!(table["rows"].as_array().unwrap().len(), 62);

    let res = app
        .client
        .get(app.url("/api/v1/reports/portfolio?format=csv"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"report-portfolio-"),
        "{disposition}"
    );
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let body = res.bytes().await.unwrap();
    assert!(body.starts_with("\u{feff}".as_bytes()));
    assert!(String::from_utf8_lossy(&body).contains("مانده اصل (ریال)"));

    let res = app
        .client
        .get(app.url("/api/v1/reports/disbursements?format=xlsx&lang=en"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
});

both_engines!(report_refusals, |db: TestDb| async move {
    let app = TestApp::spawn(db).await;
    demo_program(&app).await;
    let admin = login(&app, "admin").await;
    let (status, bad) = call(
        &app,
        Method::GET,
        &admin,
        "/api/v1/reports/funnel?from=1405/13/40&gender=x",
        None,
    )
    .await;
    assert_eq!(status, 422, "{bad}");
    assert!(bad["error"]["fields"]["from"].is_object(), "{bad}");
    assert_eq!(bad["error"]["fields"]["gender"]["code"], "invalid_choice");
    let province = login(&app, "province").await;
    let (status, out) = call(
        &app,
        Method::GET,
        &province,
        "/api/v1/reports/priority?province=13",
        None,
    )
    .await;
    assert_eq!(status, 422, "{out}");
    let field = &out["error"]["fields"]["province"];
    assert_eq!(field["code"], "outside_your_scope");
    assert!(
        field["message"].as_str().unwrap().contains("حوزهٔ کاری"),
        "{out}"
    );
    let head = login(&app, "head").await;
    let (status, _) = call(&app, Method::GET, &head, "/api/v1/reports/funnel", None).await;
    assert_eq!(status, 403);
    let (status, _) = call(&app, Method::GET, &admin, "/api/v1/reports/nothing", None).await;
    assert_eq!(status, 404);
});
