//! Health, metrics, OpenAPI, reference data and the error shapes.

use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;

both_engines!(health_reports_the_engine, |db: TestDb| async move {
    let engine = db.db.backend().name();
    let app = TestApp::spawn(db).await;
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("x-request-id"));
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], engine);
});

both_engines!(
    provinces_list_all_31_with_their_counties,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let body: serde_json::Value = app
            .client
            .get(app.url("/api/v1/provinces"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let provinces = body.as_array().unwrap();
        assert_eq!(provinces.len(), 31);
        let tehran = provinces.iter().find(|p| p["code"] == "07").unwrap();
        assert_eq!(tehran["name_fa"], "تهران");
        assert!(
            tehran["counties"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["code"] == "07-15" && c["name_en"] == "Tehran")
        );
        let deprived = provinces
            .iter()
            .flat_map(|p| p["counties"].as_array().unwrap())
            .filter(|c| c["deprived"] == true)
            .count();
        assert!(deprived > 0, "the deprived sample is seeded");
    }
);

both_engines!(
    unknown_api_paths_get_a_json_404_and_pages_an_html_one,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let res = app
            .client
            .get(app.url("/api/v1/no-such-thing"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found");
        assert_eq!(body["error"]["message"], "موردی که خواستید پیدا نشد.");

        let res = app
            .client
            .get(app.url("/api/v1/no-such-thing"))
            .header("accept-language", "en")
            .send()
            .await
            .unwrap();
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(
            body["error"]["message"],
            "What you asked for was not found."
        );

        let res = app
            .client
            .get(app.url("/no-such-page"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let html = res.text().await.unwrap();
        assert!(
            html.contains("dir=\"rtl\"") && html.contains("پیدا نشد"),
            "{html}"
        );
    }
);

both_engines!(
    a_wrong_method_is_405_in_the_error_shape,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let res = app
            .client
            .delete(app.url("/api/v1/provinces"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 405);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "method_not_allowed");
    }
);

both_engines!(metrics_count_requests_by_route, |db: TestDb| async move {
    let app = TestApp::spawn_with(db, |s| {
        crate::security::configured(s, |c| {
            c.metrics_token = vamyar_web::routes::messages::InboundSecret::new("scrape-token")
        })
    })
    .await;
    app.client.get(app.url("/healthz")).send().await.unwrap();
    let status = |token: Option<&'static str>| {
        let mut req = app.client.get(app.url("/metrics"));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        async move { req.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(status(None).await, 401, "no token");
    assert_eq!(status(Some("wrong")).await, 401);
    let text = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("scrape-token")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains(
            "vamyar_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"
        ),
        "{text}"
    );
});

both_engines!(
    metrics_are_off_without_a_configured_token,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let res = app.client.get(app.url("/metrics")).send().await.unwrap();
        assert_eq!(res.status(), 404);
    }
);

both_engines!(openapi_describes_the_api, |db: TestDb| async move {
    let app = TestApp::spawn(db).await;
    let doc: serde_json::Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/provinces"]["get"].is_object());
    assert!(doc["paths"]["/healthz"]["get"].is_object());
});
