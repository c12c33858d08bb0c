//! A report as an XLSX workbook (`rust_xlsxwriter`): one sheet per table, right to left in
//! Persian, the header row bold and frozen, counts and rials with thousands separators,
//! shares as percentages, working days with one decimal, dates as Jalali text (spreadsheet
//! dates are Gregorian).

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use vamyar_i18n::Lang;

use super::export::{date_text, safe_text};
use super::labels::text;
use super::model::{Cell, Kind, Report};

fn fail(e: XlsxError) -> crate::Error {
    crate::Error::Internal(format!("xlsx: {e}"))
}

/// A sheet name from a title: at most 31 characters, none of `[]:*?/\`, unique in the book.
fn sheet_name(title: &str, index: usize) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .take(27)
        .collect();
    format!("{} {}", clean.trim(), index + 1)
}

/// The workbook's bytes.
pub fn workbook(r: &Report) -> Result<Vec<u8>, crate::Error> {
    let mut book = Workbook::new();
    let header = Format::new().set_bold();
    let grouped = Format::new().set_num_format("#,##0");
    let percent = Format::new().set_num_format("0.00%");
    let days = Format::new().set_num_format("0.0");
    for (i, t) in r.tables.iter().enumerate() {
        let sheet = book.add_worksheet();
        sheet
            .set_name(sheet_name(&text(r.lang, t.key), i))
            .map_err(fail)?;
        sheet.set_right_to_left(r.lang == Lang::Fa);
        for (c, col) in t.columns.iter().enumerate() {
            let c = c as u16;
            sheet
                .write_string_with_format(0, c, text(r.lang, col.key), &header)
                .map_err(fail)?;
            let width = if col.kind == Kind::Text { 24 } else { 16 };
            sheet.set_column_width(c, width).map_err(fail)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(fail)?;
        for (n, row) in t.rows.iter().enumerate() {
            let n = n as u32 + 1;
            for (c, (cell, col)) in row.iter().zip(&t.columns).enumerate() {
                let c = c as u16;
                match (cell, col.kind) {
                    (Cell::Text(s), _) => {
                        sheet.write_string(n, c, safe_text(s)).map_err(fail)?;
                    }
                    (Cell::Int(v), Kind::Percent) => {
                        sheet
                            .write_number_with_format(n, c, *v as f64 / 10_000.0, &percent)
                            .map_err(fail)?;
                    }
                    (Cell::Int(v), Kind::Days) => {
                        sheet
                            .write_number_with_format(n, c, *v as f64 / 10.0, &days)
                            .map_err(fail)?;
                    }
                    (Cell::Int(v), _) => {
                        sheet
                            .write_number_with_format(n, c, *v as f64, &grouped)
                            .map_err(fail)?;
                    }
                    (Cell::Date(d), _) => {
                        sheet
                            .write_string(n, c, date_text(r.lang, *d))
                            .map_err(fail)?;
                    }
                    (Cell::Empty, _) => {}
                }
            }
        }
    }
    book.save_to_buffer().map_err(fail)
}
