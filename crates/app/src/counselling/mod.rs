//! Job counselling: the employment expert of the file's county records counselling sessions
//! and the business-plan review (required before `approve_plan`) while the file is in
//! `counselling`, and the technical services provided to the business from then on. Every
//! write is audited; arranging a next session is announced to the applicant.

use std::collections::HashMap;

use serde::Serialize;
use utoipa::ToSchema;
use vamyar_domain::policy::{Actor, Permission};
use vamyar_domain::workflow::State as FileState;
use vamyar_store::counselling;

use crate::Ctx;
use crate::error::{Error, Result};
use crate::files::FileContext;
use crate::files::guard::{in_states, permit};

mod records;

use records::{plan_review_view, service_view, session_view};

pub use records::{
    PlanReviewBody, PlanReviewView, ServiceBody, ServiceView, SessionBody, SessionView,
    record_plan_review, record_service, record_session,
};

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

/// Loads a file for the employment expert: 404 outside the scope, 403 for another role,
/// 409 `invalid_state` outside `states`.
pub(crate) async fn expert_file(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    action: &str,
    states: &[FileState],
) -> Result<FileContext> {
    let file = FileContext::load(ctx, id).await?.ok_or(Error::NotFound)?;
    permit(
        ctx,
        actor,
        &file,
        &Permission::RecordCounselling,
        action,
        "application",
        id,
    )
    .await?;
    if !in_states(file.app.state, states) {
        return Err(Error::Conflict("invalid_state"));
    }
    Ok(file)
}

pub(crate) fn staff_id(actor: &Actor) -> Result<i64> {
    actor.staff_id().ok_or(Error::Forbidden)
}

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

/// A file's counselling sessions, plan reviews and services, for anyone who can see the file
/// (staff see who recorded each).
pub async fn list(ctx: &Ctx, actor: &Actor, id: i64) -> Result<CounsellingView> {
    crate::files::visible_file(ctx, actor, id).await?;
    let pool = ctx.db.pool();
    let sessions = counselling::sessions(pool, id).await?;
    let reviews = counselling::plan_reviews(pool, id).await?;
    let services = counselling::services(pool, id).await?;
    let mut names: HashMap<i64, Option<String>> = HashMap::new();
    if actor.role().is_staff() {
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
    Ok(CounsellingView {
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
    })
}
