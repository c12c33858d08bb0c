//! The administration's income-decile page: the labour ministry's list uploaded as CSV
//! (national administrator only, the same function as `vamyar import deciles`), with a
//! report line by line.

use axum::extract::State;
use axum::response::Response;
use vamyar_app::admin::decile_import::{self, DecileImport, DecileOutcome};
use vamyar_i18n::Lang;

use super::admin::{AdminPage, UploadSpec, staff};
use super::{PageCtx, PageMultipart, fmt, ok, page, problems};
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};

/// The caller, when they may import deciles (403 otherwise).
fn importer(ctx: &PageCtx) -> AppResult<CurrentActor> {
    let current = staff(ctx)?;
    decile_import::may_import(&current.actor)?;
    Ok(current)
}

fn deciles_page(ctx: &PageCtx) -> AdminPage {
    let t = |id: &str| vamyar_i18n::text(ctx.lang, id, &[]);
    let mut p = AdminPage::new(ctx, "pg-admin-deciles");
    p.notices.push(t("pg-deciles-lead"));
    p.upload = Some(UploadSpec {
        action: "/admin/deciles".into(),
        title: t("pg-deciles-import"),
        hint: t("pg-deciles-import-hint"),
        header: decile_import::DECILE_HEADER.join(","),
        label: t("pg-import-file"),
        submit: t("pg-import-send"),
    });
    p
}

/// The report of a decile file as lines of text in `lang` (line numbers, never national IDs).
fn report_lines(report: &DecileImport, lang: Lang) -> Vec<String> {
    let mut lines: Vec<String> = report
        .lines
        .iter()
        .map(|l| {
            let args = [
                ("line", fmt::num(lang, l.line as i64).into()),
                ("why", l.message.clone().unwrap_or_default().into()),
            ];
            let id = match l.outcome {
                DecileOutcome::Imported => "pg-deciles-line-imported",
                DecileOutcome::Replaced => "pg-deciles-line-replaced",
                DecileOutcome::Unchanged => "pg-deciles-line-unchanged",
                DecileOutcome::Refused => "pg-deciles-line-refused",
            };
            vamyar_i18n::text(lang, id, &args)
        })
        .collect();
    let n = |v: usize| fmt::num(lang, v as i64);
    lines.push(vamyar_i18n::text(
        lang,
        "pg-deciles-import-totals",
        &[
            ("imported", n(report.imported).into()),
            ("replaced", n(report.replaced).into()),
            ("unchanged", n(report.unchanged).into()),
            ("refused", n(report.refused).into()),
            ("rescored", n(report.rescored).into()),
        ],
    ));
    lines
}

/// `GET /admin/deciles`: the upload form (national administrator).
pub async fn deciles(ctx: PageCtx) -> AppResult<Response> {
    importer(&ctx)?;
    ok(&ctx, &deciles_page(&ctx))
}

/// `POST /admin/deciles`: imports the uploaded list and shows the report line by line; a
/// file refused whole (not UTF-8, wrong header, too large) shows the page with the problem
/// on top and imports nothing.
pub async fn import_deciles(
    State(state): State<AppState>,
    PageMultipart(ctx, mut multipart): PageMultipart,
) -> AppResult<Response> {
    let current = importer(&ctx)?;
    let lang = ctx.lang;
    let result = match crate::routes::payment_files::read_file(&mut multipart).await {
        Ok(bytes) => {
            decile_import::import_deciles(&state.ctx, Some(&current.actor), &bytes, "upload", lang)
                .await
                .map_err(AppError::from)
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(report) => {
            let mut p = deciles_page(&ctx);
            p.report = report_lines(&report, lang);
            ok(&ctx, &p)
        }
        Err(e @ (AppError::Validation(_) | AppError::PayloadTooLarge)) => {
            let mut p = deciles_page(&ctx);
            p.c.refuse(&e, &|_| None, problems::Money::Rials);
            page(&ctx, e.status_code(), &p)
        }
        Err(e) => Err(e),
    }
}
