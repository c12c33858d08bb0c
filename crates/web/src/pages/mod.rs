//! The server-rendered pages: Persian by default (`dir="rtl"`), English with `?lang=en` (or
//! `Accept-Language`, remembered in the `vamyar_lang` cookie), laid out left to right.
//!
//! Pages never hold business rules: each form calls the same service function or API
//! handler as the JSON API (`files::register`, `files::actions::perform`, the document,
//! counselling and admin handlers) and shows its answer. Every form is a plain POST that
//! answers with a redirect (post/redirect/get) or, on a refusal, the same page with the
//! problem shown, so everything works with JavaScript off; htmx only makes the queue filters
//! and document review swap in place. Each POST carries a CSRF token ([`ctx`]).

use askama::Template;
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use vamyar_i18n::Lang;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};

pub mod admin;
pub mod admin_banks;
pub mod admin_deciles;
pub mod admin_forms;
pub mod admin_places;
pub mod admin_staff;
pub mod admin_totp;
pub mod apply;
pub mod assets;
pub mod bank;
pub mod bank_import;
pub mod chart;
pub mod collate;
pub mod complaints;
pub mod confirm;
pub mod contact;
pub mod correction;
pub mod correction_block;
pub mod ctx;
pub mod desk;
pub mod detail;
pub mod error_page;
pub mod file;
pub mod file_forms;
pub mod file_referral;
pub mod fmt;
pub mod form;
pub mod households;
pub mod loan;
pub mod loan_forms;
pub mod login;
pub mod mobile;
pub mod nav;
pub mod notices;
pub mod pickers;
pub mod portal;
pub mod problems;
pub mod proposal_line;
pub mod proposals;
pub mod public;
pub mod report_view;
pub mod reports;
pub mod totp;
pub mod verify;
pub mod visits;

pub use ctx::PageCtx;
pub use form::{FormData, PageForm, PageMultipart};

/// A link of the top navigation.
#[derive(Clone, Debug)]
pub struct NavLink {
    /// Where it goes.
    pub href: &'static str,
    /// Its text.
    pub label: String,
}

/// The frame every page shares: language, title, navigation, the CSRF token for its forms,
/// and a notice or error to show on top.
#[derive(Clone, Debug)]
pub struct Chrome {
    /// The page's language.
    pub lang: Lang,
    /// `fa` or `en`, for `lang=`.
    pub code: &'static str,
    /// `rtl` or `ltr`.
    pub dir: &'static str,
    /// The page title.
    pub title: String,
    /// The token forms carry in their hidden `csrf` field.
    pub csrf: String,
    /// The stylesheet's versioned URL.
    pub css: String,
    /// The favicon's versioned URL.
    pub icon: String,
    /// htmx's versioned URL.
    pub js: String,
    /// The page uses htmx (the queue's filters, the file page's document review); other
    /// pages do not load it.
    pub htmx: bool,
    /// The navigation for the caller.
    pub nav: Vec<NavLink>,
    /// Who is logged in, as shown.
    pub user: Option<String>,
    /// The language switch link and its label.
    pub switch_href: String,
    /// The other language's name.
    pub switch_label: String,
    /// A message after a successful action.
    pub notice: Option<String>,
    /// What went wrong with the last submission (the error summary and field messages).
    pub problems: problems::Problems,
}

impl Chrome {
    /// The frame for `ctx` with the title text `title_id`.
    pub fn new(ctx: &PageCtx, title_id: &str) -> Chrome {
        let lang = ctx.lang;
        let t = |id: &str| vamyar_i18n::text(lang, id, &[]);
        let other = if lang == Lang::Fa { Lang::En } else { Lang::Fa };
        let mut nav = vec![NavLink {
            href: "/",
            label: t("pg-nav-home"),
        }];
        let mut user = None;
        match &ctx.caller {
            None => {
                nav.push(NavLink {
                    href: "/track",
                    label: t("pg-nav-track"),
                });
                nav.push(NavLink {
                    href: "/login",
                    label: t("pg-nav-login"),
                });
                nav.push(NavLink {
                    href: "/staff/login",
                    label: t("pg-nav-staff-login"),
                });
            }
            Some(Caller::Registrant { .. }) => {
                nav.push(NavLink {
                    href: "/portal/apply",
                    label: t("pg-nav-apply"),
                });
                user = Some(t("pg-role-registrant"));
            }
            Some(Caller::Actor(a)) => {
                let role = a.role();
                user = Some(match &a.username {
                    Some(u) => format!("{u} ({})", fmt::role(lang, role.as_str())),
                    None => fmt::role(lang, role.as_str()),
                });
                for (href, id) in nav::for_role(role) {
                    nav.push(NavLink { href, label: t(id) });
                }
            }
        }
        Chrome {
            lang,
            code: lang.code(),
            dir: lang.dir(),
            title: t(title_id),
            csrf: ctx.csrf.clone(),
            css: assets::url("app.css"),
            icon: assets::url("favicon.svg"),
            js: assets::url("htmx.min.js"),
            htmx: false,
            nav,
            user,
            switch_href: format!("{}?lang={}", ctx.path, other.code()),
            switch_label: vamyar_i18n::text(lang, "pg-other-language", &[]),
            notice: ctx
                .done
                .as_deref()
                .and_then(|d| vamyar_i18n::try_text(lang, &format!("pg-done-{d}"), &[])),
            problems: problems::Problems::default(),
        }
    }

    /// Shows a refusal: fields placed by `locate` (see [`problems::Problems::of`]).
    pub fn refuse(
        &mut self,
        e: &AppError,
        locate: &dyn Fn(&str) -> Option<problems::Target>,
        money: problems::Money,
    ) {
        self.problems = problems::Problems::of(self.lang, e, locate, money);
    }

    /// Shows a refusal that belongs to no field.
    pub fn refuse_text(&mut self, text: String) {
        self.problems = problems::Problems::message(text);
    }

    /// The message beside the field `id`, as HTML (empty when the field is fine).
    pub fn field_error(&self, id: &str) -> String {
        match self.problems.fields.get(id) {
            Some(m) => format!(
                "<p class=\"field-error\" id=\"{}-error\"><span class=\"visually-hidden\">{}</span>{}</p>",
                escape(id),
                escape(&self.t("pg-error-prefix")),
                escape(m)
            ),
            None => String::new(),
        }
    }

    /// The attributes marking the field `id` as invalid (empty when it is fine).
    pub fn aria(&self, id: &str) -> String {
        self.aria_hint(id, "")
    }

    /// Like [`Chrome::aria`] for a field that also has a hint `hint` (an element id).
    pub fn aria_hint(&self, id: &str, hint: &str) -> String {
        let invalid = self.problems.fields.contains_key(id);
        let mut described = Vec::new();
        if !hint.is_empty() {
            described.push(escape(hint));
        }
        if invalid {
            described.push(format!("{}-error", escape(id)));
        }
        let mut out = String::new();
        if invalid {
            out.push_str(" aria-invalid=\"true\"");
        }
        if !described.is_empty() {
            out.push_str(&format!(" aria-describedby=\"{}\"", described.join(" ")));
        }
        out
    }

    /// The text `id` in the page's language.
    pub fn t(&self, id: &str) -> String {
        vamyar_i18n::text(self.lang, id, &[])
    }
}

/// Renders a page, adding the cookies the context asks for (a new anonymous CSRF token, the
/// language chosen with `?lang=`).
pub fn page<T: Template>(ctx: &PageCtx, status: StatusCode, template: &T) -> AppResult<Response> {
    let html = template
        .render()
        .map_err(|e| AppError::Internal(format!("rendering a page: {e}")))?;
    let mut res = (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        html,
    )
        .into_response();
    add_cookies(ctx, &mut res);
    Ok(res)
}

/// A page answered with 200.
pub fn ok<T: Template>(ctx: &PageCtx, template: &T) -> AppResult<Response> {
    page(ctx, StatusCode::OK, template)
}

fn add_cookies(ctx: &PageCtx, res: &mut Response) {
    if let Some(c) = &ctx.set_cookie {
        res.headers_mut().append(header::SET_COOKIE, c.clone());
    }
    if let Some(lang) = ctx.chosen_lang
        && let Ok(v) = HeaderValue::from_str(&format!(
            "vamyar_lang={}; SameSite=Lax; Path=/; Max-Age=31536000",
            lang.code()
        ))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// A 303 redirect after a POST (post/redirect/get).
pub fn see_other(ctx: &PageCtx, to: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    add_cookies(ctx, &mut res);
    res
}

/// Text escaped for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The status a refused form answers with: the refusal's own.
pub fn refusal_status(e: &AppError) -> StatusCode {
    e.status_code()
}

/// Sends people who must log in to the right login page instead of a bare 401 page.
async fn login_redirect(req: Request, next: Next) -> Response {
    let is_get = req.method() == Method::GET;
    let path = req.uri().path().to_string();
    let res = next.run(req).await;
    if res.status() != StatusCode::UNAUTHORIZED || !is_get {
        return res;
    }
    let to = if path.starts_with("/portal") {
        "/login"
    } else {
        "/staff/login"
    };
    Redirect::to(to).into_response()
}

/// The page routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(public::home))
        .route("/static/{*path}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        .route("/track", get(public::track_form).post(public::track))
        .route("/verify", get(verify::form))
        .route("/verify/{code}", get(verify::by_code))
        .route("/login", get(login::login_form).post(login::request_code))
        .route("/login/verify", post(login::verify_code))
        .route(
            "/staff/login",
            get(login::staff_login_form).post(login::staff_login),
        )
        .route("/staff/totp", get(totp::form).post(totp::confirm))
        .route("/logout", post(login::logout))
        .route("/portal", get(portal::home))
        .route("/portal/apply", get(apply::apply_form).post(apply::apply))
        .route("/portal/inbox", get(portal::inbox))
        .route("/portal/mobile", get(mobile::form).post(mobile::request))
        .route("/portal/mobile/confirm", post(mobile::confirm))
        .route("/portal/files/{id}", get(portal::file))
        .route("/portal/files/{id}/documents", post(portal::upload))
        .route(
            "/portal/files/{id}/withdraw",
            get(portal::withdraw_form).post(portal::withdraw),
        )
        .route("/portal/files/{id}/correct", post(correction::correct))
        .route("/documents/{id}", get(file_forms::document_content))
        .route("/desk", get(desk::queue))
        .route("/desk/notices", get(notices::page))
        .route("/reports", get(reports::index))
        .route("/reports/{name}", get(reports::report))
        .route("/desk/notices/read", post(notices::read))
        .route(
            "/desk/register",
            get(apply::register_form).post(apply::register),
        )
        .route("/desk/files/{id}", get(file::page_get))
        .route(
            "/desk/persons/{id}/contact",
            get(contact::form).post(contact::change),
        )
        .route(
            "/desk/files/{id}/actions/{action}",
            get(file_forms::confirm_form).post(file_forms::act),
        )
        .route("/desk/files/{id}/documents", post(file_forms::upload))
        .route(
            "/desk/files/{id}/counselling",
            post(file_forms::counselling),
        )
        .route(
            "/desk/files/{id}/plan-review",
            post(file_forms::plan_review),
        )
        .route("/desk/files/{id}/visits", post(loan_forms::record_visit))
        .route("/desk/documents/{id}/review", post(file_forms::review))
        .route("/desk/loans/{id}/payments", post(loan_forms::post_payment))
        .route("/bank", get(bank::referrals))
        .route(
            "/bank/payments",
            get(bank_import::form).post(bank_import::upload),
        )
        .merge(admin_router())
        .merge(proposals::router())
        .layer(axum::middleware::from_fn(login_redirect))
}

/// The administration's pages.
fn admin_router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(admin::index))
        .route(
            "/admin/programs",
            get(admin_forms::programs).post(admin_forms::create_program),
        )
        .route(
            "/admin/programs/{id}/toggle",
            get(admin_forms::confirm_close_program).post(admin_forms::toggle_program),
        )
        .route(
            "/admin/banks",
            get(admin_banks::banks).post(admin_banks::create_bank),
        )
        .route(
            "/admin/banks/{id}/branches",
            post(admin_banks::create_branch),
        )
        .route(
            "/admin/memoranda",
            get(admin_banks::memoranda).post(admin_banks::create_memorandum),
        )
        .route("/admin/memoranda/{id}/quota", post(admin_banks::set_quota))
        .route(
            "/admin/staff",
            get(admin_staff::staff_page).post(admin_staff::create_staff),
        )
        .route(
            "/admin/staff/{id}",
            get(admin_staff::edit_form).post(admin_staff::save),
        )
        .route(
            "/admin/staff/{id}/active",
            get(admin_staff::confirm_deactivate).post(admin_staff::set_active),
        )
        .route("/pickers/counties", get(pickers::counties_of))
        .route(
            "/admin/staff/{id}/totp-reset",
            get(admin_totp::confirm_reset).post(admin_totp::reset_factor),
        )
        .route(
            "/admin/holidays",
            get(admin_places::holidays).post(admin_places::add_holiday),
        )
        .route(
            "/admin/holidays/import",
            post(admin_places::import_holidays),
        )
        .route(
            "/admin/holidays/{date}/delete",
            get(admin_places::confirm_delete_holiday).post(admin_places::delete_holiday),
        )
        .route(
            "/admin/deciles",
            get(admin_deciles::deciles).post(admin_deciles::import_deciles),
        )
        .route("/admin/counties", get(admin_places::counties))
        .route("/admin/counties/{code}", post(admin_places::set_county))
        .merge(complaints::router())
        .merge(households::router())
}
