//! Filing a complaint or appeal: by the applicant on the portal, by a desk clerk for them,
//! or by SMS keyword. One transaction writes the ticket, the file's history, the audit row
//! and the applicant's receipt (SMS and inbox) with the ticket number and the answer's due
//! day.

use serde::Deserialize;
use utoipa::ToSchema;
use vamyar_domain::announcement::Notice;
use vamyar_domain::policy::{self, Access, Actor};
use vamyar_domain::primitives::TrackingCode;
use vamyar_domain::workflow::{Role, State};
use vamyar_store::complaint::{self, NewComplaint};

use super::{ComplaintView, KINDS};
use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};
use crate::files::FileContext;
use crate::files::doer::Doer;

/// The longest complaint text, in characters.
pub const MAX_BODY: usize = 2000;

/// The body of `POST /api/v1/complaints` (and the portal's and desk's forms).
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplaintBody {
    /// The file's 12-digit tracking code (any digits, dashes allowed).
    pub tracking_code: Option<String>,
    /// `complaint`, or `appeal` against the file's rejection.
    pub kind: Option<String>,
    /// What happened and what is asked (at most 2000 characters).
    pub body: Option<String>,
}

/// Files a complaint for the caller: an applicant about their own file (portal), a desk clerk
/// for the applicant of a file in their county (desk). Other roles: 403. Every problem is a
/// field error: an unknown or invisible tracking code, a kind other than the two, an appeal
/// about a file that was not rejected (or already under appeal), a blank or long text.
pub async fn file(ctx: &Ctx, actor: &Actor, body: ComplaintBody) -> Result<ComplaintView> {
    let channel = match actor.role() {
        Role::Applicant => "portal",
        Role::DeskClerk => "desk",
        _ => return Err(Error::Forbidden),
    };
    let mut errors = FieldErrors::new();
    let text = crate::fields::text(&mut errors, "body", &body.body, MAX_BODY, true);
    let kind = match crate::fields::given(&body.kind) {
        None => {
            errors.add("kind", "required");
            None
        }
        Some(k) => KINDS.iter().find(|x| **x == k).copied().or_else(|| {
            errors.add("kind", "invalid_choice");
            None
        }),
    };
    let file = match crate::fields::required(&mut errors, "tracking_code", &body.tracking_code) {
        Some(code) => match errors.check("tracking_code", TrackingCode::parse(code)) {
            Some(code) => visible_by_code(ctx, actor, &code).await?.or_else(|| {
                errors.add("tracking_code", "complaint_file_unknown");
                None
            }),
            None => None,
        },
        None => None,
    };
    if let (Some(file), Some("appeal")) = (&file, kind) {
        if file.app.state != State::Rejected {
            errors.add("kind", "appeal_needs_rejection");
        } else if open_appeal(ctx, file.app.id).await? {
            errors.add("kind", "appeal_already_open");
        }
    }
    errors.finish()?;
    let (Some(file), Some(kind), Some(text)) = (file, kind, text) else {
        return Err(Error::Internal("complaint fields".into()));
    };
    let id = record(ctx, &file, kind, channel, &text, &Doer::of(actor)).await?;
    super::get(ctx, actor, id).await
}

/// Files a complaint sent by SMS with its keyword (`complaint` or `appeal`) from the file's
/// registered mobile (the caller checked it). An appeal about a file that was not rejected,
/// or already under appeal, is filed as a complaint. Returns the ticket number; the receipt
/// with it is queued to the registered mobile.
pub async fn file_by_sms(ctx: &Ctx, application_id: i64, kind: &str, message: &str) -> Result<i64> {
    let file = FileContext::load(ctx, application_id)
        .await?
        .ok_or(Error::NotFound)?;
    let appeal = kind == "appeal"
        && file.app.state == State::Rejected
        && !open_appeal(ctx, file.app.id).await?;
    let kind = if appeal { "appeal" } else { "complaint" };
    let text: String = vamyar_domain::text::normalize_persian(message)
        .chars()
        .take(MAX_BODY)
        .collect();
    let doer = Doer {
        kind: "applicant",
        staff_id: None,
        person_id: Some(file.person.id),
    };
    record(ctx, &file, kind, "sms", &text, &doer).await
}

/// The file with this tracking code when the caller may see it.
async fn visible_by_code(
    ctx: &Ctx,
    actor: &Actor,
    code: &TrackingCode,
) -> Result<Option<FileContext>> {
    let Some(app) =
        vamyar_store::application::by_tracking_code(ctx.db.pool(), code.as_str()).await?
    else {
        return Ok(None);
    };
    let file = FileContext::complete(ctx, app).await?;
    Ok(match policy::can_view_file(actor, &file.scope()) {
        Access::Allowed => Some(file),
        _ => None,
    })
}

async fn open_appeal(ctx: &Ctx, application_id: i64) -> Result<bool> {
    Ok(complaint::open_appeal(ctx.db.pool(), application_id).await?)
}

/// One transaction: the ticket, the file's history, the audit row and the receipt.
async fn record(
    ctx: &Ctx,
    file: &FileContext,
    kind: &str,
    channel: &str,
    text: &str,
    doer: &Doer,
) -> Result<i64> {
    let calendar = ctx.calendar().await?;
    let today = ctx.today();
    let due = calendar.add_working_days(today, ctx.settings.complaint_working_days.max(1));
    let at = vamyar_store::time::ts(ctx.clock.now());
    let (filed_on, due_on) = (
        vamyar_store::time::date(today),
        vamyar_store::time::date(due),
    );
    let mut tx = ctx.db.begin().await?;
    let id = complaint::insert(
        &mut tx,
        &NewComplaint {
            application_id: file.app.id,
            person_id: file.person.id,
            province_code: &file.app.province_code,
            county_code: &file.app.county_code,
            kind,
            channel,
            body: text,
            filed_by_staff_id: doer.staff_id,
            filed_on: &filed_on,
            due_on: &due_on,
            at: &at,
        },
    )
    .await?;
    let detail = serde_json::json!({"complaint_id": id, "kind": kind, "channel": channel,
        "due_on": due_on});
    let state = file.app.state.as_str();
    vamyar_store::application::add_event(
        &mut tx,
        &vamyar_store::application::NewEvent {
            application_id: file.app.id,
            action: "complaint_filed",
            from_state: Some(state),
            to_state: state,
            actor_kind: doer.kind,
            staff_user_id: doer.staff_id,
            person_id: doer.person_id,
            note: None,
            reason: None,
            detail: detail.clone(),
            at: &at,
        },
    )
    .await?;
    let entry = doer
        .audit("complaint.file".into())
        .on(file.app.id)
        .detail(detail);
    vamyar_store::audit::append(&mut tx, &entry).await?;
    crate::files::announce::queue_message(
        &mut tx,
        file,
        Notice::ComplaintFiled {
            ticket: id,
            complaint_kind: kind.to_string(),
            due_on: due,
        },
        format!("complaint:{id}:filed"),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
