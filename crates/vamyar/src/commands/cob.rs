//! `vamyar cob [--date YYYY-MM-DD|Jalali]`: one close-of-business run (see
//! `vamyar_app::cob`), printing what each step did and how long it took.

use std::process::ExitCode;

use anyhow::Context;
use vamyar_app::cob::{self, DaySummary, Outcome};

use crate::config::Config;

/// Runs close of business for `date` (default: today in Tehran), catching up missed dates.
/// Exits 0 when the date is done (now or before), 1 when another process holds the run or a
/// later date is already closed.
pub async fn run(config: &Config, date: Option<&str>) -> anyhow::Result<ExitCode> {
    let db = super::open_database(config).await?;
    let ctx = super::app_ctx(config, &db);
    let date = match date {
        Some(s) => vamyar_calendar::parse::parse_date(s)
            .map_err(|e| anyhow::anyhow!("--date `{s}`: {e}"))?,
        None => ctx.today(),
    };
    let holder = format!("cli-{}", std::process::id());
    let outcome = cob::run(&ctx, date, &holder)
        .await
        .with_context(|| format!("close of business for {date}"))?;
    let missing = vamyar_app::admin::holiday_import::years_without_lunar_holidays(&ctx).await?;
    db.close().await;
    super::import::print_lunar_warning(&missing);
    Ok(match outcome {
        Outcome::AlreadyDone { date } => {
            println!("close of business for {date} was already done; nothing changed");
            ExitCode::SUCCESS
        }
        Outcome::LaterDateDone { date, last_done } => {
            println!(
                "close of business for {date} not run: {last_done}, a later date, is already done"
            );
            ExitCode::FAILURE
        }
        Outcome::Busy { holder } => {
            println!(
                "close of business is running in another process ({}); try again later",
                holder.as_deref().unwrap_or("unknown")
            );
            ExitCode::FAILURE
        }
        Outcome::Ran { days } => {
            for d in &days {
                print_day(d);
            }
            ExitCode::SUCCESS
        }
    })
}

/// Prints one date's summary.
fn print_day(d: &DaySummary) {
    let p = &d.snapshot;
    println!(
        "close of business for {} done in {:.2} s",
        d.date, d.seconds
    );
    println!(
        "  installments: {} became due, {} became overdue ({} overdue notices)",
        d.became_due, d.became_overdue, d.overdue_notices
    );
    println!(
        "  late charges: {} rials on {} loans",
        d.late_charges, d.late_charge_loans
    );
    println!(
        "  arrears: {} loans in arrears, {} changed, {} back to current",
        d.loans_in_arrears, d.arrears_changed, d.back_to_current
    );
    println!(
        "  reminders queued: {} (installments due in {} days)",
        d.reminders,
        cob::day::REMINDER_DAYS_AHEAD
    );
    println!(
        "  referral letters expired: {} ({} left for the next run)",
        d.referrals_expired, d.referrals_skipped
    );
    println!(
        "  service levels breached: {} stages, {} files",
        d.stages_breached, d.files_breached
    );
    println!(
        "  portfolio: {} open loans, outstanding principal {} rials, PAR30 {}.{:02}% \
         (buckets 1-30: {}, 31-90: {}, 90+: {})",
        p.active_loans,
        p.outstanding_principal,
        p.par30_bp / 100,
        p.par30_bp % 100,
        p.bucket_1_30,
        p.bucket_31_90,
        p.bucket_over_90
    );
    let steps: Vec<String> = d
        .step_seconds
        .iter()
        .map(|(name, secs)| format!("{name} {secs:.2}"))
        .collect();
    println!("  seconds per step: {}", steps.join(", "));
}
