//! The names written into text cells, in the report's language: stages (the pages' state
//! names), provinces, banks and Jalali months.

use std::collections::HashMap;

use chrono::NaiveDate;
use vamyar_calendar::JalaliDate;
use vamyar_i18n::Lang;

use crate::Ctx;
use crate::error::Result;

/// Names of provinces and banks, read once per report.
#[derive(Clone, Debug, Default)]
pub struct Names {
    lang: Lang,
    provinces: HashMap<String, (String, String)>,
    banks: HashMap<i64, (String, String)>,
}

impl Names {
    /// Reads the provinces and banks.
    pub async fn load(ctx: &Ctx, lang: Lang) -> Result<Names> {
        let provinces = vamyar_store::reference::provinces(&ctx.db)
            .await?
            .into_iter()
            .map(|p| (p.code, (p.name_fa, p.name_en)))
            .collect();
        let banks = vamyar_store::bank::banks(ctx.db.pool())
            .await?
            .into_iter()
            .map(|b| (b.id, (b.name_fa, b.name_en)))
            .collect();
        Ok(Names {
            lang,
            provinces,
            banks,
        })
    }

    fn pick(&self, pair: Option<&(String, String)>, fallback: String) -> String {
        match (pair, self.lang) {
            (Some((fa, _)), Lang::Fa) => fa.clone(),
            (Some((_, en)), Lang::En) => en.clone(),
            (None, _) => fallback,
        }
    }

    /// A province's name (its code when unknown).
    pub fn province(&self, code: &str) -> String {
        self.pick(self.provinces.get(code), code.to_string())
    }

    /// A bank's name (its id when unknown).
    pub fn bank(&self, id: i64) -> String {
        self.pick(self.banks.get(&id), id.to_string())
    }

    /// A stage's name (`pg-state-…`), or `registered` for every file of the range.
    pub fn stage(&self, state: &str) -> String {
        text(self.lang, &format!("report-stage-{state}"))
    }

    /// A complaint's kind (`complaint`, `appeal`).
    pub fn complaint_kind(&self, kind: &str) -> String {
        text(self.lang, &format!("report-complaint-kind-{kind}"))
    }

    /// A Jalali month of a day, e.g. «مهر ۱۴۰۵» / `Mehr 1405`.
    pub fn month(&self, day: NaiveDate) -> String {
        let j = JalaliDate::from_iso(day);
        match self.lang {
            Lang::Fa => format!(
                "{} {}",
                j.month_name_fa(),
                vamyar_calendar::digits::to_persian_digits(&j.year().to_string())
            ),
            Lang::En => format!("{} {}", j.month_name_en(), j.year()),
        }
    }
}

/// A text of the Fluent files.
pub fn text(lang: Lang, id: &str) -> String {
    vamyar_i18n::text(lang, id, &[])
}

impl Names {
    /// The label of a totals row.
    pub fn total(&self) -> String {
        text(self.lang, "report-total")
    }
}
