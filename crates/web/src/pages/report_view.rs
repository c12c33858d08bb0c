//! A report's tables as a page shows them: every cell as text in the page's digits (amounts in
//! tomans, exactly; shares as percentages with two decimals; durations in working days with
//! one), and the chart the report asks for drawn beside its table (`chart`).

use vamyar_app::reports::{Cell, ChartKind, Kind, Report, Table};
use vamyar_i18n::Lang;

use super::chart::{self, Series, Shape, Spec, Unit};
use super::fmt;

/// One cell as shown.
pub struct CellView {
    /// Its text.
    pub text: String,
    /// A number (aligned as numbers are).
    pub numeric: bool,
}

/// One table as shown.
pub struct TableView {
    /// Its title.
    pub title: String,
    /// Its headers.
    pub headers: Vec<CellView>,
    /// Its rows.
    pub rows: Vec<Vec<CellView>>,
    /// Its chart as inline SVG, when it has one and any rows.
    pub chart: Option<String>,
    /// The chart's unit caption (`(میلیون تومان)`), when its values need one.
    pub unit: Option<String>,
}

/// A header in the page's language. Amount headers name rials for the exports; the page
/// shows tomans with their unit in every cell, so the header drops the rial unit.
pub fn header(lang: Lang, key: &str, kind: Kind) -> String {
    let text = vamyar_i18n::text(lang, key, &[]);
    if kind != Kind::Rials {
        return text;
    }
    let unit = vamyar_i18n::text(lang, "pg-report-rials-unit", &[]);
    text.strip_suffix(unit.as_str())
        .map(|t| t.trim_end().to_string())
        .unwrap_or(text)
}

/// Two decimals of a basis-point share: `12.34%`.
fn percent(lang: Lang, bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let bp = bp.abs();
    let (sep, pct) = if lang == Lang::Fa {
        ("٫", "٪")
    } else {
        (".", "%")
    };
    let frac = fmt::digits(lang, &format!("{:02}", bp % 100));
    format!("{sign}{}{sep}{frac}{pct}", fmt::num(lang, bp / 100))
}

/// One decimal of a duration in tenths of a working day.
fn days(lang: Lang, tenths: i64) -> String {
    chart::value_text(lang, Unit::Days, tenths)
}

/// A cell's text.
pub fn cell(lang: Lang, kind: Kind, c: &Cell) -> String {
    match (c, kind) {
        (Cell::Empty, _) => "—".into(),
        (Cell::Text(t), _) => t.clone(),
        (Cell::Date(d), _) => fmt::day(lang, *d),
        (Cell::Int(n), Kind::Rials) => fmt::tomans(lang, *n),
        (Cell::Int(n), Kind::Percent) => percent(lang, *n),
        (Cell::Int(n), Kind::Days) => days(lang, *n),
        (Cell::Int(n), _) => fmt::num(lang, *n),
    }
}

fn unit_of(kind: Kind) -> Option<Unit> {
    match kind {
        Kind::Count => Some(Unit::Count),
        Kind::Rials => Some(Unit::MillionTomans),
        Kind::Percent => Some(Unit::Percent),
        Kind::Days => Some(Unit::Days),
        Kind::Text | Kind::Date => None,
    }
}

/// The chart of `t`, when it asks for one: the value columns of the first value column's
/// kind, labelled by the label column.
fn chart_of(lang: Lang, title: &str, t: &Table) -> Option<(String, Option<String>)> {
    let c = t.chart.as_ref()?;
    if t.rows.is_empty() {
        return None;
    }
    let first = *c.value_columns.first()?;
    let kind = t.columns.get(first)?.kind;
    let unit = unit_of(kind)?;
    let labels = t
        .rows
        .iter()
        .map(|r| match r.get(c.label_column) {
            Some(Cell::Date(d)) => fmt::day(lang, *d),
            Some(other) => cell(lang, Kind::Text, other),
            None => String::new(),
        })
        .collect();
    let series = c
        .value_columns
        .iter()
        .filter(|&&i| t.columns.get(i).is_some_and(|col| col.kind == kind))
        .map(|&i| Series {
            name: header(lang, t.columns[i].key, kind),
            values: t
                .rows
                .iter()
                .map(|r| match r.get(i) {
                    Some(Cell::Int(n)) => *n,
                    _ => 0,
                })
                .collect(),
        })
        .collect();
    let spec = Spec {
        title: title.to_string(),
        shape: match c.kind {
            ChartKind::Bars => Shape::Bars,
            ChartKind::Line => Shape::Line,
        },
        labels,
        series,
        unit,
    };
    Some((chart::svg(lang, &spec), chart::unit_caption(lang, unit)))
}

/// The report's tables as shown.
pub fn tables(report: &Report) -> Vec<TableView> {
    let lang = report.lang;
    report
        .tables
        .iter()
        .map(|t| {
            let title = vamyar_i18n::text(lang, t.key, &[]);
            let numeric = |k: Kind| !matches!(k, Kind::Text | Kind::Date);
            let (chart, unit) = match chart_of(lang, &title, t) {
                Some((svg, unit)) => (Some(svg), unit),
                None => (None, None),
            };
            TableView {
                headers: t
                    .columns
                    .iter()
                    .map(|c| CellView {
                        text: header(lang, c.key, c.kind),
                        numeric: numeric(c.kind),
                    })
                    .collect(),
                rows: t
                    .rows
                    .iter()
                    .map(|r| {
                        r.iter()
                            .zip(&t.columns)
                            .map(|(v, c)| CellView {
                                text: cell(lang, c.kind, v),
                                numeric: numeric(c.kind),
                            })
                            .collect()
                    })
                    .collect(),
                title,
                chart,
                unit,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_exactly() {
        assert_eq!(cell(Lang::En, Kind::Percent, &Cell::Int(1234)), "12.34%");
        assert_eq!(cell(Lang::Fa, Kind::Percent, &Cell::Int(5)), "۰٫۰۵٪");
        assert_eq!(cell(Lang::En, Kind::Days, &Cell::Int(35)), "3.5");
        assert_eq!(cell(Lang::En, Kind::Count, &Cell::Int(1500)), "1,500");
        assert_eq!(cell(Lang::En, Kind::Rials, &Cell::Int(15)), "1.5 tomans");
        assert_eq!(cell(Lang::Fa, Kind::Count, &Cell::Empty), "—");
    }

    #[test]
    fn amount_headers_drop_the_rial_unit_on_the_page() {
        let fa = header(Lang::Fa, "report-col-amount", Kind::Rials);
        assert!(!fa.contains("ریال"), "{fa}");
        assert!(!fa.is_empty());
        let en = header(Lang::En, "report-col-amount", Kind::Rials);
        assert!(!en.to_lowercase().contains("rial"), "{en}");
        assert_eq!(
            header(Lang::Fa, "report-col-loans", Kind::Count),
            vamyar_i18n::text(Lang::Fa, "report-col-loans", &[])
        );
    }
}
