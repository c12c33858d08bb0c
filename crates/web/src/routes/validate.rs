//! Checking an applicant's details without registering anything: the portal's form uses it
//! to mark fields as people type, and partner gateways to check a batch before sending it.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::applicant::{Applicant, ApplicantInput, DbGeography};
use crate::error::{AppResult, FieldErrors};
use crate::input::ApiJson;

/// The answer when every field is valid: the details as they would be stored.
#[derive(Serialize, ToSchema)]
pub struct ValidApplicant {
    /// Always true.
    pub valid: bool,
    /// The normalised details.
    pub applicant: Applicant,
}

/// Checks an applicant's details: 200 with the normalised values, or 422 with a message for
/// every wrong field. Stores nothing.
#[utoipa::path(post, path = "/api/v1/applicants/validate", tag = "applications",
    request_body = ApplicantInput,
    responses((status = 200, body = ValidApplicant), (status = 422, description = "field errors")))]
pub async fn validate_applicant(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<ApplicantInput>,
) -> AppResult<Json<ValidApplicant>> {
    let geo = DbGeography::load(&state.ctx).await?;
    let mut errors = FieldErrors::new();
    let today = state.ctx.today();
    let applicant = input.parse("", &geo, today, &mut errors);
    errors.finish()?;
    let applicant = applicant.ok_or_else(|| {
        crate::error::AppError::Internal("parse without errors returned nothing".into())
    })?;
    Ok(Json(ValidApplicant {
        valid: true,
        applicant,
    }))
}
