//! Mandatory second factor: a national or province administrator who has not confirmed a
//! TOTP enrolment logs in with the password alone but gets a session that may only enrol.
//! Every other API route answers 403 `totp_enrolment_required` (Persian message) and every
//! other page redirects to the enrolment page, until a code from the authenticator app
//! confirms enrolment; the same session then has full access. The state is read from the
//! account on each request, so a reset factor restricts the account's sessions at once.

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::AppState;
use crate::auth::actor::{Caller, request_token, resolve};
use crate::error::AppError;

/// The enrolment page.
pub const ENROL_PAGE: &str = "/staff/totp";

/// What a session waiting for enrolment may still reach: enrolment, logging out, who am I,
/// static files and the service's own endpoints.
pub fn allowed_while_pending(path: &str) -> bool {
    matches!(
        path,
        "/api/v1/auth/totp"
            | "/api/v1/auth/totp/confirm"
            | "/api/v1/auth/logout"
            | "/api/v1/auth/me"
            | "/api/openapi.json"
            | "/healthz"
            | "/metrics"
            | "/logout"
            | "/favicon.ico"
            | ENROL_PAGE
    ) || path.starts_with("/static/")
}

/// The middleware: lets every request through except those of a session waiting for
/// enrolment to a route outside [`allowed_while_pending`].
pub async fn gate(
    State(state): State<AppState>,
    req: Request,
    next: axum::middleware::Next,
) -> Response {
    let path = req.uri().path().to_string();
    if allowed_while_pending(&path) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    if request_token(&parts).is_some()
        && let Ok(Some(Caller::Actor(a))) = resolve(&parts, &state).await
    {
        if a.totp_pending {
            // `/healthz` and `/metrics`, the other JSON paths, are allowed above
            return if path.starts_with("/api/") {
                AppError::TotpEnrolmentRequired.into_response()
            } else {
                Redirect::to(ENROL_PAGE).into_response()
            };
        }
        // the handler's extractor takes it from here instead of reading the session again
        parts.extensions.insert(*a);
    }
    next.run(Request::from_parts(parts, body)).await
}
