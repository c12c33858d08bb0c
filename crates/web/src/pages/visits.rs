//! Monitoring visits on the staff file page: the scheduled and recorded visits (the API's
//! `GET /api/v1/applications/{id}/visits`), the employment expert's form to record one
//! (`routes::visits::record`, the handler of `POST /api/v1/visits/{id}`), and whether the
//! office head is offered `accelerate` (only when the service would accept it: the loan runs
//! and its latest recorded visit found the plan not carried out).

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{Value, json};
use vamyar_domain::workflow::Role;
use vamyar_i18n::Lang;

use super::apply::Opt;
use super::file::ActionForm;
use super::{FormData, PageForm, error_text, fmt, page, see_other};
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};
use vamyar_app::files::guard::in_states;
use vamyar_app::visits::VISIT_STATES;

/// One visit as listed.
#[derive(Clone, Debug)]
pub struct VisitRow {
    /// Planned day (Jalali).
    pub scheduled: String,
    /// The day it took place, once recorded.
    pub visited: Option<String>,
    /// Business running: yes or no.
    pub running: String,
    /// People employed.
    pub people: String,
    /// Plan carried out: yes or no.
    pub carried_out: String,
    /// True when it found the plan not carried out (highlighted).
    pub failed: bool,
    /// Findings.
    pub findings: String,
    /// Recommendation.
    pub recommendation: String,
}

/// The visits section of the file page.
#[derive(Clone, Debug)]
pub struct VisitsBlock {
    /// Every visit by planned day.
    pub rows: Vec<VisitRow>,
    /// The visits not yet recorded, for the form (empty: no form).
    pub open: Vec<Opt>,
    /// The caller records visits now (employment expert, loan running).
    pub can_record: bool,
}

fn yes_no(lang: Lang, b: Option<bool>) -> String {
    match b {
        Some(true) => vamyar_i18n::text(lang, "pg-yes", &[]),
        Some(false) => vamyar_i18n::text(lang, "pg-no", &[]),
        None => String::new(),
    }
}

/// The visits of file `id` in state `file_state`, or `None` when it has none (not disbursed).
pub async fn block(
    state: &AppState,
    current: &CurrentActor,
    id: i64,
    file_state: &str,
    lang: Lang,
) -> AppResult<Option<VisitsBlock>> {
    let visits = vamyar_app::visits::list(&state.ctx, &current.actor, id, lang).await?;
    if visits.is_empty() {
        return Ok(None);
    }
    let rows = visits
        .iter()
        .map(|v| VisitRow {
            scheduled: fmt::date(lang, &v.scheduled_on),
            visited: v.visited_on.as_deref().map(|d| fmt::date(lang, d)),
            running: yes_no(lang, v.business_running),
            people: v
                .people_employed
                .map(|n| fmt::num(lang, n))
                .unwrap_or_default(),
            carried_out: yes_no(lang, v.plan_carried_out),
            failed: v.plan_carried_out == Some(false),
            findings: v.findings.clone().unwrap_or_default(),
            recommendation: v.recommendation.clone().unwrap_or_default(),
        })
        .collect();
    let open = visits
        .iter()
        .filter(|v| v.visited_on.is_none())
        .map(|v| Opt {
            value: v.id.to_string(),
            label: fmt::date(lang, &v.scheduled_on),
        })
        .collect::<Vec<_>>();
    let can_record = current.role() == Role::EmploymentExpert
        && in_states(file_state, &VISIT_STATES)
        && !open.is_empty();
    Ok(Some(VisitsBlock {
        rows,
        open,
        can_record,
    }))
}

/// Drops `accelerate` from the offered actions unless the service would accept it now: the
/// file's loan is running and its latest recorded visit found the plan not carried out.
pub async fn keep_offered(
    state: &AppState,
    id: i64,
    actions: &mut Vec<ActionForm>,
) -> AppResult<()> {
    if !actions.iter().any(|a| a.name == "accelerate") {
        return Ok(());
    }
    let allowed = match vamyar_store::loan::for_application(state.db.pool(), id).await? {
        Some(l) if l.status == "active" => {
            crate::loans::accelerate::failed_visit(state.db.pool(), l.id)
                .await?
                .is_some()
        }
        _ => false,
    };
    if !allowed {
        actions.retain(|a| a.name != "accelerate");
    }
    Ok(())
}

/// A yes/no radio pair as JSON (`null` when neither was chosen).
fn flag(form: &FormData, name: &str) -> Value {
    match form.get(name).as_deref() {
        Some("yes") => json!(true),
        Some("no") => json!(false),
        _ => Value::Null,
    }
}

/// The body of `POST /api/v1/visits/{id}` from the form.
fn visit_body(form: &FormData) -> Value {
    json!({
        "visited_on": form.get("visited_on"),
        "business_running": flag(form, "business_running"),
        "people_employed": form.get("people_employed"),
        "plan_carried_out": flag(form, "plan_carried_out"),
        "findings": form.get("findings"),
        "recommendation": form.get("recommendation"),
    })
}

/// `POST /desk/files/{id}/visits`: the employment expert records the chosen scheduled visit
/// (`visit_id`), then back to the file; a refusal shows the file page with the problem.
pub async fn record(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    if !current.role().is_staff() {
        return Err(AppError::Forbidden);
    }
    let visit = form
        .get("visit_id")
        .and_then(|v| v.parse::<i64>().ok())
        .ok_or(AppError::BadRequest("bad_request"))?;
    // the visit must belong to this file (the handler checks who may record it)
    let found = vamyar_store::loan::visit::get(state.db.pool(), visit)
        .await?
        .filter(|v| v.application_id == id)
        .ok_or(AppError::NotFound)?;
    match vamyar_app::visits::record(
        &state.ctx,
        &current.actor,
        found.id,
        visit_body(&form),
        ctx.lang,
    )
    .await
    .map_err(AppError::from)
    {
        Ok(_) => Ok(see_other(&ctx, &format!("/desk/files/{id}?done=visit"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let mut p = super::file::build(&state, &ctx, &current, id).await?;
            p.c.error = Some(error_text(ctx.lang, &e));
            page(&ctx, e.status_code(), &p)
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_becomes_the_api_body() {
        let f = FormData(vec![
            ("visited_on".into(), "۱۴۰۵/۰۲/۰۱".into()),
            ("business_running".into(), "no".into()),
            ("people_employed".into(), "۰".into()),
            ("findings".into(), " ".into()),
        ]);
        assert_eq!(
            visit_body(&f),
            json!({"visited_on": "۱۴۰۵/۰۲/۰۱", "business_running": false,
                "people_employed": "۰", "plan_carried_out": null, "findings": null,
                "recommendation": null})
        );
    }
}
