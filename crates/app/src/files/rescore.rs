//! Scoring open files again when what their priority rests on changes: a program's weights,
//! a county's deprived flag, an imported income decile. Each file's static score (the score
//! without waiting points), its factors and its queue rank (`vamyar_domain::queue_key`) are
//! rewritten inside the caller's transaction, so the queue's order never disagrees with the
//! score a file shows.

use std::collections::HashMap;

use chrono::NaiveDate;
use vamyar_domain::priority::{self, PriorityWeights};
use vamyar_domain::queue_key::{Waiting, day_number};
use vamyar_store::Tx;
use vamyar_store::queue::OpenFiles;

use crate::error::{Error, Result};

/// Scores the open files selected by `which` again with `weights` (each program's weights,
/// by program id) on `today`; returns how many files were written.
pub async fn rescore(
    tx: &mut Tx,
    which: OpenFiles<'_>,
    weights: &HashMap<i64, PriorityWeights>,
    today: NaiveDate,
) -> Result<u64> {
    let apps = vamyar_store::queue::open_files(tx, which).await?;
    let mut deprived: HashMap<String, bool> = HashMap::new();
    let mut written = 0;
    for app in apps {
        let Some(w) = weights.get(&app.program_id) else {
            continue;
        };
        let person = vamyar_store::person::get(&mut **tx, app.person_id)
            .await?
            .ok_or_else(|| Error::Internal(format!("file {} has no person", app.id)))?;
        if !deprived.contains_key(&app.county_code) {
            let flag = vamyar_store::reference::county_in(&mut **tx, &app.county_code)
                .await?
                .is_some_and(|c| c.is_deprived);
            deprived.insert(app.county_code.clone(), flag);
        }
        let imported =
            vamyar_store::person::imported_decile(&mut **tx, &person.national_id).await?;
        let mut input = super::priority_input(&app, &person, deprived[&app.county_code], today);
        if let Some(d) = imported.or(person.income_decile) {
            input.income_decile = u8::try_from(d).ok();
        }
        let submitted_on = input.submitted_on;
        let fixed = priority::score(w, &input, submitted_on);
        let factors = serde_json::to_string(&fixed).map_err(|e| Error::Internal(e.to_string()))?;
        let rank = Waiting::from(w).rank(fixed.score, day_number(submitted_on), day_number(today));
        vamyar_store::application::set_priority(tx, app.id, fixed.score, &factors, rank).await?;
        written += 1;
    }
    Ok(written)
}

/// Every program's stored priority weights, by program id.
pub async fn program_weights(ctx: &crate::Ctx) -> Result<HashMap<i64, PriorityWeights>> {
    let mut out = HashMap::new();
    for p in vamyar_store::program::list(ctx.db.pool()).await? {
        let w = serde_json::from_str(&p.priority_weights)
            .map_err(|e| Error::Internal(format!("program {} weights: {e}", p.id)))?;
        out.insert(p.id, w);
    }
    Ok(out)
}
