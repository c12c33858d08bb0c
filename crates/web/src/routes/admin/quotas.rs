//! Setting one province's quota under a memorandum over HTTP
//! (`vamyar_app::admin::quotas` does the work).

use axum::Json;
use axum::extract::{Path, State};
use vamyar_app::admin::quotas;

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;
use crate::input::ApiJson;

use quotas::QuotaLimits;
use vamyar_app::admin::memoranda::QuotaOut;

/// Sets a province's quota under a memorandum: the national admin for any province, a
/// province admin for their own (403 for another). A limit below what referrals already
/// use is refused with the field code `quota_below_used`.
#[utoipa::path(put, path = "/api/v1/memoranda/{id}/quotas/{province_code}", tag = "admin",
    params(("id" = i64, Path, description = "memorandum id"),
        ("province_code" = String, Path, description = "two-digit province code")),
    request_body = QuotaLimits,
    responses((status = 200, body = QuotaOut), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "field errors, quota_below_used")))]
pub async fn set_quota(
    State(state): State<AppState>,
    current: CurrentActor,
    Path((id, province_code)): Path<(i64, String)>,
    ApiJson(input): ApiJson<QuotaLimits>,
) -> AppResult<Json<QuotaOut>> {
    Ok(Json(
        quotas::set(&state.ctx, &current.actor, id, &province_code, input).await?,
    ))
}
