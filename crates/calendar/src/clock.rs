//! [`Clock`]: the one source of "now" and of "today in Tehran".
//!
//! Iran's civil date is what applicants, staff and banks see: a letter issued at 01:50 in
//! Tehran is dated that day, not the UTC day before. Every date the service computes comes
//! from [`Clock::today`] (or [`tehran_date`] of a stored instant); the workspace's clippy
//! configuration forbids `DateTime::date_naive` and `Utc::now` elsewhere. Tests set the
//! clock ([`Clock::fixed`], [`Clock::set`], [`Clock::advance`]) to any instant.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// Tehran's offset from UTC: +03:30 (Iran has kept no daylight saving time since 2022).
pub const TEHRAN_OFFSET_SECONDS: i32 = 3 * 3600 + 30 * 60;

/// Tehran's offset as a chrono offset.
pub fn tehran() -> FixedOffset {
    FixedOffset::east_opt(TEHRAN_OFFSET_SECONDS).expect("+03:30 is within a day")
}

/// The Tehran date of an instant.
#[allow(clippy::disallowed_methods)]
pub fn tehran_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&tehran()).date_naive()
}

/// The Tehran wall-clock time of an instant.
pub fn tehran_time(at: DateTime<Utc>) -> NaiveTime {
    at.with_timezone(&tehran()).time()
}

/// The instant of a Tehran wall-clock date and time.
pub fn tehran_instant(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local =
        NaiveDateTime::new(date, time) - Duration::seconds(i64::from(TEHRAN_OFFSET_SECONDS));
    DateTime::from_naive_utc_and_offset(local, Utc)
}

#[derive(Debug)]
enum Source {
    System,
    Fixed(Mutex<DateTime<Utc>>),
}

/// The time source: the system clock in production, a settable instant in tests. Cheap to
/// clone; clones share the same source (setting a test clock moves every clone).
#[derive(Clone, Debug)]
pub struct Clock(Arc<Source>);

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock(Arc::new(Source::System))
    }

    /// A clock standing at `at` until set or advanced.
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock(Arc::new(Source::Fixed(Mutex::new(at))))
    }

    /// A clock standing at a Tehran wall-clock date and time.
    pub fn at_tehran(date: NaiveDate, time: NaiveTime) -> Clock {
        Clock::fixed(tehran_instant(date, time))
    }

    /// True for a fixed (test) clock.
    pub fn is_fixed(&self) -> bool {
        matches!(*self.0, Source::Fixed(_))
    }

    /// The current instant.
    #[allow(clippy::disallowed_methods)]
    pub fn now(&self) -> DateTime<Utc> {
        match &*self.0 {
            Source::System => Utc::now(),
            Source::Fixed(at) => *at.lock().unwrap_or_else(|p| p.into_inner()),
        }
    }

    /// Today's date in Tehran.
    pub fn today(&self) -> NaiveDate {
        tehran_date(self.now())
    }

    /// The wall-clock time in Tehran.
    pub fn tehran_time(&self) -> NaiveTime {
        tehran_time(self.now())
    }

    /// Moves a fixed clock to `at` (a system clock ignores this).
    pub fn set(&self, at: DateTime<Utc>) {
        if let Source::Fixed(cell) = &*self.0 {
            *cell.lock().unwrap_or_else(|p| p.into_inner()) = at;
        }
    }

    /// Moves a fixed clock by `by` (a system clock ignores this).
    pub fn advance(&self, by: Duration) {
        if let Source::Fixed(cell) = &*self.0 {
            let mut at = cell.lock().unwrap_or_else(|p| p.into_inner());
            *at += by;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn tehran_date_runs_three_and_a_half_hours_ahead_of_utc() {
        // 22:20 UTC on 30 November is 01:50 on 1 December in Tehran
        let at = DateTime::parse_from_rfc3339("2026-11-30T22:20:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(tehran_date(at), d(2026, 12, 1));
        let before = DateTime::parse_from_rfc3339("2026-11-30T20:29:59Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(tehran_date(before), d(2026, 11, 30));
    }

    #[test]
    fn a_fixed_clock_is_set_and_advanced_for_every_clone() {
        let clock = Clock::at_tehran(d(2026, 12, 1), NaiveTime::from_hms_opt(1, 50, 0).unwrap());
        let other = clock.clone();
        assert_eq!(other.today(), d(2026, 12, 1));
        assert_eq!(clock.now().to_rfc3339(), "2026-11-30T22:20:00+00:00");
        clock.advance(Duration::hours(23));
        assert_eq!(other.today(), d(2026, 12, 2));
        assert!(clock.is_fixed());
        assert!(!Clock::system().is_fixed());
    }
}
