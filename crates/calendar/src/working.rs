//! [`WorkingCalendar`]: which days are working days (not a weekend day, not a holiday) and
//! arithmetic over them. Queries never allocate.

use std::collections::BTreeSet;
use std::ops::Bound;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::error::CalendarError;

/// Weekend weekdays plus a set of holiday dates.
///
/// The default has Friday as the only weekend day and no holidays; add the year's holidays
/// (for instance from [`crate::fixed_solar_holidays`] plus the lunar holidays an
/// administrator enters) with [`WorkingCalendar::add_holiday`] or
/// [`WorkingCalendar::with_holidays`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkingCalendar {
    /// Bit `w.num_days_from_monday()` is set when weekday `w` is a weekend day.
    /// Never has all seven bits set.
    weekend: u8,
    holidays: BTreeSet<NaiveDate>,
}

const ALL_DAYS: u8 = 0b111_1111;

fn bit(weekday: Weekday) -> u8 {
    1 << weekday.num_days_from_monday()
}

impl Default for WorkingCalendar {
    fn default() -> Self {
        Self::new()
    }
}

impl WorkingCalendar {
    /// Friday weekend, no holidays.
    pub fn new() -> Self {
        Self {
            weekend: bit(Weekday::Fri),
            holidays: BTreeSet::new(),
        }
    }

    /// Replaces the weekend days (e.g. `&[Weekday::Thu, Weekday::Fri]`; an empty slice
    /// means every weekday is a working day). Fails with
    /// [`CalendarError::NoWorkingWeekdays`] if all seven days are given.
    pub fn with_weekend(mut self, weekend: &[Weekday]) -> Result<Self, CalendarError> {
        let mask = weekend.iter().fold(0, |m, &w| m | bit(w));
        if mask == ALL_DAYS {
            return Err(CalendarError::NoWorkingWeekdays);
        }
        self.weekend = mask;
        Ok(self)
    }

    /// Adds the given holidays to the calendar.
    pub fn with_holidays(mut self, holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        self.holidays.extend(holidays);
        self
    }

    /// Adds one holiday; returns `false` if it was already there.
    pub fn add_holiday(&mut self, date: NaiveDate) -> bool {
        self.holidays.insert(date)
    }

    /// Removes one holiday; returns `false` if it was not there.
    pub fn remove_holiday(&mut self, date: NaiveDate) -> bool {
        self.holidays.remove(&date)
    }

    /// The holidays, in date order.
    pub fn holidays(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.holidays.iter().copied()
    }

    /// The weekend weekdays, Monday first.
    pub fn weekend(&self) -> impl Iterator<Item = Weekday> + '_ {
        (0..7u8)
            .filter(|i| self.weekend & (1 << i) != 0)
            .filter_map(|i| Weekday::try_from(i).ok())
    }

    /// Whether `weekday` is a weekend day.
    pub fn is_weekend_day(&self, weekday: Weekday) -> bool {
        self.weekend & bit(weekday) != 0
    }

    /// Whether `date` is in the holiday set (whatever its weekday).
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.contains(&date)
    }

    /// Whether `date` is neither a weekend day nor a holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !self.is_weekend_day(date.weekday()) && !self.is_holiday(date)
    }

    /// `date` itself if it is a working day, otherwise the first working day after it.
    /// Saturates at `NaiveDate::MAX`.
    pub fn next_working_day_on_or_after(&self, date: NaiveDate) -> NaiveDate {
        let mut day = date;
        while !self.is_working_day(day) {
            match day.succ_opt() {
                Some(next) => day = next,
                None => return day,
            }
        }
        day
    }

    /// The `n`-th working day strictly after `date`; `n == 0` returns `date` unchanged
    /// (even if it is not a working day). `date` itself is never counted, so from a
    /// Thursday with a Friday weekend, `n == 1` gives Saturday.
    ///
    /// Always `working_days_between(date, result) == n`. Runs in O(days stepped) without
    /// allocating. Saturates at `NaiveDate::MAX`.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut day = date;
        let mut remaining = n;
        while remaining > 0 {
            match day.succ_opt() {
                Some(next) => day = next,
                None => return day,
            }
            if self.is_working_day(day) {
                remaining -= 1;
            }
        }
        day
    }

    /// The number of working days `d` with `start < d <= end`: `start` is excluded, `end`
    /// included. So the count from a Wednesday to the following Saturday, with a Friday
    /// weekend and no holidays, is 2 (Thursday and Saturday); `start == end` gives 0.
    ///
    /// If `end < start` the result is negative: `-working_days_between(end, start)`.
    /// Runs in O(log h + holidays in range), independent of the span's length.
    pub fn working_days_between(&self, start: NaiveDate, end: NaiveDate) -> i64 {
        if end < start {
            return -self.working_days_between(end, start);
        }
        let days = (end - start).num_days();
        let working_per_week = 7 - i64::from(self.weekend.count_ones());
        let mut count = days / 7 * working_per_week;
        // Any 7 consecutive days hold each weekday once, so only the first `days % 7`
        // days after `start` need a weekday check.
        let mut weekday = start.weekday();
        for _ in 0..days % 7 {
            weekday = weekday.succ();
            if !self.is_weekend_day(weekday) {
                count += 1;
            }
        }
        let holidays_on_weekdays = self
            .holidays
            .range((Bound::Excluded(start), Bound::Included(end)))
            .filter(|h| !self.is_weekend_day(h.weekday()))
            .count();
        count - holidays_on_weekdays as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// 2026-11-26 is a Thursday, 11-27 a Friday.
    fn calendar_with_saturday_holiday() -> WorkingCalendar {
        WorkingCalendar::new().with_holidays([iso(2026, 11, 28)])
    }

    #[test]
    fn default_weekend_is_friday() {
        let cal = WorkingCalendar::default();
        assert_eq!(cal.weekend().collect::<Vec<_>>(), [Weekday::Fri]);
        assert!(cal.is_working_day(iso(2026, 11, 26)));
        assert!(!cal.is_working_day(iso(2026, 11, 27)));
        assert!(cal.is_working_day(iso(2026, 11, 28)));
    }

    #[test]
    fn arithmetic_across_friday_and_a_holiday() {
        let cal = calendar_with_saturday_holiday();
        let thu = iso(2026, 11, 26);
        let sun = iso(2026, 11, 29);
        assert!(cal.is_holiday(iso(2026, 11, 28)));
        assert_eq!(cal.next_working_day_on_or_after(thu), thu);
        assert_eq!(cal.next_working_day_on_or_after(iso(2026, 11, 27)), sun);
        assert_eq!(cal.add_working_days(thu, 0), thu);
        assert_eq!(cal.add_working_days(thu, 1), sun);
        assert_eq!(cal.add_working_days(thu, 2), iso(2026, 11, 30));
        assert_eq!(cal.add_working_days(iso(2026, 11, 27), 1), sun);
        assert_eq!(cal.working_days_between(thu, sun), 1);
        assert_eq!(cal.working_days_between(iso(2026, 11, 25), sun), 2);
        assert_eq!(cal.working_days_between(sun, thu), -1);
        assert_eq!(cal.working_days_between(thu, thu), 0);
        assert_eq!(cal.working_days_between(thu, iso(2026, 11, 28)), 0);
    }

    #[test]
    fn holidays_on_weekends_are_not_subtracted_twice() {
        let cal = WorkingCalendar::new().with_holidays([iso(2026, 11, 27)]);
        assert_eq!(
            cal.working_days_between(iso(2026, 11, 21), iso(2026, 11, 28)),
            6
        );
    }

    #[test]
    fn custom_weekend() {
        let cal = WorkingCalendar::new()
            .with_weekend(&[Weekday::Thu, Weekday::Fri])
            .unwrap();
        assert_eq!(
            cal.add_working_days(iso(2026, 11, 25), 1),
            iso(2026, 11, 28)
        );
        assert_eq!(
            cal.working_days_between(iso(2026, 11, 21), iso(2026, 12, 19)),
            20
        );
        let all = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ];
        assert_eq!(
            WorkingCalendar::new().with_weekend(&all),
            Err(CalendarError::NoWorkingWeekdays)
        );
        let none = WorkingCalendar::new().with_weekend(&[]).unwrap();
        assert!(none.is_working_day(iso(2026, 11, 27)));
    }

    #[test]
    fn holiday_set_edits() {
        let mut cal = WorkingCalendar::new();
        assert!(cal.add_holiday(iso(2026, 3, 21)));
        assert!(!cal.add_holiday(iso(2026, 3, 21)));
        assert_eq!(cal.holidays().collect::<Vec<_>>(), [iso(2026, 3, 21)]);
        assert!(cal.remove_holiday(iso(2026, 3, 21)));
        assert!(!cal.remove_holiday(iso(2026, 3, 21)));
    }

    #[test]
    fn saturates_at_the_end_of_time() {
        let cal = WorkingCalendar::new();
        assert_eq!(cal.add_working_days(NaiveDate::MAX, 3), NaiveDate::MAX);
        let near_end = NaiveDate::MAX.pred_opt().unwrap();
        assert_eq!(cal.add_working_days(near_end, 10), NaiveDate::MAX);
    }
}
