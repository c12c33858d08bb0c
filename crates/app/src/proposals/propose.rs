//! Proposing an act: acceleration (from `files::actions::perform`, after the workflow's own
//! checks) and a payment's reversal. One transaction writes the proposal, the file's history
//! and the audit row; nothing else changes.

use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use vamyar_domain::policy::{Actor, Permission};
use vamyar_domain::vocab::LoanStatus;
use vamyar_store::Tx;
use vamyar_store::proposal::{self, NewProposal, Proposal};

use super::record::step;
use super::{Act, Proposed};
use crate::Ctx;
use crate::error::{Error, Result};
use crate::files::FileContext;

/// The body of `POST /api/v1/payments/{id}/reversal`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReversalBody {
    /// Why the payment is wrong (required, Persian text).
    pub reason: Option<String>,
}

/// What a proposal is about.
pub(super) struct Subject<'a> {
    pub act: Act,
    pub file: &'a FileContext,
    pub payment_id: Option<i64>,
    pub reason: Option<&'a str>,
    pub detail: serde_json::Value,
    /// The last day it may be confirmed ([`expiry`]).
    pub expires_on: chrono::NaiveDate,
}

/// The last day a proposal made today may be confirmed: `[four_eyes] expiry_working_days`
/// working days on (read before the proposing transaction begins).
pub(crate) async fn expiry(ctx: &Ctx) -> Result<chrono::NaiveDate> {
    let calendar = ctx.calendar().await?;
    Ok(calendar.add_working_days(ctx.today(), ctx.settings.four_eyes.expiry_working_days))
}

/// Writes a pending proposal with its history and audit rows inside `tx`. Errors: 409
/// `proposal_pending` when the same act is already pending for the subject.
pub(super) async fn write(
    ctx: &Ctx,
    tx: &mut Tx,
    actor: &Actor,
    s: &Subject<'_>,
) -> Result<Proposal> {
    let staff_id = actor.staff_id().ok_or(Error::Forbidden)?;
    let key = match s.payment_id {
        Some(p) => format!("{}:payment:{p}", s.act.as_str()),
        None => format!("{}:application:{}", s.act.as_str(), s.file.app.id),
    };
    let at = vamyar_store::time::ts(ctx.clock.now());
    let inserted = proposal::insert(
        tx,
        &NewProposal {
            action: s.act.as_str(),
            application_id: s.file.app.id,
            payment_id: s.payment_id,
            pending_key: &key,
            reason: s.reason,
            detail: &s.detail.to_string(),
            proposed_by: staff_id,
            proposed_at: &at,
            expires_on: &vamyar_store::time::date(s.expires_on),
        },
    )
    .await;
    let p = match inserted {
        Ok(p) => p,
        Err(e) if e.violates(proposal::PENDING_KEY) => {
            return Err(Error::Conflict("proposal_pending"));
        }
        Err(e) => return Err(e.into()),
    };
    step(tx, &p, s.file, Some(staff_id), "propose", s.reason, &at).await?;
    Ok(p)
}

/// Proposes the acceleration of `file`'s loan (the workflow already allowed `actor` to
/// accelerate it): checks that it could be carried out now (an active loan, a visit that
/// found the plan not carried out) and records the proposal. Errors: 409 `no_loan`,
/// `invalid_state`, `no_failed_visit`, `proposal_pending`.
pub async fn propose_acceleration(
    ctx: &Ctx,
    actor: &Actor,
    file: &FileContext,
    reason: Option<&str>,
) -> Result<Proposed> {
    let l = vamyar_store::loan::for_application(ctx.db.pool(), file.app.id)
        .await?
        .ok_or(Error::Conflict("no_loan"))?;
    if l.status != LoanStatus::Active {
        return Err(Error::Conflict("invalid_state"));
    }
    crate::loans::accelerate::failed_visit(ctx.db.pool(), l.id)
        .await?
        .ok_or(Error::Conflict("no_failed_visit"))?;
    let expires_on = expiry(ctx).await?;
    let mut tx = ctx.db.begin().await?;
    let subject = Subject {
        act: Act::Accelerate,
        expires_on,
        file,
        payment_id: None,
        reason,
        detail: json!({"loan_id": l.id, "bank_id": l.bank_id, "version": file.app.version}),
    };
    let p = write(ctx, &mut tx, actor, &subject).await?;
    tx.commit().await?;
    Ok(Proposed {
        proposal: super::view(ctx, actor, &p, file).await?,
    })
}

/// Proposes the reversal of payment `id` (an officer of its bank). With
/// `[four_eyes] reversal = false` the reversal is carried out at once. Errors: 404 (not the
/// caller's bank or scope), 403 (not a bank officer), 422 `reason`, 409
/// `payment_already_reversed`, `loan_closed`, `loan_accelerated`, `proposal_pending`.
pub async fn propose_reversal(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    body: serde_json::Value,
) -> Result<Proposed> {
    let payment = vamyar_store::loan::payment::get(ctx.db.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    let lc = crate::loans::permitted_loan(
        ctx,
        actor,
        payment.loan_id,
        &Permission::PostPayments,
        "payment.reversal",
    )
    .await?;
    let body: ReversalBody = crate::input::from_value(body)?;
    let reason = body
        .reason
        .as_deref()
        .map(vamyar_domain::text::normalize_persian)
        .filter(|r| !r.trim().is_empty())
        .ok_or_else(|| Error::field("reason", "reason_required"))?;
    if payment.is_reversed() {
        return Err(Error::Conflict("payment_already_reversed"));
    }
    match lc.loan.status {
        LoanStatus::Closed => return Err(Error::Conflict("loan_closed")),
        LoanStatus::Accelerated => return Err(Error::Conflict("loan_accelerated")),
        LoanStatus::Active => {}
    }
    let basis = crate::loans::recompute::Basis::load(ctx).await?;
    let expires_on = expiry(ctx).await?;
    let file = crate::files::FileContext::complete(ctx, lc.app.clone()).await?;
    let mut tx = ctx.db.begin().await?;
    let subject = Subject {
        act: Act::Reversal,
        expires_on,
        file: &file,
        payment_id: Some(payment.id),
        reason: Some(&reason),
        detail: json!({
            "loan_id": lc.loan.id,
            "bank_id": payment.bank_id,
            "amount": payment.amount,
            "paid_on": payment.paid_on,
            "bank_reference": payment.bank_reference,
        }),
    };
    let mut p = write(ctx, &mut tx, actor, &subject).await?;
    if !ctx.settings.four_eyes.reversal {
        p = super::decide::carry_out(ctx, &mut tx, actor, p, &file, None, &basis).await?;
    }
    tx.commit().await?;
    Ok(Proposed {
        proposal: super::view(ctx, actor, &p, &file).await?,
    })
}
