//! A staff member's desk notices over HTTP (`vamyar_app::notices` does the work).

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_app::notices::{self, Notices, ReadBody};

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;
use crate::input::ApiJson;

/// The routes of desk notices.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(mine))
        .routes(routes!(read))
}

/// The caller's desk notices (staff): stages past their service level, stages past twice it
/// (province administrators), the office head's morning digest; newest first, with the
/// number unread.
#[utoipa::path(get, path = "/api/v1/me/notices", tag = "messages",
    responses((status = 200, body = Notices), (status = 401),
        (status = 403, description = "applicants have an inbox of messages instead")))]
pub async fn mine(
    State(state): State<AppState>,
    current: CurrentActor,
) -> AppResult<Json<Notices>> {
    Ok(Json(notices::mine(&state.ctx, &current.actor).await?))
}

/// How many notices were marked read.
#[derive(Serialize, ToSchema)]
pub struct Marked {
    /// Notices newly marked read.
    pub marked: u64,
}

/// Marks the caller's notices read (up to `through_id`, or all).
#[utoipa::path(post, path = "/api/v1/me/notices/read", tag = "messages",
    request_body = ReadBody,
    responses((status = 200, body = Marked), (status = 401), (status = 403)))]
pub async fn read(
    State(state): State<AppState>,
    current: CurrentActor,
    ApiJson(body): ApiJson<ReadBody>,
) -> AppResult<Json<Marked>> {
    let marked = notices::mark_read(&state.ctx, &current.actor, body).await?;
    Ok(Json(Marked { marked }))
}
