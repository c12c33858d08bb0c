//! The HTTP face of Vamyar: the JSON API under `/api/v1`, health and metrics, the OpenAPI
//! document, and (later) the Persian pages. [`app`] builds the whole router so tests can
//! serve it on port 0 against a fresh database.

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub mod auth;
pub mod error;
pub mod input;
pub mod lang;
pub mod middleware;
pub mod openapi;
pub mod pages;
pub mod routes;
pub mod state;

pub use error::{AppError, AppResult};
pub use state::{AppState, WebConfig};
pub use vamyar_app::{applicant, cob, demo, files, loans};

/// The OpenAPI document's fixed parts; paths are added by the router.
#[derive(OpenApi)]
#[openapi(
    components(schemas(openapi::ErrorBody, openapi::ErrorDetail)),
    info(
        title = "Vamyar API",
        description = "Employment micro-loan service: applications, workflow, referrals, loans. \
                   Errors are {\"error\":{\"code\",\"message\",\"fields\"}} with a Persian message \
                   (English with Accept-Language: en). Amounts are integer rials; dates ISO \
                   (Jalali accepted on input)."
    )
)]
struct ApiDoc;

/// The API routes with their OpenAPI descriptions.
fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(routes::system::healthz))
        .routes(routes!(routes::reference::provinces))
        .routes(routes!(routes::validate::validate_applicant))
        .merge(routes::auth::router())
        .merge(routes::admin::router())
        .merge(routes::applications::router())
        .merge(routes::documents::router())
        .merge(routes::counselling::router())
        .merge(routes::messages::router())
        .merge(routes::notices::router())
        .merge(routes::complaints::router())
        .merge(routes::households::router())
        .merge(routes::loans::router())
        .merge(routes::visits::router())
        .merge(routes::persons::router())
        .merge(routes::totp::router())
        .merge(routes::payment_files::router())
        .merge(routes::reports::router())
        .merge(routes::print::router())
        .merge(routes::proposals::router())
}

/// The OpenAPI document of every API route.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api_router().into_openapi();
    openapi::complete(&mut doc);
    doc
}

/// Builds the whole application.
pub fn app(state: AppState) -> Router {
    let (api, mut doc) = api_router().split_for_parts();
    openapi::complete(&mut doc);
    let doc_json = serde_json::to_string(&doc).unwrap_or_default();
    let request_id = HeaderName::from_static("x-request-id");
    let body_limit = state.config.max_upload_bytes + 64 * 1024;
    api.route(
        "/api/openapi.json",
        get(move || async move {
            (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                doc_json,
            )
        }),
    )
    .route("/metrics", get(routes::system::metrics))
    .merge(pages::router())
    .fallback(|| async { AppError::NotFound })
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        auth::limits::limit_routes,
    ))
    // before the limits: resolves the session once and leaves the actor in the request
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        auth::enrolment::gate,
    ))
    .layer(axum::middleware::from_fn(auth::csrf::check_api_origin))
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        middleware::render_errors,
    ))
    .layer(axum::middleware::from_fn(middleware::record_metrics))
    .layer(axum::middleware::from_fn(middleware::security_headers))
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        middleware::hsts,
    ))
    // pages, CSS and JSON in brotli or gzip as the client accepts (files already gzipped,
    // images and tiny bodies are left alone)
    .layer(CompressionLayer::new().br(true).gzip(true))
    .layer(DefaultBodyLimit::max(body_limit))
    .layer(TimeoutLayer::with_status_code(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        Duration::from_secs(60),
    ))
    .layer(
        TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            // the route template, never the raw path: paths may carry codes
            let route = req
                .extensions()
                .get::<axum::extract::MatchedPath>()
                .map(|m| m.as_str())
                .unwrap_or("unmatched");
            tracing::info_span!("request", method = %req.method(), route, request_id = id)
        }),
    )
    .layer(PropagateRequestIdLayer::new(request_id.clone()))
    .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
    .with_state(state)
}
