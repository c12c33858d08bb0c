//! Four eyes (maker–checker) on administrative changes: acts that, when their switch in
//! `[four_eyes]` is on (all off by default), one administrator proposes and a second one
//! with the same authority confirms before they happen.
//!
//! | act (`[four_eyes]` switch) | subject | confirmed or rejected by |
//! |---|---|---|
//! | `quota` (a province's quota under a memorandum) | `quota:<memorandum>/<province>` | anyone else holding `ManageQuotas` for that province |
//! | `staff_role` (an account's role or place) | `staff:<id>` | anyone else who manages staff where the account is and where it goes |
//! | `program` (a program's settings) | `program:<id>` | another national administrator |
//! | `memorandum` (a new memorandum) | `memorandum:new:<bank>/<program>` | another national administrator |
//!
//! [`propose`]: with the act's switch off, the plain use case runs (unchanged answer). With
//! it on, the use case's `*_in` part runs in a transaction that is rolled back — a dry run,
//! so the proposer gets every validation error now and nothing changes — and then a pending
//! `change_proposal` row (the request as sent) and its `change.propose` audit row are
//! written. A change of a staff account's display name alone is carried out at once.
//!
//! [`decide`]: one transaction claims the proposal (a guarded update: pending and not past
//! its last day; of two confirmations at once one wins, the other gets 409
//! `proposal_decided`), runs the act's `*_in` part with the confirmer as actor (their
//! authority checked again) on the stored request, and writes `change.confirm` naming the
//! proposer; if the act fails, everything rolls back and the proposal stays pending. The
//! proposer never confirms or rejects (403 `proposer_cannot_confirm`). Close of business
//! marks pending proposals past their last day `expired` ([`expire`]).

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use vamyar_domain::policy::{self, Actor, Permission};
use vamyar_store::Tx;
use vamyar_store::change_proposal::ChangeProposal;

use super::memoranda::{self, MemorandumInput, MemorandumOut, QuotaOut};
use super::programs::{self, ProgramOut, ProgramPatch};
use super::quotas::{self, QuotaLimits};
use super::staff::{self, StaffEdit, StaffOut};
use crate::Ctx;
use crate::error::{Error, Result};
use crate::proposals::FourEyes;

mod decide;
mod propose;

pub use decide::{CheckedConfirm, check_confirm, confirm, confirm_checked, expire, reject};
pub use propose::{submit_memorandum, submit_program, submit_quota, submit_staff};

/// An administrative act under four eyes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeAct {
    /// A province's quota under a memorandum.
    Quota,
    /// A staff account's role or place.
    StaffRole,
    /// A program's settings.
    Program,
    /// A new memorandum.
    Memorandum,
}

impl ChangeAct {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeAct::Quota => "quota",
            ChangeAct::StaffRole => "staff_role",
            ChangeAct::Program => "program",
            ChangeAct::Memorandum => "memorandum",
        }
    }

    /// Reads a stored name.
    pub fn parse(s: &str) -> Result<ChangeAct> {
        match s {
            "quota" => Ok(ChangeAct::Quota),
            "staff_role" => Ok(ChangeAct::StaffRole),
            "program" => Ok(ChangeAct::Program),
            "memorandum" => Ok(ChangeAct::Memorandum),
            other => Err(Error::Internal(format!("unknown change action {other}"))),
        }
    }

    /// Whether `[four_eyes]` puts this act under four eyes.
    pub fn enabled(self, four_eyes: &FourEyes) -> bool {
        match self {
            ChangeAct::Quota => four_eyes.quota,
            ChangeAct::StaffRole => four_eyes.staff_role,
            ChangeAct::Program => four_eyes.program,
            ChangeAct::Memorandum => four_eyes.memorandum,
        }
    }
}

/// One administrative request, as the use case takes it.
#[derive(Clone, Debug)]
pub(crate) enum Request {
    Quota {
        memorandum_id: i64,
        province_code: String,
        limits: QuotaLimits,
    },
    StaffRole {
        staff_id: i64,
        edit: StaffEdit,
    },
    Program {
        program_id: i64,
        patch: ProgramPatch,
    },
    Memorandum {
        input: MemorandumInput,
    },
}

/// What a carried-out request answers.
// One value per administrative request, moved once: its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub(crate) enum Outcome {
    Quota(QuotaOut),
    Staff(StaffOut),
    Program(ProgramOut),
    Memorandum(MemorandumOut),
}

fn to_json<T: Serialize>(v: &T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| Error::Internal(e.to_string()))
}

fn number(subject: &str, text: &str) -> Result<i64> {
    text.parse()
        .map_err(|_| Error::Internal(format!("bad change subject `{subject}`")))
}

impl Request {
    fn act(&self) -> ChangeAct {
        match self {
            Request::Quota { .. } => ChangeAct::Quota,
            Request::StaffRole { .. } => ChangeAct::StaffRole,
            Request::Program { .. } => ChangeAct::Program,
            Request::Memorandum { .. } => ChangeAct::Memorandum,
        }
    }

    /// The request as sent (JSON).
    fn body(&self) -> Result<Value> {
        match self {
            Request::Quota { limits, .. } => to_json(limits),
            Request::StaffRole { edit, .. } => to_json(edit),
            Request::Program { patch, .. } => to_json(patch),
            Request::Memorandum { input } => to_json(input),
        }
    }

    /// The stored request of proposal `p` read back.
    fn of(p: &ChangeProposal) -> Result<Request> {
        let body: Value = serde_json::from_str(&p.body)
            .map_err(|e| Error::Internal(format!("change {}: stored body: {e}", p.id)))?;
        let rest = p
            .subject
            .split_once(':')
            .map(|(_, r)| r)
            .unwrap_or_default();
        Ok(match ChangeAct::parse(&p.action)? {
            ChangeAct::Quota => {
                let (m, province) = rest
                    .split_once('/')
                    .ok_or_else(|| Error::Internal(format!("bad subject `{}`", p.subject)))?;
                Request::Quota {
                    memorandum_id: number(&p.subject, m)?,
                    province_code: province.to_string(),
                    limits: crate::input::from_value(body)?,
                }
            }
            ChangeAct::StaffRole => Request::StaffRole {
                staff_id: number(&p.subject, rest)?,
                edit: crate::input::from_value(body)?,
            },
            ChangeAct::Program => Request::Program {
                program_id: number(&p.subject, rest)?,
                patch: crate::input::from_value(body)?,
            },
            ChangeAct::Memorandum => Request::Memorandum {
                input: crate::input::from_value(body)?,
            },
        })
    }

    /// Carries the request out as `actor` inside `tx` (the use case's `*_in` part: every
    /// check, the write and its audit row).
    async fn run_in(&self, ctx: &Ctx, tx: &mut Tx, actor: &Actor) -> Result<Outcome> {
        Ok(match self {
            Request::Quota {
                memorandum_id,
                province_code,
                limits,
            } => Outcome::Quota(
                quotas::set_in(
                    ctx,
                    tx,
                    actor,
                    *memorandum_id,
                    province_code,
                    limits.clone(),
                )
                .await?,
            ),
            Request::StaffRole { staff_id, edit } => {
                Outcome::Staff(staff::update_in(ctx, tx, actor, *staff_id, edit.clone()).await?)
            }
            Request::Program { program_id, patch } => Outcome::Program(
                programs::update_in(ctx, tx, actor, *program_id, patch.clone()).await?,
            ),
            Request::Memorandum { input } => {
                Outcome::Memorandum(memoranda::create_in(ctx, tx, actor, input.clone()).await?)
            }
        })
    }
}

/// A change proposal as shown.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ChangeView {
    /// Id.
    pub id: i64,
    /// `quota`, `staff_role`, `program` or `memorandum`.
    pub action: String,
    /// What it changes (`quota:3/23`, `staff:7`, `program:1`, `memorandum:new:2/1`).
    pub subject: String,
    /// The province whose authority decides (none: the national administration's).
    pub province_code: Option<String>,
    /// The request as sent, carried out when confirmed.
    #[schema(value_type = Object)]
    pub body: Value,
    /// `pending`, `confirmed`, `rejected` or `expired`.
    pub status: String,
    /// Why it was proposed (a program change's `reason`).
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
    /// Whether the caller may confirm or reject it now.
    pub may_decide: bool,
}

/// The answer to a request that became a change proposal (HTTP 202): `{"change": {...}}`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Changed {
    /// The proposal.
    pub change: ChangeView,
}

/// What submitting an administrative request did: carried it out (its switch off, or a
/// change of a display name alone) or proposed it.
// One value per administrative request, moved once: its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Submitted<T> {
    /// Carried out now; the use case's answer.
    Done(T),
    /// Waits for a second person.
    Proposed(Changed),
}

/// Whether `actor` holds the authority that decides `p` (the proposer excepted, see
/// [`check_decider`]): the act's permission, for a staff account both where it is now and
/// where it goes.
async fn eligible(ctx: &Ctx, actor: &Actor, p: &ChangeProposal) -> Result<bool> {
    let province = p.province_code.clone().unwrap_or_default();
    Ok(match ChangeAct::parse(&p.action)? {
        ChangeAct::Quota => policy::allows(actor, &Permission::ManageQuotas { province }),
        ChangeAct::Program => policy::allows(actor, &Permission::ManagePrograms),
        ChangeAct::Memorandum => policy::allows(actor, &Permission::ManageMemoranda),
        ChangeAct::StaffRole => {
            let id = p.subject.strip_prefix("staff:").unwrap_or_default();
            let here = match id.parse::<i64>() {
                Ok(id) => vamyar_store::staff::by_id(ctx.db.pool(), id)
                    .await?
                    .and_then(|s| s.province_code)
                    .unwrap_or_default(),
                Err(_) => return Ok(false),
            };
            policy::allows(actor, &Permission::ManageStaff { province: here })
                && policy::allows(actor, &Permission::ManageStaff { province })
        }
    })
}

/// 403 `proposer_cannot_confirm` for the proposer, 403 for anyone else without the
/// authority that decides `p`.
async fn check_decider(ctx: &Ctx, actor: &Actor, p: &ChangeProposal) -> Result<()> {
    if actor.staff_id() == Some(p.proposed_by) {
        return Err(Error::Refused("proposer_cannot_confirm"));
    }
    if !actor.role().is_staff() || !eligible(ctx, actor, p).await? {
        return Err(Error::Forbidden);
    }
    Ok(())
}

/// The view of change proposal `p` for `actor`.
pub(crate) async fn view(ctx: &Ctx, actor: &Actor, p: &ChangeProposal) -> Result<ChangeView> {
    let decided_by = match p.decided_by {
        Some(id) => Some(crate::proposals::username(ctx, id).await?),
        None => None,
    };
    let may_decide = p.status == "pending"
        && p.expires_on >= vamyar_store::time::date(ctx.today())
        && check_decider(ctx, actor, p).await.is_ok();
    Ok(ChangeView {
        id: p.id,
        action: p.action.clone(),
        subject: p.subject.clone(),
        province_code: p.province_code.clone(),
        body: serde_json::from_str(&p.body).unwrap_or_default(),
        status: p.status.clone(),
        reason: p.reason.clone(),
        proposed_by: crate::proposals::username(ctx, p.proposed_by).await?,
        proposed_at: p.proposed_at.clone(),
        expires_on: p.expires_on.clone(),
        decided_by,
        decided_at: p.decided_at.clone(),
        decision_note: p.decision_note.clone(),
        may_decide,
    })
}

/// The pending change proposals `actor` may confirm or reject (their authority, not their
/// own), oldest first.
pub async fn list(ctx: &Ctx, actor: &Actor) -> Result<Vec<ChangeView>> {
    super::require_staff(actor)?;
    let mut out = Vec::new();
    for p in vamyar_store::change_proposal::pending(ctx.db.pool()).await? {
        if check_decider(ctx, actor, &p).await.is_ok() {
            out.push(view(ctx, actor, &p).await?);
        }
    }
    Ok(out)
}

/// A change proposal and whether the caller may see it: its proposer and those with the
/// authority that decides it; 404 when there is none, 403 otherwise (audited).
pub(crate) async fn load_visible(ctx: &Ctx, actor: &Actor, id: i64) -> Result<ChangeProposal> {
    let p = vamyar_store::change_proposal::get(ctx.db.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    let own = actor.staff_id() == Some(p.proposed_by);
    if !own && (!actor.role().is_staff() || !eligible(ctx, actor, &p).await?) {
        crate::audit::denied(ctx, actor, "change.view", "change_proposal", id).await;
        return Err(Error::Forbidden);
    }
    Ok(p)
}

/// One change proposal, for its proposer and those who may decide it (403 otherwise).
pub async fn get(ctx: &Ctx, actor: &Actor, id: i64) -> Result<ChangeView> {
    let p = load_visible(ctx, actor, id).await?;
    view(ctx, actor, &p).await
}
