//! The administration's banks (with branches) and memoranda (with provincial quotas) pages.

use axum::extract::{Path, State};
use axum::response::Response;
use vamyar_app::admin::banks::{self, BankInput, BranchInput};
use vamyar_app::admin::changes;
use vamyar_app::admin::memoranda::{MemorandumInput, QuotaInput};
use vamyar_app::admin::quotas::QuotaLimits;
use vamyar_app::applicant::Flex;
use vamyar_i18n::Lang;

use super::admin::{AdminPage, Field, FormSpec, TableRow, answer, answer_change, staff};
use super::apply::Opt;
use super::form::rials_of;
use super::{FormData, PageCtx, PageForm, fmt, ok};
use crate::AppState;
use crate::error::AppResult;

/// A form field as a number or amount typed in any digits (the service judges it).
fn flex(form: &FormData, field: &str) -> Option<Flex> {
    form.get(field).map(Flex)
}

fn name(lang: Lang, fa: &str, en: &str) -> String {
    if lang == Lang::Fa {
        fa.into()
    } else {
        en.into()
    }
}

async fn bank_options(state: &AppState, lang: Lang) -> AppResult<Vec<Opt>> {
    Ok(vamyar_store::bank::banks(state.db.pool())
        .await?
        .into_iter()
        .map(|b| Opt {
            value: b.id.to_string(),
            label: name(lang, &b.name_fa, &b.name_en),
        })
        .collect())
}

async fn province_options(state: &AppState, lang: Lang) -> AppResult<Vec<Opt>> {
    Ok(vamyar_store::reference::provinces(&state.db)
        .await?
        .into_iter()
        .map(|p| Opt {
            label: name(lang, &p.name_fa, &p.name_en),
            value: p.code,
        })
        .collect())
}

async fn banks_page(state: &AppState, ctx: &PageCtx) -> AppResult<AdminPage> {
    let current = staff(ctx)?;
    let lang = ctx.lang;
    let list = banks::list(&state.ctx, &current.actor).await?;
    let mut p = AdminPage::new(ctx, "pg-admin-banks");
    p.headers(
        lang,
        &["pg-col-title", "pg-field-code-name", "pg-col-branches"],
    );
    p.rows = list
        .iter()
        .map(|b| TableRow {
            cells: vec![
                name(lang, &b.name_fa, &b.name_en),
                b.code.clone(),
                b.branches
                    .iter()
                    .map(|br| name(lang, &br.name_fa, &br.name_en))
                    .collect::<Vec<_>>()
                    .join("، "),
            ],
            actions: Vec::new(),
        })
        .collect();
    let t = |id: &str| vamyar_i18n::text(lang, id, &[]);
    p.forms.push(FormSpec {
        action: "/admin/banks".into(),
        title: t("pg-admin-new-bank"),
        submit: t("pg-save"),
        fields: vec![
            Field::ltr(lang, "code", "pg-field-code-name", true),
            Field::text(lang, "name_fa", "pg-field-title-fa", true),
            Field::ltr(lang, "name_en", "pg-field-title-en", true),
            Field::ltr(lang, "sheba_code", "pg-field-sheba-code", false),
        ],
    });
    let banks = bank_options(state, lang).await?;
    if let Some(first) = banks.first() {
        p.forms.push(FormSpec {
            action: format!("/admin/banks/{}/branches", first.value),
            title: t("pg-admin-new-branch"),
            submit: t("pg-save"),
            fields: vec![
                Field::select(lang, "bank_id", "pg-field-bank", banks.clone()),
                Field::ltr(lang, "code", "pg-field-code-name", true),
                Field::text(lang, "name_fa", "pg-field-title-fa", true),
                Field::ltr(lang, "name_en", "pg-field-title-en", true),
                Field::select(
                    lang,
                    "province_code",
                    "pg-field-province",
                    province_options(state, lang).await?,
                ),
                Field::county(
                    lang,
                    "county_code",
                    "pg-field-county",
                    super::pickers::county_groups(state, lang, None, None).await?,
                ),
            ],
        });
    }
    Ok(p)
}

/// `GET /admin/banks`.
pub async fn banks(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let p = banks_page(&state, &ctx).await?;
    ok(&ctx, &p)
}

/// `POST /admin/banks`: a new bank.
pub async fn create_bank(
    State(state): State<AppState>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    let input = BankInput {
        code: form.get("code"),
        name_fa: form.get("name_fa"),
        name_en: form.get("name_en"),
        sheba_code: form.get("sheba_code"),
    };
    let result = banks::create_bank(&state.ctx, &current.actor, input).await;
    answer(&ctx, "/admin/banks", result, &form, || {
        banks_page(&state, &ctx)
    })
    .await
}

/// `POST /admin/banks/{id}/branches`: a new branch (the bank chosen in the form wins over
/// the one in the path, so the form works without JavaScript).
pub async fn create_branch(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    let bank = form
        .get("bank_id")
        .and_then(|b| b.parse::<i64>().ok())
        .unwrap_or(id);
    let input = BranchInput {
        code: form.get("code"),
        name_fa: form.get("name_fa"),
        name_en: form.get("name_en"),
        province_code: form.get("province_code"),
        county_code: form.get("county_code"),
    };
    let result = banks::create_branch(&state.ctx, &current.actor, bank, input).await;
    answer(&ctx, "/admin/banks", result, &form, || {
        banks_page(&state, &ctx)
    })
    .await
}

async fn memoranda_page(state: &AppState, ctx: &PageCtx) -> AppResult<AdminPage> {
    let current = staff(ctx)?;
    let lang = ctx.lang;
    let list = banks::list(&state.ctx, &current.actor).await?;
    let mut p = AdminPage::new(ctx, "pg-admin-memoranda");
    p.headers(
        lang,
        &[
            "pg-col-title",
            "pg-field-number",
            "pg-col-dates",
            "pg-col-quota",
        ],
    );
    for b in &list {
        for m in &b.memoranda {
            let (count, amount) = m.quotas.iter().fold((0, 0), |(c, a), q| {
                (c + q.count_remaining, a + q.amount_remaining)
            });
            p.rows.push(TableRow {
                cells: vec![
                    name(lang, &b.name_fa, &b.name_en),
                    fmt::code(&m.number),
                    format!(
                        "{} – {}",
                        fmt::date(lang, &m.valid_from),
                        fmt::date(lang, &m.valid_to)
                    ),
                    vamyar_i18n::text(
                        lang,
                        "pg-quota-left",
                        &[
                            ("count", fmt::num(lang, count).into()),
                            ("amount", fmt::tomans(lang, amount).into()),
                        ],
                    ),
                ],
                actions: Vec::new(),
            });
        }
    }
    let t = |id: &str| vamyar_i18n::text(lang, id, &[]);
    let programs = vamyar_store::program::list(state.db.pool())
        .await?
        .into_iter()
        .map(|pr| Opt {
            value: pr.id.to_string(),
            label: name(lang, &pr.title_fa, &pr.title_en),
        })
        .collect();
    let provinces = province_options(state, lang).await?;
    p.forms.push(FormSpec {
        action: "/admin/memoranda".into(),
        title: t("pg-admin-new-memorandum"),
        submit: t("pg-save"),
        fields: vec![
            Field::select(
                lang,
                "bank_id",
                "pg-field-bank",
                bank_options(state, lang).await?,
            ),
            Field::select(lang, "program_id", "pg-admin-programs", programs),
            Field::ltr(lang, "number", "pg-field-number", true),
            Field::ltr(lang, "signed_on", "pg-field-signed-on", true),
            Field::ltr(lang, "valid_from", "pg-field-valid-from", true),
            Field::ltr(lang, "valid_to", "pg-field-valid-to", true),
            Field::select(
                lang,
                "province_code",
                "pg-field-province",
                provinces.clone(),
            ),
            Field::ltr(lang, "count_limit", "pg-field-count-limit", true),
            Field::ltr(lang, "amount_limit", "pg-field-amount-limit", true),
        ],
    });
    let memoranda: Vec<Opt> = list
        .iter()
        .flat_map(|b| {
            b.memoranda.iter().map(move |m| Opt {
                value: m.id.to_string(),
                label: format!("{} {}", name(lang, &b.name_fa, &b.name_en), m.number),
            })
        })
        .collect();
    if let Some(first) = memoranda.first() {
        p.forms.push(FormSpec {
            action: format!("/admin/memoranda/{}/quota", first.value),
            title: t("pg-admin-set-quota"),
            submit: t("pg-save"),
            fields: vec![
                Field::select(
                    lang,
                    "memorandum_id",
                    "pg-admin-memoranda",
                    memoranda.clone(),
                ),
                Field::select(lang, "province_code", "pg-field-province", provinces),
                Field::ltr(lang, "count_limit", "pg-field-count-limit", true),
                Field::ltr(lang, "amount_limit", "pg-field-amount-limit", true),
            ],
        });
    }
    Ok(p)
}

/// `GET /admin/memoranda`.
pub async fn memoranda(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let p = memoranda_page(&state, &ctx).await?;
    ok(&ctx, &p)
}

/// `POST /admin/memoranda`: a memorandum with its first province's quota (amounts in
/// tomans).
pub async fn create_memorandum(
    State(state): State<AppState>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    let quota = QuotaInput {
        province_code: form.get("province_code"),
        count_limit: flex(&form, "count_limit"),
        amount_limit: rials_of(&form, "amount_limit").map(Flex),
    };
    let input = MemorandumInput {
        bank_id: flex(&form, "bank_id"),
        program_id: flex(&form, "program_id"),
        number: form.get("number"),
        signed_on: form.get("signed_on"),
        valid_from: form.get("valid_from"),
        valid_to: form.get("valid_to"),
        quotas: Some(vec![quota]),
        ..MemorandumInput::default()
    };
    let result = changes::submit_memorandum(&state.ctx, &current.actor, input).await;
    answer_change(&ctx, "/admin/memoranda", result, &form, || {
        memoranda_page(&state, &ctx)
    })
    .await
}

/// `POST /admin/memoranda/{id}/quota`: sets one province's quota (the memorandum chosen in
/// the form wins over the path).
pub async fn set_quota(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    let memorandum = form
        .get("memorandum_id")
        .and_then(|m| m.parse::<i64>().ok())
        .unwrap_or(id);
    let input = QuotaLimits {
        count_limit: flex(&form, "count_limit"),
        amount_limit: rials_of(&form, "amount_limit").map(Flex),
    };
    let province = form.raw("province_code");
    let result =
        changes::submit_quota(&state.ctx, &current.actor, memorandum, &province, input).await;
    answer_change(&ctx, "/admin/memoranda", result, &form, || {
        memoranda_page(&state, &ctx)
    })
    .await
}
