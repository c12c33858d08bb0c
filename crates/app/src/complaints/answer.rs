//! Answering a complaint or appeal: the county's office head, once. One transaction records
//! the answer, the file's history, the audit row and the message to the applicant (SMS and
//! inbox); an upheld appeal against a file still rejected also moves the file back to the
//! social-work review through the workflow (`reopen`: state, history, stage clock, its own
//! announcement).

use serde::Deserialize;
use utoipa::ToSchema;
use vamyar_domain::announcement::Notice;
use vamyar_domain::policy::Actor;
use vamyar_domain::workflow::{self, Action, ActionInput, Role, State};
use vamyar_store::complaint;

use super::{ComplaintView, OUTCOMES};
use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};
use crate::files::doer::Doer;
use crate::files::{Rules, actions};

/// The longest answer, in characters.
pub const MAX_ANSWER: usize = 2000;

/// The body of `POST /api/v1/complaints/{id}/answer`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// `upheld` (the applicant is right; an appeal reopens the rejected file) or `dismissed`.
    pub outcome: Option<String>,
    /// The answer told to the applicant (at most 2000 characters).
    pub answer: Option<String>,
}

/// Answers complaint `id` as the county's office head: 404 when its file is not visible,
/// 403 for any other role, 422 naming the field for a missing outcome or answer, 409
/// `complaint_answered` when it was answered already.
pub async fn answer(ctx: &Ctx, actor: &Actor, id: i64, body: AnswerBody) -> Result<ComplaintView> {
    let c = super::visible(ctx, actor, id).await?;
    if actor.role() != Role::OfficeHead {
        return Err(Error::Forbidden);
    }
    let staff = actor.staff_id().ok_or(Error::Forbidden)?;
    let mut errors = FieldErrors::new();
    let outcome = match crate::fields::given(&body.outcome) {
        None => {
            errors.add("outcome", "required");
            None
        }
        Some(o) => OUTCOMES.iter().find(|x| **x == o).copied().or_else(|| {
            errors.add("outcome", "invalid_choice");
            None
        }),
    };
    let text = crate::fields::text(&mut errors, "answer", &body.answer, MAX_ANSWER, true);
    errors.finish()?;
    let (Some(outcome), Some(text)) = (outcome, text) else {
        return Err(Error::Internal("answer fields".into()));
    };
    if c.status != "open" {
        return Err(Error::Conflict("complaint_answered"));
    }
    let file = crate::files::FileContext::load(ctx, c.application_id)
        .await?
        .ok_or(Error::NotFound)?;
    let rules = Rules::load(ctx, file.app.program_id).await?;
    let doer = Doer::of(actor);
    let mut tx = ctx.db.begin().await?;
    let answered = complaint::answer(
        &mut tx,
        &complaint::Answer {
            id,
            outcome,
            answer: &text,
            staff_user_id: staff,
            at: &rules.at,
        },
    )
    .await?;
    if !answered {
        return Err(Error::Conflict("complaint_answered"));
    }
    let detail = serde_json::json!({"complaint_id": id, "kind": c.kind, "outcome": outcome});
    let state = file.app.state.as_str();
    vamyar_store::application::add_event(
        &mut tx,
        &vamyar_store::application::NewEvent {
            application_id: file.app.id,
            action: "complaint_answered",
            from_state: Some(state),
            to_state: state,
            actor_kind: doer.kind,
            staff_user_id: doer.staff_id,
            person_id: None,
            note: Some(&text),
            reason: None,
            detail: detail.clone(),
            at: &rules.at,
        },
    )
    .await?;
    let entry = doer
        .audit("complaint.answer".into())
        .on(file.app.id)
        .detail(detail);
    vamyar_store::audit::append(&mut tx, &entry).await?;
    crate::files::announce::queue_message(
        &mut tx,
        &file,
        Notice::ComplaintAnswered {
            ticket: id,
            outcome: outcome.to_string(),
            answer: text.clone(),
        },
        format!("complaint:{id}:answered"),
    )
    .await?;
    if c.kind == "appeal" && outcome == "upheld" && file.app.state == State::Rejected {
        let input = ActionInput::new().with_note(format!("#{id}"));
        let t = workflow::decide(State::Rejected, Action::Reopen, actor.role(), &input)
            .map_err(|e| Error::Internal(e.code().into()))?;
        actions::apply(
            &mut tx,
            &file,
            &rules,
            &t,
            &doer,
            &input,
            serde_json::json!({"complaint_id": id}),
        )
        .await?;
    }
    tx.commit().await?;
    super::get(ctx, actor, id).await
}
