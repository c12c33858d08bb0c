//! Pages anyone may open: the service page (from the active program's settings), "where is
//! my file?" by tracking code, the applicant's two-step login with a one-time code, the staff
//! login, and logging out.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::Response;
use vamyar_domain::workflow::Role;
use vamyar_i18n::Lang;

use super::{Chrome, PageCtx, PageForm, error_text, fmt, ok, page, see_other};
use crate::AppState;
use crate::auth::cookies::{CurrentSession, clear_cookie, session_cookie};
use crate::auth::otp::{OtpRequest, OtpVerify};
use crate::auth::ratelimit::ClientIp;
use crate::error::{AppError, AppResult};
use crate::files::Settings;

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
pub async fn active_settings(state: &AppState) -> AppResult<Option<Settings>> {
    let programs = vamyar_store::program::list(state.db.pool()).await?;
    let Some(p) = programs
        .into_iter()
        .filter(|p| p.is_active == 1)
        .max_by_key(|p| (p.jalali_year, p.id))
    else {
        return Ok(None);
    };
    Settings::load(state, p.id).await
}

fn program_info(lang: Lang, s: &Settings) -> ProgramInfo {
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
            value: if lt.per_job == 1 {
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
        ("female_head_of_household", points(w.female_head_of_household)),
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
            p.title_fa.clone()
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
    let found = crate::routes::applications::track::track(
        State(state),
        axum::extract::Path(code.clone()),
    )
    .await;
    match found {
        Ok(axum::Json(t)) => ok(
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
            c.error = Some(match &e {
                AppError::NotFound => c.t("pg-track-not-found"),
                other => error_text(lang, other),
            });
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

// --- Applicant login --------------------------------------------------------------------------

/// The applicant's login: step 1 (national ID and mobile) or step 2 (the code).
#[derive(Template)]
#[template(path = "pages/login.html")]
pub struct LoginPage {
    /// The frame.
    pub c: Chrome,
    /// True on step 2.
    pub code_step: bool,
    /// The national ID as typed.
    pub national_id: String,
    /// The mobile as typed.
    pub mobile: String,
}

/// `GET /login`: step 1.
pub async fn login_form(ctx: PageCtx) -> AppResult<Response> {
    ok(
        &ctx,
        &LoginPage {
            c: Chrome::new(&ctx, "pg-login-title"),
            code_step: false,
            national_id: String::new(),
            mobile: String::new(),
        },
    )
}

/// `POST /login`: asks for a code (the same answer whether or not the person exists), then
/// shows step 2.
pub async fn request_code(
    State(state): State<AppState>,
    ip: ClientIp,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let input = OtpRequest {
        national_id: form.raw("national_id"),
        mobile: form.raw("mobile"),
    };
    let mut c = Chrome::new(&ctx, "pg-login-title");
    match crate::auth::otp::request_code(&state, ip, &input).await {
        Ok(()) => {
            c.notice = Some(c.t("pg-login-code-sent"));
            ok(
                &ctx,
                &LoginPage {
                    c,
                    code_step: true,
                    national_id: input.national_id,
                    mobile: String::new(),
                },
            )
        }
        Err(e) => {
            c.error = Some(error_text(ctx.lang, &e));
            page(
                &ctx,
                e.status_code(),
                &LoginPage {
                    c,
                    code_step: false,
                    national_id: input.national_id,
                    mobile: input.mobile,
                },
            )
        }
    }
}

/// `POST /login/verify`: checks the code, sets the session cookie, and goes to the portal
/// (or to the application form for someone not registered yet).
pub async fn verify_code(
    State(state): State<AppState>,
    ip: ClientIp,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let input = OtpVerify {
        national_id: form.raw("national_id"),
        code: form.raw("code"),
    };
    match crate::auth::otp::verify_code(&state, ip, &input).await {
        Ok(session) => {
            let cookie = session_cookie(&session.token, state.config.secure_cookies)?;
            let to = if session.kind == "applicant" {
                "/portal"
            } else {
                "/portal/apply"
            };
            let mut res = see_other(&ctx, to);
            res.headers_mut().append(header::SET_COOKIE, cookie);
            Ok(res)
        }
        Err(e) => {
            let mut c = Chrome::new(&ctx, "pg-login-title");
            c.error = Some(error_text(ctx.lang, &e));
            page(
                &ctx,
                e.status_code(),
                &LoginPage {
                    c,
                    code_step: true,
                    national_id: input.national_id,
                    mobile: String::new(),
                },
            )
        }
    }
}

// --- Staff login ------------------------------------------------------------------------------

/// The staff login page.
#[derive(Template)]
#[template(path = "pages/staff_login.html")]
pub struct StaffLoginPage {
    /// The frame.
    pub c: Chrome,
    /// The username as typed.
    pub username: String,
}

/// `GET /staff/login`.
pub async fn staff_login_form(ctx: PageCtx) -> AppResult<Response> {
    ok(
        &ctx,
        &StaffLoginPage {
            c: Chrome::new(&ctx, "pg-staff-login-title"),
            username: String::new(),
        },
    )
}

/// Where a role starts.
pub fn start_page(role: Role) -> &'static str {
    match role {
        Role::BankOfficer => "/bank",
        Role::NationalAdmin | Role::ProvinceAdmin => "/admin",
        Role::Applicant => "/portal",
        _ => "/desk",
    }
}

/// `POST /staff/login`: checks the password (same service as the API), sets the cookie and
/// goes to the role's start page.
pub async fn staff_login(
    State(state): State<AppState>,
    ip: ClientIp,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let username = form.raw("username");
    let password = form
        .0
        .iter()
        .find(|(k, _)| k == "password")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    match crate::auth::login::login(&state, ip, &username, password).await {
        Ok(done) => {
            let cookie = session_cookie(&done.token, state.config.secure_cookies)?;
            let mut res = see_other(&ctx, start_page(done.role));
            res.headers_mut().append(header::SET_COOKIE, cookie);
            Ok(res)
        }
        Err(e) => {
            let mut c = Chrome::new(&ctx, "pg-staff-login-title");
            c.error = Some(error_text(ctx.lang, &e));
            page(&ctx, e.status_code(), &StaffLoginPage { c, username })
        }
    }
}

/// `POST /logout`: ends the session (the API's logout: revoked and audited) and clears the
/// cookie.
pub async fn logout(
    State(state): State<AppState>,
    ip: ClientIp,
    PageForm(ctx, _form): PageForm,
) -> AppResult<Response> {
    let secure = state.config.secure_cookies;
    if let Some(s) = ctx.session.clone() {
        crate::routes::auth::logout(State(state), ip, CurrentSession(s)).await?;
    }
    let mut res = see_other(&ctx, "/");
    res.headers_mut()
        .append(header::SET_COOKIE, clear_cookie(secure));
    Ok(res)
}
