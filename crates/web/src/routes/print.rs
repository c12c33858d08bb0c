//! Printed documents over HTTP: a file's referral letter and a loan's repayment schedule as
//! PDF attachments (for whoever may see the file or loan; 404 for everyone else, as for the
//! file itself), and the public check of a letter by its verification code.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_app::print::verify::{self, VerifiedLetter};
use vamyar_app::print::{Printed, letter, schedule};

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};
use crate::lang::ReqLang;

/// The routes of printed documents.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(referral_letter))
        .routes(routes!(repayment_schedule))
        .routes(routes!(verify_letter))
}

/// The site's address as the request reached it (`https://host`), printed on letters before
/// `/verify/{code}`; empty when the `Host` header is missing or not a plain host name.
pub fn site(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        });
    match host {
        Some(host) if state.config.secure_cookies => format!("https://{host}"),
        Some(host) => format!("http://{host}"),
        None => String::new(),
    }
}

/// A PDF as an attachment named without personal data; never cached (letters and schedules
/// carry names and amounts).
pub fn attachment(p: Printed) -> AppResult<Response> {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", p.file_name))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let mut res = Body::from(p.pdf).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    h.insert(header::CONTENT_DISPOSITION, disposition);
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(res)
}

/// The file's referral letter (معرفی‌نامه) as PDF: number, bank and branch, applicant,
/// amount, memorandum, validity and the verification code with the address of the public
/// page that confirms it. For anyone who may see the file (the applicant, staff whose scope
/// covers it, the officer of the referral's bank); 404 while the file was never referred.
#[utoipa::path(get, path = "/api/v1/applications/{id}/referral-letter.pdf", tag = "print",
    params(("id" = i64, Path, description = "file id")),
    responses((status = 200, content_type = "application/pdf",
            description = "the letter as an attachment `referral-{letter number}.pdf`"),
        (status = 401), (status = 404, description = "no such file, not visible to the caller, or never referred")))]
pub async fn referral_letter(
    State(state): State<AppState>,
    current: CurrentActor,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let site = site(&state, &headers);
    attachment(letter::referral_letter(&state.ctx, &current.actor, id, &site).await?)
}

/// The loan's repayment schedule as PDF: the loan's header and every installment with its
/// Jalali due date, principal, fee, late charge, paid and remaining amounts and status, with
/// exact totals. For anyone who may see the loan (the borrower, staff whose scope covers the
/// file, the loan's bank).
#[utoipa::path(get, path = "/api/v1/loans/{id}/schedule.pdf", tag = "print",
    params(("id" = i64, Path, description = "loan id")),
    responses((status = 200, content_type = "application/pdf",
            description = "the schedule as an attachment `schedule-{contract number}.pdf`"),
        (status = 401), (status = 404)))]
pub async fn repayment_schedule(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    attachment(schedule::repayment_schedule(&state.ctx, &current.actor, id).await?)
}

/// Confirms a printed referral letter by its verification code: number, bank and branch,
/// amount, dates and whether it is valid, expired, used or withdrawn. Nothing about the
/// applicant. Public, limited per address like tracking.
#[utoipa::path(get, path = "/api/v1/verify/{code}", tag = "public",
    params(("code" = String, Path, description = "the letter's 16-digit verification code, any digits, hyphens allowed")),
    responses((status = 200, body = VerifiedLetter), (status = 404, description = "no letter has this code"),
        (status = 422, description = "not a well-formed code (`verification_code_*`)")))]
pub async fn verify_letter(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Path(code): Path<String>,
) -> AppResult<Json<VerifiedLetter>> {
    Ok(Json(verify::verify(&state.ctx, &code, lang).await?))
}
