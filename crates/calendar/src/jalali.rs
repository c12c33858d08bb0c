//! [`JalaliDate`]: a validated Solar Hijri date, its conversion to and from ISO dates
//! (through `icu_calendar`'s Persian calendar) and month arithmetic.

use chrono::{Datelike, NaiveDate, Weekday};
use icu_calendar::cal::Persian;
use icu_calendar::{Date, Iso};

use crate::error::{CalendarError, CalendarSystem};

/// A day of the Solar Hijri (Jalali) calendar, e.g. 1405/09/05.
///
/// Always valid: the fields are private and every constructor checks them. Years are
/// limited to [`JalaliDate::MIN_YEAR`]`..=`[`JalaliDate::MAX_YEAR`], the range in which
/// `icu_calendar`'s leap-year rule is known to match the official (astronomical) calendar
/// from 1178 on, and which it extends proleptically before. Ordering is chronological.
///
/// Formatting (`Display` as `1405/09/05`, Persian digits, month names) lives in the
/// `format` module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JalaliDate {
    // Field order matters: the derived `Ord` is chronological.
    year: i32,
    month: u8,
    day: u8,
}

impl JalaliDate {
    /// Smallest year a `JalaliDate` can have (1/01/01 is 622-03-21 ISO).
    pub const MIN_YEAR: i32 = 1;
    /// Largest year a `JalaliDate` can have.
    pub const MAX_YEAR: i32 = 3000;
    /// The first representable date, 0001/01/01.
    pub const MIN: JalaliDate = JalaliDate {
        year: Self::MIN_YEAR,
        month: 1,
        day: 1,
    };
    /// The last representable date, 3000/12/30 (3000 is a leap year).
    pub const MAX: JalaliDate = JalaliDate {
        year: Self::MAX_YEAR,
        month: 12,
        day: 30,
    };

    /// Builds a date, rejecting anything that does not exist in the calendar.
    ///
    /// Errors: [`CalendarError::OutOfRange`] for a year outside
    /// `MIN_YEAR..=MAX_YEAR`, [`CalendarError::InvalidMonth`] for a month outside `1..=12`,
    /// [`CalendarError::NoSuchDate`] for a day outside the month (so `1404/12/30` fails
    /// because 1404 is a common year, while `1403/12/30` succeeds).
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, CalendarError> {
        if !(Self::MIN_YEAR..=Self::MAX_YEAR).contains(&year) {
            return Err(CalendarError::OutOfRange {
                system: CalendarSystem::Jalali,
                year,
                min: Self::MIN_YEAR,
                max: Self::MAX_YEAR,
            });
        }
        if !(1..=12).contains(&month) {
            return Err(CalendarError::InvalidMonth { month });
        }
        if day == 0 || day > Self::days_in_month(year, month) {
            return Err(CalendarError::NoSuchDate {
                system: CalendarSystem::Jalali,
                year,
                month,
                day,
            });
        }
        Ok(Self { year, month, day })
    }

    /// The Jalali date of an ISO date.
    ///
    /// Dates before [`JalaliDate::MIN`] or after [`JalaliDate::MAX`] (ISO years outside
    /// roughly 622..=3622) saturate to those bounds.
    pub fn from_iso(date: NaiveDate) -> Self {
        // Keep icu well inside its own -9999..=9999 year range before converting.
        if date.year() < 622 {
            return Self::MIN;
        }
        if date.year() > 3622 {
            return Self::MAX;
        }
        // Month and day come from a valid NaiveDate, so they fit in u8 and form a valid date.
        let iso = Date::try_new_iso(date.year(), date.month() as u8, date.day() as u8)
            .expect("a NaiveDate in 622..=3622 is a valid icu ISO date");
        let persian = iso.to_calendar(Persian);
        let year = persian.year().extended_year();
        if year < Self::MIN_YEAR {
            return Self::MIN;
        }
        if year > Self::MAX_YEAR {
            return Self::MAX;
        }
        Self {
            year,
            month: persian.month().ordinal,
            day: persian.day_of_month().0,
        }
    }

    /// The ISO (proleptic Gregorian) date of this day.
    pub fn to_iso(&self) -> NaiveDate {
        let persian = Date::try_new_persian(self.year, self.month, self.day)
            .expect("JalaliDate fields are validated on construction");
        let iso = persian.to_calendar(Iso);
        NaiveDate::from_ymd_opt(
            iso.year().extended_year(),
            u32::from(iso.month().ordinal),
            u32::from(iso.day_of_month().0),
        )
        .expect("ISO years up to 3622 are within chrono's range")
    }

    /// The year, e.g. `1405`.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month, `1` (Farvardin) ..= `12` (Esfand).
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, `1..=31`.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// The day of the week (the Iranian week starts on Saturday).
    pub fn weekday(&self) -> Weekday {
        self.to_iso().weekday()
    }

    /// Whether the Jalali `year` has 366 days (Esfand has 30 days). Follows the official
    /// astronomical rule as implemented by `icu_calendar`: 1399, 1403 and 1408 are leap
    /// years, 1404 and 1407 are not. Years outside `MIN_YEAR..=MAX_YEAR` return `false`.
    pub fn is_leap_year(year: i32) -> bool {
        (Self::MIN_YEAR..=Self::MAX_YEAR).contains(&year)
            && Date::try_new_persian(year, 12, 30).is_ok()
    }

    /// Number of days of `month` (`1..=12`) in the Jalali `year`: 31 for Farvardin to
    /// Shahrivar, 30 for Mehr to Bahman, 29 or 30 for Esfand. Returns `0` for a month
    /// outside `1..=12`.
    pub fn days_in_month(year: i32, month: u8) -> u8 {
        match month {
            1..=6 => 31,
            7..=11 => 30,
            12 if Self::is_leap_year(year) => 30,
            12 => 29,
            _ => 0,
        }
    }

    /// Moves `n` months forward (or backward for negative `n`), keeping the day of month
    /// but clamping it to the target month's length: 1405/06/31 + 1 month = 1405/07/30,
    /// and 1403/12/30 + 12 months = 1404/12/29.
    ///
    /// The result saturates at [`JalaliDate::MIN`] / [`JalaliDate::MAX`].
    pub fn add_months(self, n: i32) -> JalaliDate {
        let index = i64::from(self.year) * 12 + i64::from(self.month - 1) + i64::from(n);
        let min = i64::from(Self::MIN_YEAR) * 12;
        let max = i64::from(Self::MAX_YEAR) * 12 + 11;
        if index < min {
            return Self::MIN;
        }
        if index > max {
            return Self::MAX;
        }
        // In range, so both fit: year in MIN_YEAR..=MAX_YEAR, month in 1..=12.
        let year = index.div_euclid(12) as i32;
        let month = index.rem_euclid(12) as u8 + 1;
        let day = self.day.min(Self::days_in_month(year, month));
        Self { year, month, day }
    }
}

impl From<NaiveDate> for JalaliDate {
    fn from(date: NaiveDate) -> Self {
        Self::from_iso(date)
    }
}

impl From<JalaliDate> for NaiveDate {
    fn from(date: JalaliDate) -> Self {
        date.to_iso()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(y: i32, m: u8, d: u8) -> JalaliDate {
        JalaliDate::new(y, m, d).unwrap()
    }

    fn iso(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn anchors_convert_both_ways() {
        let anchors = [
            (iso(2026, 11, 26), j(1405, 9, 5)),
            (iso(2025, 3, 20), j(1403, 12, 30)),
            (iso(2025, 3, 21), j(1404, 1, 1)),
            (iso(2026, 3, 21), j(1405, 1, 1)),
            (iso(2024, 3, 20), j(1403, 1, 1)),
            (iso(2016, 3, 21), j(1395, 1, 2)),
        ];
        for (g, p) in anchors {
            assert_eq!(JalaliDate::from_iso(g), p, "{g}");
            assert_eq!(p.to_iso(), g, "{p:?}");
        }
    }

    #[test]
    fn leap_years() {
        for y in [1399, 1403, 1408] {
            assert!(JalaliDate::is_leap_year(y), "{y}");
            assert_eq!(JalaliDate::days_in_month(y, 12), 30);
        }
        for y in [1400, 1401, 1402, 1404, 1405, 1406, 1407] {
            assert!(!JalaliDate::is_leap_year(y), "{y}");
            assert_eq!(JalaliDate::days_in_month(y, 12), 29);
        }
        assert!(!JalaliDate::is_leap_year(0));
        assert_eq!(JalaliDate::days_in_month(1405, 0), 0);
        assert_eq!(JalaliDate::days_in_month(1405, 13), 0);
    }

    #[test]
    fn new_rejects_impossible_dates() {
        assert!(JalaliDate::new(1403, 12, 30).is_ok());
        let err = JalaliDate::new(1404, 12, 30).unwrap_err();
        assert_eq!(err.code(), "date_does_not_exist");
        assert_eq!(
            JalaliDate::new(1405, 7, 31).unwrap_err().code(),
            "date_does_not_exist"
        );
        assert_eq!(
            JalaliDate::new(1405, 1, 0).unwrap_err().code(),
            "date_does_not_exist"
        );
        assert_eq!(
            JalaliDate::new(1405, 13, 1).unwrap_err().code(),
            "date_month_invalid"
        );
        assert_eq!(
            JalaliDate::new(1405, 0, 1).unwrap_err().code(),
            "date_month_invalid"
        );
        assert_eq!(
            JalaliDate::new(0, 1, 1).unwrap_err().code(),
            "date_out_of_range"
        );
        assert_eq!(
            JalaliDate::new(3001, 1, 1).unwrap_err().code(),
            "date_out_of_range"
        );
        assert!(JalaliDate::new(1405, 6, 31).is_ok());
    }

    #[test]
    fn add_months_clamps_the_day() {
        assert_eq!(j(1405, 6, 31).add_months(1), j(1405, 7, 30));
        assert_eq!(j(1403, 12, 30).add_months(12), j(1404, 12, 29));
        assert_eq!(j(1404, 11, 30).add_months(1), j(1404, 12, 29));
        assert_eq!(j(1405, 1, 31).add_months(-2), j(1404, 11, 30));
        assert_eq!(j(1405, 12, 29).add_months(1), j(1406, 1, 29));
        assert_eq!(j(1405, 1, 15).add_months(-1), j(1404, 12, 15));
        assert_eq!(j(1405, 9, 5).add_months(0), j(1405, 9, 5));
        assert_eq!(j(1405, 9, 5).add_months(-24), j(1403, 9, 5));
    }

    #[test]
    fn bounds_saturate() {
        assert_eq!(j(1405, 1, 1).add_months(i32::MAX), JalaliDate::MAX);
        assert_eq!(j(1405, 1, 1).add_months(i32::MIN), JalaliDate::MIN);
        assert_eq!(JalaliDate::from_iso(NaiveDate::MIN), JalaliDate::MIN);
        assert_eq!(JalaliDate::from_iso(NaiveDate::MAX), JalaliDate::MAX);
        assert_eq!(
            JalaliDate::from_iso(JalaliDate::MIN.to_iso()),
            JalaliDate::MIN
        );
        assert_eq!(
            JalaliDate::from_iso(JalaliDate::MAX.to_iso()),
            JalaliDate::MAX
        );
        // MAX is the last day of MAX_YEAR, which must therefore be a leap year.
        assert!(JalaliDate::is_leap_year(JalaliDate::MAX_YEAR));
        assert_eq!(
            JalaliDate::MAX
                .to_iso()
                .succ_opt()
                .map(JalaliDate::from_iso),
            Some(JalaliDate::MAX)
        );
        assert_eq!(
            JalaliDate::MIN
                .to_iso()
                .pred_opt()
                .map(JalaliDate::from_iso),
            Some(JalaliDate::MIN)
        );
        assert_eq!(
            JalaliDate::MIN.to_iso(),
            NaiveDate::from_ymd_opt(622, 3, 21).unwrap()
        );
    }

    #[test]
    fn weekday_and_conversions() {
        // 2026-11-26 is a Thursday.
        assert_eq!(j(1405, 9, 5).weekday(), Weekday::Thu);
        let d: NaiveDate = j(1405, 1, 1).into();
        assert_eq!(d, iso(2026, 3, 21));
        assert_eq!(JalaliDate::from(d), j(1405, 1, 1));
        assert!(j(1404, 12, 29) < j(1405, 1, 1));
    }
}
