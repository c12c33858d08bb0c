//! The public check of a printed referral letter (`/verify`, `/verify/{code}`): type the
//! code printed on the letter, or open the address printed beside it, and see the letter's
//! number, bank and branch, amount, dates and whether it is still valid — nothing about the
//! applicant. An unknown code answers 404 with the form and a Persian message; a mistyped
//! one (the check digit) 422 with the message beside the field. Limited per address like
//! tracking (`auth::limits`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use vamyar_app::print::verify::{self, VerifiedLetter};
use vamyar_i18n::Lang;

use super::detail::Pair;
use super::problems::{Money, by_table};
use super::{Chrome, PageCtx, fmt, ok, page};
use crate::AppState;
use crate::error::{AppError, AppResult};

/// A looked-up letter as shown.
#[derive(Clone, Debug)]
pub struct Letter {
    /// `valid`, `expired`, `used`, `withdrawn` or `rejected`.
    pub standing: String,
    /// The badge's class.
    pub badge: &'static str,
    /// What the standing means, in a sentence.
    pub verdict: String,
    /// Number, bank, branch, amount, dates.
    pub pairs: Vec<Pair>,
}

/// The verification page: the form, and the letter after a look-up.
#[derive(Template)]
#[template(path = "pages/verify.html")]
pub struct VerifyPage {
    /// The frame.
    pub c: Chrome,
    /// The code as typed (shown back in the field).
    pub code: String,
    /// The letter, after a successful look-up.
    pub letter: Option<Letter>,
}

/// `?code=` of the form.
#[derive(Debug, Deserialize)]
pub struct VerifyQuery {
    /// The code as typed.
    pub code: Option<String>,
}

/// `GET /verify`: the form, or the answer for the code typed into it.
pub async fn form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<VerifyQuery>,
) -> AppResult<Response> {
    match q.code {
        Some(code) => answer(&state, &ctx, code).await,
        None => ok(
            &ctx,
            &VerifyPage {
                c: Chrome::new(&ctx, "pg-verify-title"),
                code: String::new(),
                letter: None,
            },
        ),
    }
}

/// `GET /verify/{code}`: the address printed on the letter.
pub async fn by_code(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> AppResult<Response> {
    answer(&state, &ctx, code).await
}

fn shown(lang: Lang, v: VerifiedLetter) -> Letter {
    let t = |id: &str| vamyar_i18n::text(lang, id, &[]);
    let standing = v.standing.as_str();
    Letter {
        standing: t(&format!("pg-verify-standing-{standing}")),
        badge: if standing == "valid" {
            "approved"
        } else {
            "expired"
        },
        verdict: t(&format!("pg-verify-verdict-{standing}")),
        pairs: vec![
            Pair {
                label: t("pg-letter"),
                value: fmt::code(&v.letter_number),
            },
            Pair {
                label: t("pg-field-bank-id"),
                value: v.bank,
            },
            Pair {
                label: t("pg-field-branch-id"),
                value: v.branch,
            },
            Pair {
                label: t("pg-amount"),
                value: fmt::tomans(lang, v.amount),
            },
            Pair {
                label: t("pg-verify-issued-on"),
                value: fmt::date(lang, &v.issued_on),
            },
            Pair {
                label: t("pg-valid-until"),
                value: fmt::date(lang, &v.valid_until),
            },
        ],
    }
}

async fn answer(state: &AppState, ctx: &PageCtx, code: String) -> AppResult<Response> {
    let lang = ctx.lang;
    let mut c = Chrome::new(ctx, "pg-verify-title");
    match verify::verify(&state.ctx, &code, lang)
        .await
        .map_err(AppError::from)
    {
        Ok(v) => ok(
            ctx,
            &VerifyPage {
                c,
                code: v.verification_code.clone(),
                letter: Some(shown(lang, v)),
            },
        ),
        Err(e) => {
            match &e {
                AppError::NotFound => {
                    let text = c.t("pg-verify-not-found");
                    c.refuse_text(text);
                }
                other => c.refuse(
                    other,
                    &by_table(lang, &[("code", "code", "pg-field-verification-code")]),
                    Money::Rials,
                ),
            }
            page(
                ctx,
                e.status_code(),
                &VerifyPage {
                    c,
                    code,
                    letter: None,
                },
            )
        }
    }
}
