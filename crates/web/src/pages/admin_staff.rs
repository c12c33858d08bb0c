//! The administration's staff accounts: the list (scope shown by name), creating an account,
//! editing one's display name, role and scope (`/admin/staff/{id}`, through
//! `vamyar_app::admin::staff::update`), and deactivating one after a confirmation with a
//! reason. Counties are chosen from a list grouped by province, which the province choice
//! narrows when htmx runs.

use axum::extract::{Path, State};
use axum::response::Response;
use vamyar_app::admin::banks::BankOut;
use vamyar_app::admin::staff::{self as accounts, StaffEdit, StaffInput, StaffOut};
use vamyar_domain::workflow::Role;
use vamyar_i18n::Lang;

use super::admin::{AdminPage, Field, FormSpec, RowAction, TableRow, answer, staff};
use super::admin_forms::opts;
use super::apply::Opt;
use super::{PageCtx, PageForm, fmt, ok};
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;

const STAFF_ROLES: [&str; 8] = [
    "desk_clerk",
    "social_worker",
    "employment_expert",
    "office_head",
    "bank_officer",
    "province_admin",
    "national_admin",
    "auditor",
];

/// The roles the caller may give, after an empty choice: all for the national
/// administration; the county roles and province administrators for a province's
/// administrator.
fn roles(lang: Lang, current: &CurrentActor) -> Vec<Opt> {
    let list: Vec<&str> = if current.role() == Role::NationalAdmin {
        STAFF_ROLES.to_vec()
    } else {
        let mut county_roles = STAFF_ROLES[..4].to_vec();
        county_roles.push("province_admin");
        county_roles
    };
    let mut out = vec![Opt {
        value: String::new(),
        label: vamyar_i18n::text(lang, "pg-choose", &[]),
    }];
    out.extend(opts(lang, "pg-role", &list));
    out
}

/// The names the list shows for a scope: county (province), province, or bank.
struct Names {
    provinces: Vec<vamyar_store::reference::Province>,
    counties: Vec<vamyar_store::reference::County>,
    banks: Vec<BankOut>,
}

impl Names {
    async fn load(state: &AppState, current: &CurrentActor) -> AppResult<Names> {
        Ok(Names {
            provinces: vamyar_store::reference::provinces(&state.db).await?,
            counties: vamyar_store::reference::counties(&state.db).await?,
            banks: vamyar_app::admin::banks::list(&state.ctx, &current.actor).await?,
        })
    }

    fn scope(&self, lang: Lang, s: &StaffOut) -> String {
        let pick = |fa: &str, en: &str| if lang == Lang::Fa { fa } else { en }.to_string();
        let province = |code: &str| {
            self.provinces
                .iter()
                .find(|p| p.code == code)
                .map(|p| pick(&p.name_fa, &p.name_en))
        };
        if let Some(c) = &s.county_code
            && let Some(county) = self.counties.iter().find(|x| &x.code == c)
        {
            let p = province(&county.province_code).unwrap_or_default();
            return format!("{} ({p})", pick(&county.name_fa, &county.name_en));
        }
        if let Some(p) = s.province_code.as_deref().and_then(province) {
            return p;
        }
        if let Some(bank) = s
            .bank_id
            .and_then(|b| self.banks.iter().find(|x| x.id == b))
        {
            return pick(&bank.name_fa, &bank.name_en);
        }
        String::new()
    }

    /// The bank's code and the branch's code of an account, as the form takes them.
    fn bank_codes(&self, s: &StaffOut) -> (String, String) {
        let Some(bank) = s
            .bank_id
            .and_then(|b| self.banks.iter().find(|x| x.id == b))
        else {
            return (String::new(), String::new());
        };
        let branch = s
            .branch_id
            .and_then(|b| bank.branches.iter().find(|x| x.id == b))
            .map(|b| b.code.clone())
            .unwrap_or_default();
        (bank.code.clone(), branch)
    }
}

/// The fields of the role and its scope, shared by the new-account and edit forms.
async fn scope_fields(
    state: &AppState,
    lang: Lang,
    current: &CurrentActor,
    names: &Names,
) -> AppResult<Vec<Field>> {
    Ok(vec![
        Field::select(lang, "role", "pg-field-role", roles(lang, current)),
        Field::select(
            lang,
            "province",
            "pg-field-province",
            super::pickers::provinces(state, lang).await?,
        )
        .narrowing("f-county"),
        Field::county(
            lang,
            "county",
            "pg-field-county",
            super::pickers::county_groups(state, lang, None, None).await?,
        ),
        Field::select(
            lang,
            "bank",
            "pg-field-bank",
            super::pickers::banks(lang, &names.banks),
        ),
        Field::ltr(lang, "branch", "pg-field-branch-code", false),
    ])
}

async fn staff_list_page(state: &AppState, ctx: &PageCtx) -> AppResult<AdminPage> {
    let current = staff(ctx)?;
    let lang = ctx.lang;
    let list = accounts::list(&state.ctx, &current.actor).await?;
    let names = Names::load(state, &current).await?;
    let mut p = AdminPage::new(ctx, "pg-admin-staff");
    p.c.htmx = true;
    p.headers(
        lang,
        &[
            "pg-field-username",
            "pg-field-name",
            "pg-field-role",
            "pg-col-scope",
            "pg-field-state",
        ],
    );
    let t = |id: &str| vamyar_i18n::text(lang, id, &[]);
    p.rows = list
        .iter()
        .map(|s| TableRow {
            cells: vec![
                s.username.clone(),
                s.full_name.clone(),
                fmt::role(lang, &s.role),
                names.scope(lang, s),
                t(if s.is_active {
                    "pg-staff-is-active"
                } else {
                    "pg-staff-is-inactive"
                }),
            ],
            actions: vec![
                RowAction {
                    url: format!("/admin/staff/{}", s.id),
                    label: t("pg-staff-edit"),
                    hidden: Vec::new(),
                    danger: false,
                    link: true,
                },
                RowAction {
                    url: format!("/admin/staff/{}/active", s.id),
                    label: t(if s.is_active {
                        "pg-staff-deactivate"
                    } else {
                        "pg-staff-activate"
                    }),
                    hidden: vec![Opt {
                        value: "active".into(),
                        label: (!s.is_active).to_string(),
                    }],
                    danger: s.is_active,
                    link: s.is_active,
                },
            ]
            .into_iter()
            .chain(super::admin_totp::reset_action(lang, &current, s))
            .collect(),
        })
        .collect();
    let mut fields = vec![
        Field::ltr(lang, "username", "pg-field-username", true),
        Field::ltr(lang, "password", "pg-field-password", true).kind("password"),
        Field::text(lang, "full_name", "pg-field-name", false),
    ];
    fields.extend(scope_fields(state, lang, &current, &names).await?);
    p.forms.push(FormSpec {
        action: "/admin/staff".into(),
        title: t("pg-admin-new-staff"),
        submit: t("pg-save"),
        fields,
    });
    Ok(p)
}

/// `GET /admin/staff`.
pub async fn staff_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let p = staff_list_page(&state, &ctx).await?;
    ok(&ctx, &p)
}

/// `POST /admin/staff`: creates an account (`POST /api/v1/staff`).
pub async fn create_staff(
    State(state): State<AppState>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    let input = StaffInput {
        username: form.get("username"),
        password: form
            .0
            .iter()
            .find(|(k, _)| k == "password")
            .map(|(_, v)| v.clone()),
        full_name: form.get("full_name"),
        role: form.get("role"),
        county: form.get("county"),
        province: form.get("province"),
        bank: form.get("bank"),
        branch: form.get("branch"),
    };
    let result = accounts::create(&state.ctx, &current.actor, input).await;
    answer(&ctx, "/admin/staff", result, &form, || {
        staff_list_page(&state, &ctx)
    })
    .await
}

/// The edit form of account `id`, filled with its stored values (404 when the caller does not
/// manage it).
async fn edit_page(state: &AppState, ctx: &PageCtx, id: i64) -> AppResult<AdminPage> {
    let current = staff(ctx)?;
    let lang = ctx.lang;
    let target = accounts::list(&state.ctx, &current.actor)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(crate::error::AppError::NotFound)?;
    let names = Names::load(state, &current).await?;
    let (bank, branch) = names.bank_codes(&target);
    let mut p = AdminPage::new(ctx, "pg-admin-edit-staff");
    p.c.htmx = true;
    p.notices.push(vamyar_i18n::text(
        lang,
        "pg-staff-edit-lead",
        &[("username", target.username.clone().into())],
    ));
    let mut fields =
        vec![Field::text(lang, "full_name", "pg-field-name", true).value(&target.full_name)];
    for f in scope_fields(state, lang, &current, &names).await? {
        let value = match f.name.as_str() {
            "role" => target.role.clone(),
            "province" => target.province_code.clone().unwrap_or_default(),
            "county" => target.county_code.clone().unwrap_or_default(),
            "bank" => bank.clone(),
            "branch" => branch.clone(),
            _ => String::new(),
        };
        fields.push(f.value(value));
    }
    p.forms.push(FormSpec {
        action: format!("/admin/staff/{id}"),
        title: vamyar_i18n::text(lang, "pg-admin-edit-staff", &[]),
        submit: vamyar_i18n::text(lang, "pg-save", &[]),
        fields,
    });
    Ok(p)
}

/// `GET /admin/staff/{id}`: the form to change an account's name, role and scope.
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let p = edit_page(&state, &ctx, id).await?;
    ok(&ctx, &p)
}

/// `POST /admin/staff/{id}`: saves the edit (`PUT /api/v1/staff/{id}`); refused, the form
/// again with the summary and what was typed.
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    let input = StaffEdit {
        full_name: form.get("full_name"),
        role: form.get("role"),
        county: form.get("county"),
        province: form.get("province"),
        bank: form.get("bank"),
        branch: form.get("branch"),
    };
    let result =
        vamyar_app::admin::changes::submit_staff(&state.ctx, &current.actor, id, input).await;
    super::admin::answer_change(&ctx, "/admin/staff", result, &form, || {
        edit_page(&state, &ctx, id)
    })
    .await
}

fn deactivate_page(ctx: &PageCtx, id: i64) -> AdminPage {
    super::admin::confirm_page(
        ctx,
        "pg-confirm-title-deactivate-staff",
        "pg-confirm-lead-deactivate-staff",
        format!("/admin/staff/{id}/active"),
        &[("active", "false")],
        "/admin/staff",
    )
}

/// `GET /admin/staff/{id}/active`: asks before deactivating an account, and why.
pub async fn confirm_deactivate(ctx: PageCtx, Path(id): Path<i64>) -> AppResult<Response> {
    staff(&ctx)?;
    ok(&ctx, &deactivate_page(&ctx, id))
}

/// `POST /admin/staff/{id}/active`: deactivates (after the confirmation with a reason) or
/// activates an account.
pub async fn set_active(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = staff(&ctx)?;
    let active = form.raw("active") == "true";
    let mut reason = None;
    if !active {
        if form.get("confirm").is_none() {
            return Ok(super::see_other(&ctx, &format!("/admin/staff/{id}/active")));
        }
        match super::admin::confirmed_reason(&ctx, &form, deactivate_page(&ctx, id))? {
            Ok(r) => reason = Some(r),
            Err(refused) => return Ok(refused),
        }
    }
    let result = accounts::set_active(&state.ctx, &current.actor, id, active, reason).await;
    answer(&ctx, "/admin/staff", result, &form, || {
        staff_list_page(&state, &ctx)
    })
    .await
}
