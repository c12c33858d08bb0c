//! The queue and the bank's inbox a page at a time over HTTP: `Link: <…>; rel="next"` leads
//! to the next page until the last, every file appears once, and a bad cursor is a 422 in the
//! JSON error envelope.

use serde_json::Value;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;
use crate::journey::{call, demo_program, login, registration};
use crate::loans::{bank_approved, staff};

/// The `rel="next"` URL of a response's `Link` header.
fn next_link(res: &reqwest::Response) -> Option<String> {
    let link = res.headers().get("link")?.to_str().ok()?;
    let (url, rel) = link.split_once(';')?;
    assert_eq!(rel.trim(), "rel=\"next\"");
    Some(
        url.trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_string(),
    )
}

both_engines!(queue_pages_follow_the_link, |db: TestDb| async move {
    let app = TestApp::spawn(db).await;
    let program = demo_program(&app).await;
    let desk = login(&app, "desk").await;
    let mut registered = Vec::new();
    for nid in ["0012345679", "0023456787", "0034567895", "0045678911"] {
        let (status, body) = call(
            &app,
            reqwest::Method::POST,
            &desk,
            "/api/v1/applications",
            Some(registration(program, nid)),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        registered.push(body["id"].as_i64().unwrap());
    }
    let head = login(&app, "head").await;
    let mut url = app.url("/api/v1/applications?limit=3");
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let res = app
            .client
            .get(&url)
            .bearer_auth(&head)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let next = next_link(&res);
        let body: Value = res.json().await.unwrap();
        seen.extend(
            body.as_array()
                .unwrap()
                .iter()
                .map(|f| f["id"].as_i64().unwrap()),
        );
        pages += 1;
        match next {
            Some(n) => {
                assert!(n.starts_with("/api/v1/applications?"), "{n}");
                assert!(n.contains("limit=3"), "{n}");
                url = app.url(&n);
            }
            None => break,
        }
    }
    assert_eq!(pages, 2);
    let mut sorted = seen.clone();
    sorted.sort();
    registered.sort();
    assert_eq!(sorted, registered, "every file once");

    let res = app
        .client
        .get(app.url("/api/v1/applications?after=nonsense"))
        .bearer_auth(&head)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "validation_failed", "{body}");
});

both_engines!(the_bank_inbox_is_paged, |db: TestDb| async move {
    let app = TestApp::spawn(db).await;
    let program = demo_program(&app).await;
    let s = staff(&app).await;
    let mut files = Vec::new();
    for nid in ["0012345679", "0023456787", "0034567895"] {
        files.push(bank_approved(&app, &s, program, nid, 0).await.0);
    }
    // Newest first, two a page.
    let mut url = app.url("/api/v1/referrals?limit=2");
    let mut seen = Vec::new();
    loop {
        let res = app
            .client
            .get(&url)
            .bearer_auth(&s.bank)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let next = next_link(&res);
        let body: Value = res.json().await.unwrap();
        for r in body.as_array().unwrap() {
            assert!(r["tracking_code"].as_str().unwrap().len() >= 12, "{r}");
            assert_eq!(r["state"], "bank_approved");
            seen.push(r["application_id"].as_i64().unwrap());
        }
        match next {
            Some(n) => url = app.url(&n),
            None => break,
        }
    }
    let mut newest_first = files.clone();
    newest_first.reverse();
    assert_eq!(seen, newest_first);

    // The bank officer's queue holds the files referred to the bank.
    let (status, queue) = call(
        &app,
        reqwest::Method::GET,
        &s.bank,
        "/api/v1/applications",
        None,
    )
    .await;
    assert_eq!(status, 200);
    let mut ids: Vec<i64> = queue
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_i64().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, files);

    let (status, body) = call(
        &app,
        reqwest::Method::GET,
        &s.bank,
        "/api/v1/referrals?status=nonsense",
        None,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = call(
        &app,
        reqwest::Method::GET,
        &s.bank,
        "/api/v1/referrals?status=open",
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        serde_json::json!([]),
        "every referral here is approved"
    );
});
