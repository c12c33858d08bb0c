//! The OpenAPI document against the router: the same routes, path parameters that are the
//! path's `{name}` segments, query parameters in the query, integer amounts, and every
//! refusal a route gives for a bad path id, a wrong content type or malformed JSON is a
//! status the document names, in the JSON error shape.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::Value;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

async fn document(app: &TestApp) -> Value {
    let res = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// `(path, method, operation)` for every operation of the document.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                out.push((path.clone(), method.to_string(), op.clone()));
            }
        }
    }
    out
}

/// The `{name}` segments of a path template.
fn segments(path: &str) -> BTreeSet<String> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(str::to_string)
        .collect()
}

fn params_in<'a>(op: &'a Value, place: &str) -> Vec<&'a Value> {
    op["parameters"]
        .as_array()
        .map(|ps| ps.iter().filter(|p| p["in"] == place).collect())
        .unwrap_or_default()
}

/// The path with each parameter replaced: integers by `int`, others by `text`.
fn fill(path: &str, op: &Value, int: &str, text: &str) -> String {
    let mut out = path.to_string();
    for p in params_in(op, "path") {
        let name = p["name"].as_str().unwrap();
        let value = if p["schema"]["type"] == "integer" {
            int
        } else {
            text
        };
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

fn method(m: &str) -> Method {
    Method::from_bytes(m.to_ascii_uppercase().as_bytes()).unwrap()
}

fn documented(op: &Value, status: u16) -> bool {
    op["responses"].get(status.to_string()).is_some()
}

fn takes_json(op: &Value) -> bool {
    op["requestBody"]["content"]
        .get("application/json")
        .is_some()
}

/// The string literals passed to `.route(` in the web crate's sources.
fn routes_in_sources() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (at, _) in text.match_indices(".route(") {
                    let rest = text[at + 7..].trim_start();
                    if let Some(rest) = rest.strip_prefix('"') {
                        let end = rest.find('"').unwrap();
                        out.push((path.display().to_string(), rest[..end].to_string()));
                    }
                }
            }
        }
    }
    out
}

both_engines!(
    the_openapi_document_and_the_router_agree,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let doc = document(&app).await;
        let ops = operations(&doc);
        assert!(ops.len() > 50, "{} operations", ops.len());

        // every API route outside utoipa-axum's registration is listed here, and only these
        let undocumented = ["/api/openapi.json"];
        for (file, route) in routes_in_sources() {
            if route.starts_with("/api") || route == "/healthz" {
                assert!(
                    undocumented.contains(&route.as_str()) || doc["paths"].get(&route).is_some(),
                    "{route} (routed in {file}) is not in the document"
                );
            }
        }

        for (path, m, op) in &ops {
            // path parameters are exactly the path's segments, each declared once
            let declared: Vec<String> = params_in(op, "path")
                .iter()
                .map(|p| p["name"].as_str().unwrap().to_string())
                .collect();
            let unique: BTreeSet<String> = declared.iter().cloned().collect();
            assert_eq!(unique.len(), declared.len(), "{m} {path}: {declared:?}");
            assert_eq!(unique, segments(path), "{m} {path}: path parameters");
            for p in params_in(op, "path") {
                assert_eq!(p["required"], true, "{m} {path}: {p}");
            }
            // a parameter is in the path, the query or a header, nowhere else
            for p in op["parameters"].as_array().into_iter().flatten() {
                let place = p["in"].as_str().unwrap();
                assert!(
                    ["path", "query", "header"].contains(&place),
                    "{m} {path}: {p}"
                );
            }
            // every refusal has the error shape
            for (status, response) in op["responses"].as_object().unwrap() {
                if status.starts_with('5') {
                    assert!(
                        response["content"]["application/json"].is_object(),
                        "{m} {path} {status}"
                    );
                } else if status.starts_with('4') {
                    assert_eq!(
                        response["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/ErrorBody",
                        "{m} {path} {status}"
                    );
                }
            }
            // a route under a rate limit documents 429
            let sample = fill(path, op, "1", "1");
            if vamyar_web::auth::limits::classify(
                &method(m),
                &sample,
                &vamyar_web::auth::ratelimit::RateLimits::default(),
            )
            .is_some()
            {
                assert!(documented(op, 429), "{m} {path}: 429 not documented");
            }
            // the router serves the documented method on this path …
            let url = app.url(&fill(path, op, "1", "x"));
            let res = app.client.request(method(m), &url).send().await.unwrap();
            assert_ne!(res.status(), 405, "{m} {path} is documented but not routed");
            let body: Value = res.json().await.unwrap_or(Value::Null);
            assert!(
                body["error"]["code"] != "not_found" || documented(op, 404),
                "{m} {path}: unrouted ({body})"
            );
            // … and the path exists: a method it does not document is 405, not 404
            let item = &doc["paths"][path];
            if let Some(other) = METHODS.iter().find(|x| item.get(**x).is_none()) {
                let res = app
                    .client
                    .request(method(other), &url)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 405, "{other} {path}: the path is not routed");
            }
        }

        // the queue's filters are query parameters
        let queue = &doc["paths"]["/api/v1/applications"]["get"];
        let query: BTreeSet<&str> = params_in(queue, "query")
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            query,
            BTreeSet::from(["state", "county", "breached", "limit", "after"])
        );
        let inbox = &doc["paths"]["/api/v1/referrals"]["get"];
        let query: BTreeSet<&str> = params_in(inbox, "query")
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(query, BTreeSet::from(["status", "limit", "before"]));
        // amounts in request bodies are integers (rials)
        let schemas = &doc["components"]["schemas"];
        for (schema, field) in [
            ("PaymentBody", "amount"),
            ("ActionBody", "amount"),
            ("ActionBody", "recommended_amount"),
            ("PlanReviewBody", "recommended_amount"),
            ("RegisterBody", "requested_amount"),
            ("QuotaLimits", "amount_limit"),
        ] {
            let s = &schemas[schema]["properties"][field];
            // resolve references to named schemas (`Flex`)
            let mut text = s.to_string();
            for (name, named) in schemas.as_object().unwrap() {
                let r = format!("{{\"$ref\":\"#/components/schemas/{name}\"");
                if text.contains(&r) {
                    text = text.replace(&r, &format!("{named},{r}"));
                }
            }
            assert!(
                text.contains("\"integer\"") && !text.contains("\"string\""),
                "{schema}.{field}: {s}"
            );
        }
    }
);

both_engines!(
    bad_ids_content_types_and_json_get_the_documented_error_shape,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let token = app.staff_token("oas_admin", "national_admin").await;
        let doc = document(&app).await;
        let check = |what: &str, m: &str, path: &str, op: &Value, status: u16, ct: &str| {
            assert!(
                documented(op, status),
                "{what}: {m} {path} answered {status}, not documented"
            );
            assert!(
                ct.starts_with("application/json"),
                "{what}: {m} {path} answered {status} as {ct}"
            );
        };
        let mut bad_ids = 0;
        let mut bodies = 0;
        for (path, m, op) in operations(&doc) {
            let has_int = params_in(&op, "path")
                .iter()
                .any(|p| p["schema"]["type"] == "integer");
            if has_int {
                let url = app.url(&fill(&path, &op, "abc", "x"));
                let mut req = app.client.request(method(&m), &url).bearer_auth(&token);
                if takes_json(&op) {
                    req = req.json(&serde_json::json!({}));
                }
                let res = req.send().await.unwrap();
                let (status, ct) = (res.status().as_u16(), content_type(&res));
                let body: Value = res.json().await.unwrap_or(Value::Null);
                check("bad id", &m, &path, &op, status, &ct);
                assert!(body["error"]["code"].is_string(), "{m} {path}: {body}");
                assert!(body["error"]["message"].is_string(), "{m} {path}: {body}");
                bad_ids += 1;
            }
            if takes_json(&op) {
                let url = app.url(&fill(&path, &op, "1", "x"));
                for (what, ct, text) in [
                    ("wrong content type", "text/plain", "{}"),
                    ("malformed JSON", "application/json", "{not json"),
                ] {
                    let res = app
                        .client
                        .request(method(&m), &url)
                        .bearer_auth(&token)
                        .header("content-type", ct)
                        .body(text)
                        .send()
                        .await
                        .unwrap();
                    let (status, answered) = (res.status().as_u16(), content_type(&res));
                    let body: Value = res.json().await.unwrap_or(Value::Null);
                    check(what, &m, &path, &op, status, &answered);
                    assert!(body["error"]["code"].is_string(), "{m} {path}: {body}");
                }
                bodies += 1;
            }
        }
        assert!(
            bad_ids > 20 && bodies > 20,
            "{bad_ids} ids, {bodies} bodies"
        );

        // the plain cases, to the status and code
        for (m, path) in [
            ("get", "/api/v1/applications/abc"),
            ("get", "/api/v1/loans/abc"),
            ("post", "/api/v1/visits/1x"),
            ("patch", "/api/v1/programs/abc"),
        ] {
            let res = app
                .client
                .request(method(m), app.url(path))
                .bearer_auth(&token)
                .json(&serde_json::json!({}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 400, "{m} {path}");
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["error"]["code"], "invalid_path", "{m} {path}");
            assert!(
                body["error"]["message"].as_str().unwrap().contains("نشانی"),
                "{body}"
            );
        }
        let res = app
            .client
            .post(app.url("/api/v1/programs"))
            .bearer_auth(&token)
            .header("content-type", "text/plain")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 415);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unsupported_media_type");
        let res = app
            .client
            .post(app.url("/api/v1/programs"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_json");
        // a query string of the wrong shape
        let res = app
            .client
            .get(app.url("/api/v1/applications?limit=many"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["error"]["code"], "invalid_query");
    }
);

fn content_type(res: &reqwest::Response) -> String {
    res.headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}
