//! Monitoring visits: the visits of a file (scheduled at disbursement) and the employment
//! expert recording one. Recording a visit that finds the plan not carried out
//! queues nothing by itself; it is what lets the office head `accelerate` the loan.

use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use vamyar_domain::policy::{Actor, Permission};
use vamyar_domain::workflow::State as FileState;
use vamyar_store::loan::visit::{self, VisitRecord};

use vamyar_i18n::Lang;

use crate::Ctx;
use crate::applicant::Flex;
use crate::error::{Error, FieldErrors, Result};
use crate::fields;
use crate::files::FileContext;
use crate::files::guard::{lock_file, permit};
use crate::loans::view::{self, VisitView};

/// The file states in which visits are recorded: while the loan runs.
pub const VISIT_STATES: [FileState; 2] = [FileState::Active, FileState::Accelerated];

/// The longest findings or recommendation (characters).
pub const MAX_TEXT_CHARS: usize = 4000;

/// The most people a business may employ in a record.
pub const MAX_PEOPLE: i64 = 10_000;

/// A file's monitoring visits by planned date, for anyone who can see the file.
pub async fn list(ctx: &Ctx, actor: &Actor, id: i64, lang: Lang) -> Result<Vec<VisitView>> {
    crate::files::visible_file(ctx, actor, id).await?;
    let visits = visit::for_application(ctx.db.pool(), id).await?;
    visits.iter().map(|v| view::visit_view(v, lang)).collect()
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
    pub people_employed: Option<Flex>,
    /// Whether the business plan was carried out; `false` lets the office head accelerate.
    pub plan_carried_out: Option<bool>,
    /// What the expert found (at most 4000 characters).
    pub findings: Option<String>,
    /// What the expert recommends (at most 4000 characters).
    pub recommendation: Option<String>,
}

/// Records a scheduled monitoring visit, once (the employment expert of the file's county,
/// while the loan runs). Audited.
pub async fn record(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    body: serde_json::Value,
    lang: Lang,
) -> Result<VisitView> {
    let found = visit::get(ctx.db.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    let file = FileContext::load(ctx, found.application_id)
        .await?
        .ok_or(Error::NotFound)?;
    permit(
        ctx,
        actor,
        &file,
        &Permission::RecordVisit,
        "visit.record",
        "monitoring_visit",
        id,
    )
    .await?;
    let body: VisitBody = crate::input::from_value(body)?;
    let loan = vamyar_store::loan::get(ctx.db.pool(), found.loan_id)
        .await?
        .ok_or_else(|| Error::Internal(format!("visit {id} has no loan")))?;
    let disbursed_on = vamyar_store::time::parse_date(&loan.disbursed_on)?;
    let mut errors = FieldErrors::new();
    let visited_on =
        match fields::past_date(&mut errors, "visited_on", &body.visited_on, ctx.today()) {
            Some(d) if d < disbursed_on => {
                errors.add("visited_on", "date_before_disbursement");
                None
            }
            d => d,
        };
    let running = fields::flag(&mut errors, "business_running", body.business_running);
    let carried_out = fields::flag(&mut errors, "plan_carried_out", body.plan_carried_out);
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
    let findings = fields::text(
        &mut errors,
        "findings",
        &body.findings,
        MAX_TEXT_CHARS,
        false,
    );
    let recommendation = fields::text(
        &mut errors,
        "recommendation",
        &body.recommendation,
        MAX_TEXT_CHARS,
        false,
    );
    errors.finish()?;
    let (Some(visited_on), Some(running), Some(carried_out), Some(people)) =
        (visited_on, running, carried_out, people)
    else {
        return Err(Error::Internal("visit checked without its parts".into()));
    };
    let staff_id = actor.staff_id().ok_or(Error::Forbidden)?;
    let visited_on = vamyar_store::time::date(visited_on);

    let mut tx = ctx.db.begin().await?;
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
        return Err(Error::Conflict("visit_already_recorded"));
    }
    let entry = crate::audit::entry(actor, "visit.record", "monitoring_visit")
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
    let saved = visit::get(ctx.db.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    view::visit_view(&saved, lang)
}
