//! The JSON shape of a file (API.md: `state`, `version`, `priority`, `sla`, …) and its
//! service-level report.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;
use vamyar_calendar::{WorkingCalendar, tehran_date};
use vamyar_domain::policy::Actor;
use vamyar_domain::priority::Priority;
use vamyar_domain::sla::{self, CountingInterval, SlaReport};
use vamyar_domain::workflow::{self, Role};
use vamyar_store::stage::StageInterval;

use super::{FileContext, ProgramSettings, Rules};
use crate::Ctx;
use crate::error::Result;

/// The service level of the file's current stage.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SlaView {
    /// The stage (state) being timed.
    pub stage: String,
    /// Who holds the file now: `agency`, `bank`, `applicant` or `none`.
    pub owner: String,
    /// Target in working days, when the stage has one.
    pub target_days: Option<u32>,
    /// Working days used by the agency or bank so far.
    pub used: i64,
    /// Working days left (negative once breached).
    pub remaining: i64,
    /// The date the stage is due to end, while the clock runs.
    pub due_on: Option<NaiveDate>,
    /// `on_time`, `due_soon` or `breached`.
    pub status: String,
    /// `running`, `paused` (the applicant holds the file) or `stopped`.
    pub clock: String,
}

/// A file as the API returns it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FileView {
    /// Id.
    pub id: i64,
    /// Tracking code.
    pub tracking_code: String,
    /// Workflow state.
    pub state: String,
    /// Version for optimistic concurrency: send it back with every action.
    pub version: i64,
    /// `web`, `desk` or `api`.
    pub channel: String,
    /// Program.
    pub program_id: i64,
    /// Loan type.
    pub loan_type: String,
    /// Rials asked for.
    pub requested_amount: i64,
    /// Rials recommended after counselling.
    pub recommended_amount: Option<i64>,
    /// Rials approved by the bank.
    pub approved_amount: Option<i64>,
    /// The business plan summary.
    #[schema(value_type = Object)]
    pub business: serde_json::Value,
    /// The applicant (national ID masked for bank officers).
    #[schema(value_type = Object)]
    pub applicant: serde_json::Value,
    /// Province.
    pub province: String,
    /// County.
    pub county: String,
    /// Priority score and its factors.
    #[schema(value_type = Object)]
    pub priority: Priority,
    /// Service level of the current stage.
    pub sla: SlaView,
    /// When it was submitted.
    pub submitted_at: String,
    /// When the state last changed.
    pub state_changed_at: String,
    /// What the caller may do now.
    pub available_actions: Vec<String>,
}

/// Evaluates the current stage's clock from its intervals.
pub fn sla_of(
    file: &FileContext,
    settings: &ProgramSettings,
    intervals: &[StageInterval],
    calendar: &WorkingCalendar,
    today: NaiveDate,
) -> SlaView {
    let state = file.app.state.as_str();
    let target = settings.service_levels.target_for(state);
    let counting: Vec<CountingInterval> = intervals
        .iter()
        .filter(|i| i.state == state)
        .filter_map(|i| {
            let from = tehran_date(vamyar_store::time::parse_ts(&i.started_at).ok()?);
            let to = match &i.ended_at {
                Some(e) => Some(tehran_date(vamyar_store::time::parse_ts(e).ok()?)),
                None => None,
            };
            Some(CountingInterval {
                from,
                to,
                counting: matches!(i.owner.as_str(), "agency" | "bank"),
            })
        })
        .collect();
    let owner = intervals
        .last()
        .map(|i| i.owner.clone())
        .unwrap_or_else(|| "none".into());
    let report: Option<SlaReport> = match (target, counting.is_empty()) {
        (Some(t), false) => Some(sla::evaluate(calendar, &counting, t, today)),
        _ => None,
    };
    match report {
        Some(r) => SlaView {
            stage: state.to_string(),
            owner,
            target_days: target,
            used: r.used,
            remaining: r.remaining,
            due_on: r.due_on,
            status: r.status.as_str().to_string(),
            clock: r.clock.as_str().to_string(),
        },
        None => SlaView {
            stage: state.to_string(),
            owner,
            target_days: None,
            used: 0,
            remaining: 0,
            due_on: None,
            status: "on_time".into(),
            clock: "stopped".into(),
        },
    }
}

/// The actions `actor` may take on the file now (workflow table and scope), through the
/// actions endpoint (`reopen` follows an upheld appeal only).
pub fn actions_for(actor: &Actor, file: &FileContext) -> Vec<String> {
    let state = file.app.state;
    if !vamyar_domain::policy::can_view_file(actor, &file.scope()).is_allowed() {
        return Vec::new();
    }
    workflow::available_actions(state, actor.role())
        .into_iter()
        .filter(|a| workflow::Action::MANUAL.contains(a))
        .map(|a| a.as_str().to_string())
        .collect()
}

/// A file the caller may see, rendered for them (not found outside their scope).
pub async fn get(ctx: &Ctx, actor: &Actor, id: i64) -> Result<FileView> {
    let file = super::visible_file(ctx, actor, id).await?;
    let rules = Rules::load(ctx, file.app.program_id).await?;
    render(ctx, actor, &file, &rules).await
}

/// Renders a file for `actor`.
pub async fn render(
    ctx: &Ctx,
    actor: &Actor,
    file: &FileContext,
    rules: &Rules,
) -> Result<FileView> {
    let intervals =
        vamyar_store::stage::current(ctx.db.pool(), file.app.id, &file.app.state_changed_at)
            .await?;
    Ok(build(
        actor,
        file,
        &rules.settings,
        &intervals,
        &rules.calendar,
        rules.today,
    ))
}

/// Builds the view from loaded parts (used for single files and queues).
pub fn build(
    actor: &Actor,
    file: &FileContext,
    settings: &ProgramSettings,
    intervals: &[StageInterval],
    calendar: &WorkingCalendar,
    today: NaiveDate,
) -> FileView {
    let a = &file.app;
    let p = &file.person;
    let national_id = if actor.role() == Role::BankOfficer {
        vamyar_domain::primitives::NationalId::parse(&p.national_id)
            .map(|n| n.masked())
            .unwrap_or_default()
    } else {
        p.national_id.clone()
    };
    FileView {
        id: a.id,
        tracking_code: a.tracking_code.clone(),
        state: a.state.to_string(),
        version: a.version,
        channel: a.channel.clone(),
        program_id: a.program_id,
        loan_type: a.loan_type.clone(),
        requested_amount: a.requested_amount,
        recommended_amount: a.recommended_amount,
        approved_amount: a.approved_amount,
        business: serde_json::json!({
            "title": a.business_title,
            "activity": a.business_activity,
            "location": a.business_location,
            "summary": a.business_summary,
            "jobs_planned": a.jobs_planned,
            "sector": a.sector,
        }),
        applicant: serde_json::json!({
            "person_id": p.id,
            "national_id": national_id,
            "first_name": p.first_name,
            "last_name": p.last_name,
            "father_name": p.father_name,
            "gender": p.gender,
            "mobile": p.mobile,
            "female_head_of_household": p.is_female_head,
            "disability": p.has_disability,
            "household_size": p.household_size,
            "income_decile": file.income_decile(),
            "income_decile_source": file.income_decile_source(),
            "beneficiary_status": p.beneficiary_status,
            "deprived_county": file.deprived,
        }),
        province: a.province_code.clone(),
        county: a.county_code.clone(),
        priority: file.priority(&settings.weights, today),
        sla: sla_of(file, settings, intervals, calendar, today),
        submitted_at: a.submitted_at.clone(),
        state_changed_at: a.state_changed_at.clone(),
        available_actions: actions_for(actor, file),
    }
}
