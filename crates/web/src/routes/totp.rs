//! Enrolling the second factor (TOTP) of national and province administrators
//! (`vamyar_app::totp` does the work).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_app::totp::{self, Enrolment};

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};
use crate::input::ApiJson;

/// The routes of TOTP enrolment.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(enrol))
        .routes(routes!(confirm))
}

/// The enrolling administrator's id and username (403 for other roles).
async fn admin(state: &AppState, current: &CurrentActor) -> AppResult<(i64, String)> {
    let id = current.actor.staff_id().ok_or(AppError::Forbidden)?;
    if !totp::required_for(current.actor.role()) {
        return Err(AppError::Forbidden);
    }
    let staff = vamyar_store::staff::by_id(state.db.pool(), id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok((id, staff.username))
}

/// Starts enrolment: a new secret, its `otpauth://` URL and a QR code (SVG) to scan.
#[utoipa::path(post, path = "/api/v1/auth/totp", tag = "auth",
    responses((status = 200, body = Enrolment), (status = 401), (status = 403),
        (status = 409, description = "`totp_already_enabled`")))]
pub async fn enrol(
    State(state): State<AppState>,
    current: CurrentActor,
) -> AppResult<Json<Enrolment>> {
    let (id, username) = admin(&state, &current).await?;
    Ok(Json(totp::enrol(&state.ctx, id, &username).await?))
}

/// A code from the authenticator app.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TotpCode {
    /// Six digits.
    pub code: String,
}

/// Confirms enrolment with a code from the app; from then on logins need a code.
#[utoipa::path(post, path = "/api/v1/auth/totp/confirm", tag = "auth", request_body = TotpCode,
    responses((status = 204), (status = 401), (status = 403), (status = 409),
        (status = 422, description = "`invalid_code`")))]
pub async fn confirm(
    State(state): State<AppState>,
    current: CurrentActor,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> AppResult<StatusCode> {
    // authority first, then the body
    let (id, username) = admin(&state, &current).await?;
    let body: TotpCode = crate::input::from_value(body)?;
    totp::confirm(&state.ctx, id, &username, &body.code).await?;
    Ok(StatusCode::NO_CONTENT)
}
