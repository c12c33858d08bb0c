//! Choices for the administration's forms instead of typed codes: counties (named with their
//! province, in Persian dictionary order), provinces and banks, each list opening with an
//! empty choice so nothing is chosen by default.

use vamyar_i18n::Lang;

use super::apply::Opt;
use super::fmt;
use crate::AppState;
use crate::error::AppResult;

fn name(lang: Lang, fa: &str, en: &str) -> String {
    if lang == Lang::Fa {
        fa.to_string()
    } else {
        en.to_string()
    }
}

fn sorted(lang: Lang, mut options: Vec<Opt>) -> Vec<Opt> {
    if lang == Lang::Fa {
        options.sort_by_cached_key(|o| fmt::persian_key(&o.label));
    } else {
        options.sort_by_cached_key(|o| o.label.to_lowercase());
    }
    let mut out = vec![Opt {
        value: String::new(),
        label: vamyar_i18n::text(lang, "pg-choose", &[]),
    }];
    out.extend(options);
    out
}

/// Every county, as «county (province)», valued by its code.
pub async fn counties(state: &AppState, lang: Lang) -> AppResult<Vec<Opt>> {
    let provinces = vamyar_store::reference::provinces(&state.db).await?;
    let counties = vamyar_store::reference::counties(&state.db).await?;
    let province = |code: &str| {
        provinces
            .iter()
            .find(|p| p.code == code)
            .map(|p| name(lang, &p.name_fa, &p.name_en))
            .unwrap_or_default()
    };
    Ok(sorted(
        lang,
        counties
            .iter()
            .map(|c| Opt {
                value: c.code.clone(),
                label: format!(
                    "{} ({})",
                    name(lang, &c.name_fa, &c.name_en),
                    province(&c.province_code)
                ),
            })
            .collect(),
    ))
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
