//! The reports pages (`/reports`, `/reports/{name}`): the reports the caller may see, and one
//! report with its filter form (a GET form: the address is the report, shareable), its tables
//! with their charts, and downloads as CSV and XLSX through the API route (the session cookie
//! is enough there). A refused filter shows the form again with the error summary and the
//! values as typed; nothing else changes.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use vamyar_app::reports::{self, ReportEntry, ReportQuery};
use vamyar_domain::policy::Scope;
use vamyar_domain::vocab::{Gender, LoanType, Sector};
use vamyar_i18n::Lang;

use super::apply::Opt;
use super::problems::{Money, by_table};
use super::report_view::{self, TableView};
use super::{Chrome, PageCtx, fmt, ok, page};
use crate::AppState;
use crate::error::{AppError, AppResult};

/// The reports list.
#[derive(Template)]
#[template(path = "pages/reports.html")]
pub struct ReportsPage {
    /// The frame.
    pub c: Chrome,
    /// The reports, with their pages.
    pub entries: Vec<(String, String)>,
}

/// A filter of the form.
pub struct FilterField {
    /// Element id.
    pub id: String,
    /// Query parameter.
    pub name: &'static str,
    /// Label.
    pub label: String,
    /// The value as typed (or chosen).
    pub value: String,
    /// Choices (a select), or none (a date typed in).
    pub options: Vec<Opt>,
}

/// One report.
#[derive(Template)]
#[template(path = "pages/report.html")]
pub struct ReportPage {
    /// The frame.
    pub c: Chrome,
    /// The report's page.
    pub action: String,
    /// Its filters.
    pub filters: Vec<FilterField>,
    /// The filter form starts open (a filter is set, or one was refused).
    pub filters_open: bool,
    /// Its tables (none when a filter was refused).
    pub tables: Vec<TableView>,
    /// What the figures stand for (a Jalali day).
    pub as_of: String,
    /// The CSV and XLSX downloads with the same filters.
    pub csv: String,
    /// XLSX.
    pub xlsx: String,
}

fn entries(ctx: &PageCtx) -> AppResult<Vec<ReportEntry>> {
    let current = ctx.actor().ok_or(AppError::Unauthenticated)?;
    Ok(reports::list(&current.actor, ctx.lang)?)
}

/// `GET /reports`.
pub async fn index(ctx: PageCtx) -> AppResult<Response> {
    let list = entries(&ctx)?;
    let c = Chrome::new(&ctx, "pg-reports-title");
    let entries = list
        .into_iter()
        .map(|e| {
            let link = format!("/reports/{}", name_of(&e));
            (e.title, link)
        })
        .collect();
    ok(&ctx, &ReportsPage { c, entries })
}

fn name_of(e: &ReportEntry) -> String {
    serde_json::to_value(e.name)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The query as typed, for the form and the download links.
fn typed(q: &ReportQuery, name: &str) -> String {
    let v = match name {
        "from" => &q.from,
        "to" => &q.to,
        "province" => &q.province,
        "county" => &q.county,
        "program_id" => &q.program_id,
        "bank_id" => &q.bank_id,
        "loan_type" => &q.loan_type,
        "gender" => &q.gender,
        "female_head_of_household" => &q.female_head_of_household,
        "deprived" => &q.deprived,
        "sector" => &q.sector,
        _ => return String::new(),
    };
    v.clone().unwrap_or_default()
}

fn yes_no(lang: Lang) -> Vec<Opt> {
    let t = |id: &str| vamyar_i18n::text(lang, id, &[]);
    vec![
        Opt {
            value: String::new(),
            label: t("pg-all"),
        },
        Opt {
            value: "true".into(),
            label: t("pg-yes"),
        },
        Opt {
            value: "false".into(),
            label: t("pg-no"),
        },
    ]
}

fn with_all(lang: Lang, mut opts: Vec<Opt>) -> Vec<Opt> {
    opts.insert(
        0,
        Opt {
            value: String::new(),
            label: vamyar_i18n::text(lang, "pg-all", &[]),
        },
    );
    opts
}

/// The choices of a filter, within the caller's scope.
async fn options(state: &AppState, ctx: &PageCtx, name: &str) -> AppResult<Vec<Opt>> {
    let lang = ctx.lang;
    let scope = ctx.actor().map(|a| a.actor.scope().clone());
    let pick = |fa: &str, en: &str| {
        if lang == Lang::Fa {
            fa.to_string()
        } else {
            en.to_string()
        }
    };
    let opts = match name {
        "from" | "to" => return Ok(Vec::new()),
        "province" => vamyar_store::reference::provinces(&state.db)
            .await?
            .into_iter()
            .filter(|p| match &scope {
                Some(Scope::Province { province_code }) => &p.code == province_code,
                _ => true,
            })
            .map(|p| Opt {
                label: pick(&p.name_fa, &p.name_en),
                value: p.code,
            })
            .collect(),
        "county" => vamyar_store::reference::counties(&state.db)
            .await?
            .into_iter()
            .filter(|c| match &scope {
                Some(Scope::Province { province_code }) => &c.province_code == province_code,
                _ => true,
            })
            .map(|c| Opt {
                label: pick(&c.name_fa, &c.name_en),
                value: c.code,
            })
            .collect(),
        "program_id" => vamyar_store::program::list(state.db.pool())
            .await?
            .into_iter()
            .map(|p| Opt {
                label: pick(&p.title_fa, &p.title_en),
                value: p.id.to_string(),
            })
            .collect(),
        "bank_id" => vamyar_store::bank::banks(state.db.pool())
            .await?
            .into_iter()
            .filter(|b| match &scope {
                Some(Scope::Bank { bank_id, .. }) => b.id == *bank_id,
                _ => true,
            })
            .map(|b| Opt {
                label: pick(&b.name_fa, &b.name_en),
                value: b.id.to_string(),
            })
            .collect(),
        "loan_type" => LoanType::ALL
            .iter()
            .map(|t| Opt {
                value: t.as_str().into(),
                label: fmt::loan_type(lang, t.as_str()),
            })
            .collect(),
        "gender" => Gender::ALL
            .iter()
            .map(|g| Opt {
                value: g.as_str().into(),
                label: vamyar_i18n::text(lang, &format!("pg-gender-{}", g.as_str()), &[]),
            })
            .collect(),
        "sector" => Sector::ALL
            .iter()
            .map(|s| Opt {
                value: s.as_str().into(),
                label: fmt::sector(lang, s.as_str()),
            })
            .collect(),
        _ => return Ok(yes_no(lang)),
    };
    Ok(with_all(lang, opts))
}

/// The label of a filter.
fn label(lang: Lang, name: &str) -> String {
    vamyar_i18n::text(lang, &format!("pg-report-filter-{name}"), &[])
}

/// `GET /reports/{name}`: the report with the filters of the query string.
pub async fn report(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(name): Path<String>,
    Query(q): Query<ReportQuery>,
) -> AppResult<Response> {
    let list = entries(&ctx)?;
    let entry = list
        .iter()
        .find(|e| name_of(e) == name)
        .ok_or(AppError::NotFound)?;
    let current = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    let lang = ctx.lang;
    let mut filters = Vec::with_capacity(entry.filters.len());
    for &f in &entry.filters {
        filters.push(FilterField {
            id: format!("r-{}", f.replace('_', "-")),
            name: f,
            label: label(lang, f),
            value: typed(&q, f),
            options: options(&state, &ctx, f).await?,
        });
    }
    let mut query: Vec<(&str, String)> = filters
        .iter()
        .filter(|f| !f.value.trim().is_empty())
        .map(|f| (f.name, f.value.clone()))
        .collect();
    query.push(("lang", lang.code().to_string()));
    let link = |format: &str| {
        let mut pairs = query.clone();
        pairs.push(("format", format.to_string()));
        format!(
            "/api/v1/reports/{name}?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    };
    let mut c = Chrome::new(&ctx, "pg-reports-title");
    c.title = entry.title.clone();
    let filters_open = filters.iter().any(|f| !f.value.trim().is_empty());
    let mut p = ReportPage {
        filters_open,
        c,
        action: format!("/reports/{name}"),
        tables: Vec::new(),
        as_of: String::new(),
        csv: link("csv"),
        xlsx: link("xlsx"),
        filters,
    };
    let mut q = q;
    q.format = None;
    match reports::run(&state.ctx, &current.actor, &name, &q, lang).await {
        Ok(report) => {
            p.as_of = fmt::day(lang, report.as_of);
            p.tables = report_view::tables(&report);
            ok(&ctx, &p)
        }
        Err(e) => {
            let e = AppError::from(e);
            if !matches!(e, AppError::Validation(_)) {
                return Err(e);
            }
            let table: Vec<(&str, String, String)> = p
                .filters
                .iter()
                .map(|f| (f.name, f.id.clone(), format!("pg-report-filter-{}", f.name)))
                .collect();
            let table: Vec<(&str, &str, &str)> = table
                .iter()
                .map(|(a, b, c)| (*a, b.as_str(), c.as_str()))
                .collect();
            p.c.refuse(&e, &by_table(lang, &table), Money::Rials);
            page(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
    }
}
