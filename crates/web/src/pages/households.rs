//! The desk's household page (`/desk/households`): find a household by its case number (its
//! members and their open files), record one (case number and size), and link a member's
//! national ID. Every form calls `vamyar_app::households`; a refusal shows the page again
//! with the problems and what was typed.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use vamyar_app::fields::Flex;
use vamyar_app::households::{self, HouseholdBody, HouseholdView, MemberBody};
use vamyar_domain::workflow::Role;

use super::problems::{Money, by_table};
use super::{Chrome, FormData, PageCtx, PageForm, fmt, page, see_other};
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};

/// The record form's fields: (service field, element id, label).
const CREATE_FIELDS: &[(&str, &str, &str)] = &[
    ("case_number", "hh-case", "pg-household-case-number"),
    ("size", "hh-size", "pg-household-size"),
];

/// The link form's fields.
const LINK_FIELDS: &[(&str, &str, &str)] = &[("national_id", "hh-member", "pg-field-national-id")];

/// The household pages' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/desk/households", get(show))
        .route("/desk/households/new", post(create))
        .route("/desk/households/members", post(link))
}

/// Adds the household page to the navigation of those who link households.
pub fn extend_nav(role: Role, nav: &mut Vec<(&'static str, &'static str)>) {
    if matches!(role, Role::DeskClerk | Role::SocialWorker) {
        nav.push(("/desk/households", "pg-nav-households"));
    }
}

/// A household as shown.
pub struct Shown {
    /// The case number.
    pub case_number: String,
    /// Its size (the language's digits).
    pub size: String,
    /// Members: national ID and name (once registered).
    pub members: Vec<(String, String)>,
    /// Open files: desk page, tracking code, stage.
    pub files: Vec<(String, String, String)>,
}

/// The household page.
#[derive(Template)]
#[template(path = "pages/households.html")]
pub struct HouseholdsPage {
    /// The frame.
    pub c: Chrome,
    /// The household looked up, or just changed.
    pub found: Option<Shown>,
    /// The case number looked up that matched nothing.
    pub missing: Option<String>,
    /// The caller may record households and link members.
    pub can_write: bool,
    /// What was typed (after a refusal).
    pub v: FormData,
}

/// `?case_number=` looks a household up.
#[derive(Deserialize)]
pub struct Lookup {
    /// The case number.
    pub case_number: Option<String>,
}

fn actor(ctx: &PageCtx) -> AppResult<CurrentActor> {
    let a = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    if !a.role().is_staff() || a.role() == Role::BankOfficer {
        return Err(AppError::Forbidden);
    }
    Ok(a)
}

fn shown(ctx: &PageCtx, h: HouseholdView) -> Shown {
    let lang = ctx.lang;
    Shown {
        size: fmt::num(lang, h.size),
        members: h
            .members
            .into_iter()
            .map(|m| {
                (
                    fmt::digits(lang, &m.national_id),
                    m.name.unwrap_or_default(),
                )
            })
            .collect(),
        files: h
            .open_files
            .into_iter()
            .map(|f| {
                (
                    format!("/desk/files/{}", f.application_id),
                    fmt::digits(lang, &f.tracking_code),
                    fmt::state(lang, &f.state),
                )
            })
            .collect(),
        case_number: h.case_number,
    }
}

fn build(ctx: &PageCtx, me: &CurrentActor, found: Option<Shown>, v: FormData) -> HouseholdsPage {
    HouseholdsPage {
        c: Chrome::new(ctx, "pg-households-title"),
        found,
        missing: None,
        can_write: matches!(me.role(), Role::DeskClerk | Role::SocialWorker),
        v,
    }
}

/// `GET /desk/households`: the lookup (and the forms).
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Lookup>,
) -> AppResult<Response> {
    let me = actor(&ctx)?;
    let mut p = build(&ctx, &me, None, FormData::default());
    if let Some(case) = q.case_number.filter(|c| !c.trim().is_empty()) {
        match households::get(&state.ctx, &me.actor, &case).await {
            Ok(h) => p.found = Some(shown(&ctx, h)),
            Err(vamyar_app::Error::NotFound) => p.missing = Some(case),
            Err(e) => return Err(e.into()),
        }
    }
    page(&ctx, axum::http::StatusCode::OK, &p)
}

fn back(case: &str) -> String {
    let enc: String = case
        .chars()
        .map(|c| {
            if c == '/' {
                "%2F".to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    format!("/desk/households?case_number={enc}")
}

/// Shows the page again after a refusal (a validation error), or passes other errors on.
fn refused(
    ctx: &PageCtx,
    me: &CurrentActor,
    e: vamyar_app::Error,
    table: &[(&str, &str, &str)],
    form: FormData,
) -> AppResult<Response> {
    let e = AppError::from(e);
    if !matches!(e, AppError::Validation(_)) {
        return Err(e);
    }
    let mut p = build(ctx, me, None, form);
    p.c.refuse(&e, &by_table(ctx.lang, table), Money::Rials);
    page(ctx, e.status_code(), &p)
}

/// `POST /desk/households/new`: records a household, then shows it.
pub async fn create(
    State(state): State<AppState>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let me = actor(&ctx)?;
    let body = HouseholdBody {
        case_number: form.get("case_number"),
        size: form.get("size").map(Flex),
    };
    match households::create(&state.ctx, &me.actor, body).await {
        Ok(h) => Ok(see_other(&ctx, &back(&h.case_number))),
        Err(e) => refused(&ctx, &me, e, CREATE_FIELDS, form),
    }
}

/// `POST /desk/households/members`: links a member, then shows the household.
pub async fn link(
    State(state): State<AppState>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let me = actor(&ctx)?;
    let case = form.get("case_number").unwrap_or_default();
    let body = MemberBody {
        national_id: form.get("national_id"),
    };
    match households::add_member(&state.ctx, &me.actor, &case, body).await {
        Ok(h) => Ok(see_other(&ctx, &back(&h.case_number))),
        Err(e) => refused(&ctx, &me, e, LINK_FIELDS, form),
    }
}
