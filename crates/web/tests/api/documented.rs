//! Every answer the API gives in these tests is one its OpenAPI document promises.
//!
//! [`TestApp`](crate::helpers::TestApp) serves the application behind [`record`], which notes
//! each `/api` answer's route template, method and status. When the app is dropped at the end
//! of a test, any answer whose status the document does not list for that operation fails the
//! test, naming the route and the status. So every handler-specific refusal (each 409, 401,
//! 403 …) that some test provokes is checked against the document, on both engines.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, OnceLock};

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

/// The statuses the OpenAPI document lists, per `(METHOD, /path/{template})`.
type Documented = BTreeMap<(String, String), BTreeSet<String>>;

fn documented() -> &'static Documented {
    static DOC: OnceLock<Documented> = OnceLock::new();
    DOC.get_or_init(|| {
        let doc = serde_json::to_value(vamyar_web::openapi()).unwrap();
        let mut out = Documented::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let statuses = op["responses"]
                    .as_object()
                    .map(|r| r.keys().cloned().collect())
                    .unwrap_or_default();
                out.insert((method.to_uppercase(), path.clone()), statuses);
            }
        }
        out
    })
}

/// The answers a test got that the document does not list.
#[derive(Clone, Default)]
pub struct Undocumented(Arc<Mutex<BTreeSet<String>>>);

impl Undocumented {
    /// What was answered but not documented, one line each (empty when all is well).
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
            .into_iter()
            .collect()
    }
}

/// Middleware (added with `Router::layer`, so it runs after routing and sees the template):
/// checks each `/api` answer against the document.
pub async fn record(undocumented: Undocumented, req: Request, next: Next) -> Response {
    let method = req.method().as_str().to_string();
    let template = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string());
    let res = next.run(req).await;
    let Some(template) = template else {
        return res; // the fallback: no operation to check
    };
    if !template.starts_with("/api/v") {
        return res; // pages, /api/openapi.json, /metrics
    }
    let status = res.status().as_u16().to_string();
    let listed = match documented().get(&(method.clone(), template.clone())) {
        Some(statuses) => statuses.contains(&status),
        // a method the path does not have: the only right answer is 405
        None => status == "405",
    };
    if !listed {
        undocumented
            .0
            .lock()
            .unwrap()
            .insert(format!("{method} {template} answered {status}"));
    }
    res
}
