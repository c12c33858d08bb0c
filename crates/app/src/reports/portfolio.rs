//! The portfolio by bank and province: loans not closed, outstanding principal, PAR30 (the
//! outstanding principal of loans more than 30 days past due, and its share), and the
//! central bank's classes by days past due, as of the last close of business (the days counted
//! to its date from the oldest unpaid due date it, or a payment since, recorded).
//!
//! The classes follow the central bank's asset classification directive (دستورالعمل
//! طبقه‌بندی دارایی‌های مؤسسات اعتباری، بخشنامهٔ مب/۲۸۲۳ مورخ ۱۳۸۵/۱۲/۰۵): current up to two
//! months past due; past due (سررسید گذشته) more than two months and up to six; deferred
//! (معوق) more than six months and up to eighteen; doubtful (مشکوک‌الوصول) more than eighteen.
//! Vamyar counts days (from `loan.arrears_since`), so the defaults are 60, 180 and 540 days,
//! configurable (`[reports]` in the configuration, [`ArrearsClasses`]). A loan's whole
//! outstanding principal is put in its class (the directive moves only the amount already
//! due for the first two classes; the report shows the loans' balances).

use vamyar_store::report::{ReportFilter, portfolio};

use super::labels::Names;
use super::model::{Cell, ChartKind, Kind, Table, basis_points};
use crate::error::Result;

/// The day thresholds of the central bank's classes: a loan is in a class when its days past
/// due are more than the class's threshold and not more than the next class's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArrearsClasses {
    /// Past due (سررسید گذشته) after this many days (60).
    pub overdue_days: u32,
    /// Deferred (معوق) after this many days (180).
    pub deferred_days: u32,
    /// Doubtful (مشکوک‌الوصول) after this many days (540).
    pub doubtful_days: u32,
}

impl Default for ArrearsClasses {
    fn default() -> Self {
        ArrearsClasses {
            overdue_days: 60,
            deferred_days: 180,
            doubtful_days: 540,
        }
    }
}

impl ArrearsClasses {
    /// Whether the thresholds rise (past due < deferred < doubtful).
    pub fn is_valid(&self) -> bool {
        self.overdue_days < self.deferred_days && self.deferred_days < self.doubtful_days
    }
}

const FIGURES: &[(&str, Kind)] = &[
    ("report-col-loans", Kind::Count),
    ("report-col-outstanding", Kind::Rials),
    ("report-col-par30-amount", Kind::Rials),
    ("report-col-par30", Kind::Percent),
    ("report-col-overdue-loans", Kind::Count),
    ("report-col-overdue-amount", Kind::Rials),
    ("report-col-deferred-loans", Kind::Count),
    ("report-col-deferred-amount", Kind::Rials),
    ("report-col-doubtful-loans", Kind::Count),
    ("report-col-doubtful-amount", Kind::Rials),
];

fn figures(r: &portfolio::PortfolioRow) -> Vec<Cell> {
    [
        r.loans,
        r.outstanding,
        r.par30,
        basis_points(r.par30, r.outstanding),
        r.overdue_loans,
        r.overdue,
        r.deferred_loans,
        r.deferred,
        r.doubtful_loans,
        r.doubtful,
    ]
    .into_iter()
    .map(Cell::Int)
    .collect()
}

/// The table by bank and province, and the totals, with days past due counted to `as_of`.
pub async fn build(
    ctx: &crate::Ctx,
    f: &ReportFilter,
    names: &Names,
    as_of: chrono::NaiveDate,
) -> Result<Vec<Table>> {
    let c = ctx.settings.arrears_classes;
    let t = portfolio::Thresholds {
        overdue: i64::from(c.overdue_days),
        deferred: i64::from(c.deferred_days),
        doubtful: i64::from(c.doubtful_days),
    };
    let rows = portfolio::by_bank_and_province(ctx.db.pool(), f, t, as_of).await?;
    let mut cols = vec![
        ("report-col-bank", Kind::Text),
        ("report-col-province", Kind::Text),
    ];
    cols.extend_from_slice(FIGURES);
    let mut table =
        Table::new("report-portfolio-table", &cols).with_chart(ChartKind::Bars, 1, &[3, 4]);
    let mut total = portfolio::PortfolioRow {
        bank_id: 0,
        province_code: String::new(),
        loans: 0,
        outstanding: 0,
        par30: 0,
        overdue_loans: 0,
        overdue: 0,
        deferred_loans: 0,
        deferred: 0,
        doubtful_loans: 0,
        doubtful: 0,
    };
    for r in &rows {
        let mut row = vec![
            Cell::Text(names.bank(r.bank_id)),
            Cell::Text(names.province(&r.province_code)),
        ];
        row.extend(figures(r));
        table.rows.push(row);
        total.loans += r.loans;
        total.outstanding += r.outstanding;
        total.par30 += r.par30;
        total.overdue_loans += r.overdue_loans;
        total.overdue += r.overdue;
        total.deferred_loans += r.deferred_loans;
        total.deferred += r.deferred;
        total.doubtful_loans += r.doubtful_loans;
        total.doubtful += r.doubtful;
    }
    let mut totals = Table::new("report-portfolio-total", FIGURES);
    totals.rows.push(figures(&total));
    Ok(vec![table, totals])
}
