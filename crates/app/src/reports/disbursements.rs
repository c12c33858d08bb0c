//! Disbursements by Jalali month: loans disbursed in the range (by disbursement date), their
//! count, principal and average principal per month, every month from the first to the last
//! shown (months without a disbursement show zeros), and the totals.

use std::collections::BTreeMap;

use vamyar_calendar::JalaliDate;
use vamyar_store::report::{ReportFilter, disbursements};

use super::labels::Names;
use super::model::{Cell, ChartKind, Kind, Table, average};
use crate::error::Result;

const COLUMNS: &[(&str, Kind)] = &[
    ("report-col-loans", Kind::Count),
    ("report-col-amount", Kind::Rials),
    ("report-col-average", Kind::Rials),
];

fn totals_row(loans: i64, amount: i64) -> Vec<Cell> {
    vec![
        Cell::Int(loans),
        Cell::Int(amount),
        Cell::Int(average(amount, loans)),
    ]
}

/// The months table and the totals table.
pub async fn build(ctx: &crate::Ctx, f: &ReportFilter, names: &Names) -> Result<Vec<Table>> {
    let days = disbursements::by_day(ctx.db.pool(), f).await?;
    // (year, month) → (first day of the month, loans, principal)
    let mut months: BTreeMap<(i32, u8), (i64, i64)> = BTreeMap::new();
    for d in &days {
        let j = JalaliDate::from_iso(vamyar_store::time::parse_date(&d.disbursed_on)?);
        let m = months.entry((j.year(), j.month())).or_default();
        m.0 += d.loans;
        m.1 += d.principal;
    }
    if let (Some(&first), Some(&last)) = (months.keys().next(), months.keys().last()) {
        let (mut y, mut m) = first;
        while (y, m) < last {
            months.entry((y, m)).or_default();
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
    }
    let mut cols = vec![("report-col-month", Kind::Text)];
    cols.extend_from_slice(COLUMNS);
    let mut table =
        Table::new("report-disbursements-months", &cols).with_chart(ChartKind::Line, 0, &[2]);
    let (mut loans, mut amount) = (0, 0);
    for (&(y, m), &(n, sum)) in &months {
        let first = JalaliDate::new(y, m, 1)
            .map_err(|e| crate::Error::Internal(format!("month {y}/{m}: {e}")))?
            .to_iso();
        let mut row = vec![Cell::Text(names.month(first))];
        row.extend(totals_row(n, sum));
        table.rows.push(row);
        loans += n;
        amount += sum;
    }
    let mut totals = Table::new("report-disbursements-total", COLUMNS);
    totals.rows.push(totals_row(loans, amount));
    Ok(vec![table, totals])
}
