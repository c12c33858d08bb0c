//! The funnel: for the files registered in the range (`a.submitted_at`, instants), how many
//! reached each stage, how many are in it now, and the stage clocks that carry a service
//! level (ended ones, to measure time and compliance; running ones already flagged breached).

use sqlx::FromRow;

use super::{Columns, ReportFilter, STAGE_BITS, Where};
use crate::{Flag, StoreError};

const COLUMNS: Columns = Columns {
    date: "a.submitted_at",
    to_exclusive: true,
    bank: "a.bank_id",
    province: "a.province_code",
};

/// A count per state.
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct StateCount {
    /// The state.
    pub state: String,
    /// How many files.
    pub files: i64,
}

/// One interval of a stage clock with a service level.
#[derive(Clone, Debug, FromRow)]
pub struct Clock {
    /// The file.
    pub application_id: i64,
    /// The file's tracking code.
    pub tracking_code: String,
    /// The stage.
    pub state: String,
    /// The file's state now (a stage the file is still in has not been left).
    pub file_state: String,
    /// Start (RFC 3339).
    pub started_at: String,
    /// End (RFC 3339), none while it runs.
    pub ended_at: Option<String>,
    /// The stage's target in working days.
    pub target_working_days: i64,
    /// The due date fixed when the interval opened (ISO).
    pub due_on: Option<String>,
    /// Flagged breached by close of business.
    #[sqlx(try_from = "Flag")]
    pub is_breached: bool,
}

fn filtered(f: &ReportFilter, states: Option<&[&str]>) -> Where {
    let mut w = Where::default();
    f.conditions(&mut w, COLUMNS);
    if let Some(states) = states {
        let list: Vec<String> = states.iter().map(|s| format!("'{s}'")).collect();
        // the states are the workflow's own names, never user input
        w.raw(&format!("st.state in ({})", list.join(", ")));
    }
    w
}

/// How many files of the filter had a stage clock in each state (each file once per state),
/// from the stages each file has reached (migration 0014). `states` limits the stages (a bank
/// sees the funnel from referral on); a stage no file reached has no row.
pub async fn entered<'e, E>(
    ex: E,
    f: &ReportFilter,
    states: Option<&[&str]>,
) -> Result<Vec<StateCount>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let mut w = Where::default();
    f.conditions(&mut w, COLUMNS);
    let sql = format!(
        "select a.stages_reached, count(*) as files from application a{} \
         group by a.stages_reached",
        w.sql()
    );
    let masks: Vec<(i64, i64)> = w.apply_as(sqlx::query_as(&sql)).fetch_all(ex).await?;
    Ok(STAGE_BITS
        .iter()
        .filter(|(state, _)| states.is_none_or(|s| s.contains(state)))
        .map(|(state, bit)| StateCount {
            state: (*state).to_string(),
            files: masks
                .iter()
                .filter(|(m, _)| m & bit != 0)
                .map(|(_, n)| n)
                .sum(),
        })
        .filter(|c| c.files > 0)
        .collect())
}

/// How many files of the filter are in each state now.
pub async fn current<'e, E>(ex: E, f: &ReportFilter) -> Result<Vec<StateCount>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let mut w = Where::default();
    f.conditions(&mut w, COLUMNS);
    let sql = format!(
        "select a.state as state, count(*) as files from application a{} group by a.state",
        w.sql()
    );
    Ok(w.apply_as(sqlx::query_as(&sql)).fetch_all(ex).await?)
}

/// Hands `each` the stage clocks with a service level owned by the agency or the bank (those
/// that ended, and those still running that close of business flagged breached), a file's
/// clocks together and in the order they opened. Streamed, not collected: a national funnel
/// over a million files' histories reads millions of clocks, which the caller folds as they
/// come.
pub async fn for_each_clock<'e, E>(
    ex: E,
    f: &ReportFilter,
    states: Option<&[&str]>,
    mut each: impl FnMut(Clock),
) -> Result<(), StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    use futures_util::TryStreamExt;

    let mut w = filtered(f, states);
    w.raw("st.owner in ('agency', 'bank')")
        .raw("st.target_working_days is not null")
        .raw("(st.ended_at is not null or st.is_breached = 1)");
    let sql = format!(
        "select st.application_id, a.tracking_code, st.state, a.state as file_state, \
         st.started_at, st.ended_at, st.target_working_days, st.due_on, st.is_breached \
         from stage_timing st join application a on a.id = st.application_id{} \
         order by st.application_id, st.id",
        w.sql()
    );
    let mut rows = w.apply_as(sqlx::query_as::<_, Clock>(&sql)).fetch(ex);
    while let Some(clock) = rows.try_next().await? {
        each(clock);
    }
    Ok(())
}

/// Complaints or appeals about the files of the filter, of one kind.
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct ComplaintCount {
    /// `complaint` or `appeal`.
    pub kind: String,
    /// How many were filed.
    pub filed: i64,
    /// How many were answered.
    pub answered: i64,
    /// How many wait for their answer.
    pub open: i64,
    /// How many passed their service level unanswered (escalated by close of business).
    pub breached: i64,
    /// How many were upheld.
    pub upheld: i64,
}

/// Complaints and appeals about the files of the filter, per kind.
pub async fn complaints<'e, E>(ex: E, f: &ReportFilter) -> Result<Vec<ComplaintCount>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let mut w = Where::default();
    f.conditions(&mut w, COLUMNS);
    let sql = format!(
        "select c.kind as kind, count(*) as filed, \
         sum(case when c.status = 'answered' then 1 else 0 end) as answered, \
         sum(case when c.status = 'open' then 1 else 0 end) as open, \
         sum(case when c.escalated_at is not null then 1 else 0 end) as breached, \
         sum(case when c.outcome = 'upheld' then 1 else 0 end) as upheld \
         from complaint c join application a on a.id = c.application_id{} \
         group by c.kind order by c.kind",
        w.sql()
    );
    Ok(w.apply_as(sqlx::query_as(&sql)).fetch_all(ex).await?)
}
