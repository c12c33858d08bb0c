//! Confirming or rejecting a proposal. One transaction claims the pending proposal with a
//! guarded update (`vamyar_store::proposal::decide`: of two decisions at once one changes
//! the row, the other gets 409 `proposal_decided`), then carries the act out on the file and
//! loan as they are now: acceleration through the workflow (the file's version guard and the
//! loan's checks run again; the announcement is queued only now), a reversal by marking the
//! payment reversed and replaying the loan (`crate::loans::recompute`). If the act no longer
//! fits (the file moved, the loan closed), nothing is written and the proposal stays pending
//! until it expires.

use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use vamyar_domain::policy::Actor;
use vamyar_domain::workflow::{self, Action, ActionInput, Role};
use vamyar_store::Tx;
use vamyar_store::proposal::Proposal;

use super::record::step;
use super::{Act, ProposalView, check_decider, load_visible};
use crate::Ctx;
use crate::error::{Error, Result};
use crate::files::doer::Doer;
use crate::files::{FileContext, Rules};
use crate::loans::recompute::{Basis, recompute};

/// The body of `POST /api/v1/proposals/{id}/confirm` and `/reject`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// A note kept in the file's history.
    pub note: Option<String>,
}

impl DecisionBody {
    /// The note of a decision's body, normalised; `None` when blank. Errors: 422 for a body
    /// that is not a decision.
    pub fn note_of(body: serde_json::Value) -> Result<Option<String>> {
        let body: DecisionBody = crate::input::from_value(body)?;
        Ok(body
            .note
            .as_deref()
            .map(vamyar_domain::text::normalize_persian)
            .filter(|n| !n.trim().is_empty()))
    }
}

/// A decision whose checks passed (the caller may decide; the proposal was pending and
/// valid when read), before its transaction: [`confirm_checked`] carries it out. The claim
/// in that transaction checks again, so a decision checked while another one was being
/// carried out still cannot carry the act out twice.
#[derive(Debug)]
pub struct Checked {
    id: i64,
    file: FileContext,
    act: Act,
    staff_id: i64,
    note: Option<String>,
}

/// The checks of a confirmation (see [`confirm`]), without carrying it out.
pub async fn check_confirm(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    body: serde_json::Value,
) -> Result<Checked> {
    check(ctx, actor, id, body, "confirm").await
}

async fn check(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    body: serde_json::Value,
    step: &str,
) -> Result<Checked> {
    let (proposal, file) = load_visible(ctx, actor, id).await?;
    let act = Act::parse(&proposal.action)?;
    if let Err(e) = check_decider(actor, act, &proposal, &file) {
        crate::audit::denied(ctx, actor, &format!("proposal.{step}"), "proposal", id).await;
        return Err(e);
    }
    let note = DecisionBody::note_of(body)?;
    if proposal.status != "pending" {
        return Err(Error::Conflict(if proposal.status == "expired" {
            "proposal_expired"
        } else {
            "proposal_decided"
        }));
    }
    if proposal.expires_on < vamyar_store::time::date(ctx.today()) {
        return Err(Error::Conflict("proposal_expired"));
    }
    Ok(Checked {
        id,
        file,
        act,
        staff_id: actor.staff_id().ok_or(Error::Forbidden)?,
        note,
    })
}

/// Claims pending proposal `id` for `status` inside `tx`; 409 `proposal_decided` (or
/// `proposal_expired`) when it is no longer pending or valid.
async fn claim(
    ctx: &Ctx,
    tx: &mut Tx,
    id: i64,
    status: &str,
    staff_id: i64,
    note: Option<&str>,
) -> Result<Proposal> {
    let at = vamyar_store::time::ts(ctx.clock.now());
    let today = vamyar_store::time::date(ctx.today());
    match vamyar_store::proposal::decide(tx, id, status, staff_id, &at, &today, note).await? {
        Some(p) => Ok(p),
        None => {
            let now = vamyar_store::proposal::get(&mut **tx, id).await?;
            let expired = now.is_some_and(|p| p.status == "expired" || p.expires_on < today);
            Err(Error::Conflict(if expired {
                "proposal_expired"
            } else {
                "proposal_decided"
            }))
        }
    }
}

/// Confirms proposal `id` and carries the act out (see the module documentation). Errors:
/// 404 not visible, 403 `proposer_cannot_confirm` or not a second person, 409
/// `proposal_decided`, `proposal_expired`, or the act's own refusal (`invalid_state`,
/// `stale_version`, `loan_closed`, `payment_already_reversed`, …).
pub async fn confirm(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    body: serde_json::Value,
) -> Result<ProposalView> {
    let r = check(ctx, actor, id, body, "confirm").await?;
    confirm_checked(ctx, actor, r).await
}

/// Carries out a confirmation whose checks passed ([`check_confirm`]).
pub async fn confirm_checked(ctx: &Ctx, actor: &Actor, r: Checked) -> Result<ProposalView> {
    let id = r.id;
    let rules = Rules::load(ctx, r.file.app.program_id).await?;
    let basis = Basis::load(ctx).await?;
    let mut tx = ctx.db.begin().await?;
    let p = claim(ctx, &mut tx, id, "confirmed", r.staff_id, r.note.as_deref()).await?;
    match r.act {
        Act::Accelerate => {
            step(
                &mut tx,
                &p,
                &r.file,
                Some(r.staff_id),
                "confirm",
                r.note.as_deref(),
                &rules.at,
            )
            .await?;
            accelerate(&mut tx, actor, &p, &r.file, &rules).await?;
        }
        Act::Reversal => {
            carry_out_claimed(
                &mut tx,
                actor,
                &p,
                &r.file,
                r.note.as_deref(),
                &basis,
                &rules.at,
            )
            .await?;
        }
    }
    tx.commit().await?;
    super::view(ctx, actor, &p, &r.file).await
}

/// Rejects proposal `id`: nothing is carried out. Errors as [`confirm`]'s checks.
pub async fn reject(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    body: serde_json::Value,
) -> Result<ProposalView> {
    let r = check(ctx, actor, id, body, "reject").await?;
    let at = vamyar_store::time::ts(ctx.clock.now());
    let mut tx = ctx.db.begin().await?;
    let p = claim(ctx, &mut tx, id, "rejected", r.staff_id, r.note.as_deref()).await?;
    step(
        &mut tx,
        &p,
        &r.file,
        Some(r.staff_id),
        "reject",
        r.note.as_deref(),
        &at,
    )
    .await?;
    tx.commit().await?;
    super::view(ctx, actor, &p, &r.file).await
}

/// Accelerates the file's loan through the workflow on the confirmer's word: the file's state
/// and version are checked again by the transition, the loan's by `loans::accelerate`.
async fn accelerate(
    tx: &mut Tx,
    actor: &Actor,
    p: &Proposal,
    file: &FileContext,
    rules: &Rules,
) -> Result<()> {
    let input = ActionInput {
        reason: p.reason.clone(),
        note: None,
    };
    let t = workflow::decide(file.app.state, Action::Accelerate, Role::OfficeHead, &input)
        .map_err(|e| match e.code() {
            "reason_required" => Error::field("reason", "reason_required"),
            code => Error::Conflict(code),
        })?;
    let mut detail = crate::loans::accelerate::accelerate(tx, file, rules.today).await?;
    detail["proposal_id"] = json!(p.id);
    detail["proposed_by"] = json!(p.proposed_by);
    let doer = Doer::of(actor);
    crate::files::actions::apply(tx, file, rules, &t, &doer, &input, detail.clone()).await?;
    crate::files::hooks::after_transition(tx, file, &t, &detail).await
}

/// Confirms a reversal proposal on the proposer's own word (four eyes off for reversals):
/// claims it and carries it out inside `tx`.
pub(super) async fn carry_out(
    ctx: &Ctx,
    tx: &mut Tx,
    actor: &Actor,
    p: Proposal,
    file: &FileContext,
    note: Option<&str>,
    basis: &Basis,
) -> Result<Proposal> {
    let staff_id = actor.staff_id().ok_or(Error::Forbidden)?;
    let p = claim(ctx, tx, p.id, "confirmed", staff_id, note).await?;
    let at = vamyar_store::time::ts(ctx.clock.now());
    carry_out_claimed(tx, actor, &p, file, note, basis, &at).await?;
    Ok(p)
}

/// Reverses the payment of claimed proposal `p` and replays its loan; writes the history and
/// audit rows.
async fn carry_out_claimed(
    tx: &mut Tx,
    actor: &Actor,
    p: &Proposal,
    file: &FileContext,
    note: Option<&str>,
    basis: &Basis,
    at: &str,
) -> Result<()> {
    let staff_id = actor.staff_id().ok_or(Error::Forbidden)?;
    let payment_id = p
        .payment_id
        .ok_or_else(|| Error::Internal(format!("reversal proposal {} has no payment", p.id)))?;
    // lock order: the file, then the loan (see vamyar_store::loan)
    vamyar_store::document::lock_application(tx, file.app.id).await?;
    let payment = vamyar_store::loan::payment::get(&mut **tx, payment_id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut l = vamyar_store::loan::lock(tx, payment.loan_id)
        .await?
        .ok_or(Error::NotFound)?;
    if l.status == vamyar_domain::vocab::LoanStatus::Closed {
        return Err(Error::Conflict("loan_closed"));
    }
    let reason = p.reason.as_deref().unwrap_or_default();
    if !vamyar_store::loan::payment::mark_reversed(tx, payment.id, staff_id, reason, p.id).await? {
        return Err(Error::Conflict("payment_already_reversed"));
    }
    vamyar_store::loan::payment::set_allocation(tx, payment.id, 0, 0, 0, 0).await?;
    let done = recompute(tx, &mut l, basis).await?;
    step(tx, p, file, Some(staff_id), "confirm", note, at).await?;
    let entry = vamyar_store::audit::Entry::staff(staff_id, "loan.payment_reversal", "payment")
        .on(payment.id)
        .detail(json!({
            "loan_id": l.id,
            "application_id": l.application_id,
            "proposal_id": p.id,
            "proposed_by": p.proposed_by,
            "amount": payment.amount,
            "paid_on": payment.paid_on,
            "bank_reference": payment.bank_reference,
            "reason": reason,
            "recomputed": done,
        }));
    vamyar_store::audit::append(tx, &entry).await?;
    // the borrower is told now, when the act is carried out, not when it was proposed
    let paid_on =
        chrono::NaiveDate::parse_from_str(&payment.paid_on, "%Y-%m-%d").map_err(|_| {
            Error::Internal(format!(
                "payment {} paid on `{}`",
                payment.id, payment.paid_on
            ))
        })?;
    crate::files::announce::queue_message(
        tx,
        file,
        vamyar_domain::announcement::Notice::PaymentReversed {
            amount: payment.amount,
            paid_on,
        },
        format!("payment:{}:reversed", payment.id),
    )
    .await
}
