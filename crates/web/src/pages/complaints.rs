//! Complaint pages: the applicant's (`/portal/complaints`: their complaints with status and
//! answer, and the form to file one about a file of theirs) and the desk's
//! (`/desk/complaints`: the complaints of the caller's area, open first, with the desk clerk's
//! form to file one for a visitor; `/desk/complaints/{id}`: one complaint with the office
//! head's answer form). Every form calls `vamyar_app::complaints`; a refusal shows the page
//! again with the problems and what was typed.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use vamyar_app::complaints::{self, AnswerBody, ComplaintBody, ComplaintView};
use vamyar_domain::workflow::Role;
use vamyar_i18n::Lang;

use super::problems::{Money, by_table};
use super::{Chrome, FormData, PageCtx, PageForm, fmt, page, see_other};
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};

/// The filing form's fields: (service field, element id, label).
const FILE_FIELDS: &[(&str, &str, &str)] = &[
    ("tracking_code", "complaint-file", "pg-complaint-field-file"),
    ("kind", "complaint-kind", "pg-complaint-field-kind"),
    ("body", "complaint-body", "pg-complaint-field-body"),
];

/// The answer form's fields.
const ANSWER_FIELDS: &[(&str, &str, &str)] = &[
    ("outcome", "answer-outcome", "pg-complaint-field-outcome"),
    ("answer", "answer-text", "pg-complaint-field-answer"),
];

/// The complaint pages' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/portal/complaints", get(portal_list).post(portal_file))
        .route("/desk/complaints", get(desk_list).post(desk_file))
        .route("/desk/complaints/{id}", get(desk_one))
        .route("/desk/complaints/{id}/answer", post(desk_answer))
}

/// Adds the desk's complaint list to a staff member's navigation (not for bank officers).
pub fn extend_nav(role: Role, nav: &mut Vec<(&'static str, &'static str)>) {
    if role != Role::BankOfficer {
        nav.push(("/desk/complaints", "pg-nav-complaints"));
    }
}

/// One complaint as shown.
pub struct Row {
    /// Its ticket number (the language's digits).
    pub ticket: String,
    /// Its desk page (staff lists).
    pub link: Option<String>,
    /// The file's tracking code.
    pub code: String,
    /// Complaint or appeal.
    pub kind: String,
    /// Waiting or answered.
    pub status: String,
    /// Still waiting for its answer.
    pub open: bool,
    /// Open past its due day.
    pub overdue: bool,
    /// Reported to the province.
    pub escalated: bool,
    /// Filed on (Jalali).
    pub filed: String,
    /// Answer due (Jalali).
    pub due: String,
    /// How it was filed.
    pub channel: String,
    /// What the applicant said.
    pub body: String,
    /// Upheld or dismissed.
    pub outcome: Option<String>,
    /// The answer.
    pub answer: Option<String>,
}

fn row(lang: Lang, c: &ComplaintView, staff: bool) -> Row {
    let t = |id: String| vamyar_i18n::text(lang, &id, &[]);
    Row {
        ticket: fmt::digits(lang, &c.id.to_string()),
        link: staff.then(|| format!("/desk/complaints/{}", c.id)),
        code: fmt::digits(lang, &c.tracking_code),
        kind: t(format!("pg-complaint-kind-{}", c.kind)),
        status: t(format!("pg-complaint-status-{}", c.status)),
        open: c.status == "open",
        overdue: c.overdue,
        escalated: c.escalated,
        filed: fmt::date(lang, &c.filed_on),
        due: fmt::date(lang, &c.due_on),
        channel: t(format!("pg-complaint-channel-{}", c.channel)),
        body: c.body.clone(),
        outcome: c
            .outcome
            .as_ref()
            .map(|o| t(format!("pg-complaint-outcome-{o}"))),
        answer: c.answer.clone(),
    }
}

/// The list of complaints with the filing form.
#[derive(Template)]
#[template(path = "pages/complaints.html")]
pub struct ComplaintsPage {
    /// The frame.
    pub c: Chrome,
    /// The lead paragraph's text id.
    pub lead: &'static str,
    /// The complaints, open first.
    pub rows: Vec<Row>,
    /// Where the form posts (none: the caller files nothing).
    pub action: Option<String>,
    /// The applicant's files (tracking code as stored, as shown); empty at the desk, where the
    /// code is typed.
    pub files: Vec<(String, String)>,
    /// What was typed (after a refusal).
    pub v: FormData,
}

/// One complaint with the answer form.
#[derive(Template)]
#[template(path = "pages/complaint.html")]
pub struct ComplaintPage {
    /// The frame.
    pub c: Chrome,
    /// The complaint.
    pub r: Row,
    /// The file's desk page.
    pub file_link: String,
    /// An appeal (the answer form says what upholding does).
    pub appeal: bool,
    /// Where the answer form posts (the office head, while it is open).
    pub action: Option<String>,
    /// What was typed (after a refusal).
    pub v: FormData,
}

fn actor(ctx: &PageCtx) -> AppResult<CurrentActor> {
    ctx.actor().cloned().ok_or(AppError::Unauthenticated)
}

/// A staff member (the desk's pages), or the refusal.
fn staff(ctx: &PageCtx) -> AppResult<CurrentActor> {
    let me = actor(ctx)?;
    if !me.role().is_staff() {
        return Err(AppError::Forbidden);
    }
    Ok(me)
}

fn body_of(form: &FormData) -> ComplaintBody {
    ComplaintBody {
        tracking_code: form.get("tracking_code"),
        kind: form.get("kind"),
        body: form.get("body"),
    }
}

async fn list_page(
    state: &AppState,
    ctx: &PageCtx,
    me: &CurrentActor,
    v: FormData,
) -> AppResult<ComplaintsPage> {
    let lang = ctx.lang;
    let applicant = me.role() == Role::Applicant;
    let views = complaints::list(&state.ctx, &me.actor).await?;
    let mut files = Vec::new();
    if let (true, Some(person)) = (applicant, me.actor.person_id()) {
        for a in vamyar_store::application::for_person(state.db.pool(), person).await? {
            let shown = format!(
                "{} — {}",
                fmt::digits(lang, &a.tracking_code),
                a.business_title
            );
            files.push((a.tracking_code, shown));
        }
    }
    let action = match me.role() {
        Role::Applicant => Some("/portal/complaints".to_string()),
        Role::DeskClerk => Some("/desk/complaints".to_string()),
        _ => None,
    };
    Ok(ComplaintsPage {
        c: Chrome::new(ctx, "pg-complaints-title"),
        lead: if applicant {
            "pg-complaints-lead"
        } else {
            "pg-complaints-desk-lead"
        },
        rows: views.iter().map(|c| row(lang, c, !applicant)).collect(),
        action,
        files,
        v,
    })
}

async fn show_list(state: &AppState, ctx: &PageCtx, me: &CurrentActor) -> AppResult<Response> {
    let p = list_page(state, ctx, me, FormData::default()).await?;
    page(ctx, axum::http::StatusCode::OK, &p)
}

/// Files the complaint typed in `form`; back to `to` with a notice, or the page again with
/// the problems.
async fn file_from(
    state: &AppState,
    ctx: &PageCtx,
    me: &CurrentActor,
    form: FormData,
    to: &str,
) -> AppResult<Response> {
    match complaints::file(&state.ctx, &me.actor, body_of(&form)).await {
        Ok(_) => Ok(see_other(ctx, &format!("{to}?done=complaint-filed"))),
        Err(e) => {
            let e = AppError::from(e);
            if !matches!(e, AppError::Validation(_)) {
                return Err(e);
            }
            let mut p = list_page(state, ctx, me, form).await?;
            p.c.refuse(&e, &by_table(ctx.lang, FILE_FIELDS), Money::Rials);
            page(ctx, e.status_code(), &p)
        }
    }
}

/// `GET /portal/complaints`: the applicant's complaints and the form.
pub async fn portal_list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let me = super::portal::applicant(&ctx)?;
    show_list(&state, &ctx, &me).await
}

/// `POST /portal/complaints`: files the applicant's complaint.
pub async fn portal_file(
    State(state): State<AppState>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let me = super::portal::applicant(&ctx)?;
    file_from(&state, &ctx, &me, form, "/portal/complaints").await
}

/// `GET /desk/complaints`: the complaints of the caller's area (the desk clerk's form too).
pub async fn desk_list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let me = staff(&ctx)?;
    show_list(&state, &ctx, &me).await
}

/// `POST /desk/complaints`: a desk clerk files a complaint for a visitor.
pub async fn desk_file(
    State(state): State<AppState>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let me = actor(&ctx)?;
    if me.role() != Role::DeskClerk {
        return Err(AppError::Forbidden);
    }
    file_from(&state, &ctx, &me, form, "/desk/complaints").await
}

async fn one_page(
    state: &AppState,
    ctx: &PageCtx,
    me: &CurrentActor,
    id: i64,
    v: FormData,
) -> AppResult<ComplaintPage> {
    let c = complaints::get(&state.ctx, &me.actor, id).await?;
    let answerable = me.role() == Role::OfficeHead && c.status == "open";
    Ok(ComplaintPage {
        c: Chrome::new(ctx, "pg-complaint-title"),
        file_link: format!("/desk/files/{}", c.application_id),
        appeal: c.kind == "appeal",
        action: answerable.then(|| format!("/desk/complaints/{id}/answer")),
        r: row(ctx.lang, &c, true),
        v,
    })
}

/// `GET /desk/complaints/{id}`: one complaint (with the answer form for the office head).
pub async fn desk_one(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let me = staff(&ctx)?;
    let p = one_page(&state, &ctx, &me, id, FormData::default()).await?;
    page(&ctx, axum::http::StatusCode::OK, &p)
}

/// `POST /desk/complaints/{id}/answer`: the office head's answer.
pub async fn desk_answer(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let me = staff(&ctx)?;
    let body = AnswerBody {
        outcome: form.get("outcome"),
        answer: form.get("answer"),
    };
    match complaints::answer(&state.ctx, &me.actor, id, body).await {
        Ok(_) => Ok(see_other(
            &ctx,
            &format!("/desk/complaints/{id}?done=complaint-answered"),
        )),
        Err(e) => {
            let e = AppError::from(e);
            if !matches!(e, AppError::Validation(_)) {
                return Err(e);
            }
            let mut p = one_page(&state, &ctx, &me, id, form).await?;
            p.c.refuse(&e, &by_table(ctx.lang, ANSWER_FIELDS), Money::Rials);
            page(&ctx, e.status_code(), &p)
        }
    }
}
