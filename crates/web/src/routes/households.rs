//! Households over HTTP (`vamyar_app::households` does the work): recording one by its case
//! number (پرونده مددجویی) and size, reading it with its members and their open files, and
//! linking a member's national ID. County desk clerks and social workers write; staff read
//! within their area; applicants and bank officers have no part.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_app::households::{self, HouseholdBody, HouseholdView, MemberBody};

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;
use crate::input::ApiJson;

/// The household routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(get))
        .routes(routes!(add_member))
}

/// Records a household of the caller's county: the agency's case number and the household's
/// size from the case file (what the priority counts for its members).
#[utoipa::path(post, path = "/api/v1/households", tag = "households",
    request_body = HouseholdBody,
    responses((status = 201, body = HouseholdView), (status = 401),
        (status = 403, description = "roles other than the county's desk clerk and social worker"),
        (status = 422, description = "field errors: `case_number` (`required`, \
            `invalid_case_number`, `case_number_taken`), `size` (`required`, `out_of_range`)")))]
pub async fn create(
    State(state): State<AppState>,
    current: CurrentActor,
    ApiJson(body): ApiJson<HouseholdBody>,
) -> AppResult<(StatusCode, Json<HouseholdView>)> {
    let h = households::create(&state.ctx, &current.actor, body).await?;
    Ok((StatusCode::CREATED, Json(h)))
}

/// A household with its members and their open files.
#[utoipa::path(get, path = "/api/v1/households/{case_number}", tag = "households",
    params(("case_number" = String, Path, description = "the agency's case number")),
    responses((status = 200, body = HouseholdView), (status = 401),
        (status = 403, description = "applicants and bank officers"),
        (status = 404, description = "no such household in the caller's area")))]
pub async fn get(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(case_number): Path<String>,
) -> AppResult<Json<HouseholdView>> {
    Ok(Json(
        households::get(&state.ctx, &current.actor, &case_number).await?,
    ))
}

/// Links a member's national ID into the household (before or after they register); their
/// open files are scored again with the household's size. Linking the same person again
/// changes nothing.
#[utoipa::path(post, path = "/api/v1/households/{case_number}/members", tag = "households",
    params(("case_number" = String, Path, description = "the agency's case number")),
    request_body = MemberBody,
    responses((status = 200, body = HouseholdView), (status = 401),
        (status = 403, description = "roles other than the county's desk clerk and social worker"),
        (status = 404, description = "no such household in the caller's county"),
        (status = 422, description = "field errors: `national_id` (invalid, \
            `household_member_elsewhere`)")))]
pub async fn add_member(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(case_number): Path<String>,
    ApiJson(body): ApiJson<MemberBody>,
) -> AppResult<Json<HouseholdView>> {
    Ok(Json(
        households::add_member(&state.ctx, &current.actor, &case_number, body).await?,
    ))
}
