//! The administration's pages: programs (list, create, open or close), banks and branches,
//! memoranda and quotas, staff accounts, holidays and deprived counties. One generic page
//! (a table with row buttons, and forms described field by field) serves them all; every
//! form builds the typed input of an administration use case (`vamyar_app::admin`), calls
//! it, and redirects back (post/redirect/get).

use askama::Template;

use super::apply::Opt;
use super::problems::{Money, Target};
use super::{Chrome, FormData, NavLink, PageCtx, page, see_other};
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};

/// One form field.
#[derive(Clone, Debug)]
pub struct Field {
    /// Its `id`.
    pub id: String,
    /// Its `name`.
    pub name: String,
    /// Its label.
    pub label: String,
    /// `text`, `password`, `select`, `checkbox`, `checks` (several boxes) or `hidden`.
    pub kind: &'static str,
    /// Its value (for a checkbox: non-empty when ticked).
    pub value: String,
    /// Choices of a select or a group of boxes.
    pub options: Vec<Opt>,
    /// Must be filled.
    pub required: bool,
    /// Left to right (codes, numbers).
    pub ltr: bool,
    /// The boxes ticked in a refused form (`checks`); `None`: all ticked, as offered.
    pub ticked: Option<Vec<String>>,
    /// Counties by province (`county`: a select with one `<optgroup>` per province).
    pub groups: Vec<super::pickers::Group>,
    /// A province select: the id of the county select it narrows (with htmx).
    pub narrows: Option<String>,
}

impl Field {
    /// A text field.
    pub fn text(lang: vamyar_i18n::Lang, name: &str, label_id: &str, required: bool) -> Field {
        Field {
            id: format!("f-{name}"),
            name: name.into(),
            label: vamyar_i18n::text(lang, label_id, &[]),
            kind: "text",
            value: String::new(),
            options: Vec::new(),
            required,
            ltr: false,
            ticked: None,
            groups: Vec::new(),
            narrows: None,
        }
    }

    /// A county choice: counties grouped by province, an empty first choice.
    pub fn county(
        lang: vamyar_i18n::Lang,
        name: &str,
        label_id: &str,
        groups: Vec<super::pickers::Group>,
    ) -> Field {
        Field {
            kind: "county",
            groups,
            ..Field::text(lang, name, label_id, true)
        }
    }

    /// The same (province) select, narrowing the county select of id `county_id` when a
    /// province is chosen (htmx; the page must load it).
    pub fn narrowing(mut self, county_id: &str) -> Field {
        self.narrows = Some(county_id.to_string());
        self
    }

    /// A left-to-right text field (codes, numbers, dates).
    pub fn ltr(lang: vamyar_i18n::Lang, name: &str, label_id: &str, required: bool) -> Field {
        Field {
            ltr: true,
            ..Field::text(lang, name, label_id, required)
        }
    }

    /// A select.
    pub fn select(lang: vamyar_i18n::Lang, name: &str, label_id: &str, options: Vec<Opt>) -> Field {
        Field {
            kind: "select",
            options,
            ..Field::text(lang, name, label_id, true)
        }
    }

    /// The same field with another kind.
    pub fn kind(mut self, kind: &'static str) -> Field {
        self.kind = kind;
        self
    }

    /// True when the box `value` of a `checks` field is ticked.
    pub fn is_ticked(&self, value: &str) -> bool {
        self.ticked
            .as_ref()
            .is_none_or(|t| t.iter().any(|v| v == value))
    }

    /// The same field with a value.
    pub fn value(mut self, v: impl Into<String>) -> Field {
        self.value = v.into();
        self
    }
}

/// A form of the page.
#[derive(Clone, Debug)]
pub struct FormSpec {
    /// Where it posts.
    pub action: String,
    /// Its heading.
    pub title: String,
    /// The button's text.
    pub submit: String,
    /// Its fields.
    pub fields: Vec<Field>,
}

/// A button on a table row (a small POST form).
#[derive(Clone, Debug)]
pub struct RowAction {
    /// Where it posts.
    pub url: String,
    /// Its text.
    pub label: String,
    /// Hidden fields (`value` is the name, `label` the value).
    pub hidden: Vec<Opt>,
    /// Destructive.
    pub danger: bool,
    /// A link to a page of its own (a confirmation, an edit form) rather than a POST.
    pub link: bool,
}

/// A table row.
#[derive(Clone, Debug, Default)]
pub struct TableRow {
    /// Its cells.
    pub cells: Vec<String>,
    /// Its buttons.
    pub actions: Vec<RowAction>,
}

/// The generic administration page.
#[derive(Template)]
#[template(path = "pages/admin.html")]
pub struct AdminPage {
    /// The frame.
    pub c: Chrome,
    /// The administration's sections.
    pub links: Vec<NavLink>,
    /// Filter fields (a GET form), if any.
    pub filters: Vec<Field>,
    /// Where the filter form goes.
    pub filter_action: String,
    /// Table headers.
    pub headers: Vec<String>,
    /// Table rows.
    pub rows: Vec<TableRow>,
    /// Forms.
    pub forms: Vec<FormSpec>,
    /// Warnings shown above the table (e.g. years without lunar holidays).
    pub notices: Vec<String>,
    /// On a confirmation page: what will happen, and where "no" goes back to.
    pub confirm: Option<(String, String)>,
    /// A file upload form (multipart), if the page takes one.
    pub upload: Option<UploadSpec>,
    /// The report of the last upload, one line per row of the file.
    pub report: Vec<String>,
}

/// A file upload form on an administration page.
#[derive(Clone, Debug)]
pub struct UploadSpec {
    /// Where it posts (multipart, field `file`).
    pub action: String,
    /// Its heading.
    pub title: String,
    /// What the file must look like.
    pub hint: String,
    /// The header line the file starts with.
    pub header: String,
    /// The file field's label.
    pub label: String,
    /// The button.
    pub submit: String,
}

/// Whether the caller may import income deciles (and so sees the page in the navigation).
fn may_import_deciles(ctx: &PageCtx) -> bool {
    ctx.actor()
        .is_some_and(|c| vamyar_app::admin::decile_import::may_import(&c.actor).is_ok())
}

impl AdminPage {
    /// An empty page titled `title_id`.
    pub fn new(ctx: &PageCtx, title_id: &str) -> AdminPage {
        let t = |id: &str| vamyar_i18n::text(ctx.lang, id, &[]);
        AdminPage {
            c: Chrome::new(ctx, title_id),
            links: [
                ("/admin/programs", "pg-admin-programs"),
                ("/admin/banks", "pg-admin-banks"),
                ("/admin/memoranda", "pg-admin-memoranda"),
                ("/admin/staff", "pg-admin-staff"),
                ("/admin/holidays", "pg-admin-holidays"),
                ("/admin/deciles", "pg-admin-deciles"),
                ("/admin/counties", "pg-admin-counties"),
            ]
            .iter()
            // the decile lists are the national administrator's alone
            .filter(|(href, _)| *href != "/admin/deciles" || may_import_deciles(ctx))
            .map(|(href, id)| NavLink { href, label: t(id) })
            .collect(),
            filters: Vec::new(),
            filter_action: String::new(),
            headers: Vec::new(),
            rows: Vec::new(),
            forms: Vec::new(),
            notices: Vec::new(),
            upload: None,
            report: Vec::new(),
            confirm: None,
        }
    }

    /// True when a cell is an identifier shown isolated left to right.
    pub fn is_code(&self, cell: &str) -> bool {
        super::fmt::is_code(cell)
    }

    /// Sets the headers from text ids.
    pub fn headers(&mut self, lang: vamyar_i18n::Lang, ids: &[&str]) {
        self.headers = ids
            .iter()
            .map(|id| vamyar_i18n::text(lang, id, &[]))
            .collect();
        self.headers
            .push(vamyar_i18n::text(lang, "pg-actions", &[]));
    }
}

/// The second step of a destructive row action (closing a program, deleting a holiday,
/// deactivating an account): a page that says what will happen and asks the reason (kept in
/// the audit entry), whose form posts `hidden`, `reason` and `confirm=1` to `url`.
pub fn confirm_page(
    ctx: &PageCtx,
    title_id: &str,
    lead_id: &str,
    url: String,
    hidden: &[(&str, &str)],
    back: &str,
) -> AdminPage {
    let lang = ctx.lang;
    let mut p = AdminPage::new(ctx, title_id);
    let mut fields: Vec<Field> = hidden
        .iter()
        .map(|(name, value)| {
            Field::text(lang, name, "pg-field-unnamed", false)
                .kind("hidden")
                .value(*value)
        })
        .collect();
    fields.push(Field::text(lang, "reason", "pg-field-reason", true).kind("textarea"));
    fields.push(
        Field::text(lang, "confirm", "pg-field-unnamed", false)
            .kind("hidden")
            .value("1"),
    );
    p.forms.push(FormSpec {
        action: url,
        title: p.c.title.clone(),
        submit: vamyar_i18n::text(lang, "pg-confirm-yes-admin", &[]),
        fields,
    });
    p.confirm = Some((vamyar_i18n::text(lang, lead_id, &[]), back.to_string()));
    p
}

/// The reason of a confirmed destructive action; without one, the confirmation page `p`
/// again (422) with the summary and what was typed kept, and nothing done.
pub fn confirmed_reason(
    ctx: &PageCtx,
    form: &FormData,
    mut p: AdminPage,
) -> AppResult<Result<String, Response>> {
    if let Some(reason) = form.get("reason") {
        return Ok(Ok(reason));
    }
    let e = super::confirm::missing_reason(form).unwrap_or(AppError::BadRequest("reason_required"));
    refuse(&mut p, ctx, &e, form);
    Ok(Err(page(ctx, e.status_code(), &p)?))
}

/// The staff caller, or 401.
pub fn staff(ctx: &PageCtx) -> AppResult<CurrentActor> {
    let current = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    if current.role().is_staff() {
        Ok(current)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Marks a refusal on the form that posted to `ctx.path` and keeps what was typed in it
/// (never passwords): the summary links to that form's fields, labelled as shown.
pub fn refuse(p: &mut AdminPage, ctx: &PageCtx, e: &AppError, form: &FormData) {
    let Some(spec) = p.forms.iter_mut().find(|f| f.action == ctx.path) else {
        p.c.refuse(e, &|_| None, Money::Tomans);
        return;
    };
    for f in spec.fields.iter_mut() {
        match f.kind {
            "password" | "hidden" => {}
            "checkbox" => {
                f.value = if form.checked(&f.name) {
                    "1".into()
                } else {
                    String::new()
                }
            }
            "checks" => f.ticked = Some(form.all(&f.name)),
            _ => f.value = form.raw(&f.name),
        }
    }
    let fields = spec.fields.clone();
    let locate = move |path: &str| -> Option<Target> {
        let last = path.rsplit('.').next().unwrap_or(path);
        let last = last.split('[').next().unwrap_or(last);
        let flat = path.replace('.', "_");
        fields
            .iter()
            .position(|f| f.name == path || f.name == flat || f.name == last)
            .map(|i| Target {
                id: fields[i].id.clone(),
                label: fields[i].label.clone(),
                order: i,
            })
    };
    p.c.refuse(e, &locate, Money::Tomans);
}

/// The answer to an admin form: back to its page, or the page again with the refusal marked
/// on the sent form and its values kept.
pub async fn answer<T, F, Fut>(
    ctx: &PageCtx,
    back: &str,
    result: vamyar_app::Result<T>,
    form: &FormData,
    rebuild: F,
) -> AppResult<Response>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = AppResult<AdminPage>>,
{
    match result.map_err(AppError::from) {
        Ok(_) => Ok(see_other(ctx, &format!("{back}?done=saved"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_) | AppError::BadRequest(_))) => {
            let mut p = rebuild().await?;
            refuse(&mut p, ctx, &e, form);
            page(ctx, e.status_code(), &p)
        }
        Err(e) => Err(e),
    }
}

/// The answer to an admin form whose change may need a second person
/// (`vamyar_app::admin::changes`): proposed, back to its page with the notice that a second
/// person must confirm it (`pg-done-change_proposed`), never "saved"; otherwise as [`answer`].
pub async fn answer_change<T, F, Fut>(
    ctx: &PageCtx,
    back: &str,
    result: vamyar_app::Result<vamyar_app::admin::changes::Submitted<T>>,
    form: &FormData,
    rebuild: F,
) -> AppResult<Response>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = AppResult<AdminPage>>,
{
    match result {
        Ok(vamyar_app::admin::changes::Submitted::Proposed(_)) => {
            Ok(see_other(ctx, &format!("{back}?done=change_proposed")))
        }
        other => answer(ctx, back, other, form, rebuild).await,
    }
}

use axum::response::Response;

/// `GET /admin`: where the administration starts (the programs page).
pub async fn index(ctx: PageCtx) -> AppResult<Response> {
    staff(&ctx)?;
    // a notice sent to the start page (such as `totp-enabled`) is shown on the first page
    let done = ctx.done.as_deref().filter(|d| {
        d.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    match done {
        Some(d) => Ok(see_other(&ctx, &format!("/admin/programs?done={d}"))),
        None => Ok(see_other(&ctx, "/admin/programs")),
    }
}
