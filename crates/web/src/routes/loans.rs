//! Loans over HTTP: a loan with its balances, its schedule, its payments, the loan of a file,
//! and the bank officer posting a payment (201 the first time, 200 with the same stored
//! payment when the bank reference repeats).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_domain::policy::Permission;

use crate::AppState;
use crate::applicant::Flex;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};
use crate::input::ApiJson;
use crate::lang::ReqLang;
use crate::loans::payments::{self, Posted, Poster};
use crate::loans::view::{self, LoanView, PaymentView, ScheduleView};
use crate::loans::{LoanContext, iran_today};

/// The routes of loans.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_loan))
        .routes(routes!(schedule))
        .routes(routes!(post_payment, list_payments))
        .routes(routes!(loan_of_file))
}

async fn render(state: &AppState, ctx: &LoanContext, lang: ReqLang) -> AppResult<LoanView> {
    let rows = vamyar_store::loan::installments(state.db.pool(), ctx.loan.id).await?;
    view::loan_view(
        &ctx.loan,
        &ctx.file.app.tracking_code,
        &rows,
        iran_today(),
        lang.0,
    )
}

/// A loan with its balances, arrears and next due installment (the applicant, staff whose
/// scope covers the file, the bank).
#[utoipa::path(get, path = "/api/v1/loans/{id}", tag = "loans",
    params(("id" = i64, Path, description = "loan id")),
    responses((status = 200, body = LoanView), (status = 401), (status = 404)))]
pub async fn get_loan(
    State(state): State<AppState>,
    current: CurrentActor,
    lang: ReqLang,
    Path(id): Path<i64>,
) -> AppResult<Json<LoanView>> {
    let ctx = crate::loans::visible_loan(&state, &current, id, "loan.view").await?;
    Ok(Json(render(&state, &ctx, lang).await?))
}

/// The loan of a file (404 while it has none).
#[utoipa::path(get, path = "/api/v1/applications/{id}/loan", tag = "loans",
    params(("id" = i64, Path, description = "file id")),
    responses((status = 200, body = LoanView), (status = 401), (status = 404)))]
pub async fn loan_of_file(
    State(state): State<AppState>,
    current: CurrentActor,
    lang: ReqLang,
    Path(id): Path<i64>,
) -> AppResult<Json<LoanView>> {
    crate::files::visible_file(&state, &current, id).await?;
    let loan = vamyar_store::loan::for_application(state.db.pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let ctx = crate::loans::visible_loan(&state, &current, loan.id, "loan.view").await?;
    Ok(Json(render(&state, &ctx, lang).await?))
}

/// A loan's installments: due dates (ISO and Jalali), principal, fee, late charge, what is
/// paid of each and its status.
#[utoipa::path(get, path = "/api/v1/loans/{id}/schedule", tag = "loans",
    params(("id" = i64, Path, description = "loan id")),
    responses((status = 200, body = ScheduleView), (status = 401), (status = 404)))]
pub async fn schedule(
    State(state): State<AppState>,
    current: CurrentActor,
    lang: ReqLang,
    Path(id): Path<i64>,
) -> AppResult<Json<ScheduleView>> {
    let ctx = crate::loans::visible_loan(&state, &current, id, "loan.view").await?;
    let rows = vamyar_store::loan::installments(state.db.pool(), ctx.loan.id).await?;
    Ok(Json(view::schedule_view(ctx.loan.id, &rows, lang.0)?))
}

/// A loan's payments, oldest first.
#[utoipa::path(get, path = "/api/v1/loans/{id}/payments", tag = "loans",
    params(("id" = i64, Path, description = "loan id")),
    responses((status = 200, body = Vec<PaymentView>), (status = 401), (status = 404)))]
pub async fn list_payments(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<PaymentView>>> {
    let ctx = crate::loans::visible_loan(&state, &current, id, "loan.view").await?;
    let list = vamyar_store::loan::payment::for_loan(state.db.pool(), ctx.loan.id).await?;
    Ok(Json(list.iter().map(view::payment_view).collect()))
}

/// The body of `POST /api/v1/loans/{id}/payments`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentBody {
    /// Rials paid: more than 0, at most 10¹³.
    #[schema(value_type = Option<String>)]
    pub amount: Option<Flex>,
    /// Value date: ISO or Jalali (`1405/01/15`), not in the future nor before disbursement.
    pub paid_on: Option<String>,
    /// The bank's own reference: the same reference posts once (at most 64 characters).
    pub bank_reference: Option<String>,
}

/// Posts a repayment (the loan's bank officer). Allocation: late charges, then fee, then
/// principal, oldest installment first; an overpayment is held as credit; settling every
/// installment closes the loan and the file. A repeated `bank_reference` answers 200 with
/// the stored payment and changes nothing.
#[utoipa::path(post, path = "/api/v1/loans/{id}/payments", tag = "loans",
    params(("id" = i64, Path, description = "loan id")),
    request_body = PaymentBody,
    responses((status = 201, body = PaymentView, description = "posted"),
        (status = 200, body = PaymentView, description = "the reference was posted before: the stored payment"),
        (status = 401), (status = 403), (status = 404),
        (status = 409, description = "`loan_closed`, or `bank_reference_conflict` (the reference was used for another payment)"),
        (status = 422, description = "field errors")))]
pub async fn post_payment(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> AppResult<(StatusCode, Json<PaymentView>)> {
    let ctx = crate::loans::permitted_loan(
        &state,
        &current,
        id,
        &Permission::PostPayments,
        "loan.payment",
    )
    .await?;
    let body: PaymentBody = crate::input::from_value(body)?;
    let input = payments::parse_input(
        body.amount.as_ref().map(|a| a.0.as_str()),
        body.paid_on.as_deref(),
        body.bank_reference.as_deref(),
    )
    .map_err(AppError::Validation)?;
    let by = Poster {
        staff_id: current.actor.staff_id(),
        channel: "api",
    };
    let posted = payments::post(&state, &ctx, &input, by).await?;
    let status = match posted {
        Posted::Created(_) => StatusCode::CREATED,
        Posted::Repeated(_) => StatusCode::OK,
    };
    Ok((status, Json(view::payment_view(posted.payment()))))
}
