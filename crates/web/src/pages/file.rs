//! The staff file page: the person and household, the priority breakdown, the documents
//! (view, accept, reject with a reason), counselling, the referral, history and messages,
//! and a form for exactly the actions the caller's role may take now
//! (`FileView.available_actions`). Its POST handlers live in [`super::file_forms`].

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use vamyar_domain::workflow::Role;
use vamyar_i18n::Lang;

use super::apply::Opt;
use super::detail::{self, ActionForm, DocRow, HistRow, MsgRow, Needed, Pair};
use super::{Chrome, PageCtx, fmt, page};
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};
use crate::routes::admin::program_input::DOCUMENT_KINDS;

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
    /// The page that changes the person's contact details, for staff of their county.
    pub contact_url: Option<String>,
    /// The household.
    pub household: Vec<Pair>,
    /// The business and amounts.
    pub business: Vec<Pair>,
    /// Priority score.
    pub score: String,
    /// Its breakdown.
    pub factors: Vec<Pair>,
    /// Shown to a bank officer: no household, no priority.
    pub for_bank: bool,
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
    /// The program's business sectors (for the plan review).
    pub sectors: Vec<Opt>,
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
    /// Acts proposed on the file and awaiting a second person (four eyes).
    pub proposals: Vec<super::proposal_line::Line>,
    /// The loan, once disbursed.
    pub loan: Option<super::loan::LoanBlock>,
    /// The caller posts payments (bank officers).
    pub can_pay: bool,
    /// Monitoring visits, once disbursed, with the expert's form.
    pub visits: Option<super::visits::VisitsBlock>,
    /// History.
    pub history: Vec<HistRow>,
    /// Messages.
    pub messages: Vec<MsgRow>,
    /// The form that was sent and refused (`act-{action}`, `session`, `plan`, `payment`,
    /// `visit`, …), whose typed values are shown again.
    pub sent: String,
    /// The refused form's values.
    pub v: super::FormData,
}

impl FilePage {
    /// The value typed in field `name` of form `form`, when that form was refused.
    pub fn kept(&self, form: &str, name: &str) -> String {
        if self.sent == form {
            self.v.raw(name)
        } else {
            String::new()
        }
    }

    /// True when the box `value` of `name` in form `form` was ticked in the refused form.
    pub fn ticked(&self, form: &str, name: &str, value: &str) -> bool {
        self.sent == form && self.v.all(name).iter().any(|v| v == value)
    }
}

fn yes_no(lang: Lang, b: bool) -> String {
    vamyar_i18n::text(lang, if b { "pg-yes" } else { "pg-no" }, &[])
}

fn form_of(action: &str) -> &'static str {
    match action {
        "return" | "reject" | "bank_reject" | "accelerate" | "withdraw" => "confirm",
        "refer" => "refer",
        "request_guarantees" => "guarantees",
        "approve_plan" => "plan",
        "disburse" => "disburse",
        _ => "simple",
    }
}

/// Builds the page for `id` as `current` sees it.
pub async fn build(
    state: &AppState,
    ctx: &PageCtx,
    current: &CurrentActor,
    id: i64,
) -> AppResult<FilePage> {
    let lang = ctx.lang;
    let d = detail::load(state, current, id, lang).await?;
    let v = &d.view;
    let a = &v.applicant;
    let s = |k: &str| a[k].as_str().unwrap_or_default().to_string();
    let t = |id: &str| vamyar_i18n::text(lang, id, &[]);
    let p = &d.file.person;
    let county = vamyar_store::reference::county(&state.db, &d.file.app.county_code)
        .await?
        .map(|c| {
            if lang == Lang::Fa {
                c.name_fa
            } else {
                c.name_en
            }
        })
        .unwrap_or_default();
    let person = vec![
        Pair {
            label: t("pg-field-name"),
            value: format!("{} {}", s("first_name"), s("last_name")),
        },
        Pair {
            label: t("pg-field-national-id"),
            value: fmt::digits(lang, &s("national_id")),
        },
        Pair {
            label: t("pg-field-mobile"),
            value: fmt::digits(lang, &s("mobile")),
        },
        Pair {
            label: t("pg-field-father-name"),
            value: s("father_name"),
        },
        Pair {
            label: t("pg-field-gender"),
            value: t(&format!("pg-gender-{}", s("gender"))),
        },
        Pair {
            label: t("pg-field-birth-date"),
            value: p
                .birth_date
                .as_deref()
                .map(|b| fmt::date(lang, b))
                .unwrap_or_default(),
        },
        Pair {
            label: t("pg-field-county"),
            value: county,
        },
    ];
    let household = vec![
        Pair {
            label: t("pg-factor-female_head_of_household"),
            value: yes_no(lang, p.is_female_head),
        },
        Pair {
            label: t("pg-field-disability"),
            value: yes_no(lang, p.has_disability),
        },
        Pair {
            label: t("pg-field-household-size"),
            value: fmt::num(lang, p.household_size),
        },
        Pair {
            label: t("pg-field-income-decile"),
            value: match (d.file.income_decile(), d.file.income_decile_source()) {
                (Some(n), Some(source)) => format!(
                    "{} ({})",
                    fmt::num(lang, n),
                    t(&format!("pg-decile-{source}"))
                ),
                _ => t("pg-unknown"),
            },
        },
        Pair {
            label: t("pg-field-beneficiary-status"),
            value: t(&format!("pg-beneficiary-{}", p.beneficiary_status)),
        },
        Pair {
            label: t("pg-factor-deprived_county"),
            value: yes_no(lang, d.file.deprived),
        },
    ];
    let mut business = vec![
        Pair {
            label: t("pg-field-loan-type"),
            value: fmt::loan_type(lang, &v.loan_type),
        },
        Pair {
            label: t("pg-field-title"),
            value: d.file.app.business_title.clone(),
        },
        Pair {
            label: t("pg-field-requested-amount"),
            value: fmt::tomans(lang, v.requested_amount),
        },
    ];
    if let Some(r) = v.recommended_amount {
        business.push(Pair {
            label: t("pg-recommended"),
            value: fmt::tomans(lang, r),
        });
    }
    if let Some(r) = v.approved_amount {
        business.push(Pair {
            label: t("pg-approved"),
            value: fmt::tomans(lang, r),
        });
    }
    let factors = v
        .priority
        .factors
        .iter()
        .map(|f| Pair {
            // the decile's line says whose decile it is (imported list or the claim)
            label: match (f.name, d.file.income_decile_source()) {
                ("income_decile", Some(source)) => t(&format!("pg-factor-income_decile-{source}")),
                _ => fmt::factor(lang, f.name),
            },
            value: vamyar_i18n::text(lang, "pg-points", &[("n", f.points.into())]),
        })
        .collect();
    let role = current.role();
    let reviewer = matches!(role, Role::SocialWorker | Role::EmploymentExpert);
    let record = vamyar_app::counselling::list(&state.ctx, &current.actor, id).await?;
    let mut counselling: Vec<Pair> = record
        .sessions
        .iter()
        .map(|x| Pair {
            label: format!("{} {}", t("pg-session"), fmt::date(lang, &x.held_on)),
            value: x.notes.clone().unwrap_or_default(),
        })
        .collect();
    counselling.extend(record.plan_reviews.iter().map(|r| Pair {
        label: format!("{} {}", t("pg-plan-review"), fmt::date(lang, &r.created_at)),
        value: format!(
            "{} – {} – {} – {}",
            r.activity,
            fmt::sector(lang, r.sector.as_deref().unwrap_or("none")),
            fmt::tomans(lang, r.recommended_amount),
            vamyar_i18n::text(lang, "pg-jobs", &[("n", r.jobs_to_create.into())])
        ),
    }));
    let referral = super::file_referral::pairs(state, id, lang).await?;
    let mut actions: Vec<ActionForm> = v
        .available_actions
        .iter()
        .map(|a| ActionForm {
            name: a.clone(),
            label: fmt::action(lang, a),
            form: form_of(a),
        })
        .collect();
    super::visits::keep_offered(state, id, &mut actions).await?;
    let pending: Vec<_> = vamyar_app::proposals::of_file(&state.ctx, &current.actor, &d.file)
        .await?
        .into_iter()
        .filter(|p| p.status == "pending")
        .collect();
    // an act already proposed is not offered again until it is decided
    actions.retain(|a| !pending.iter().any(|p| p.action == a.name));
    let proposals = pending
        .into_iter()
        .map(|p| super::proposal_line::Line {
            href: format!("/desk/proposals/{}", p.id),
            tracking_code: p.tracking_code,
            act: super::proposal_line::act_name(lang, &p.action),
            by: p.proposed_by,
            at: fmt::datetime(lang, &p.proposed_at),
            expires: fmt::date(lang, &p.expires_on),
        })
        .collect();
    // the main actions first, the destructive ones (a second step each) after them
    actions.sort_by_key(|a| a.form == "confirm");
    let branches = if actions.iter().any(|a| a.name == "refer") {
        super::file_referral::branches(state, current, &d, lang).await?
    } else {
        Vec::new()
    };
    Ok(FilePage {
        c: Chrome {
            htmx: true,
            ..Chrome::new(ctx, "pg-file-title")
        },
        id,
        version: v.version,
        tracking_code: fmt::digits(lang, &v.tracking_code),
        state: fmt::state(lang, &v.state),
        sla: v.sla.status.clone(),
        sla_text: fmt::sla(lang, &v.sla.status),
        person,
        contact_url: vamyar_app::persons::may_change_contact(&current.actor, &p.county_code)
            .then(|| format!("/desk/persons/{}/contact?file={id}", p.id)),
        // a bank needs who the borrower is and the business, not the household or the
        // priority behind the committee's choice (docs/WORKFLOW.md, "What a bank sees")
        household: if role == Role::BankOfficer {
            Vec::new()
        } else {
            household
        },
        business,
        score: fmt::num(lang, v.priority.score),
        factors: if role == Role::BankOfficer {
            Vec::new()
        } else {
            factors
        },
        for_bank: role == Role::BankOfficer,
        needed: d.needed.clone(),
        documents: d.documents.clone(),
        can_review: reviewer && d.can_review,
        can_upload: role == Role::DeskClerk && d.can_upload,
        kinds: DOCUMENT_KINDS
            .iter()
            .map(|k| Opt {
                value: (*k).to_string(),
                label: fmt::doc_kind(lang, k),
            })
            .collect(),
        can_counsel: role == Role::EmploymentExpert && v.state == "counselling",
        sectors: vamyar_app::files::ProgramSettings::load(&state.ctx, v.program_id)
            .await?
            .map(|s| s.sectors)
            .unwrap_or_default()
            .iter()
            .map(|s| Opt {
                value: s.as_str().to_string(),
                label: fmt::sector(lang, s.as_str()),
            })
            .collect(),
        counselling,
        referral,
        branches,
        guarantee_kinds: [
            "guarantor",
            "promissory_note",
            "salary_deduction",
            "collateral_deed",
            "cheque",
            "institution",
        ]
        .iter()
        .map(|k| Opt {
            value: (*k).to_string(),
            label: fmt::doc_status(lang, &format!("g-{k}")),
        })
        .collect(),
        actions,
        proposals,
        loan: super::loan::block(state, current, id, lang).await?,
        can_pay: role == Role::BankOfficer,
        visits: super::visits::block(state, current, id, &v.state, lang).await?,
        history: d.history.clone(),
        messages: d.messages.clone(),
        sent: String::new(),
        v: super::FormData::default(),
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
