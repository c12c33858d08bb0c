//! Staff accounts over HTTP (`vamyar_app::admin::staff` does the work): the national
//! administration creates accounts of any role, a province's administrator those of their
//! own province.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use vamyar_app::admin::changes::{self, Changed};
use vamyar_app::admin::staff;

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;
use crate::input::ApiJson;

use super::changes::submitted;

use staff::{StaffEdit, StaffInput, StaffOut};

/// Staff accounts the caller manages: all for the national administration, their
/// province's for a province administrator; 403 for other roles.
#[utoipa::path(get, path = "/api/v1/staff", tag = "admin",
    responses((status = 200, body = Vec<StaffOut>), (status = 401), (status = 403)))]
pub async fn list_staff(
    State(state): State<AppState>,
    current: CurrentActor,
) -> AppResult<Json<Vec<StaffOut>>> {
    Ok(Json(staff::list(&state.ctx, &current.actor).await?))
}

/// Creates a staff account (see the module documentation). A taken username is 409
/// `username_taken`.
#[utoipa::path(post, path = "/api/v1/staff", tag = "admin", request_body = StaffInput,
    responses((status = 201, body = StaffOut), (status = 401), (status = 403),
        (status = 409, description = "username_taken"), (status = 422, description = "field errors")))]
pub async fn create_staff(
    State(state): State<AppState>,
    current: CurrentActor,
    ApiJson(input): ApiJson<StaffInput>,
) -> AppResult<(StatusCode, Json<StaffOut>)> {
    let created = staff::create(&state.ctx, &current.actor, input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Changes an account's display name, role and scope (all given, as on creation). The caller
/// must manage staff where the account is and where it goes; nobody changes their own role
/// (409 `own_role`). Audited `staff.update`. Under `[four_eyes] staff_role` a change of role
/// or place is checked and proposed (202); a new display name alone is saved at once.
#[utoipa::path(put, path = "/api/v1/staff/{id}", tag = "admin", request_body = StaffEdit,
    params(("id" = i64, Path, description = "the account's id")),
    responses((status = 200, body = StaffOut),
        (status = 202, body = Changed, description = "`[four_eyes] staff_role`: a change of role or place checked and proposed, `{\"change\": {...}}`"),
        (status = 401), (status = 403), (status = 404),
        (status = 409, description = "own_role, proposal_pending"), (status = 422, description = "field errors")))]
pub async fn update_staff(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<StaffEdit>,
) -> AppResult<Response> {
    let s = changes::submit_staff(&state.ctx, &current.actor, id, input).await?;
    Ok(submitted(StatusCode::OK, s))
}
