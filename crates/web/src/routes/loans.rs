//! Loans over HTTP: a loan with its balances, its schedule, its payments, the loan of a file,
//! and the bank officer posting a payment (201 the first time, 200 with the same stored
//! payment when the bank reference repeats).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_app::loans::payments::Posted;
use vamyar_app::loans::service::{self, PaymentBody};
use vamyar_app::loans::view::{self, LoanView, PaymentView, ScheduleView};

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;
use crate::input::ApiJson;
use crate::lang::ReqLang;

/// The routes of loans.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_loan))
        .routes(routes!(schedule))
        .routes(routes!(post_payment, list_payments))
        .routes(routes!(loan_of_file))
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
    Ok(Json(
        service::get(&state.ctx, &current.actor, id, lang.0).await?,
    ))
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
    Ok(Json(
        service::of_file(&state.ctx, &current.actor, id, lang.0).await?,
    ))
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
    Ok(Json(
        service::schedule(&state.ctx, &current.actor, id, lang.0).await?,
    ))
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
    Ok(Json(
        service::payments(&state.ctx, &current.actor, id).await?,
    ))
}

/// The answer to a posted payment: the stored payment, whether this request recorded it or
/// found it recorded before, and a sentence saying which in the request's language.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PostedPayment {
    /// The stored payment (the same fields for the first post and every repeat).
    #[serde(flatten)]
    pub payment: PaymentView,
    /// `recorded` (this request posted it) or `already_recorded` (the bank reference was
    /// posted before: nothing changed).
    pub outcome: &'static str,
    /// What happened, for a person.
    pub message: String,
}

/// Posts a repayment (the loan's bank officer). Allocation: late charges, then fee, then
/// principal, oldest installment first; an overpayment is held as credit; settling every
/// installment closes the loan and the file. A repeated `bank_reference` answers 200 with
/// the stored payment, `outcome: already_recorded`, and changes nothing.
#[utoipa::path(post, path = "/api/v1/loans/{id}/payments", tag = "loans",
    params(("id" = i64, Path, description = "loan id")),
    request_body = PaymentBody,
    responses((status = 201, body = PostedPayment, description = "posted (`recorded`)"),
        (status = 200, body = PostedPayment, description = "the reference was posted before (`already_recorded`): the stored payment, nothing changed"),
        (status = 401), (status = 403), (status = 404),
        (status = 409, description = "`loan_closed`, or `bank_reference_conflict` (the reference was used for another payment)"),
        (status = 422, description = "field errors")))]
pub async fn post_payment(
    State(state): State<AppState>,
    current: CurrentActor,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> AppResult<(StatusCode, Json<PostedPayment>)> {
    let posted = service::post_payment(&state.ctx, &current.actor, id, body, "api").await?;
    let (status, outcome) = match posted {
        Posted::Created(_) => (StatusCode::CREATED, "recorded"),
        Posted::Repeated(_) => (StatusCode::OK, "already_recorded"),
    };
    Ok((
        status,
        Json(PostedPayment {
            payment: view::payment_view(posted.payment()),
            outcome,
            message: vamyar_i18n::text(lang, &format!("payment-{outcome}"), &[]),
        }),
    ))
}
