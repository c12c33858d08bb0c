//! Memoranda (تفاهم‌نامه) with their provincial quotas over HTTP
//! (`vamyar_app::admin::memoranda` does the work).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use vamyar_app::admin::changes::{self, Changed};
use vamyar_app::admin::memoranda;

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;
use crate::input::ApiJson;

use super::changes::submitted;

use memoranda::{MemorandumInput, MemorandumOut};

/// Signs a memorandum between a bank and the agency for a program, with its provincial
/// quotas (national admin). One per bank and program: 409 `memorandum_exists`. Under
/// `[four_eyes] memorandum` it is checked and proposed (202) for another national admin.
#[utoipa::path(post, path = "/api/v1/memoranda", tag = "admin",
    request_body = MemorandumInput,
    responses((status = 201, body = MemorandumOut),
        (status = 202, body = Changed, description = "`[four_eyes] memorandum`: checked and proposed, `{\"change\": {...}}`"),
        (status = 401), (status = 403),
        (status = 409, description = "memorandum_exists, proposal_pending"),
        (status = 422, description = "field errors")))]
pub async fn create_memorandum(
    State(state): State<AppState>,
    current: CurrentActor,
    ApiJson(input): ApiJson<MemorandumInput>,
) -> AppResult<Response> {
    let s = changes::submit_memorandum(&state.ctx, &current.actor, input).await?;
    Ok(submitted(StatusCode::CREATED, s))
}

/// Every memorandum with its quotas (staff; a bank officer sees only their bank's).
#[utoipa::path(get, path = "/api/v1/memoranda", tag = "admin",
    responses((status = 200, body = Vec<MemorandumOut>), (status = 401), (status = 403)))]
pub async fn list_memoranda(
    State(state): State<AppState>,
    current: CurrentActor,
) -> AppResult<Json<Vec<MemorandumOut>>> {
    Ok(Json(memoranda::list(&state.ctx, &current.actor).await?))
}
