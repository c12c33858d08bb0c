//! The administration's programs pages (staff: [`super::admin_staff`]; holidays and
//! counties: [`super::admin_places`]; banks and memoranda: [`super::admin_banks`]).

use axum::extract::{Path, State};
use axum::response::Response;
use vamyar_app::admin::program_input::{
    DOCUMENT_KINDS, ELIGIBLE_GROUPS, LOAN_TYPES, LoanTypeInput, ProgramInput,
};
use vamyar_app::admin::programs::{self, ProgramPatch};
use vamyar_app::applicant::Flex;
use vamyar_domain::vocab::Sector;
use vamyar_i18n::Lang;

use super::admin::{AdminPage, Field, FormSpec, RowAction, TableRow, answer, staff};
use super::apply::Opt;
use super::form::rials_of;
use super::{FormData, PageCtx, PageForm, fmt, ok};
use crate::AppState;
use crate::error::AppResult;

fn name(lang: Lang, fa: &str, en: &str) -> String {
    if lang == Lang::Fa {
        fa.into()
    } else {
        en.into()
    }
}

pub(super) fn opts(lang: Lang, prefix: &str, values: &[&str]) -> Vec<Opt> {
    values
        .iter()
        .map(|v| Opt {
            value: (*v).into(),
            label: vamyar_i18n::text(lang, &format!("{prefix}-{v}"), &[]),
        })
        .collect()
}

// --- Programs ---------------------------------------------------------------------------------

async fn programs_page(state: &AppState, ctx: &PageCtx) -> AppResult<AdminPage> {
    let current = staff(ctx)?;
    let lang = ctx.lang;
    let list = programs::list(&state.ctx, &current.actor).await?;
    let mut p = AdminPage::new(ctx, "pg-admin-programs");
    p.headers(
        lang,
        &[
            "pg-col-title",
            "pg-col-year",
            "pg-col-loan-types",
            "pg-field-state",
        ],
    );
    p.rows = list
        .iter()
        .map(|pr| TableRow {
            cells: vec![
                name(lang, &pr.title_fa, &pr.title_en),
                fmt::digits(lang, &pr.jalali_year.to_string()),
                pr.loan_types
                    .iter()
                    .map(|t| {
                        format!(
                            "{}: {}",
                            fmt::loan_type(lang, &t.loan_type),
                            fmt::tomans(lang, t.ceiling)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("، "),
                vamyar_i18n::text(
                    lang,
                    if pr.is_active {
                        "pg-active"
                    } else {
                        "pg-inactive"
                    },
                    &[],
                ),
            ],
            actions: vec![RowAction {
                url: format!("/admin/programs/{}/toggle", pr.id),
                label: vamyar_i18n::text(
                    lang,
                    if pr.is_active {
                        "pg-deactivate"
                    } else {
                        "pg-activate"
                    },
                    &[],
                ),
                hidden: vec![Opt {
                    value: "active".into(),
                    label: (!pr.is_active).to_string(),
                }],
                danger: pr.is_active,
                link: pr.is_active,
            }],
        })
        .collect();
    let sector_names: Vec<&str> = Sector::ALL.iter().map(|s| s.as_str()).collect();
    let mut fields = vec![
        Field::ltr(lang, "jalali_year", "pg-col-year", true),
        Field::ltr(lang, "code", "pg-field-code-name", true),
        Field::text(lang, "title_fa", "pg-field-title-fa", true),
        Field::ltr(lang, "title_en", "pg-field-title-en", true),
        Field::ltr(lang, "fee_percent", "pg-fee-rate", true).value("4"),
        Field::ltr(lang, "term_months", "pg-term", true).value("60"),
        Field::ltr(lang, "grace_months", "pg-grace", true).value("6"),
        Field::select(
            lang,
            "schedule_method",
            "pg-field-schedule",
            opts(lang, "pg-schedule", &["flat", "annuity"]),
        ),
        Field {
            options: opts(lang, "pg-group", &ELIGIBLE_GROUPS),
            ..Field::text(lang, "eligible_groups", "pg-home-who", false).kind("checks")
        },
        Field {
            options: opts(lang, "pg-doc", &DOCUMENT_KINDS[..3]),
            ..Field::text(lang, "required_documents", "pg-home-documents", false).kind("checks")
        },
        Field {
            options: opts(lang, "pg-sector", &sector_names),
            ..Field::text(lang, "sectors", "pg-field-sectors", false).kind("checks")
        },
    ];
    for t in LOAN_TYPES {
        let mut f = Field::ltr(lang, &format!("ceiling_{t}"), "pg-field-ceiling", false);
        f.label = format!("{} — {}", f.label, fmt::loan_type(lang, t));
        fields.push(f);
    }
    p.forms.push(FormSpec {
        action: "/admin/programs".into(),
        title: vamyar_i18n::text(lang, "pg-admin-new-program", &[]),
        submit: vamyar_i18n::text(lang, "pg-save", &[]),
        fields,
    });
    Ok(p)
}

/// `GET /admin/programs`.
pub async fn programs(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let p = programs_page(&state, &ctx).await?;
    ok(&ctx, &p)
}

/// A new program from the form: the fee as a percentage (`4` or `4.5`), a ceiling in
/// tomans for each loan type offered.
fn program_input(form: &FormData) -> ProgramInput {
    let fee_rate_bp = form.get("fee_percent").map(|v| {
        let v = vamyar_calendar::digits::to_latin_digits(&v);
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => Flex(((x * 100.0).round() as i64).to_string()),
            _ => Flex(v),
        }
    });
    let loan_types = LOAN_TYPES
        .iter()
        .filter_map(|t| {
            rials_of(form, &format!("ceiling_{t}")).map(|c| LoanTypeInput {
                loan_type: Some((*t).to_string()),
                ceiling: Some(Flex(c)),
                title_fa: Some(vamyar_i18n::text(
                    Lang::Fa,
                    &format!("pg-loantype-{t}"),
                    &[],
                )),
                title_en: Some(vamyar_i18n::text(
                    Lang::En,
                    &format!("pg-loantype-{t}"),
                    &[],
                )),
                per_job: None,
            })
        })
        .collect();
    ProgramInput {
        jalali_year: form.get("jalali_year").map(Flex),
        code: form.get("code"),
        title_fa: form.get("title_fa"),
        title_en: form.get("title_en"),
        fee_rate_bp,
        term_months: form.get("term_months").map(Flex),
        grace_months: form.get("grace_months").map(Flex),
        schedule_method: form.get("schedule_method"),
        eligible_groups: Some(form.all("eligible_groups")),
        required_documents: Some(form.all("required_documents")),
        sectors: Some(form.all("sectors")),
        loan_types: Some(loan_types),
        ..ProgramInput::default()
    }
}

/// `POST /admin/programs`: creates a program with its loan types.
pub async fn create_program(
    State(state): State<AppState>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    let result = programs::create(&state.ctx, &current.actor, program_input(&form)).await;
    answer(&ctx, "/admin/programs", result, &form, || {
        programs_page(&state, &ctx)
    })
    .await
}

/// `POST /admin/programs/{id}/toggle`: opens a program, or closes it after the
/// confirmation with a reason (kept in the audit entry).
pub async fn toggle_program(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    let opening = form.raw("active") == "true";
    let mut reason = None;
    if !opening {
        if form.get("confirm").is_none() {
            // closing a program is the second step of its own page
            return Ok(super::see_other(
                &ctx,
                &format!("/admin/programs/{id}/toggle"),
            ));
        }
        match super::admin::confirmed_reason(&ctx, &form, close_program_page(&ctx, id))? {
            Ok(r) => reason = Some(r),
            Err(refused) => return Ok(refused),
        }
    }
    let patch = ProgramPatch {
        is_active: Some(opening),
        reason,
        ..ProgramPatch::default()
    };
    let result =
        vamyar_app::admin::changes::submit_program(&state.ctx, &current.actor, id, patch).await;
    super::admin::answer_change(&ctx, "/admin/programs", result, &form, || {
        programs_page(&state, &ctx)
    })
    .await
}

fn close_program_page(ctx: &PageCtx, id: i64) -> AdminPage {
    super::admin::confirm_page(
        ctx,
        "pg-confirm-title-close-program",
        "pg-confirm-lead-close-program",
        format!("/admin/programs/{id}/toggle"),
        &[("active", "false")],
        "/admin/programs",
    )
}

/// `GET /admin/programs/{id}/toggle`: asks before closing a program, and why.
pub async fn confirm_close_program(ctx: PageCtx, Path(id): Path<i64>) -> AppResult<Response> {
    staff(&ctx)?;
    ok(&ctx, &close_program_page(&ctx, id))
}
