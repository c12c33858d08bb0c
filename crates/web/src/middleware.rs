//! Request-wide layers: error rendering and logging, metrics, security headers.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::AppError;
use crate::lang;
use crate::pages::PageCtx;

/// True for requests answered with JSON (the API) rather than HTML pages.
pub fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/") || path == "/api" || path == "/healthz" || path == "/metrics"
}

/// Turns an `AppError` left in a response's extensions into the JSON body of API.md (for
/// `/api`) or the HTML error page (for pages), in the request's language; maps axum's bare
/// 404/405 answers to the same shapes; and logs failures (5xx as errors, without bodies).
pub async fn render_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let lang = lang::choose(req.uri().query(), req.headers());
    let api = is_api_path(req.uri().path());
    // what the error page needs to know about the caller (language, session, path)
    let head = (!api).then(|| {
        let mut r = Request::new(());
        *r.uri_mut() = req.uri().clone();
        *r.headers_mut() = req.headers().clone();
        r.into_parts().0
    });
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let mut res = next.run(req).await;
    let error = match res.extensions_mut().remove::<Arc<AppError>>() {
        Some(e) => e,
        None => match res.status() {
            StatusCode::METHOD_NOT_ALLOWED if res_is_empty(&res) => {
                Arc::new(AppError::MethodNotAllowed)
            }
            StatusCode::PAYLOAD_TOO_LARGE if res_is_empty(&res) || api => {
                Arc::new(AppError::PayloadTooLarge)
            }
            status if api && status.is_client_error() && !is_json(&res) => {
                let (parts, body) = res.into_parts();
                let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
                let error = Arc::new(rejection(status, &text));
                res = Response::from_parts(parts, Body::empty());
                error
            }
            _ => return res,
        },
    };
    let status = error.status_code();
    if status.is_server_error() {
        tracing::error!(%route, code = error.code(), error = %error, "request failed");
    } else {
        tracing::info!(%route, code = error.code(), status = status.as_u16(), "request refused");
    }
    let mut out = match head {
        Some(parts) if !api => {
            let ctx = PageCtx::from_parts(&parts, &state).await;
            crate::pages::error_page::render(&ctx, &error)
        }
        _ => (status, axum::Json(error.to_json(lang))).into_response(),
    };
    // keep headers such as Retry-After / Allow set by the handler
    for (name, value) in res.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.headers_mut().insert(name.clone(), value.clone());
        }
    }
    out
}

/// The error for one of axum's own plain-text refusals (an extractor's rejection: a path
/// segment that does not parse, a query string of the wrong shape, a body of the wrong type),
/// so that every 4xx under `/api` has the JSON error shape.
fn rejection(status: StatusCode, text: &[u8]) -> AppError {
    match status {
        StatusCode::NOT_FOUND => AppError::NotFound,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType,
        StatusCode::UNPROCESSABLE_ENTITY => {
            AppError::InvalidJson(String::from_utf8_lossy(text).into_owned())
        }
        _ if text.starts_with(b"Invalid URL") => AppError::BadRequest("invalid_path"),
        _ if text.starts_with(b"Failed to deserialize query string") => {
            AppError::BadRequest("invalid_query")
        }
        _ => AppError::BadRequest("bad_request"),
    }
}

fn is_json(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"))
}

fn res_is_empty(res: &Response) -> bool {
    use http_body::Body as _;
    res.body().size_hint().exact() == Some(0)
}

/// Counts requests and their durations per route and status for `/metrics`.
pub async fn record_metrics(req: Request<Body>, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("vamyar_http_requests_total", &labels).increment(1);
    metrics::histogram!("vamyar_http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    res
}

/// Headers every answer carries: no sniffing, no framing, no referrer leaks; pages with
/// personal data are never cached.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
         base-uri 'none'; object-src 'none'",
        ));
    res
}

/// `Strict-Transport-Security` on every answer when the site is served over TLS (the same
/// setting that makes cookies `Secure`): browsers then never try plain HTTP for a year.
pub async fn hsts(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    req: Request,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    if state.config.secure_cookies {
        res.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}
