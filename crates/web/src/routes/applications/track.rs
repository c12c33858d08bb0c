//! Public tracking over HTTP (`vamyar_app::track`).

use axum::Json;
use axum::extract::{Path, State};
use vamyar_app::track::Tracked;

use crate::AppState;
use crate::error::AppResult;

/// The stage and dates of a file; no names, amounts or identifiers.
#[utoipa::path(get, path = "/api/v1/track/{tracking_code}", tag = "public",
    params(("tracking_code" = String, Path, description = "12-digit tracking code, any digits")),
    responses((status = 200, body = Tracked), (status = 404), (status = 422)))]
pub async fn track(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> AppResult<Json<Tracked>> {
    Ok(Json(vamyar_app::track::track(&state.ctx, &code).await?))
}
