//! Error pages (400, 403, 404, 413, 429, 500, …) inside the normal layout: the status in the
//! page's digits, what went wrong in plain words, and a way back to the caller's own start
//! page (the portal, the desk, the bank's inbox, the administration, or the public home).

use askama::Template;
use axum::http::HeaderValue;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use vamyar_i18n::Lang;

use super::{Chrome, PageCtx, fmt};
use crate::auth::Caller;
use crate::error::AppError;

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    /// The frame.
    pub c: Chrome,
    /// The status in the page's digits.
    pub status: String,
    /// What went wrong, for people.
    pub message: String,
    /// Where the caller starts.
    pub home: &'static str,
    /// The link's text.
    pub home_label: String,
}

/// The caller's own start page.
pub fn start_of(ctx: &PageCtx) -> &'static str {
    match &ctx.caller {
        None => "/",
        Some(Caller::Registrant { .. }) => "/portal/apply",
        Some(Caller::Actor(a)) => super::login::start_page(a.role()),
    }
}

/// Renders `error` as a page for `ctx`, with the error's status.
pub fn render(ctx: &PageCtx, error: &AppError) -> Response {
    let status = error.status_code();
    let lang = ctx.lang;
    let code = status.as_u16();
    let title = if vamyar_i18n::has(lang, &format!("pg-error-page-{code}")) {
        format!("pg-error-page-{code}")
    } else {
        "error-page-title".to_string()
    };
    let home = start_of(ctx);
    let page = ErrorPage {
        c: Chrome::new(ctx, &title),
        status: fmt::digits(lang, &code.to_string()),
        message: error.message(lang),
        home,
        home_label: vamyar_i18n::text(
            lang,
            if home == "/" {
                "error-page-home"
            } else {
                "pg-error-page-start"
            },
            &[],
        ),
    };
    let html = page.render().unwrap_or_else(|_| {
        match lang {
            Lang::Fa => "خطا",
            Lang::En => "Error",
        }
        .to_string()
    });
    let mut res = (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        html,
    )
        .into_response();
    if let Some(c) = &ctx.set_cookie {
        res.headers_mut().append(header::SET_COOKIE, c.clone());
    }
    res
}
