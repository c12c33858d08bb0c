//! Setting one province's quota under a memorandum: the national administration for any
//! province, a province's administrator for their own. A limit may never fall below what
//! referrals already use; the check and the write are one conditional statement, so a
//! referral consuming quota at the same moment cannot slip under the new limit.

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use vamyar_domain::policy::Permission;
use vamyar_store::{bank, reference};

use super::memoranda::QuotaOut;
use super::{amount, audit, commit, int, region_code, require};
use crate::AppState;
use crate::applicant::Flex;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::input::ApiJson;

/// The largest referral count a quota may allow.
pub const MAX_QUOTA_COUNT: i64 = 10_000_000;

/// A province's quota limits.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotaLimits {
    /// Referrals allowed.
    pub count_limit: Option<Flex>,
    /// Rials allowed.
    pub amount_limit: Option<Flex>,
}

/// A quota's two limits, checked; fields `{prefix}count_limit` and `{prefix}amount_limit`.
pub fn limits(
    errors: &mut FieldErrors,
    prefix: &str,
    count: &Option<Flex>,
    amount_limit: &Option<Flex>,
) -> Option<(i64, i64)> {
    let c = int(
        errors,
        &format!("{prefix}count_limit"),
        count,
        0..=MAX_QUOTA_COUNT,
    );
    let a = amount(
        errors,
        &format!("{prefix}amount_limit"),
        amount_limit,
        0..=i64::MAX,
    );
    Some((c?, a?))
}

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
    let pool = state.db.pool();
    let province = region_code(&province_code);
    if reference::province(pool, &province).await?.is_none() {
        return Err(AppError::NotFound);
    }
    require(
        &current,
        &Permission::ManageQuotas {
            province: province.clone(),
        },
    )?;
    if bank::memorandum(pool, id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let mut errors = FieldErrors::new();
    let lim = limits(&mut errors, "", &input.count_limit, &input.amount_limit);
    errors.finish()?;
    let Some((count_limit, amount_limit)) = lim else {
        return Err(AppError::Internal("quota parse returned nothing".into()));
    };
    let mut tx = state.db.begin().await?;
    let before = bank::quota(&mut *tx, id, &province).await?;
    if !bank::set_quota_within_used(&mut tx, id, &province, count_limit, amount_limit).await? {
        let used = bank::quota(&mut *tx, id, &province)
            .await?
            .ok_or_else(|| AppError::Internal("refused quota vanished".into()))?;
        let mut errors = FieldErrors::new();
        if count_limit < used.count_used {
            errors.add_with(
                "count_limit",
                "quota_below_used",
                vec![("used", used.count_used)],
            );
        }
        if amount_limit < used.amount_used {
            errors.add_with(
                "amount_limit",
                "quota_below_used",
                vec![("used", used.amount_used)],
            );
        }
        errors.finish()?;
        return Err(AppError::Internal("quota refused without a reason".into()));
    }
    let detail = json!({
        "memorandum_id": id, "province_code": province,
        "count_limit": count_limit, "amount_limit": amount_limit,
        "previous": before.map(|q| json!({"count_limit": q.count_limit, "amount_limit": q.amount_limit})),
    });
    audit(
        &mut tx,
        &current,
        "quota.set",
        "quota",
        format!("{id}/{province}"),
        detail,
    )
    .await?;
    let quota = bank::quota(&mut *tx, id, &province)
        .await?
        .ok_or_else(|| AppError::Internal("quota written but not found".into()))?;
    commit(tx).await?;
    Ok(Json(quota.into()))
}
