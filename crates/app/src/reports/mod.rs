//! Reports: the funnel, disbursements, quotas, the portfolio, jobs and priority groups, each
//! a [`Report`] of typed tables (see [`model`]) computed for one caller, in one language,
//! over the filters of the query string; exported as CSV ([`export::csv`]) or XLSX
//! ([`xlsx::workbook`]).
//!
//! **Who sees what.** `ViewReports` (domain policy): the national administrator and the
//! auditor see everything; a province administrator their province (every report narrowed
//! to files, loans and quotas of the province); a bank officer their bank (files whose
//! latest referral is to the bank — and their branch if they are limited to one — loans of
//! the bank, the bank's memoranda; the funnel and the priority groups from the referral on).
//! County staff and applicants have no reports (403). A filter outside the caller's scope is
//! a field error (422 `outside_your_scope`), see [`filters`].

pub mod disbursements;
pub mod download;
pub mod export;
pub mod filters;
pub mod format;
pub mod funnel;
pub mod jobs;
pub mod labels;
pub mod model;
pub mod names;
pub mod portfolio;
pub mod priority;
pub mod quotas;
pub mod stays;
pub mod xlsx;

use serde::Serialize;
use utoipa::ToSchema;
use vamyar_domain::policy::{Actor, Permission, Scope, allows};
use vamyar_i18n::Lang;

pub use download::Download;
pub use filters::{Filters, ReportQuery};
pub use format::Format;
pub use model::{Cell, Chart, ChartKind, Column, Kind, Report, Table};
pub use names::ReportName;
pub use portfolio::ArrearsClasses;

use crate::Ctx;
use crate::error::{Error, Result};

/// A report the caller may ask for.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReportEntry {
    /// Its name in the URL.
    pub name: ReportName,
    /// Its title in the request's language.
    pub title: String,
    /// The filters it takes (query parameter names).
    pub filters: Vec<&'static str>,
    /// What `from` and `to` bound: `registration`, `disbursement`, or nothing.
    pub date_basis: Option<&'static str>,
}

fn may_view(actor: &Actor) -> Result<()> {
    if allows(actor, &Permission::ViewReports) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// The reports the caller may see (403 for roles without reports).
pub fn list(actor: &Actor, lang: Lang) -> Result<Vec<ReportEntry>> {
    may_view(actor)?;
    Ok(ReportName::ALL
        .iter()
        .map(|&name| ReportEntry {
            name,
            title: labels::text(lang, name.title_key()),
            filters: names::FilterKey::ALL
                .iter()
                .filter(|&&k| name.takes(k))
                .map(|k| k.field())
                .collect(),
            date_basis: name.date_basis(),
        })
        .collect())
}

/// Computes report `name` for `actor` over the filters of `q`, in `lang`: 404 for an
/// unknown report, 403 for a caller without reports, 422 for a bad filter.
pub async fn run(
    ctx: &Ctx,
    actor: &Actor,
    name: &str,
    q: &ReportQuery,
    lang: Lang,
) -> Result<Report> {
    let name = ReportName::parse(name).ok_or(Error::NotFound)?;
    may_view(actor)?;
    let filters = Filters::parse(ctx, actor, name, q).await?;
    let f = filters.to_store(name, actor);
    let bank_only = matches!(actor.scope(), Scope::Bank { .. });
    let names = labels::Names::load(ctx, lang).await?;
    let mut as_of = ctx.today();
    let tables = match name {
        ReportName::Funnel => funnel::build(ctx, &filters, &f, bank_only, &names).await?,
        ReportName::Disbursements => disbursements::build(ctx, &f, &names).await?,
        ReportName::Quotas => quotas::build(ctx, &f, &names, lang).await?,
        ReportName::Portfolio => {
            if let Some(day) = vamyar_store::cob::last_done(ctx.db.pool()).await? {
                as_of = vamyar_store::time::parse_date(&day)?;
            }
            portfolio::build(ctx, &f, &names, as_of).await?
        }
        ReportName::Jobs => jobs::build(ctx, &f, &names).await?,
        ReportName::Priority => priority::build(ctx, &f, bank_only, &names).await?,
    };
    Ok(Report {
        name,
        filters,
        as_of,
        tables,
        lang,
    })
}
