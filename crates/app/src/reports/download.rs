//! What the API answers for `?format=`: the JSON report, or a file to download.

use super::model::Report;
use super::{export, xlsx};
use crate::error::Result;

/// The answer's format (`?format=json|csv|xlsx`, JSON when absent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The report as JSON.
    Json,
    /// CSV, UTF-8 with a BOM.
    Csv,
    /// An XLSX workbook.
    Xlsx,
}

impl Format {
    /// The format named by the query (blank: JSON); `None` for an unknown one.
    pub fn parse(value: Option<&str>) -> Option<Format> {
        match value
            .map(str::trim)
            .unwrap_or("")
            .to_ascii_lowercase()
            .as_str()
        {
            "" | "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }
}

/// A report as a file.
#[derive(Clone, Debug)]
pub struct Download {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The media type.
    pub content_type: &'static str,
    /// The file name for `Content-Disposition` (ASCII).
    pub file_name: String,
}

/// The file of `report` in `format` (`None` for JSON, which the channel serialises itself).
pub fn file(report: &Report, format: Format) -> Result<Option<Download>> {
    Ok(match format {
        Format::Json => None,
        Format::Csv => Some(Download {
            bytes: export::csv(report)?,
            content_type: "text/csv; charset=utf-8",
            file_name: export::file_name(report, "csv"),
        }),
        Format::Xlsx => Some(Download {
            bytes: xlsx::workbook(report)?,
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            file_name: export::file_name(report, "xlsx"),
        }),
    })
}
