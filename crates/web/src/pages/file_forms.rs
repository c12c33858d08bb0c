//! The forms of the staff file page: workflow actions, document review and upload,
//! counselling sessions and the plan review. Each calls the same use case as the API,
//! then redirects back to the file (post/redirect/get); a refusal shows the file page again
//! with the problem on top.

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{Value, json};

use super::form::rials_of;
use super::{FormData, PageCtx, PageForm, PageMultipart, error_text, page, see_other};
use crate::AppState;
use crate::applicant::Flex;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};
use vamyar_app::counselling::{self, PlanReviewBody, SessionBody};
use vamyar_app::documents;
use vamyar_app::files::actions;

fn staff(ctx: &PageCtx) -> AppResult<CurrentActor> {
    let current = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    if current.role().is_staff() {
        Ok(current)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Shows the file page again with a refusal (access refusals stay error pages).
async fn refused(
    state: &AppState,
    ctx: &PageCtx,
    current: &CurrentActor,
    id: i64,
    e: AppError,
) -> AppResult<Response> {
    if matches!(
        e,
        AppError::NotFound | AppError::Forbidden | AppError::Unauthenticated
    ) {
        return Err(e);
    }
    let mut p = super::file::build(state, ctx, current, id).await?;
    p.c.error = Some(error_text(ctx.lang, &e));
    page(ctx, e.status_code(), &p)
}

fn back(ctx: &PageCtx, id: i64, done: &str) -> Response {
    see_other(ctx, &format!("/desk/files/{id}?done={done}"))
}

/// The action body from the form (only the fields given).
fn action_body(form: &FormData) -> Value {
    let mut body = serde_json::Map::new();
    let version = form
        .get("version")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    body.insert("version".into(), json!(version));
    for key in ["note", "reason", "contract_number", "disbursed_on"] {
        if let Some(v) = form.get(key) {
            body.insert(key.into(), json!(v));
        }
    }
    for key in ["recommended_amount", "amount"] {
        if let Some(v) = rials_of(form, key) {
            body.insert(key.into(), json!(v));
        }
    }
    if let Some(b) = form.get("branch_id") {
        body.insert(
            "branch_id".into(),
            b.parse::<i64>().map_or(json!(b), |n| json!(n)),
        );
    }
    let kinds = form.all("guarantee_kind");
    if !kinds.is_empty() || form.get("guarantees_form").is_some() {
        let list: Vec<Value> = kinds
            .iter()
            .map(|k| {
                let mut g = json!({"kind": k});
                if k == "guarantor" {
                    g["guarantor_national_id"] = form.json("guarantor_national_id");
                    g["guarantor_name"] = form.json("guarantor_name");
                }
                if let Some(d) = form.get("guarantee_description") {
                    g["description"] = json!(d);
                }
                g
            })
            .collect();
        body.insert("guarantees".into(), Value::Array(list));
    }
    Value::Object(body)
}

/// `POST /desk/files/{id}/actions/{action}`: one workflow action.
pub async fn act(
    State(state): State<AppState>,
    Path((id, action)): Path<(i64, String)>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    match actions::perform(&state.ctx, &current.actor, id, &action, action_body(&form)).await {
        Ok(_) => Ok(back(&ctx, id, "action")),
        Err(e) => refused(&state, &ctx, &current, id, e.into()).await,
    }
}

/// `POST /desk/documents/{id}/review`: accept, or reject with a reason.
pub async fn review(
    State(state): State<AppState>,
    Path(doc): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    let file = vamyar_store::document::get(state.db.pool(), doc)
        .await?
        .ok_or(AppError::NotFound)?
        .application_id;
    let body = json!({"decision": form.raw("decision"), "reason": form.json("reason")});
    match documents::review(&state.ctx, &current.actor, doc, body).await {
        Ok(_) => Ok(back(&ctx, file, "reviewed")),
        Err(e) => refused(&state, &ctx, &current, file, e.into()).await,
    }
}

/// `POST /desk/files/{id}/documents`: a desk clerk uploads for the applicant.
pub async fn upload(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageMultipart(ctx, multipart): PageMultipart,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    match crate::routes::documents::upload_from(&state, &current, id, Ok(multipart)).await {
        Ok(_) => Ok(back(&ctx, id, "uploaded")),
        Err(e) => refused(&state, &ctx, &current, id, e).await,
    }
}

/// `POST /desk/files/{id}/counselling`: records a counselling session.
pub async fn counselling(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    let body = SessionBody {
        held_on: form.get("held_on"),
        notes: form.get("notes"),
        next_session_on: form.get("next_session_on"),
    };
    match counselling::record_session(&state.ctx, &current.actor, id, body).await {
        Ok(_) => Ok(back(&ctx, id, "recorded")),
        Err(e) => refused(&state, &ctx, &current, id, e.into()).await,
    }
}

/// `POST /desk/files/{id}/plan-review`: records the business-plan review.
pub async fn plan_review(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    let body = PlanReviewBody {
        activity: form.get("activity"),
        location: form.get("location"),
        recommended_amount: rials_of(&form, "recommended_amount").map(Flex),
        jobs_to_create: form.get("jobs_to_create").map(Flex),
        notes: form.get("notes"),
    };
    match counselling::record_plan_review(&state.ctx, &current.actor, id, body).await {
        Ok(_) => Ok(back(&ctx, id, "recorded")),
        Err(e) => refused(&state, &ctx, &current, id, e.into()).await,
    }
}

/// `GET /documents/{id}`: a document's bytes, for anyone who can see its file (the API's
/// download handler).
pub async fn document_content(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let current = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    let content = documents::content(&state.ctx, &current.actor, id).await?;
    crate::routes::documents::download(id, content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_bodies_carry_only_what_was_given() {
        let f = FormData(vec![
            ("csrf".into(), "x".into()),
            ("version".into(), "3".into()),
            ("reason".into(), " ".into()),
            ("amount".into(), "۱۰۰٬۰۰۰".into()),
            ("branch_id".into(), "2".into()),
        ]);
        assert_eq!(
            action_body(&f),
            json!({"version": 3, "amount": "1000000", "branch_id": 2})
        );
        let g = FormData(vec![
            ("version".into(), "1".into()),
            ("guarantees_form".into(), "1".into()),
            ("guarantee_kind".into(), "promissory_note".into()),
        ]);
        assert_eq!(
            action_body(&g),
            json!({"version": 1, "guarantees": [{"kind": "promissory_note"}]})
        );
    }
}
