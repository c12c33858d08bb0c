//! Workflow actions on a file: the domain decides (state, role, reason), the policy checks the
//! scope, and one transaction moves the state (guarded by the file's version), appends the
//! history, times the new stage, writes the audit row and queues the announcement.

use chrono::{Duration, NaiveDate, Utc};
use serde::Deserialize;
use utoipa::ToSchema;
use vamyar_calendar::WorkingCalendar;
use vamyar_domain::policy::{self, Access};
use vamyar_domain::workflow::{
    self, Action, ActionInput, Event, Role, StageOwner, State, Transition,
};
use vamyar_store::Tx;
use vamyar_store::audit::Entry;

use super::{FileContext, Settings};
use crate::AppState;
use crate::applicant::Flex;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult, FieldErrors};

/// The body of `POST /api/v1/applications/{id}/actions/{action}`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// The file's version as last read (optimistic concurrency).
    pub version: i64,
    /// A free note kept in the history.
    pub note: Option<String>,
    /// Why (required for `return`, `reject`, `bank_reject`, `accelerate`).
    pub reason: Option<String>,
    /// `approve_plan`: rials recommended (defaults to the plan review's).
    pub recommended_amount: Option<Flex>,
    /// `refer`: the bank branch.
    pub branch_id: Option<i64>,
    /// `refer`: rials referred (defaults to the recommended amount); `disburse`: rials paid
    /// out, more than 0 and at most the approved amount (defaults to the approved amount).
    pub amount: Option<Flex>,
    /// `disburse`: the bank's contract number (required, at most 64 characters, unique per bank).
    pub contract_number: Option<String>,
    /// `disburse`: the day the loan was paid out, ISO or Jalali, not in the future (required).
    pub disbursed_on: Option<String>,
    /// `request_guarantees`: what the bank asks for.
    pub guarantees: Option<Vec<GuaranteeInput>>,
}

/// One guarantee the bank asks for.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuaranteeInput {
    /// `guarantor`, `promissory_note`, `salary_deduction`, `collateral_deed`, `cheque` or `institution`.
    pub kind: String,
    /// What exactly.
    pub description: Option<String>,
    /// A guarantor's national ID (kind `guarantor`).
    pub guarantor_national_id: Option<String>,
    /// A guarantor's name.
    pub guarantor_name: Option<String>,
    /// Rials covered.
    pub amount: Option<Flex>,
}

/// Who performs a transition, for the history and the audit log.
#[derive(Clone, Debug)]
pub struct Doer {
    /// `staff`, `applicant` or `system`.
    pub kind: &'static str,
    /// Staff member.
    pub staff_id: Option<i64>,
    /// Applicant.
    pub person_id: Option<i64>,
}

impl Doer {
    /// The doer behind a request.
    pub fn of(current: &CurrentActor) -> Doer {
        match current.role() {
            Role::Applicant => Doer {
                kind: "applicant",
                staff_id: None,
                person_id: current.actor.person_id(),
            },
            Role::System => Doer::system(),
            _ => Doer {
                kind: "staff",
                staff_id: current.actor.staff_id(),
                person_id: None,
            },
        }
    }

    /// The close-of-business job and automatic transitions.
    pub fn system() -> Doer {
        Doer {
            kind: "system",
            staff_id: None,
            person_id: None,
        }
    }

    fn audit(&self, action: String) -> Entry {
        match self.kind {
            "applicant" => {
                Entry::applicant(self.person_id.unwrap_or_default(), action, "application")
            }
            "system" => Entry::system(action, "application"),
            _ => Entry::staff(self.staff_id.unwrap_or_default(), action, "application"),
        }
    }
}

/// Performs `action` on file `id` for the caller and returns the file as it now is.
pub async fn perform(
    state: &AppState,
    current: &CurrentActor,
    id: i64,
    action_name: &str,
    body: serde_json::Value,
) -> AppResult<super::view::FileView> {
    let action = Action::parse(action_name)
        .filter(|a| Action::MANUAL.contains(a))
        .ok_or(AppError::NotFound)?;
    let file = FileContext::load(state, id)
        .await?
        .ok_or(AppError::NotFound)?;
    match policy::can_act_on_file(&current.actor, action, &file.scope()) {
        Access::Allowed => {}
        Access::NotFound => {
            crate::audit::denied(
                state,
                current,
                &format!("application.{}", action.as_str()),
                "application",
                id,
            )
            .await;
            return Err(AppError::NotFound);
        }
        Access::Forbidden => {
            crate::audit::denied(
                state,
                current,
                &format!("application.{}", action.as_str()),
                "application",
                id,
            )
            .await;
            return Err(AppError::Forbidden);
        }
    }
    let body: ActionBody = crate::input::from_value(body)?;
    let from = State::parse(&file.app.state)
        .ok_or_else(|| AppError::Internal(format!("file {id} in unknown state")))?;
    let input = ActionInput {
        reason: body.reason.clone(),
        note: body.note.clone(),
    };
    let transition =
        workflow::decide(from, action, current.role(), &input).map_err(|e| match e.code() {
            "role_not_allowed" => AppError::Forbidden,
            "reason_required" => {
                let mut f = FieldErrors::new();
                f.add("reason", "reason_required");
                AppError::Validation(f)
            }
            code => AppError::Conflict(code),
        })?;
    if body.version != file.app.version {
        return Err(AppError::StaleVersion);
    }
    let settings = Settings::load(state, file.app.program_id)
        .await?
        .ok_or_else(|| AppError::Internal("program missing".into()))?;
    let calendar = vamyar_store::reference::working_calendar(&state.db).await?;
    let doer = Doer::of(current);
    let mut tx = state.db.begin().await?;
    let detail = super::hooks::before_transition(
        &mut tx,
        state,
        &file,
        &settings,
        &transition,
        &body,
        &doer,
    )
    .await?;
    apply(
        &mut tx,
        &file,
        &settings,
        &calendar,
        &transition,
        &doer,
        &input,
        detail.clone(),
    )
    .await?;
    super::hooks::after_transition(&mut tx, &file, &transition, &detail).await?;
    tx.commit().await?;
    let file = FileContext::load(state, id)
        .await?
        .ok_or(AppError::NotFound)?;
    super::view::render(state, &current.actor, &file, &settings, &calendar).await
}

/// Writes one transition inside `tx`: the guarded state change, the history, the new stage's
/// clock, the audit row and the outbox message. Automatic follow-ups (all documents already
/// accepted) are applied too.
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    tx: &mut Tx,
    file: &FileContext,
    settings: &Settings,
    calendar: &WorkingCalendar,
    t: &Transition,
    doer: &Doer,
    input: &ActionInput,
    detail: serde_json::Value,
) -> AppResult<()> {
    let app = &file.app;
    let moved = vamyar_store::application::transition(
        tx,
        app.id,
        app.version,
        t.from.as_str(),
        t.to.as_str(),
    )
    .await?;
    if !moved {
        return Err(AppError::StaleVersion);
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
        },
    )
    .await?;
    let missing = documents_missing(tx, app.id, &settings.required_documents).await?;
    open_stage(tx, app.id, t.to, missing, settings, calendar).await?;
    let mut entry = doer
        .audit(format!("application.{}", t.action.as_str()))
        .on(app.id);
    entry.detail = serde_json::json!({"from": t.from.as_str(), "to": t.to.as_str(), "version": app.version + 1, "detail": detail});
    vamyar_store::audit::append(tx, &entry).await?;
    announce(tx, file, &t.event, app.version + 1, &detail).await?;
    if t.to == State::DocumentsPending
        && !missing
        && all_accepted(tx, app.id, &settings.required_documents).await?
    {
        complete_documents(tx, file, settings, calendar, app.version + 1).await?;
    }
    Ok(())
}

/// Moves a file from documents_pending to counselling (automatic, by the system).
pub async fn complete_documents(
    tx: &mut Tx,
    file: &FileContext,
    settings: &Settings,
    calendar: &WorkingCalendar,
    version: i64,
) -> AppResult<()> {
    let t = workflow::decide(
        State::DocumentsPending,
        Action::DocumentsComplete,
        Role::System,
        &ActionInput::default(),
    )
    .map_err(|e| AppError::Internal(e.code().into()))?;
    let mut next = file.clone();
    next.app.version = version;
    next.app.state = State::DocumentsPending.as_str().into();
    Box::pin(apply(
        tx,
        &next,
        settings,
        calendar,
        &t,
        &Doer::system(),
        &ActionInput::default(),
        serde_json::json!({}),
    ))
    .await
}

/// Opens the clock of the stage a file has just entered.
pub async fn open_stage(
    tx: &mut Tx,
    id: i64,
    to: State,
    documents_missing: bool,
    settings: &Settings,
    calendar: &WorkingCalendar,
) -> AppResult<()> {
    let owner = workflow::stage_owner(to, documents_missing);
    let target = settings.service_levels.target_for(to.as_str());
    let due = match (owner, target) {
        (StageOwner::Agency | StageOwner::Bank, Some(days)) => Some(vamyar_store::time::date(
            calendar.add_working_days(today(), days),
        )),
        _ => None,
    };
    vamyar_store::stage::open(
        tx,
        id,
        to.as_str(),
        owner.as_str(),
        target.map(i64::from),
        due,
    )
    .await?;
    Ok(())
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// True when a required document kind has no upload awaiting review or accepted.
pub async fn documents_missing(tx: &mut Tx, id: i64, required: &[String]) -> AppResult<bool> {
    let kinds = vamyar_store::document::document_kinds(tx, id).await?;
    Ok(required.iter().any(|r| !kinds.iter().any(|(k, _)| k == r)))
}

/// True when every required document kind has an accepted document.
pub async fn all_accepted(tx: &mut Tx, id: i64, required: &[String]) -> AppResult<bool> {
    let kinds = vamyar_store::document::document_kinds(tx, id).await?;
    Ok(required
        .iter()
        .all(|r| kinds.iter().any(|(k, s)| k == r && s == "accepted")))
}

/// Queues the announcement of an event to the applicant (SMS and portal inbox).
pub async fn announce(
    tx: &mut Tx,
    file: &FileContext,
    event: &Event,
    version: i64,
    detail: &serde_json::Value,
) -> AppResult<()> {
    let payload = serde_json::json!({
        "event": event,
        "tracking_code": file.app.tracking_code,
        "first_name": file.person.first_name,
        "detail": detail,
    });
    vamyar_store::outbox::enqueue(
        tx,
        &vamyar_store::outbox::NewMessage {
            event: event.kind(),
            application_id: Some(file.app.id),
            person_id: Some(file.person.id),
            recipient: &file.person.mobile,
            payload,
            dedupe_key: Some(format!(
                "application:{}:v{}:{}",
                file.app.id,
                version,
                event.kind()
            )),
            expires_at: None,
        },
    )
    .await?;
    Ok(())
}

/// The letter validity end for a referral issued today.
pub fn valid_until(days: i64) -> NaiveDate {
    today() + Duration::days(days)
}

/// After a document is uploaded, accepted or rejected while the file is in
/// `documents_pending`: hands the stage to the applicant while a required kind is missing and
/// back to the agency when all are in (pausing or resuming the service-level clock), and
/// moves the file on to counselling once every required kind is accepted. Returns true when
/// the file moved on.
pub async fn refresh_documents_stage(
    tx: &mut Tx,
    file: &FileContext,
    settings: &Settings,
    calendar: &WorkingCalendar,
) -> AppResult<bool> {
    if file.app.state != State::DocumentsPending.as_str() {
        return Ok(false);
    }
    if all_accepted(tx, file.app.id, &settings.required_documents).await? {
        complete_documents(tx, file, settings, calendar, file.app.version).await?;
        return Ok(true);
    }
    let missing = documents_missing(tx, file.app.id, &settings.required_documents).await?;
    let owner = workflow::stage_owner(State::DocumentsPending, missing);
    let current =
        vamyar_store::stage::current(&mut **tx, file.app.id, &file.app.state_changed_at).await?;
    if current.last().map(|i| i.owner.as_str()) != Some(owner.as_str()) {
        open_stage(
            tx,
            file.app.id,
            State::DocumentsPending,
            missing,
            settings,
            calendar,
        )
        .await?;
    }
    Ok(false)
}
