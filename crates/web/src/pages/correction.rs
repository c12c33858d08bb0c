//! The applicant corrects a file returned for correction, online: the file page shows the
//! reason given, the business details to correct (prefilled) and the documents to replace;
//! the form stores the details and sends the file again
//! (`vamyar_app::files::correct::correct_and_resubmit`). A refusal shows the file page again
//! with the error summary and the typed values kept.

use axum::extract::{Path, State};
use axum::response::Response;
use vamyar_app::files::correct::{self, Correction};

use super::problems::{Money, by_table};
use super::{PageForm, page, see_other};
use crate::AppState;
use crate::error::{AppError, AppResult};

/// The correction form's fields in order (service path, element id, label).
const FIELDS: &[(&str, &str, &str)] = &[
    ("business.title", "c-title", "pg-field-title"),
    ("business.activity", "c-activity", "pg-field-activity"),
    ("business.location", "c-location", "pg-field-location"),
    ("business.summary", "c-summary", "pg-field-summary"),
];

/// `POST /portal/files/{id}/correct`: stores the corrected details and sends the file again.
pub async fn correct(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let me = super::portal::applicant(&ctx)?;
    let input = Correction {
        version: form
            .get("version")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0),
        title: form.get("title"),
        activity: form.get("activity"),
        location: form.get("location"),
        summary: form.get("summary"),
    };
    match correct::correct_and_resubmit(&state.ctx, &me.actor, id, input)
        .await
        .map_err(AppError::from)
    {
        Ok(_) => Ok(see_other(
            &ctx,
            &format!("/portal/files/{id}?done=resubmitted"),
        )),
        Err(e @ (AppError::Validation(_) | AppError::StaleVersion | AppError::Conflict(_))) => {
            let d = super::detail::load(&state, &me, id, ctx.lang).await?;
            let loan = super::loan::block(&state, &me, id, ctx.lang).await?;
            let mut p = super::portal::file_page(&ctx, &d, loan);
            p.c.refuse(&e, &by_table(ctx.lang, FIELDS), Money::Tomans);
            p.v = form;
            page(&ctx, e.status_code(), &p)
        }
        Err(e) => Err(e),
    }
}
