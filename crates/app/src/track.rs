//! Public tracking: the stage and dates of a file from its tracking code, nothing personal.

use serde::Serialize;
use utoipa::ToSchema;
use vamyar_domain::primitives::TrackingCode;

use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};

/// One step of the public timeline.
#[derive(Serialize, ToSchema)]
pub struct TrackStep {
    /// The state reached.
    pub state: String,
    /// When (ISO date).
    pub on: String,
}

/// What anyone with the tracking code may know.
#[derive(Serialize, ToSchema)]
pub struct Tracked {
    /// The code asked about.
    pub tracking_code: String,
    /// The current stage.
    pub state: String,
    /// When it was submitted (ISO date).
    pub submitted_on: String,
    /// When it reached the current stage (ISO date).
    pub since: String,
    /// The stages passed, oldest first.
    pub steps: Vec<TrackStep>,
}

/// The stage and dates of a file; no names, amounts or identifiers.
/// Dates are Tehran's calendar days.
pub async fn track(ctx: &Ctx, code: &str) -> Result<Tracked> {
    let mut errors = FieldErrors::new();
    let code = errors.check("tracking_code", TrackingCode::parse(code));
    errors.finish()?;
    let code = code.ok_or(Error::NotFound)?;
    let app = vamyar_store::application::by_tracking_code(ctx.db.pool(), code.as_str())
        .await?
        .ok_or(Error::NotFound)?;
    let day = |ts: &str| -> Result<String> {
        Ok(vamyar_store::time::date(vamyar_calendar::tehran_date(
            vamyar_store::time::parse_ts(ts)?,
        )))
    };
    let steps = vamyar_store::application::history(ctx.db.pool(), app.id)
        .await?
        .into_iter()
        .map(|e| {
            Ok(TrackStep {
                state: e.to_state,
                on: day(&e.created_at)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Tracked {
        submitted_on: day(&app.submitted_at)?,
        since: day(&app.state_changed_at)?,
        tracking_code: app.tracking_code,
        state: app.state.to_string(),
        steps,
    })
}
