//! The funnel's times kept as files move (migration 0020): each file's stay in each stage
//! (`funnel_stay`), and per registration month, province, bank, stage and working days how
//! many stays left the stage and how many on time (`funnel_tally`, with the changes not yet
//! folded in `funnel_tally_delta`). The use cases decide what a stay is
//! (`vamyar_app::reports::stays`); this module reads and writes the rows.

use std::collections::BTreeMap;

use sqlx::FromRow;

use super::Columns;
use crate::{Flag, StoreError, Tx, time};

mod read;

pub use read::{BreachRow, TallyRange, breaches, read_stays, read_tally};

pub(crate) const COLUMNS: Columns = Columns {
    date: "a.submitted_at",
    to_exclusive: true,
    bank: "a.bank_id",
    province: "a.province_code",
};

/// The same filter read from the stay's own copies (for dates, province and bank alone).
pub(crate) const STAY_COLUMNS: Columns = Columns {
    date: "s.submitted_at",
    to_exclusive: true,
    bank: "s.bank_id",
    province: "s.province_code",
};

/// A file's stay in one stage with a service level owned by the agency or the bank.
#[derive(Clone, Debug, Default, PartialEq, Eq, FromRow)]
pub struct StayRow {
    /// The file.
    pub application_id: i64,
    /// The stage.
    pub state: String,
    /// The file's registration month (Jalali `yyyymm`).
    pub reg_month: i64,
    /// The file's registration instant (RFC 3339).
    pub submitted_at: String,
    /// The file's province.
    pub province_code: String,
    /// The bank of the file's latest referral, 0 for none.
    pub bank_id: i64,
    /// Working days of the stay's ended intervals.
    pub working_days: i64,
    /// Start (RFC 3339) of the interval still running, if any.
    pub running_since: Option<String>,
    /// The stage's target in working days (the largest of its intervals).
    pub target_working_days: i64,
    /// The latest due date of its intervals (ISO).
    pub due_on: Option<String>,
    /// The latest end day of its intervals (ISO, Tehran).
    pub ended_on: Option<String>,
    /// The file has left the stage.
    #[sqlx(try_from = "Flag")]
    pub left_stage: bool,
    /// An interval was flagged breached or ended after its due date.
    #[sqlx(try_from = "Flag")]
    pub breached: bool,
}

impl StayRow {
    /// What the stay adds to the tally: its key and whether it was on time, when it left.
    pub fn counted(&self) -> Option<(TallyKey, bool)> {
        self.left_stage.then(|| {
            (
                TallyKey {
                    reg_month: self.reg_month,
                    province_code: self.province_code.clone(),
                    bank_id: self.bank_id,
                    state: self.state.clone(),
                    working_days: self.working_days,
                },
                !self.breached,
            )
        })
    }
}

/// Where a stay is counted in the tally.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TallyKey {
    /// Registration month (Jalali `yyyymm`).
    pub reg_month: i64,
    /// Province.
    pub province_code: String,
    /// Bank, 0 for none.
    pub bank_id: i64,
    /// Stage.
    pub state: String,
    /// Working days spent in it.
    pub working_days: i64,
}

/// Counts under one key: stays that left, and those of them on time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Stays that left the stage.
    pub files: i64,
    /// Of them, on time.
    pub on_time: i64,
}

/// Changes to the tally, by key (zero changes are dropped when written).
pub type Deltas = BTreeMap<TallyKey, Counts>;

/// Adds (`sign` 1) or removes (`sign` -1) a stay's part of the tally.
pub fn count(deltas: &mut Deltas, stay: &StayRow, sign: i64) {
    if let Some((key, on_time)) = stay.counted() {
        let c = deltas.entry(key).or_default();
        c.files += sign;
        c.on_time += sign * i64::from(on_time);
    }
}

/// Per stage, working days → counts.
pub type Histograms = BTreeMap<String, BTreeMap<i64, Counts>>;

/// The stays of one file, in stage order.
pub async fn stays_of(tx: &mut Tx, application_id: i64) -> Result<Vec<StayRow>, StoreError> {
    Ok(sqlx::query_as(
        "select application_id, state, reg_month, submitted_at, province_code, bank_id, \
         working_days, running_since, target_working_days, due_on, ended_on, left_stage, \
         breached from funnel_stay where application_id = $1 order by state",
    )
    .bind(application_id)
    .fetch_all(&mut **tx)
    .await?)
}

/// Writes a stay (inserted or replaced).
pub async fn put_stay(tx: &mut Tx, s: &StayRow) -> Result<(), StoreError> {
    sqlx::query(
        "insert into funnel_stay (application_id, state, reg_month, submitted_at, \
         province_code, bank_id, working_days, running_since, target_working_days, due_on, \
         ended_on, left_stage, breached, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
         on conflict (application_id, state) do update set reg_month = excluded.reg_month, \
         submitted_at = excluded.submitted_at, province_code = excluded.province_code, bank_id = excluded.bank_id, \
         working_days = excluded.working_days, running_since = excluded.running_since, \
         target_working_days = excluded.target_working_days, due_on = excluded.due_on, \
         ended_on = excluded.ended_on, left_stage = excluded.left_stage, \
         breached = excluded.breached",
    )
    .bind(s.application_id)
    .bind(&s.state)
    .bind(s.reg_month)
    .bind(&s.submitted_at)
    .bind(&s.province_code)
    .bind(s.bank_id)
    .bind(s.working_days)
    .bind(&s.running_since)
    .bind(s.target_working_days)
    .bind(&s.due_on)
    .bind(&s.ended_on)
    .bind(i64::from(s.left_stage))
    .bind(i64::from(s.breached))
    .bind(time::now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes a stay (the file came back to the stage: it counts again once it leaves).
pub async fn delete_stay(tx: &mut Tx, application_id: i64, state: &str) -> Result<(), StoreError> {
    sqlx::query("delete from funnel_stay where application_id = $1 and state = $2")
        .bind(application_id)
        .bind(state)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Writes one row per non-zero change with `sql`, whose placeholders take the key's five
/// columns, the two counts and the time (keys in order, so two writers cannot deadlock).
async fn write_counts(tx: &mut Tx, sql: &str, deltas: &Deltas) -> Result<(), StoreError> {
    let now = time::now();
    for (k, c) in deltas.iter().filter(|(_, c)| **c != Counts::default()) {
        sqlx::query(sql)
            .bind(k.reg_month)
            .bind(&k.province_code)
            .bind(k.bank_id)
            .bind(&k.state)
            .bind(k.working_days)
            .bind(c.files)
            .bind(c.on_time)
            .bind(&now)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Appends the non-zero changes to `funnel_tally_delta`.
pub async fn add_deltas(tx: &mut Tx, deltas: &Deltas) -> Result<(), StoreError> {
    write_counts(
        tx,
        "insert into funnel_tally_delta (reg_month, province_code, bank_id, state, \
         working_days, files, on_time, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8)",
        deltas,
    )
    .await
}

/// Adds `deltas` to `funnel_tally` itself (a fold; a rebuild, after [`clear`]), then drops
/// the rows left at zero.
pub async fn add_to_tally(tx: &mut Tx, deltas: &Deltas) -> Result<(), StoreError> {
    write_counts(
        tx,
        "insert into funnel_tally (reg_month, province_code, bank_id, state, working_days, \
         files, on_time, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8) \
         on conflict (reg_month, province_code, bank_id, state, working_days) do update \
         set files = funnel_tally.files + excluded.files, \
         on_time = funnel_tally.on_time + excluded.on_time",
        deltas,
    )
    .await?;
    sqlx::query("delete from funnel_tally where files = 0 and on_time = 0")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Folds up to `limit` appended changes into the tally; returns how many (0 when none). Rows
/// are deleted and summed by the same statement, so a change committed meanwhile is folded
/// now or next time, never lost nor counted twice.
pub async fn fold(tx: &mut Tx, limit: usize) -> Result<u64, StoreError> {
    let ids: Vec<i64> =
        sqlx::query_scalar("select id from funnel_tally_delta order by id limit $1")
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&mut **tx)
            .await?;
    let mut deltas = Deltas::new();
    let mut folded = 0;
    for chunk in ids.chunks(1000) {
        let sql = format!(
            "delete from funnel_tally_delta where id in ({}) returning reg_month, \
             province_code, bank_id, state, working_days, files, on_time",
            crate::cob::placeholders(1, chunk.len())
        );
        let sql = crate::cob::for_engine(tx, &sql);
        let mut q = sqlx::query_as::<_, (i64, String, i64, String, i64, i64, i64)>(&sql);
        for id in chunk {
            q = q.bind(id);
        }
        for (reg_month, province_code, bank_id, state, working_days, files, on_time) in
            q.fetch_all(&mut **tx).await?
        {
            folded += 1;
            let c = deltas
                .entry(TallyKey {
                    reg_month,
                    province_code,
                    bank_id,
                    state,
                    working_days,
                })
                .or_default();
            c.files += files;
            c.on_time += on_time;
        }
    }
    add_to_tally(tx, &deltas).await?;
    Ok(folded)
}

/// Empties the stays and the tally (before [`bulk_stays`] and [`add_to_tally`] build them
/// again from every stage clock).
pub async fn clear(tx: &mut Tx) -> Result<(), StoreError> {
    for table in ["funnel_tally_delta", "funnel_tally", "funnel_stay"] {
        sqlx::query(&format!("delete from {table}"))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Inserts many stays at once (a rebuild; no row of them may exist yet).
pub async fn bulk_stays(tx: &mut Tx, stays: &[StayRow]) -> Result<(), StoreError> {
    use crate::synthetic::Value;
    let text = |s: &Option<String>| s.clone().map_or(Value::Null, Value::Text);
    let now = time::now();
    let rows: Vec<Vec<Value>> = stays
        .iter()
        .map(|s| {
            vec![
                Value::Int(s.application_id),
                Value::Text(s.state.clone()),
                Value::Int(s.reg_month),
                Value::Text(s.submitted_at.clone()),
                Value::Text(s.province_code.clone()),
                Value::Int(s.bank_id),
                Value::Int(s.working_days),
                text(&s.running_since),
                Value::Int(s.target_working_days),
                text(&s.due_on),
                text(&s.ended_on),
                Value::Int(i64::from(s.left_stage)),
                Value::Int(i64::from(s.breached)),
                Value::Text(now.clone()),
            ]
        })
        .collect();
    crate::synthetic::insert(
        tx,
        "funnel_stay",
        &[
            "application_id",
            "state",
            "reg_month",
            "submitted_at",
            "province_code",
            "bank_id",
            "working_days",
            "running_since",
            "target_working_days",
            "due_on",
            "ended_on",
            "left_stage",
            "breached",
            "created_at",
        ],
        &rows,
        500,
    )
    .await
}

/// Whether the stays and tally hold every stage clock (migration 0020's `report_build`).
pub async fn is_built<'e, E>(ex: E) -> Result<bool, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let built: Option<i64> =
        sqlx::query_scalar("select built from report_build where name = 'funnel'")
            .fetch_optional(ex)
            .await?;
    Ok(built == Some(1))
}

/// Reads whether the funnel is built, taking the marker's row lock on PostgreSQL (SQLite's write
/// transaction is exclusive already), so that of two processes building at once the second
/// waits and then sees it built.
pub async fn lock_marker(tx: &mut Tx, backend: crate::Backend) -> Result<bool, StoreError> {
    let sql = match backend {
        crate::Backend::Postgres => {
            "select built from report_build where name = 'funnel' for update"
        }
        crate::Backend::Sqlite => "select built from report_build where name = 'funnel'",
    };
    let built: Option<i64> = sqlx::query_scalar(sql).fetch_optional(&mut **tx).await?;
    Ok(built == Some(1))
}

/// Sets the marker.
pub async fn mark_built(tx: &mut Tx, built: bool) -> Result<(), StoreError> {
    sqlx::query("update report_build set built = $1 where name = 'funnel'")
        .bind(i64::from(built))
        .execute(&mut **tx)
        .await?;
    Ok(())
}
