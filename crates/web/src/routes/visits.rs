//! Monitoring visits over HTTP (`vamyar_app::visits` does the work).

use axum::Json;
use axum::extract::{Path, State};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_app::loans::view::VisitView;
use vamyar_app::visits::{self, VisitBody};

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;
use crate::input::ApiJson;
use crate::lang::ReqLang;

pub use visits::VISIT_STATES;

/// The routes of monitoring visits.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(record))
}

/// A file's monitoring visits by planned date, for anyone who can see the file.
#[utoipa::path(get, path = "/api/v1/applications/{id}/visits", tag = "loans",
    params(("id" = i64, Path, description = "file id")),
    responses((status = 200, body = Vec<VisitView>), (status = 401), (status = 404)))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentActor,
    lang: ReqLang,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<VisitView>>> {
    Ok(Json(
        visits::list(&state.ctx, &current.actor, id, lang.0).await?,
    ))
}

/// Records a scheduled monitoring visit, once (the employment expert of the file's county,
/// while the loan runs). Audited.
#[utoipa::path(post, path = "/api/v1/visits/{id}", tag = "loans",
    params(("id" = i64, Path, description = "visit id")),
    request_body = VisitBody,
    responses((status = 200, body = VisitView), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "`visit_already_recorded`, or the loan no longer runs"),
        (status = 422, description = "field errors")))]
pub async fn record(
    State(state): State<AppState>,
    current: CurrentActor,
    lang: ReqLang,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> AppResult<Json<VisitView>> {
    Ok(Json(
        visits::record(&state.ctx, &current.actor, id, body, lang.0).await?,
    ))
}
