//! The applicant's own mobile change on the portal, in two steps: the new mobile (a code
//! goes to the **old**, stored mobile), then that code (the mobile changes, audited, and the
//! old mobile is told by SMS). Both steps call the same use cases and limits as
//! `POST /api/v1/me/mobile[/confirm]` (`vamyar_app::persons`); a refusal shows the step
//! again the GOV.UK way, with what was typed kept.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use vamyar_app::persons;

use super::problems::{Money, by_table};
use super::{Chrome, FormData, PageCtx, PageForm, ok, page, see_other};
use crate::AppState;
use crate::auth::ratelimit::ClientIp;
use crate::error::{AppError, AppResult};
use crate::routes::persons::{limit_confirm, limit_request, own_person};

/// The fields of both steps: (service field, element id, label).
const FIELDS: &[(&str, &str, &str)] = &[
    ("mobile", "mobile-new", "pg-mobile-new"),
    ("code", "mobile-code", "pg-mobile-code"),
];

/// The two steps of the page.
#[derive(Template)]
#[template(path = "pages/mobile.html")]
pub struct MobilePage {
    /// The frame.
    pub c: Chrome,
    /// Step 2: the code was sent.
    pub code_step: bool,
    /// What was typed.
    pub v: FormData,
}

fn person(ctx: &PageCtx) -> AppResult<i64> {
    let current = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    own_person(&current)
}

fn render(
    ctx: &PageCtx,
    code_step: bool,
    v: FormData,
    error: Option<AppError>,
) -> AppResult<Response> {
    let mut c = Chrome::new(ctx, "pg-mobile-title");
    match error {
        Some(e) => {
            c.refuse(&e, &by_table(ctx.lang, FIELDS), Money::Rials);
            page(ctx, e.status_code(), &MobilePage { c, code_step, v })
        }
        None => {
            if code_step {
                c.notice = Some(c.t("pg-mobile-code-sent"));
            }
            ok(ctx, &MobilePage { c, code_step, v })
        }
    }
}

/// `GET /portal/mobile`: step 1, the new mobile.
pub async fn form(ctx: PageCtx) -> AppResult<Response> {
    person(&ctx)?;
    render(&ctx, false, FormData(Vec::new()), None)
}

/// `POST /portal/mobile`: sends a code to the old mobile, then step 2; a bad or unchanged
/// mobile (or a limit) shows step 1 again.
pub async fn request(
    State(state): State<AppState>,
    ip: ClientIp,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let person = person(&ctx)?;
    let mobile = vamyar_calendar::digits::to_latin_digits(form.raw("mobile").trim());
    let result = match limit_request(&state, &ip, person, &mobile).await {
        Ok(()) => persons::request_mobile_change(&state.ctx, person, &mobile)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => render(&ctx, true, FormData(Vec::new()), None),
        Err(e @ (AppError::Validation(_) | AppError::RateLimited { .. })) => {
            render(&ctx, false, form, Some(e))
        }
        Err(e) => Err(e),
    }
}

/// `POST /portal/mobile/confirm`: changes the mobile with the code, then the portal with a
/// notice; a wrong, used or expired code changes nothing and shows step 2 again.
pub async fn confirm(
    State(state): State<AppState>,
    ip: ClientIp,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let person = person(&ctx)?;
    let code = vamyar_calendar::digits::to_latin_digits(form.raw("code").trim());
    let result = match limit_confirm(&state, &ip).await {
        Ok(()) => persons::confirm_mobile_change(&state.ctx, person, &code)
            .await
            .map(|_| ())
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&ctx, "/portal?done=mobile-changed")),
        Err(e @ (AppError::Validation(_) | AppError::RateLimited { .. })) => {
            render(&ctx, true, form, Some(e))
        }
        Err(e) => Err(e),
    }
}
