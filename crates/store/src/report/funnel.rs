//! The funnel: for the files registered in the range (`a.submitted_at`, instants), how many
//! reached each stage and how many are in it now; the stage clocks with a service level that
//! the use cases fold into stays (`tally`); complaints.

use sqlx::FromRow;

use super::{Columns, ReportFilter, STAGE_BITS, Where};
use crate::{Flag, StoreError, Tx};

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

/// One interval of a stage clock with a service level owned by the agency or the bank, with
/// what the funnel's tally needs of its file.
#[derive(Clone, Debug, FromRow)]
pub struct Clock {
    /// The file.
    pub application_id: i64,
    /// The stage.
    pub state: String,
    /// The file's state now (a stage the file is still in has not been left).
    pub file_state: String,
    /// The file's registration instant (RFC 3339).
    pub submitted_at: String,
    /// The file's province.
    pub province_code: String,
    /// The bank of the file's latest referral.
    pub bank_id: Option<i64>,
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

const CLOCKS: &str = "select st.application_id, st.state, a.state as file_state, a.submitted_at, \
     a.province_code, a.bank_id, st.started_at, st.ended_at, st.target_working_days, st.due_on, \
     st.is_breached from stage_timing st join application a on a.id = st.application_id \
     where st.owner in ('agency', 'bank') and st.target_working_days is not null";

/// The stage clocks with a service level of one file, in the order they opened.
pub async fn clocks_of(tx: &mut Tx, application_id: i64) -> Result<Vec<Clock>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{CLOCKS} and st.application_id = $1 order by st.id"
    ))
    .bind(application_id)
    .fetch_all(&mut **tx)
    .await?)
}

/// The files of the filter per stage: how many had a stage clock in each state (each file
/// once per state, from the stages each file has reached: migration 0014), and how many are
/// in each state now. `states` limits the stages entered (a bank sees the funnel from referral
/// on); a stage no file reached, or none is in, has no row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StageCounts {
    /// Files that reached each state.
    pub entered: Vec<StateCount>,
    /// Files in each state now.
    pub current: Vec<StateCount>,
}

/// [`StageCounts`] of the filter's files, from an index of the file's stages reached and
/// state (migration 0020 has one for a range of registrations and one for a bank). PostgreSQL
/// counts both in one pass (hash aggregation); SQLite in two, each grouped in the order of an
/// index (`application_report_groups` by stages reached, `application_state` by state), which
/// is several times faster there than one pass sorting a million groups.
pub async fn stage_counts(
    pool: &sqlx::AnyPool,
    backend: crate::Backend,
    f: &ReportFilter,
    states: Option<&[&str]>,
) -> Result<StageCounts, StoreError> {
    let mut w = Where::default();
    f.conditions(&mut w, COLUMNS);
    let groups: Vec<(i64, String, i64)> = match backend {
        crate::Backend::Postgres => {
            let sql = format!(
                "select a.stages_reached, a.state, count(*) as files from application a{} \
                 group by a.stages_reached, a.state",
                w.sql()
            );
            w.apply_as(sqlx::query_as(&sql)).fetch_all(pool).await?
        }
        crate::Backend::Sqlite => {
            let reached = format!(
                "select a.stages_reached, '', count(*) as files from application a{} \
                 group by a.stages_reached",
                w.sql()
            );
            let now = format!(
                "select 0, a.state, count(*) as files from application a{} group by a.state",
                w.sql()
            );
            let mut g: Vec<(i64, String, i64)> =
                w.apply_as(sqlx::query_as(&reached)).fetch_all(pool).await?;
            g.extend(
                w.apply_as(sqlx::query_as::<_, (i64, String, i64)>(&now))
                    .fetch_all(pool)
                    .await?,
            );
            g
        }
    };
    let entered = STAGE_BITS
        .iter()
        .filter(|(state, _)| states.is_none_or(|s| s.contains(state)))
        .map(|(state, bit)| StateCount {
            state: (*state).to_string(),
            files: groups
                .iter()
                .filter(|(m, _, _)| m & bit != 0)
                .map(|(_, _, n)| n)
                .sum(),
        })
        .filter(|c| c.files > 0)
        .collect();
    let mut current: std::collections::BTreeMap<&str, i64> = Default::default();
    for (_, state, n) in groups.iter().filter(|(_, s, _)| !s.is_empty()) {
        *current.entry(state.as_str()).or_default() += n;
    }
    Ok(StageCounts {
        entered,
        current: current
            .into_iter()
            .map(|(state, files)| StateCount {
                state: state.to_string(),
                files,
            })
            .collect(),
    })
}

/// The stage clocks with a service level (ended or running) of the files with ids in
/// `(after, upto]`, a file's clocks together and in the order they opened: the tally is built
/// again from every clock a range at a time.
pub async fn clocks_between(tx: &mut Tx, after: i64, upto: i64) -> Result<Vec<Clock>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{CLOCKS} and st.application_id > $1 and st.application_id <= $2 \
         order by st.application_id, st.id"
    ))
    .bind(after)
    .bind(upto)
    .fetch_all(&mut **tx)
    .await?)
}

/// The files of the given stage clocks, each once, in order.
pub async fn files_of_clocks(tx: &mut Tx, clock_ids: &[i64]) -> Result<Vec<i64>, StoreError> {
    let mut files = Vec::new();
    for chunk in clock_ids.chunks(500) {
        let sql = format!(
            "select distinct application_id from stage_timing where id in ({})",
            crate::cob::placeholders(1, chunk.len())
        );
        let sql = crate::cob::for_engine(tx, &sql);
        let mut q = sqlx::query_scalar::<_, i64>(&sql);
        for id in chunk {
            q = q.bind(id);
        }
        files.extend(q.fetch_all(&mut **tx).await?);
    }
    files.sort_unstable();
    files.dedup();
    Ok(files)
}

/// The largest file id (0 when there is none).
pub async fn last_file(tx: &mut Tx) -> Result<i64, StoreError> {
    let id: Option<i64> = sqlx::query_scalar("select max(id) from application")
        .fetch_one(&mut **tx)
        .await?;
    Ok(id.unwrap_or(0))
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
