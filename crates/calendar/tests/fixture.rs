//! Cross-checks the icu-based conversion against an independent reference: every day from
//! 1900-01-01 to 2150-12-31 as converted by Python `persiantools` (see
//! `scripts/gen_calendar_fixture.py`), in both directions.

use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use vamyar_calendar::JalaliDate;

const FIXTURE: &str = "tests/fixtures/iso_jalali_1900_2150.txt";
const EXPECTED_DAYS: usize = 91_676;

/// Parses `a<sep>b<sep>c` into three integers.
fn fields(s: &str, sep: char) -> (i32, u32, u32) {
    let mut it = s
        .split(sep)
        .map(|p| p.parse::<i64>().expect("numeric field"));
    let (Some(a), Some(b), Some(c), None) = (it.next(), it.next(), it.next(), it.next()) else {
        panic!("bad fixture field {s:?}");
    };
    (a as i32, b as u32, c as u32)
}

#[test]
fn every_day_1900_2150_matches_persiantools() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let text = std::fs::read_to_string(&path).expect("fixture is present");
    assert!(
        text.starts_with("# ") && text.contains("persiantools=="),
        "fixture starts with its provenance header"
    );
    let started = Instant::now();

    let mut days = 0;
    let mut mismatches = Vec::new();
    let mut previous: Option<NaiveDate> = None;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (iso_text, jalali_text) = line.split_once(' ').expect("two columns");
        let (y, m, d) = fields(iso_text, '-');
        let iso = NaiveDate::from_ymd_opt(y, m, d).expect("valid ISO date");
        let (jy, jm, jd) = fields(jalali_text, '/');
        let jalali = JalaliDate::new(jy, jm as u8, jd as u8).expect("valid Jalali date");

        // The fixture must be consecutive days, so no day is silently skipped.
        if let Some(prev) = previous {
            assert_eq!(prev.succ_opt(), Some(iso), "gap in fixture before {line}");
        }
        previous = Some(iso);
        days += 1;

        let from_iso = JalaliDate::from_iso(iso);
        let to_iso = jalali.to_iso();
        if from_iso != jalali || to_iso != iso {
            mismatches.push(format!("{line}: from_iso={from_iso}, to_iso={to_iso}"));
        }
    }

    eprintln!("checked {days} days both ways in {:?}", started.elapsed());
    assert_eq!(days, EXPECTED_DAYS);
    assert_eq!(
        previous,
        NaiveDate::from_ymd_opt(2150, 12, 31),
        "fixture ends on 2150-12-31"
    );
    assert!(
        mismatches.is_empty(),
        "{} mismatches, first: {:?}",
        mismatches.len(),
        &mismatches[..mismatches.len().min(10)]
    );
}
