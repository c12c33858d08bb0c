//! Confirming, rejecting and expiring change proposals. Confirming is one transaction: the
//! guarded claim (`vamyar_store::change_proposal::decide`), the act carried out on the
//! stored request with the confirmer as actor, and the `change.confirm` audit row; if the act
//! fails (the confirmer lacks the authority, a limit fell below what is used meanwhile, …)
//! everything rolls back and the proposal stays pending until it expires.

use chrono::NaiveDate;
use serde_json::json;
use vamyar_domain::policy::Actor;
use vamyar_store::Tx;
use vamyar_store::audit::Entry;
use vamyar_store::change_proposal::ChangeProposal;

use super::{ChangeView, Request, check_decider, view};
use crate::Ctx;
use crate::error::{Error, Result};
use crate::proposals::DecisionBody;

/// The checks of a decision: the proposal exists (404), the caller is not its proposer (403
/// `proposer_cannot_confirm`) and holds the authority that decides it (403; both audited); the
/// proposal is pending and not past its last day (409). Returns the proposal and the note.
async fn check(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    body: serde_json::Value,
    step: &str,
) -> Result<(ChangeProposal, i64, Option<String>)> {
    let p = vamyar_store::change_proposal::get(ctx.db.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    if let Err(e) = check_decider(ctx, actor, &p).await {
        crate::audit::denied(ctx, actor, &format!("change.{step}"), "change_proposal", id).await;
        return Err(e);
    }
    let note = DecisionBody::note_of(body)?;
    if p.status != "pending" {
        return Err(Error::Conflict(if p.status == "expired" {
            "proposal_expired"
        } else {
            "proposal_decided"
        }));
    }
    if p.expires_on < vamyar_store::time::date(ctx.today()) {
        return Err(Error::Conflict("proposal_expired"));
    }
    let staff_id = actor.staff_id().ok_or(Error::Forbidden)?;
    Ok((p, staff_id, note))
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
) -> Result<ChangeProposal> {
    let at = vamyar_store::time::ts(ctx.clock.now());
    let today = vamyar_store::time::date(ctx.today());
    match vamyar_store::change_proposal::decide(tx, id, status, staff_id, &at, &today, note).await?
    {
        Some(p) => Ok(p),
        None => {
            let now = vamyar_store::change_proposal::get(&mut **tx, id).await?;
            let expired = now.is_some_and(|p| p.status == "expired" || p.expires_on < today);
            Err(Error::Conflict(if expired {
                "proposal_expired"
            } else {
                "proposal_decided"
            }))
        }
    }
}

fn step_detail(p: &ChangeProposal) -> serde_json::Value {
    json!({
        "action": p.action, "subject": p.subject, "province_code": p.province_code,
        "proposed_by": p.proposed_by, "decision_note": p.decision_note,
    })
}

/// A confirmation whose checks passed (the caller may decide; the proposal was pending and
/// valid when read), before its transaction: [`confirm_checked`] carries it out. The claim in
/// that transaction checks again, so two confirmations checked at once carry the change out
/// once.
#[derive(Debug)]
pub struct CheckedConfirm {
    proposal: ChangeProposal,
    staff_id: i64,
    note: Option<String>,
}

/// The checks of a confirmation (see [`confirm`]), without carrying it out.
pub async fn check_confirm(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    body: serde_json::Value,
) -> Result<CheckedConfirm> {
    let (proposal, staff_id, note) = check(ctx, actor, id, body, "confirm").await?;
    Ok(CheckedConfirm {
        proposal,
        staff_id,
        note,
    })
}

/// Confirms change proposal `id` and carries it out with the caller as actor (see the module
/// documentation). Errors: 404, 403 `proposer_cannot_confirm` or no authority, 409
/// `proposal_decided`, `proposal_expired`, or the act's own refusal (422 with the fields,
/// 409, 403, 404).
pub async fn confirm(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    body: serde_json::Value,
) -> Result<ChangeView> {
    let checked = check_confirm(ctx, actor, id, body).await?;
    confirm_checked(ctx, actor, checked).await
}

/// Carries out a confirmation whose checks passed ([`check_confirm`]): the claim, the act and
/// the audit row in one transaction.
pub async fn confirm_checked(
    ctx: &Ctx,
    actor: &Actor,
    checked: CheckedConfirm,
) -> Result<ChangeView> {
    let CheckedConfirm {
        proposal,
        staff_id,
        note,
    } = checked;
    let request = Request::of(&proposal)?;
    let mut tx = ctx.db.begin().await?;
    let p = claim(
        ctx,
        &mut tx,
        proposal.id,
        "confirmed",
        staff_id,
        note.as_deref(),
    )
    .await?;
    request.run_in(ctx, &mut tx, actor).await?;
    let entry = crate::audit::entry(actor, "change.confirm", "change_proposal")
        .on(p.id)
        .detail(step_detail(&p));
    vamyar_store::audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    view(ctx, actor, &p).await
}

/// Rejects change proposal `id`: nothing is carried out. Errors as [`confirm`]'s checks.
pub async fn reject(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    body: serde_json::Value,
) -> Result<ChangeView> {
    let (_, staff_id, note) = check(ctx, actor, id, body, "reject").await?;
    let mut tx = ctx.db.begin().await?;
    let p = claim(ctx, &mut tx, id, "rejected", staff_id, note.as_deref()).await?;
    let entry = crate::audit::entry(actor, "change.reject", "change_proposal")
        .on(p.id)
        .detail(step_detail(&p));
    vamyar_store::audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    view(ctx, actor, &p).await
}

/// Close of business: marks every pending change proposal whose last day is before `date`
/// expired (each with a `change.expire` audit row); returns how many.
pub async fn expire(ctx: &Ctx, date: NaiveDate) -> Result<u64> {
    let at = vamyar_store::time::ts(ctx.clock.now());
    let mut tx = ctx.db.begin().await?;
    let expired =
        vamyar_store::change_proposal::expire_before(&mut tx, &vamyar_store::time::date(date), &at)
            .await?;
    for p in &expired {
        let entry = Entry::system("change.expire", "change_proposal")
            .on(p.id)
            .detail(step_detail(p));
        vamyar_store::audit::append(&mut tx, &entry).await?;
    }
    tx.commit().await?;
    Ok(expired.len() as u64)
}
