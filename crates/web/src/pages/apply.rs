//! The application form, in plain Persian with the document checklist: filled online by a
//! verified registrant or a logged-in applicant (`/portal/apply`), or at the service desk by
//! a desk clerk for a walk-in applicant (`/desk/register`). Both send the same body to the
//! same service as `POST /api/v1/applications` (`files::register::register`).
//!
//! Amounts are typed in tomans (what people say) and sent in rials.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::Response;
use chrono::{Duration, Utc};
use serde_json::json;
use vamyar_domain::policy::Scope;
use vamyar_domain::workflow::Role;
use vamyar_i18n::Lang;
use vamyar_store::session::{self, Subject};

use super::problems::{Money, by_table};
use super::public::active_settings;
use super::{Chrome, FormData, PageCtx, PageForm, fmt, page, see_other};
use crate::AppState;
use crate::auth::Caller;
use crate::auth::cookies::session_cookie;
use crate::error::{AppError, AppResult};
use crate::files::register::{self, RegisterBody};

pub use super::pickers::{Group, Opt};

/// The application form.
#[derive(Template)]
#[template(path = "pages/apply.html")]
pub struct ApplyPage {
    /// The frame.
    pub c: Chrome,
    /// Where the form posts.
    pub action: &'static str,
    /// True at the service desk (the clerk types the applicant's national ID and mobile).
    pub desk: bool,
    /// The program applied to, if one is open.
    pub program_id: Option<i64>,
    /// Its loan types.
    pub loan_types: Vec<Opt>,
    /// Each loan type's ceiling, shown under the choice (long option texts are cut on phones).
    pub loan_limits: Vec<String>,
    /// Counties by province.
    pub counties: Vec<Group>,
    /// The documents to prepare.
    pub documents: Vec<String>,
    /// Income deciles 1–10.
    pub deciles: Vec<Opt>,
    /// Relationships with the agency.
    pub beneficiary: Vec<Opt>,
    /// The values typed so far.
    pub v: FormData,
}

async fn counties(state: &AppState, lang: Lang, only: Option<&str>) -> AppResult<Vec<Group>> {
    super::pickers::county_groups(state, lang, None, only).await
}

async fn form_page(
    state: &AppState,
    ctx: &PageCtx,
    desk: bool,
    v: FormData,
) -> AppResult<ApplyPage> {
    let lang = ctx.lang;
    let settings = active_settings(state).await?;
    let county = match ctx.actor().map(|a| a.actor.scope()) {
        Some(Scope::County { county_code, .. }) if desk => Some(county_code.clone()),
        _ => None,
    };
    let (title, action) = if desk {
        ("pg-register-title", "/desk/register")
    } else {
        ("pg-apply-title", "/portal/apply")
    };
    let counties = counties(state, lang, county.as_deref()).await?;
    let mut v = v;
    // a desk clerk's county is the only choice: chosen already
    if let [g] = counties.as_slice()
        && let [o] = g.options.as_slice()
        && v.get("county").is_none()
    {
        v.0.push(("county".into(), o.value.clone()));
    }
    Ok(ApplyPage {
        c: Chrome::new(ctx, title),
        action,
        desk,
        program_id: settings.as_ref().map(|s| s.program.id),
        loan_types: settings
            .as_ref()
            .map(|s| {
                s.loan_types
                    .iter()
                    .map(|t| Opt {
                        value: t.loan_type.clone(),
                        label: if lang == Lang::Fa {
                            t.title_fa.clone()
                        } else {
                            t.title_en.clone()
                        },
                    })
                    .collect()
            })
            .unwrap_or_default(),
        loan_limits: settings
            .as_ref()
            .map(|s| {
                s.loan_types
                    .iter()
                    .map(|t| {
                        format!(
                            "{}: {} {}",
                            if lang == Lang::Fa {
                                &t.title_fa
                            } else {
                                &t.title_en
                            },
                            vamyar_i18n::text(lang, "pg-up-to", &[]),
                            fmt::tomans(lang, t.ceiling)
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        counties,
        documents: settings
            .as_ref()
            .map(|s| {
                s.required_documents
                    .iter()
                    .map(|d| fmt::doc_kind(lang, d))
                    .collect()
            })
            .unwrap_or_default(),
        deciles: (1..=10)
            .map(|d: i64| Opt {
                value: d.to_string(),
                label: fmt::digits(lang, &d.to_string()),
            })
            .collect(),
        beneficiary: ["none", "supported", "waiting_list", "household_member"]
            .iter()
            .map(|s| Opt {
                value: (*s).to_string(),
                label: vamyar_i18n::text(lang, &format!("pg-beneficiary-{s}"), &[]),
            })
            .collect(),
        v,
    })
}

/// The form's fields in order: the service's field path, the element, the label.
const FIELDS: &[(&str, &str, &str)] = &[
    ("national_id", "national_id", "pg-field-national-id"),
    ("first_name", "first_name", "pg-field-first-name"),
    ("last_name", "last_name", "pg-field-last-name"),
    ("father_name", "father_name", "pg-field-father-name"),
    ("birth_date", "birth_date", "pg-field-birth-date"),
    ("gender", "gender", "pg-field-gender"),
    ("mobile", "mobile", "pg-field-mobile"),
    ("province", "county", "pg-field-county"),
    ("county", "county", "pg-field-county"),
    ("address", "address", "pg-field-address"),
    ("postal_code", "postal_code", "pg-field-postal-code"),
    (
        "female_head_of_household",
        "female_head_of_household",
        "pg-field-female-head",
    ),
    (
        "household_size",
        "household_size",
        "pg-field-household-size",
    ),
    ("income_decile", "income_decile", "pg-field-income-decile"),
    (
        "beneficiary_status",
        "beneficiary_status",
        "pg-field-beneficiary-status",
    ),
    ("loan_type", "loan_type", "pg-field-loan-type"),
    (
        "requested_amount",
        "requested_amount",
        "pg-field-requested-amount",
    ),
    ("business.title", "business_title", "pg-field-title"),
    (
        "business.activity",
        "business_activity",
        "pg-field-activity",
    ),
    (
        "business.location",
        "business_location",
        "pg-field-location",
    ),
    (
        "business.jobs_planned",
        "jobs_planned",
        "pg-field-jobs-planned",
    ),
    ("business.summary", "business_summary", "pg-field-summary"),
];

/// Tomans as typed → rials as text (the service reports a value it cannot read).
fn rials(tomans: &str) -> String {
    match vamyar_domain::money::Rial::parse_tomans(tomans) {
        Ok(r) => r.value().to_string(),
        Err(_) => tomans.to_string(),
    }
}

/// The registration body from the form's fields.
fn body(form: &FormData, caller: &Caller) -> serde_json::Value {
    let (national_id, mobile) = match caller {
        Caller::Registrant {
            national_id,
            mobile,
        } => (json!(national_id), json!(mobile)),
        _ => (form.json("national_id"), form.json("mobile")),
    };
    let county = form.raw("county");
    let province = county.split('-').next().unwrap_or_default().to_string();
    json!({
        "program_id": form.get("program_id").and_then(|p| p.parse::<i64>().ok()).unwrap_or(0),
        "loan_type": form.raw("loan_type"),
        "requested_amount": rials(&form.raw("requested_amount")),
        "applicant": {
            "national_id": national_id,
            "first_name": form.json("first_name"),
            "last_name": form.json("last_name"),
            "father_name": form.json("father_name"),
            "birth_date": form.json("birth_date"),
            "gender": form.json("gender"),
            "mobile": mobile,
            "province": province,
            "county": county,
            "address": form.json("address"),
            "postal_code": form.json("postal_code"),
            "female_head_of_household": form.checked("female_head_of_household"),
            "disability": form.checked("disability"),
            "household_size": form.json("household_size"),
            "income_decile": form.json("income_decile"),
            "beneficiary_status": form.json("beneficiary_status"),
        },
        "business": {
            "title": form.json("business_title"),
            "activity": form.json("business_activity"),
            "location": form.json("business_location"),
            "summary": form.json("business_summary"),
            "jobs_planned": form.json("jobs_planned"),
        },
    })
}

/// Registers from a submitted form, or shows the form again with the refusal.
async fn submit(
    state: &AppState,
    ctx: &PageCtx,
    desk: bool,
    form: FormData,
) -> AppResult<Result<register::Registered, Response>> {
    let caller = ctx.caller.clone().ok_or(AppError::Unauthenticated)?;
    let json = body(&form, &caller);
    let caller = caller.registrant();
    register::may_register(&caller)?;
    let parsed: AppResult<RegisterBody> = crate::input::from_value(json);
    let result = match parsed {
        Ok(b) => register::register(&state.ctx, caller, b)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(done) => Ok(Ok(done)),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_) | AppError::BadRequest(_))) => {
            let mut p = form_page(state, ctx, desk, form).await?;
            p.c.refuse(&e, &by_table(ctx.lang, FIELDS), Money::Tomans);
            Ok(Err(page(ctx, e.status_code(), &p)?))
        }
        Err(e) => Err(e),
    }
}

/// `GET /portal/apply`: the form for a verified registrant or a logged-in applicant.
pub async fn apply_form(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let mut v = FormData::default();
    match &ctx.caller {
        Some(Caller::Registrant {
            national_id,
            mobile,
        }) => {
            v.0.push(("national_id".into(), national_id.clone()));
            v.0.push(("mobile".into(), mobile.clone()));
        }
        Some(Caller::Actor(a)) if a.role() == Role::Applicant => {}
        Some(_) => return Err(AppError::Forbidden),
        None => return Err(AppError::Unauthenticated),
    }
    let p = form_page(&state, &ctx, false, v).await?;
    super::ok(&ctx, &p)
}

/// `POST /portal/apply`: registers the file; a registrant's one-hour registration session
/// becomes an applicant's session (the code already proved the mobile, and registration
/// checked the national ID and mobile against it), so they land on their new file.
pub async fn apply(
    State(state): State<AppState>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let done = match submit(&state, &ctx, false, form).await? {
        Ok(done) => done,
        Err(shown) => return Ok(shown),
    };
    let to = format!("/portal/files/{}?done={}", done.id, done_key(&done));
    let Some(Caller::Registrant { .. }) = &ctx.caller else {
        return Ok(see_other(&ctx, &to));
    };
    let file = crate::files::FileContext::load(&state.ctx, done.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    if let Some(s) = &ctx.session {
        session::revoke(&mut tx, s.id).await?;
    }
    let expires = Utc::now() + Duration::hours(crate::auth::otp::APPLICANT_SESSION_HOURS);
    let (token, _) = session::create_until(
        &mut tx,
        "session",
        &Subject::Person(file.person.id),
        None,
        expires,
    )
    .await?;
    tx.commit().await?;
    let mut res = see_other(&ctx, &to);
    res.headers_mut().append(
        header::SET_COOKIE,
        session_cookie(&token, state.config.secure_cookies)?,
    );
    Ok(res)
}

/// `GET /desk/register`: the walk-in form (desk clerks; their county only).
pub async fn register_form(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    match ctx.role() {
        Some(Role::DeskClerk) => {}
        Some(_) => return Err(AppError::Forbidden),
        None => return Err(AppError::Unauthenticated),
    }
    let p = form_page(&state, &ctx, true, FormData::default()).await?;
    super::ok(&ctx, &p)
}

/// `POST /desk/register`: registers a walk-in applicant and opens their file.
pub async fn register(
    State(state): State<AppState>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    match submit(&state, &ctx, true, form).await? {
        Ok(done) => Ok(see_other(
            &ctx,
            &format!("/desk/files/{}?done={}", done.id, done_key(&done)),
        )),
        Err(shown) => Ok(shown),
    }
}

/// The notice after a registration: a known person's kept details are said plainly.
fn done_key(done: &register::Registered) -> &'static str {
    if done.details_kept {
        "registered-kept"
    } else {
        "registered"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tomans_become_rials() {
        assert_eq!(rials("150,000,000"), "1500000000");
        assert_eq!(rials("۱۵۰٬۰۰۰٬۰۰۰"), "1500000000");
        assert_eq!(rials("abc"), "abc");
    }
}
