//! Recording counselling: sessions, the business-plan review and services.

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use vamyar_domain::announcement::Notice;
use vamyar_domain::policy::Actor;
use vamyar_domain::vocab::Sector;
use vamyar_store::counselling::{self, NewPlanReview, PlanReview, Service, Session};

use super::{
    COUNSELLING_STATES, MAX_JOBS, MAX_LINE_CHARS, MAX_NOTES_CHARS, SERVICE_KINDS, SERVICE_STATES,
    expert_file, staff_id,
};
use crate::Ctx;
use crate::applicant::Flex;
use crate::error::{Error, FieldErrors, Result};
use crate::fields;
use crate::files::ProgramSettings;
use crate::files::guard::lock_file;

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

pub(crate) fn session_view(s: Session, recorded_by: Option<String>) -> SessionView {
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
pub async fn record_session(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    body: SessionBody,
) -> Result<SessionView> {
    let file = expert_file(ctx, actor, id, "counselling.session", &COUNSELLING_STATES).await?;
    let mut errors = FieldErrors::new();
    let held_on = fields::past_date(&mut errors, "held_on", &body.held_on, ctx.today());
    let next =
        match fields::optional_date(&mut errors, "next_session_on", &body.next_session_on, false) {
            Some(d) if d < ctx.today() => {
                errors.add("next_session_on", "date_in_past");
                None
            }
            d => d,
        };
    let notes = fields::text(&mut errors, "notes", &body.notes, MAX_NOTES_CHARS, false);
    errors.finish()?;
    let Some(held_on) = held_on else {
        return Err(Error::Internal("session checked without its date".into()));
    };
    let staff_id = staff_id(actor)?;
    let held_on = vamyar_store::time::date(held_on);
    let next = next.map(vamyar_store::time::date);

    let mut tx = ctx.db.begin().await?;
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
    let entry = crate::audit::entry(actor, "counselling.session", "counselling_session")
        .on(session.id)
        .detail(json!({"application_id": id, "held_on": held_on, "next_session_on": next}));
    vamyar_store::audit::append(&mut tx, &entry).await?;
    if let Some(date) = &next {
        let date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .map_err(|_| Error::Internal(format!("next session on `{date}`")))?;
        crate::files::announce::queue_message(
            &mut tx,
            &fresh,
            Notice::CounsellingScheduled { date },
            format!("counselling:{}:scheduled", session.id),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(session_view(session, None))
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
    pub recommended_amount: Option<Flex>,
    /// Jobs the plan creates, 0 to 10000.
    pub jobs_to_create: Option<Flex>,
    /// The business sector, one of the program's `sectors` (`agriculture`, `livestock`,
    /// `handicrafts`, `home_business`, `services`, `industry`, `trade`, `tourism`, `other`).
    /// The pages ask for it; a review without it leaves the file unclassified in the reports.
    pub sector: Option<String>,
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
    /// The business sector, when classified.
    pub sector: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// The expert's username (staff viewers only).
    pub recorded_by: Option<String>,
    /// When it was recorded (RFC 3339).
    pub created_at: String,
}

pub(crate) fn plan_review_view(r: PlanReview, recorded_by: Option<String>) -> PlanReviewView {
    PlanReviewView {
        id: r.id,
        activity: r.activity,
        location: r.location,
        recommended_amount: r.recommended_amount,
        jobs_to_create: r.jobs_to_create,
        sector: r.sector,
        notes: r.notes,
        recorded_by,
        created_at: r.created_at,
    }
}

/// Records the business-plan review (employment expert of the file's county; the file must
/// be in `counselling`). The latest review is what `approve_plan` relies on.
pub async fn record_plan_review(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    body: PlanReviewBody,
) -> Result<PlanReviewView> {
    let file = expert_file(
        ctx,
        actor,
        id,
        "counselling.plan_review",
        &COUNSELLING_STATES,
    )
    .await?;
    let settings = ProgramSettings::load(ctx, file.app.program_id)
        .await?
        .ok_or_else(|| Error::Internal(format!("file {id} has no program")))?;
    let mut errors = FieldErrors::new();
    let activity = fields::text(
        &mut errors,
        "activity",
        &body.activity,
        MAX_LINE_CHARS,
        true,
    );
    let location = fields::text(
        &mut errors,
        "location",
        &body.location,
        MAX_LINE_CHARS,
        true,
    );
    let notes = fields::text(&mut errors, "notes", &body.notes, MAX_NOTES_CHARS, false);
    let sector = sector(&mut errors, &settings.sectors, &body.sector);
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
        return Err(Error::Internal(
            "plan review checked without its parts".into(),
        ));
    };
    let staff_id = staff_id(actor)?;

    let mut tx = ctx.db.begin().await?;
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
            sector: sector.map(Sector::as_str),
            notes: notes.as_deref(),
        },
    )
    .await?;
    let entry = crate::audit::entry(actor, "counselling.plan_review", "plan_review")
        .on(review.id)
        .detail(
            json!({"application_id": id, "recommended_amount": amount, "jobs_to_create": jobs,
                "sector": sector}),
        );
    vamyar_store::audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(plan_review_view(review, None))
}

/// The plan's sector: not given (blank) is unclassified; else a known sector
/// (`unknown_sector`) that the program offers (`sector_not_in_program`).
fn sector(errors: &mut FieldErrors, offered: &[Sector], value: &Option<String>) -> Option<Sector> {
    let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
    match Sector::parse(value) {
        None => {
            errors.add("sector", "unknown_sector");
            None
        }
        Some(s) if !offered.contains(&s) => {
            errors.add("sector", "sector_not_in_program");
            None
        }
        Some(s) => Some(s),
    }
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

pub(crate) fn service_view(s: Service, recorded_by: Option<String>) -> ServiceView {
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
pub async fn record_service(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    body: ServiceBody,
) -> Result<ServiceView> {
    let file = expert_file(ctx, actor, id, "counselling.service", &SERVICE_STATES).await?;
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
    let description = fields::text(
        &mut errors,
        "description",
        &body.description,
        MAX_NOTES_CHARS,
        true,
    );
    let provided_on = fields::past_date(&mut errors, "provided_on", &body.provided_on, ctx.today());
    errors.finish()?;
    let (Some(kind), Some(description), Some(provided_on)) = (kind, description, provided_on)
    else {
        return Err(Error::Internal("service checked without its parts".into()));
    };
    let staff_id = staff_id(actor)?;
    let provided_on = vamyar_store::time::date(provided_on);

    let mut tx = ctx.db.begin().await?;
    lock_file(&mut tx, &file, &SERVICE_STATES).await?;
    let service =
        counselling::add_service(&mut tx, id, staff_id, kind, &description, &provided_on).await?;
    let entry = crate::audit::entry(actor, "counselling.service", "expert_service")
        .on(service.id)
        .detail(json!({"application_id": id, "kind": kind, "provided_on": provided_on}));
    vamyar_store::audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(service_view(service, None))
}
