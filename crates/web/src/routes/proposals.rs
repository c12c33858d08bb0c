//! Four eyes over HTTP: the proposals a caller may confirm, one proposal, confirming and
//! rejecting, and proposing a payment's reversal (`vamyar_app::proposals`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_app::proposals::{self, DecisionBody, ProposalView, Proposed, ReversalBody};

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};
use crate::input::ApiJson;

/// The routes of proposals.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(get_one))
        .routes(routes!(confirm))
        .routes(routes!(reject))
        .routes(routes!(reversal))
}

fn staff(current: &CurrentActor) -> AppResult<()> {
    if current.actor.role().is_staff() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The pending proposals the caller may confirm or reject: in their scope, not their own,
/// oldest first.
#[utoipa::path(get, path = "/api/v1/proposals", tag = "proposals",
    responses((status = 200, body = Vec<ProposalView>), (status = 401), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentActor,
) -> AppResult<Json<Vec<ProposalView>>> {
    staff(&current)?;
    Ok(Json(proposals::list(&state.ctx, &current.actor).await?))
}

/// One proposal (staff who see its file; `may_decide` says whether the caller may confirm).
#[utoipa::path(get, path = "/api/v1/proposals/{id}", tag = "proposals",
    params(("id" = i64, Path, description = "proposal id")),
    responses((status = 200, body = ProposalView), (status = 401), (status = 403, description = "not staff"), (status = 404)))]
pub async fn get_one(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
) -> AppResult<Json<ProposalView>> {
    Ok(Json(proposals::get(&state.ctx, &current.actor, id).await?))
}

/// Confirms a proposal and carries the act out on the file as it is now (a second eligible
/// person; never the proposer).
#[utoipa::path(post, path = "/api/v1/proposals/{id}/confirm", tag = "proposals",
    params(("id" = i64, Path, description = "proposal id")),
    request_body = DecisionBody,
    responses((status = 200, body = ProposalView, description = "confirmed and carried out"),
        (status = 401), (status = 403, description = "`proposer_cannot_confirm`, or not a second person for this act"),
        (status = 404),
        (status = 409, description = "`proposal_expired`, `proposal_decided` (another decision came first), or the act no longer fits (`invalid_state`, `stale_version`, `loan_closed`, `loan_accelerated`, `payment_already_reversed`)")))]
pub async fn confirm(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> AppResult<Json<ProposalView>> {
    Ok(Json(
        proposals::confirm(&state.ctx, &current.actor, id, body).await?,
    ))
}

/// Rejects a proposal: nothing is carried out.
#[utoipa::path(post, path = "/api/v1/proposals/{id}/reject", tag = "proposals",
    params(("id" = i64, Path, description = "proposal id")),
    request_body = DecisionBody,
    responses((status = 200, body = ProposalView, description = "rejected"),
        (status = 401), (status = 403, description = "`proposer_cannot_confirm`, or not a second person for this act"),
        (status = 404), (status = 409, description = "`proposal_expired` or `proposal_decided`")))]
pub async fn reject(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> AppResult<Json<ProposalView>> {
    Ok(Json(
        proposals::reject(&state.ctx, &current.actor, id, body).await?,
    ))
}

/// Proposes the reversal of a payment (an officer of its bank, with a reason): 202 with the
/// proposal; another officer of the bank (or the national admin) confirms it, and the loan is
/// then recomputed as if the payment had never been made. With `[four_eyes] reversal = false`
/// it is carried out at once (200, the proposal `confirmed`).
#[utoipa::path(post, path = "/api/v1/payments/{id}/reversal", tag = "proposals",
    params(("id" = i64, Path, description = "payment id")),
    request_body = ReversalBody,
    responses((status = 202, body = Proposed, description = "proposed: `{\"proposal\": {...}}`, nothing changed yet"),
        (status = 200, body = Proposed, description = "four eyes off for reversals: reversed at once"),
        (status = 401), (status = 403), (status = 404),
        (status = 409, description = "`payment_already_reversed`, `loan_closed`, `loan_accelerated`, `proposal_pending`"),
        (status = 422, description = "`reason` missing")))]
pub async fn reversal(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> AppResult<(StatusCode, Json<Proposed>)> {
    let proposed = proposals::propose_reversal(&state.ctx, &current.actor, id, body).await?;
    let status = if proposed.proposal.status == "pending" {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(proposed)))
}
