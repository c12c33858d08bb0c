//! The funnel's stays, kept as files move: whenever a stage clock opens (`files::actions::
//! open_stage`), the file's stays are folded again from its clocks and the difference goes to
//! the tally (`vamyar_store::report::tally`), so the funnel over a million files reads the
//! tally's few thousand rows instead of every clock.
//!
//! A stay is a file's time in one stage with a service level owned by the agency or the bank:
//! the working days of its intervals (intervals owned by the applicant do not count, as for
//! the service level), counted on the working calendar between the Tehran days of each
//! interval's start and end (`WorkingCalendar::working_days_between`) when the clock opens; a
//! file that visits a stage twice (returned for correction, then submitted again) has one stay
//! with the days of both visits. It has left the stage once its last interval ended and the
//! file is elsewhere; it is breached when close of business flagged one of its intervals or
//! one ended after its due date. The tally counts stays that left, under the file's
//! registration month, province and bank, which a file keeps from then on (a referral sets
//! the bank before the clock of `referred` opens, so the stays move to the bank's key then).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use vamyar_calendar::{JalaliDate, WorkingCalendar, tehran_date};
use vamyar_store::Tx;
use vamyar_store::report::funnel::{self, Clock};
use vamyar_store::report::tally::{self, Deltas, StayRow};

use crate::Ctx;
use crate::error::Result;

/// The tables a rebuild fills, whose planner statistics it refreshes afterwards (the funnel
/// joins the stays from the files' side only when the planner knows their size).
const ANALYZED: &[&str] = &["funnel_stay", "funnel_tally"];

/// How many files' clocks a rebuild reads at a time.
const REBUILD_FILES: i64 = 5_000;

/// The Tehran day of a stored instant.
pub(super) fn day(s: &str) -> Option<NaiveDate> {
    vamyar_store::time::parse_ts(s).ok().map(tehran_date)
}

/// The Jalali month (`yyyymm`) of a Tehran day.
pub fn month_key(d: NaiveDate) -> i64 {
    let j = JalaliDate::from_iso(d);
    i64::from(j.year()) * 100 + i64::from(j.month())
}

/// One file's stays that the funnel counts (those that left their stage, and the breached
/// ones, which it lists), folded from its clocks (in the order they opened), in stage order.
pub fn fold_file(clocks: &[Clock], cal: &WorkingCalendar) -> Vec<StayRow> {
    let mut stays: BTreeMap<&str, StayRow> = BTreeMap::new();
    for c in clocks {
        let s = stays.entry(c.state.as_str()).or_insert_with(|| StayRow {
            application_id: c.application_id,
            state: c.state.clone(),
            reg_month: day(&c.submitted_at).map_or(0, month_key),
            submitted_at: c.submitted_at.clone(),
            province_code: c.province_code.clone(),
            bank_id: c.bank_id.unwrap_or(0),
            ..StayRow::default()
        });
        let end = c.ended_at.as_deref().and_then(day);
        let due = c
            .due_on
            .as_deref()
            .and_then(|d| vamyar_store::time::parse_date(d).ok());
        match (day(&c.started_at), end) {
            (Some(start), Some(end)) => {
                s.working_days += cal.working_days_between(start, end).max(0);
                s.running_since = None;
            }
            (_, None) => s.running_since = Some(c.started_at.clone()),
            (None, Some(_)) => s.running_since = None,
        }
        s.target_working_days = s.target_working_days.max(c.target_working_days);
        let due_text = due.map(vamyar_store::time::date);
        s.due_on = s.due_on.clone().max(due_text);
        s.ended_on = s.ended_on.clone().max(end.map(vamyar_store::time::date));
        s.left_stage = c.file_state != c.state && c.ended_at.is_some();
        s.breached |= c.is_breached || matches!((end, due), (Some(e), Some(d)) if e > d);
    }
    stays
        .into_values()
        .filter(|s| s.left_stage || s.breached)
        .collect()
}

/// Folds file `id`'s stays again from its clocks, inside the transaction that just opened a
/// clock, and appends the change to the tally.
pub async fn refresh(tx: &mut Tx, id: i64, cal: &WorkingCalendar) -> Result<()> {
    let clocks = funnel::clocks_of(tx, id).await?;
    let new = fold_file(&clocks, cal);
    let old = tally::stays_of(tx, id).await?;
    let mut deltas = Deltas::new();
    for s in &old {
        tally::count(&mut deltas, s, -1);
    }
    for s in &new {
        tally::count(&mut deltas, s, 1);
        if !old.contains(s) {
            tally::put_stay(tx, s).await?;
        }
    }
    for s in old
        .iter()
        .filter(|o| !new.iter().any(|n| n.state == o.state))
    {
        tally::delete_stay(tx, id, &s.state).await?;
    }
    tally::add_deltas(tx, &deltas).await?;
    Ok(())
}

/// Builds the stays and the tally again from every stage clock, in `tx`.
async fn rebuild_in(tx: &mut Tx, cal: &WorkingCalendar) -> Result<u64> {
    tally::clear(tx).await?;
    let last = funnel::last_file(tx).await?;
    let mut deltas = Deltas::new();
    let mut stays_written = 0;
    let mut after = 0;
    while after < last {
        let upto = after.saturating_add(REBUILD_FILES);
        let clocks = funnel::clocks_between(tx, after, upto).await?;
        let mut stays = Vec::new();
        for file in clocks.chunk_by(|a, b| a.application_id == b.application_id) {
            stays.extend(fold_file(file, cal));
        }
        for s in &stays {
            tally::count(&mut deltas, s, 1);
        }
        tally::bulk_stays(tx, &stays).await?;
        stays_written += stays.len() as u64;
        after = upto;
    }
    tally::add_to_tally(tx, &deltas).await?;
    tally::mark_built(tx, true).await?;
    Ok(stays_written)
}

/// Builds the stays and the tally again from every stage clock (after a bulk load that wrote
/// clocks directly); returns how many stays it wrote.
pub async fn rebuild(ctx: &Ctx) -> Result<u64> {
    let cal = ctx.calendar().await?;
    let mut tx = ctx.db.begin().await?;
    tally::lock_marker(&mut tx, ctx.db.backend()).await?;
    let n = rebuild_in(&mut tx, &cal).await?;
    tx.commit().await?;
    ctx.db.analyze(ANALYZED).await?;
    Ok(n)
}

/// Builds the stays and the tally unless they are built (a database migrated from before
/// step 20 with stage clocks); returns how many stays it wrote (`None`: already built). Of two
/// processes starting at once, the second waits for the first and finds them built.
pub async fn ensure_built(ctx: &Ctx) -> Result<Option<u64>> {
    if tally::is_built(ctx.db.pool()).await? {
        return Ok(None);
    }
    let cal = ctx.calendar().await?;
    let mut tx = ctx.db.begin().await?;
    if tally::lock_marker(&mut tx, ctx.db.backend()).await? {
        tx.commit().await?;
        return Ok(None);
    }
    let n = rebuild_in(&mut tx, &cal).await?;
    tx.commit().await?;
    ctx.db.analyze(ANALYZED).await?;
    Ok(Some(n))
}
