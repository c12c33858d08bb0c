//! A person's contact details over HTTP (`vamyar_app::persons` does the work): staff of the
//! person's county change them (audited); an applicant changes their own mobile with a code
//! sent to the old one.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_app::persons::{self, ContactBody, ContactView};

use crate::AppState;
use crate::auth::CurrentActor;
use crate::auth::ratelimit::{ClientIp, enforce};
use crate::error::{AppError, AppResult};
use crate::input::ApiJson;

/// The routes of contact changes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(change_contact))
        .routes(routes!(request_mobile_change))
        .routes(routes!(confirm_mobile_change))
}

/// Changes a person's mobile, Sheba, county or address (blank fields stay): staff of the
/// person's own county only; audited; the old mobile is told by SMS when the mobile changes.
#[utoipa::path(patch, path = "/api/v1/persons/{id}/contact", tag = "applications",
    params(("id" = i64, Path, description = "person id")),
    request_body = ContactBody,
    responses((status = 200, body = ContactView), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "field errors")))]
pub async fn change_contact(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ContactBody>,
) -> AppResult<Json<ContactView>> {
    Ok(Json(
        persons::change_contact(&state.ctx, &current.actor, id, &body).await?,
    ))
}

/// A new mobile for the logged-in applicant.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMobile {
    /// The mobile to move to.
    pub mobile: String,
}

/// The code sent to the old mobile.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MobileCode {
    /// Six digits.
    pub code: String,
}

/// The person of a logged-in applicant (staff 403).
pub fn own_person(current: &CurrentActor) -> AppResult<i64> {
    current.actor.person_id().ok_or(AppError::Forbidden)
}

/// The limits on asking for a mobile-change code (API and page alike): per address, per
/// person (each request sends an SMS to the old mobile) and the global SMS budget; past
/// one, 429 with `Retry-After`.
/// A mistyped mobile is refused before any limit is counted.
pub async fn limit_request(
    state: &AppState,
    ip: &ClientIp,
    person: i64,
    mobile: &str,
) -> AppResult<()> {
    if let Err(e) = vamyar_domain::primitives::Mobile::parse(mobile) {
        let mut f = vamyar_app::error::FieldErrors::new();
        f.add("mobile", vamyar_app::Coded::code(&e));
        return Err(AppError::Validation(f));
    }
    let limits = &state.rate_limits;
    enforce(
        state,
        "otp_request_ip",
        limits.otp_request_per_ip,
        &[&ip.key()],
    )
    .await?;
    let id = person.to_string();
    enforce(
        state,
        "mobile_change_sms",
        limits.otp_sms_per_recipient,
        &[&id],
    )
    .await?;
    enforce(state, "otp_sms_global", limits.otp_sms_global, &[]).await?;
    Ok(())
}

/// The limit on confirming a mobile change (per address, like code verification); each
/// code also takes only a few attempts.
pub async fn limit_confirm(state: &AppState, ip: &ClientIp) -> AppResult<()> {
    let limit = state.rate_limits.otp_verify_per_ip;
    enforce(state, "otp_verify_ip", limit, &[&ip.key()]).await?;
    Ok(())
}

/// The applicant asks to change their mobile: a code goes to the **stored** mobile.
#[utoipa::path(post, path = "/api/v1/me/mobile", tag = "auth", request_body = NewMobile,
    responses((status = 202), (status = 401), (status = 403), (status = 422), (status = 429)))]
pub async fn request_mobile_change(
    State(state): State<AppState>,
    ip: ClientIp,
    current: CurrentActor,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> AppResult<StatusCode> {
    // authority first, then the body
    let person = own_person(&current)?;
    let body: NewMobile = crate::input::from_value(body)?;
    limit_request(&state, &ip, person, &body.mobile).await?;
    persons::request_mobile_change(&state.ctx, person, &body.mobile).await?;
    Ok(StatusCode::ACCEPTED)
}

/// The applicant confirms the change with the code sent to the old mobile.
#[utoipa::path(post, path = "/api/v1/me/mobile/confirm", tag = "auth", request_body = MobileCode,
    responses((status = 200, body = ContactView), (status = 401), (status = 403),
        (status = 422, description = "`invalid_code`"), (status = 429)))]
pub async fn confirm_mobile_change(
    State(state): State<AppState>,
    ip: ClientIp,
    current: CurrentActor,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> AppResult<Json<ContactView>> {
    let person = own_person(&current)?;
    let body: MobileCode = crate::input::from_value(body)?;
    limit_confirm(&state, &ip).await?;
    let code = vamyar_calendar::digits::to_latin_digits(&body.code);
    Ok(Json(
        persons::confirm_mobile_change(&state.ctx, person, &code).await?,
    ))
}
