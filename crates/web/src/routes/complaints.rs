//! Complaints and appeals over HTTP (`vamyar_app::complaints` does the work): the list the
//! caller may see, filing one (the applicant about their file, a desk clerk for them), one
//! complaint, and the office head's answer.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_app::complaints::{self, AnswerBody, ComplaintBody, ComplaintView};

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;
use crate::input::ApiJson;

/// The complaint routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, file))
        .routes(routes!(get))
        .routes(routes!(answer))
}

/// The complaints and appeals the caller may see, open ones first: the applicant their own,
/// county staff their county's, the province's administrator the province's, headquarters
/// and auditors all. Bank officers have no part in complaints.
#[utoipa::path(get, path = "/api/v1/complaints", tag = "complaints",
    responses((status = 200, body = Vec<ComplaintView>), (status = 401),
        (status = 403, description = "bank officers")))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentActor,
) -> AppResult<Json<Vec<ComplaintView>>> {
    Ok(Json(complaints::list(&state.ctx, &current.actor).await?))
}

/// Files a complaint, or an appeal against the file's rejection: the applicant about their
/// own file, a desk clerk for the applicant of a file in their county. The receipt with the
/// ticket number (the id) and the answer's due day goes to the applicant by SMS and inbox.
#[utoipa::path(post, path = "/api/v1/complaints", tag = "complaints",
    request_body = ComplaintBody,
    responses((status = 201, body = ComplaintView), (status = 401),
        (status = 403, description = "roles other than the applicant and the desk clerk"),
        (status = 422, description = "field errors: `tracking_code` unknown or not the \
            caller's (`complaint_file_unknown`), `kind` (`invalid_choice`, \
            `appeal_needs_rejection`, `appeal_already_open`), `body` (`required`, `too_long`)")))]
pub async fn file(
    State(state): State<AppState>,
    current: CurrentActor,
    ApiJson(body): ApiJson<ComplaintBody>,
) -> AppResult<(StatusCode, Json<ComplaintView>)> {
    let c = complaints::file(&state.ctx, &current.actor, body).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// One complaint, for whoever may see its file.
#[utoipa::path(get, path = "/api/v1/complaints/{id}", tag = "complaints",
    params(("id" = i64, Path, description = "complaint id (the ticket number)")),
    responses((status = 200, body = ComplaintView), (status = 401),
        (status = 403, description = "bank officers"),
        (status = 404, description = "no such complaint, or its file is not visible")))]
pub async fn get(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
) -> AppResult<Json<ComplaintView>> {
    Ok(Json(complaints::get(&state.ctx, &current.actor, id).await?))
}

/// The county's office head answers a complaint (once): `upheld` or `dismissed` with the
/// answer's text, sent to the applicant by SMS and inbox. An upheld appeal against a file
/// still rejected reopens it for a second social-work review.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/answer", tag = "complaints",
    params(("id" = i64, Path, description = "complaint id (the ticket number)")),
    request_body = AnswerBody,
    responses((status = 200, body = ComplaintView), (status = 401),
        (status = 403, description = "any role but the county's office head"),
        (status = 404, description = "no such complaint, or its file is not visible"),
        (status = 409, description = "`complaint_answered`, or the file changed meanwhile \
            (`stale_version`)"),
        (status = 422, description = "field errors: `outcome`, `answer`")))]
pub async fn answer(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<AnswerBody>,
) -> AppResult<Json<ComplaintView>> {
    Ok(Json(
        complaints::answer(&state.ctx, &current.actor, id, body).await?,
    ))
}
