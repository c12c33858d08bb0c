//! The forms of the staff file page: workflow actions, document review and upload,
//! counselling sessions and the plan review. Each calls the same use case as the API,
//! then redirects back to the file (post/redirect/get); a refusal shows the file page again
//! with the problem on top.

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{Value, json};

use super::form::rials_of;
use super::problems::{Money, Target, by_table};
use super::{FormData, PageCtx, PageForm, PageMultipart, confirm, ok, page, see_other};
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

/// The fields of the file page's forms, in order: the service's field path, the element
/// id (`{}` stands for the action's name), the label.
const ACTION_FIELDS: &[(&str, &str, &str)] = &[
    ("reason", "reason-{}", "pg-field-reason"),
    ("branch_id", "branch", "pg-field-branch"),
    ("amount", "{}-amount", "pg-field-amount-optional"),
    ("guarantees", "g-kinds", "pg-field-guarantees"),
    (
        "guarantor_national_id",
        "g-nid",
        "pg-field-guarantor-national-id",
    ),
    ("guarantor_name", "g-name", "pg-field-guarantor-name"),
    ("description", "g-desc", "pg-field-description"),
    (
        "recommended_amount",
        "{}-amount",
        "pg-field-amount-optional",
    ),
    ("contract_number", "contract", "pg-field-contract-number"),
    ("disbursed_on", "d-on", "pg-field-disbursed-on"),
    ("note", "note-{}", "pg-field-note"),
];

/// The counselling session form.
const SESSION_FIELDS: &[(&str, &str, &str)] = &[
    ("held_on", "held_on", "pg-field-held-on"),
    ("notes", "s-notes", "pg-field-notes"),
    ("next_session_on", "next_on", "pg-field-next-session"),
];

/// The plan review form.
const PLAN_FIELDS: &[(&str, &str, &str)] = &[
    ("activity", "p-activity", "pg-field-activity"),
    ("location", "p-location", "pg-field-location"),
    (
        "recommended_amount",
        "p-amount",
        "pg-field-recommended-amount",
    ),
    ("jobs_to_create", "p-jobs", "pg-field-jobs-to-create"),
    ("sector", "p-sector", "pg-field-sector"),
    ("notes", "p-notes", "pg-field-notes"),
];

/// Where an action form's field is, for the action `action`.
fn action_target(lang: vamyar_i18n::Lang, action: &str, path: &str) -> Option<Target> {
    let last = path.rsplit('.').next().unwrap_or(path);
    let last = last.split('[').next().unwrap_or(last);
    let i = ACTION_FIELDS.iter().position(|(p, _, _)| *p == last)?;
    let (_, id, label) = ACTION_FIELDS[i];
    let short = match action {
        "refer" => "refer",
        "approve_plan" => "plan",
        "disburse" => "d",
        other => other,
    };
    Some(Target {
        id: id.replace("{}", short),
        label: vamyar_i18n::text(lang, label, &[]),
        order: i,
    })
}

/// Which form of the file page was sent, and how its fields are found.
pub enum Sent<'a> {
    /// A workflow action's form.
    Action(&'a str),
    /// The counselling session.
    Session,
    /// The plan review.
    Plan,
    /// Another form (its refusal has no fields on the page).
    Other(&'static str, &'a [(&'a str, &'a str, &'a str)], Money),
}

/// Shows the file page again with a refusal, the sent form's values kept and its fields
/// marked (access refusals stay error pages).
pub async fn refused(
    state: &AppState,
    ctx: &PageCtx,
    current: &CurrentActor,
    id: i64,
    e: AppError,
    sent: Sent<'_>,
    form: FormData,
) -> AppResult<Response> {
    if matches!(
        e,
        AppError::NotFound | AppError::Forbidden | AppError::Unauthenticated
    ) {
        return Err(e);
    }
    let lang = ctx.lang;
    let mut p = super::file::build(state, ctx, current, id).await?;
    match sent {
        Sent::Action(a) => {
            p.c.refuse(&e, &|path| action_target(lang, a, path), Money::Tomans);
            p.sent = format!("act-{a}");
        }
        Sent::Session => {
            p.c.refuse(&e, &by_table(lang, SESSION_FIELDS), Money::Tomans);
            p.sent = "session".into();
        }
        Sent::Plan => {
            p.c.refuse(&e, &by_table(lang, PLAN_FIELDS), Money::Tomans);
            p.sent = "plan".into();
        }
        Sent::Other(key, table, money) => {
            p.c.refuse(&e, &by_table(lang, table), money);
            p.sent = key.into();
        }
    }
    p.v = form;
    page(ctx, e.status_code(), &p)
}

/// The confirmation step of a destructive action on the staff file page.
async fn confirm_page(
    state: &AppState,
    ctx: &PageCtx,
    current: &CurrentActor,
    id: i64,
    action: &str,
    form: FormData,
) -> AppResult<confirm::ConfirmPage> {
    let file = vamyar_app::files::visible_file(&state.ctx, &current.actor, id).await?;
    Ok(confirm::build(
        ctx,
        confirm::Spec {
            action,
            tracking_code: &file.app.tracking_code,
            action_url: format!("/desk/files/{id}/actions/{action}"),
            version: file.app.version,
            back: format!("/desk/files/{id}"),
            with_note: true,
        },
        form,
    ))
}

/// `GET /desk/files/{id}/actions/{action}`: the second step of a destructive action (what
/// will happen, the reason, the confirming button); other actions have no such page.
pub async fn confirm_form(
    State(state): State<AppState>,
    Path((id, action)): Path<(i64, String)>,
    ctx: PageCtx,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    if !confirm::is_destructive(&action) {
        return Err(AppError::NotFound);
    }
    let p = confirm_page(&state, &ctx, &current, id, &action, FormData::default()).await?;
    ok(&ctx, &p)
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
    if confirm::is_destructive(&action) {
        if form.get("confirm").is_none() {
            return Ok(see_other(
                &ctx,
                &format!("/desk/files/{id}/actions/{action}"),
            ));
        }
        let result = match confirm::missing_reason(&form) {
            Some(e) => Err(e),
            None => actions::act(&state.ctx, &current.actor, id, &action, action_body(&form))
                .await
                .map_err(AppError::from),
        };
        return match result {
            Ok(actions::Performed::Proposed(_)) => {
                Ok(back(&ctx, id, &format!("proposed_{action}")))
            }
            Ok(actions::Performed::Done(_)) => Ok(back(&ctx, id, &format!("act_{action}"))),
            Err(e @ (AppError::Validation(_) | AppError::StaleVersion)) => {
                let mut p = confirm_page(&state, &ctx, &current, id, &action, form).await?;
                confirm::refuse(&mut p, &e);
                page(&ctx, e.status_code(), &p)
            }
            Err(e) => refused(&state, &ctx, &current, id, e, Sent::Action(&action), form).await,
        };
    }
    match actions::perform(&state.ctx, &current.actor, id, &action, action_body(&form)).await {
        Ok(_) => Ok(back(&ctx, id, &format!("act_{action}"))),
        Err(e) => {
            let sent = Sent::Action(&action);
            refused(&state, &ctx, &current, id, e.into(), sent, form).await
        }
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
        Err(e) => {
            let key: &'static str = "review";
            let table: &[(&str, &str, &str)] = &[("reason", "", "pg-field-reason")];
            let sent = Sent::Other(key, table, Money::Rials);
            refused(&state, &ctx, &current, file, e.into(), sent, form).await
        }
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
        Err(e) => {
            let table: &[(&str, &str, &str)] = &[
                ("kind", "kind", "pg-col-kind"),
                ("file", "file", "pg-choose-file"),
            ];
            let sent = Sent::Other("upload", table, Money::Rials);
            refused(&state, &ctx, &current, id, e, sent, FormData::default()).await
        }
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
        Ok(_) => Ok(back(&ctx, id, "session")),
        Err(e) => refused(&state, &ctx, &current, id, e.into(), Sent::Session, form).await,
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
        sector: form.get("sector"),
        notes: form.get("notes"),
    };
    match counselling::record_plan_review(&state.ctx, &current.actor, id, body).await {
        Ok(_) => Ok(back(&ctx, id, "plan")),
        Err(e) => refused(&state, &ctx, &current, id, e.into(), Sent::Plan, form).await,
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
