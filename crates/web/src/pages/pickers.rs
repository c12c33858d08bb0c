//! Choices for the forms instead of typed codes: counties grouped by province (one
//! `<optgroup>` each), provinces and banks, in the dictionary order of the page's language
//! (ICU collation, [`super::collate`]), each list opening with an empty choice so nothing is
//! chosen by default. `GET /pickers/counties?province=` answers the county list of one
//! province (htmx narrows the county choice when a province is chosen; without JavaScript
//! the grouped list is the whole choice).

use axum::extract::Query;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use vamyar_i18n::Lang;

use super::PageCtx;
use crate::AppState;
use crate::error::AppResult;

/// An `<option>`.
#[derive(Clone, Debug)]
pub struct Opt {
    /// Its value.
    pub value: String,
    /// Its text.
    pub label: String,
}

/// Counties of one province, for an `<optgroup>`.
#[derive(Clone, Debug)]
pub struct Group {
    /// The province's name.
    pub label: String,
    /// Its counties.
    pub options: Vec<Opt>,
}

fn name(lang: Lang, fa: &str, en: &str) -> String {
    if lang == Lang::Fa {
        fa.to_string()
    } else {
        en.to_string()
    }
}

fn sorted(lang: Lang, mut options: Vec<Opt>) -> Vec<Opt> {
    super::collate::sort_by_name(lang, &mut options, |o| &o.label);
    let mut out = vec![Opt {
        value: String::new(),
        label: vamyar_i18n::text(lang, "pg-choose", &[]),
    }];
    out.extend(options);
    out
}

/// Counties grouped by province (provinces and counties in dictionary order), only those
/// of `province` when given, only the county `only` when given; empty groups are left out.
pub async fn county_groups(
    state: &AppState,
    lang: Lang,
    province: Option<&str>,
    only: Option<&str>,
) -> AppResult<Vec<Group>> {
    let provinces = vamyar_store::reference::provinces(&state.db).await?;
    let counties = vamyar_store::reference::counties(&state.db).await?;
    let mut groups: Vec<Group> = provinces
        .iter()
        .filter(|p| province.is_none_or(|want| want == p.code))
        .map(|p| {
            let mut options: Vec<Opt> = counties
                .iter()
                .filter(|c| c.province_code == p.code && only.is_none_or(|o| o == c.code))
                .map(|c| Opt {
                    value: c.code.clone(),
                    label: name(lang, &c.name_fa, &c.name_en),
                })
                .collect();
            super::collate::sort_by_name(lang, &mut options, |o| &o.label);
            Group {
                label: name(lang, &p.name_fa, &p.name_en),
                options,
            }
        })
        .filter(|g| !g.options.is_empty())
        .collect();
    super::collate::sort_by_name(lang, &mut groups, |g| &g.label);
    Ok(groups)
}

/// Every province, valued by its code.
pub async fn provinces(state: &AppState, lang: Lang) -> AppResult<Vec<Opt>> {
    let provinces = vamyar_store::reference::provinces(&state.db).await?;
    Ok(sorted(
        lang,
        provinces
            .iter()
            .map(|p| Opt {
                value: p.code.clone(),
                label: name(lang, &p.name_fa, &p.name_en),
            })
            .collect(),
    ))
}

/// The banks given, valued by their code.
pub fn banks(lang: Lang, list: &[vamyar_app::admin::banks::BankOut]) -> Vec<Opt> {
    sorted(
        lang,
        list.iter()
            .map(|b| Opt {
                value: b.code.clone(),
                label: name(lang, &b.name_fa, &b.name_en),
            })
            .collect(),
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The `<option>`s of a county choice: the empty first choice, then the groups, `selected`
/// marked.
pub fn county_options(lang: Lang, groups: &[Group], selected: &str) -> String {
    let mut html = format!(
        "<option value=\"\"{}>{}</option>",
        if selected.is_empty() { " selected" } else { "" },
        escape(&vamyar_i18n::text(lang, "pg-choose", &[]))
    );
    for g in groups {
        html.push_str(&format!("<optgroup label=\"{}\">", escape(&g.label)));
        for o in &g.options {
            html.push_str(&format!(
                "<option value=\"{}\"{}>{}</option>",
                escape(&o.value),
                if o.value == selected { " selected" } else { "" },
                escape(&o.label)
            ));
        }
        html.push_str("</optgroup>");
    }
    html
}

/// The query of `GET /pickers/counties`.
#[derive(Debug, Default, Deserialize)]
pub struct CountyQuery {
    /// Province code; blank: every province.
    pub province: Option<String>,
    /// The county chosen so far (kept when it is in the province).
    pub county: Option<String>,
}

/// `GET /pickers/counties?province=`: the county `<option>`s of one province (all when
/// blank), for htmx to put into the county choice when a province is chosen.
pub async fn counties_of(
    axum::extract::State(state): axum::extract::State<AppState>,
    ctx: PageCtx,
    Query(q): Query<CountyQuery>,
) -> AppResult<Response> {
    let province = q
        .province
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let groups = county_groups(&state, ctx.lang, province, None).await?;
    let html = county_options(ctx.lang, &groups, q.county.as_deref().unwrap_or_default());
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        html,
    )
        .into_response())
}
