//! The enrolment page of the second factor (TOTP) for national and province administrators:
//! the QR code (SVG drawn on the server), the secret for typing it in, and a code field that
//! confirms enrolment (the GOV.UK error pattern on a wrong code). Administrators who have not
//! enrolled are sent here by `auth::enrolment` from every other page.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::login::start_page;
use super::problems::{Money, by_table};
use super::{Chrome, PageCtx, PageForm, ok, page, see_other};
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};

/// The form's fields.
const FIELDS: &[(&str, &str, &str)] = &[("code", "totp-code", "pg-totp-code")];

/// The enrolment page.
#[derive(Template)]
#[template(path = "pages/totp.html")]
pub struct TotpPage {
    /// The frame.
    pub c: Chrome,
    /// The QR code (SVG markup, drawn by `vamyar_app::totp::qr_svg`); none once enrolled.
    pub qr_svg: String,
    /// The secret in groups of four, for typing.
    pub secret: String,
    /// The second factor is already in force.
    pub enrolled: bool,
}

fn admin(ctx: &PageCtx) -> AppResult<(CurrentActor, i64, String)> {
    let current = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    let id = current.actor.staff_id().ok_or(AppError::Forbidden)?;
    if !vamyar_app::totp::required_for(current.role()) {
        return Err(AppError::Forbidden);
    }
    let username = current.username.clone().unwrap_or_default();
    Ok((current, id, username))
}

fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

async fn render(state: &AppState, ctx: &PageCtx, error: Option<AppError>) -> AppResult<Response> {
    let (current, id, username) = admin(ctx)?;
    let mut c = Chrome::new(ctx, "pg-totp-title");
    if !current.totp_pending {
        return ok(
            ctx,
            &TotpPage {
                c,
                qr_svg: String::new(),
                secret: String::new(),
                enrolled: true,
            },
        );
    }
    let e = vamyar_app::totp::enrolment(&state.ctx, id, &username).await?;
    let status = match &error {
        Some(err) => {
            c.refuse(err, &by_table(ctx.lang, FIELDS), Money::Rials);
            err.status_code()
        }
        None => axum::http::StatusCode::OK,
    };
    page(
        ctx,
        status,
        &TotpPage {
            c,
            qr_svg: e.qr_svg,
            secret: grouped(&e.secret),
            enrolled: false,
        },
    )
}

/// `GET /staff/totp`: the QR code, the secret and the code field (a new secret only when
/// none is waiting for confirmation).
pub async fn form(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    render(&state, &ctx, None).await
}

/// `POST /staff/totp`: confirms enrolment with a code from the app, then the role's start
/// page with full access; a wrong or used code shows the page again with the problem.
pub async fn confirm(
    State(state): State<AppState>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let (current, id, username) = admin(&ctx)?;
    if !current.totp_pending {
        return Ok(see_other(&ctx, start_page(current.role())));
    }
    match vamyar_app::totp::confirm(&state.ctx, id, &username, &form.raw("code")).await {
        Ok(()) => Ok(see_other(
            &ctx,
            &format!("{}?done=totp-enabled", start_page(current.role())),
        )),
        Err(e) => render(&state, &ctx, Some(e.into())).await,
    }
}
