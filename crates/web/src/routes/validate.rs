//! Checking an applicant's details without registering anything: the portal's form uses it
//! to mark fields as people type, and partner gateways to check a batch before sending it.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::applicant::{Applicant, ApplicantInput, Geography};
use crate::error::{AppResult, FieldErrors};
use crate::input::ApiJson;

/// Counties and their provinces, loaded from the database.
pub struct DbGeography {
    counties: HashMap<String, String>,
}

impl DbGeography {
    /// Loads the geography.
    pub async fn load(state: &AppState) -> AppResult<DbGeography> {
        let counties = vamyar_store::reference::counties(&state.db).await?;
        Ok(DbGeography {
            counties: counties
                .into_iter()
                .map(|c| (c.code, c.province_code))
                .collect(),
        })
    }
}

impl Geography for DbGeography {
    fn province_of(&self, county: &str) -> Option<String> {
        self.counties.get(county).cloned()
    }
    fn has_province(&self, province: &str) -> bool {
        self.counties.values().any(|p| p == province)
    }
}

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
    let geo = DbGeography::load(&state).await?;
    let mut errors = FieldErrors::new();
    let today = chrono::Utc::now().date_naive();
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
