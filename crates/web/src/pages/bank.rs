//! The bank desk: the referrals to the officer's bank (and branch), each linking to its
//! file page, where the officer requests or accepts guarantees, rejects with a reason or
//! disburses — the actions the workflow allows the bank at that moment.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::{Chrome, PageCtx, fmt, ok};
use crate::AppState;
use crate::error::{AppError, AppResult};

/// A referral as listed.
#[derive(Clone, Debug)]
pub struct ReferralRow {
    /// The file.
    pub application_id: i64,
    /// Its tracking code.
    pub tracking_code: String,
    /// Letter number.
    pub letter: String,
    /// Amount referred.
    pub amount: String,
    /// The file's stage.
    pub state: String,
    /// The referral's status.
    pub status: String,
    /// Raw status, for styling.
    pub status_code: String,
    /// Issued on.
    pub issued: String,
    /// Valid until.
    pub valid_until: String,
}

/// The bank's referral inbox.
#[derive(Template)]
#[template(path = "pages/bank.html")]
pub struct BankPage {
    /// The frame.
    pub c: Chrome,
    /// Referrals, newest first.
    pub rows: Vec<ReferralRow>,
}

/// `GET /bank`: the referrals to the caller's bank (bank officers).
pub async fn referrals(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let current = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    let list = vamyar_app::queue::referrals(&state.ctx, &current.actor).await?;
    let lang = ctx.lang;
    let mut rows: Vec<ReferralRow> = list
        .into_iter()
        .map(|r| ReferralRow {
            application_id: r.application_id,
            tracking_code: fmt::digits(lang, &r.tracking_code),
            letter: fmt::code(&r.letter_number),
            amount: fmt::tomans(lang, r.amount),
            state: fmt::state(lang, &r.state),
            status: fmt::doc_status(lang, &format!("ref-{}", r.status)),
            status_code: r.status.to_string(),
            issued: fmt::date(lang, &r.issued_on),
            valid_until: fmt::date(lang, &r.valid_until),
        })
        .collect();
    rows.reverse();
    ok(
        &ctx,
        &BankPage {
            c: Chrome::new(&ctx, "pg-bank-title"),
            rows,
        },
    )
}
