//! Public tracking: the stage and dates of a file from its tracking code, nothing personal.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;
use vamyar_domain::primitives::TrackingCode;

use crate::AppState;
use crate::error::{AppError, AppResult, FieldErrors};

/// One step of the public timeline.
#[derive(Serialize, ToSchema)]
pub struct TrackStep {
    /// The state reached.
    pub state: String,
    /// When (ISO date).
    pub on: String,
}

/// What anyone with the tracking code may know.
#[derive(Serialize, ToSchema)]
pub struct Tracked {
    /// The code asked about.
    pub tracking_code: String,
    /// The current stage.
    pub state: String,
    /// When it was submitted (ISO date).
    pub submitted_on: String,
    /// When it reached the current stage (ISO date).
    pub since: String,
    /// The stages passed, oldest first.
    pub steps: Vec<TrackStep>,
}

/// The stage and dates of a file; no names, amounts or identifiers.
#[utoipa::path(get, path = "/api/v1/track/{tracking_code}", tag = "public",
    params(("tracking_code" = String, Path, description = "12-digit tracking code, any digits")),
    responses((status = 200, body = Tracked), (status = 404), (status = 422)))]
pub async fn track(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> AppResult<Json<Tracked>> {
    let mut errors = FieldErrors::new();
    let code = errors.check("tracking_code", TrackingCode::parse(&code));
    errors.finish()?;
    let code = code.ok_or(AppError::NotFound)?;
    let app = vamyar_store::application::by_tracking_code(state.db.pool(), code.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let day = |ts: &str| ts.get(..10).unwrap_or(ts).to_string();
    let steps = vamyar_store::application::history(state.db.pool(), app.id)
        .await?
        .into_iter()
        .map(|e| TrackStep {
            state: e.to_state,
            on: day(&e.created_at),
        })
        .collect();
    Ok(Json(Tracked {
        tracking_code: app.tracking_code,
        state: app.state,
        submitted_on: day(&app.submitted_at),
        since: day(&app.state_changed_at),
        steps,
    }))
}
