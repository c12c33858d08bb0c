//! What the API answers for `?format=`: the JSON report, or a file to download.

use super::format::Format;
use super::model::Report;
use super::{export, xlsx};
use crate::error::Result;

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
