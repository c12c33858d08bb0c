//! Jobs by province, for the loans disbursed in the range: the jobs planned by the latest
//! plan review of each file, the people found employed by the latest recorded monitoring
//! visit of each loan (and how many loans were visited), the share found of planned, and how
//! many loans were accelerated or closed.

use std::collections::BTreeMap;

use vamyar_store::report::{ReportFilter, jobs};

use super::labels::Names;
use super::model::{Cell, ChartKind, Kind, Table, basis_points};
use crate::error::Result;

#[derive(Default)]
struct Province {
    loans: i64,
    planned_files: i64,
    planned: i64,
    visited: i64,
    found: i64,
    accelerated: i64,
    closed: i64,
}

/// The jobs table (one row per province, then the total).
pub async fn build(ctx: &crate::Ctx, f: &ReportFilter, names: &Names) -> Result<Vec<Table>> {
    let pool = ctx.db.pool();
    let mut by: BTreeMap<String, Province> = BTreeMap::new();
    for r in jobs::loans(pool, f).await? {
        let p = by.entry(r.province_code).or_default();
        p.loans = r.loans;
        p.accelerated = r.accelerated;
        p.closed = r.closed;
    }
    for r in jobs::planned(pool, f).await? {
        let p = by.entry(r.province_code).or_default();
        p.planned_files = r.files;
        p.planned = r.jobs;
    }
    for r in jobs::found(pool, f).await? {
        let p = by.entry(r.province_code).or_default();
        p.visited = r.files;
        p.found = r.jobs;
    }
    let mut table = Table::new(
        "report-jobs-table",
        &[
            ("report-col-province", Kind::Text),
            ("report-col-loans", Kind::Count),
            ("report-col-planned-files", Kind::Count),
            ("report-col-jobs-planned", Kind::Count),
            ("report-col-visited-loans", Kind::Count),
            ("report-col-jobs-found", Kind::Count),
            ("report-col-jobs-found-share", Kind::Percent),
            ("report-col-accelerated", Kind::Count),
            ("report-col-closed", Kind::Count),
        ],
    )
    .with_chart(ChartKind::Bars, 0, &[3, 5]);
    let mut total = Province::default();
    let row = |label: String, p: &Province| {
        vec![
            Cell::Text(label),
            Cell::Int(p.loans),
            Cell::Int(p.planned_files),
            Cell::Int(p.planned),
            Cell::Int(p.visited),
            Cell::Int(p.found),
            if p.planned > 0 {
                Cell::Int(basis_points(p.found, p.planned))
            } else {
                Cell::Empty
            },
            Cell::Int(p.accelerated),
            Cell::Int(p.closed),
        ]
    };
    // by province code (the pages sort by name with the language's collation if they wish)
    for (code, p) in &by {
        table.rows.push(row(names.province(code), p));
        total.loans += p.loans;
        total.planned_files += p.planned_files;
        total.planned += p.planned;
        total.visited += p.visited;
        total.found += p.found;
        total.accelerated += p.accelerated;
        total.closed += p.closed;
    }
    let mut totals = table.clone();
    totals.key = "report-jobs-total";
    totals.chart = None;
    totals.rows = vec![row(names.total(), &total)];
    Ok(vec![table, totals])
}
