//! Rate limits on the public routes that cost something or can be abused: registration,
//! tracking and letter verification (guessing codes), applicant validation and document
//! uploads, per client address (see [`super::ratelimit::ClientIp`], proxy-aware). Past a
//! limit the answer is 429 with a Persian message and `Retry-After`, before the handler runs.

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::auth::actor::CurrentActor;
use crate::auth::ratelimit::{ClientIp, Limit, RateLimits, enforce};

/// The limit a request falls under, if any.
pub fn classify(method: &Method, path: &str, limits: &RateLimits) -> Option<(&'static str, Limit)> {
    let post = method == Method::POST;
    let documents = path.ends_with("/documents")
        && ["/api/v1/applications/", "/portal/files/", "/desk/files/"]
            .iter()
            .any(|p| path.starts_with(p));
    match path {
        "/api/v1/applications" | "/portal/apply" | "/desk/register" if post => {
            Some(("register_ip", limits.register_per_ip))
        }
        "/track" if post => Some(("track_ip", limits.track_per_ip)),
        "/api/v1/applicants/validate" if post => Some(("validate_ip", limits.validate_per_ip)),
        _ if method == Method::GET && path.starts_with("/api/v1/track/") => {
            Some(("track_ip", limits.track_per_ip))
        }
        // checking letters by verification code: guessing codes, like tracking (the same
        // allowance, a bucket of its own)
        _ if method == Method::GET
            && (path.starts_with("/api/v1/verify/")
                || path == "/verify"
                || path.starts_with("/verify/")) =>
        {
            Some(("verify_ip", limits.track_per_ip))
        }
        _ if post && documents => Some(("upload_ip", limits.upload_per_ip)),
        _ => None,
    }
}

/// The middleware: one token of the route's limit per request. A staff member registering
/// walk-ins is not counted against the per-address registration limit, which is meant for
/// the public form: an office behind one address registers many people an hour, each under
/// an accountable, audited account. (The enrolment gate, which runs first, has already put
/// the resolved session's actor in the request.)
pub async fn limit_routes(
    State(state): State<AppState>,
    ip: ClientIp,
    req: Request,
    next: Next,
) -> Response {
    let staff = req
        .extensions()
        .get::<CurrentActor>()
        .is_some_and(|a| a.username.is_some());
    if let Some((name, limit)) = classify(req.method(), req.uri().path(), &state.rate_limits)
        && !(staff && name == "register_ip")
        && let Err(e) = enforce(&state, name, limit, &[&ip.key()]).await
    {
        return e.into_response();
    }
    next.run(req).await
}
