//! The funnel: for the files registered in the range, per stage — how many entered it, how
//! many are in it now, how many left it; the working days the agency or the bank spent on it
//! (median and 90th percentile over the files that left it; intervals owned by the applicant
//! do not count, as for the service level); the share of those that met the stage's service
//! level; the list of breaches (stages past their due date, left or not); and the complaints
//! and appeals about those files (filed, answered, open, past their level, upheld).
//!
//! The times are read from the stays kept as files move (`super::stays`, which says what a
//! stay is): whole Jalali months from their tally, anything finer from the stays themselves.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use vamyar_calendar::JalaliDate;
use vamyar_domain::workflow::State;
use vamyar_store::report::ReportFilter;
use vamyar_store::report::funnel;
use vamyar_store::report::tally::{self, Histograms, TallyRange};

use super::filters::{Filters, day_start};
use super::labels::Names;
use super::model::{Cell, ChartKind, Kind, Table, basis_points};
use super::stays::month_key;
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

/// The first and last day of `d`'s Jalali month.
fn month_bounds(d: NaiveDate) -> (NaiveDate, NaiveDate) {
    let j = JalaliDate::from_iso(d);
    let first = d - Duration::days(i64::from(j.day()) - 1);
    let last =
        first + Duration::days(i64::from(JalaliDate::days_in_month(j.year(), j.month())) - 1);
    (first, last)
}

/// `f` narrowed to the registration days `from..=to`.
fn days(f: &ReportFilter, from: NaiveDate, to: NaiveDate) -> ReportFilter {
    ReportFilter {
        from: Some(day_start(from)),
        to: Some(day_start(to + Duration::days(1))),
        ..f.clone()
    }
}

/// The working days of the stays that left each stage, with how many on time: the whole
/// Jalali months of the range from the tally when the filter narrows by no more than dates,
/// province and bank (what the tally is kept by); the days at the range's edges, and every
/// other filter, from the stays grouped in the database.
async fn histograms(
    ctx: &crate::Ctx,
    filters: &Filters,
    f: &ReportFilter,
    states: Option<&[&str]>,
) -> Result<Histograms> {
    let pool = ctx.db.pool();
    let mut h = Histograms::new();
    // the first and last days of the whole months inside the range
    let first = filters.from.map(|d| match month_bounds(d) {
        (start, _) if start == d => d,
        (_, end) => end + Duration::days(1),
    });
    let last = filters.to.map(|d| match month_bounds(d) {
        (_, end) if end == d => d,
        (start, _) => start - Duration::days(1),
    });
    let whole = !matches!((first, last), (Some(a), Some(b)) if a > b);
    if !f.only_dates_province_bank() || !whole {
        tally::read_stays(pool, f, states, &mut h).await?;
        return Ok(h);
    }
    let range = TallyRange {
        from_month: first.map(month_key),
        to_month: last.map(month_key),
        province_code: f.province_code.clone(),
        bank_id: f.bank_id,
    };
    tally::read_tally(pool, &range, states, &mut h).await?;
    if let (Some(from), Some(first)) = (filters.from, first)
        && from < first
    {
        tally::read_stays(
            pool,
            &days(f, from, first - Duration::days(1)),
            states,
            &mut h,
        )
        .await?;
    }
    if let (Some(to), Some(last)) = (filters.to, last)
        && to > last
    {
        tally::read_stays(pool, &days(f, last + Duration::days(1), to), states, &mut h).await?;
    }
    Ok(h)
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

/// The funnel's tables: stages, breaches, and (not for a bank) complaints.
pub async fn build(
    ctx: &crate::Ctx,
    filters: &Filters,
    f: &ReportFilter,
    bank_only: bool,
    names: &Names,
) -> Result<Vec<Table>> {
    let pool = ctx.db.pool();
    let states = bank_only.then_some(BANK_STAGES);
    let funnel::StageCounts { entered, current } =
        funnel::stage_counts(pool, ctx.db.backend(), f, states).await?;
    let hist = histograms(ctx, filters, f, states).await?;

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
        let counts = hist.get(s);
        let days: BTreeMap<i64, i64> = counts
            .into_iter()
            .flatten()
            .map(|(&d, c)| (d, c.files))
            .filter(|(_, n)| *n > 0)
            .collect();
        let days = &days;
        let measured: i64 = days.values().sum();
        let on_time = counts.map_or(0, |c| c.values().map(|c| c.on_time).sum());
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
    let cal = ctx.calendar().await?;
    let today = ctx.today();
    for b in tally::breaches(pool, f, states, MAX_BREACHES).await? {
        let s = b.stay;
        let running = s
            .running_since
            .as_deref()
            .and_then(super::stays::day)
            .map_or(0, |d| cal.working_days_between(d, today).max(0));
        let date = |d: &Option<String>| {
            d.as_deref()
                .and_then(|d| vamyar_store::time::parse_date(d).ok())
                .map_or(Cell::Empty, Cell::Date)
        };
        breaches.rows.push(vec![
            Cell::Text(b.tracking_code),
            Cell::Text(names.stage(&s.state)),
            Cell::Int(s.target_working_days * 10),
            date(&s.due_on),
            if s.left_stage {
                date(&s.ended_on)
            } else {
                Cell::Empty
            },
            Cell::Int((s.working_days + running) * 10),
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
