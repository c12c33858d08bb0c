//! Geography and calendar over HTTP (`vamyar_app::admin::places` does the work): a
//! county's deprived-area flag and the official holidays.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use vamyar_app::admin::{self, places};

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};
use crate::input::ApiJson;

use places::{CountyOut, CountyPatch, HolidayInput, HolidayOut, HolidayRange};

/// Sets or clears a county's deprived-area flag (national admin).
#[utoipa::path(put, path = "/api/v1/counties/{code}", tag = "admin",
    params(("code" = String, Path, description = "county code, PP-NN")),
    request_body = CountyPatch,
    responses((status = 200, body = CountyOut), (status = 401), (status = 403), (status = 404)))]
pub async fn set_county(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(code): Path<String>,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> AppResult<Json<CountyOut>> {
    Ok(Json(
        places::set_county(&state.ctx, &current.actor, &code, patch).await?,
    ))
}

/// The holidays between two dates, inclusive (staff).
#[utoipa::path(get, path = "/api/v1/holidays", tag = "admin",
    params(HolidayRange),
    responses((status = 200, body = Vec<HolidayOut>), (status = 401), (status = 403),
        (status = 422, description = "field errors")))]
pub async fn list_holidays(
    State(state): State<AppState>,
    current: CurrentActor,
    range: Result<Query<HolidayRange>, axum::extract::rejection::QueryRejection>,
) -> AppResult<Json<Vec<HolidayOut>>> {
    let Ok(Query(range)) = range else {
        // Who is asking is answered before what they asked.
        admin::require_staff(&current.actor)?;
        return Err(AppError::BadRequest("bad_request"));
    };
    Ok(Json(
        places::list_holidays(&state.ctx, &current.actor, range).await?,
    ))
}

/// Adds a holiday (national admin); a date that already is one is 409 `holiday_exists`.
#[utoipa::path(post, path = "/api/v1/holidays", tag = "admin",
    request_body = HolidayInput,
    responses((status = 201, body = HolidayOut), (status = 401), (status = 403),
        (status = 409, description = "holiday_exists"),
        (status = 422, description = "field errors")))]
pub async fn add_holiday(
    State(state): State<AppState>,
    current: CurrentActor,
    ApiJson(input): ApiJson<HolidayInput>,
) -> AppResult<(StatusCode, Json<HolidayOut>)> {
    let added = places::add_holiday(&state.ctx, &current.actor, input).await?;
    Ok((StatusCode::CREATED, Json(added)))
}

/// Why a holiday is removed (optional, kept in the audit entry).
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ReasonQuery {
    /// The reason, at most 500 characters.
    pub reason: Option<String>,
}

/// Removes a holiday (national admin); 404 when that date is no holiday.
#[utoipa::path(delete, path = "/api/v1/holidays/{date}", tag = "admin",
    params(("date" = String, Path, description = "the date, ISO (or Jalali with dashes)"),
        ReasonQuery),
    responses((status = 204), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "field errors")))]
pub async fn delete_holiday(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(raw): Path<String>,
    Query(q): Query<ReasonQuery>,
) -> AppResult<StatusCode> {
    places::delete_holiday(&state.ctx, &current.actor, &raw, q.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}
