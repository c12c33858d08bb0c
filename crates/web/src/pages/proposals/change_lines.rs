//! Administrative changes awaiting a second person (`vamyar_app::admin::changes`) as shown
//! on the desk's proposals page: what each changes (the act in words, its subject by name,
//! the request's fields) with its confirm and reject forms.

use serde_json::Value;
use vamyar_app::admin::changes::ChangeView;
use vamyar_i18n::Lang;

use crate::AppState;
use crate::error::AppResult;
use crate::pages::detail::Pair;
use crate::pages::fmt;

/// One pending change on the proposals page.
pub struct ChangeLine {
    /// Its id (the forms post to `/desk/changes/{id}/confirm` and `/reject`).
    pub id: i64,
    /// The act in words.
    pub act: String,
    /// What it changes, by name.
    pub subject: String,
    /// Who proposed it.
    pub by: String,
    /// When (Jalali).
    pub at: String,
    /// Its last day (Jalali).
    pub expires: String,
    /// The request's fields, as typed.
    pub fields: Vec<Pair>,
}

fn name(lang: Lang, fa: &str, en: &str) -> String {
    if lang == Lang::Fa {
        fa.into()
    } else {
        en.into()
    }
}

/// The subject of a change by name (the memorandum's number and the province, the
/// account's username, the program's title, the bank and program of a new memorandum); the
/// stored subject when a name is not found.
async fn subject(state: &AppState, lang: Lang, c: &ChangeView) -> AppResult<String> {
    let pool = state.db.pool();
    let rest = c
        .subject
        .split_once(':')
        .map(|(_, r)| r)
        .unwrap_or_default();
    let t = |id: &str, args: &[(&str, vamyar_i18n::Arg)]| vamyar_i18n::text(lang, id, args);
    let named = match c.action.as_str() {
        "quota" => match rest.split_once('/') {
            Some((m, p)) => {
                let number = match m.parse::<i64>() {
                    Ok(id) => vamyar_store::bank::memorandum(pool, id)
                        .await?
                        .map(|m| m.number),
                    Err(_) => None,
                };
                let province = vamyar_store::reference::province(pool, p)
                    .await?
                    .map(|p| name(lang, &p.name_fa, &p.name_en));
                match (number, province) {
                    (Some(n), Some(p)) => Some(t(
                        "pg-change-subject-quota",
                        &[("number", n.into()), ("province", p.into())],
                    )),
                    _ => None,
                }
            }
            None => None,
        },
        "staff_role" => match rest.parse::<i64>() {
            Ok(id) => vamyar_store::staff::by_id(pool, id).await?.map(|s| {
                t(
                    "pg-change-subject-staff",
                    &[("username", s.username.into())],
                )
            }),
            Err(_) => None,
        },
        "program" => match rest.parse::<i64>() {
            Ok(id) => vamyar_store::program::get(pool, id)
                .await?
                .map(|p| name(lang, &p.title_fa, &p.title_en)),
            Err(_) => None,
        },
        _ => {
            let bank = c.body["bank_id"].as_str().and_then(|b| b.parse().ok());
            let bank = match bank.or(c.body["bank_id"].as_i64()) {
                Some(id) => vamyar_store::bank::bank(pool, id).await?,
                None => None,
            };
            bank.map(|b| {
                t(
                    "pg-change-subject-memorandum",
                    &[("bank", name(lang, &b.name_fa, &b.name_en).into())],
                )
            })
        }
    };
    Ok(named.unwrap_or_else(|| c.subject.clone()))
}

/// A value of the request as shown: amounts in tomans, text as typed, lists joined, other
/// shapes as compact JSON.
fn shown(lang: Lang, key: &str, v: &Value) -> String {
    let amount = key.contains("amount");
    match v {
        Value::String(s) if amount => match s.trim().parse::<i64>() {
            Ok(n) => fmt::tomans(lang, n),
            Err(_) => s.clone(),
        },
        Value::Number(n) if amount => n.as_i64().map_or(n.to_string(), |n| fmt::tomans(lang, n)),
        Value::String(s) => s.clone(),
        Value::Number(n) => fmt::digits(lang, &n.to_string()),
        Value::Bool(b) => vamyar_i18n::text(lang, if *b { "pg-yes" } else { "pg-no" }, &[]),
        Value::Array(items) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("، "),
        other => other.to_string(),
    }
}

/// The request's given fields, each labelled.
fn fields(lang: Lang, body: &Value) -> Vec<Pair> {
    let Some(map) = body.as_object() else {
        return Vec::new();
    };
    map.iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| Pair {
            label: vamyar_i18n::try_text(lang, &format!("pg-change-field-{k}"), &[])
                .unwrap_or_else(|| k.clone()),
            value: shown(lang, k, v),
        })
        .collect()
}

/// The pending changes the caller may decide, as lines of the proposals page.
pub async fn lines(
    state: &AppState,
    lang: Lang,
    list: Vec<ChangeView>,
) -> AppResult<Vec<ChangeLine>> {
    let mut out = Vec::with_capacity(list.len());
    for c in list {
        out.push(ChangeLine {
            id: c.id,
            act: vamyar_i18n::text(lang, &format!("pg-change-act-{}", c.action), &[]),
            subject: subject(state, lang, &c).await?,
            by: c.proposed_by.clone(),
            at: fmt::datetime(lang, &c.proposed_at),
            expires: fmt::date(lang, &c.expires_on),
            fields: fields(lang, &c.body),
        });
    }
    Ok(out)
}
