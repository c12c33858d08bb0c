//! The administration's holidays and deprived-counties pages.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use vamyar_app::admin::places::{self, CountyPatch, HolidayInput, HolidayRange};
use vamyar_i18n::Lang;

use super::admin::{AdminPage, Field, FormSpec, RowAction, TableRow, answer, staff};
use super::apply::Opt;
use super::{PageCtx, PageForm, fmt, ok};
use crate::AppState;
use crate::error::AppResult;

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
    Ok(p)
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
    let p = super::admin::confirm_page(
        &ctx,
        "pg-confirm-title-delete-holiday",
        "pg-confirm-lead-delete-holiday",
        format!("/admin/holidays/{date}/delete"),
        &[],
        "/admin/holidays",
    );
    super::ok(&ctx, &p)
}

/// `POST /admin/holidays/{date}/delete` (only with the confirmation).
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
    let result = places::delete_holiday(&state.ctx, &current.actor, &date).await;
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
                vamyar_i18n::text(
                    lang,
                    if c.is_deprived == 1 {
                        "pg-yes"
                    } else {
                        "pg-no"
                    },
                    &[],
                ),
            ],
            actions: vec![RowAction {
                url: format!("/admin/counties/{}", c.code),
                label: vamyar_i18n::text(
                    lang,
                    if c.is_deprived == 1 {
                        "pg-unflag"
                    } else {
                        "pg-flag"
                    },
                    &[],
                ),
                hidden: vec![
                    Opt {
                        value: "deprived".into(),
                        label: (c.is_deprived != 1).to_string(),
                    },
                    Opt {
                        value: "province".into(),
                        label: province.to_string(),
                    },
                ],
                danger: false,
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
