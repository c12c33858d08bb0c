//! Property tests: conversions round-trip, month arithmetic clamps and inverts, the parser
//! reads back every form the formatters write, and working-day arithmetic is consistent
//! with a brute-force count.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use proptest::prelude::*;
use vamyar_calendar::{JalaliDate, WorkingCalendar, parse_date};

/// Any ISO date from 1800-01-01 to 2250-12-31 (the parser's ISO range).
fn iso_date() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(1800, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2250, 12, 31).unwrap();
    (0..=(last - first).num_days() as u64).prop_map(move |n| first + Days::new(n))
}

/// Any date a `JalaliDate` can represent.
fn any_jalali() -> impl Strategy<Value = JalaliDate> {
    let first = JalaliDate::MIN.to_iso();
    let span = (JalaliDate::MAX.to_iso() - first).num_days() as u64;
    (0..=span).prop_map(move |n| JalaliDate::from_iso(first + Days::new(n)))
}

/// A Jalali date in the parser's range 1200..=1600, built field by field.
fn input_jalali() -> impl Strategy<Value = JalaliDate> {
    (1200..=1600i32, 1..=12u8, 1..=31u8).prop_map(|(y, m, d)| {
        JalaliDate::new(y, m, d.min(JalaliDate::days_in_month(y, m))).unwrap()
    })
}

fn month_index(d: JalaliDate) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month()) - 1
}

fn weekend_strategy() -> impl Strategy<Value = Vec<Weekday>> {
    // Up to six distinct weekend days, so at least one weekday is a working day.
    proptest::sample::subsequence(
        vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ],
        0..=6,
    )
}

/// A calendar with a random weekend and holidays within `days` days after `base`.
fn working_calendar(base: NaiveDate, days: u64) -> impl Strategy<Value = WorkingCalendar> {
    (
        weekend_strategy(),
        proptest::collection::vec(0..days, 0..40),
    )
        .prop_map(move |(weekend, offsets)| {
            WorkingCalendar::new()
                .with_weekend(&weekend)
                .unwrap()
                .with_holidays(offsets.into_iter().map(|o| base + Days::new(o)))
        })
}

proptest! {
    #[test]
    fn iso_round_trips(d in iso_date()) {
        prop_assert_eq!(JalaliDate::from_iso(d).to_iso(), d);
    }

    #[test]
    fn jalali_round_trips(j in any_jalali()) {
        prop_assert_eq!(JalaliDate::from_iso(j.to_iso()), j);
        prop_assert_eq!(JalaliDate::new(j.year(), j.month(), j.day()), Ok(j));
    }

    #[test]
    fn consecutive_days_are_consecutive_jalali_days(d in iso_date()) {
        let today = JalaliDate::from_iso(d);
        let tomorrow = JalaliDate::from_iso(d.succ_opt().unwrap());
        let expected = if today.day() < JalaliDate::days_in_month(today.year(), today.month()) {
            JalaliDate::new(today.year(), today.month(), today.day() + 1).unwrap()
        } else {
            let next = today.add_months(1);
            JalaliDate::new(next.year(), next.month(), 1).unwrap()
        };
        prop_assert_eq!(tomorrow, expected);
        prop_assert!(today < tomorrow);
    }

    #[test]
    fn add_months_moves_n_months_and_clamps(j in input_jalali(), n in -2400..=2400i32) {
        let r = j.add_months(n);
        prop_assert_eq!(month_index(r) - month_index(j), i64::from(n));
        prop_assert_eq!(r.day(), j.day().min(JalaliDate::days_in_month(r.year(), r.month())));
    }

    #[test]
    fn add_months_inverts_unless_clamped(j in input_jalali(), n in -2400..=2400i32) {
        let there = j.add_months(n);
        let back = there.add_months(-n);
        if there.day() == j.day() {
            prop_assert_eq!(back, j);
        } else {
            // Clamped: same month, earlier day.
            prop_assert_eq!(month_index(back), month_index(j));
            prop_assert!(back < j);
        }
    }

    #[test]
    fn add_months_composes_for_days_up_to_29(
        j in input_jalali(), a in -600..=600i32, b in -600..=600i32,
    ) {
        prop_assume!(j.day() <= 29);
        prop_assert_eq!(j.add_months(a).add_months(b), j.add_months(a + b));
    }

    #[test]
    fn parser_reads_every_written_form(j in input_jalali()) {
        let iso = j.to_iso();
        prop_assert_eq!(parse_date(&j.to_string()), Ok(iso));
        prop_assert_eq!(parse_date(&j.format_fa()), Ok(iso));
        prop_assert_eq!(parse_date(&j.to_string().replace('/', "-")), Ok(iso));
        let unpadded = format!("{}/{}/{}", j.year(), j.month(), j.day());
        prop_assert_eq!(parse_date(&unpadded), Ok(iso));
    }

    #[test]
    fn parser_reads_iso(d in iso_date()) {
        prop_assert_eq!(parse_date(&d.format("%Y-%m-%d").to_string()), Ok(d));
    }

    #[test]
    fn parser_never_panics(s in "\\PC{0,16}", t in "[0-9۰-۹٠-٩/ -]{0,14}") {
        let _ = parse_date(&s);
        let _ = parse_date(&t);
    }

    #[test]
    fn working_day_arithmetic_is_consistent(
        (base, cal) in iso_date().prop_flat_map(|b| (Just(b), working_calendar(b, 120))),
        n in 0..40u32,
        span in 0..120u64,
    ) {
        let end = base + Days::new(span);
        let brute = base
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= end)
            .filter(|d| cal.is_working_day(*d))
            .count() as i64;
        prop_assert_eq!(cal.working_days_between(base, end), brute);
        prop_assert_eq!(cal.working_days_between(end, base), -brute);

        let later = cal.add_working_days(base, n);
        prop_assert_eq!(cal.working_days_between(base, later), i64::from(n));
        if n > 0 {
            prop_assert!(cal.is_working_day(later));
        }

        let next = cal.next_working_day_on_or_after(base);
        prop_assert!(cal.is_working_day(next));
        prop_assert!(base.iter_days().take_while(|d| *d < next).all(|d| !cal.is_working_day(d)));
        prop_assert!(next.weekday() != Weekday::Fri || !cal.is_weekend_day(Weekday::Fri));
    }
}
