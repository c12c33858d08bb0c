//! Job counselling over HTTP (`vamyar_app::counselling` does the work): sessions, the
//! business-plan review and services, recorded by the employment expert of the file's county.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_app::counselling::{
    self, CounsellingView, PlanReviewBody, PlanReviewView, ServiceBody, ServiceView, SessionBody,
    SessionView,
};

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;
use crate::input::ApiJson;

/// The routes of counselling.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(record_session, list))
        .routes(routes!(record_plan_review))
        .routes(routes!(record_service))
}

/// Records a counselling session (employment expert of the file's county; the file must be
/// in `counselling`). A next session's date is announced to the applicant.
#[utoipa::path(post, path = "/api/v1/applications/{id}/counselling", tag = "counselling",
    params(("id" = i64, Path, description = "file id")),
    request_body = SessionBody,
    responses((status = 201, body = SessionView), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "the file is not in counselling"), (status = 422)))]
pub async fn record_session(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<SessionBody>,
) -> AppResult<(StatusCode, Json<SessionView>)> {
    let mut view = counselling::record_session(&state.ctx, &current.actor, id, body).await?;
    view.recorded_by = current.username.clone();
    Ok((StatusCode::CREATED, Json(view)))
}

/// Records the business-plan review (employment expert of the file's county; the file must
/// be in `counselling`). The latest review is what `approve_plan` relies on.
#[utoipa::path(post, path = "/api/v1/applications/{id}/plan-review", tag = "counselling",
    params(("id" = i64, Path, description = "file id")),
    request_body = PlanReviewBody,
    responses((status = 201, body = PlanReviewView), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "the file is not in counselling"),
        (status = 422, description = "field errors, e.g. `amount_above_ceiling`")))]
pub async fn record_plan_review(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PlanReviewBody>,
) -> AppResult<(StatusCode, Json<PlanReviewView>)> {
    let mut view = counselling::record_plan_review(&state.ctx, &current.actor, id, body).await?;
    view.recorded_by = current.username.clone();
    Ok((StatusCode::CREATED, Json(view)))
}

/// Records a technical or expert service provided to the business (employment expert of the
/// file's county; the file in counselling or any later open state).
#[utoipa::path(post, path = "/api/v1/applications/{id}/services", tag = "counselling",
    params(("id" = i64, Path, description = "file id")),
    request_body = ServiceBody,
    responses((status = 201, body = ServiceView), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "the file is not past documents, or is closed"), (status = 422)))]
pub async fn record_service(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ServiceBody>,
) -> AppResult<(StatusCode, Json<ServiceView>)> {
    let mut view = counselling::record_service(&state.ctx, &current.actor, id, body).await?;
    view.recorded_by = current.username.clone();
    Ok((StatusCode::CREATED, Json(view)))
}

/// A file's counselling sessions, plan reviews and services, for anyone who can see the file.
#[utoipa::path(get, path = "/api/v1/applications/{id}/counselling", tag = "counselling",
    params(("id" = i64, Path, description = "file id")),
    responses((status = 200, body = CounsellingView), (status = 401), (status = 404)))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
) -> AppResult<Json<CounsellingView>> {
    Ok(Json(
        counselling::list(&state.ctx, &current.actor, id).await?,
    ))
}
