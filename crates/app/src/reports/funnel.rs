//! The funnel: for the files registered in the range, per stage — how many entered it, how
//! many are in it now, how many left it; the working days the agency or the bank spent on it
//! (median and 90th percentile over the files that left it; intervals owned by the applicant
//! do not count, as for the service level); the share of those that met the stage's service
//! level; the list of breaches (stages past their due date, left or not); and the complaints
//! and appeals about those files (filed, answered, open, past their level, upheld).
//!
//! A file that visits a stage twice (returned for correction, then submitted again) counts
//! once in it, with the working days of both visits. Working days are counted on the one
//! working calendar the way service levels are (`WorkingCalendar::working_days_between`
//! between the Tehran days of the interval's start and end). A stage is breached when close
//! of business flagged one of its intervals, or when an interval ended after its due date.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use vamyar_calendar::{WorkingCalendar, tehran_date};
use vamyar_domain::workflow::State;
use vamyar_store::report::funnel::{self, Clock};

use super::labels::Names;
use super::model::{Cell, ChartKind, Kind, Table, basis_points};
use crate::error::Result;

/// The most breaches listed (the oldest due dates first); the count per stage is complete.
pub const MAX_BREACHES: usize = 500;

/// The stages a bank sees: from its referral on.
pub const BANK_STAGES: &[&str] = &[
    "referred",
    "guarantees_pending",
    "bank_approved",
    "active",
    "accelerated",
    "closed",
];

/// Time spent in one stage by one file.
#[derive(Debug, Default)]
struct Stay {
    tracking_code: String,
    working_days: i64,
    target: i64,
    due_on: Option<NaiveDate>,
    ended_on: Option<NaiveDate>,
    left: bool,
    breached: bool,
}

fn day(s: &str) -> Option<NaiveDate> {
    vamyar_store::time::parse_ts(s).ok().map(tehran_date)
}

fn stays(
    clocks: &[Clock],
    cal: &WorkingCalendar,
    today: NaiveDate,
) -> BTreeMap<(i64, String), Stay> {
    let mut out: BTreeMap<(i64, String), Stay> = BTreeMap::new();
    for c in clocks {
        let s = out.entry((c.application_id, c.state.clone())).or_default();
        let start = day(&c.started_at).unwrap_or(today);
        let end = c.ended_at.as_deref().and_then(day);
        let due = c
            .due_on
            .as_deref()
            .and_then(|d| vamyar_store::time::parse_date(d).ok());
        s.tracking_code.clone_from(&c.tracking_code);
        s.working_days += cal.working_days_between(start, end.unwrap_or(today)).max(0);
        s.target = s.target.max(c.target_working_days);
        s.due_on = s.due_on.max(due);
        s.ended_on = s.ended_on.max(end);
        s.left = c.file_state != c.state && c.ended_at.is_some();
        s.breached |= c.is_breached || matches!((end, due), (Some(e), Some(d)) if e > d);
    }
    out
}

/// The median of sorted whole days, in tenths (the mean of the middle two when even).
pub fn median_tenths(sorted: &[i64]) -> Option<i64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] * 10),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) * 5),
    }
}

/// The 90th percentile of sorted whole days by nearest rank (the smallest value with at least
/// 90 % of the values at or below it), in tenths.
pub fn p90_tenths(sorted: &[i64]) -> Option<i64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let rank = (9 * n).div_ceil(10);
    Some(sorted[rank - 1] * 10)
}

fn opt(v: Option<i64>) -> Cell {
    v.map_or(Cell::Empty, Cell::Int)
}

/// The funnel's two tables: stages, breaches.
pub async fn build(
    ctx: &crate::Ctx,
    f: &vamyar_store::report::ReportFilter,
    bank_only: bool,
    names: &Names,
) -> Result<Vec<Table>> {
    let pool = ctx.db.pool();
    let states = bank_only.then_some(BANK_STAGES);
    let entered = funnel::entered(pool, f, states).await?;
    let current = funnel::current(pool, f).await?;
    let clocks = funnel::clocks(pool, f, states).await?;
    let cal = ctx.calendar().await?;
    let today = ctx.today();
    let stays = stays(&clocks, &cal, today);

    let mut stages = Table::new(
        "report-funnel-stages",
        &[
            ("report-col-stage", Kind::Text),
            ("report-col-entered", Kind::Count),
            ("report-col-in-stage", Kind::Count),
            ("report-col-left", Kind::Count),
            ("report-col-median-days", Kind::Days),
            ("report-col-p90-days", Kind::Days),
            ("report-col-measured", Kind::Count),
            ("report-col-on-time", Kind::Count),
            ("report-col-compliance", Kind::Percent),
        ],
    )
    .with_chart(ChartKind::Bars, 0, &[1, 3]);
    let count = |rows: &[funnel::StateCount], s: &str| {
        rows.iter().find(|r| r.state == s).map_or(0, |r| r.files)
    };
    for state in State::ALL {
        let s = state.as_str();
        if bank_only && !BANK_STAGES.contains(&s) {
            continue;
        }
        let (inn, now) = (count(&entered, s), count(&current, s));
        if inn == 0 && now == 0 {
            continue;
        }
        let mut days: Vec<i64> = Vec::new();
        let (mut measured, mut on_time) = (0, 0);
        for ((_, st), stay) in &stays {
            if st == s && stay.left {
                days.push(stay.working_days);
                measured += 1;
                on_time += i64::from(!stay.breached);
            }
        }
        days.sort_unstable();
        stages.rows.push(vec![
            Cell::Text(names.stage(s)),
            Cell::Int(inn),
            Cell::Int(now),
            Cell::Int((inn - now).max(0)),
            opt(median_tenths(&days)),
            opt(p90_tenths(&days)),
            Cell::Int(measured),
            Cell::Int(on_time),
            if measured > 0 {
                Cell::Int(basis_points(on_time, measured))
            } else {
                Cell::Empty
            },
        ]);
    }

    let mut breaches = Table::new(
        "report-funnel-breaches",
        &[
            ("report-col-tracking-code", Kind::Text),
            ("report-col-stage", Kind::Text),
            ("report-col-target-days", Kind::Days),
            ("report-col-due-on", Kind::Date),
            ("report-col-ended-on", Kind::Date),
            ("report-col-working-days", Kind::Days),
        ],
    );
    let mut late: Vec<(&(i64, String), &Stay)> = stays.iter().filter(|(_, s)| s.breached).collect();
    late.sort_by_key(|((id, _), s)| (s.due_on, *id));
    for ((_, state), s) in late.into_iter().take(MAX_BREACHES) {
        breaches.rows.push(vec![
            Cell::Text(s.tracking_code.clone()),
            Cell::Text(names.stage(state)),
            Cell::Int(s.target * 10),
            s.due_on.map_or(Cell::Empty, Cell::Date),
            if s.left {
                s.ended_on.map_or(Cell::Empty, Cell::Date)
            } else {
                Cell::Empty
            },
            Cell::Int(s.working_days * 10),
        ]);
    }
    let mut tables = vec![stages, breaches];
    if !bank_only {
        tables.push(complaints(ctx, f, names).await?);
    }
    Ok(tables)
}

/// The complaints and appeals about the filter's files: filed, answered, waiting, past their
/// service level (escalated), upheld. Bank officers have no part in complaints.
async fn complaints(
    ctx: &crate::Ctx,
    f: &vamyar_store::report::ReportFilter,
    names: &Names,
) -> Result<Table> {
    let mut t = Table::new(
        "report-funnel-complaints",
        &[
            ("report-col-complaint-kind", Kind::Text),
            ("report-col-filed", Kind::Count),
            ("report-col-answered", Kind::Count),
            ("report-col-open", Kind::Count),
            ("report-col-breached", Kind::Count),
            ("report-col-upheld", Kind::Count),
        ],
    );
    for c in funnel::complaints(ctx.db.pool(), f).await? {
        t.rows.push(vec![
            Cell::Text(names.complaint_kind(&c.kind)),
            Cell::Int(c.filed),
            Cell::Int(c.answered),
            Cell::Int(c.open),
            Cell::Int(c.breached),
            Cell::Int(c.upheld),
        ]);
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p90_by_hand() {
        assert_eq!(median_tenths(&[]), None);
        assert_eq!(median_tenths(&[4]), Some(40));
        assert_eq!(median_tenths(&[1, 2]), Some(15));
        assert_eq!(median_tenths(&[1, 2, 9]), Some(20));
        // ten values: the 9th is the 90th percentile
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(p90_tenths(&ten), Some(90));
        // eleven values: rank ceil(9.9) = 10
        let eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(p90_tenths(&eleven), Some(100));
        assert_eq!(p90_tenths(&[7]), Some(70));
    }
}
