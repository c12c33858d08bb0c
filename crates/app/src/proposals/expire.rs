//! Close of business marks the proposals whose last day has passed `expired` (each with a
//! history and an audit row); an expired proposal can no longer be confirmed.

use chrono::NaiveDate;

use super::record::step;
use crate::Ctx;
use crate::error::Result;
use crate::files::FileContext;

/// Marks every pending proposal whose last day is before `date` expired; returns how many.
pub async fn expire(ctx: &Ctx, date: NaiveDate) -> Result<u64> {
    let at = vamyar_store::time::ts(ctx.clock.now());
    let mut files = Vec::new();
    // the files first (read outside the writing transaction), then one transaction
    for p in vamyar_store::proposal::pending(ctx.db.pool()).await? {
        if p.expires_on < vamyar_store::time::date(date)
            && let Some(file) = FileContext::load(ctx, p.application_id).await?
        {
            files.push(file);
        }
    }
    let mut tx = ctx.db.begin().await?;
    let expired =
        vamyar_store::proposal::expire_before(&mut tx, &vamyar_store::time::date(date), &at)
            .await?;
    for p in &expired {
        if let Some(file) = files.iter().find(|f| f.app.id == p.application_id) {
            step(&mut tx, p, file, None, "expire", None, &at).await?;
        }
    }
    tx.commit().await?;
    Ok(expired.len() as u64)
}
