//! The forms of a running loan on the staff file page: the bank officer's payment (the
//! same use case as `POST /api/v1/loans/{id}/payments`, so a repeated bank reference
//! changes nothing) and the employment expert's monitoring visit. A refusal shows the file
//! page again with the problem on top.

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{Value, json};
use vamyar_app::loans::service;

use super::file_forms::{Sent, refused};
use super::form::rials_of;
use super::problems::Money;
use super::{FormData, PageForm, see_other};
use crate::AppState;
use crate::error::{AppError, AppResult};

/// The payment form's fields in order (service path, element id, label).
const PAYMENT_FIELDS: &[(&str, &str, &str)] = &[
    ("amount", "pay-amount", "pg-field-payment-amount"),
    ("paid_on", "pay-on", "pg-field-paid-on"),
    ("bank_reference", "pay-ref", "pg-field-bank-reference"),
];

/// The visit form's fields in order.
const VISIT_FIELDS: &[(&str, &str, &str)] = &[
    ("visit_id", "visit-id", "pg-visit-scheduled"),
    ("visited_on", "visited-on", "pg-field-visited-on"),
    ("business_running", "br-yes", "pg-field-business-running"),
    ("people_employed", "people", "pg-field-people-employed"),
    ("plan_carried_out", "pc-yes", "pg-field-plan-carried-out"),
    ("findings", "findings", "pg-field-findings"),
    (
        "recommendation",
        "recommendation",
        "pg-field-recommendation",
    ),
];

/// The reversal form's field.
const REVERSAL_FIELDS: &[(&str, &str, &str)] =
    &[("reason", "rev-reason", "pg-field-reversal-reason")];

/// `POST /desk/payments/{id}/reversal`: a bank officer proposes reversing a payment (with a
/// reason); another officer of the bank confirms it on the proposals page.
pub async fn reverse_payment(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    let file = form
        .get("file")
        .and_then(|f| f.parse::<i64>().ok())
        .ok_or(AppError::BadRequest("bad_request"))?;
    let body = json!({"reason": form.get("reason")});
    match vamyar_app::proposals::propose_reversal(&state.ctx, &current.actor, id, body)
        .await
        .map_err(AppError::from)
    {
        Ok(p) if p.proposal.status == "pending" => Ok(see_other(
            &ctx,
            &format!("/desk/files/{file}?done=proposed_reversal"),
        )),
        Ok(_) => Ok(see_other(
            &ctx,
            &format!("/desk/files/{file}?done=proposal_confirmed"),
        )),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let sent = Sent::Other("reversal", REVERSAL_FIELDS, Money::Tomans);
            refused(&state, &ctx, &current, file, e, sent, form).await
        }
        Err(e) => Err(e),
    }
}

/// `POST /desk/loans/{id}/payments`: the bank officer posts a repayment (amount in tomans,
/// Jalali or ISO date, the bank's reference), then back to the file.
pub async fn post_payment(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    let file = form
        .get("file")
        .and_then(|f| f.parse::<i64>().ok())
        .ok_or(AppError::BadRequest("bad_request"))?;
    let body = json!({
        "amount": rials_of(&form, "amount"),
        "paid_on": form.get("paid_on"),
        "bank_reference": form.get("bank_reference"),
    });
    match service::post_payment(&state.ctx, &current.actor, id, body, "api")
        .await
        .map_err(AppError::from)
    {
        Ok(vamyar_app::loans::payments::Posted::Created(_)) => {
            Ok(see_other(&ctx, &format!("/desk/files/{file}?done=paid")))
        }
        // the bank reference was posted before: say so, not "payment recorded"
        Ok(vamyar_app::loans::payments::Posted::Repeated(_)) => Ok(see_other(
            &ctx,
            &format!("/desk/files/{file}?done=paid_repeat"),
        )),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let sent = Sent::Other("payment", PAYMENT_FIELDS, Money::Tomans);
            refused(&state, &ctx, &current, file, e, sent, form).await
        }
        Err(e) => Err(e),
    }
}

/// A yes/no radio pair as JSON (`null` when neither was chosen).
fn flag(form: &FormData, name: &str) -> Value {
    match form.get(name).as_deref() {
        Some("yes") => json!(true),
        Some("no") => json!(false),
        _ => Value::Null,
    }
}

/// The body of `POST /api/v1/visits/{id}` from the form.
fn visit_body(form: &FormData) -> Value {
    json!({
        "visited_on": form.get("visited_on"),
        "business_running": flag(form, "business_running"),
        "people_employed": form.get("people_employed"),
        "plan_carried_out": flag(form, "plan_carried_out"),
        "findings": form.get("findings"),
        "recommendation": form.get("recommendation"),
    })
}

/// `POST /desk/files/{id}/visits`: the employment expert records the chosen scheduled visit
/// (`visit_id`), then back to the file; a refusal shows the file page with the problem.
pub async fn record_visit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    if !current.role().is_staff() {
        return Err(AppError::Forbidden);
    }
    let visit = form
        .get("visit_id")
        .and_then(|v| v.parse::<i64>().ok())
        .ok_or(AppError::BadRequest("bad_request"))?;
    // the visit must belong to this file (the handler checks who may record it)
    let found = vamyar_store::loan::visit::get(state.db.pool(), visit)
        .await?
        .filter(|v| v.application_id == id)
        .ok_or(AppError::NotFound)?;
    match vamyar_app::visits::record(
        &state.ctx,
        &current.actor,
        found.id,
        visit_body(&form),
        ctx.lang,
    )
    .await
    .map_err(AppError::from)
    {
        Ok(_) => Ok(see_other(&ctx, &format!("/desk/files/{id}?done=visit"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let sent = Sent::Other("visit", VISIT_FIELDS, Money::Rials);
            refused(&state, &ctx, &current, id, e, sent, form).await
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_becomes_the_api_body() {
        let f = FormData(vec![
            ("visited_on".into(), "۱۴۰۵/۰۲/۰۱".into()),
            ("business_running".into(), "no".into()),
            ("people_employed".into(), "۰".into()),
            ("findings".into(), " ".into()),
        ]);
        assert_eq!(
            visit_body(&f),
            json!({"visited_on": "۱۴۰۵/۰۲/۰۱", "business_running": false,
                "people_employed": "۰", "plan_carried_out": null, "findings": null,
                "recommendation": null})
        );
    }
}
