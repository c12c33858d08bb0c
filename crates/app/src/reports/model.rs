//! The channel-neutral result of every report: named tables of typed cells whose titles and
//! headers are Fluent ids, so that the API (JSON), the exports (CSV, XLSX) and the pages
//! render any report without knowing it. Cells that name something (a stage, a province, a
//! bank, a month) are already in the report's language; numbers are integers: money in
//! rials, shares in basis points, durations in tenths of a working day.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;
use vamyar_i18n::Lang;

use super::filters::Filters;
use super::names::ReportName;

/// A report as computed for one caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// Which report.
    pub name: ReportName,
    /// The filters it was computed with (the caller's scope already applied).
    pub filters: Filters,
    /// The day the figures stand for: the last close of business for the portfolio (arrears
    /// are counted then), today in Tehran for the others.
    pub as_of: NaiveDate,
    /// Its tables, in the order they are shown.
    pub tables: Vec<Table>,
    /// The language the text cells are in.
    pub lang: Lang,
}

/// One table of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// Fluent id of its title (`report-…`).
    pub key: &'static str,
    /// Its columns.
    pub columns: Vec<Column>,
    /// Its rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
    /// How to draw it, when a chart makes sense.
    pub chart: Option<Chart>,
}

/// A column: its header and the kind of its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// Fluent id of its header (`report-col-…`).
    pub key: &'static str,
    /// What its cells hold.
    pub kind: Kind,
}

/// What a column's cells hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Text already in the report's language ([`Cell::Text`]).
    Text,
    /// A count ([`Cell::Int`]).
    Count,
    /// An amount in rials ([`Cell::Int`]).
    Rials,
    /// A share in basis points: 10000 is 100 % ([`Cell::Int`]).
    Percent,
    /// A duration in tenths of a working day: 35 is 3.5 working days ([`Cell::Int`]).
    Days,
    /// A day ([`Cell::Date`]), shown Jalali.
    Date,
}

/// One value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Text, shown as is.
    Text(String),
    /// A whole number whose meaning is the column's [`Kind`].
    Int(i64),
    /// A day.
    Date(NaiveDate),
    /// Nothing (no value applies: a median of no files).
    Empty,
}

/// How a table is drawn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Chart {
    /// The column whose cells label the bars or points.
    pub label_column: usize,
    /// The columns drawn, one series each.
    pub value_columns: Vec<usize>,
    /// Bars or a line.
    pub kind: ChartKind,
}

/// The kind of chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Bars, one group per row.
    Bars,
    /// A line through the rows in order (months).
    Line,
}

impl Table {
    /// A table with these columns and no rows.
    pub fn new(key: &'static str, columns: &[(&'static str, Kind)]) -> Table {
        Table {
            key,
            columns: columns
                .iter()
                .map(|&(key, kind)| Column { key, kind })
                .collect(),
            rows: Vec::new(),
            chart: None,
        }
    }

    /// The same table drawn as `kind` with labels from column `label` and series `values`.
    pub fn with_chart(mut self, kind: ChartKind, label: usize, values: &[usize]) -> Table {
        self.chart = Some(Chart {
            label_column: label,
            value_columns: values.to_vec(),
            kind,
        });
        self
    }
}

/// `part` of `whole` in basis points, rounded half up; none of nothing is 0.
pub fn basis_points(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        return 0;
    }
    (part * 10_000 * 2 + whole) / (2 * whole)
}

/// `total / n` rounded half up (an average amount in whole rials); 0 when `n` is 0.
pub fn average(total: i64, n: i64) -> i64 {
    if n <= 0 {
        return 0;
    }
    (total * 2 + n) / (2 * n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_and_averages_round_half_up() {
        assert_eq!(basis_points(1, 3), 3333);
        assert_eq!(basis_points(2, 3), 6667);
        assert_eq!(basis_points(1, 8), 1250);
        assert_eq!(basis_points(5, 0), 0);
        assert_eq!(average(10, 4), 3); // 2.5 → 3
        assert_eq!(average(9, 4), 2); // 2.25 → 2
        assert_eq!(average(7, 0), 0);
    }
}
