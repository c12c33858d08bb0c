//! The filters of a report, read from the query string with the shared field readers (dates
//! ISO or Jalali in any digits, codes and ids in any digits), checked against the report and
//! the caller's scope, then narrowed to that scope for the SQL.
//!
//! A filter the report does not take is refused (`filter_not_applicable`); a filter outside
//! the caller's scope (another province for a province administrator, another bank for a
//! bank officer) is refused (`outside_your_scope`), as the queue refuses another county:
//! 422 naming the field, never an empty report that would look like "nothing happened".

use chrono::{Duration, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vamyar_domain::policy::{Actor, Scope};
use vamyar_domain::vocab::{Gender, LoanType, Sector};
use vamyar_store::report::ReportFilter;

use super::names::{FilterKey, ReportName};
use crate::Ctx;
use crate::error::{FieldErrors, Result};
use crate::fields;

/// The query string of a report. Blank values are "not given".
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// First day (inclusive), ISO or Jalali (`1405/01/01`), any digits. What it bounds
    /// depends on the report: the registration day (funnel, priority) or the disbursement
    /// date (disbursements, portfolio, jobs).
    pub from: Option<String>,
    /// Last day (inclusive), as `from`.
    pub to: Option<String>,
    /// Province code (`07`).
    pub province: Option<String>,
    /// County code (`07-15`).
    pub county: Option<String>,
    /// Program id.
    #[serde(alias = "program")]
    pub program_id: Option<String>,
    /// Bank id.
    #[serde(alias = "bank")]
    pub bank_id: Option<String>,
    /// `self_employment`, `household_business` or `employer`.
    pub loan_type: Option<String>,
    /// `female` or `male`.
    pub gender: Option<String>,
    /// `true` or `false` (also `1`/`0`).
    #[serde(alias = "female_head")]
    pub female_head_of_household: Option<String>,
    /// Residents of deprived counties only (`true`) or of the others (`false`).
    pub deprived: Option<String>,
    /// The business sector of the file's plan (`agriculture`, `services`, …).
    pub sector: Option<String>,
    /// `json` (default), `csv` (UTF-8 with a BOM) or `xlsx`.
    pub format: Option<String>,
    /// `fa` (default) or `en`: the language of headers and names.
    pub lang: Option<String>,
}

/// The filters a report was computed with, as the caller asked them plus the scope's own
/// narrowing (a province administrator's province, a bank officer's bank).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Filters {
    /// First day (inclusive).
    pub from: Option<NaiveDate>,
    /// Last day (inclusive).
    pub to: Option<NaiveDate>,
    /// Province code.
    pub province: Option<String>,
    /// County code.
    pub county: Option<String>,
    /// Program id.
    pub program_id: Option<i64>,
    /// Bank id.
    pub bank_id: Option<i64>,
    /// Loan type.
    pub loan_type: Option<String>,
    /// Gender.
    pub gender: Option<String>,
    /// Female heads of household only (true) or the others (false).
    pub female_head_of_household: Option<bool>,
    /// Residents of deprived counties (true) or of the others (false).
    pub deprived: Option<bool>,
    /// The business sector of the file's plan.
    pub sector: Option<String>,
}

/// The instant a Tehran day begins, as stored: the bound of a range of registrations.
pub(super) fn day_start(d: NaiveDate) -> String {
    vamyar_store::time::ts(vamyar_calendar::clock::tehran_instant(d, NaiveTime::MIN))
}

fn flag(errors: &mut FieldErrors, field: &str, v: &Option<String>) -> Option<bool> {
    let s = fields::given(v)?;
    match vamyar_calendar::digits::to_latin_digits(s)
        .to_ascii_lowercase()
        .as_str()
    {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" => Some(false),
        _ => {
            errors.add(field, "invalid_value");
            None
        }
    }
}

fn id(errors: &mut FieldErrors, field: &str, v: &Option<String>) -> Option<i64> {
    let s = fields::given(v)?;
    fields::int_of(errors, field, &fields::Flex(s.to_string()), 1..=i64::MAX)
}

fn given(q: &ReportQuery, key: FilterKey) -> bool {
    let v = match key {
        FilterKey::From => &q.from,
        FilterKey::To => &q.to,
        FilterKey::Province => &q.province,
        FilterKey::County => &q.county,
        FilterKey::Program => &q.program_id,
        FilterKey::Bank => &q.bank_id,
        FilterKey::LoanType => &q.loan_type,
        FilterKey::Gender => &q.gender,
        FilterKey::FemaleHead => &q.female_head_of_household,
        FilterKey::Deprived => &q.deprived,
        FilterKey::Sector => &q.sector,
    };
    fields::given(v).is_some()
}

impl Filters {
    /// Reads and checks the query of `report` for `actor`: every problem at once, each
    /// against its field (422).
    pub async fn parse(
        ctx: &Ctx,
        actor: &Actor,
        report: ReportName,
        q: &ReportQuery,
    ) -> Result<Filters> {
        let mut errors = FieldErrors::new();
        for &key in FilterKey::ALL {
            if given(q, key) && !report.takes(key) {
                errors.add(key.field(), "filter_not_applicable");
            }
        }
        let mut f = Filters {
            from: fields::optional_date(&mut errors, "from", &q.from, false),
            to: fields::optional_date(&mut errors, "to", &q.to, false),
            program_id: id(&mut errors, "program_id", &q.program_id),
            bank_id: id(&mut errors, "bank_id", &q.bank_id),
            female_head_of_household: flag(
                &mut errors,
                "female_head_of_household",
                &q.female_head_of_household,
            ),
            deprived: flag(&mut errors, "deprived", &q.deprived),
            ..Filters::default()
        };
        if super::format::Format::parse(q.format.as_deref()).is_none() {
            errors.add("format", "invalid_choice");
        }
        if let (Some(from), Some(to)) = (f.from, f.to)
            && to < from
        {
            errors.add("to", "date_before_from");
        }
        if let Some(s) = fields::given(&q.loan_type) {
            match LoanType::parse(s) {
                Some(t) => f.loan_type = Some(t.as_str().to_string()),
                None => errors.add("loan_type", "invalid_choice"),
            }
        }
        if let Some(s) = fields::given(&q.sector) {
            match Sector::parse(s) {
                Some(t) => f.sector = Some(t.as_str().to_string()),
                None => errors.add("sector", "invalid_choice"),
            }
        }
        if let Some(s) = fields::given(&q.gender) {
            match Gender::parse(s) {
                Some(g) => f.gender = Some(g.as_str().to_string()),
                None => errors.add("gender", "invalid_choice"),
            }
        }
        if let Some(p) = fields::given(&q.province).map(fields::region_code) {
            match vamyar_store::reference::province(ctx.db.pool(), &p).await? {
                Some(_) => f.province = Some(p),
                None => errors.add("province", "unknown_province"),
            }
        }
        if let Some(c) = fields::given(&q.county).map(fields::region_code) {
            match crate::reference::county(ctx, &c).await? {
                Some(county)
                    if f.province
                        .as_ref()
                        .is_some_and(|p| *p != county.province_code) =>
                {
                    errors.add("county", "county_not_in_province")
                }
                Some(_) => f.county = Some(c),
                None => errors.add("county", "unknown_county"),
            }
        }
        if let Some(p) = f.program_id
            && vamyar_store::program::get(ctx.db.pool(), p)
                .await?
                .is_none()
        {
            errors.add("program_id", "unknown_program");
        }
        if let Some(b) = f.bank_id
            && !vamyar_store::bank::banks(ctx.db.pool())
                .await?
                .iter()
                .any(|k| k.id == b)
        {
            errors.add("bank_id", "unknown_bank");
        }
        f.narrow_to(ctx, actor, &mut errors).await?;
        errors.finish()?;
        Ok(f)
    }

    /// Refuses filters outside the actor's scope and fills in the scope's own.
    async fn narrow_to(
        &mut self,
        ctx: &Ctx,
        actor: &Actor,
        errors: &mut FieldErrors,
    ) -> Result<()> {
        match actor.scope() {
            Scope::All => {}
            Scope::Province { province_code } => {
                if self.province.as_ref().is_some_and(|p| p != province_code) {
                    errors.add("province", "outside_your_scope");
                }
                if let Some(c) = &self.county
                    && crate::reference::county(ctx, c)
                        .await?
                        .is_some_and(|c| c.province_code != *province_code)
                {
                    errors.add("county", "outside_your_scope");
                }
                self.province = Some(province_code.clone());
            }
            Scope::Bank { bank_id, .. } => {
                if self.bank_id.is_some_and(|b| b != *bank_id) {
                    errors.add("bank_id", "outside_your_scope");
                }
                self.bank_id = Some(*bank_id);
            }
            // county staff and applicants have no reports (refused before the filters)
            Scope::County { .. } | Scope::Own { .. } => return Err(crate::Error::Forbidden),
        }
        Ok(())
    }

    /// The SQL filter: the dates as the report's basis needs them (instants of the Tehran
    /// days for the registration instant, ISO days for the disbursement date), the branch of a
    /// bank officer limited to one.
    pub fn to_store(&self, report: ReportName, actor: &Actor) -> ReportFilter {
        let (from, to) = match report.date_basis() {
            Some("registration") => (
                self.from.map(day_start),
                self.to.map(|d| day_start(d + Duration::days(1))),
            ),
            Some(_) => (
                self.from.map(vamyar_store::time::date),
                self.to.map(vamyar_store::time::date),
            ),
            None => (None, None),
        };
        let branch_id = match actor.scope() {
            Scope::Bank { branch_id, .. } => *branch_id,
            _ => None,
        };
        ReportFilter {
            from,
            to,
            province_code: self.province.clone(),
            county_code: self.county.clone(),
            program_id: self.program_id,
            bank_id: self.bank_id,
            branch_id,
            loan_type: self.loan_type.clone(),
            gender: self.gender.clone(),
            female_head: self.female_head_of_household,
            deprived: self.deprived,
            sector: self.sector.clone(),
        }
    }
}
