//! The desk's notices page (`/desk/notices`): a staff member's notices of late files, newest
//! first, each linking to its file, and a button that marks them read.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use vamyar_app::notices::{self, NoticeView, ReadBody};
use vamyar_i18n::Lang;

use super::{Chrome, PageCtx, PageForm, fmt, ok};
use crate::AppState;
use crate::error::{AppError, AppResult};

/// One notice as shown.
pub struct NoticeLine {
    /// What it says.
    pub text: String,
    /// When (Jalali, Tehran).
    pub at: String,
    /// The file's page, for a notice about one file.
    pub link: Option<String>,
    /// The county's late files (digest): tracking codes with their pages unknown here.
    pub codes: Vec<String>,
    /// Not yet read.
    pub unread: bool,
}

/// The notices page.
#[derive(Template)]
#[template(path = "pages/notices.html")]
pub struct NoticesPage {
    /// The frame.
    pub c: Chrome,
    /// How many are unread.
    pub unread: i64,
    /// The notices, newest first.
    pub lines: Vec<NoticeLine>,
    /// The newest notice's id (what "mark read" marks up to).
    pub newest: i64,
}

/// A notice's sentence in `lang`.
pub fn text(lang: Lang, n: &NoticeView) -> String {
    let code = n.tracking_code.clone().unwrap_or_default();
    let stage = fmt::state(lang, n.stage.as_deref().unwrap_or_default());
    let due = n
        .due_on
        .as_deref()
        .map(|d| fmt::date(lang, d))
        .unwrap_or_default();
    match n.kind.as_str() {
        kind if n.stage.as_deref() == Some("complaint") => vamyar_i18n::text(
            lang,
            &format!("pg-notice-complaint-{kind}"),
            &[
                ("ticket", fmt::num(lang, n.complaint_id.unwrap_or(0)).into()),
                ("code", code.into()),
                ("due", due.into()),
            ],
        ),
        "digest" => {
            let files = fmt::num(lang, n.files.unwrap_or(0));
            vamyar_i18n::text(lang, "pg-notice-digest", &[("files", files.into())])
        }
        kind => vamyar_i18n::text(
            lang,
            &format!("pg-notice-{kind}"),
            &[
                ("code", code.into()),
                ("stage", stage.into()),
                ("due", due.into()),
            ],
        ),
    }
}

/// `GET /desk/notices`.
pub async fn page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let current = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    if !current.role().is_staff() {
        return Err(AppError::Forbidden);
    }
    let mine = notices::mine(&state.ctx, &current.actor).await?;
    let lang = ctx.lang;
    let newest = mine.notices.first().map(|n| n.id).unwrap_or(0);
    let lines = mine
        .notices
        .iter()
        .map(|n| NoticeLine {
            text: text(lang, n),
            at: fmt::datetime(lang, &n.created_at),
            link: match n.complaint_id {
                Some(id) => Some(format!("/desk/complaints/{id}")),
                None => n.application_id.map(|id| format!("/desk/files/{id}")),
            },
            codes: n.tracking_codes.clone(),
            unread: !n.read,
        })
        .collect();
    let c = Chrome::new(&ctx, "pg-notices-title");
    ok(
        &ctx,
        &NoticesPage {
            c,
            unread: mine.unread,
            lines,
            newest,
        },
    )
}

/// `POST /desk/notices/read`: marks the notices shown read, back to the page.
pub async fn read(
    State(state): State<AppState>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
    let through_id = form.get("through_id").and_then(|v| v.parse().ok());
    notices::mark_read(&state.ctx, &current.actor, ReadBody { through_id }).await?;
    Ok(super::see_other(&ctx, "/desk/notices"))
}
