//! The SQL of the reports, one module per report. Each reads aggregates (grouped in the
//! database) over the files a [`ReportFilter`] selects; the use cases in
//! `vamyar_app::reports` add the caller's scope to the filter, turn the rows into tables and
//! translate their labels.
//!
//! Every query is a runtime query with `$n` placeholders over both engines. The filter is
//! written into the `where` clause by [`Where`], which numbers the placeholders and keeps the
//! values to bind, so a filter never reaches the SQL text as a value.

pub mod disbursements;
pub mod funnel;
pub mod jobs;
pub mod portfolio;
pub mod priority;
pub mod quotas;
pub mod tally;

use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryAs};

/// Which files (and through them, which loans and stage clocks) a report covers. Each field
/// narrows; `None` does not. The date range's meaning is the report's (see each module).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportFilter {
    /// Instants (RFC 3339, inclusive lower bound) or dates (ISO) from which rows count.
    pub from: Option<String>,
    /// Instants (exclusive upper bound) or dates (inclusive) up to which rows count.
    pub to: Option<String>,
    /// The file's province.
    pub province_code: Option<String>,
    /// The file's county.
    pub county_code: Option<String>,
    /// The file's program.
    pub program_id: Option<i64>,
    /// The bank of the file's latest referral (of the loan, for loan reports).
    pub bank_id: Option<i64>,
    /// The branch of the file's latest referral (a bank officer limited to one branch).
    pub branch_id: Option<i64>,
    /// The file's loan type (`self_employment`, …).
    pub loan_type: Option<String>,
    /// The applicant's gender (`female`, `male`).
    pub gender: Option<String>,
    /// The applicant is (true) or is not (false) a female head of household.
    pub female_head: Option<bool>,
    /// The file's county is (true) or is not (false) flagged deprived (its flag today).
    pub deprived: Option<bool>,
    /// The file's business sector (`application.sector`, set at the plan review).
    pub sector: Option<String>,
}

/// A value bound to a placeholder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bind {
    /// An integer.
    Int(i64),
    /// Text.
    Text(String),
}

/// The bit of each stage in `application.stages_reached`, which triggers on `stage_timing`
/// keep (migration 0014: the same numbers are written out there).
pub const STAGE_BITS: &[(&str, i64)] = &[
    ("submitted", 1),
    ("needs_correction", 2),
    ("rejected", 4),
    ("documents_pending", 8),
    ("counselling", 16),
    ("awaiting_referral", 32),
    ("referred", 64),
    ("guarantees_pending", 128),
    ("bank_approved", 256),
    ("active", 512),
    ("accelerated", 1024),
    ("closed", 2048),
    ("withdrawn", 4096),
];

/// A `where` clause under construction: conditions joined by `and`, with numbered
/// placeholders and the values they take.
#[derive(Clone, Debug, Default)]
pub struct Where {
    conditions: Vec<String>,
    binds: Vec<Bind>,
}

impl Where {
    /// Adds a condition in which `{}` stands for the next placeholder, bound to `value`.
    pub fn bind(&mut self, condition: &str, value: Bind) -> &mut Self {
        self.binds.push(value);
        let mark = format!("${}", self.binds.len());
        self.conditions.push(condition.replace("{}", &mark));
        self
    }

    /// Binds `value` to the next placeholder without a condition (a value used in the select
    /// list) and gives the placeholder.
    pub fn param(&mut self, value: Bind) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }

    /// Adds a condition without a value.
    pub fn raw(&mut self, condition: &str) -> &mut Self {
        self.conditions.push(condition.to_string());
        self
    }

    /// The clause (`where … and …`, or nothing).
    pub fn sql(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!(" where {}", self.conditions.join(" and "))
        }
    }

    /// Binds the values to a query built from [`Where::sql`].
    pub fn apply<'q>(
        &self,
        mut q: Query<'q, sqlx::Any, AnyArguments<'q>>,
    ) -> Query<'q, sqlx::Any, AnyArguments<'q>> {
        for b in &self.binds {
            q = match b {
                Bind::Int(i) => q.bind(*i),
                Bind::Text(s) => q.bind(s.clone()),
            };
        }
        q
    }

    /// Binds the values to a typed query built from [`Where::sql`].
    pub fn apply_as<'q, O>(
        &self,
        mut q: QueryAs<'q, sqlx::Any, O, AnyArguments<'q>>,
    ) -> QueryAs<'q, sqlx::Any, O, AnyArguments<'q>> {
        for b in &self.binds {
            q = match b {
                Bind::Int(i) => q.bind(*i),
                Bind::Text(s) => q.bind(s.clone()),
            };
        }
        q
    }
}

/// Which columns the date range applies to, and the tables the filter needs joined.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Columns {
    /// The column the range bounds (`a.submitted_at`, `l.disbursed_on`).
    pub date: &'static str,
    /// Whether the upper bound is exclusive (instants) or inclusive (dates).
    pub to_exclusive: bool,
    /// The column holding the bank (`a.bank_id` or `l.bank_id`).
    pub bank: &'static str,
    /// The column holding the province (`a.province_code` or `l.province_code`).
    pub province: &'static str,
}

impl ReportFilter {
    /// Whether the filter narrows by no more than the registration dates, the province and the
    /// bank: what the funnel's tally and its stays carry themselves (migration 0020).
    pub fn only_dates_province_bank(&self) -> bool {
        *self
            == ReportFilter {
                from: self.from.clone(),
                to: self.to.clone(),
                province_code: self.province_code.clone(),
                bank_id: self.bank_id,
                ..ReportFilter::default()
            }
    }

    /// Whether the filter reads the file (`application a`): a condition on it, or a date
    /// range on one of its columns. Without one, a loan report reads `loan` alone.
    pub(crate) fn needs_file(&self, cols: Columns) -> bool {
        let dated = self.from.is_some() || self.to.is_some();
        (dated && cols.date.starts_with("a."))
            || (self.province_code.is_some() && cols.province.starts_with("a."))
            || self.county_code.is_some()
            || self.program_id.is_some()
            || self.branch_id.is_some()
            || self.loan_type.is_some()
            || self.gender.is_some()
            || self.female_head.is_some()
            || self.deprived.is_some()
            || self.sector.is_some()
            || (self.bank_id.is_some() && cols.bank.starts_with("a."))
    }

    /// The conditions of the filter on `application a` (which carries the person's gender and
    /// female-head flag and the county's deprived flag: migration 0014).
    pub(crate) fn conditions(&self, w: &mut Where, cols: Columns) {
        if let Some(from) = &self.from {
            w.bind(&format!("{} >= {{}}", cols.date), Bind::Text(from.clone()));
        }
        if let Some(to) = &self.to {
            let op = if cols.to_exclusive { "<" } else { "<=" };
            w.bind(&format!("{} {op} {{}}", cols.date), Bind::Text(to.clone()));
        }
        if let Some(p) = &self.province_code {
            w.bind(&format!("{} = {{}}", cols.province), Bind::Text(p.clone()));
        }
        if let Some(c) = &self.county_code {
            w.bind("a.county_code = {}", Bind::Text(c.clone()));
        }
        if let Some(p) = self.program_id {
            w.bind("a.program_id = {}", Bind::Int(p));
        }
        if let Some(b) = self.bank_id {
            w.bind(&format!("{} = {{}}", cols.bank), Bind::Int(b));
        }
        if let Some(b) = self.branch_id {
            w.bind("a.branch_id = {}", Bind::Int(b));
        }
        if let Some(t) = &self.loan_type {
            w.bind("a.loan_type = {}", Bind::Text(t.clone()));
        }
        if let Some(g) = &self.gender {
            w.bind("a.gender = {}", Bind::Text(g.clone()));
        }
        if let Some(f) = self.female_head {
            w.bind("a.is_female_head = {}", Bind::Int(i64::from(f)));
        }
        if let Some(d) = self.deprived {
            w.bind("a.is_deprived = {}", Bind::Int(i64::from(d)));
        }
        if let Some(s) = &self.sector {
            w.bind("a.sector = {}", Bind::Text(s.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let f = ReportFilter {
            from: Some("2026-01-01".into()),
            province_code: Some("07".into()),
            female_head: Some(true),
            ..ReportFilter::default()
        };
        let mut w = Where::default();
        w.raw("l.status <> 'closed'");
        f.conditions(
            &mut w,
            Columns {
                date: "l.disbursed_on",
                to_exclusive: false,
                bank: "l.bank_id",
                province: "l.province_code",
            },
        );
        assert_eq!(
            w.sql(),
            " where l.status <> 'closed' and l.disbursed_on >= $1 and l.province_code = $2 \
             and a.is_female_head = $3"
        );
    }
}
