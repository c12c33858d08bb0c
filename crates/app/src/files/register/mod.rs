//! Registering a file: by the applicant online (web), by a desk clerk for a walk-in applicant
//! (desk), or by a partner gateway's national-admin token (api).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vamyar_domain::policy::Actor;
use vamyar_domain::priority::Priority;

use super::Rules;
use super::doer::Doer;
use crate::Ctx;
use crate::applicant::{ApplicantInput, Flex};
use crate::error::Result;

mod decide;
mod parse;
mod persist;

pub use parse::MAX_TEXT;

/// The business plan part of a registration.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BusinessInput {
    /// What the business is called, e.g. «خیاطی خانگی».
    pub title: Option<String>,
    /// The activity, e.g. `tailoring`.
    pub activity: Option<String>,
    /// Where it will run.
    pub location: Option<String>,
    /// A short summary of the plan.
    pub summary: Option<String>,
    /// Jobs it creates (for employers, the ceiling is per job).
    pub jobs_planned: Option<Flex>,
}

/// The body of `POST /api/v1/applications`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    /// The program.
    pub program_id: i64,
    /// `self_employment`, `household_business` or `employer`.
    pub loan_type: String,
    /// Rials asked for (at most the central bank's ceiling).
    pub requested_amount: Flex,
    /// The applicant.
    pub applicant: ApplicantInput,
    /// The business plan.
    pub business: BusinessInput,
}

/// The answer to a registration.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Registered {
    /// The file's id.
    pub id: i64,
    /// The tracking code to give the applicant.
    pub tracking_code: String,
    /// Always `submitted`.
    pub state: String,
    /// The version to send with the first action.
    pub version: i64,
    /// The priority score and its factors.
    #[schema(value_type = Object)]
    pub priority: Priority,
    /// True when the national ID was known: the person's stored mobile, Sheba, county,
    /// address and household details were kept, not replaced by the ones sent. They change
    /// only through `PATCH /api/v1/persons/{id}/contact` (staff of the person's county) or the
    /// person's own mobile change after a code sent to the stored mobile.
    pub details_kept: bool,
}

/// Who registers a file.
#[derive(Clone, Debug)]
pub enum Caller {
    /// A logged-in applicant (own file), desk clerk (walk-in) or national admin (gateway).
    Actor(Actor),
    /// A person who proved control of a mobile for a national ID that has no file yet.
    Registrant {
        /// The national ID the code was sent for.
        national_id: String,
        /// The verified mobile.
        mobile: String,
    },
}

/// Refuses callers who may never register a file (before their body is judged).
pub fn may_register(caller: &Caller) -> Result<()> {
    parse::registrar(caller).map(|_| ())
}

/// Registers a file for the caller: parse (every field, who may register whom), decide
/// (the rows and the priority, pure), persist (one transaction).
pub async fn register(ctx: &Ctx, caller: Caller, body: RegisterBody) -> Result<Registered> {
    let ctx = &ctx.pinned();
    let parsed = parse::parse(ctx, &caller, body).await?;
    let imported = parsed.imported_decile;
    let county = parsed
        .existing
        .as_ref()
        .map_or(&parsed.applicant.county, |p| &p.county_code);
    let deprived = crate::reference::county(ctx, county)
        .await?
        .is_some_and(|c| c.is_deprived);
    let now = ctx.clock.now();
    let rules = Rules {
        settings: parsed.settings.clone(),
        calendar: ctx.calendar().await?,
        today: vamyar_calendar::tehran_date(now),
        at: vamyar_store::time::ts(now),
    };
    let decided = decide::decide(&parsed, imported, deprived, now);
    persist::persist(ctx, parsed, decided, rules).await
}
