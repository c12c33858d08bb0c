//! Cross-site request forgery on the JSON API: a write (`POST`, `PUT`, `PATCH`, `DELETE`) to
//! `/api/…` that carries the session **cookie** and no bearer token must come from this
//! site: `Sec-Fetch-Site: same-origin` (or `none`, typed by the user), or — from browsers
//! that do not send it — an `Origin` whose host is the request's `Host`. Anything else is 403
//! `cross_site_request`. Requests with `Authorization: Bearer …` are exempt: another site
//! cannot make a browser send a token it does not have. (The pages have their own per-session
//! form token; `SameSite=Lax` is a further layer, not the only one.)

use axum::extract::Request;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

fn has_bearer(h: &HeaderMap) -> bool {
    h.get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().len() > 7 && v.trim()[..7].eq_ignore_ascii_case("bearer "))
}

fn has_session_cookie(h: &HeaderMap) -> bool {
    h.get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|s| {
            s.split(';')
                .any(|p| p.trim().starts_with("vamyar_session="))
        })
}

/// True when the request says it comes from this site.
pub fn same_origin(h: &HeaderMap) -> bool {
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin = h.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest.trim_end_matches('/').eq_ignore_ascii_case(host)),
        _ => false,
    }
}

/// True when the request must pass the same-origin check.
pub fn needs_check(method: &Method, path: &str, h: &HeaderMap) -> bool {
    let write = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    write && path.starts_with("/api/") && !has_bearer(h) && has_session_cookie(h)
}

/// The middleware: refuses cookie-authenticated cross-site API writes.
pub async fn check_api_origin(req: Request, next: Next) -> Response {
    if needs_check(req.method(), req.uri().path(), req.headers()) && !same_origin(req.headers()) {
        tracing::info!("cross-site API write refused");
        return AppError::CrossSite.into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn only_cookie_writes_to_the_api_are_checked() {
        let cookie = headers(&[("cookie", "lang=fa; vamyar_session=ab")]);
        assert!(needs_check(&Method::POST, "/api/v1/x", &cookie));
        assert!(!needs_check(&Method::GET, "/api/v1/x", &cookie));
        assert!(!needs_check(&Method::POST, "/portal/apply", &cookie));
        let both = headers(&[
            ("cookie", "vamyar_session=ab"),
            ("authorization", "Bearer cd"),
        ]);
        assert!(!needs_check(&Method::POST, "/api/v1/x", &both));
        assert!(!needs_check(&Method::POST, "/api/v1/x", &HeaderMap::new()));
    }

    #[test]
    fn same_origin_by_fetch_metadata_or_origin() {
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")])));
        let o = |origin: &str| headers(&[("origin", origin), ("host", "vamyar.example:8443")]);
        assert!(same_origin(&o("https://vamyar.example:8443")));
        assert!(!same_origin(&o("https://evil.example")));
        assert!(!same_origin(&o("null")));
        assert!(!same_origin(&headers(&[("host", "vamyar.example")])));
    }
}
