//! The staff file page: the person and household, the priority breakdown, the documents
//! (view, accept, reject with a reason), counselling, the referral, history and messages,
//! and a form for exactly the actions the caller's role may take now
//! (`FileView.available_actions`). Its POST handlers live in [`super::file_forms`].

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use vamyar_domain::workflow::Role;
use vamyar_i18n::Lang;

use super::apply::Opt;
use super::detail::{self, Detail, DocRow, HistRow, MsgRow, Needed, Pair};
use super::{Chrome, PageCtx, fmt, page};
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};
use crate::routes::admin::program_input::DOCUMENT_KINDS;

pub use super::file_forms::{act, counselling, document_content, plan_review, review, upload};

/// One action the caller may take, with the form it needs.
#[derive(Clone, Debug)]
pub struct ActionForm {
    /// The action's API name.
    pub name: String,
    /// The button's text.
    pub label: String,
    /// `simple`, `reason`, `refer`, `guarantees`, `plan` or `disburse`.
    pub form: &'static str,
}

/// The staff file page.
#[derive(Template)]
#[template(path = "pages/file.html")]
pub struct FilePage {
    /// The frame.
    pub c: Chrome,
    /// File id.
    pub id: i64,
    /// Version for actions.
    pub version: i64,
    /// Tracking code.
    pub tracking_code: String,
    /// Stage's name.
    pub state: String,
    /// Service-level status (`on_time`, …) and its text.
    pub sla: String,
    /// Its badge text.
    pub sla_text: String,
    /// The person.
    pub person: Vec<Pair>,
    /// The household.
    pub household: Vec<Pair>,
    /// The business and amounts.
    pub business: Vec<Pair>,
    /// Priority score.
    pub score: String,
    /// Its breakdown.
    pub factors: Vec<Pair>,
    /// Required kinds and status.
    pub needed: Vec<Needed>,
    /// Documents.
    pub documents: Vec<DocRow>,
    /// The caller may review documents now.
    pub can_review: bool,
    /// The caller may upload now.
    pub can_upload: bool,
    /// Kinds for the upload form.
    pub kinds: Vec<Opt>,
    /// The caller records counselling now.
    pub can_counsel: bool,
    /// Counselling record lines.
    pub counselling: Vec<Pair>,
    /// The referral, if any.
    pub referral: Vec<Pair>,
    /// Branches with their remaining quota (for `refer`).
    pub branches: Vec<Opt>,
    /// Guarantee kinds (for `request_guarantees`).
    pub guarantee_kinds: Vec<Opt>,
    /// The actions available now.
    pub actions: Vec<ActionForm>,
    /// History.
    pub history: Vec<HistRow>,
    /// Messages.
    pub messages: Vec<MsgRow>,
}

fn yes_no(lang: Lang, b: bool) -> String {
    vamyar_i18n::text(lang, if b { "pg-yes" } else { "pg-no" }, &[])
}

fn form_of(action: &str) -> &'static str {
    match action {
        "return" | "reject" | "bank_reject" | "accelerate" => "reason",
        "refer" => "refer",
        "request_guarantees" => "guarantees",
        "approve_plan" => "plan",
        "disburse" => "disburse",
        _ => "simple",
    }
}

async fn branches(state: &AppState, current: &CurrentActor, d: &Detail, lang: Lang) -> AppResult<Vec<Opt>> {
    let Json(banks) =
        crate::routes::admin::banks::list_banks(State(state.clone()), current.clone()).await?;
    let today = vamyar_store::time::date(chrono::Utc::now().date_naive());
    let mut out = Vec::new();
    for b in &banks {
        let Some(m) = b.memoranda.iter().find(|m| {
            m.program_id == d.file.app.program_id && m.valid_from <= today && today <= m.valid_to
        }) else {
            continue;
        };
        let Some(q) = m.quotas.iter().find(|q| q.province_code == d.file.app.province_code) else {
            continue;
        };
        for br in &b.branches {
            let (bank, branch) = if lang == Lang::Fa {
                (&b.name_fa, &br.name_fa)
            } else {
                (&b.name_en, &br.name_en)
            };
            out.push(Opt {
                value: br.id.to_string(),
                label: vamyar_i18n::text(
                    lang,
                    "pg-branch-quota",
                    &[
                        ("bank", bank.clone().into()),
                        ("branch", branch.clone().into()),
                        ("count", fmt::num(lang, q.count_remaining).into()),
                        ("amount", fmt::tomans(lang, q.amount_remaining).into()),
                    ],
                ),
            });
        }
    }
    Ok(out)
}

/// Builds the page for `id` as `current` sees it.
pub async fn build(state: &AppState, ctx: &PageCtx, current: &CurrentActor, id: i64) -> AppResult<FilePage> {
    let lang = ctx.lang;
    let d = detail::load(state, current, id, lang).await?;
    let v = &d.view;
    let a = &v.applicant;
    let s = |k: &str| a[k].as_str().unwrap_or_default().to_string();
    let t = |id: &str| vamyar_i18n::text(lang, id, &[]);
    let p = &d.file.person;
    let county = vamyar_store::reference::county(&state.db, &d.file.app.county_code)
        .await?
        .map(|c| if lang == Lang::Fa { c.name_fa } else { c.name_en })
        .unwrap_or_default();
    let person = vec![
        Pair { label: t("pg-field-name"), value: format!("{} {}", s("first_name"), s("last_name")) },
        Pair { label: t("pg-field-national-id"), value: fmt::digits(lang, &s("national_id")) },
        Pair { label: t("pg-field-mobile"), value: fmt::digits(lang, &s("mobile")) },
        Pair { label: t("pg-field-father-name"), value: s("father_name") },
        Pair { label: t("pg-field-gender"), value: t(&format!("pg-gender-{}", s("gender"))) },
        Pair { label: t("pg-field-birth-date"), value: p.birth_date.as_deref().map(|b| fmt::date(lang, b)).unwrap_or_default() },
        Pair { label: t("pg-field-county"), value: county },
    ];
    let household = vec![
        Pair { label: t("pg-field-female-head-of-household"), value: yes_no(lang, p.is_female_head == 1) },
        Pair { label: t("pg-field-disability"), value: yes_no(lang, p.has_disability == 1) },
        Pair { label: t("pg-field-household-size"), value: fmt::num(lang, p.household_size) },
        Pair { label: t("pg-field-income-decile"), value: p.income_decile.map(|n| fmt::num(lang, n)).unwrap_or_else(|| t("pg-unknown")) },
        Pair { label: t("pg-field-beneficiary-status"), value: t(&format!("pg-beneficiary-{}", p.beneficiary_status)) },
        Pair { label: t("pg-factor-deprived_county"), value: yes_no(lang, d.file.deprived) },
    ];
    let mut business = vec![
        Pair { label: t("pg-field-loan-type"), value: fmt::loan_type(lang, &v.loan_type) },
        Pair { label: t("pg-field-title"), value: d.file.app.business_title.clone() },
        Pair { label: t("pg-field-requested-amount"), value: fmt::tomans(lang, v.requested_amount) },
    ];
    if let Some(r) = v.recommended_amount {
        business.push(Pair { label: t("pg-recommended"), value: fmt::tomans(lang, r) });
    }
    if let Some(r) = v.approved_amount {
        business.push(Pair { label: t("pg-approved"), value: fmt::tomans(lang, r) });
    }
    let factors = v
        .priority
        .factors
        .iter()
        .map(|f| Pair {
            label: fmt::factor(lang, f.name),
            value: vamyar_i18n::text(lang, "pg-points", &[("n", f.points.into())]),
        })
        .collect();
    let role = current.role();
    let reviewer = matches!(role, Role::SocialWorker | Role::EmploymentExpert);
    let Json(record) =
        crate::routes::counselling::list(State(state.clone()), current.clone(), Path(id)).await?;
    let mut counselling: Vec<Pair> = record
        .sessions
        .iter()
        .map(|x| Pair { label: format!("{} {}", t("pg-session"), fmt::date(lang, &x.held_on)), value: x.notes.clone().unwrap_or_default() })
        .collect();
    counselling.extend(record.plan_reviews.iter().map(|r| Pair {
        label: format!("{} {}", t("pg-plan-review"), fmt::date(lang, &r.created_at)),
        value: format!("{} · {} · {}", r.activity, fmt::tomans(lang, r.recommended_amount), vamyar_i18n::text(lang, "pg-jobs", &[("n", r.jobs_to_create.into())])),
    }));
    let mut referral = Vec::new();
    if let Some(r) = vamyar_store::referral::latest(state.db.pool(), id).await? {
        referral.push(Pair { label: t("pg-letter"), value: fmt::digits(lang, &r.letter_number) });
        referral.push(Pair { label: t("pg-amount"), value: fmt::tomans(lang, r.amount) });
        referral.push(Pair { label: t("pg-valid-until"), value: fmt::date(lang, &r.valid_until) });
        referral.push(Pair { label: t("pg-field-state"), value: fmt::doc_status(lang, &format!("ref-{}", r.status)) });
        for g in vamyar_store::referral::guarantees(state.db.pool(), r.id).await? {
            referral.push(Pair { label: fmt::doc_status(lang, &format!("g-{}", g.kind)), value: fmt::doc_status(lang, &g.status) });
        }
    }
    let actions: Vec<ActionForm> = v
        .available_actions
        .iter()
        .map(|a| ActionForm { name: a.clone(), label: fmt::action(lang, a), form: form_of(a) })
        .collect();
    let branches = if actions.iter().any(|a| a.name == "refer") {
        branches(state, current, &d, lang).await?
    } else {
        Vec::new()
    };
    Ok(FilePage {
        c: Chrome::new(ctx, "pg-file-title"),
        id,
        version: v.version,
        tracking_code: fmt::digits(lang, &v.tracking_code),
        state: fmt::state(lang, &v.state),
        sla: v.sla.status.clone(),
        sla_text: fmt::sla(lang, &v.sla.status),
        person,
        household,
        business,
        score: fmt::num(lang, v.priority.score),
        factors,
        needed: d.needed.clone(),
        documents: d.documents.clone(),
        can_review: reviewer && d.can_review,
        can_upload: role == Role::DeskClerk && d.can_upload,
        kinds: DOCUMENT_KINDS
            .iter()
            .map(|k| Opt { value: (*k).to_string(), label: fmt::doc_kind(lang, k) })
            .collect(),
        can_counsel: role == Role::EmploymentExpert && v.state == "counselling",
        counselling,
        referral,
        branches,
        guarantee_kinds: ["guarantor", "promissory_note", "salary_deduction", "collateral_deed", "cheque", "institution"]
            .iter()
            .map(|k| Opt { value: (*k).to_string(), label: fmt::doc_status(lang, &format!("g-{k}")) })
            .collect(),
        actions,
        history: d.history.clone(),
        messages: d.messages.clone(),
    })
}

/// `GET /desk/files/{id}`: the file page (staff in scope; 404 otherwise).
pub async fn page_get(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let current = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    if !current.role().is_staff() {
        return Err(AppError::Forbidden);
    }
    let p = build(&state, &ctx, &current, id).await?;
    page(&ctx, StatusCode::OK, &p)
}
