//! Reading the funnel's tally and stays: histograms of working days per stage from the tally
//! (whole registration months, by province and bank) or from the stays grouped in the
//! database (any filter), and the breached stays.

use sqlx::FromRow;

use super::{COLUMNS, Histograms, STAY_COLUMNS, StayRow};
use crate::StoreError;
use crate::report::{Bind, ReportFilter, Where};

/// Which months a tally read covers (inclusive, Jalali `yyyymm`), and its narrowing.
#[derive(Clone, Debug, Default)]
pub struct TallyRange {
    /// First month, none: from the first.
    pub from_month: Option<i64>,
    /// Last month, none: to the last.
    pub to_month: Option<i64>,
    /// Province.
    pub province_code: Option<String>,
    /// Bank.
    pub bank_id: Option<i64>,
}

fn states_in(states: Option<&[&str]>, column: &str) -> Option<String> {
    // the states are the workflow's own names, never user input
    states.map(|s| {
        let list: Vec<String> = s.iter().map(|s| format!("'{s}'")).collect();
        format!("{column} in ({})", list.join(", "))
    })
}

/// Adds rows of `(state, working_days, files, on_time)` to `h`.
fn merge(h: &mut Histograms, rows: Vec<(String, i64, i64, i64)>) {
    for (state, days, files, on_time) in rows {
        let c = h.entry(state).or_default().entry(days).or_default();
        c.files += files;
        c.on_time += on_time;
    }
}

/// Adds to `h` the tally's histograms over `r`: the folded rows and the changes not yet
/// folded, read by one statement (one snapshot), so a fold committing meanwhile is seen
/// wholly or not at all.
pub async fn read_tally(
    pool: &sqlx::AnyPool,
    r: &TallyRange,
    states: Option<&[&str]>,
    h: &mut Histograms,
) -> Result<(), StoreError> {
    // one `Where` numbers the placeholders of both parts; each part writes its own clause
    let mut w = Where::default();
    let mut part = |table: &str| {
        let mut c = Vec::new();
        if let Some(m) = r.from_month {
            c.push(format!("reg_month >= {}", w.param(Bind::Int(m))));
        }
        if let Some(m) = r.to_month {
            c.push(format!("reg_month <= {}", w.param(Bind::Int(m))));
        }
        if let Some(p) = &r.province_code {
            c.push(format!(
                "province_code = {}",
                w.param(Bind::Text(p.clone()))
            ));
        }
        if let Some(b) = r.bank_id {
            c.push(format!("bank_id = {}", w.param(Bind::Int(b))));
        }
        c.extend(states_in(states, "state"));
        let clause = if c.is_empty() {
            String::new()
        } else {
            format!(" where {}", c.join(" and "))
        };
        format!("select state, working_days, files, on_time from {table}{clause}")
    };
    let (folded, appended) = (part("funnel_tally"), part("funnel_tally_delta"));
    let sql = format!(
        "select state, working_days, cast(sum(files) as bigint), cast(sum(on_time) as bigint) \
         from ({folded} union all {appended}) t group by state, working_days"
    );
    merge(h, w.apply_as(sqlx::query_as(&sql)).fetch_all(pool).await?);
    Ok(())
}

/// Adds to `h` the histograms of the stays of the files `f` selects, grouped in the database
/// (for filters the tally does not keep: county, program, gender, …, and days at the edges of
/// a date range that are not whole months).
pub async fn read_stays(
    pool: &sqlx::AnyPool,
    f: &ReportFilter,
    states: Option<&[&str]>,
    h: &mut Histograms,
) -> Result<(), StoreError> {
    let mut w = Where::default();
    w.raw("s.left_stage = 1");
    f.conditions(&mut w, COLUMNS);
    if let Some(c) = states_in(states, "s.state") {
        w.raw(&c);
    }
    let sql = format!(
        "select s.state, s.working_days, count(*), \
         cast(sum(case when s.breached = 0 then 1 else 0 end) as bigint) \
         from funnel_stay s join application a on a.id = s.application_id{} \
         group by s.state, s.working_days",
        w.sql()
    );
    merge(h, w.apply_as(sqlx::query_as(&sql)).fetch_all(pool).await?);
    Ok(())
}

/// A breached stay listed, with its file's tracking code.
#[derive(Clone, Debug, FromRow)]
pub struct BreachRow {
    /// The file's tracking code.
    pub tracking_code: String,
    /// The stay.
    #[sqlx(flatten)]
    pub stay: StayRow,
}

/// The first `limit` breached stays of the files `f` selects, the oldest due dates first
/// (then file, then stage). A stay is due no earlier than its file was registered, so a range
/// starts the walk of the breaches' index there; dates, province and bank are read from the
/// index itself (the stay carries them), other filters from the file.
pub async fn breaches(
    pool: &sqlx::AnyPool,
    f: &ReportFilter,
    states: Option<&[&str]>,
    limit: usize,
) -> Result<Vec<BreachRow>, StoreError> {
    let mut w = Where::default();
    w.raw("s.breached = 1");
    if let Some(from) = &f.from {
        // the UTC day of a Tehran midnight is the day before, or the day itself
        let day: String = from.chars().take(10).collect();
        w.bind("s.due_on >= {}", Bind::Text(day));
    }
    let columns = if f.only_dates_province_bank() {
        STAY_COLUMNS
    } else {
        COLUMNS
    };
    f.conditions(&mut w, columns);
    if let Some(c) = states_in(states, "s.state") {
        w.raw(&c);
    }
    let lim = w.param(Bind::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
    let sql = format!(
        "select a.tracking_code, s.application_id, s.state, s.reg_month, s.submitted_at, \
         s.province_code, s.bank_id, s.working_days, s.running_since, s.target_working_days, \
         s.due_on, s.ended_on, s.left_stage, s.breached \
         from funnel_stay s join application a on a.id = s.application_id{} \
         order by s.due_on, s.application_id, s.state limit {lim}",
        w.sql()
    );
    Ok(w.apply_as(sqlx::query_as(&sql)).fetch_all(pool).await?)
}
