//! Page routes (server-rendered HTML, Persian by default).

use askama::Template;
use axum::Router;
use axum::response::Html;
use axum::routing::get;

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::lang::ReqLang;

/// The home page.
#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    /// Language code.
    lang: &'static str,
    /// `rtl` or `ltr`.
    dir: &'static str,
    /// Product name.
    name: String,
    /// One-line description.
    tagline: String,
}

async fn home(ReqLang(lang): ReqLang) -> AppResult<Html<String>> {
    let page = HomePage {
        lang: lang.code(),
        dir: lang.dir(),
        name: vamyar_i18n::text(lang, "app-name", &[]),
        tagline: vamyar_i18n::text(lang, "app-tagline", &[]),
    };
    page.render()
        .map(Html)
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// The page routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}
