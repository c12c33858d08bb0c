//! The staff queue (highest priority first) and the bank's referral inbox.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vamyar_domain::policy::{Actor, Scope};
use vamyar_domain::vocab::ReferralStatus;
use vamyar_domain::workflow::{Role, State as FileState};
use vamyar_store::application::QueueFilter;

use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};
use crate::files::view::{self, FileView};
use crate::files::{FileContext, ProgramSettings};

/// Query of the queue.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// Only this state.
    pub state: Option<String>,
    /// Only this county (within the caller's scope).
    pub county: Option<String>,
    /// Only files whose current stage breached its service level.
    pub breached: Option<bool>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<i64>,
}

/// The queue in the caller's scope, highest priority first, then oldest.
pub async fn list(ctx: &Ctx, actor: &Actor, q: &QueueQuery) -> Result<Vec<FileView>> {
    let mut filter = QueueFilter {
        limit: 5000,
        ..Default::default()
    };
    match actor.scope() {
        Scope::Own { .. } => return Err(Error::Forbidden),
        Scope::County {
            province_code,
            county_code,
        } => {
            filter.province_code = Some(province_code.clone());
            filter.county_code = Some(county_code.clone());
        }
        Scope::Province { province_code } => filter.province_code = Some(province_code.clone()),
        Scope::Bank { bank_id, branch_id } => {
            filter.bank_id = Some(*bank_id);
            filter.branch_id = *branch_id;
        }
        Scope::All => {}
    }
    let mut errors = FieldErrors::new();
    if let Some(s) = q.state.as_deref() {
        match FileState::parse(s) {
            Some(st) => filter.states = vec![st.as_str().to_string()],
            None => errors.add("state", "invalid_choice"),
        }
    }
    if let Some(c) = q.county.as_deref() {
        match &filter.county_code {
            Some(mine) if mine != c => errors.add("county", "outside_your_county"),
            _ => filter.county_code = Some(c.to_string()),
        }
    }
    errors.finish()?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1000) as usize;
    let apps = vamyar_store::application::queue(ctx.db.pool(), &filter).await?;
    let calendar = ctx.calendar().await?;
    let today = ctx.today();
    let mut settings_cache: Vec<ProgramSettings> = Vec::new();
    let mut views = Vec::with_capacity(apps.len());
    for app in apps {
        if !settings_cache
            .iter()
            .any(|s| s.program.id == app.program_id)
        {
            match ProgramSettings::load(ctx, app.program_id).await? {
                Some(s) => settings_cache.push(s),
                None => continue,
            }
        }
        let Some(settings) = settings_cache
            .iter()
            .find(|s| s.program.id == app.program_id)
        else {
            continue;
        };
        let file = FileContext::complete(ctx, app).await?;
        let intervals =
            vamyar_store::stage::current(ctx.db.pool(), file.app.id, &file.app.state_changed_at)
                .await?;
        let v = view::build(actor, &file, settings, &intervals, &calendar, today);
        if q.breached == Some(true) && v.sla.status != "breached" {
            continue;
        }
        if q.breached == Some(false) && v.sla.status == "breached" {
            continue;
        }
        views.push(v);
    }
    views.sort_by(|a, b| {
        vamyar_domain::priority::queue_order(
            (a.priority.score, &a.submitted_at),
            (b.priority.score, &b.submitted_at),
        )
    });
    views.truncate(limit);
    Ok(views)
}

/// A referral in the bank's inbox.
#[derive(Serialize, ToSchema)]
pub struct ReferralItem {
    /// Referral id.
    pub id: i64,
    /// The file.
    pub application_id: i64,
    /// The file's tracking code.
    pub tracking_code: String,
    /// The file's state.
    pub state: String,
    /// The file's version (for actions).
    pub version: i64,
    /// Letter number.
    pub letter_number: String,
    /// Rials referred.
    pub amount: i64,
    /// Branch.
    pub branch_id: i64,
    /// Issue date.
    pub issued_on: String,
    /// Last valid day.
    pub valid_until: String,
    /// Referral status.
    #[schema(value_type = String)]
    pub status: ReferralStatus,
}

/// The referrals to the caller's bank (and branch, if the officer has one).
pub async fn referrals(ctx: &Ctx, actor: &Actor) -> Result<Vec<ReferralItem>> {
    let Scope::Bank { bank_id, branch_id } = actor.scope() else {
        return Err(Error::Forbidden);
    };
    if actor.role() != Role::BankOfficer {
        return Err(Error::Forbidden);
    }
    let mut out = Vec::new();
    for r in vamyar_store::referral::for_bank(ctx.db.pool(), *bank_id, *branch_id, None).await? {
        let Some(app) = vamyar_store::application::get(ctx.db.pool(), r.application_id).await?
        else {
            continue;
        };
        out.push(ReferralItem {
            id: r.id,
            application_id: r.application_id,
            tracking_code: app.tracking_code,
            state: app.state.to_string(),
            version: app.version,
            letter_number: r.letter_number,
            amount: r.amount,
            branch_id: r.branch_id,
            issued_on: r.issued_on,
            valid_until: r.valid_until,
            status: r.status,
        });
    }
    Ok(out)
}
