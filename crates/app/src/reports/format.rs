//! The format of a report's answer.

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
