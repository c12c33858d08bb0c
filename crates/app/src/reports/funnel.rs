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

impl Stay {
    /// Adds one interval of the stay (the file's clocks come in the order they opened).
    fn add(&mut self, c: &Clock, cal: &WorkingCalendar, today: NaiveDate) {
        let start = day(&c.started_at).unwrap_or(today);
        let end = c.ended_at.as_deref().and_then(day);
        let due = c
            .due_on
            .as_deref()
            .and_then(|d| vamyar_store::time::parse_date(d).ok());
        self.tracking_code.clone_from(&c.tracking_code);
        self.working_days += cal.working_days_between(start, end.unwrap_or(today)).max(0);
        self.target = self.target.max(c.target_working_days);
        self.due_on = self.due_on.max(due);
        self.ended_on = self.ended_on.max(end);
        self.left = c.file_state != c.state && c.ended_at.is_some();
        self.breached |= c.is_breached || matches!((end, due), (Some(e), Some(d)) if e > d);
    }
}

/// A breach listed: sorted by due date, then file, then stage.
type Breach = ((Option<NaiveDate>, i64, String), Stay);

/// The funnel's times folded from the stage clocks one file at a time, in bounded memory:
/// per stage, how many files left it after how many working days (a histogram) and how many
/// of them on time; and the [`MAX_BREACHES`] breaches with the oldest due dates.
#[derive(Default)]
struct Times {
    file: Option<i64>,
    stays: BTreeMap<String, Stay>,
    days: BTreeMap<String, BTreeMap<i64, i64>>,
    on_time: BTreeMap<String, i64>,
    breaches: std::collections::BinaryHeap<BreachKey>,
}

/// A breach in the heap, ordered by its sort key alone (the heap keeps the largest on top,
/// the one to drop when the list is full).
struct BreachKey(Breach);

impl PartialEq for BreachKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.0 == other.0.0
    }
}
impl Eq for BreachKey {}
impl PartialOrd for BreachKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for BreachKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.0.cmp(&other.0.0)
    }
}

impl Times {
    fn add(&mut self, c: &Clock, cal: &WorkingCalendar, today: NaiveDate) {
        if self.file != Some(c.application_id) {
            self.flush();
            self.file = Some(c.application_id);
        }
        self.stays
            .entry(c.state.clone())
            .or_default()
            .add(c, cal, today);
    }

    /// Counts the stays of the file folded so far.
    fn flush(&mut self) {
        let Some(id) = self.file else { return };
        for (state, stay) in std::mem::take(&mut self.stays) {
            if stay.left {
                *self
                    .days
                    .entry(state.clone())
                    .or_default()
                    .entry(stay.working_days)
                    .or_default() += 1;
                *self.on_time.entry(state.clone()).or_default() += i64::from(!stay.breached);
            }
            if stay.breached {
                self.breaches
                    .push(BreachKey(((stay.due_on, id, state), stay)));
                if self.breaches.len() > MAX_BREACHES {
                    self.breaches.pop();
                }
            }
        }
    }
}

/// The `k`-th smallest value (from 0) of a histogram of whole days.
fn nth(hist: &BTreeMap<i64, i64>, k: i64) -> i64 {
    let mut seen = 0;
    for (&value, &count) in hist {
        seen += count;
        if seen > k {
            return value;
        }
    }
    hist.keys().next_back().copied().unwrap_or(0)
}

/// The median of a histogram of whole days, in tenths (the mean of the middle two when even).
fn median_tenths(hist: &BTreeMap<i64, i64>) -> Option<i64> {
    let n: i64 = hist.values().sum();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(nth(hist, n / 2) * 10),
        _ => Some((nth(hist, n / 2 - 1) + nth(hist, n / 2)) * 5),
    }
}

/// The 90th percentile of a histogram of whole days by nearest rank (the smallest value with
/// at least 90 % of the values at or below it), in tenths.
fn p90_tenths(hist: &BTreeMap<i64, i64>) -> Option<i64> {
    let n: i64 = hist.values().sum();
    if n == 0 {
        return None;
    }
    let rank = (9 * n + 9) / 10;
    Some(nth(hist, rank - 1) * 10)
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
    let cal = ctx.calendar().await?;
    let today = ctx.today();
    let mut times = Times::default();
    funnel::for_each_clock(pool, f, states, |c| times.add(&c, &cal, today)).await?;
    times.flush();

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
        let none = BTreeMap::new();
        let days = times.days.get(s).unwrap_or(&none);
        let measured: i64 = days.values().sum();
        let on_time = times.on_time.get(s).copied().unwrap_or(0);
        stages.rows.push(vec![
            Cell::Text(names.stage(s)),
            Cell::Int(inn),
            Cell::Int(now),
            Cell::Int((inn - now).max(0)),
            opt(median_tenths(days)),
            opt(p90_tenths(days)),
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
    let late = times.breaches.into_sorted_vec();
    for BreachKey(((_, _, state), s)) in late {
        breaches.rows.push(vec![
            Cell::Text(s.tracking_code.clone()),
            Cell::Text(names.stage(&state)),
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

    fn hist(values: &[i64]) -> BTreeMap<i64, i64> {
        let mut h = BTreeMap::new();
        for v in values {
            *h.entry(*v).or_default() += 1;
        }
        h
    }

    #[test]
    fn median_and_p90_by_hand() {
        assert_eq!(median_tenths(&hist(&[])), None);
        assert_eq!(median_tenths(&hist(&[4])), Some(40));
        assert_eq!(median_tenths(&hist(&[1, 2])), Some(15));
        assert_eq!(median_tenths(&hist(&[9, 1, 2])), Some(20));
        assert_eq!(median_tenths(&hist(&[3, 3, 3, 8])), Some(30));
        assert_eq!(median_tenths(&hist(&[1, 1, 5, 5])), Some(30));
        // ten values: the 9th is the 90th percentile
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(p90_tenths(&hist(&ten)), Some(90));
        // eleven values: rank ceil(9.9) = 10
        let eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(p90_tenths(&hist(&eleven)), Some(100));
        assert_eq!(p90_tenths(&hist(&[7])), Some(70));
        assert_eq!(p90_tenths(&hist(&[2, 2, 2, 2, 2, 2, 2, 2, 2, 6])), Some(20));
    }
}
