//! Job counselling over HTTP: the employment expert of the file's county records counselling
//! sessions and the business-plan review (required before `approve_plan`) while the file is
//! in `counselling`, and the technical services provided to the business from then on.
//! Every write is audited; arranging a next session is announced to the applicant.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_domain::policy::Permission;
use vamyar_domain::workflow::State as FileState;
use vamyar_store::counselling::{self, NewPlanReview, PlanReview, Service, Session};

use super::documents::{lock_file, permit, queue_message};
use crate::AppState;
use crate::applicant::Flex;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::files::{FileContext, Settings};
use crate::input::ApiJson;

/// The states in which sessions and plan reviews are recorded.
pub const COUNSELLING_STATES: [FileState; 1] = [FileState::Counselling];

/// The states in which services are recorded: counselling and every later open state.
pub const SERVICE_STATES: [FileState; 7] = [
    FileState::Counselling,
    FileState::AwaitingReferral,
    FileState::Referred,
    FileState::GuaranteesPending,
    FileState::BankApproved,
    FileState::Active,
    FileState::Accelerated,
];

/// The kinds of technical and expert services.
pub const SERVICE_KINDS: [&str; 7] = [
    "technical_advice",
    "training",
    "marketing",
    "licensing",
    "financial_advice",
    "equipment",
    "other",
];

/// The longest notes or description (characters).
pub const MAX_NOTES_CHARS: usize = 4000;

/// The longest activity or location (characters).
pub const MAX_LINE_CHARS: usize = 200;

/// The most jobs a plan may create.
pub const MAX_JOBS: i64 = 10_000;

/// The routes of counselling.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(record_session, list))
        .routes(routes!(record_plan_review))
        .routes(routes!(record_service))
}

/// Today in Iran (UTC+03:30, no daylight saving since 2022): what "not in the future" means
/// to the person typing the date.
fn iran_today() -> NaiveDate {
    (Utc::now() + Duration::minutes(210)).date_naive()
}

/// A trimmed, normalised text of at most `max` characters; `None` when absent or blank
/// (recorded as `required` when it is).
fn text_field(
    errors: &mut FieldErrors,
    field: &str,
    v: &Option<String>,
    max: usize,
    required: bool,
) -> Option<String> {
    let s = v
        .as_deref()
        .map(vamyar_domain::text::normalize_persian)
        .filter(|s| !s.is_empty());
    match s {
        None => {
            if required {
                errors.add(field, "required");
            }
            None
        }
        Some(s) if s.chars().count() > max => {
            errors.add_with(field, "too_long", vec![("max", max as i64)]);
            None
        }
        Some(s) => Some(s),
    }
}

/// A date typed in ISO or Jalali; `None` when absent (recorded as `required` when it is).
fn date_field(
    errors: &mut FieldErrors,
    field: &str,
    v: &Option<String>,
    required: bool,
) -> Option<NaiveDate> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            if required {
                errors.add(field, "required");
            }
            None
        }
        Some(s) => errors.check(field, vamyar_calendar::parse_date(s)),
    }
}

/// A date that cannot be in the future.
fn past_date_field(errors: &mut FieldErrors, field: &str, v: &Option<String>) -> Option<NaiveDate> {
    match date_field(errors, field, v, true) {
        Some(d) if d > iran_today() => {
            errors.add(field, "date_in_future");
            None
        }
        d => d,
    }
}

/// Loads a file for the employment expert: 404 outside the scope, 403 for another role,
/// 409 `invalid_state` outside `states`.
async fn expert_file(
    state: &AppState,
    current: &CurrentActor,
    id: i64,
    action: &str,
    states: &[FileState],
) -> AppResult<FileContext> {
    let file = FileContext::load(state, id)
        .await?
        .ok_or(AppError::NotFound)?;
    permit(
        state,
        current,
        &file,
        &Permission::RecordCounselling,
        action,
        "application",
        id,
    )
    .await?;
    if !super::documents::in_states(&file.app.state, states) {
        return Err(AppError::Conflict("invalid_state"));
    }
    Ok(file)
}

fn staff_id(current: &CurrentActor) -> AppResult<i64> {
    current.actor.staff_id().ok_or(AppError::Forbidden)
}

// --- Sessions -----------------------------------------------------------------------------------

/// The body of `POST /api/v1/applications/{id}/counselling`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionBody {
    /// The day the session was held: ISO or Jalali (`1405/01/15`), not in the future.
    pub held_on: Option<String>,
    /// What was discussed.
    pub notes: Option<String>,
    /// The next session's day, if one is arranged (today or later); the applicant is told.
    pub next_session_on: Option<String>,
}

/// A counselling session as the API returns it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SessionView {
    /// Id.
    pub id: i64,
    /// The day it was held (ISO).
    pub held_on: String,
    /// The next session's day (ISO).
    pub next_session_on: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// The expert's username (staff viewers only).
    pub recorded_by: Option<String>,
    /// When it was recorded (RFC 3339).
    pub created_at: String,
}

fn session_view(s: Session, recorded_by: Option<String>) -> SessionView {
    SessionView {
        id: s.id,
        held_on: s.held_on,
        next_session_on: s.scheduled_for,
        notes: s.notes,
        recorded_by,
        created_at: s.created_at,
    }
}

/// Records a counselling session (employment expert of the file's county; the file must be
/// in `counselling`). A next session's date is announced to the applicant.
#[utoipa::path(post, path = "/api/v1/applications/{id}/counselling", tag = "counselling",
    params(("id" = i64, Path, description = "file id")),
    request_body = SessionBody,
    responses((status = 201, body = SessionView), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "the file is not in counselling"), (status = 422)))]
pub async fn record_session(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<SessionBody>,
) -> AppResult<(StatusCode, Json<SessionView>)> {
    let file = expert_file(
        &state,
        &current,
        id,
        "counselling.session",
        &COUNSELLING_STATES,
    )
    .await?;
    let mut errors = FieldErrors::new();
    let held_on = past_date_field(&mut errors, "held_on", &body.held_on);
    let next = match date_field(&mut errors, "next_session_on", &body.next_session_on, false) {
        Some(d) if d < iran_today() => {
            errors.add("next_session_on", "date_in_past");
            None
        }
        d => d,
    };
    let notes = text_field(&mut errors, "notes", &body.notes, MAX_NOTES_CHARS, false);
    errors.finish()?;
    let Some(held_on) = held_on else {
        return Err(AppError::Internal(
            "session checked without its date".into(),
        ));
    };
    let staff_id = staff_id(&current)?;
    let held_on = vamyar_store::time::date(held_on);
    let next = next.map(vamyar_store::time::date);

    let mut tx = state.db.begin().await?;
    let fresh = lock_file(&mut tx, &file, &COUNSELLING_STATES).await?;
    let session = counselling::add_session(
        &mut tx,
        id,
        staff_id,
        &held_on,
        next.as_deref(),
        notes.as_deref(),
    )
    .await?;
    let entry = crate::audit::entry(&current, "counselling.session", "counselling_session")
        .on(session.id)
        .detail(json!({"application_id": id, "held_on": held_on, "next_session_on": next}));
    vamyar_store::audit::append(&mut tx, &entry).await?;
    if let Some(date) = &next {
        queue_message(
            &mut tx,
            &fresh,
            json!({"kind": "counselling_scheduled", "date": date}),
            json!({"session_id": session.id, "next_session_on": date}),
            format!("counselling:{}:scheduled", session.id),
        )
        .await?;
    }
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(session_view(session, current.username.clone())),
    ))
}

// --- Plan reviews -------------------------------------------------------------------------------

/// The body of `POST /api/v1/applications/{id}/plan-review`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanReviewBody {
    /// The business activity as reviewed.
    pub activity: Option<String>,
    /// Where the business will run.
    pub location: Option<String>,
    /// Rials recommended: more than 0, at most the program's ceiling for the file's loan type
    /// (for employers, per job created).
    #[schema(value_type = Option<String>)]
    pub recommended_amount: Option<Flex>,
    /// Jobs the plan creates, 0 to 10000.
    #[schema(value_type = Option<String>)]
    pub jobs_to_create: Option<Flex>,
    /// The expert's notes.
    pub notes: Option<String>,
}

/// A plan review as the API returns it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PlanReviewView {
    /// Id.
    pub id: i64,
    /// Activity.
    pub activity: String,
    /// Location.
    pub location: String,
    /// Rials recommended.
    pub recommended_amount: i64,
    /// Jobs to create.
    pub jobs_to_create: i64,
    /// Notes.
    pub notes: Option<String>,
    /// The expert's username (staff viewers only).
    pub recorded_by: Option<String>,
    /// When it was recorded (RFC 3339).
    pub created_at: String,
}

fn plan_review_view(r: PlanReview, recorded_by: Option<String>) -> PlanReviewView {
    PlanReviewView {
        id: r.id,
        activity: r.activity,
        location: r.location,
        recommended_amount: r.recommended_amount,
        jobs_to_create: r.jobs_to_create,
        notes: r.notes,
        recorded_by,
        created_at: r.created_at,
    }
}

/// Records the business-plan review (employment expert of the file's county; the file must
/// be in `counselling`). The latest review is what `approve_plan` relies on.
#[utoipa::path(post, path = "/api/v1/applications/{id}/plan-review", tag = "counselling",
    params(("id" = i64, Path, description = "file id")),
    request_body = PlanReviewBody,
    responses((status = 201, body = PlanReviewView), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "the file is not in counselling"),
        (status = 422, description = "field errors, e.g. `amount_above_ceiling`")))]
pub async fn record_plan_review(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PlanReviewBody>,
) -> AppResult<(StatusCode, Json<PlanReviewView>)> {
    let file = expert_file(
        &state,
        &current,
        id,
        "counselling.plan_review",
        &COUNSELLING_STATES,
    )
    .await?;
    let settings = Settings::load(&state, file.app.program_id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("file {id} has no program")))?;
    let mut errors = FieldErrors::new();
    let activity = text_field(
        &mut errors,
        "activity",
        &body.activity,
        MAX_LINE_CHARS,
        true,
    );
    let location = text_field(
        &mut errors,
        "location",
        &body.location,
        MAX_LINE_CHARS,
        true,
    );
    let notes = text_field(&mut errors, "notes", &body.notes, MAX_NOTES_CHARS, false);
    let jobs = match &body.jobs_to_create {
        None => {
            errors.add("jobs_to_create", "required");
            None
        }
        Some(v) => match v.int_in(0..=MAX_JOBS) {
            Ok(n) => Some(n),
            Err(code) => {
                errors.add("jobs_to_create", code);
                None
            }
        },
    };
    let amount = match &body.recommended_amount {
        None => {
            errors.add("recommended_amount", "required");
            None
        }
        Some(v) => match vamyar_domain::money::Rial::parse(&v.0) {
            Ok(r) if r.value() > 0 => Some(r.value()),
            Ok(_) => {
                errors.add("recommended_amount", "out_of_range");
                None
            }
            Err(e) => {
                errors.add("recommended_amount", e.code());
                None
            }
        },
    };
    if let (Some(amount), Some(jobs)) = (amount, jobs) {
        let ceiling = settings.ceiling(&file.app.loan_type, jobs).unwrap_or(0);
        if amount > ceiling {
            errors.add_with(
                "recommended_amount",
                "amount_above_ceiling",
                vec![("ceiling", ceiling)],
            );
        }
    }
    errors.finish()?;
    let (Some(activity), Some(location), Some(amount), Some(jobs)) =
        (activity, location, amount, jobs)
    else {
        return Err(AppError::Internal(
            "plan review checked without its parts".into(),
        ));
    };
    let staff_id = staff_id(&current)?;

    let mut tx = state.db.begin().await?;
    lock_file(&mut tx, &file, &COUNSELLING_STATES).await?;
    let review = counselling::add_plan_review(
        &mut tx,
        &NewPlanReview {
            application_id: id,
            staff_user_id: staff_id,
            activity: &activity,
            location: &location,
            recommended_amount: amount,
            jobs_to_create: jobs,
            notes: notes.as_deref(),
        },
    )
    .await?;
    let entry = crate::audit::entry(&current, "counselling.plan_review", "plan_review")
        .on(review.id)
        .detail(
            json!({"application_id": id, "recommended_amount": amount, "jobs_to_create": jobs}),
        );
    vamyar_store::audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(plan_review_view(review, current.username.clone())),
    ))
}

// --- Services -----------------------------------------------------------------------------------

/// The body of `POST /api/v1/applications/{id}/services`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceBody {
    /// `technical_advice`, `training`, `marketing`, `licensing`, `financial_advice`,
    /// `equipment` or `other`.
    pub kind: Option<String>,
    /// What was done.
    pub description: Option<String>,
    /// The day it was provided: ISO or Jalali, not in the future.
    pub provided_on: Option<String>,
}

/// A service as the API returns it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ServiceView {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: String,
    /// What was done.
    pub description: String,
    /// The day it was provided (ISO).
    pub provided_on: String,
    /// The expert's username (staff viewers only).
    pub recorded_by: Option<String>,
    /// When it was recorded (RFC 3339).
    pub created_at: String,
}

fn service_view(s: Service, recorded_by: Option<String>) -> ServiceView {
    ServiceView {
        id: s.id,
        kind: s.kind,
        description: s.description,
        provided_on: s.provided_on,
        recorded_by,
        created_at: s.created_at,
    }
}

/// Records a technical or expert service provided to the business (employment expert of the
/// file's county; the file in counselling or any later open state).
#[utoipa::path(post, path = "/api/v1/applications/{id}/services", tag = "counselling",
    params(("id" = i64, Path, description = "file id")),
    request_body = ServiceBody,
    responses((status = 201, body = ServiceView), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "the file is not past documents, or is closed"), (status = 422)))]
pub async fn record_service(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ServiceBody>,
) -> AppResult<(StatusCode, Json<ServiceView>)> {
    let file = expert_file(&state, &current, id, "counselling.service", &SERVICE_STATES).await?;
    let mut errors = FieldErrors::new();
    let kind = match body
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        None => {
            errors.add("kind", "required");
            None
        }
        Some(k) => match SERVICE_KINDS.iter().find(|known| **known == k) {
            Some(known) => Some(*known),
            None => {
                errors.add("kind", "invalid_choice");
                None
            }
        },
    };
    let description = text_field(
        &mut errors,
        "description",
        &body.description,
        MAX_NOTES_CHARS,
        true,
    );
    let provided_on = past_date_field(&mut errors, "provided_on", &body.provided_on);
    errors.finish()?;
    let (Some(kind), Some(description), Some(provided_on)) = (kind, description, provided_on)
    else {
        return Err(AppError::Internal(
            "service checked without its parts".into(),
        ));
    };
    let staff_id = staff_id(&current)?;
    let provided_on = vamyar_store::time::date(provided_on);

    let mut tx = state.db.begin().await?;
    lock_file(&mut tx, &file, &SERVICE_STATES).await?;
    let service =
        counselling::add_service(&mut tx, id, staff_id, kind, &description, &provided_on).await?;
    let entry = crate::audit::entry(&current, "counselling.service", "expert_service")
        .on(service.id)
        .detail(json!({"application_id": id, "kind": kind, "provided_on": provided_on}));
    vamyar_store::audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(service_view(service, current.username.clone())),
    ))
}

// --- Reading ------------------------------------------------------------------------------------

/// A file's counselling record.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CounsellingView {
    /// Sessions, oldest first.
    pub sessions: Vec<SessionView>,
    /// Plan reviews, oldest first (the last one counts).
    pub plan_reviews: Vec<PlanReviewView>,
    /// Services, oldest first.
    pub services: Vec<ServiceView>,
}

/// A file's counselling sessions, plan reviews and services, for anyone who can see the file.
#[utoipa::path(get, path = "/api/v1/applications/{id}/counselling", tag = "counselling",
    params(("id" = i64, Path, description = "file id")),
    responses((status = 200, body = CounsellingView), (status = 401), (status = 404)))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
) -> AppResult<Json<CounsellingView>> {
    crate::files::visible_file(&state, &current, id).await?;
    let pool = state.db.pool();
    let sessions = counselling::sessions(pool, id).await?;
    let reviews = counselling::plan_reviews(pool, id).await?;
    let services = counselling::services(pool, id).await?;
    let mut names: HashMap<i64, Option<String>> = HashMap::new();
    if current.role().is_staff() {
        let ids = sessions
            .iter()
            .map(|s| s.staff_user_id)
            .chain(reviews.iter().map(|r| r.staff_user_id))
            .chain(services.iter().map(|s| s.staff_user_id));
        for sid in ids {
            if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(sid) {
                slot.insert(
                    vamyar_store::staff::by_id(pool, sid)
                        .await?
                        .map(|s| s.username),
                );
            }
        }
    }
    let name = |sid: i64| names.get(&sid).cloned().flatten();
    Ok(Json(CounsellingView {
        sessions: sessions
            .into_iter()
            .map(|s| {
                let n = name(s.staff_user_id);
                session_view(s, n)
            })
            .collect(),
        plan_reviews: reviews
            .into_iter()
            .map(|r| {
                let n = name(r.staff_user_id);
                plan_review_view(r, n)
            })
            .collect(),
        services: services
            .into_iter()
            .map(|s| {
                let n = name(s.staff_user_id);
                service_view(s, n)
            })
            .collect(),
    }))
}
