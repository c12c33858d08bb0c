//! The staff queue: the files in the caller's scope, highest priority first, with
//! service-level badges (on time / due soon / breached) and filters by state, county and
//! breach. The filters are a plain GET form; with htmx they swap only the table.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use vamyar_domain::workflow::State as FileState;

use super::apply::Opt;
use super::problems::{Money, by_table};
use super::{Chrome, PageCtx, fmt, ok};
use crate::AppState;
use crate::error::{AppError, AppResult};
use vamyar_app::queue::QueueQuery;

/// Files on one page of the queue.
const PAGE: i64 = 50;

/// The queue's filters as typed.
#[derive(Debug, Default, Deserialize)]
pub struct QueueParams {
    /// A state name, or empty for all.
    pub state: Option<String>,
    /// A county code, or empty for all in scope.
    pub county: Option<String>,
    /// `1` for breached files only.
    pub breached: Option<String>,
    /// Where the page starts (the previous page's cursor).
    pub after: Option<String>,
}

/// A row of the queue.
#[derive(Clone, Debug)]
pub struct QueueRow {
    /// File id.
    pub id: i64,
    /// Tracking code.
    pub tracking_code: String,
    /// Applicant's name.
    pub name: String,
    /// The stage's name.
    pub state: String,
    /// Priority score.
    pub score: String,
    /// `on_time`, `due_soon` or `breached`.
    pub sla: String,
    /// The badge's text.
    pub sla_text: String,
    /// Working days left, as shown.
    pub remaining: String,
    /// Submitted on.
    pub submitted: String,
}

/// The queue page.
#[derive(Template)]
#[template(path = "pages/queue.html")]
pub struct QueuePage {
    /// The frame.
    pub c: Chrome,
    /// The rows.
    pub rows: Vec<QueueRow>,
    /// State choices.
    pub states: Vec<Opt>,
    /// County choices (those in scope).
    pub counties: Vec<Opt>,
    /// The filters as typed.
    pub state: String,
    /// County filter.
    pub county: String,
    /// Breached only.
    pub breached: bool,
    /// The link to the next page, with the filters, when there is one.
    pub next: Option<String>,
}

/// `GET /desk`: the queue (staff).
pub async fn queue(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(p): Query<QueueParams>,
) -> AppResult<Response> {
    let current = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    if !current.role().is_staff() {
        return Err(AppError::Forbidden);
    }
    let lang = ctx.lang;
    let filter_state = p.state.clone().filter(|s| !s.is_empty());
    let filter_county = p.county.clone().filter(|s| !s.is_empty());
    let breached = p.breached.as_deref() == Some("1");
    let q = QueueQuery {
        state: filter_state.clone(),
        county: filter_county.clone(),
        breached: breached.then_some(true),
        limit: Some(PAGE),
        after: p.after.clone().filter(|s| !s.is_empty()),
    };
    let mut c = Chrome::new(&ctx, "pg-queue-title");
    c.htmx = true;
    let (views, next) = match vamyar_app::queue::list(&state.ctx, &current.actor, &q)
        .await
        .map_err(AppError::from)
    {
        Ok(page) => (page.items, page.next),
        Err(e @ AppError::Validation(_)) => {
            c.refuse(
                &e,
                &by_table(
                    lang,
                    &[
                        ("state", "f-state", "pg-field-state"),
                        ("county", "f-county", "pg-field-county"),
                    ],
                ),
                Money::Rials,
            );
            (Vec::new(), None)
        }
        Err(e) => return Err(e),
    };
    let next = next.map(|after| {
        let mut pairs = vec![
            ("state", filter_state.clone().unwrap_or_default()),
            ("county", filter_county.clone().unwrap_or_default()),
        ];
        if breached {
            pairs.push(("breached", "1".into()));
        }
        pairs.push(("after", after));
        format!(
            "/desk?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    });
    let rows = views
        .iter()
        .map(|v| QueueRow {
            id: v.id,
            tracking_code: fmt::digits(lang, &v.tracking_code),
            name: format!(
                "{} {}",
                v.applicant["first_name"].as_str().unwrap_or_default(),
                v.applicant["last_name"].as_str().unwrap_or_default()
            ),
            state: fmt::state(lang, &v.state),
            score: fmt::num(lang, v.priority.score),
            sla: v.sla.status.clone(),
            sla_text: fmt::sla(lang, &v.sla.status),
            remaining: if v.sla.target_days.is_some() {
                vamyar_i18n::text(lang, "pg-days-left", &[("n", v.sla.remaining.into())])
            } else {
                String::new()
            },
            submitted: fmt::date(lang, &v.submitted_at),
        })
        .collect();
    let states = [
        FileState::Submitted,
        FileState::NeedsCorrection,
        FileState::DocumentsPending,
        FileState::Counselling,
        FileState::AwaitingReferral,
        FileState::Referred,
        FileState::GuaranteesPending,
        FileState::BankApproved,
        FileState::Active,
        FileState::Accelerated,
    ]
    .iter()
    .map(|s| Opt {
        value: s.as_str().to_string(),
        label: fmt::state(lang, s.as_str()),
    })
    .collect();
    let scope = current.actor.scope();
    let counties = vamyar_store::reference::counties(&state.db)
        .await?
        .into_iter()
        .filter(|c| match scope {
            vamyar_domain::policy::Scope::County { county_code, .. } => &c.code == county_code,
            vamyar_domain::policy::Scope::Province { province_code } => {
                &c.province_code == province_code
            }
            _ => true,
        })
        .map(|c| Opt {
            label: if lang == vamyar_i18n::Lang::Fa {
                c.name_fa
            } else {
                c.name_en
            },
            value: c.code,
        })
        .collect();
    ok(
        &ctx,
        &QueuePage {
            c,
            rows,
            states,
            counties,
            state: filter_state.unwrap_or_default(),
            county: filter_county.unwrap_or_default(),
            breached,
            next,
        },
    )
}
