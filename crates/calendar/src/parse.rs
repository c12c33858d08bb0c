//! [`parse_date`]: one entry point for every date a user or a file may type, Jalali or ISO,
//! in Latin, Persian or Arabic-Indic digits.

use std::ops::RangeInclusive;

use chrono::NaiveDate;

use crate::digits::digit_value;
use crate::error::{CalendarError, CalendarSystem};
use crate::jalali::JalaliDate;

/// Jalali years [`parse_date`] accepts.
pub const JALALI_INPUT_YEARS: RangeInclusive<i32> = 1200..=1600;
/// ISO years [`parse_date`] accepts.
pub const ISO_INPUT_YEARS: RangeInclusive<i32> = 1800..=2250;
/// Four-digit years below this are Jalali, the others ISO.
pub const FIRST_ISO_YEAR: i32 = 1700;

/// Parses a date typed as `YYYY/MM/DD` or `YYYY-MM-DD` into an ISO date.
///
/// * Digits may be Latin, Persian (`۱۴۰۵`) or Arabic-Indic (`١٤٠٥`), even mixed.
/// * The year comes first and has exactly four digits; month and day have one or two
///   (`1405/1/5` is fine). Both separators must be the same character.
/// * A year below 1700 is Jalali (accepted range [`JALALI_INPUT_YEARS`]), otherwise ISO
///   (accepted range [`ISO_INPUT_YEARS`]); either separator works for either calendar.
/// * Leading and trailing whitespace and bidirectional marks (LRM, RLM, ALM, embedding
///   and isolate controls — common when text is pasted from Persian documents) are ignored.
///
/// Errors, checked in this order: [`CalendarError::Empty`], [`CalendarError::YearNotFirst`]
/// (`05/09/1405`), [`CalendarError::Malformed`], [`CalendarError::OutOfRange`],
/// [`CalendarError::InvalidMonth`], [`CalendarError::NoSuchDate`] (`1404/12/30`,
/// `2025-02-29`).
pub fn parse_date(input: &str) -> Result<NaiveDate, CalendarError> {
    let s = input.trim_matches(|c: char| c.is_whitespace() || is_bidi_control(c));
    if s.is_empty() {
        return Err(CalendarError::Empty);
    }
    let [year, month, day] = split_fields(s)?;
    // Year has four digits, month and day at most two: the casts cannot truncate.
    let (year, month, day) = (year as i32, month as u8, day as u8);
    let (system, range) = if year < FIRST_ISO_YEAR {
        (CalendarSystem::Jalali, JALALI_INPUT_YEARS)
    } else {
        (CalendarSystem::Iso, ISO_INPUT_YEARS)
    };
    if !range.contains(&year) {
        return Err(CalendarError::OutOfRange {
            system,
            year,
            min: *range.start(),
            max: *range.end(),
        });
    }
    if !(1..=12).contains(&month) {
        return Err(CalendarError::InvalidMonth { month });
    }
    match system {
        CalendarSystem::Jalali => JalaliDate::new(year, month, day).map(|d| d.to_iso()),
        CalendarSystem::Iso => NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day))
            .ok_or(CalendarError::NoSuchDate {
                system,
                year,
                month,
                day,
            }),
    }
}

/// Bidirectional formatting characters that carry no content.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Splits `s` into three digit groups separated by one repeated `/` or `-`, year first.
fn split_fields(s: &str) -> Result<[u32; 3], CalendarError> {
    let mut values = [0u32; 3];
    let mut lens = [0usize; 3];
    let mut field = 0;
    let mut separator = None;
    for c in s.chars() {
        if let Some(v) = digit_value(c) {
            if lens[field] == 4 {
                return Err(CalendarError::Malformed);
            }
            values[field] = values[field] * 10 + u32::from(v);
            lens[field] += 1;
        } else if c == '/' || c == '-' {
            if lens[field] == 0 || field == 2 || separator.is_some_and(|sep| sep != c) {
                return Err(CalendarError::Malformed);
            }
            separator = Some(c);
            field += 1;
        } else {
            return Err(CalendarError::Malformed);
        }
    }
    let short = |len: usize| (1..=2).contains(&len);
    match lens {
        [4, m, d] if short(m) && short(d) => Ok(values),
        [d, m, 4] if short(d) && short(m) => Err(CalendarError::YearNotFirst),
        _ => Err(CalendarError::Malformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn code(input: &str) -> &'static str {
        parse_date(input).unwrap_err().code()
    }

    #[test]
    fn accepts_every_script_and_separator() {
        let expected = iso(2026, 11, 26);
        for input in [
            "1405/09/05",
            "1405-09-05",
            "1405/9/5",
            "۱۴۰۵/۰۹/۰۵",
            "۱۴۰۵-۹-۵",
            "١٤٠٥/٠٩/٠٥",
            "۱۴۰۵/09/٠٥",
            "  ۱۴۰۵/۰۹/۰۵\t\n",
            "\u{200F}۱۴۰۵/۰۹/۰۵\u{200F}",
            "\u{2067}1405/09/05\u{2069}",
            "2026-11-26",
            "2026/11/26",
            "۲۰۲۶-۱۱-۲۶",
        ] {
            assert_eq!(parse_date(input), Ok(expected), "{input:?}");
        }
        assert_eq!(parse_date("2026-1-6"), Ok(iso(2026, 1, 6)));
    }

    #[test]
    fn leap_day_of_each_calendar() {
        assert_eq!(parse_date("1403/12/30"), Ok(iso(2025, 3, 20)));
        assert_eq!(parse_date("2024-02-29"), Ok(iso(2024, 2, 29)));
        assert_eq!(code("1404/12/30"), "date_does_not_exist");
        assert_eq!(code("۱۴۰۴/۱۲/۳۰"), "date_does_not_exist");
        assert_eq!(code("2025-02-29"), "date_does_not_exist");
    }

    #[test]
    fn specific_errors() {
        assert_eq!(code(""), "date_empty");
        assert_eq!(code(" \u{200F} "), "date_empty");
        assert_eq!(code("05/09/1405"), "date_year_not_first");
        assert_eq!(code("۵/۹/۱۴۰۵"), "date_year_not_first");
        for bad in [
            "1405/09",
            "1405/09/05/01",
            "1405/09-05",
            "1405//05",
            "/1405/09/05",
            "1405/09/05/",
            "405/09/05",
            "01405/09/05",
            "1405/009/05",
            "1405/09/005",
            "1405.09.05",
            "1405 / 09 / 05",
            "2026-11-26T10:00",
            "abcd/ef/gh",
            "1405/09/05 x",
        ] {
            assert_eq!(code(bad), "date_malformed", "{bad:?}");
        }
        assert_eq!(code("1405/13/01"), "date_month_invalid");
        assert_eq!(code("1405/00/01"), "date_month_invalid");
        assert_eq!(code("2026-13-01"), "date_month_invalid");
        assert_eq!(code("1405/07/31"), "date_does_not_exist");
        assert_eq!(code("1405/07/00"), "date_does_not_exist");
        assert_eq!(code("2026-04-31"), "date_does_not_exist");
    }

    #[test]
    fn year_ranges() {
        assert_eq!(parse_date("1200/01/01"), Ok(iso(1821, 3, 21)));
        assert!(parse_date("1600/12/29").is_ok());
        assert!(parse_date("1800-01-01").is_ok());
        assert!(parse_date("2250-12-31").is_ok());
        let err = parse_date("1199/12/29").unwrap_err();
        assert_eq!(
            err,
            CalendarError::OutOfRange {
                system: CalendarSystem::Jalali,
                year: 1199,
                min: 1200,
                max: 1600
            }
        );
        for out in [
            "1601/01/01",
            "1699/01/01",
            "1700-01-01",
            "1799-12-31",
            "2251-01-01",
        ] {
            assert_eq!(code(out), "date_out_of_range", "{out}");
        }
        // The range is checked before the month, so the message names the real problem.
        assert_eq!(code("0000/00/00"), "date_out_of_range");
    }
}
