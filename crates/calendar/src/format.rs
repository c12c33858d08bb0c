//! Month and weekday names, and the textual forms of a [`JalaliDate`]:
//! `1405/09/05` (`Display`), `۱۴۰۵/۰۹/۰۵`, `۵ آذر ۱۴۰۵` and `5 Azar 1405`.

use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::digits::to_persian_digits;
use crate::jalali::JalaliDate;

/// Persian names of the Jalali months, Farvardin first (index 0 is month 1).
pub const MONTH_NAMES_FA: [&str; 12] = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
];

/// English transliterations of the Jalali months, Farvardin first (index 0 is month 1).
pub const MONTH_NAMES_EN: [&str; 12] = [
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
];

/// Persian weekday names in Iranian week order, Saturday (شنبه) first, Friday (جمعه) last.
/// Spelling follows CLDR (`سه‌شنبه` carries a zero-width non-joiner).
pub const WEEKDAY_NAMES_FA: [&str; 7] = [
    "شنبه",
    "یکشنبه",
    "دوشنبه",
    "سه\u{200c}شنبه",
    "چهارشنبه",
    "پنجشنبه",
    "جمعه",
];

/// Persian name of Jalali `month` (`1..=12`), or `None` for any other number.
pub fn month_name_fa(month: u8) -> Option<&'static str> {
    MONTH_NAMES_FA
        .get(usize::from(month).checked_sub(1)?)
        .copied()
}

/// English name of Jalali `month` (`1..=12`), or `None` for any other number.
pub fn month_name_en(month: u8) -> Option<&'static str> {
    MONTH_NAMES_EN
        .get(usize::from(month).checked_sub(1)?)
        .copied()
}

/// Persian name of a weekday, e.g. `Weekday::Fri` → `جمعه`.
pub fn weekday_fa(weekday: Weekday) -> &'static str {
    // num_days_from_sunday is 6 for Saturday; shift so Saturday is 0.
    WEEKDAY_NAMES_FA[(weekday.num_days_from_sunday() as usize + 1) % 7]
}

/// Persian name of the weekday of an ISO date, e.g. 2026-11-26 → `پنجشنبه` (Thursday).
pub fn weekday_name_fa(date: NaiveDate) -> &'static str {
    weekday_fa(date.weekday())
}

/// Writes `1405/09/05`: year at least four digits, month and day two digits, Latin digits.
impl fmt::Display for JalaliDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}/{:02}/{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

impl JalaliDate {
    /// Persian name of this date's month, e.g. `آذر`.
    pub fn month_name_fa(&self) -> &'static str {
        MONTH_NAMES_FA[usize::from(self.month() - 1)]
    }

    /// English name of this date's month, e.g. `Azar`.
    pub fn month_name_en(&self) -> &'static str {
        MONTH_NAMES_EN[usize::from(self.month() - 1)]
    }

    /// The `Display` form with Persian digits: `۱۴۰۵/۰۹/۰۵`.
    pub fn format_fa(&self) -> String {
        to_persian_digits(&self.to_string())
    }

    /// Day, Persian month name and year with Persian digits, day unpadded: `۵ آذر ۱۴۰۵`.
    pub fn format_long_fa(&self) -> String {
        let day = to_persian_digits(&self.day().to_string());
        let year = to_persian_digits(&self.year().to_string());
        format!("{day} {} {year}", self.month_name_fa())
    }

    /// Day, English month name and year, day unpadded: `5 Azar 1405`.
    pub fn format_long_en(&self) -> String {
        format!("{} {} {}", self.day(), self.month_name_en(), self.year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(y: i32, m: u8, d: u8) -> JalaliDate {
        JalaliDate::new(y, m, d).unwrap()
    }

    #[test]
    fn short_forms() {
        let d = j(1405, 9, 5);
        assert_eq!(d.to_string(), "1405/09/05");
        assert_eq!(d.format_fa(), "۱۴۰۵/۰۹/۰۵");
        assert_eq!(j(1403, 12, 30).to_string(), "1403/12/30");
        assert_eq!(j(5, 1, 1).to_string(), "0005/01/01");
    }

    #[test]
    fn long_forms() {
        let d = j(1405, 9, 5);
        assert_eq!(d.format_long_fa(), "۵ آذر ۱۴۰۵");
        assert_eq!(d.format_long_en(), "5 Azar 1405");
        assert_eq!(j(1404, 12, 29).format_long_en(), "29 Esfand 1404");
        assert_eq!(j(1404, 1, 13).format_long_fa(), "۱۳ فروردین ۱۴۰۴");
    }

    #[test]
    fn month_names() {
        assert_eq!(month_name_fa(1), Some("فروردین"));
        assert_eq!(month_name_fa(12), Some("اسفند"));
        assert_eq!(month_name_en(9), Some("Azar"));
        assert_eq!(month_name_en(0), None);
        assert_eq!(month_name_fa(13), None);
        assert_eq!(j(1405, 2, 1).month_name_en(), "Ordibehesht");
        assert_eq!(j(1405, 2, 1).month_name_fa(), "اردیبهشت");
    }

    #[test]
    fn weekday_names() {
        // 2026-11-21 is a Saturday.
        let saturday = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let names: Vec<_> = saturday.iter_days().take(7).map(weekday_name_fa).collect();
        assert_eq!(names, WEEKDAY_NAMES_FA);
        assert_eq!(weekday_fa(Weekday::Fri), "جمعه");
        assert_eq!(weekday_fa(Weekday::Sat), "شنبه");
        assert_eq!(weekday_fa(Weekday::Tue), "سه\u{200c}شنبه");
    }
}
