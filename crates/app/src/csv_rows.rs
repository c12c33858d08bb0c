//! The one way a CSV import reads its file: UTF-8 (a byte-order mark is allowed), a header
//! line, then data rows each with **the line of the file it starts on** (the header is line
//! 1), counted from the row's byte offset so that Windows line endings (CRLF), a blank line
//! or a quoted field spanning lines never shift the numbers.

/// A file read as CSV.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvRows {
    /// The header's fields, trimmed and in lower case.
    pub header: Vec<String>,
    /// Each data row with its line number: its fields, or why it could not be read.
    pub rows: Vec<(u64, Result<Vec<String>, String>)>,
}

/// Why a file as a whole could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvProblem {
    /// Not UTF-8 text.
    NotUtf8,
    /// The header line could not be read.
    Header,
    /// More data rows than allowed (the limit).
    TooManyRows(usize),
}

impl CsvProblem {
    /// The problem as a 422 on the field `file`; `header_code` names the file's expected header
    /// (e.g. `holiday_csv_header`).
    pub fn into_error(self, header_code: &'static str) -> crate::Error {
        let mut f = crate::error::FieldErrors::new();
        match self {
            CsvProblem::NotUtf8 => f.add("file", "csv_not_utf8"),
            CsvProblem::Header => f.add("file", header_code),
            CsvProblem::TooManyRows(max) => f.add_with(
                "file",
                "csv_too_many_rows",
                vec![("max", i64::try_from(max).unwrap_or(i64::MAX))],
            ),
        }
        crate::Error::Validation(f)
    }
}

/// The 1-based line of the first byte at or after `offset` that is no line ending (the
/// reader reports a row from the end of the previous line, and skips blank lines).
fn line_at(text: &str, offset: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut end = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    while end < bytes.len() && matches!(bytes[end], b'\r' | b'\n') {
        end += 1;
    }
    let newlines = text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    newlines as u64 + 1
}

/// Reads `bytes` as CSV (see the module documentation); at most `max_rows` data rows.
pub fn read(bytes: &[u8], max_rows: Option<usize>) -> Result<CsvRows, CsvProblem> {
    let text = std::str::from_utf8(bytes).map_err(|_| CsvProblem::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|_| CsvProblem::Header)?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let before = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let start = record.position().map_or(before, |p| p.byte());
                let fields = record.iter().map(str::to_string).collect();
                rows.push((line_at(text, start), Ok(fields)));
            }
            Err(e) => {
                // the reader stops where the bad row began or just after it
                let start = e.position().map_or(before, |p| p.byte());
                rows.push((line_at(text, start), Err(e.to_string())));
            }
        }
        if let Some(max) = max_rows.filter(|max| rows.len() > *max) {
            return Err(CsvProblem::TooManyRows(max));
        }
    }
    Ok(CsvRows { header, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<u64> {
        read(text.as_bytes(), None)
            .unwrap()
            .rows
            .iter()
            .map(|r| r.0)
            .collect()
    }

    #[test]
    fn line_numbers_do_not_depend_on_line_endings() {
        assert_eq!(lines("a,b\nx,1\ny,2\n"), [2, 3]);
        assert_eq!(lines("a,b\r\nx,1\r\ny,2\r\n"), [2, 3]);
        assert_eq!(lines("\u{feff}a,b\r\nx,1\r\n\r\ny,2"), [2, 4]);
        assert_eq!(lines("a,b\r\n\"x\r\nz\",1\r\ny,2\r\n"), [2, 4]);
    }

    #[test]
    fn the_header_is_trimmed_and_lower_case() {
        let r = read("\u{feff} Date ,NAME_FA\r\n".as_bytes(), None).unwrap();
        assert_eq!(r.header, ["date", "name_fa"]);
        assert!(r.rows.is_empty());
        assert_eq!(read(b"\xff", None), Err(CsvProblem::NotUtf8));
        assert_eq!(read(b"a\n1\n2\n", Some(1)), Err(CsvProblem::TooManyRows(1)));
    }
}
