//! The applicant's portal (mobile-first): their files, a file as a timeline of stages with
//! what to do next, the document checklist with upload and replace, the inbox, and
//! withdrawing (after a confirmation page).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::json;
use vamyar_domain::workflow::Role;

use super::detail::{self, Detail, MsgRow, Stage};
use super::problems::{Money, by_table};
use super::{
    Chrome, FormData, PageCtx, PageForm, PageMultipart, confirm, fmt, ok, page, see_other,
};
use crate::AppState;
use crate::auth::{Caller, CurrentActor};
use crate::error::{AppError, AppResult};

/// The logged-in applicant, or 401 (→ login) / 403.
/// The logged-in applicant, or the refusal for anyone else.
pub(super) fn applicant(ctx: &PageCtx) -> AppResult<CurrentActor> {
    match &ctx.caller {
        Some(Caller::Actor(a)) if a.role() == Role::Applicant => Ok((**a).clone()),
        Some(Caller::Registrant { .. }) => Err(AppError::NotFound),
        Some(_) => Err(AppError::Forbidden),
        None => Err(AppError::Unauthenticated),
    }
}

/// A file in the list of the applicant's files.
#[derive(Clone, Debug)]
pub struct FileRow {
    /// Id.
    pub id: i64,
    /// Tracking code.
    pub tracking_code: String,
    /// The business's title.
    pub title: String,
    /// The stage's name.
    pub state: String,
    /// When submitted.
    pub submitted: String,
}

/// The applicant's files.
#[derive(Template)]
#[template(path = "pages/portal.html")]
pub struct PortalPage {
    /// The frame.
    pub c: Chrome,
    /// Their files, newest first.
    pub files: Vec<FileRow>,
}

/// `GET /portal`: the applicant's files (straight to the file when there is one).
pub async fn home(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let me = match &ctx.caller {
        Some(Caller::Registrant { .. }) => return Ok(see_other(&ctx, "/portal/apply")),
        _ => applicant(&ctx)?,
    };
    let person = me.actor.person_id().ok_or(AppError::Forbidden)?;
    let mut apps = vamyar_store::application::for_person(state.db.pool(), person).await?;
    apps.sort_by_key(|a| std::cmp::Reverse(a.id));
    if apps.len() == 1 && ctx.done.is_none() {
        return Ok(see_other(&ctx, &format!("/portal/files/{}", apps[0].id)));
    }
    let lang = ctx.lang;
    let files = apps
        .into_iter()
        .map(|a| FileRow {
            id: a.id,
            tracking_code: fmt::digits(lang, &a.tracking_code),
            title: a.business_title,
            state: fmt::state(lang, a.state.as_str()),
            submitted: fmt::date(lang, &a.submitted_at),
        })
        .collect();
    ok(
        &ctx,
        &PortalPage {
            c: Chrome::new(&ctx, "pg-portal-title"),
            files,
        },
    )
}

/// An applicant's file page.
#[derive(Template)]
#[template(path = "pages/portal_file.html")]
pub struct PortalFilePage {
    /// The frame.
    pub c: Chrome,
    /// Id.
    pub id: i64,
    /// The version to send with actions.
    pub version: i64,
    /// Tracking code (Persian digits in Persian).
    pub tracking_code: String,
    /// The business's title.
    pub title: String,
    /// The stage's name.
    pub state: String,
    /// What the applicant must do next.
    pub next: String,
    /// The stages.
    pub timeline: Vec<Stage>,
    /// Required documents and their status.
    pub needed: Vec<super::detail::Needed>,
    /// Every document.
    pub documents: Vec<super::detail::DocRow>,
    /// Uploads are open.
    pub can_upload: bool,
    /// Withdrawing is possible now.
    pub can_withdraw: bool,
    /// Requested amount.
    pub requested: String,
    /// The loan and its installments, once disbursed.
    pub loan: Option<super::loan::LoanBlock>,
    /// The file was referred to a bank: its latest referral letter can be downloaded.
    pub has_letter: bool,
    /// Messages about the file.
    pub messages: Vec<MsgRow>,
    /// The correction form, while the file waits for the applicant's correction.
    pub correction: Option<super::correction_block::CorrectionBlock>,
    /// Values typed in a refused correction.
    pub v: FormData,
}

/// The applicant's file page for the file `d`.
pub(super) fn file_page(
    ctx: &PageCtx,
    d: &Detail,
    loan: Option<super::loan::LoanBlock>,
) -> PortalFilePage {
    let lang = ctx.lang;
    let state = d.state().to_string();
    let next = vamyar_i18n::try_text(lang, &format!("pg-next-{state}"), &[]).unwrap_or_default();
    PortalFilePage {
        c: Chrome::new(ctx, "pg-portal-file-title"),
        id: d.view.id,
        version: d.view.version,
        tracking_code: fmt::digits(lang, &d.view.tracking_code),
        title: d.file.app.business_title.clone(),
        state: fmt::state(lang, &state),
        next,
        timeline: d.timeline(lang),
        needed: d.needed.clone(),
        documents: d.documents.clone(),
        can_upload: d.can_upload,
        can_withdraw: d.view.available_actions.iter().any(|a| a == "withdraw"),
        requested: fmt::tomans(lang, d.view.requested_amount),
        loan,
        has_letter: d.file.app.bank_id.is_some(),
        messages: d.messages.clone(),
        correction: super::correction_block::block(lang, d),
        v: FormData::default(),
    }
}

/// `GET /portal/files/{id}`: the timeline, next step, documents and messages.
pub async fn file(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let me = applicant(&ctx)?;
    let d = detail::load(&state, &me, id, ctx.lang).await?;
    let loan = super::loan::block(&state, &me, id, ctx.lang).await?;
    ok(&ctx, &file_page(&ctx, &d, loan))
}

async fn refused(
    state: &AppState,
    ctx: &PageCtx,
    me: &CurrentActor,
    id: i64,
    e: AppError,
) -> AppResult<Response> {
    if matches!(
        e,
        AppError::NotFound | AppError::Forbidden | AppError::Unauthenticated
    ) {
        return Err(e);
    }
    let d = detail::load(state, me, id, ctx.lang).await?;
    let loan = super::loan::block(state, me, id, ctx.lang).await?;
    let mut p = file_page(ctx, &d, loan);
    p.c.refuse(
        &e,
        &by_table(ctx.lang, &[("file", "documents", "pg-field-file")]),
        Money::Tomans,
    );
    page(ctx, e.status_code(), &p)
}

/// `POST /portal/files/{id}/documents`: uploads (or replaces) a document through the
/// upload service, then back to the file.
pub async fn upload(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageMultipart(ctx, multipart): PageMultipart,
) -> AppResult<Response> {
    let me = applicant(&ctx)?;
    match crate::routes::documents::upload(
        State(state.clone()),
        me.clone(),
        Path(id),
        Ok(multipart),
    )
    .await
    {
        Ok(_) => Ok(see_other(
            &ctx,
            &format!("/portal/files/{id}?done=uploaded"),
        )),
        Err(e) => refused(&state, &ctx, &me, id, e).await,
    }
}

fn withdraw_spec<'a>(id: i64, version: i64, tracking_code: &'a str) -> confirm::Spec<'a> {
    confirm::Spec {
        action: "withdraw",
        tracking_code,
        action_url: format!("/portal/files/{id}/withdraw"),
        version,
        back: format!("/portal/files/{id}"),
        with_note: false,
    }
}

/// `GET /portal/files/{id}/withdraw`: says what withdrawing means and asks for the reason.
pub async fn withdraw_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let me = applicant(&ctx)?;
    let file = crate::files::visible_file(&state.ctx, &me.actor, id).await?;
    let p = confirm::build(
        &ctx,
        withdraw_spec(id, file.app.version, &file.app.tracking_code),
        FormData::default(),
    );
    ok(&ctx, &p)
}

/// `POST /portal/files/{id}/withdraw`: the workflow's `withdraw` action, only when confirmed
/// with a reason (otherwise the confirmation again, nothing done).
pub async fn withdraw(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let me = applicant(&ctx)?;
    let file = crate::files::visible_file(&state.ctx, &me.actor, id).await?;
    if form.get("confirm").is_none() {
        return Ok(see_other(&ctx, &format!("/portal/files/{id}/withdraw")));
    }
    let version = form
        .get("version")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    let result = match confirm::missing_reason(&form) {
        Some(e) => Err(e),
        None => {
            let body = json!({"version": version, "reason": form.get("reason")});
            crate::files::actions::perform(&state.ctx, &me.actor, id, "withdraw", body)
                .await
                .map_err(AppError::from)
        }
    };
    match result {
        Ok(_) => Ok(see_other(
            &ctx,
            &format!("/portal/files/{id}?done=withdrawn"),
        )),
        Err(e @ (AppError::Validation(_) | AppError::StaleVersion)) => {
            let mut p = confirm::build(
                &ctx,
                withdraw_spec(id, file.app.version, &file.app.tracking_code),
                form,
            );
            confirm::refuse(&mut p, &e);
            page(&ctx, e.status_code(), &p)
        }
        Err(e) => refused(&state, &ctx, &me, id, e).await,
    }
}

/// The inbox: every message about the applicant's files.
#[derive(Template)]
#[template(path = "pages/inbox.html")]
pub struct InboxPage {
    /// The frame.
    pub c: Chrome,
    /// Messages, newest first.
    pub messages: Vec<MsgRow>,
}

/// `GET /portal/inbox`: the outbox rows of the applicant's files (never one-time codes).
pub async fn inbox(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let me = applicant(&ctx)?;
    let person = me.actor.person_id().ok_or(AppError::Forbidden)?;
    let mut messages = Vec::new();
    for app in vamyar_store::application::for_person(state.db.pool(), person).await? {
        let d = detail::load(&state, &me, app.id, ctx.lang).await?;
        messages.extend(d.messages);
    }
    messages.reverse();
    ok(
        &ctx,
        &InboxPage {
            c: Chrome::new(&ctx, "pg-inbox-title"),
            messages,
        },
    )
}
