//! Reports over HTTP (`vamyar_app::reports` does the work): the list the caller may see, and
//! one report as JSON, CSV or XLSX.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_app::reports::export::{self, ReportJson};
use vamyar_app::reports::{self, Format, ReportEntry, ReportQuery};

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};
use crate::lang::ReqLang;

/// The report routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(report))
}

/// The reports the caller may see: national administrators and auditors (everything),
/// province administrators (their province) and bank officers (their bank).
#[utoipa::path(get, path = "/api/v1/reports", tag = "reports",
    responses((status = 200, body = Vec<ReportEntry>), (status = 401), (status = 403)))]
pub async fn list(current: CurrentActor, lang: ReqLang) -> AppResult<Json<Vec<ReportEntry>>> {
    Ok(Json(reports::list(&current.actor, lang.0)?))
}

/// One report, narrowed to the caller's scope: JSON by default, or a download with
/// `?format=csv` (UTF-8 with a BOM) or `?format=xlsx`, headers in the request's language.
#[utoipa::path(get, path = "/api/v1/reports/{name}", tag = "reports",
    params(("name" = String, Path,
        description = "`funnel`, `disbursements`, `quotas`, `portfolio`, `jobs` or `priority`"),
        ReportQuery),
    responses(
        (status = 200, body = ReportJson,
            description = "the report; with `format=csv` or `xlsx` the file as an attachment"),
        (status = 401), (status = 403),
        (status = 404, description = "no report of this name"),
        (status = 422, description = "a filter is wrong, does not apply to the report, or is \
            outside the caller's scope (`outside_your_scope`)")))]
pub async fn report(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(name): Path<String>,
    lang: ReqLang,
    Query(q): Query<ReportQuery>,
) -> AppResult<Response> {
    let report = reports::run(&state.ctx, &current.actor, &name, &q, lang.0).await?;
    let format = Format::parse(q.format.as_deref()).unwrap_or(Format::Json);
    let Some(file) = reports::download::file(&report, format)? else {
        return Ok(Json(export::json(&report)).into_response());
    };
    let disposition = format!("attachment; filename=\"{}\"", file.file_name);
    let mut res = Body::from(file.bytes).into_response();
    let h = res.headers_mut();
    let value = |s: &str| HeaderValue::from_str(s).map_err(|e| AppError::Internal(e.to_string()));
    h.insert(header::CONTENT_TYPE, value(file.content_type)?);
    h.insert(header::CONTENT_DISPOSITION, value(&disposition)?);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}
