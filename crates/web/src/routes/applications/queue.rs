//! The staff queue (highest priority first) and the bank's referral inbox over HTTP
//! (`vamyar_app::queue` does the work).

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use vamyar_app::files::view::FileView;
use vamyar_app::queue::{self, InboxQuery, QueueQuery, ReferralItem};

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;

/// The queue in the caller's scope, highest priority first, then oldest; one page. Files
/// whose loan was disbursed (`active`, `accelerated`) come after every file still waiting.
/// When there are more, a `Link: <…?after=…>; rel="next"` header gives the next page.
#[utoipa::path(get, path = "/api/v1/applications", tag = "applications",
    params(QueueQuery),
    responses((status = 200, body = Vec<FileView>,
        headers(("Link" = String, description = "`<URL>; rel=\"next\"` when there is a next page"))),
        (status = 401), (status = 403), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentActor,
    Query(q): Query<QueueQuery>,
) -> AppResult<Response> {
    let page = queue::list(&state.ctx, &current.actor, &q).await?;
    let mut response = Json(page.items).into_response();
    if let Some(after) = page.next {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (k, v) in [("state", &q.state), ("county", &q.county)] {
            if let Some(v) = v {
                pairs.push((k, v.clone()));
            }
        }
        if let Some(b) = q.breached {
            pairs.push(("breached", b.to_string()));
        }
        if let Some(l) = q.limit {
            pairs.push(("limit", l.to_string()));
        }
        pairs.push(("after", after));
        next_link(&mut response, "/api/v1/applications", &pairs);
    }
    Ok(response)
}

/// The referrals to the caller's bank (and branch, if the officer has one), newest first;
/// one page, with `Link: <…?before=…>; rel="next"` when there are older ones.
#[utoipa::path(get, path = "/api/v1/referrals", tag = "applications",
    params(InboxQuery),
    responses((status = 200, body = Vec<ReferralItem>,
        headers(("Link" = String, description = "`<URL>; rel=\"next\"` when there is a next page"))),
        (status = 401), (status = 403), (status = 422)))]
pub async fn referrals(
    State(state): State<AppState>,
    current: CurrentActor,
    Query(q): Query<InboxQuery>,
) -> AppResult<Response> {
    let page = queue::referrals(&state.ctx, &current.actor, &q).await?;
    let mut response = Json(page.items).into_response();
    if let Some(before) = page.next {
        let mut pairs: Vec<(&str, String)> = vec![("before", before.to_string())];
        if let Some(s) = &q.status {
            pairs.push(("status", s.clone()));
        }
        if let Some(l) = q.limit {
            pairs.push(("limit", l.to_string()));
        }
        next_link(&mut response, "/api/v1/referrals", &pairs);
    }
    Ok(response)
}

/// Sets `Link: <path?query>; rel="next"`.
fn next_link(response: &mut Response, path: &str, pairs: &[(&str, String)]) {
    let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
    if let Ok(v) = HeaderValue::from_str(&format!("<{path}?{query}>; rel=\"next\"")) {
        response.headers_mut().insert(header::LINK, v);
    }
}
