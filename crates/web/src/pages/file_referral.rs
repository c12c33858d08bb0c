//! The referral on the staff file page: the letter with its guarantees, and the branches the
//! office head may refer the file to (each with what remains of its bank's quota).

use vamyar_app::admin::banks;
use vamyar_i18n::Lang;

use super::apply::Opt;
use super::detail::{Detail, Pair};
use super::fmt;
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;

/// The file's latest referral letter and its guarantees, as label/value pairs (empty while
/// the file was never referred).
pub async fn pairs(state: &AppState, id: i64, lang: Lang) -> AppResult<Vec<Pair>> {
    let t = |id: &str| vamyar_i18n::text(lang, id, &[]);
    let mut referral = Vec::new();
    if let Some(r) = vamyar_store::referral::latest(state.db.pool(), id).await? {
        referral.push(Pair {
            label: t("pg-letter"),
            value: fmt::code(&r.letter_number),
        });
        referral.push(Pair {
            label: t("pg-amount"),
            value: fmt::tomans(lang, r.amount),
        });
        referral.push(Pair {
            label: t("pg-valid-until"),
            value: fmt::date(lang, &r.valid_until),
        });
        referral.push(Pair {
            label: t("pg-field-state"),
            value: fmt::doc_status(lang, &format!("ref-{}", r.status)),
        });
        for g in vamyar_store::referral::guarantees(state.db.pool(), r.id).await? {
            referral.push(Pair {
                label: fmt::doc_status(lang, &format!("g-{}", g.kind)),
                value: fmt::doc_status(lang, g.status.as_str()),
            });
        }
    }
    Ok(referral)
}

/// The branches `refer` may choose for the file: each bank with a memorandum valid today for
/// the file's program (today in Tehran) and a quota in its province, with what is left of
/// the quota.
pub async fn branches(
    state: &AppState,
    current: &CurrentActor,
    d: &Detail,
    lang: Lang,
) -> AppResult<Vec<Opt>> {
    let partners = banks::list(&state.ctx, &current.actor).await?;
    let today = vamyar_store::time::date(state.ctx.today());
    let mut out = Vec::new();
    for b in &partners {
        let Some(m) = b.memoranda.iter().find(|m| {
            m.program_id == d.file.app.program_id && m.valid_from <= today && today <= m.valid_to
        }) else {
            continue;
        };
        let Some(q) = m
            .quotas
            .iter()
            .find(|q| q.province_code == d.file.app.province_code)
        else {
            continue;
        };
        for br in &b.branches {
            let (bank, branch) = if lang == Lang::Fa {
                (&b.name_fa, &br.name_fa)
            } else {
                (&b.name_en, &br.name_en)
            };
            out.push(Opt {
                value: br.id.to_string(),
                label: vamyar_i18n::text(
                    lang,
                    "pg-branch-quota",
                    &[
                        ("bank", bank.clone().into()),
                        ("branch", branch.clone().into()),
                        ("count", fmt::num(lang, q.count_remaining).into()),
                        ("amount", fmt::tomans(lang, q.amount_remaining).into()),
                    ],
                ),
            });
        }
    }
    Ok(out)
}
