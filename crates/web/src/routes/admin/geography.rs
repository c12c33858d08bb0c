//! Geography and calendar: a county's deprived-area flag (it weighs in every priority
//! score) and the official holidays that service levels and due dates skip.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use vamyar_domain::policy::Permission;
use vamyar_store::reference::{self, HolidayRow};

use super::{audit, commit, date, label, region_code, require, require_staff};
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::input::ApiJson;
use crate::routes::reference::CountyOut;

/// The longest span one holiday listing may cover, in days (about ten years).
pub const MAX_HOLIDAY_SPAN_DAYS: i64 = 3_660;

/// The holiday kinds.
pub const HOLIDAY_KINDS: [&str; 3] = ["solar", "lunar", "other"];

/// A county's editable flags.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CountyPatch {
    /// Flagged as a deprived area (priority).
    pub deprived: bool,
}

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
    require(&current, &Permission::ManageCounties)?;
    let patch: CountyPatch = crate::input::from_value(patch)?;
    let code = region_code(&code);
    let before = reference::county(&state.db, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    if !reference::set_county_deprived(&mut tx, &code, patch.deprived).await? {
        return Err(AppError::NotFound);
    }
    if (before.is_deprived == 1) != patch.deprived {
        let detail = json!({"deprived": patch.deprived, "province_code": before.province_code});
        audit(
            &mut tx,
            &current,
            "county.set_deprived",
            "county",
            &code,
            detail,
        )
        .await?;
    }
    commit(tx).await?;
    Ok(Json(CountyOut {
        code: before.code,
        name_fa: before.name_fa,
        name_en: before.name_en,
        deprived: patch.deprived,
    }))
}

/// A holiday.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct HolidayOut {
    /// ISO date.
    pub date: String,
    /// Persian name.
    pub name_fa: String,
    /// English name.
    pub name_en: String,
    /// `solar`, `lunar` or `other`.
    pub kind: String,
}

impl From<HolidayRow> for HolidayOut {
    fn from(h: HolidayRow) -> Self {
        HolidayOut {
            date: h.holiday_date,
            name_fa: h.name_fa,
            name_en: h.name_en,
            kind: h.kind,
        }
    }
}

/// The span of a holiday listing.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HolidayRange {
    /// First day, ISO or Jalali (default today).
    pub from: Option<String>,
    /// Last day, ISO or Jalali (default a year after `from`).
    pub to: Option<String>,
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
    require_staff(&current)?;
    let Query(range) = range.map_err(|_| AppError::BadRequest("bad_request"))?;
    let mut errors = FieldErrors::new();
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    let from = if blank(&range.from) {
        Some(state.ctx.today())
    } else {
        date(&mut errors, "from", &range.from)
    };
    let to = match from {
        Some(f) if blank(&range.to) => Some(f + Duration::days(365)),
        _ => date(&mut errors, "to", &range.to),
    };
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            errors.add("to", "date_range_reversed");
        } else if (t - f).num_days() > MAX_HOLIDAY_SPAN_DAYS {
            errors.add("to", "out_of_range");
        }
    }
    errors.finish()?;
    let (Some(from), Some(to)) = (from, to) else {
        return Err(AppError::Internal(
            "holiday range parse returned nothing".into(),
        ));
    };
    let rows = reference::holidays_between(&state.db, from, to).await?;
    Ok(Json(rows.into_iter().map(HolidayOut::from).collect()))
}

/// A new holiday.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayInput {
    /// The date, ISO or Jalali.
    pub date: Option<String>,
    /// Persian name.
    pub name_fa: Option<String>,
    /// English name.
    pub name_en: Option<String>,
    /// `lunar`, `other` or `solar`.
    pub kind: Option<String>,
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
    require(&current, &Permission::ManageHolidays)?;
    let mut errors = FieldErrors::new();
    let day = date(&mut errors, "date", &input.date);
    let name_fa = label(&mut errors, "name_fa", &input.name_fa);
    let name_en = label(&mut errors, "name_en", &input.name_en);
    let kind = match input.kind.as_deref().map(str::trim) {
        None | Some("") => {
            errors.add("kind", "required");
            None
        }
        Some(k) if HOLIDAY_KINDS.contains(&k) => Some(k.to_string()),
        Some(_) => {
            errors.add("kind", "invalid_choice");
            None
        }
    };
    errors.finish()?;
    let (Some(day), Some(name_fa), Some(name_en), Some(kind)) = (day, name_fa, name_en, kind)
    else {
        return Err(AppError::Internal("holiday parse returned nothing".into()));
    };
    let mut tx = state.db.begin().await?;
    if !reference::add_holiday(&mut tx, day, &name_fa, &name_en, &kind).await? {
        return Err(AppError::Conflict("holiday_exists"));
    }
    let iso = vamyar_store::time::date(day);
    let detail = json!({"name_fa": name_fa, "name_en": name_en, "kind": kind});
    audit(&mut tx, &current, "holiday.add", "holiday", &iso, detail).await?;
    commit(tx).await?;
    Ok((
        StatusCode::CREATED,
        Json(HolidayOut {
            date: iso,
            name_fa,
            name_en,
            kind,
        }),
    ))
}

/// Removes a holiday (national admin); 404 when that date is no holiday.
#[utoipa::path(delete, path = "/api/v1/holidays/{date}", tag = "admin",
    params(("date" = String, Path, description = "the date, ISO (or Jalali with dashes)")),
    responses((status = 204), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "field errors")))]
pub async fn delete_holiday(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(raw): Path<String>,
) -> AppResult<StatusCode> {
    require(&current, &Permission::ManageHolidays)?;
    let mut errors = FieldErrors::new();
    let day: Option<NaiveDate> = date(&mut errors, "date", &Some(raw));
    errors.finish()?;
    let day = day.ok_or_else(|| AppError::Internal("date parse returned nothing".into()))?;
    let mut tx = state.db.begin().await?;
    let removed = reference::delete_holiday(&mut tx, day)
        .await?
        .ok_or(AppError::NotFound)?;
    let detail =
        json!({"name_fa": removed.name_fa, "name_en": removed.name_en, "kind": removed.kind});
    audit(
        &mut tx,
        &current,
        "holiday.delete",
        "holiday",
        &removed.holiday_date,
        detail,
    )
    .await?;
    commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}
