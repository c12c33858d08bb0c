//! The bank desk's payment file: the officer uploads the bank's CSV
//! (`contract_number,bank_reference,amount,paid_on`) and sees the report line by line.
//! Behind the form is `POST /api/v1/payments/import`'s own handler
//! (`routes::payment_files::import_payments`), so the page posts exactly as the API and the
//! command line do. The answer to the upload is the report itself (it is not stored): sending
//! the same file again is harmless, because the rows already posted come back as repeats.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use vamyar_domain::workflow::Role;
use vamyar_i18n::Lang;

use super::problems::{Money, by_table};
use super::{Chrome, PageCtx, PageMultipart, fmt, ok, page};
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};
use crate::lang::ReqLang;
use crate::loans::import::{ImportReport, Outcome};
use crate::routes::payment_files::{MAX_IMPORT_BYTES, MAX_IMPORT_ROWS};

/// One line of the report as shown.
#[derive(Clone, Debug)]
pub struct ReportRow {
    /// The line number in the file.
    pub line: String,
    /// The bank's reference.
    pub reference: String,
    /// The outcome's name.
    pub outcome: String,
    /// The badge's style (`paid`, `pending`, `rejected`).
    pub style: &'static str,
    /// The amount posted, in tomans.
    pub amount: String,
    /// Why refused.
    pub message: String,
}

/// The report's totals as shown.
#[derive(Clone, Debug)]
pub struct ReportTotals {
    /// Rows read.
    pub rows: String,
    /// Posted now.
    pub posted: String,
    /// Already posted.
    pub repeated: String,
    /// Refused.
    pub refused: String,
}

/// The payment file page: the upload form, and the report after an upload.
#[derive(Template)]
#[template(path = "pages/bank_import.html")]
pub struct BankImportPage {
    /// The frame.
    pub c: Chrome,
    /// What the file must look like.
    pub hint: String,
    /// The report's lines (after an upload).
    pub rows: Vec<ReportRow>,
    /// Its totals (after an upload).
    pub totals: Option<ReportTotals>,
}

fn officer(ctx: &PageCtx) -> AppResult<CurrentActor> {
    let current = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    if current.role() == Role::BankOfficer {
        Ok(current)
    } else {
        Err(AppError::Forbidden)
    }
}

fn empty(ctx: &PageCtx) -> BankImportPage {
    let lang = ctx.lang;
    BankImportPage {
        c: Chrome::new(ctx, "pg-import-title"),
        hint: vamyar_i18n::text(
            lang,
            "pg-import-hint",
            &[
                ("rows", fmt::num(lang, MAX_IMPORT_ROWS as i64).into()),
                (
                    "kb",
                    fmt::num(lang, (MAX_IMPORT_BYTES / 1024) as i64).into(),
                ),
            ],
        ),
        rows: Vec::new(),
        totals: None,
    }
}

/// The report as shown in `lang`.
fn shown(p: &mut BankImportPage, report: &ImportReport, lang: Lang) {
    let t = |id: &str| vamyar_i18n::text(lang, id, &[]);
    p.rows = report
        .lines
        .iter()
        .map(|l| {
            let (outcome, style) = match l.outcome {
                Outcome::Posted => (t("pg-import-posted"), "paid"),
                Outcome::Repeat => (t("pg-import-repeat"), "pending"),
                Outcome::Refused => (t("pg-import-refused"), "rejected"),
            };
            ReportRow {
                line: fmt::num(lang, l.line as i64),
                reference: l.bank_reference.clone().unwrap_or_default(),
                outcome,
                style,
                amount: l.amount.map(|a| fmt::tomans(lang, a)).unwrap_or_default(),
                message: l.message.clone().unwrap_or_default(),
            }
        })
        .collect();
    let n = |v: usize| fmt::num(lang, v as i64);
    p.totals = Some(ReportTotals {
        rows: n(report.totals.rows),
        posted: n(report.totals.posted),
        repeated: n(report.totals.repeated),
        refused: n(report.totals.refused),
    });
}

/// `GET /bank/payments`: the upload form (bank officers).
pub async fn form(ctx: PageCtx) -> AppResult<Response> {
    officer(&ctx)?;
    ok(&ctx, &empty(&ctx))
}

/// `POST /bank/payments`: imports the uploaded file and shows its report; a file refused as a
/// whole (no file, wrong header, too large) shows the form with the problem on top.
pub async fn upload(
    State(state): State<AppState>,
    PageMultipart(ctx, multipart): PageMultipart,
) -> AppResult<Response> {
    let current = officer(&ctx)?;
    let lang = ctx.lang;
    let mut p = empty(&ctx);
    match crate::routes::payment_files::import_from(&state, &current, ReqLang(lang), Ok(multipart))
        .await
    {
        Ok(report) => {
            shown(&mut p, &report, lang);
            ok(&ctx, &p)
        }
        Err(e @ (AppError::Validation(_) | AppError::PayloadTooLarge)) => {
            p.c.refuse(
                &e,
                &by_table(lang, &[("file", "pay-file", "pg-field-file")]),
                Money::Rials,
            );
            let status = e.status_code();
            page(&ctx, status, &p)
        }
        Err(e) => Err(e),
    }
}
