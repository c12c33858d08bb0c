//! Pages anyone may open: the service page (from the active program's settings) and "where
//! is my file?" by tracking code (logins: [`super::login`]).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use vamyar_i18n::Lang;

use super::problems::{Money, by_table};
use super::{Chrome, PageCtx, PageForm, fmt, ok, page};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::files::ProgramSettings;

/// A line of a list with a label and a value.
#[derive(Clone, Debug)]
pub struct Row {
    /// What.
    pub label: String,
    /// How much / which.
    pub value: String,
}

/// What the service page says about the active program.
#[derive(Clone, Debug)]
pub struct ProgramInfo {
    /// The program's title.
    pub title: String,
    /// Loan types with their ceilings.
    pub loan_types: Vec<Row>,
    /// Fee, term and grace.
    pub terms: Vec<Row>,
    /// Who may apply.
    pub groups: Vec<String>,
    /// Documents to bring.
    pub documents: Vec<String>,
    /// Priority points.
    pub priority: Vec<Row>,
}

/// The service page (`/`).
#[derive(Template)]
#[template(path = "pages/home.html")]
pub struct HomePage {
    /// The frame.
    pub c: Chrome,
    /// The active program, when there is one.
    pub program: Option<ProgramInfo>,
}

/// The newest active program's settings.
pub async fn active_settings(state: &AppState) -> AppResult<Option<ProgramSettings>> {
    let programs = vamyar_store::program::list(state.db.pool()).await?;
    let Some(p) = programs
        .into_iter()
        .filter(|p| p.is_active)
        .max_by_key(|p| (p.jalali_year, p.id))
    else {
        return Ok(None);
    };
    Ok(ProgramSettings::load(&state.ctx, p.id).await?)
}

fn program_info(lang: Lang, s: &ProgramSettings) -> ProgramInfo {
    let t = |id: &str| vamyar_i18n::text(lang, id, &[]);
    let p = &s.program;
    let loan_types = s
        .loan_types
        .iter()
        .map(|lt| Row {
            label: if lang == Lang::Fa {
                lt.title_fa.clone()
            } else {
                lt.title_en.clone()
            },
            value: if lt.per_job {
                format!("{} {}", fmt::tomans(lang, lt.ceiling), t("pg-per-job"))
            } else {
                fmt::tomans(lang, lt.ceiling)
            },
        })
        .collect();
    let percent = format!("{}.{:02}", p.fee_rate_bp / 100, p.fee_rate_bp % 100);
    let percent = percent.trim_end_matches('0').trim_end_matches('.');
    let sign = if lang == Lang::Fa { "٪" } else { "%" };
    let terms = vec![
        Row {
            label: t("pg-fee-rate"),
            value: format!("{}{sign}", fmt::digits(lang, percent)),
        },
        Row {
            label: t("pg-term"),
            value: vamyar_i18n::text(lang, "pg-months", &[("n", p.term_months.into())]),
        },
        Row {
            label: t("pg-grace"),
            value: vamyar_i18n::text(lang, "pg-months", &[("n", p.grace_months.into())]),
        },
    ];
    let groups: Vec<String> = serde_json::from_str::<Vec<String>>(&p.eligible_groups)
        .unwrap_or_default()
        .iter()
        .map(|g| vamyar_i18n::try_text(lang, &format!("pg-group-{g}"), &[]).unwrap_or(g.clone()))
        .collect();
    let w = &s.weights;
    let points = |n: i64| vamyar_i18n::text(lang, "pg-points", &[("n", n.into())]);
    let priority = vec![
        (
            "female_head_of_household",
            points(w.female_head_of_household),
        ),
        ("deprived_county", points(w.deprived_county)),
        ("disability", points(w.disability)),
        ("income_decile", points(w.per_decile_below_6 * 5)),
        ("beneficiary_status", points(w.supported_beneficiary)),
        (
            "household_size",
            points(w.per_household_member * i64::from(w.household_member_cap)),
        ),
        (
            "days_waited",
            vamyar_i18n::text(lang, "pg-points-per-day", &[("n", w.per_day_waited.into())]),
        ),
    ]
    .into_iter()
    .map(|(f, v)| Row {
        label: fmt::factor(lang, f),
        value: v,
    })
    .collect();
    ProgramInfo {
        title: if lang == Lang::Fa {
            fmt::digits(lang, &p.title_fa)
        } else {
            p.title_en.clone()
        },
        loan_types,
        terms,
        groups,
        documents: s
            .required_documents
            .iter()
            .map(|d| fmt::doc_kind(lang, d))
            .collect(),
        priority,
    }
}

/// `GET /`: what the loan is, who may apply, the steps, the documents and the priority rules.
pub async fn home(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let program = active_settings(&state)
        .await?
        .map(|s| program_info(ctx.lang, &s));
    ok(
        &ctx,
        &HomePage {
            c: Chrome::new(&ctx, "pg-home-title"),
            program,
        },
    )
}

// --- Tracking ---------------------------------------------------------------------------------

/// One passed stage on the public tracking page.
#[derive(Clone, Debug)]
pub struct Step {
    /// The stage reached.
    pub state: String,
    /// When (Jalali).
    pub on: String,
}

/// The tracking page: the form, and the answer after a POST.
#[derive(Template)]
#[template(path = "pages/track.html")]
pub struct TrackPage {
    /// The frame.
    pub c: Chrome,
    /// The code as typed (shown back in the field).
    pub code: String,
    /// The file's stage, after a successful look-up.
    pub current: Option<String>,
    /// Submission date.
    pub submitted_on: String,
    /// The stages passed.
    pub steps: Vec<Step>,
}

/// `GET /track`: the form.
pub async fn track_form(ctx: PageCtx) -> AppResult<Response> {
    ok(
        &ctx,
        &TrackPage {
            c: Chrome::new(&ctx, "pg-track-title"),
            code: String::new(),
            current: None,
            submitted_on: String::new(),
            steps: Vec::new(),
        },
    )
}

/// `POST /track`: the code travels in the body (never the URL); the answer is the stage and
/// dates only, as in the public API.
pub async fn track(
    State(state): State<AppState>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let code = form.raw("code");
    let lang = ctx.lang;
    let mut c = Chrome::new(&ctx, "pg-track-title");
    let found = vamyar_app::track::track(&state.ctx, &code)
        .await
        .map_err(AppError::from);
    match found {
        Ok(t) => ok(
            &ctx,
            &TrackPage {
                c,
                code,
                current: Some(fmt::state(lang, &t.state)),
                submitted_on: fmt::date(lang, &t.submitted_on),
                steps: t
                    .steps
                    .iter()
                    .map(|s| Step {
                        state: fmt::state(lang, &s.state),
                        on: fmt::date(lang, &s.on),
                    })
                    .collect(),
            },
        ),
        Err(e) => {
            match &e {
                AppError::NotFound => {
                    let text = c.t("pg-track-not-found");
                    c.refuse_text(text);
                }
                other => c.refuse(
                    other,
                    &by_table(lang, &[("code", "code", "pg-field-tracking-code")]),
                    Money::Rials,
                ),
            }
            let status = e.status_code();
            page(
                &ctx,
                status,
                &TrackPage {
                    c,
                    code,
                    current: None,
                    submitted_on: String::new(),
                    steps: Vec::new(),
                },
            )
        }
    }
}
