//! Logging in and out: staff passwords, applicants' one-time codes, who am I, and API tokens
//! for banks and other staff integrations. The rules live in [`crate::auth`]; these handlers
//! read the request and shape the answer.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_store::session::{self, Subject};
use vamyar_store::time;

use crate::AppState;
use crate::auth::actor::{Caller, CurrentActor, caller_of};
use crate::auth::cookies::{CurrentSession, clear_cookie, session_cookie};
use crate::auth::login::{AuthEvent, audit_login};
use crate::auth::otp::{OtpRequest, OtpSent, OtpSession, OtpVerify};
use crate::auth::ratelimit::ClientIp;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::input::ApiJson;

/// The routes of this group.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
        .routes(routes!(request_otp))
        .routes(routes!(verify_otp))
}

/// A staff login.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginInput {
    /// Username.
    pub username: String,
    /// Password.
    pub password: String,
    /// The authenticator app's six-digit code: required of national and province
    /// administrators whose second factor is in force (missing or wrong: 401, one answer).
    #[serde(default)]
    pub totp: Option<String>,
}

/// A successful login.
#[derive(Serialize, ToSchema)]
pub struct LoginOut {
    /// Bearer token (also set as the `vamyar_session` cookie).
    pub token: String,
    /// The account's role.
    pub role: String,
    /// The account's username.
    pub username: String,
    /// When the session stops working (RFC 3339).
    pub expires_at: String,
    /// True for a national or province administrator who has not enrolled the second factor:
    /// the session may only enrol (`POST /api/v1/auth/totp`, `/confirm`) and log out; every
    /// other route answers 403 `totp_enrolment_required` until a code confirms enrolment.
    pub totp_enrolment_required: bool,
}

/// Logs a staff member in: 200 with a token for 8 hours, also set as an HttpOnly cookie.
/// A wrong username or password (or an inactive account) is 401 `invalid_credentials`.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginInput,
    responses((status = 200, body = LoginOut),
        (status = 401, description = "invalid_credentials"),
        (status = 429, description = "too_many_requests, with Retry-After")))]
pub async fn login(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(input): ApiJson<LoginInput>,
) -> AppResult<Response> {
    let done = crate::auth::login::login(
        &state,
        ip,
        &input.username,
        input.password,
        input.totp.as_deref(),
    )
    .await?;
    let cookie = session_cookie(&done.token, state.config.secure_cookies)?;
    let out = LoginOut {
        token: done.token,
        role: done.role.as_str().to_string(),
        username: done.staff.username,
        expires_at: time::ts(done.expires_at),
        totp_enrolment_required: done.totp_enrolment_required,
    };
    Ok(([(header::SET_COOKIE, cookie)], Json(out)).into_response())
}

/// Ends the current session (or revokes the API token used) and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "logged out"), (status = 401, description = "no session")))]
pub async fn logout(
    State(state): State<AppState>,
    ip: ClientIp,
    CurrentSession(current): CurrentSession,
) -> AppResult<Response> {
    end_session(&state, ip, &current).await?;
    let cookie = clear_cookie(state.config.secure_cookies);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// Revokes a session and records the logout (the API's logout and the pages').
pub async fn end_session(
    state: &AppState,
    ip: ClientIp,
    current: &vamyar_store::session::Session,
) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    session::revoke(&mut tx, current.id).await?;
    tx.commit().await?;
    let mut event = AuthEvent::new("logout", "ok", ip);
    event.staff_id = current.staff_user_id;
    event.person_id = current.person_id;
    event.session_id = Some(current.id);
    audit_login(state, &event).await;
    Ok(())
}

/// Who the caller is.
#[derive(Serialize, ToSchema)]
pub struct MeOut {
    /// `staff`, `applicant` or `registrant` (verified a mobile, not registered yet).
    pub kind: String,
    /// The role (`applicant` for applicants and registrants).
    pub role: String,
    /// Staff username.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The records the caller works on (`{"kind": "county", …}`); null for registrants.
    #[schema(value_type = Object)]
    pub scope: serde_json::Value,
    /// The applicant's person id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_id: Option<i64>,
    /// A registrant's national ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub national_id: Option<String>,
    /// A registrant's verified mobile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    /// `session`, `api_token` or `registration`.
    pub session_kind: String,
    /// When the session stops working (RFC 3339).
    pub expires_at: String,
}

/// The current caller: kind, role, username, scope.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    responses((status = 200, body = MeOut), (status = 401, description = "no session")))]
pub async fn me(
    State(state): State<AppState>,
    CurrentSession(current): CurrentSession,
) -> AppResult<Json<MeOut>> {
    let session_kind = current.kind.clone();
    let expires_at = current.expires_at.clone();
    let out = match caller_of(&state, current).await? {
        Caller::Actor(a) => {
            let staff = a.actor.role().is_staff();
            MeOut {
                kind: if staff { "staff" } else { "applicant" }.to_string(),
                role: a.role().as_str().to_string(),
                username: a.username,
                scope: serde_json::to_value(a.actor.scope())
                    .map_err(|e| AppError::Internal(e.to_string()))?,
                person_id: a.actor.person_id(),
                national_id: None,
                mobile: None,
                session_kind,
                expires_at,
            }
        }
        Caller::Registrant {
            national_id,
            mobile,
        } => MeOut {
            kind: "registrant".to_string(),
            role: "applicant".to_string(),
            username: None,
            scope: serde_json::Value::Null,
            person_id: None,
            national_id: Some(national_id),
            mobile: Some(mobile),
            session_kind,
            expires_at,
        },
    };
    Ok(Json(out))
}

/// The longest an API token may live, in days.
pub const MAX_TOKEN_DAYS: i64 = 365;
/// An API token's life when not given, in days.
pub const DEFAULT_TOKEN_DAYS: i64 = 90;

/// A new API token.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    /// What it is for (e.g. the bank's gateway).
    pub name: String,
    /// Days it works: 1–365, 90 by default.
    pub days: Option<i64>,
}

/// A created API token: the secret is shown only this once.
#[derive(Serialize, ToSchema)]
pub struct TokenCreated {
    /// Id, for revoking.
    pub id: i64,
    /// The bearer token.
    pub token: String,
    /// Its name.
    pub name: String,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
}

/// A live API token, without its secret.
#[derive(Serialize, ToSchema)]
pub struct TokenOut {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
    /// When it was last used, if known.
    pub last_seen_at: Option<String>,
}

/// The staff account behind a caller; applicants are refused.
fn staff_id(current: &CurrentActor) -> AppResult<i64> {
    match current.actor.staff_id() {
        Some(id) if current.role().is_staff() => Ok(id),
        _ => Err(AppError::Forbidden),
    }
}

/// Creates an API token for the caller's own account (staff, logged in with a password: a
/// token cannot make further tokens). 201 with the token, shown once.
#[utoipa::path(post, path = "/api/v1/auth/tokens", tag = "auth", request_body = TokenInput,
    responses((status = 201, body = TokenCreated), (status = 401, description = "no session"),
        (status = 403, description = "not staff"),
        (status = 422, description = "field errors")))]
pub async fn create_token(
    State(state): State<AppState>,
    ip: ClientIp,
    current: CurrentActor,
    ApiJson(input): ApiJson<serde_json::Value>,
) -> AppResult<Response> {
    let staff = staff_id(&current)?;
    if current.session.kind != "session" {
        return Err(AppError::Forbidden);
    }
    let input: TokenInput = crate::input::from_value(input)?;
    let mut errors = FieldErrors::new();
    let name = errors.check("name", vamyar_domain::text::normalize_name(&input.name));
    let days = input.days.unwrap_or(DEFAULT_TOKEN_DAYS);
    if !(1..=MAX_TOKEN_DAYS).contains(&days) {
        errors.add("days", "out_of_range");
    }
    errors.finish()?;
    let name = name.ok_or_else(|| AppError::Internal("parsed name missing".into()))?;
    let expires_at = Utc::now() + Duration::days(days);
    let mut tx = state.db.begin().await?;
    let (token, id) = session::create_until(
        &mut tx,
        "api_token",
        &Subject::Staff(staff),
        Some(&name),
        expires_at,
    )
    .await?;
    tx.commit().await?;
    let mut event = AuthEvent::new("token_create", "ok", ip);
    event.staff_id = Some(staff);
    event.session_id = Some(id);
    audit_login(&state, &event).await;
    let out = TokenCreated {
        id,
        token,
        name,
        expires_at: time::ts(expires_at),
    };
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

/// The caller's live API tokens, newest first (never the secrets).
#[utoipa::path(get, path = "/api/v1/auth/tokens", tag = "auth",
    responses((status = 200, body = Vec<TokenOut>), (status = 401, description = "no session"),
        (status = 403, description = "not staff")))]
pub async fn list_tokens(
    State(state): State<AppState>,
    current: CurrentActor,
) -> AppResult<Json<Vec<TokenOut>>> {
    let staff = staff_id(&current)?;
    let tokens = session::api_tokens_of(state.db.pool(), staff).await?;
    Ok(Json(
        tokens
            .into_iter()
            .map(|t| TokenOut {
                id: t.id,
                name: t.name.unwrap_or_default(),
                created_at: t.created_at,
                expires_at: t.expires_at,
                last_seen_at: t.last_seen_at,
            })
            .collect(),
    ))
}

/// Revokes one of the caller's own API tokens: 204; any other id (another account's token,
/// or none) is 404.
#[utoipa::path(delete, path = "/api/v1/auth/tokens/{id}", tag = "auth",
    params(("id" = i64, Path, description = "token id")),
    responses((status = 204, description = "revoked"), (status = 401, description = "no session"),
        (status = 403, description = "not staff"), (status = 404, description = "not found")))]
pub async fn revoke_token(
    State(state): State<AppState>,
    ip: ClientIp,
    current: CurrentActor,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let staff = staff_id(&current)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let revoked = session::revoke_api_token(&mut tx, staff, id).await?;
    tx.commit().await?;
    if !revoked {
        return Err(AppError::NotFound);
    }
    let mut event = AuthEvent::new("token_revoke", "ok", ip);
    event.staff_id = Some(staff);
    event.session_id = Some(id);
    audit_login(&state, &event).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Sends a one-time login code by SMS when the national ID and mobile match a registered
/// person, or to the given mobile when nobody is registered with that national ID. Always
/// 202 `{sent: true}`: the answer never tells whether the person exists.
#[utoipa::path(post, path = "/api/v1/auth/otp", tag = "auth", request_body = OtpRequest,
    responses((status = 202, body = OtpSent), (status = 422, description = "field errors"),
        (status = 429, description = "too_many_requests, with Retry-After")))]
pub async fn request_otp(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(input): ApiJson<OtpRequest>,
) -> AppResult<(StatusCode, Json<OtpSent>)> {
    crate::auth::otp::request_code(&state, ip, &input).await?;
    Ok((StatusCode::ACCEPTED, Json(OtpSent { sent: true })))
}

/// Checks a one-time code: 200 with a session (`applicant`, or `registrant` for someone not
/// registered yet), also set as the cookie. A wrong, expired, used or exhausted code is 401
/// `invalid_code`.
#[utoipa::path(post, path = "/api/v1/auth/otp/verify", tag = "auth", request_body = OtpVerify,
    responses((status = 200, body = OtpSession), (status = 401, description = "invalid_code"),
        (status = 429, description = "too_many_requests, with Retry-After")))]
pub async fn verify_otp(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(input): ApiJson<OtpVerify>,
) -> AppResult<Response> {
    let out = crate::auth::otp::verify_code(&state, ip, &input).await?;
    let cookie = session_cookie(&out.token, state.config.secure_cookies)?;
    Ok(([(header::SET_COOKIE, cookie)], Json(out)).into_response())
}
