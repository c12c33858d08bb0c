//! Four eyes on administrative changes over HTTP (`vamyar_app::admin::changes`): the
//! pending changes a caller may confirm, one change, confirming and rejecting. The admin
//! routes that may become a proposal answer 202 `{"change": {...}}` through [`submitted`].

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_app::admin::changes::{self, ChangeView, Submitted};
use vamyar_app::proposals::DecisionBody;

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;
use crate::input::ApiJson;

/// The routes of change proposals.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(get_one))
        .routes(routes!(confirm))
        .routes(routes!(reject))
}

/// The answer to an administrative request: `done` with the use case's answer, or 202 with
/// the change proposal when a second person must confirm it.
pub fn submitted<T: Serialize>(done: StatusCode, s: Submitted<T>) -> Response {
    match s {
        Submitted::Done(v) => (done, Json(v)).into_response(),
        Submitted::Proposed(c) => (StatusCode::ACCEPTED, Json(c)).into_response(),
    }
}

/// The pending administrative changes the caller may confirm or reject (their authority,
/// not their own), oldest first.
#[utoipa::path(get, path = "/api/v1/changes", tag = "admin",
    responses((status = 200, body = Vec<ChangeView>), (status = 401), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentActor,
) -> AppResult<Json<Vec<ChangeView>>> {
    Ok(Json(changes::list(&state.ctx, &current.actor).await?))
}

/// One change proposal, for its proposer and those who may decide it (`may_decide` says
/// whether the caller may confirm it now).
#[utoipa::path(get, path = "/api/v1/changes/{id}", tag = "admin",
    params(("id" = i64, Path, description = "change proposal id")),
    responses((status = 200, body = ChangeView), (status = 401),
        (status = 403, description = "neither its proposer nor one who may decide it"),
        (status = 404)))]
pub async fn get_one(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
) -> AppResult<Json<ChangeView>> {
    Ok(Json(changes::get(&state.ctx, &current.actor, id).await?))
}

/// Confirms a change proposal and carries the change out on the caller's authority (a
/// second person with the authority; never the proposer).
#[utoipa::path(post, path = "/api/v1/changes/{id}/confirm", tag = "admin",
    params(("id" = i64, Path, description = "change proposal id")),
    request_body = DecisionBody,
    responses((status = 200, body = ChangeView, description = "confirmed and carried out"),
        (status = 401),
        (status = 403, description = "`proposer_cannot_confirm`, or without the authority"),
        (status = 404),
        (status = 409, description = "`proposal_expired`, `proposal_decided`, or the change's own conflict (`memorandum_exists`, `own_role`, …)"),
        (status = 422, description = "the stored change no longer passes its checks (e.g. `quota_below_used`)")))]
pub async fn confirm(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> AppResult<Json<ChangeView>> {
    Ok(Json(
        changes::confirm(&state.ctx, &current.actor, id, body).await?,
    ))
}

/// Rejects a change proposal: nothing changes.
#[utoipa::path(post, path = "/api/v1/changes/{id}/reject", tag = "admin",
    params(("id" = i64, Path, description = "change proposal id")),
    request_body = DecisionBody,
    responses((status = 200, body = ChangeView, description = "rejected"),
        (status = 401),
        (status = 403, description = "`proposer_cannot_confirm`, or without the authority"),
        (status = 404), (status = 409, description = "`proposal_expired` or `proposal_decided`"),
        (status = 422, description = "`note` of the wrong type")))]
pub async fn reject(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> AppResult<Json<ChangeView>> {
    Ok(Json(
        changes::reject(&state.ctx, &current.actor, id, body).await?,
    ))
}
