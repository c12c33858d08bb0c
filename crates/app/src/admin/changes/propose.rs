//! Submitting an administrative request: carried out at once when its `[four_eyes]` switch
//! is off; otherwise a dry run (the use case's `*_in` part in a transaction rolled back, so
//! every validation error is answered now) and then a pending change proposal with its
//! `change.propose` audit row.

use serde_json::json;
use vamyar_domain::policy::Actor;
use vamyar_store::change_proposal::{self, NewChangeProposal};
use vamyar_store::staff::Staff;

use super::{ChangeAct, Changed, Outcome, Request, Submitted, view};
use crate::Ctx;
use crate::admin::memoranda::{self, MemorandumInput, MemorandumOut, QuotaOut};
use crate::admin::programs::{self, ProgramOut, ProgramPatch};
use crate::admin::quotas::{self, QuotaLimits};
use crate::admin::staff::{self, StaffEdit, StaffOut};
use crate::error::{Error, Result};
use crate::fields::region_code;

fn mismatch() -> Error {
    Error::Internal("a change answered for another act".into())
}

/// Sets a province's quota under memorandum `id` ([`quotas::set`]), or proposes it under
/// `[four_eyes] quota`.
pub async fn submit_quota(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    province_code: &str,
    limits: QuotaLimits,
) -> Result<Submitted<QuotaOut>> {
    if !ctx.settings.four_eyes.quota {
        return Ok(Submitted::Done(
            quotas::set(ctx, actor, id, province_code, limits).await?,
        ));
    }
    let request = Request::Quota {
        memorandum_id: id,
        province_code: region_code(province_code),
        limits,
    };
    match propose(ctx, actor, request).await? {
        Submitted::Done(Outcome::Quota(q)) => Ok(Submitted::Done(q)),
        Submitted::Proposed(c) => Ok(Submitted::Proposed(c)),
        Submitted::Done(_) => Err(mismatch()),
    }
}

/// Changes a staff account ([`staff::update`]), or, under `[four_eyes] staff_role`, proposes
/// a change of its role or place (a change of the display name alone is carried out at once).
pub async fn submit_staff(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    edit: StaffEdit,
) -> Result<Submitted<StaffOut>> {
    if !ctx.settings.four_eyes.staff_role {
        return Ok(Submitted::Done(staff::update(ctx, actor, id, edit).await?));
    }
    let request = Request::StaffRole { staff_id: id, edit };
    match propose(ctx, actor, request).await? {
        Submitted::Done(Outcome::Staff(s)) => Ok(Submitted::Done(s)),
        Submitted::Proposed(c) => Ok(Submitted::Proposed(c)),
        Submitted::Done(_) => Err(mismatch()),
    }
}

/// Changes a program's settings ([`programs::update`]), or proposes it under
/// `[four_eyes] program`.
pub async fn submit_program(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    patch: ProgramPatch,
) -> Result<Submitted<ProgramOut>> {
    if !ctx.settings.four_eyes.program {
        return Ok(Submitted::Done(
            programs::update(ctx, actor, id, patch).await?,
        ));
    }
    let request = Request::Program {
        program_id: id,
        patch,
    };
    match propose(ctx, actor, request).await? {
        Submitted::Done(Outcome::Program(p)) => Ok(Submitted::Done(p)),
        Submitted::Proposed(c) => Ok(Submitted::Proposed(c)),
        Submitted::Done(_) => Err(mismatch()),
    }
}

/// Signs a memorandum ([`memoranda::create`]), or proposes it under
/// `[four_eyes] memorandum`.
pub async fn submit_memorandum(
    ctx: &Ctx,
    actor: &Actor,
    input: MemorandumInput,
) -> Result<Submitted<MemorandumOut>> {
    if !ctx.settings.four_eyes.memorandum {
        return Ok(Submitted::Done(memoranda::create(ctx, actor, input).await?));
    }
    match propose(ctx, actor, Request::Memorandum { input }).await? {
        Submitted::Done(Outcome::Memorandum(m)) => Ok(Submitted::Done(m)),
        Submitted::Proposed(c) => Ok(Submitted::Proposed(c)),
        Submitted::Done(_) => Err(mismatch()),
    }
}

/// True when `after` keeps `before`'s role and place (only the display name changed).
fn same_place(before: &Staff, after: &StaffOut) -> bool {
    before.role == after.role
        && before.province_code == after.province_code
        && before.county_code == after.county_code
        && before.bank_id == after.bank_id
        && before.branch_id == after.branch_id
}

/// The dry run, then the pending proposal (see the module documentation). Errors: the act's
/// own (403, 404, 409, 422 with the fields), 409 `proposal_pending` when the same act is
/// already pending for the subject.
async fn propose(ctx: &Ctx, actor: &Actor, request: Request) -> Result<Submitted<Outcome>> {
    let expires_on = crate::proposals::expiry(ctx).await?;
    let before = match &request {
        Request::StaffRole { staff_id, .. } => {
            vamyar_store::staff::by_id(ctx.db.pool(), *staff_id).await?
        }
        _ => None,
    };
    let mut tx = ctx.db.begin().await?;
    // the dry run: every check and the write, as the actor; an error drops (rolls back) `tx`
    let outcome = request.run_in(ctx, &mut tx, actor).await?;
    if let (Outcome::Staff(after), Some(before)) = (&outcome, &before)
        && same_place(before, after)
    {
        // a new display name alone is no change of role: carried out now
        tx.commit().await?;
        return Ok(Submitted::Done(outcome));
    }
    tx.rollback().await?;
    let staff_id = actor.staff_id().ok_or(Error::Forbidden)?;
    let (subject, province) = match (&request, &outcome) {
        (Request::Quota { memorandum_id, .. }, Outcome::Quota(q)) => (
            format!("quota:{memorandum_id}/{}", q.province_code),
            Some(q.province_code.clone()),
        ),
        (Request::StaffRole { staff_id, .. }, Outcome::Staff(s)) => {
            (format!("staff:{staff_id}"), s.province_code.clone())
        }
        (Request::Program { program_id, .. }, Outcome::Program(_)) => {
            (format!("program:{program_id}"), None)
        }
        (Request::Memorandum { .. }, Outcome::Memorandum(m)) => (
            format!("memorandum:new:{}/{}", m.bank_id, m.program_id),
            None,
        ),
        _ => return Err(mismatch()),
    };
    let body = request.body()?;
    let reason = body["reason"].as_str().map(str::to_string);
    let act: ChangeAct = request.act();
    let at = vamyar_store::time::ts(ctx.clock.now());
    let mut tx = ctx.db.begin().await?;
    let inserted = change_proposal::insert(
        &mut tx,
        &NewChangeProposal {
            action: act.as_str(),
            subject: &subject,
            province_code: province.as_deref(),
            body: &body.to_string(),
            reason: reason.as_deref(),
            proposed_by: staff_id,
            proposed_at: &at,
            expires_on: &vamyar_store::time::date(expires_on),
        },
    )
    .await;
    let p = match inserted {
        Ok(p) => p,
        Err(e) if e.violates(change_proposal::PENDING_KEY) => {
            return Err(Error::Conflict("proposal_pending"));
        }
        Err(e) => return Err(e.into()),
    };
    let entry = crate::audit::entry(actor, "change.propose", "change_proposal")
        .on(p.id)
        .detail(json!({
            "action": p.action, "subject": p.subject, "province_code": p.province_code,
            "body": body, "expires_on": p.expires_on,
        }));
    vamyar_store::audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(Submitted::Proposed(Changed {
        change: view(ctx, actor, &p).await?,
    }))
}
