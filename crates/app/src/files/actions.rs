//! Workflow actions on a file: the domain decides (state, role, reason), the policy checks the
//! scope, and one transaction moves the state (guarded by the file's version), appends the
//! history, times the new stage, writes the audit row and queues the announcement.

use vamyar_domain::policy::{self, Access};
use vamyar_domain::queue_key::{Waiting, is_served};
use vamyar_domain::workflow::{self, Action, ActionInput, Role, StageOwner, State, Transition};
use vamyar_store::Tx;

pub use super::body::{ActionBody, GuaranteeInput};
pub use super::doer::Doer;
use super::{FileContext, Rules};
use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};
use vamyar_domain::policy::Actor;

/// What an action came to.
#[derive(Debug)]
pub enum Performed {
    /// Carried out: the file as it now is.
    Done(Box<super::view::FileView>),
    /// The act needs a second person (four eyes, `crate::proposals`): the proposal; the file
    /// is as it was.
    Proposed(Box<crate::proposals::Proposed>),
}

/// Performs `action` on file `id` for the caller and returns the file as it now is (a
/// proposed act: the file as it was; see [`act`]).
pub async fn perform(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    action_name: &str,
    body: serde_json::Value,
) -> Result<super::view::FileView> {
    match act(ctx, actor, id, action_name, body).await? {
        Performed::Done(view) => Ok(*view),
        Performed::Proposed(_) => {
            let file = FileContext::load(ctx, id).await?.ok_or(Error::NotFound)?;
            let rules = Rules::load(ctx, file.app.program_id).await?;
            super::view::render(ctx, actor, &file, &rules).await
        }
    }
}

/// Performs `action` on file `id` for the caller, or proposes it when it needs a second
/// person (`accelerate` under `[four_eyes] accelerate`).
pub async fn act(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    action_name: &str,
    body: serde_json::Value,
) -> Result<Performed> {
    let ctx = &ctx.pinned();
    let action = Action::parse(action_name)
        .filter(|a| Action::MANUAL.contains(a))
        .ok_or(Error::NotFound)?;
    let file = FileContext::load(ctx, id).await?.ok_or(Error::NotFound)?;
    match policy::can_act_on_file(actor, action, &file.scope()) {
        Access::Allowed => {}
        Access::NotFound => {
            crate::audit::denied(
                ctx,
                actor,
                &format!("application.{}", action.as_str()),
                "application",
                id,
            )
            .await;
            return Err(Error::NotFound);
        }
        Access::Forbidden => {
            crate::audit::denied(
                ctx,
                actor,
                &format!("application.{}", action.as_str()),
                "application",
                id,
            )
            .await;
            return Err(Error::Forbidden);
        }
    }
    let mut body: ActionBody = crate::input::from_value(body)?;
    // staff-typed reasons and notes are Persian text like any other (ي→ی, ك→ک, ZWNJ, …)
    let normalize = |v: &Option<String>| {
        v.as_deref()
            .map(vamyar_domain::text::normalize_persian)
            .filter(|s| !s.is_empty())
    };
    body.reason = normalize(&body.reason);
    body.note = normalize(&body.note);
    let from = file.app.state;
    let input = ActionInput {
        reason: body.reason.clone(),
        note: body.note.clone(),
    };
    let transition =
        workflow::decide(from, action, actor.role(), &input).map_err(|e| match e.code() {
            "role_not_allowed" => Error::Forbidden,
            "reason_required" => {
                let mut f = FieldErrors::new();
                f.add("reason", "reason_required");
                Error::Validation(f)
            }
            code => Error::Conflict(code),
        })?;
    if body.version != file.app.version {
        return Err(Error::StaleVersion);
    }
    if action == Action::Accelerate && ctx.settings.four_eyes.accelerate {
        let proposed =
            crate::proposals::propose_acceleration(ctx, actor, &file, input.reason.as_deref())
                .await?;
        return Ok(Performed::Proposed(Box::new(proposed)));
    }
    let rules = Rules::load(ctx, file.app.program_id).await?;
    let doer = Doer::of(actor);
    let mut tx = ctx.db.begin().await?;
    let detail =
        super::hooks::before_transition(&mut tx, &file, &rules, &transition, &body, &doer).await?;
    apply(
        &mut tx,
        &file,
        &rules,
        &transition,
        &doer,
        &input,
        detail.clone(),
    )
    .await?;
    super::hooks::after_transition(&mut tx, &file, &transition, &detail).await?;
    tx.commit().await?;
    let file = FileContext::load(ctx, id).await?.ok_or(Error::NotFound)?;
    Ok(Performed::Done(Box::new(
        super::view::render(ctx, actor, &file, &rules).await?,
    )))
}

/// Writes one transition inside `tx`: the guarded state change, the history, the new stage's
/// clock, the audit row and the outbox message. Automatic follow-ups (all documents already
/// accepted) are applied too.
pub async fn apply(
    tx: &mut Tx,
    file: &FileContext,
    rules: &Rules,
    t: &Transition,
    doer: &Doer,
    input: &ActionInput,
    detail: serde_json::Value,
) -> Result<()> {
    let app = &file.app;
    let moved = vamyar_store::application::transition(
        tx,
        app.id,
        app.version,
        t.from.as_str(),
        t.to.as_str(),
        &rules.at,
    )
    .await?;
    if !moved {
        return Err(Error::StaleVersion);
    }
    if is_served(t.to) && !is_served(t.from) {
        let per_day = Waiting::from(&rules.settings.weights).per_day;
        vamyar_store::application::rank_as_served(tx, app.id, per_day).await?;
    }
    let note = input.trimmed_note();
    let reason = input.trimmed_reason();
    vamyar_store::application::add_event(
        tx,
        &vamyar_store::application::NewEvent {
            application_id: app.id,
            action: t.action.as_str(),
            from_state: Some(t.from.as_str()),
            to_state: t.to.as_str(),
            actor_kind: doer.kind,
            staff_user_id: doer.staff_id,
            person_id: doer.person_id,
            note,
            reason,
            detail: detail.clone(),
            at: &rules.at,
        },
    )
    .await?;
    let missing = documents_missing(tx, app.id, &rules.settings.required_documents).await?;
    open_stage(tx, app.id, t.to, missing, rules).await?;
    let mut entry = doer
        .audit(format!("application.{}", t.action.as_str()))
        .on(app.id);
    entry.detail = serde_json::json!({"from": t.from.as_str(), "to": t.to.as_str(), "version": app.version + 1, "detail": detail});
    vamyar_store::audit::append(tx, &entry).await?;
    super::announce::announce(tx, file, &t.event, app.version + 1, &detail).await?;
    if t.to == State::DocumentsPending
        && !missing
        && all_accepted(tx, app.id, &rules.settings.required_documents).await?
    {
        complete_documents(tx, file, rules, app.version + 1).await?;
    }
    Ok(())
}

/// Moves a file from documents_pending to counselling (automatic, by the system).
pub async fn complete_documents(
    tx: &mut Tx,
    file: &FileContext,
    rules: &Rules,
    version: i64,
) -> Result<()> {
    let t = workflow::decide(
        State::DocumentsPending,
        Action::DocumentsComplete,
        Role::System,
        &ActionInput::default(),
    )
    .map_err(|e| Error::Internal(e.code().into()))?;
    let mut next = file.clone();
    next.app.version = version;
    next.app.state = State::DocumentsPending;
    Box::pin(apply(
        tx,
        &next,
        rules,
        &t,
        &Doer::system(),
        &ActionInput::default(),
        serde_json::json!({}),
    ))
    .await
}

/// Opens the clock of the stage a file has just entered, and keeps the funnel's stays.
pub async fn open_stage(
    tx: &mut Tx,
    id: i64,
    to: State,
    documents_missing: bool,
    rules: &Rules,
) -> Result<()> {
    open_clock(tx, id, to, documents_missing, rules, false).await?;
    crate::reports::stays::refresh(tx, id, &rules.calendar).await
}

/// Opens the clock of the stage a file has just entered, without refreshing its stays: for a
/// file just registered (`first`: no clock runs yet to close), whose one running clock counts
/// in no stay yet (close of business refreshes the stays of the clocks it flags; the next
/// move refreshes the rest).
pub async fn open_clock(
    tx: &mut Tx,
    id: i64,
    to: State,
    documents_missing: bool,
    rules: &Rules,
    first: bool,
) -> Result<()> {
    let owner = workflow::stage_owner(to, documents_missing);
    let target = rules.settings.service_levels.target_for(to.as_str());
    let due = match (owner, target) {
        (StageOwner::Agency | StageOwner::Bank, Some(days)) => Some(vamyar_store::time::date(
            rules.calendar.add_working_days(rules.today, days),
        )),
        _ => None,
    };
    let opening = vamyar_store::stage::Opening {
        state: to.as_str(),
        owner: owner.as_str(),
        target_working_days: target.map(i64::from),
        due_on: due.as_deref(),
    };
    match first {
        // a file just created: no other transaction can touch its clock yet
        true => vamyar_store::stage::open_first_later(tx, id, opening, &rules.at).await?,
        false => vamyar_store::stage::open(tx, id, opening, &rules.at).await?,
    }
    Ok(())
}

/// True when a required document kind has no upload awaiting review or accepted.
pub async fn documents_missing(tx: &mut Tx, id: i64, required: &[String]) -> Result<bool> {
    let kinds = vamyar_store::document::document_kinds(tx, id).await?;
    Ok(required.iter().any(|r| !kinds.iter().any(|(k, _)| k == r)))
}

/// True when every required document kind has an accepted document.
pub async fn all_accepted(tx: &mut Tx, id: i64, required: &[String]) -> Result<bool> {
    let kinds = vamyar_store::document::document_kinds(tx, id).await?;
    Ok(required
        .iter()
        .all(|r| kinds.iter().any(|(k, s)| k == r && s == "accepted")))
}

/// After a document is uploaded, accepted or rejected while the file is in
/// `documents_pending`: hands the stage to the applicant while a required kind is missing and
/// back to the agency when all are in (pausing or resuming the service-level clock), and
/// moves the file on to counselling once every required kind is accepted. Returns true when
/// the file moved on.
pub async fn refresh_documents_stage(
    tx: &mut Tx,
    file: &FileContext,
    rules: &Rules,
) -> Result<bool> {
    if file.app.state != State::DocumentsPending {
        return Ok(false);
    }
    if all_accepted(tx, file.app.id, &rules.settings.required_documents).await? {
        complete_documents(tx, file, rules, file.app.version).await?;
        return Ok(true);
    }
    let missing = documents_missing(tx, file.app.id, &rules.settings.required_documents).await?;
    let owner = workflow::stage_owner(State::DocumentsPending, missing);
    let current =
        vamyar_store::stage::current(&mut **tx, file.app.id, &file.app.state_changed_at).await?;
    if current.last().map(|i| i.owner.as_str()) != Some(owner.as_str()) {
        open_stage(tx, file.app.id, State::DocumentsPending, missing, rules).await?;
    }
    Ok(false)
}
