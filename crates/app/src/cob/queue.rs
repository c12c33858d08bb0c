//! The queue step of close of business: files that reached the waiting cap stop gaining
//! points, so their stored rank moves (`vamyar_domain::queue_key`); every other file's rank
//! stays right by itself.

use chrono::NaiveDate;
use vamyar_domain::queue_key::{Waiting, day_number};

use crate::Ctx;
use crate::error::Result;
use crate::files::ProgramSettings;

/// Re-ranks the capped files of every program for `date`; returns the rows changed.
pub async fn rerank_capped(ctx: &Ctx, date: NaiveDate) -> Result<u64> {
    let mut changed = 0;
    for p in vamyar_store::program::list(ctx.db.pool()).await? {
        let Some(settings) = ProgramSettings::load(ctx, p.id).await? else {
            continue;
        };
        let w = Waiting::from(&settings.weights);
        let mut tx = ctx.db.begin().await?;
        changed += vamyar_store::queue::rerank_capped(
            &mut tx,
            p.id,
            w.per_day,
            w.cap_days,
            day_number(date),
        )
        .await?;
        tx.commit().await?;
    }
    Ok(changed)
}
