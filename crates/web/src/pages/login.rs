//! Logging in and out: the applicant's two steps (national ID and mobile, then the one-time
//! code), the staff login, and logging out — each through the same services as the API.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::Response;
use vamyar_domain::workflow::Role;

use super::problems::{Money, by_table};
use super::{Chrome, PageCtx, PageForm, ok, page, see_other};

/// The login forms' fields in order.
const FIELDS: &[(&str, &str, &str)] = &[
    ("national_id", "national_id", "pg-field-national-id"),
    ("mobile", "mobile", "pg-field-mobile"),
    ("code", "code", "pg-field-code"),
    ("username", "username", "pg-field-username"),
    ("password", "password", "pg-field-password"),
];
use crate::AppState;
use crate::auth::cookies::{clear_cookie, session_cookie};
use crate::auth::otp::{OtpRequest, OtpVerify};
use crate::auth::ratelimit::ClientIp;
use crate::error::AppResult;

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
    /// On step 2: where the code went, masked (`۰۹۱۲***۴۵۶۷`), shown left to right.
    pub sent_to: String,
}

/// The mobile masked for the code step (`0912***4567`, in the page's digits); blank when it
/// does not read as a mobile. Only what the person typed is shown, masked, whether or not
/// it belongs to anyone.
fn masked(lang: vamyar_i18n::Lang, mobile: &str) -> String {
    vamyar_domain::primitives::Mobile::parse(mobile)
        .map(|m| super::fmt::digits(lang, &m.masked()))
        .unwrap_or_default()
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
            sent_to: String::new(),
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
                    sent_to: masked(ctx.lang, &input.mobile),
                    national_id: input.national_id,
                    mobile: String::new(),
                },
            )
        }
        Err(e) => {
            c.refuse(&e, &by_table(ctx.lang, FIELDS), Money::Rials);
            page(
                &ctx,
                e.status_code(),
                &LoginPage {
                    c,
                    code_step: false,
                    national_id: input.national_id,
                    mobile: input.mobile,
                    sent_to: String::new(),
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
            c.refuse(&e, &by_table(ctx.lang, FIELDS), Money::Rials);
            page(
                &ctx,
                e.status_code(),
                &LoginPage {
                    c,
                    code_step: true,
                    national_id: input.national_id,
                    mobile: String::new(),
                    sent_to: kept_mask(&form.raw("sent_to")),
                },
            )
        }
    }
}

/// The masked number carried by the code form, kept only if it looks like one (eleven
/// digits and stars), so the page never shows other text sent in its place.
fn kept_mask(s: &str) -> String {
    let ok = s.chars().count() == 11
        && s.chars().filter(|c| *c == '*').count() == 3
        && s.chars().all(|c| c == '*' || c.is_numeric());
    if ok { s.to_string() } else { String::new() }
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

/// `POST /staff/login`: checks the password (and an administrator's authenticator code; same
/// service as the API), sets the cookie and goes to the role's start page, or to the
/// enrolment page for an administrator who has not enrolled the second factor.
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
    match crate::auth::login::login(&state, ip, &username, password, Some(&form.raw("totp"))).await
    {
        Ok(done) => {
            let cookie = session_cookie(&done.token, state.config.secure_cookies)?;
            let to = if done.totp_enrolment_required {
                crate::auth::enrolment::ENROL_PAGE
            } else {
                start_page(done.role)
            };
            let mut res = see_other(&ctx, to);
            res.headers_mut().append(header::SET_COOKIE, cookie);
            Ok(res)
        }
        Err(e) => {
            let mut c = Chrome::new(&ctx, "pg-staff-login-title");
            c.refuse(&e, &by_table(ctx.lang, FIELDS), Money::Rials);
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
        crate::routes::auth::end_session(&state, ip, &s).await?;
    }
    let mut res = see_other(&ctx, "/");
    res.headers_mut()
        .append(header::SET_COOKIE, clear_cookie(secure));
    Ok(res)
}
