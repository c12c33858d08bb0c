//! A report in JSON (the API's answer) and in CSV (UTF-8 with a BOM, so that spreadsheet
//! programs read the Persian text; headers in the report's language).
//!
//! In both, numbers stay integers in JSON (rials, basis points, tenths of a working day) and
//! dates ISO; in CSV a share is written as a percentage with two decimals (`12.50`), a
//! duration in working days with one (`3.5`), a date Jalali with Latin digits (`1405/09/10`)
//! in Persian and ISO in English, and a text that could start a spreadsheet formula gets a
//! leading `'`.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;
use vamyar_calendar::JalaliDate;
use vamyar_i18n::Lang;

use super::filters::Filters;
use super::labels::text;
use super::model::{Cell, Chart, Kind, Report};
use super::names::ReportName;

/// A report as the API answers it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReportJson {
    /// Which report.
    pub name: ReportName,
    /// Its title in the request's language.
    pub title: String,
    /// The day the figures stand for (ISO).
    pub as_of: NaiveDate,
    /// The filters applied, the caller's scope included.
    pub filters: Filters,
    /// Its tables.
    pub tables: Vec<TableJson>,
}

/// A table as the API answers it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TableJson {
    /// Fluent id of the title.
    pub key: &'static str,
    /// The title in the request's language.
    pub title: String,
    /// The columns.
    pub columns: Vec<ColumnJson>,
    /// The rows: per cell a string (text, or an ISO date in a `date` column), an integer
    /// (count, rials, basis points, tenths of a working day, as the column's kind says) or
    /// null.
    #[schema(value_type = Vec<Vec<Object>>)]
    pub rows: Vec<Vec<serde_json::Value>>,
    /// How to draw it.
    pub chart: Option<Chart>,
}

/// A column as the API answers it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ColumnJson {
    /// Fluent id of the header.
    pub key: &'static str,
    /// The header in the request's language.
    pub title: String,
    /// What its cells hold.
    pub kind: Kind,
}

/// The JSON form of a report.
pub fn json(r: &Report) -> ReportJson {
    ReportJson {
        name: r.name,
        title: text(r.lang, r.name.title_key()),
        as_of: r.as_of,
        filters: r.filters.clone(),
        tables: r
            .tables
            .iter()
            .map(|t| TableJson {
                key: t.key,
                title: text(r.lang, t.key),
                columns: t
                    .columns
                    .iter()
                    .map(|c| ColumnJson {
                        key: c.key,
                        title: text(r.lang, c.key),
                        kind: c.kind,
                    })
                    .collect(),
                rows: t
                    .rows
                    .iter()
                    .map(|row| {
                        row.iter()
                            .map(|c| match c {
                                Cell::Text(s) => serde_json::Value::from(s.as_str()),
                                Cell::Int(n) => serde_json::Value::from(*n),
                                Cell::Date(d) => serde_json::Value::from(d.to_string()),
                                Cell::Empty => serde_json::Value::Null,
                            })
                            .collect()
                    })
                    .collect(),
                chart: t.chart.clone(),
            })
            .collect(),
    }
}

/// A text cell that cannot start a spreadsheet formula.
pub fn safe_text(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// `n` hundredths (or tenths, `places` = 1) written with that many decimals: `1250` → `12.50`.
pub fn decimal(n: i64, places: u32) -> String {
    let unit = 10_i64.pow(places);
    let sign = if n < 0 { "-" } else { "" };
    let (whole, frac) = (n.abs() / unit, n.abs() % unit);
    format!("{sign}{whole}.{frac:0width$}", width = places as usize)
}

/// A date as exported: Jalali with Latin digits in Persian, ISO in English.
pub fn date_text(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Fa => JalaliDate::from_iso(d).to_string(),
        Lang::En => d.to_string(),
    }
}

/// A cell as CSV text.
pub fn cell_text(lang: Lang, kind: Kind, cell: &Cell) -> String {
    match (cell, kind) {
        (Cell::Text(s), _) => safe_text(s),
        (Cell::Int(n), Kind::Percent) => decimal(*n, 2),
        (Cell::Int(n), Kind::Days) => decimal(*n, 1),
        (Cell::Int(n), _) => n.to_string(),
        (Cell::Date(d), _) => date_text(lang, *d),
        (Cell::Empty, _) => String::new(),
    }
}

/// The CSV of a report: UTF-8 with a BOM; per table its title on a line of its own, the
/// header line, the rows, then an empty line.
pub fn csv(r: &Report) -> Result<Vec<u8>, crate::Error> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = ::csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(&mut out);
        let fail = |e: ::csv::Error| crate::Error::Internal(format!("csv: {e}"));
        for t in &r.tables {
            w.write_record([text(r.lang, t.key)]).map_err(fail)?;
            w.write_record(t.columns.iter().map(|c| text(r.lang, c.key)))
                .map_err(fail)?;
            for row in &t.rows {
                w.write_record(
                    row.iter()
                        .zip(&t.columns)
                        .map(|(cell, c)| cell_text(r.lang, c.kind, cell)),
                )
                .map_err(fail)?;
            }
            w.write_record([""]).map_err(fail)?;
        }
        w.flush()
            .map_err(|e| crate::Error::Internal(format!("csv: {e}")))?;
    }
    Ok(out)
}

/// The file name of an export: `report-funnel-1405-09-10.csv`.
pub fn file_name(r: &Report, extension: &str) -> String {
    let j = JalaliDate::from_iso(r.as_of);
    format!(
        "report-{}-{:04}-{:02}-{:02}.{extension}",
        r.name.as_str(),
        j.year(),
        j.month(),
        j.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_and_formula_guard() {
        assert_eq!(decimal(1250, 2), "12.50");
        assert_eq!(decimal(5, 2), "0.05");
        assert_eq!(decimal(35, 1), "3.5");
        assert_eq!(decimal(-7, 1), "-0.7");
        assert_eq!(safe_text("=1+2"), "'=1+2");
        assert_eq!(safe_text("تهران"), "تهران");
    }
}
