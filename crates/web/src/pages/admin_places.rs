//! The administration's holidays and deprived-counties pages.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use vamyar_app::admin::holiday_import::{self, HolidayImport, HolidayOutcome};
use vamyar_app::admin::places::{self, CountyPatch, HolidayInput, HolidayRange};
use vamyar_i18n::Lang;

use super::admin::{AdminPage, Field, FormSpec, RowAction, TableRow, UploadSpec, answer, staff};
use super::apply::Opt;
use super::{PageCtx, PageForm, PageMultipart, fmt, ok, page, problems};
use crate::AppState;
use crate::error::{AppError, AppResult};

fn name(lang: Lang, fa: &str, en: &str) -> String {
    if lang == Lang::Fa {
        fa.into()
    } else {
        en.into()
    }
}

fn opts(lang: Lang, prefix: &str, values: &[&str]) -> Vec<Opt> {
    values
        .iter()
        .map(|v| Opt {
            value: (*v).into(),
            label: vamyar_i18n::text(lang, &format!("{prefix}-{v}"), &[]),
        })
        .collect()
}

// --- Holidays ---------------------------------------------------------------------------------

async fn holidays_page(state: &AppState, ctx: &PageCtx) -> AppResult<AdminPage> {
    let current = staff(ctx)?;
    let lang = ctx.lang;
    let list = places::list_holidays(&state.ctx, &current.actor, HolidayRange::default()).await?;
    let mut p = AdminPage::new(ctx, "pg-admin-holidays");
    p.headers(lang, &["pg-col-date", "pg-col-title"]);
    p.rows = list
        .iter()
        .map(|h| TableRow {
            cells: vec![fmt::date(lang, &h.date), name(lang, &h.name_fa, &h.name_en)],
            actions: vec![RowAction {
                url: format!("/admin/holidays/{}/delete", h.date),
                label: vamyar_i18n::text(lang, "pg-delete", &[]),
                hidden: Vec::new(),
                danger: true,
                link: true,
            }],
        })
        .collect();
    p.forms.push(FormSpec {
        action: "/admin/holidays".into(),
        title: vamyar_i18n::text(lang, "pg-admin-new-holiday", &[]),
        submit: vamyar_i18n::text(lang, "pg-save", &[]),
        fields: vec![
            Field::ltr(lang, "date", "pg-col-date", true),
            Field::text(lang, "name_fa", "pg-field-title-fa", true),
            Field::ltr(lang, "name_en", "pg-field-title-en", true),
            Field::select(
                lang,
                "kind",
                "pg-col-kind",
                opts(lang, "pg-holiday", &["other", "lunar", "solar"]),
            ),
        ],
    });
    let t = |id: &str| vamyar_i18n::text(lang, id, &[]);
    let missing = holiday_import::years_without_lunar_holidays(&state.ctx).await?;
    if !missing.is_empty() {
        let years: Vec<String> = missing
            .iter()
            .map(|y| fmt::digits(lang, &y.to_string()))
            .collect();
        let years = years.join(if lang == Lang::Fa { "، " } else { ", " });
        p.notices.push(vamyar_i18n::text(
            lang,
            "pg-holidays-lunar-missing",
            &[("years", years.into())],
        ));
    }
    p.upload = Some(UploadSpec {
        action: "/admin/holidays/import".into(),
        title: t("pg-holidays-import"),
        hint: t("pg-holidays-import-hint"),
        header: holiday_import::HOLIDAY_HEADER.join(","),
        label: t("pg-import-file"),
        submit: t("pg-import-send"),
    });
    Ok(p)
}

/// The report of a holiday file as lines of text in `lang`.
fn report_lines(report: &HolidayImport, lang: Lang) -> Vec<String> {
    let mut lines: Vec<String> = report
        .lines
        .iter()
        .map(|l| {
            let date = l
                .date
                .as_deref()
                .map(|d| fmt::date(lang, d))
                .unwrap_or_default();
            let args = [
                ("line", fmt::num(lang, l.line as i64).into()),
                ("date", date.into()),
                ("why", l.message.clone().unwrap_or_default().into()),
            ];
            let id = match l.outcome {
                HolidayOutcome::Added => "pg-holidays-line-added",
                HolidayOutcome::Exists => "pg-holidays-line-exists",
                HolidayOutcome::Refused => "pg-holidays-line-refused",
            };
            vamyar_i18n::text(lang, id, &args)
        })
        .collect();
    let n = |v: usize| fmt::num(lang, v as i64);
    lines.push(vamyar_i18n::text(
        lang,
        "pg-holidays-import-totals",
        &[
            ("added", n(report.added).into()),
            ("existing", n(report.existing).into()),
            ("refused", n(report.refused).into()),
        ],
    ));
    lines
}

/// `POST /admin/holidays/import`: adds the uploaded CSV's rows as lunar holidays (national
/// admin; the same function as `vamyar import holidays`) and shows the holidays page with
/// the report line by line; a file refused whole shows the page with the problem on top.
pub async fn import_holidays(
    State(state): State<AppState>,
    PageMultipart(ctx, mut multipart): PageMultipart,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    let lang = ctx.lang;
    let result = match crate::routes::payment_files::read_file(&mut multipart).await {
        Ok(bytes) => {
            holiday_import::import_holidays(&state.ctx, Some(&current.actor), &bytes, lang)
                .await
                .map_err(AppError::from)
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(report) => {
            let mut p = holidays_page(&state, &ctx).await?;
            p.report = report_lines(&report, lang);
            ok(&ctx, &p)
        }
        Err(e @ (AppError::Validation(_) | AppError::PayloadTooLarge)) => {
            let mut p = holidays_page(&state, &ctx).await?;
            p.c.refuse(&e, &|_| None, problems::Money::Rials);
            page(&ctx, e.status_code(), &p)
        }
        Err(e) => Err(e),
    }
}

/// `GET /admin/holidays`: the coming year's holidays.
pub async fn holidays(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let p = holidays_page(&state, &ctx).await?;
    ok(&ctx, &p)
}

/// `POST /admin/holidays`: adds a holiday (date in Jalali or ISO, any digits).
pub async fn add_holiday(
    State(state): State<AppState>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    let input = HolidayInput {
        date: form.get("date"),
        name_fa: form.get("name_fa"),
        name_en: form.get("name_en"),
        kind: form.get("kind"),
    };
    let result = places::add_holiday(&state.ctx, &current.actor, input).await;
    answer(&ctx, "/admin/holidays", result, &form, || {
        holidays_page(&state, &ctx)
    })
    .await
}

/// `GET /admin/holidays/{date}/delete`: asks before deleting a holiday.
pub async fn confirm_delete_holiday(ctx: PageCtx, Path(date): Path<String>) -> AppResult<Response> {
    staff(&ctx)?;
    if chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").is_err() {
        return Err(crate::error::AppError::NotFound);
    }
    super::ok(&ctx, &delete_holiday_page(&ctx, &date))
}

fn delete_holiday_page(ctx: &PageCtx, date: &str) -> AdminPage {
    super::admin::confirm_page(
        ctx,
        "pg-confirm-title-delete-holiday",
        "pg-confirm-lead-delete-holiday",
        format!("/admin/holidays/{date}/delete"),
        &[],
        "/admin/holidays",
    )
}

/// `POST /admin/holidays/{date}/delete` (only with the confirmation and a reason).
pub async fn delete_holiday(
    State(state): State<AppState>,
    Path(date): Path<String>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    if form.get("confirm").is_none() {
        return Ok(super::see_other(
            &ctx,
            &format!("/admin/holidays/{date}/delete"),
        ));
    }
    let reason =
        match super::admin::confirmed_reason(&ctx, &form, delete_holiday_page(&ctx, &date))? {
            Ok(r) => r,
            Err(refused) => return Ok(refused),
        };
    let result = places::delete_holiday(&state.ctx, &current.actor, &date, Some(reason)).await;
    answer(&ctx, "/admin/holidays", result, &form, || {
        holidays_page(&state, &ctx)
    })
    .await
}

// --- Counties ---------------------------------------------------------------------------------

/// The counties page's province filter.
#[derive(Debug, Default, Deserialize)]
pub struct ProvinceFilter {
    /// Province code.
    pub province: Option<String>,
}

async fn counties_page(state: &AppState, ctx: &PageCtx, province: &str) -> AppResult<AdminPage> {
    staff(ctx)?;
    let lang = ctx.lang;
    let provinces = vamyar_store::reference::provinces(&state.db).await?;
    let counties = vamyar_store::reference::counties(&state.db).await?;
    let mut p = AdminPage::new(ctx, "pg-admin-counties");
    p.filter_action = "/admin/counties".into();
    p.filters = vec![
        Field::select(
            lang,
            "province",
            "pg-field-province",
            provinces
                .iter()
                .map(|pr| Opt {
                    value: pr.code.clone(),
                    label: name(lang, &pr.name_fa, &pr.name_en),
                })
                .collect(),
        )
        .value(province),
    ];
    p.headers(lang, &["pg-field-county", "pg-factor-deprived_county"]);
    p.rows = counties
        .iter()
        .filter(|c| c.province_code == province)
        .map(|c| TableRow {
            cells: vec![
                name(lang, &c.name_fa, &c.name_en),
                vamyar_i18n::text(lang, if c.is_deprived { "pg-yes" } else { "pg-no" }, &[]),
            ],
            actions: vec![RowAction {
                url: format!("/admin/counties/{}", c.code),
                label: vamyar_i18n::text(
                    lang,
                    if c.is_deprived {
                        "pg-unflag"
                    } else {
                        "pg-flag"
                    },
                    &[],
                ),
                hidden: vec![
                    Opt {
                        value: "deprived".into(),
                        label: (!c.is_deprived).to_string(),
                    },
                    Opt {
                        value: "province".into(),
                        label: province.to_string(),
                    },
                ],
                danger: false,
                link: false,
            }],
        })
        .collect();
    Ok(p)
}

/// `GET /admin/counties?province=07`: a province's counties and their deprived flag.
pub async fn counties(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(f): Query<ProvinceFilter>,
) -> AppResult<Response> {
    let province = f.province.unwrap_or_else(|| "07".into());
    let p = counties_page(&state, &ctx, &province).await?;
    ok(&ctx, &p)
}

/// `POST /admin/counties/{code}`: flags or unflags a county as deprived.
pub async fn set_county(
    State(state): State<AppState>,
    Path(code): Path<String>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    let province = form.get("province").unwrap_or_default();
    let patch = CountyPatch {
        deprived: form.raw("deprived") == "true",
    };
    let result = places::set_deprived(&state.ctx, &current.actor, &code, patch).await;
    let back = format!("/admin/counties?province={province}");
    match result {
        Ok(_) => Ok(super::see_other(&ctx, &back)),
        Err(e) => {
            answer(&ctx, &back, Err::<(), _>(e), &form, || {
                counties_page(&state, &ctx, &province)
            })
            .await
        }
    }
}
