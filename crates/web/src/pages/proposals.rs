//! Four eyes for staff: the proposals awaiting the caller's confirmation
//! and the administrative changes awaiting it (`/desk/proposals`, with the changes' confirm
//! and reject forms), one proposal with its confirm and reject forms
//! (`/desk/proposals/{id}`), and the forms' handlers. A refusal (the proposer confirming,
//! an expired proposal, a file that moved) shows the proposal page again with the reason.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::json;
use vamyar_app::admin::changes;
use vamyar_app::proposals::{self, ProposalView};

use super::detail::Pair;
use super::proposal_line::{Line, act_name};
use super::{Chrome, PageCtx, PageForm, fmt, ok, page, see_other};
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};

mod change_lines;

use change_lines::ChangeLine;

/// The list page.
#[derive(Template)]
#[template(path = "pages/proposals.html")]
pub struct ListPage {
    /// The frame.
    pub c: Chrome,
    /// The proposals to decide, oldest first.
    pub lines: Vec<Line>,
    /// The administrative changes to decide, oldest first.
    pub changes: Vec<ChangeLine>,
}

/// One proposal's page.
#[derive(Template)]
#[template(path = "pages/proposal.html")]
pub struct ProposalPage {
    /// The frame.
    pub c: Chrome,
    /// Proposal id.
    pub id: i64,
    /// The file's page.
    pub file_href: String,
    /// The file's tracking code.
    pub tracking_code: String,
    /// Status, as shown.
    pub status: String,
    /// `pending`, `confirmed`, `rejected` or `expired`.
    pub status_code: String,
    /// What, by whom, when, why, until when.
    pub facts: Vec<Pair>,
    /// The caller may confirm or reject it.
    pub may_decide: bool,
    /// The caller proposed it (and so may not decide).
    pub own: bool,
    /// The note typed in a refused form.
    pub note: String,
}

fn staff(ctx: &PageCtx) -> AppResult<CurrentActor> {
    let current = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    if !current.role().is_staff() {
        return Err(AppError::Forbidden);
    }
    Ok(current)
}

/// The pages of four eyes: the list, a proposal and its forms, and the payments table's
/// reversal form.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/desk/proposals", get(list))
        .route("/desk/proposals/{id}", get(show))
        .route("/desk/proposals/{id}/confirm", post(confirm))
        .route("/desk/proposals/{id}/reject", post(reject))
        .route("/desk/changes/{id}/confirm", post(confirm_change))
        .route("/desk/changes/{id}/reject", post(reject_change))
        .route(
            "/desk/payments/{id}/reversal",
            post(super::loan_forms::reverse_payment),
        )
}

/// `GET /desk/proposals`: the proposals and the administrative changes awaiting the caller.
pub async fn list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let out = list_page(&state, &ctx).await?;
    ok(&ctx, &out)
}

async fn list_page(state: &AppState, ctx: &PageCtx) -> AppResult<ListPage> {
    let current = staff(ctx)?;
    let lang = ctx.lang;
    let lines = proposals::list(&state.ctx, &current.actor)
        .await?
        .into_iter()
        .map(|p| Line {
            href: format!("/desk/proposals/{}", p.id),
            tracking_code: p.tracking_code,
            act: act_name(lang, &p.action),
            by: p.proposed_by,
            at: fmt::datetime(lang, &p.proposed_at),
            expires: fmt::date(lang, &p.expires_on),
        })
        .collect();
    let pending = changes::list(&state.ctx, &current.actor).await?;
    let changes = change_lines::lines(state, lang, pending).await?;
    let c = Chrome::new(ctx, "pg-proposals-title");
    Ok(ListPage { c, lines, changes })
}

/// `POST /desk/changes/{id}/confirm` and `/reject`: back to the list with the outcome; a
/// refusal (the proposer, an expired change, a change that no longer passes its checks)
/// shows the list again with the reason.
async fn decide_change(
    state: AppState,
    id: i64,
    ctx: PageCtx,
    form: super::FormData,
    confirm: bool,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    let body = json!({"note": form.get("note")});
    let result = if confirm {
        changes::confirm(&state.ctx, &current.actor, id, body).await
    } else {
        changes::reject(&state.ctx, &current.actor, id, body).await
    };
    match result.map_err(AppError::from) {
        Ok(_) => Ok(see_other(
            &ctx,
            &format!(
                "/desk/proposals?done={}",
                if confirm {
                    "change_confirmed"
                } else {
                    "change_rejected"
                }
            ),
        )),
        Err(
            e @ (AppError::Refused(_)
            | AppError::Conflict(_)
            | AppError::Forbidden
            | AppError::Validation(_)),
        ) => {
            let mut out = list_page(&state, &ctx).await?;
            out.c.refuse_text(e.message(ctx.lang));
            page(&ctx, e.status_code(), &out)
        }
        Err(e) => Err(e),
    }
}

/// `POST /desk/changes/{id}/confirm`.
pub async fn confirm_change(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    decide_change(state, id, ctx, form, true).await
}

/// `POST /desk/changes/{id}/reject`.
pub async fn reject_change(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    decide_change(state, id, ctx, form, false).await
}

fn build(ctx: &PageCtx, current: &CurrentActor, p: ProposalView, note: String) -> ProposalPage {
    let lang = ctx.lang;
    let t = |id: &str| vamyar_i18n::text(lang, id, &[]);
    let mut facts = vec![
        Pair {
            label: t("pg-proposal-act"),
            value: act_name(lang, &p.action),
        },
        Pair {
            label: t("pg-proposal-by"),
            value: p.proposed_by.clone(),
        },
        Pair {
            label: t("pg-proposal-at"),
            value: fmt::datetime(lang, &p.proposed_at),
        },
        Pair {
            label: t("pg-proposal-expires"),
            value: fmt::date(lang, &p.expires_on),
        },
    ];
    if let Some(r) = &p.reason {
        facts.push(Pair {
            label: t("pg-field-reason"),
            value: r.clone(),
        });
    }
    if p.action == "reversal" {
        if let Some(amount) = p.detail["amount"].as_i64() {
            facts.push(Pair {
                label: t("pg-amount"),
                value: fmt::tomans(lang, amount),
            });
        }
        if let Some(d) = p.detail["paid_on"].as_str() {
            facts.push(Pair {
                label: t("pg-field-paid-on"),
                value: fmt::date(lang, d),
            });
        }
        if let Some(r) = p.detail["bank_reference"].as_str() {
            facts.push(Pair {
                label: t("pg-field-bank-reference"),
                value: fmt::code(r),
            });
        }
    }
    if let Some(by) = &p.decided_by {
        facts.push(Pair {
            label: t("pg-proposal-decided-by"),
            value: by.clone(),
        });
    }
    if let Some(n) = &p.decision_note {
        facts.push(Pair {
            label: t("pg-field-note"),
            value: n.clone(),
        });
    }
    let own = current.username.as_deref() == Some(p.proposed_by.as_str());
    let mut c = Chrome::new(ctx, "pg-proposal-title");
    c.title = format!("{} — {}", c.title, act_name(lang, &p.action));
    ProposalPage {
        c,
        id: p.id,
        file_href: format!("/desk/files/{}", p.application_id),
        tracking_code: p.tracking_code,
        status: t(&format!("pg-proposal-status-{}", p.status)),
        status_code: p.status,
        facts,
        may_decide: p.may_decide,
        own,
        note,
    }
}

/// `GET /desk/proposals/{id}`.
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ctx: PageCtx,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    let p = proposals::get(&state.ctx, &current.actor, id).await?;
    ok(&ctx, &build(&ctx, &current, p, String::new()))
}

/// `POST /desk/proposals/{id}/confirm` and `/reject`.
async fn decide(
    state: AppState,
    id: i64,
    ctx: PageCtx,
    form: super::FormData,
    confirm: bool,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    let body = json!({"note": form.get("note")});
    let result = if confirm {
        proposals::confirm(&state.ctx, &current.actor, id, body).await
    } else {
        proposals::reject(&state.ctx, &current.actor, id, body).await
    };
    match result.map_err(AppError::from) {
        Ok(_) => Ok(see_other(
            &ctx,
            &format!(
                "/desk/proposals/{id}?done={}",
                if confirm {
                    "proposal_confirmed"
                } else {
                    "proposal_rejected"
                }
            ),
        )),
        Err(
            e @ (AppError::Refused(_)
            | AppError::Conflict(_)
            | AppError::StaleVersion
            | AppError::Validation(_)),
        ) => {
            let p = proposals::get(&state.ctx, &current.actor, id).await?;
            let mut out = build(&ctx, &current, p, form.raw("note"));
            out.c.refuse_text(e.message(ctx.lang));
            page(&ctx, e.status_code(), &out)
        }
        Err(e) => Err(e),
    }
}

/// `POST /desk/proposals/{id}/confirm`.
pub async fn confirm(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    decide(state, id, ctx, form, true).await
}

/// `POST /desk/proposals/{id}/reject`.
pub async fn reject(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    decide(state, id, ctx, form, false).await
}
