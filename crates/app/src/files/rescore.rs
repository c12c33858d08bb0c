//! The stored priority of a file (`application.priority_score` and `priority_factors`):
//! written at registration and rewritten for a person's open files when an imported income
//! decile changes (`admin::decile_import`), so that stored orderings and exports follow the
//! labour ministry's list. The queue itself computes the live score when it is read
//! ([`super::FileContext::priority`]).

use chrono::NaiveDate;
use vamyar_domain::priority::{self, Priority, PriorityWeights};
use vamyar_store::Tx;
use vamyar_store::application::Application;
use vamyar_store::person::Person;

use super::{ProgramSettings, priority_input};
use crate::Ctx;
use crate::error::{Error, Result};

/// The JSON stored in `application.priority_factors`: the priority (`score`, `factors`) and
/// `income_decile_source`, which decile the score used: `imported` (the labour ministry's
/// list), `declared` (the applicant's claim) or `null` (none known).
pub fn stored_factors(priority: &Priority, decile_source: Option<&str>) -> String {
    let mut value = serde_json::to_value(priority).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        map.insert("income_decile_source".into(), decile_source.into());
    }
    value.to_string()
}

/// The priority of `app` with the decile the score uses (the imported one when known).
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

/// Rewrites, inside `tx`, the stored priority of the open files (not closed, withdrawn or
/// rejected) of the person with `national_id`, whose imported decile is now `decile`.
/// `programs` caches program settings across calls. Returns how many files were rewritten
/// (none when nobody with that national ID has registered).
pub async fn rescore_person(
    ctx: &Ctx,
    tx: &mut Tx,
    programs: &mut Vec<ProgramSettings>,
    national_id: &str,
    decile: i64,
) -> Result<usize> {
    let Some(person) = vamyar_store::person::by_national_id(&mut **tx, national_id).await? else {
        return Ok(0);
    };
    let today = ctx.today();
    let files = vamyar_store::application::for_person(&mut **tx, person.id).await?;
    let mut rewritten = 0;
    for app in files.iter().filter(|a| a.state.is_open()) {
        if !programs.iter().any(|s| s.program.id == app.program_id) {
            let settings = ProgramSettings::load(ctx, app.program_id)
                .await?
                .ok_or_else(|| Error::Internal(format!("program {} missing", app.program_id)))?;
            programs.push(settings);
        }
        let Some(settings) = programs.iter().find(|s| s.program.id == app.program_id) else {
            continue;
        };
        let deprived = vamyar_store::reference::county(&ctx.db, &app.county_code)
            .await?
            .is_some_and(|c| c.is_deprived);
        let p = score(
            &settings.weights,
            app,
            &person,
            deprived,
            Some(decile),
            today,
        );
        let factors = stored_factors(&p, Some("imported"));
        vamyar_store::application::set_priority(tx, app.id, p.score, &factors).await?;
        rewritten += 1;
    }
    Ok(rewritten)
}
