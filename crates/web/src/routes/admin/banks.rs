//! Partner banks and their branches over HTTP (`vamyar_app::admin::banks` does the work).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use vamyar_app::admin::banks;

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;
use crate::input::ApiJson;

use banks::{BankInput, BankOut, BranchInput, BranchOut};

/// Creates a bank (national admin); a taken code is 409 `bank_code_taken`.
#[utoipa::path(post, path = "/api/v1/banks", tag = "admin",
    request_body = BankInput,
    responses((status = 201, body = BankOut), (status = 401), (status = 403),
        (status = 409, description = "bank_code_taken"),
        (status = 422, description = "field errors")))]
pub async fn create_bank(
    State(state): State<AppState>,
    current: CurrentActor,
    ApiJson(input): ApiJson<BankInput>,
) -> AppResult<(StatusCode, Json<BankOut>)> {
    let created = banks::create_bank(&state.ctx, &current.actor, input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Adds a branch to a bank (national admin). The province must exist, and the county, when
/// given, must be in it; a code the bank already uses is 409 `branch_code_taken`.
#[utoipa::path(post, path = "/api/v1/banks/{id}/branches", tag = "admin",
    params(("id" = i64, Path, description = "bank id")),
    request_body = BranchInput,
    responses((status = 201, body = BranchOut), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "branch_code_taken"),
        (status = 422, description = "field errors")))]
pub async fn create_branch(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(bank_id): Path<i64>,
    ApiJson(input): ApiJson<BranchInput>,
) -> AppResult<(StatusCode, Json<BranchOut>)> {
    let created = banks::create_branch(&state.ctx, &current.actor, bank_id, input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Banks with their branches, memoranda and quota usage (staff; a bank officer sees only
/// their own bank).
#[utoipa::path(get, path = "/api/v1/banks", tag = "admin",
    responses((status = 200, body = Vec<BankOut>), (status = 401), (status = 403)))]
pub async fn list_banks(
    State(state): State<AppState>,
    current: CurrentActor,
) -> AppResult<Json<Vec<BankOut>>> {
    Ok(Json(banks::list(&state.ctx, &current.actor).await?))
}
