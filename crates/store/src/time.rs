//! How instants and dates are written to the database: RFC 3339 UTC text with microseconds
//! (fixed width, so text order is time order) and ISO `YYYY-MM-DD` dates.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

use crate::StoreError;

/// Formats an instant for storage.
pub fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The current instant, formatted for storage.
pub fn now() -> String {
    ts(Utc::now())
}

/// Reads a stored instant.
pub fn parse_ts(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt {
            what: "timestamp",
            detail: format!("{s}: {e}"),
        })
}

/// Formats a date for storage.
pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Reads a stored date.
pub fn parse_date(s: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| StoreError::Corrupt {
        what: "date",
        detail: format!("{s}: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_instants_sort_as_text_in_time_order() {
        let a = Utc::now();
        let b = a + chrono::Duration::microseconds(1);
        assert!(ts(a) < ts(b));
        assert_eq!(parse_ts(&ts(a)).unwrap(), a.with_nanosecond_micro());
        assert_eq!(date(parse_date("2026-11-26").unwrap()), "2026-11-26");
    }

    trait Micro {
        fn with_nanosecond_micro(self) -> Self;
    }
    impl Micro for DateTime<Utc> {
        fn with_nanosecond_micro(self) -> Self {
            use chrono::Timelike;
            self.with_nanosecond(self.nanosecond() / 1000 * 1000)
                .unwrap()
        }
    }
}
