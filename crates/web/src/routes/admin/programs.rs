//! Programs over HTTP (`vamyar_app::admin::programs` does the work).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use vamyar_app::admin::changes::{self, Changed};
use vamyar_app::admin::programs;

use super::program_input::ProgramInput;
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;
use crate::input::ApiJson;

use super::changes::submitted;

use programs::{ProgramOut, ProgramPatch};

/// Creates a program and its loan types in one transaction (national admin).
#[utoipa::path(post, path = "/api/v1/programs", tag = "admin",
    request_body = ProgramInput,
    responses((status = 201, body = ProgramOut), (status = 401), (status = 403),
        (status = 409, description = "program_code_taken"),
        (status = 422, description = "field errors")))]
pub async fn create_program(
    State(state): State<AppState>,
    current: CurrentActor,
    ApiJson(input): ApiJson<ProgramInput>,
) -> AppResult<(StatusCode, Json<ProgramOut>)> {
    let created = programs::create(&state.ctx, &current.actor, input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Every program, newest year first, with loan types and settings (staff).
#[utoipa::path(get, path = "/api/v1/programs", tag = "admin",
    responses((status = 200, body = Vec<ProgramOut>), (status = 401), (status = 403)))]
pub async fn list_programs(
    State(state): State<AppState>,
    current: CurrentActor,
) -> AppResult<Json<Vec<ProgramOut>>> {
    Ok(Json(programs::list(&state.ctx, &current.actor).await?))
}

/// One program (staff); 404 when there is none.
#[utoipa::path(get, path = "/api/v1/programs/{id}", tag = "admin",
    params(("id" = i64, Path, description = "program id")),
    responses((status = 200, body = ProgramOut), (status = 401), (status = 403), (status = 404)))]
pub async fn get_program(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
) -> AppResult<Json<ProgramOut>> {
    Ok(Json(programs::get(&state.ctx, &current.actor, id).await?))
}

/// Activates or deactivates a program, or edits its priority weights and service levels
/// (national admin). Under `[four_eyes] program` the change is checked and proposed (202)
/// for another national admin.
#[utoipa::path(patch, path = "/api/v1/programs/{id}", tag = "admin",
    params(("id" = i64, Path, description = "program id")),
    request_body = ProgramPatch,
    responses((status = 200, body = ProgramOut),
        (status = 202, body = Changed, description = "`[four_eyes] program`: checked and proposed, `{\"change\": {...}}`"),
        (status = 401), (status = 403), (status = 404),
        (status = 409, description = "proposal_pending"),
        (status = 422, description = "field errors")))]
pub async fn update_program(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    ApiJson(patch): ApiJson<ProgramPatch>,
) -> AppResult<Response> {
    let s = changes::submit_program(&state.ctx, &current.actor, id, patch).await?;
    Ok(submitted(StatusCode::OK, s))
}
