//! The answers every API route shares, added to the OpenAPI document once.
//!
//! Each handler's `#[utoipa::path]` lists what the handler itself answers. Some refusals come
//! from the layers in front of every handler instead, and [`complete`] adds them to each
//! operation they can reach, so that the document names every status a client can get:
//!
//! - a path segment that does not parse (`/api/v1/applications/abc`): 400 `invalid_path`;
//!   a path that names nothing: 404;
//! - a JSON body: 400 `invalid_json` (not JSON), 415 (another content type), 422 (fields),
//!   413 (over the body limit);
//! - a multipart upload: 400 (no readable form), 413, 415;
//! - a write: 403 `cross_site_request` (a cookie-authenticated write from another site);
//! - a route under a per-address rate limit (`auth::limits::classify`): 429;
//! - a query string that does not parse: 400 `invalid_query`;
//! - any route: 500 (a failure the server did not expect; the detail is logged, never shown)
//!   and 503 (the database is unavailable, too many password checks at once, or the request
//!   ran past the server's time limit).
//!
//! Every 4xx and 5xx answer is then given the one error shape, [`ErrorBody`]
//! (`{"error": {"code", "message", "fields"?}}`).

use std::collections::BTreeMap;

use axum::http::Method;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Required, Response};

use crate::auth::limits::classify;
use crate::auth::ratelimit::RateLimits;

/// The JSON error shape of every refusal under `/api`.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// The refusal.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable snake_case code clients may branch on (`not_found`, `invalid_path`, …).
    pub code: String,
    /// The message for people, Persian unless English was asked for.
    pub message: String,
    /// Per field (for 422 `validation_failed`): the field's `code` and `message`.
    #[schema(value_type = Option<Object>)]
    pub fields: Option<BTreeMap<String, serde_json::Value>>,
}

/// Adds the shared answers to every operation of `doc` (see the module documentation).
pub fn complete(doc: &mut OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let has_path_params = path.contains('{');
        // a concrete path of the template, for the rate limits' classification
        let sample: String = path
            .split('/')
            .map(|s| if s.starts_with('{') { "1" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let ops = [
            (&mut item.get, Method::GET),
            (&mut item.put, Method::PUT),
            (&mut item.post, Method::POST),
            (&mut item.delete, Method::DELETE),
            (&mut item.patch, Method::PATCH),
        ];
        for (op, method) in ops {
            if let Some(op) = op.as_mut() {
                let limited = classify(&method, &sample, &RateLimits::default()).is_some();
                complete_operation(op, has_path_params, method != Method::GET, limited);
            }
        }
    }
}

fn complete_operation(op: &mut Operation, has_path_params: bool, write: bool, limited: bool) {
    let mut add: Vec<(&str, &str)> = Vec::new();
    if limited {
        add.push((
            "429",
            "Too many requests from this address; see `Retry-After`.",
        ));
    }
    if has_param(op, ParameterIn::Query) {
        add.push(("400", "The query string does not parse (`invalid_query`)."));
    }
    if has_path_params {
        if integer_path_param(op) {
            add.push(("400", "A path segment is not a number (`invalid_path`)."));
        }
        add.push(("404", "Not found, or not visible to the caller."));
    }
    if let Some(RefOr::T(body)) = &op.request_body {
        if body.content.contains_key("application/json") {
            add.push(("400", "The body is not JSON (`invalid_json`)."));
            add.push(("415", "The body is not `application/json`."));
            add.push(("422", "Some fields are wrong (`validation_failed`)."));
        }
        if body.content.keys().any(|k| k.starts_with("multipart/")) {
            add.push(("400", "The body is not a readable form."));
            add.push(("415", "The upload's type is not accepted."));
        }
        add.push(("413", "The body is over the size limit."));
    }
    if write {
        add.push((
            "403",
            "Not allowed, or a cookie-authenticated write from another site.",
        ));
    }
    add.push((
        "500",
        "An unexpected failure; the detail is logged, never shown.",
    ));
    add.push((
        "503",
        "The database is unavailable, the server is busy, or the request took too long.",
    ));
    for (status, description) in add {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::T(Response::new(description)));
    }
    for (status, response) in op.responses.responses.iter_mut() {
        let is_error = status.starts_with('4') || status.starts_with('5');
        if let (true, RefOr::T(response)) = (is_error, response) {
            if response.description.is_empty() {
                response.description = "Refused; the error shape says why.".into();
            }
            response
                .content
                .entry("application/json".into())
                .or_insert_with(|| {
                    RefOr::T(Content::new(Some(Ref::from_schema_name("ErrorBody"))))
                });
        }
    }
}

/// True when the operation declares a parameter in `place`.
fn has_param(op: &Operation, place: ParameterIn) -> bool {
    op.parameters
        .iter()
        .flatten()
        .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == place))
}

/// True when one of the operation's path parameters is an integer.
fn integer_path_param(op: &Operation) -> bool {
    op.parameters.iter().flatten().any(|p| {
        let RefOr::T(p) = p else { return false };
        let integer = serde_json::to_value(&p.schema)
            .ok()
            .is_some_and(|s| s["type"] == "integer");
        p.parameter_in == ParameterIn::Path && p.required == Required::True && integer
    })
}
