//! Setting one province's quota under a memorandum over HTTP
//! (`vamyar_app::admin::quotas` does the work).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use vamyar_app::admin::changes::{self, Changed};
use vamyar_app::admin::quotas;

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;
use crate::input::ApiJson;

use super::changes::submitted;

use quotas::QuotaLimits;
use vamyar_app::admin::memoranda::QuotaOut;

/// Sets a province's quota under a memorandum: the national admin for any province, a
/// province admin for their own (403 for another). A limit below what referrals already
/// use is refused with the field code `quota_below_used`. Under `[four_eyes] quota` the
/// request is checked and proposed (202) for another holder of the province's authority.
#[utoipa::path(put, path = "/api/v1/memoranda/{id}/quotas/{province_code}", tag = "admin",
    params(("id" = i64, Path, description = "memorandum id"),
        ("province_code" = String, Path, description = "two-digit province code")),
    request_body = QuotaLimits,
    responses((status = 200, body = QuotaOut),
        (status = 202, body = Changed, description = "`[four_eyes] quota`: checked and proposed, `{\"change\": {...}}`; nothing changed until a second person confirms"),
        (status = 401), (status = 403), (status = 404),
        (status = 409, description = "proposal_pending"),
        (status = 422, description = "field errors, quota_below_used")))]
pub async fn set_quota(
    State(state): State<AppState>,
    current: CurrentActor,
    Path((id, province_code)): Path<(i64, String)>,
    ApiJson(input): ApiJson<QuotaLimits>,
) -> AppResult<Response> {
    let s = changes::submit_quota(&state.ctx, &current.actor, id, &province_code, input).await?;
    Ok(submitted(StatusCode::OK, s))
}
