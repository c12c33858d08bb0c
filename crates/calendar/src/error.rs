//! The crate's error type. Every variant has a stable [`CalendarError::code`] that the web
//! layer maps to a translated message; the `Display` text is English and meant for logs.

use std::fmt;

/// Which calendar a year, month and day are expressed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CalendarSystem {
    /// The Solar Hijri (Jalali, Persian) calendar, as used officially in Iran.
    Jalali,
    /// The proleptic Gregorian calendar (ISO 8601).
    Iso,
}

impl fmt::Display for CalendarSystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Jalali => "Jalali",
            Self::Iso => "ISO",
        })
    }
}

/// Why a date could not be built or parsed.
///
/// Match on [`CalendarError::code`] rather than on the message: codes are stable, the
/// English `Display` text is not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// The input was empty or only whitespace.
    #[error("the date is empty")]
    Empty,
    /// The input is not three groups of digits separated by `/` or `-`, year first.
    #[error("malformed date: expected YYYY/MM/DD or YYYY-MM-DD")]
    Malformed,
    /// The input looks like `DD/MM/YYYY`: the four-digit year came last.
    #[error("the year must come first: expected YYYY/MM/DD")]
    YearNotFirst,
    /// The month is not in `1..=12`.
    #[error("month {month} is not between 1 and 12")]
    InvalidMonth {
        /// The month as given.
        month: u8,
    },
    /// The month is valid but the day does not exist in it (day 0, 31 Mehr, 30 Esfand of a
    /// common year, 29 February of a common year…).
    #[error("{system} date {year:04}/{month:02}/{day:02} does not exist")]
    NoSuchDate {
        /// Calendar the fields were given in.
        system: CalendarSystem,
        /// Year as given.
        year: i32,
        /// Month as given (valid).
        month: u8,
        /// Day as given (invalid for that month).
        day: u8,
    },
    /// The year is outside the supported range for its calendar.
    #[error("{system} year {year} is outside the supported range {min}..={max}")]
    OutOfRange {
        /// Calendar the year was taken to be in.
        system: CalendarSystem,
        /// Year as given.
        year: i32,
        /// Smallest supported year.
        min: i32,
        /// Largest supported year.
        max: i32,
    },
    /// A working calendar was configured with all seven weekdays as weekend.
    #[error("at least one weekday must be a working day")]
    NoWorkingWeekdays,
}

impl CalendarError {
    /// Every code [`CalendarError::code`] can return, so the web layer can check that each
    /// has a translation.
    pub const CODES: &'static [&'static str] = &[
        "date_empty",
        "date_malformed",
        "date_year_not_first",
        "date_month_invalid",
        "date_does_not_exist",
        "date_out_of_range",
        "calendar_no_working_weekdays",
    ];

    /// A stable snake_case identifier for this kind of error, used to pick a translated
    /// message. Never changes once released; all values are listed in [`Self::CODES`].
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "date_empty",
            Self::Malformed => "date_malformed",
            Self::YearNotFirst => "date_year_not_first",
            Self::InvalidMonth { .. } => "date_month_invalid",
            Self::NoSuchDate { .. } => "date_does_not_exist",
            Self::OutOfRange { .. } => "date_out_of_range",
            Self::NoWorkingWeekdays => "calendar_no_working_weekdays",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> [CalendarError; 7] {
        [
            CalendarError::Empty,
            CalendarError::Malformed,
            CalendarError::YearNotFirst,
            CalendarError::InvalidMonth { month: 13 },
            CalendarError::NoSuchDate {
                system: CalendarSystem::Jalali,
                year: 1404,
                month: 12,
                day: 30,
            },
            CalendarError::OutOfRange {
                system: CalendarSystem::Iso,
                year: 1750,
                min: 1800,
                max: 2250,
            },
            CalendarError::NoWorkingWeekdays,
        ]
    }

    #[test]
    fn codes_are_listed_unique_and_snake_case() {
        let codes: Vec<_> = all().iter().map(CalendarError::code).collect();
        assert_eq!(codes, CalendarError::CODES);
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), codes.len());
        for code in codes {
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{code}"
            );
        }
    }

    #[test]
    fn messages_name_the_date() {
        let e = all()[4];
        assert_eq!(e.to_string(), "Jalali date 1404/12/30 does not exist");
    }
}
