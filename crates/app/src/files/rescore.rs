//! Scoring open files again when what their priority rests on changes: a program's weights,
//! a county's deprived flag, an imported income decile, a household link (its size). Each file's static score (the score
//! without waiting points), its factors and its queue rank (`vamyar_domain::queue_key`) are
//! rewritten inside the caller's transaction, so the queue's order never disagrees with the
//! score a file shows.

use std::collections::HashMap;

use chrono::NaiveDate;
use vamyar_domain::priority::{self, Priority, PriorityWeights};
use vamyar_domain::queue_key::{Waiting, day_number};
use vamyar_store::Tx;
use vamyar_store::application::Application;
use vamyar_store::person::Person;
use vamyar_store::queue::OpenFiles;

use super::priority_input;

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
        let household = vamyar_store::household::size_of(&mut **tx, &person.national_id).await?;
        let person = with_household(person, household);
        let deprived = deprived[&app.county_code];
        let submitted_on = priority_input(&app, &person, deprived, today).submitted_on;
        // Scored on the day of submission: the static score, without waiting points.
        let fixed = score(w, &app, &person, deprived, imported, submitted_on);
        let factors = stored_factors(
            &fixed,
            decile_source(imported, person.income_decile),
            household.is_some(),
        );
        let rank = Waiting::from(w).rank_in(
            app.state,
            fixed.score,
            day_number(submitted_on),
            day_number(today),
        );
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

/// Scores again, inside `tx`, the open files of the person with `national_id` after their
/// imported decile changed (`admin::decile_import`); `weights` caches every program's weights
/// across calls. Returns how many files were written (none when nobody with that national ID
/// has registered).
pub async fn rescore_person(
    ctx: &crate::Ctx,
    tx: &mut Tx,
    weights: &mut Option<HashMap<i64, PriorityWeights>>,
    national_id: &str,
) -> Result<usize> {
    if weights.is_none() {
        *weights = Some(program_weights(ctx).await?);
    }
    let all = weights.as_ref().map(|w| w as &HashMap<_, _>);
    let Some(all) = all else {
        return Ok(0);
    };
    let n = rescore(tx, OpenFiles::NationalId(national_id), all, ctx.today()).await?;
    Ok(n as usize)
}

/// The JSON stored in `application.priority_factors`: the priority (`score`, `factors`),
/// `income_decile_source`, which decile the score used: `imported` (the labour ministry's
/// list), `declared` (the applicant's claim) or `null` (none known), and
/// `household_size_source`: `linked` (the household's case file) or `declared`.
pub fn stored_factors(
    priority: &Priority,
    decile_source: Option<&str>,
    household_linked: bool,
) -> String {
    let mut value = serde_json::to_value(priority).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        map.insert("income_decile_source".into(), decile_source.into());
        let size = if household_linked {
            "linked"
        } else {
            "declared"
        };
        map.insert("household_size_source".into(), size.into());
    }
    value.to_string()
}

/// The person as the priority sees them: with the linked household's size (the agency's case
/// file) instead of the size they declared, when they are linked into one.
pub fn with_household(mut person: Person, linked_size: Option<i64>) -> Person {
    if let Some(size) = linked_size {
        person.household_size = size;
    }
    person
}

/// The priority of `app` on `today` with the decile the score uses (the imported one when
/// known).
pub fn score(
    weights: &PriorityWeights,
    app: &Application,
    person: &Person,
    deprived: bool,
    imported_decile: Option<i64>,
    today: NaiveDate,
) -> Priority {
    let mut input = priority_input(app, person, deprived, today);
    input.income_decile = imported_decile
        .or(person.income_decile)
        .and_then(|d| u8::try_from(d).ok());
    priority::score(weights, &input, today)
}

/// Where the decile a score uses comes from: `imported`, `declared`, or `None`.
pub fn decile_source(imported: Option<i64>, declared: Option<i64>) -> Option<&'static str> {
    match (imported, declared) {
        (Some(_), _) => Some("imported"),
        (None, Some(_)) => Some("declared"),
        (None, None) => None,
    }
}
