//! Four eyes (maker–checker): acts that one staff member proposes and a second, eligible one
//! confirms before they happen.
//!
//! | act | proposed by | confirmed or rejected by |
//! |---|---|---|
//! | `accelerate` (a file's loan) | the county's office head | the province admin of the file's province, or another office head of the county |
//! | `reversal` (a payment) | an officer of the payment's bank | another officer of that bank, or the national admin (a bank with one officer) |
//!
//! A proposal leaves everything as it was; it waits `[four_eyes] expiry_working_days` working
//! days (3 by default) and then expires (close of business marks it, [`expire`]). Confirming
//! re-checks the file and loan as they are then (the file may have moved) inside the
//! transaction that carries the act out; the claim on the proposal is a guarded update, so of
//! two confirmations at once exactly one carries it out and the other gets 409
//! `proposal_decided`. The proposer can never confirm or reject (403
//! `proposer_cannot_confirm`). Each step — proposed, confirmed, rejected, expired — is audited
//! and written to the file's history; the applicant is told only when the act is carried out
//! (acceleration's announcement). With `[four_eyes] accelerate = false` (or `reversal`) the
//! act is carried out at once, recorded as a proposal its proposer confirmed.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vamyar_domain::policy::{self, Actor, Scope};
use vamyar_domain::workflow::Role;
use vamyar_store::proposal::Proposal;

use crate::Ctx;
use crate::error::{Error, Result};
use crate::files::FileContext;

mod decide;
mod expire;
mod propose;

pub(crate) use propose::expiry;
mod record;

pub use decide::{Checked, DecisionBody, check_confirm, confirm, confirm_checked, reject};
pub use expire::expire;
pub use propose::{ReversalBody, propose_acceleration, propose_reversal};

/// Which acts need a second person, and how long a proposal waits (`[four_eyes]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FourEyes {
    /// Working days a proposal may be confirmed in (the day it is made not counted).
    pub expiry_working_days: u32,
    /// Acceleration needs a second person.
    pub accelerate: bool,
    /// A payment's reversal needs a second person.
    pub reversal: bool,
    /// Setting a province's quota under a memorandum needs a second person (off by default;
    /// `crate::admin::changes`).
    pub quota: bool,
    /// Changing a staff account's role or place needs a second person (off by default; a
    /// change of the display name alone stays immediate).
    pub staff_role: bool,
    /// Changing a program's settings needs a second person (off by default).
    pub program: bool,
    /// Signing a new memorandum needs a second person (off by default).
    pub memorandum: bool,
}

impl Default for FourEyes {
    fn default() -> Self {
        FourEyes {
            expiry_working_days: 3,
            accelerate: true,
            reversal: true,
            quota: false,
            staff_role: false,
            program: false,
            memorandum: false,
        }
    }
}

/// An act under four eyes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    /// Acceleration of a file's loan.
    Accelerate,
    /// Reversal of a payment.
    Reversal,
}

impl Act {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Act::Accelerate => "accelerate",
            Act::Reversal => "reversal",
        }
    }

    /// Reads a stored name.
    pub fn parse(s: &str) -> Result<Act> {
        match s {
            "accelerate" => Ok(Act::Accelerate),
            "reversal" => Ok(Act::Reversal),
            other => Err(Error::Internal(format!("unknown proposal action {other}"))),
        }
    }
}

/// A proposal as shown.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProposalView {
    /// Id.
    pub id: i64,
    /// `accelerate` or `reversal`.
    pub action: String,
    /// `pending`, `confirmed`, `rejected` or `expired`.
    pub status: String,
    /// The file.
    pub application_id: i64,
    /// The file's tracking code.
    pub tracking_code: String,
    /// The payment (reversal).
    pub payment_id: Option<i64>,
    /// Why it was proposed.
    pub reason: Option<String>,
    /// The proposer's username.
    pub proposed_by: String,
    /// When it was proposed (RFC 3339).
    pub proposed_at: String,
    /// The last day it may be confirmed (ISO).
    pub expires_on: String,
    /// Who confirmed or rejected it.
    pub decided_by: Option<String>,
    /// When it was decided or expired (RFC 3339).
    pub decided_at: Option<String>,
    /// The decider's note.
    pub decision_note: Option<String>,
    /// What the act carries (the payment's amount and date for a reversal).
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// Whether the caller may confirm or reject it now.
    pub may_decide: bool,
}

/// The answer to a proposing request (HTTP 202): `{"proposal": {...}}`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Proposed {
    /// The proposal.
    pub proposal: ProposalView,
}

/// Whether `actor`'s role and scope make them a second person for `p` (the proposer
/// excepted, see [`check_decider`]); the file is visible to them.
fn eligible(actor: &Actor, act: Act, p: &Proposal, file: &FileContext) -> bool {
    match act {
        Act::Accelerate => match actor.role() {
            Role::ProvinceAdmin => actor.scope().covers_province(&file.app.province_code),
            Role::OfficeHead => policy::can_view_file(actor, &file.scope()).is_allowed(),
            _ => false,
        },
        Act::Reversal => {
            let bank = p
                .detail_bank()
                .unwrap_or_else(|| file.app.bank_id.unwrap_or_default());
            match (actor.role(), actor.scope()) {
                (Role::BankOfficer, Scope::Bank { bank_id, .. }) => *bank_id == bank,
                (Role::NationalAdmin, _) => true,
                _ => false,
            }
        }
    }
}

trait DetailBank {
    fn detail_bank(&self) -> Option<i64>;
}

impl DetailBank for Proposal {
    fn detail_bank(&self) -> Option<i64> {
        serde_json::from_str::<serde_json::Value>(&self.detail)
            .ok()?
            .get("bank_id")?
            .as_i64()
    }
}

/// Whether `actor` may see `p` at all: its file is visible to them (a bank officer: only
/// their bank's reversals and accelerations of their bank's loans).
fn visible(actor: &Actor, act: Act, p: &Proposal, file: &FileContext) -> bool {
    if !policy::can_view_file(actor, &file.scope()).is_allowed() {
        return false;
    }
    match (act, actor.scope()) {
        (Act::Reversal, Scope::Bank { bank_id, .. }) => p.detail_bank() == Some(*bank_id),
        _ => true,
    }
}

/// 404 unless `actor` sees the proposal, 403 `proposer_cannot_confirm` for its proposer, 403
/// for anyone else who is not a second person for it.
fn check_decider(actor: &Actor, act: Act, p: &Proposal, file: &FileContext) -> Result<()> {
    if !visible(actor, act, p, file) {
        return Err(Error::NotFound);
    }
    if actor.staff_id() == Some(p.proposed_by) {
        return Err(Error::Refused("proposer_cannot_confirm"));
    }
    if !eligible(actor, act, p, file) {
        return Err(Error::Forbidden);
    }
    Ok(())
}

/// The username of staff account `id` (empty when it is gone).
pub(crate) async fn username(ctx: &Ctx, id: i64) -> Result<String> {
    Ok(vamyar_store::staff::by_id(ctx.db.pool(), id)
        .await?
        .map(|s| s.username)
        .unwrap_or_default())
}

/// The view of a proposal for `actor`.
pub async fn view(
    ctx: &Ctx,
    actor: &Actor,
    p: &Proposal,
    file: &FileContext,
) -> Result<ProposalView> {
    let act = Act::parse(&p.action)?;
    let decided_by = match p.decided_by {
        Some(id) => Some(username(ctx, id).await?),
        None => None,
    };
    Ok(ProposalView {
        id: p.id,
        action: p.action.clone(),
        status: p.status.clone(),
        application_id: p.application_id,
        tracking_code: file.app.tracking_code.clone(),
        payment_id: p.payment_id,
        reason: p.reason.clone(),
        proposed_by: username(ctx, p.proposed_by).await?,
        proposed_at: p.proposed_at.clone(),
        expires_on: p.expires_on.clone(),
        decided_by,
        decided_at: p.decided_at.clone(),
        decision_note: p.decision_note.clone(),
        detail: serde_json::from_str(&p.detail).unwrap_or_default(),
        may_decide: p.status == "pending"
            && p.expires_on >= vamyar_store::time::date(ctx.today())
            && check_decider(actor, act, p, file).is_ok(),
    })
}

/// The pending proposals `actor` may confirm or reject (in their scope, not their own),
/// oldest first.
pub async fn list(ctx: &Ctx, actor: &Actor) -> Result<Vec<ProposalView>> {
    let mut out = Vec::new();
    for p in vamyar_store::proposal::pending(ctx.db.pool()).await? {
        let Some(file) = FileContext::load(ctx, p.application_id).await? else {
            continue;
        };
        let act = Act::parse(&p.action)?;
        if check_decider(actor, act, &p, &file).is_ok() {
            out.push(view(ctx, actor, &p, &file).await?);
        }
    }
    Ok(out)
}

/// The proposals about one file, oldest first, for whoever may see it (its history page).
pub async fn of_file(ctx: &Ctx, actor: &Actor, file: &FileContext) -> Result<Vec<ProposalView>> {
    let mut out = Vec::new();
    for p in vamyar_store::proposal::for_application(ctx.db.pool(), file.app.id).await? {
        if visible(actor, Act::parse(&p.action)?, &p, file) {
            out.push(view(ctx, actor, &p, file).await?);
        }
    }
    Ok(out)
}

/// One proposal, for staff who see its file (404 otherwise, audited).
pub async fn get(ctx: &Ctx, actor: &Actor, id: i64) -> Result<ProposalView> {
    let (p, file) = load_visible(ctx, actor, id).await?;
    view(ctx, actor, &p, &file).await
}

/// A proposal and its file when `actor` (staff) sees it; 404 when its file is not visible,
/// 403 for an applicant who sees it (both audited).
async fn load_visible(ctx: &Ctx, actor: &Actor, id: i64) -> Result<(Proposal, FileContext)> {
    let Some(p) = vamyar_store::proposal::get(ctx.db.pool(), id).await? else {
        return Err(Error::NotFound);
    };
    let file = FileContext::load(ctx, p.application_id)
        .await?
        .ok_or(Error::NotFound)?;
    let act = Act::parse(&p.action)?;
    if !visible(actor, act, &p, &file) {
        crate::audit::denied(ctx, actor, "proposal.view", "proposal", id).await;
        return Err(Error::NotFound);
    }
    if !actor.role().is_staff() {
        crate::audit::denied(ctx, actor, "proposal.view", "proposal", id).await;
        return Err(Error::Forbidden);
    }
    Ok((p, file))
}
