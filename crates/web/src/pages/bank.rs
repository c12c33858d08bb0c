//! The bank desk: the referrals to the officer's bank (and branch), each linking to its
//! file page, where the officer requests or accepts guarantees, rejects with a reason or
//! disburses — the actions the workflow allows the bank at that moment.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

use super::{Chrome, PageCtx, fmt, ok};
use crate::AppState;
use crate::error::{AppError, AppResult};
use vamyar_app::queue::InboxQuery;

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
    /// The link to the next (older) page, when there is one.
    pub next: Option<String>,
}

/// `GET /bank`: the referrals to the caller's bank (bank officers).
pub async fn referrals(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<InboxQuery>,
) -> AppResult<Response> {
    let current = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    let q = InboxQuery {
        limit: Some(50),
        ..q
    };
    let page = vamyar_app::queue::referrals(&state.ctx, &current.actor, &q).await?;
    let lang = ctx.lang;
    let rows: Vec<ReferralRow> = page
        .items
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
    let next = page.next.map(|before| {
        let mut pairs = vec![("before", before.to_string())];
        if let Some(s) = q.status.filter(|s| !s.is_empty()) {
            pairs.push(("status", s));
        }
        format!(
            "/bank?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    });
    ok(
        &ctx,
        &BankPage {
            c: Chrome::new(&ctx, "pg-bank-title"),
            rows,
            next,
        },
    )
}
