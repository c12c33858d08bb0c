//! Monitoring visits on the staff file page: the scheduled and recorded visits (the API's
//! `GET /api/v1/applications/{id}/visits`), the employment expert's form to record one
//! (`routes::visits::record`, the handler of `POST /api/v1/visits/{id}`), and whether the
//! office head is offered `accelerate` (only when the service would accept it: the loan runs
//! and its latest recorded visit found the plan not carried out).

use vamyar_domain::vocab::LoanStatus;
use vamyar_domain::workflow::{Role, State as FileState};
use vamyar_i18n::Lang;

use super::apply::Opt;
use super::detail::ActionForm;
use super::fmt;
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;
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
        && FileState::parse(file_state).is_some_and(|s| in_states(s, &VISIT_STATES))
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
        Some(l) if l.status == LoanStatus::Active => {
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
