//! The file's journey over HTTP: registration, the staff queue, a file with its history and
//! messages, workflow actions, the bank's referral inbox and public tracking.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
pub use vamyar_app::queue::QueueQuery;
use vamyar_domain::vocab::MessageStatus;

use crate::AppState;
use crate::auth::{Caller, CurrentActor};
use crate::error::AppResult;
use crate::files::actions::{self, ActionBody};
use crate::files::history::HistoryItem;
use crate::files::register::{self, RegisterBody, Registered};
use crate::files::view::FileView;
use crate::input::ApiJson;

pub mod queue;
pub mod track;

/// The routes of the file's journey.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register_file, queue::list))
        .routes(routes!(get_file))
        .routes(routes!(history))
        .routes(routes!(messages))
        .routes(routes!(act))
        .routes(routes!(queue::referrals))
        .routes(routes!(track::track))
}

/// Registers a file: the applicant online (after a one-time code), a desk clerk for a
/// walk-in applicant, or a partner gateway. One open file per person per program.
#[utoipa::path(post, path = "/api/v1/applications", tag = "applications",
    request_body = RegisterBody,
    responses((status = 201, body = Registered), (status = 401), (status = 403),
        (status = 409, description = "an open file exists"), (status = 422, description = "field errors")))]
pub async fn register_file(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> AppResult<(StatusCode, Json<Registered>)> {
    let caller = caller.registrant();
    register::may_register(&caller)?;
    let body: RegisterBody = crate::input::from_value(body)?;
    let done = register::register(&state.ctx, caller, body).await?;
    Ok((StatusCode::CREATED, Json(done)))
}

/// A file, with its state, version, priority and service level.
#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "applications",
    params(("id" = i64, Path, description = "file id")),
    responses((status = 200, body = FileView), (status = 401), (status = 404)))]
pub async fn get_file(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
) -> AppResult<Json<FileView>> {
    Ok(Json(
        crate::files::view::get(&state.ctx, &current.actor, id).await?,
    ))
}

/// Every action on a file: who, when, from, to, note.
#[utoipa::path(get, path = "/api/v1/applications/{id}/history", tag = "applications",
    params(("id" = i64, Path, description = "file id")),
    responses((status = 200, body = Vec<HistoryItem>), (status = 401), (status = 404)))]
pub async fn history(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<HistoryItem>>> {
    Ok(Json(
        crate::files::history::history(&state.ctx, &current.actor, id).await?,
    ))
}

/// A message sent (or queued) about a file.
#[derive(Serialize, ToSchema)]
pub struct MessageItem {
    /// What it announces.
    pub event: String,
    /// `pending`, `sent`, `delivered`, `failed`, …
    #[schema(value_type = String)]
    pub status: MessageStatus,
    /// The provider's delivery report, when there is one.
    pub delivery_status: Option<String>,
    /// The text, in the request's language.
    pub text: Option<String>,
    /// When it was queued.
    pub at: String,
}

/// The messages about a file (SMS and portal inbox); one-time codes are never listed.
#[utoipa::path(get, path = "/api/v1/applications/{id}/messages", tag = "applications",
    params(("id" = i64, Path, description = "file id")),
    responses((status = 200, body = Vec<MessageItem>), (status = 401), (status = 404)))]
pub async fn messages(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    crate::lang::ReqLang(lang): crate::lang::ReqLang,
) -> AppResult<Json<Vec<MessageItem>>> {
    crate::files::visible_file(&state.ctx, &current.actor, id).await?;
    let list = vamyar_store::delivery::for_application(&state.db, id).await?;
    Ok(Json(
        list.into_iter()
            .map(|m| {
                let v = crate::routes::messages::view(m, lang);
                MessageItem {
                    event: v.event,
                    status: v.status,
                    delivery_status: v.delivery_status,
                    text: v.text,
                    at: v.at,
                }
            })
            .collect(),
    ))
}

/// The path of an action.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ActionPath {
    /// File id.
    pub id: i64,
    /// `approve`, `return`, `reject`, `resubmit`, `withdraw`, `approve_plan`, `refer`,
    /// `request_guarantees`, `accept_guarantees`, `bank_reject`, `disburse`, `accelerate`.
    pub action: String,
}

/// Performs one workflow action. 409 on a stale `version` or a wrong state; 403 for a role
/// that may not; 404 outside the caller's scope.
#[utoipa::path(post, path = "/api/v1/applications/{id}/actions/{action}", tag = "applications",
    params(ActionPath), request_body = ActionBody,
    responses((status = 200, body = FileView, description = "carried out: the file as it now is"),
        (status = 202, body = vamyar_app::proposals::Proposed, description = "the act needs a second person (four eyes: `accelerate`): `{\"proposal\": {...}}`, the file unchanged; `POST /api/v1/proposals/{id}/confirm` carries it out"),
        (status = 401), (status = 403), (status = 404),
        (status = 409, description = "stale `version`, wrong state, or `proposal_pending` (the same act already awaits confirmation)"),
        (status = 422)))]
pub async fn act(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(p): Path<ActionPath>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    Ok(
        match actions::act(&state.ctx, &current.actor, p.id, &p.action, body).await? {
            actions::Performed::Done(view) => Json(*view).into_response(),
            actions::Performed::Proposed(proposed) => {
                (axum::http::StatusCode::ACCEPTED, Json(*proposed)).into_response()
            }
        },
    )
}
