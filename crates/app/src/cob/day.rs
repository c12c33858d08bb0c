//! The steps of one business date, in order: installments fall due and overdue (with overdue
//! notices), late charges and arrears (`super::arrears`), reminders, referral letters that expired, service-level
//! breaches (and who is told of them, `escalation`), the queue ranks of files that reached the waiting cap, and the portfolio snapshot. Each step lists its work with an indexed read and
//! writes it in transactions of [`cob::BATCH`] rows, each with one audit row.

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use vamyar_domain::announcement::Notice;
use vamyar_store::audit::{self, Entry};
use vamyar_store::cob::{self, portfolio, steps};

use super::{HeldLease, audit_batch};
use crate::Ctx;
use crate::error::{Error, Result};

/// Reminders go out this many days before an installment falls due.
pub const REMINDER_DAYS_AHEAD: i64 = 3;

/// What one date's run did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct DaySummary {
    /// The business date.
    pub date: NaiveDate,
    /// Unpaid installments falling due on the date (due from today; not stored).
    pub became_due: u64,
    /// Installments that became overdue.
    pub became_overdue: u64,
    /// Overdue notices queued.
    pub overdue_notices: u64,
    /// Loans in arrears after the run.
    pub loans_in_arrears: u64,
    /// Loans whose late charges were accrued through the date.
    pub late_charge_loans: u64,
    /// Late charges accrued, in rials.
    pub late_charges: i64,
    /// Loans whose arrears days or bucket changed (including back to current).
    pub arrears_changed: u64,
    /// Loans back to current.
    pub back_to_current: u64,
    /// Installment reminders queued.
    pub reminders: u64,
    /// Referral letters expired (files back to awaiting_referral).
    pub referrals_expired: u64,
    /// Expired letters left for the next run (the file changed meanwhile or is not in a
    /// referral state).
    pub referrals_skipped: u64,
    /// Four-eyes proposals whose last day had passed, marked expired.
    pub proposals_expired: u64,
    /// Change proposals (administrative four eyes) whose last day had passed, marked expired.
    pub changes_expired: u64,
    /// Stage intervals newly flagged as breached.
    pub stages_breached: u64,
    /// Files newly flagged as breached.
    pub files_breached: u64,
    /// Desk notices of those breaches (stage role and office heads).
    pub breach_notices: u64,
    /// Stages past twice their level, told to the province.
    pub stages_escalated: u64,
    /// Desk notices of those escalations (province administrators).
    pub escalation_notices: u64,
    /// Complaints past their service level, told to the office and the province.
    pub complaints_escalated: u64,
    /// Desk notices of those complaints (office heads and province administrators).
    pub complaint_notices: u64,
    /// Morning digests written for office heads.
    pub digests: u64,
    /// Queue ranks moved because the files reached the waiting cap.
    pub queue_ranks_capped: u64,
    /// Ledger rows folded into the portfolio totals.
    pub ledger_rows: u64,
    /// Changes to the funnel's tally folded into it.
    pub tally_rows: u64,
    /// The day's portfolio snapshot.
    pub snapshot: portfolio::Snapshot,
    /// Seconds the date took.
    pub seconds: f64,
    /// Seconds per step, in the order they started (on PostgreSQL the reminders run beside
    /// the first two steps, so the steps' seconds add up to more than the date's).
    pub step_seconds: Vec<(String, f64)>,
}

impl DaySummary {
    /// Records that the step `name` ended now, having started at `since`; restarts the clock.
    fn lap(&mut self, name: &str, since: &mut std::time::Instant) {
        self.step_seconds
            .push((name.to_string(), since.elapsed().as_secs_f64()));
        *since = std::time::Instant::now();
    }
}

/// Runs every step of `date` (see the module documentation) and marks the date done.
pub async fn run_day(ctx: &Ctx, date: NaiveDate, held: &mut HeldLease) -> Result<DaySummary> {
    let started = std::time::Instant::now();
    let db = &ctx.db;
    let iso = vamyar_store::time::date(date);
    let mut tx = db.begin().await?;
    let fresh = cob::start(&mut tx, &iso).await?;
    tx.commit().await?;
    let mut s = DaySummary {
        date,
        ..DaySummary::default()
    };
    if !fresh {
        return Ok(s);
    }
    let mut clock = std::time::Instant::now();
    // The reminders touch installments not yet due (and only read them): on PostgreSQL they
    // run beside the installments' marking and the arrears pass, on a connection of their own
    // (two statements at a time where the machine has the cores); on SQLite, whose writes are
    // one at a time, after them.
    let ahead = vamyar_store::time::date(date + Duration::days(REMINDER_DAYS_AHEAD));
    let reminders = if super::side_by_side(ctx) > 1 {
        let ((), reminders) = tokio::try_join!(
            installments_and_arrears(ctx, date, &iso, held, &mut s, &mut clock),
            queue_reminders(ctx, &iso, &ahead),
        )?;
        reminders
    } else {
        installments_and_arrears(ctx, date, &iso, held, &mut s, &mut clock).await?;
        queue_reminders(ctx, &iso, &ahead).await?
    };
    s.reminders = reminders.0;
    s.step_seconds.push(("reminders".to_string(), reminders.1));
    clock = std::time::Instant::now();
    super::referrals::expire(ctx, &iso, held, &mut s).await?;
    s.lap("referral letters", &mut clock);
    s.proposals_expired = crate::proposals::expire(ctx, date).await?;
    s.changes_expired = crate::admin::changes::expire(ctx, date).await?;
    s.lap("proposals", &mut clock);
    let calendar = ctx.calendar().await?;
    for chunk in steps::breached_stages(db.pool(), &iso)
        .await?
        .chunks(cob::BATCH)
    {
        let mut tx = db.begin().await?;
        let files = steps::flag_breaches(&mut tx, chunk).await?;
        // the funnel's stays of those clocks are breached now
        for id in vamyar_store::report::funnel::files_of_clocks(&mut tx, chunk).await? {
            crate::reports::stays::refresh(&mut tx, id, &calendar).await?;
        }
        s.breach_notices += super::escalation::breached(&mut tx, &calendar, chunk).await?;
        if !chunk.is_empty() {
            let mut entry = Entry::system("cob.breaches", "cob_run").on(&iso);
            entry.detail = serde_json::json!({"stages": chunk, "files": files});
            audit::append(&mut tx, &entry).await?;
        }
        tx.commit().await?;
        s.stages_breached += chunk.len() as u64;
        s.files_breached += files.len() as u64;
        held.keep().await?;
    }
    s.lap("breaches", &mut clock);
    super::escalation::escalate(ctx, &iso, held, &mut s).await?;
    super::escalation::digest(ctx, &calendar, date, &mut s).await?;
    super::complaints::escalate(ctx, &iso, held, &mut s).await?;
    s.lap("escalation", &mut clock);
    s.queue_ranks_capped = super::queue::rerank_capped(ctx, date).await?;
    s.lap("queue ranks", &mut clock);
    loop {
        let mut tx = db.begin().await?;
        let n = portfolio::fold_ledger(&mut tx, 5 * cob::BATCH).await?;
        tx.commit().await?;
        s.ledger_rows += n;
        if n == 0 {
            break;
        }
        held.keep().await?;
    }
    loop {
        let mut tx = db.begin().await?;
        let n = vamyar_store::report::tally::fold(&mut tx, 5 * cob::BATCH).await?;
        tx.commit().await?;
        s.tally_rows += n;
        if n == 0 {
            break;
        }
        held.keep().await?;
    }
    s.lap("funnel tally", &mut clock);
    let mut tx = db.begin().await?;
    s.snapshot = portfolio::write_snapshot(&mut tx, &iso).await?;
    s.lap("portfolio snapshot", &mut clock);
    s.seconds = started.elapsed().as_secs_f64();
    let stats = serde_json::to_value(&s).map_err(|e| Error::Internal(e.to_string()))?;
    let mut entry = Entry::system("cob.done", "cob_run").on(&iso);
    entry.detail = stats.clone();
    audit::append(&mut tx, &entry).await?;
    cob::finish(&mut tx, &iso, &stats).await?;
    tx.commit().await?;
    // the day's writes may have moved the planner's statistics (SQLite keeps none by itself)
    db.optimize().await?;
    Ok(s)
}

pub use crate::loans::recompute::overdue_cutoff;

/// Steps a and b, with the time of each in `s`: [`mark_installments`], then the late charges
/// and arrears of the loans in arrears (`super::arrears`).
async fn installments_and_arrears(
    ctx: &Ctx,
    date: NaiveDate,
    iso: &str,
    held: &mut HeldLease,
    s: &mut DaySummary,
    clock: &mut std::time::Instant,
) -> Result<()> {
    mark_installments(ctx, iso, held, s).await?;
    s.lap("due and overdue", clock);
    let arrears = super::arrears::run(ctx, date, held).await?;
    s.late_charge_loans = arrears.late_charge_loans;
    s.late_charges = arrears.late_charges;
    s.loans_in_arrears = arrears.loans_in_arrears;
    s.arrears_changed = arrears.arrears_changed;
    s.back_to_current = arrears.back_to_current;
    s.lap("late charges and arrears", clock);
    Ok(())
}

/// Queues a reminder for every unpaid installment falling due on `ahead` (ISO); returns how
/// many were queued and the seconds it took.
async fn queue_reminders(ctx: &Ctx, iso: &str, ahead: &str) -> Result<(u64, f64)> {
    let started = std::time::Instant::now();
    let db = &ctx.db;
    let mut queued = 0;
    for chunk in steps::unpaid_due_on(db.pool(), ahead)
        .await?
        .chunks(cob::BATCH)
    {
        let mut tx = db.begin().await?;
        let n =
            steps::queue_installment_messages(&mut tx, Notice::reminder, "reminder", chunk).await?;
        audit_batch(&mut tx, "cob.reminders", iso, n, chunk).await?;
        tx.commit().await?;
        queued += n;
    }
    Ok((queued, started.elapsed().as_secs_f64()))
}

/// Step a: the installments falling due on the date are counted (a pending installment is due
/// from its due date on; nothing is written for it, migration 0025); pending ones due more than
/// `overdue_after_working_days` working days before the date ([`overdue_cutoff`]) become
/// `overdue`, each with an overdue notice queued in the same transaction.
async fn mark_installments(
    ctx: &Ctx,
    iso: &str,
    held: &mut HeldLease,
    s: &mut DaySummary,
) -> Result<()> {
    let db = &ctx.db;
    s.became_due = steps::falling_due_on(db.pool(), iso).await?;
    let date = vamyar_store::time::parse_date(iso)?;
    let calendar = ctx.calendar().await?;
    let cutoff = vamyar_store::time::date(overdue_cutoff(
        &calendar,
        date,
        ctx.settings.overdue_after_working_days,
    ));
    for chunk in steps::pending_before(db, &cutoff).await?.chunks(cob::BATCH) {
        let mut tx = db.begin().await?;
        let changed = steps::mark_overdue(&mut tx, &cutoff, chunk).await?;
        let notices =
            steps::queue_installment_messages(&mut tx, Notice::overdue, "overdue", &changed)
                .await?;
        audit_batch(
            &mut tx,
            "cob.mark_overdue",
            iso,
            changed.len() as u64,
            chunk,
        )
        .await?;
        tx.commit().await?;
        s.became_overdue += changed.len() as u64;
        s.overdue_notices += notices;
        held.keep().await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use vamyar_calendar::WorkingCalendar;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn an_installment_gets_its_working_days_of_grace() {
        let cal = WorkingCalendar::new(); // Friday weekend
        // 2026-12-02 is a Wednesday
        assert_eq!(overdue_cutoff(&cal, d(2026, 12, 3), 0), d(2026, 12, 3));
        // due Wednesday: Thursday is its grace day, overdue at Friday's close of business
        assert_eq!(overdue_cutoff(&cal, d(2026, 12, 4), 1), d(2026, 12, 3));
        // due Thursday: Saturday (Friday is off) is its grace day, overdue on Sunday
        assert_eq!(overdue_cutoff(&cal, d(2026, 12, 5), 1), d(2026, 12, 3));
        assert_eq!(overdue_cutoff(&cal, d(2026, 12, 6), 1), d(2026, 12, 5));
        // with a holiday on Saturday Thursday's grace day is Sunday
        let holiday = WorkingCalendar::new().with_holidays([d(2026, 12, 5)]);
        assert_eq!(overdue_cutoff(&holiday, d(2026, 12, 6), 1), d(2026, 12, 3));
        assert_eq!(overdue_cutoff(&holiday, d(2026, 12, 7), 1), d(2026, 12, 6));
        // two working days
        assert_eq!(overdue_cutoff(&cal, d(2026, 12, 6), 2), d(2026, 12, 3));
    }
}
