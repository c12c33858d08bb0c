//! The staff page that changes a person's contact details (mobile, Sheba, county, address),
//! reached from the file page by the desk clerks and the office head of the person's county.
//! It asks for a reason and a confirmation that the person's identity was checked, then calls
//! `vamyar_app::persons::change_contact` (audited; the old mobile gets the `mobile_changed`
//! SMS); a refusal shows the page again the GOV.UK way.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use vamyar_app::persons::{self, ContactBody};

use super::problems::{Money, by_table};
use super::{Chrome, FormData, PageCtx, PageForm, page, see_other};
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};

/// The form's fields in order: (service field, element id, label).
const FIELDS: &[(&str, &str, &str)] = &[
    ("mobile", "contact-mobile", "pg-field-mobile"),
    ("sheba", "contact-sheba", "pg-field-sheba"),
    ("county", "contact-county", "pg-contact-county"),
    ("address", "contact-address", "pg-field-address"),
    ("reason", "contact-reason", "pg-field-reason"),
    ("confirm", "contact-confirm", "pg-contact-confirm"),
];

/// The contact page.
#[derive(Template)]
#[template(path = "pages/contact.html")]
pub struct ContactPage {
    /// The frame.
    pub c: Chrome,
    /// Where the form posts.
    pub action: String,
    /// Back to the file page.
    pub back: String,
    /// The values shown (stored, or as typed after a refusal).
    pub v: FormData,
}

/// `?file=` names the file page to return to.
#[derive(Deserialize)]
pub struct Back {
    /// The file the page was opened from.
    pub file: Option<i64>,
}

fn actor(ctx: &PageCtx) -> AppResult<CurrentActor> {
    ctx.actor().cloned().ok_or(AppError::Unauthenticated)
}

fn back_of(q: &Back) -> String {
    q.file
        .map(|f| format!("/desk/files/{f}"))
        .unwrap_or_else(|| "/desk".into())
}

fn build(ctx: &PageCtx, id: i64, q: &Back, v: FormData) -> ContactPage {
    let action = match q.file {
        Some(f) => format!("/desk/persons/{id}/contact?file={f}"),
        None => format!("/desk/persons/{id}/contact"),
    };
    ContactPage {
        c: Chrome::new(ctx, "pg-contact-title"),
        action,
        back: back_of(q),
        v,
    }
}

/// `GET /desk/persons/{id}/contact`: the stored details in an editable form.
pub async fn form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<Back>,
) -> AppResult<Response> {
    let current = actor(&ctx)?;
    let stored = persons::contact(&state.ctx, &current.actor, id).await?;
    let v = FormData(vec![
        ("mobile".into(), stored.mobile),
        ("sheba".into(), stored.sheba.unwrap_or_default()),
        ("county".into(), stored.county_code),
        ("address".into(), stored.address.unwrap_or_default()),
    ]);
    page(&ctx, axum::http::StatusCode::OK, &build(&ctx, id, &q, v))
}

/// `POST /desk/persons/{id}/contact`: changes the details after the confirmation, then back
/// to the file page with a notice.
pub async fn change(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<Back>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = actor(&ctx)?;
    // authority first: someone outside the county learns nothing from field errors
    persons::contact(&state.ctx, &current.actor, id).await?;
    let result = if form.get("confirm").is_none() {
        let mut f = vamyar_app::error::FieldErrors::new();
        f.add("confirm", "required");
        Err(AppError::Validation(f))
    } else {
        let body = ContactBody {
            mobile: form.get("mobile"),
            sheba: form.get("sheba"),
            county: form.get("county"),
            address: form.get("address"),
            reason: form.get("reason"),
        };
        persons::change_contact(&state.ctx, &current.actor, id, &body)
            .await
            .map_err(AppError::from)
    };
    match result {
        Ok(_) => Ok(see_other(
            &ctx,
            &format!("{}?done=contact-changed", back_of(&q)),
        )),
        Err(e @ AppError::Validation(_)) => {
            let mut p = build(&ctx, id, &q, form);
            p.c.refuse(&e, &by_table(ctx.lang, FIELDS), Money::Rials);
            page(&ctx, e.status_code(), &p)
        }
        Err(e) => Err(e),
    }
}
