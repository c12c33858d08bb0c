//! Schedule generation throughput (not a test): `cargo bench -p vamyar-domain --bench schedule`.
//!
//! Generates 36-month schedules (both methods, with due dates moved to working days) for
//! varying principals and disbursement dates, and prints schedules per second. Plain timing
//! without a harness, so that it needs no extra dependency; run it on a quiet machine.

use std::hint::black_box;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use vamyar_calendar::WorkingCalendar;
use vamyar_domain::schedule::{ScheduleMethod, ScheduleTerms, generate};

fn main() {
    let calendar = WorkingCalendar::new();
    let start = NaiveDate::from_ymd_opt(2025, 3, 21).unwrap_or_default();
    for method in [ScheduleMethod::Flat, ScheduleMethod::Annuity] {
        for (label, shift) in [
            ("working-day due dates", true),
            ("calendar due dates", false),
        ] {
            let n = 50_000_u32;
            let t0 = Instant::now();
            let mut rials = 0_i64;
            let mut generated = 0_u32;
            for i in 0..n {
                let terms = ScheduleTerms {
                    principal: 100_000_000 + i64::from(i % 29) * 50_000_000,
                    annual_rate_bp: 400,
                    term_months: 36,
                    grace_months: i % 7,
                    grace_fee_accrues: i % 2 == 0,
                    method,
                    disbursed_on: start + Duration::days(i64::from(i % 365)),
                    shift_to_working_day: shift,
                };
                if let Ok(s) = generate(black_box(&terms), &calendar) {
                    rials += s.total_fee;
                    generated += u32::from(s.installments.len() == 36);
                }
            }
            let secs = t0.elapsed().as_secs_f64();
            black_box(rials);
            assert_eq!(generated, n, "every schedule has its 36 installments");
            println!(
                "{:<8} 36 months, {label}: {n} schedules in {secs:.3} s = {:.0} schedules/s",
                method.as_str(),
                f64::from(n) / secs
            );
        }
    }
}
