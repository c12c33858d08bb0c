//! Setting one province's quota under a memorandum: the national administration for any
//! province, a province's administrator for their own. A limit may never fall below what
//! referrals already use; the check and the write are one conditional statement, so a
//! referral consuming quota at the same moment cannot slip under the new limit.

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use vamyar_domain::policy::{Actor, Permission};
use vamyar_store::{Tx, bank, reference};

use super::memoranda::QuotaOut;
use super::{audit, limits, require, unparsed};
use crate::Ctx;
use crate::applicant::Flex;
use crate::error::{Error, FieldErrors, Result};
use crate::fields::region_code;

/// A province's quota limits.
#[derive(Clone, Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotaLimits {
    /// Referrals allowed.
    pub count_limit: Option<Flex>,
    /// Rials allowed.
    pub amount_limit: Option<Flex>,
}

/// Sets `province_code`'s quota under memorandum `id`: the national admin for any province,
/// a province admin for their own (forbidden for another). An unknown province or
/// memorandum is not found; a limit below what referrals already use is refused with the
/// field code `quota_below_used`. Audited as `quota.set` with the previous limits.
pub async fn set(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    province_code: &str,
    input: QuotaLimits,
) -> Result<QuotaOut> {
    let mut tx = ctx.db.begin().await?;
    let out = set_in(ctx, &mut tx, actor, id, province_code, input).await?;
    tx.commit().await?;
    Ok(out)
}

/// [`set`] inside the caller's transaction `tx` (every check, the write and its audit row;
/// the caller commits or rolls back). Reads before the write go through the pool; nothing
/// here begins another transaction.
pub async fn set_in(
    ctx: &Ctx,
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    province_code: &str,
    input: QuotaLimits,
) -> Result<QuotaOut> {
    let pool = ctx.db.pool();
    let province = region_code(province_code);
    if reference::province(pool, &province).await?.is_none() {
        return Err(Error::NotFound);
    }
    require(
        actor,
        &Permission::ManageQuotas {
            province: province.clone(),
        },
    )?;
    if bank::memorandum(pool, id).await?.is_none() {
        return Err(Error::NotFound);
    }
    let mut errors = FieldErrors::new();
    let lim = limits(&mut errors, "", &input.count_limit, &input.amount_limit);
    errors.finish()?;
    let Some((count_limit, amount_limit)) = lim else {
        return Err(unparsed("quota"));
    };
    let before = bank::quota(&mut **tx, id, &province).await?;
    if !bank::set_quota_within_used(tx, id, &province, count_limit, amount_limit).await? {
        let used = bank::quota(&mut **tx, id, &province)
            .await?
            .ok_or_else(|| Error::Internal("refused quota vanished".into()))?;
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
        return Err(Error::Internal("quota refused without a reason".into()));
    }
    let detail = json!({
        "memorandum_id": id, "province_code": province,
        "count_limit": count_limit, "amount_limit": amount_limit,
        "previous": before.map(|q| json!({"count_limit": q.count_limit, "amount_limit": q.amount_limit})),
    });
    let key = format!("{id}/{province}");
    audit(tx, actor, "quota.set", "quota", key, detail).await?;
    let quota = bank::quota(&mut **tx, id, &province)
        .await?
        .ok_or_else(|| Error::Internal("quota written but not found".into()))?;
    Ok(quota.into())
}
