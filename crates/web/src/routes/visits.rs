//! Monitoring visits over HTTP: the visits of a file (scheduled at disbursement) and the
//! employment expert recording one. Recording a visit that finds the plan not carried out
//! queues nothing by itself; it is what lets the office head `accelerate` the loan.

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_domain::policy::Permission;
use vamyar_domain::workflow::State as FileState;
use vamyar_store::loan::visit::{self, VisitRecord};

use super::documents::{lock_file, permit};
use crate::AppState;
use crate::applicant::Flex;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::files::FileContext;
use crate::input::ApiJson;
use crate::lang::ReqLang;
use crate::loans::iran_today;
use crate::loans::view::{self, VisitView};

/// The file states in which visits are recorded: while the loan runs.
pub const VISIT_STATES: [FileState; 2] = [FileState::Active, FileState::Accelerated];

/// The longest findings or recommendation (characters).
pub const MAX_TEXT_CHARS: usize = 4000;

/// The most people a business may employ in a record.
pub const MAX_PEOPLE: i64 = 10_000;

/// The routes of monitoring visits.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(record))
}

/// A file's monitoring visits by planned date, for anyone who can see the file.
#[utoipa::path(get, path = "/api/v1/applications/{id}/visits", tag = "loans",
    params(("id" = i64, Path, description = "file id")),
    responses((status = 200, body = Vec<VisitView>), (status = 401), (status = 404)))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentActor,
    lang: ReqLang,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<VisitView>>> {
    crate::files::visible_file(&state, &current, id).await?;
    let visits = visit::for_application(state.db.pool(), id).await?;
    Ok(Json(
        visits
            .iter()
            .map(|v| view::visit_view(v, lang.0))
            .collect::<AppResult<Vec<_>>>()?,
    ))
}

/// The body of `POST /api/v1/visits/{id}`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitBody {
    /// The day of the visit: ISO or Jalali, not in the future nor before disbursement.
    pub visited_on: Option<String>,
    /// Whether the business was running.
    pub business_running: Option<bool>,
    /// People working in the business, 0 to 10000.
    #[schema(value_type = Option<String>)]
    pub people_employed: Option<Flex>,
    /// Whether the business plan was carried out; `false` lets the office head accelerate.
    pub plan_carried_out: Option<bool>,
    /// What the expert found (at most 4000 characters).
    pub findings: Option<String>,
    /// What the expert recommends (at most 4000 characters).
    pub recommendation: Option<String>,
}

fn text(errors: &mut FieldErrors, field: &str, v: &Option<String>) -> Option<String> {
    let s = v
        .as_deref()
        .map(vamyar_domain::text::normalize_persian)
        .filter(|s| !s.is_empty())?;
    if s.chars().count() > MAX_TEXT_CHARS {
        errors.add_with(field, "too_long", vec![("max", MAX_TEXT_CHARS as i64)]);
        return None;
    }
    Some(s)
}

fn required<T: Copy>(errors: &mut FieldErrors, field: &str, v: Option<T>) -> Option<T> {
    if v.is_none() {
        errors.add(field, "required");
    }
    v
}

/// Records a scheduled monitoring visit, once (the employment expert of the file's county,
/// while the loan runs). Audited.
#[utoipa::path(post, path = "/api/v1/visits/{id}", tag = "loans",
    params(("id" = i64, Path, description = "visit id")),
    request_body = VisitBody,
    responses((status = 200, body = VisitView), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "`visit_already_recorded`, or the loan no longer runs"),
        (status = 422, description = "field errors")))]
pub async fn record(
    State(state): State<AppState>,
    current: CurrentActor,
    lang: ReqLang,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> AppResult<Json<VisitView>> {
    let found = visit::get(state.db.pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let file = FileContext::load(&state, found.application_id)
        .await?
        .ok_or(AppError::NotFound)?;
    permit(
        &state,
        &current,
        &file,
        &Permission::RecordVisit,
        "visit.record",
        "monitoring_visit",
        id,
    )
    .await?;
    let body: VisitBody = crate::input::from_value(body)?;
    let loan = vamyar_store::loan::get(state.db.pool(), found.loan_id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("visit {id} has no loan")))?;
    let disbursed_on = vamyar_store::time::parse_date(&loan.disbursed_on)?;
    let mut errors = FieldErrors::new();
    let visited_on = match body
        .visited_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            errors.add("visited_on", "required");
            None
        }
        Some(s) => match errors.check("visited_on", vamyar_calendar::parse_date(s)) {
            Some(d) if d > iran_today() => {
                errors.add("visited_on", "date_in_future");
                None
            }
            Some(d) if d < disbursed_on => {
                errors.add("visited_on", "date_before_disbursement");
                None
            }
            d => d,
        },
    };
    let running = required(&mut errors, "business_running", body.business_running);
    let carried_out = required(&mut errors, "plan_carried_out", body.plan_carried_out);
    let people = match &body.people_employed {
        None => {
            errors.add("people_employed", "required");
            None
        }
        Some(v) => match v.int_in(0..=MAX_PEOPLE) {
            Ok(n) => Some(n),
            Err(code) => {
                errors.add("people_employed", code);
                None
            }
        },
    };
    let findings = text(&mut errors, "findings", &body.findings);
    let recommendation = text(&mut errors, "recommendation", &body.recommendation);
    errors.finish()?;
    let (Some(visited_on), Some(running), Some(carried_out), Some(people)) =
        (visited_on, running, carried_out, people)
    else {
        return Err(AppError::Internal("visit checked without its parts".into()));
    };
    let staff_id = current.actor.staff_id().ok_or(AppError::Forbidden)?;
    let visited_on = vamyar_store::time::date(visited_on);

    let mut tx = state.db.begin().await?;
    lock_file(&mut tx, &file, &VISIT_STATES).await?;
    let recorded = visit::record(
        &mut tx,
        id,
        &VisitRecord {
            visited_on: &visited_on,
            staff_user_id: staff_id,
            business_running: running,
            people_employed: people,
            plan_carried_out: carried_out,
            findings: findings.as_deref(),
            recommendation: recommendation.as_deref(),
        },
    )
    .await?;
    if !recorded {
        return Err(AppError::Conflict("visit_already_recorded"));
    }
    let entry = crate::audit::entry(&current, "visit.record", "monitoring_visit")
        .on(id)
        .detail(json!({
            "application_id": file.app.id,
            "loan_id": found.loan_id,
            "visited_on": visited_on,
            "business_running": running,
            "people_employed": people,
            "plan_carried_out": carried_out,
        }));
    vamyar_store::audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    let saved = visit::get(state.db.pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(view::visit_view(&saved, lang.0)?))
}
