//! The staff queue (highest priority first) and the bank's referral inbox over HTTP
//! (`vamyar_app::queue` does the work).

use axum::Json;
use axum::extract::{Query, State};
use vamyar_app::files::view::FileView;
use vamyar_app::queue::{self, QueueQuery, ReferralItem};

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;

/// The queue in the caller's scope, highest priority first, then oldest.
#[utoipa::path(get, path = "/api/v1/applications", tag = "applications",
    params(QueueQuery),
    responses((status = 200, body = Vec<FileView>), (status = 401), (status = 403), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentActor,
    Query(q): Query<QueueQuery>,
) -> AppResult<Json<Vec<FileView>>> {
    Ok(Json(queue::list(&state.ctx, &current.actor, &q).await?))
}

/// The referrals to the caller's bank (and branch, if the officer has one).
#[utoipa::path(get, path = "/api/v1/referrals", tag = "applications",
    responses((status = 200, body = Vec<ReferralItem>), (status = 401), (status = 403)))]
pub async fn referrals(
    State(state): State<AppState>,
    current: CurrentActor,
) -> AppResult<Json<Vec<ReferralItem>>> {
    Ok(Json(queue::referrals(&state.ctx, &current.actor).await?))
}
