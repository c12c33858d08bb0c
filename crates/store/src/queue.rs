//! The staff queue, read a page at a time in the order of the stored rank
//! (`vamyar_domain::queue_key`): one indexed range scan per page, whatever the number of files.

use crate::application::{Application, SELECT};
use crate::{StoreError, Tx};

/// The files still in the queue (the predicate of the queue's partial indexes).
pub const OPEN: &str = "a.state not in ('rejected', 'withdrawn', 'closed')";

/// Open files still waiting to be served (no loan disbursed yet): the ones whose rank moves
/// once they pass the waiting cap (`vamyar_domain::queue_key`). The predicate of the partial
/// index `application_capped`, word for word.
pub const WAITING: &str =
    "state not in ('rejected', 'withdrawn', 'closed', 'active', 'accelerated')";

/// Which files a queue page holds: the caller's scope, the filters, where the page starts.
#[derive(Clone, Debug, Default)]
pub struct QueueFilter {
    /// Only this province.
    pub province_code: Option<String>,
    /// Only this county.
    pub county_code: Option<String>,
    /// Only files whose latest referral is to this bank.
    pub bank_id: Option<i64>,
    /// Only this branch.
    pub branch_id: Option<i64>,
    /// Only this state (none: every open state).
    pub state: Option<String>,
    /// Only files whose current stage has (true) or has not (false) breached its level.
    pub breached: Option<bool>,
    /// Only files of these programs (none: every program).
    pub programs: Option<Vec<i64>>,
    /// Only files after this `(queue_rank, submitted_at, id)` in the queue's order.
    pub after: Option<(i64, String, i64)>,
    /// At most this many rows.
    pub limit: i64,
}

/// One page of the queue: the files matching `f`, lowest rank first (highest priority), then
/// the oldest submission, then the lowest id.
pub async fn page<'e, E>(ex: E, f: &QueueFilter) -> Result<Vec<Application>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let mut sql = format!("{SELECT} where {OPEN}");
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if f.province_code.is_some() {
        sql.push_str(&format!(" and a.province_code = {}", next()));
    }
    if f.county_code.is_some() {
        sql.push_str(&format!(" and a.county_code = {}", next()));
    }
    if f.bank_id.is_some() {
        sql.push_str(&format!(" and a.bank_id = {}", next()));
    }
    if f.branch_id.is_some() {
        sql.push_str(&format!(" and a.branch_id = {}", next()));
    }
    if f.state.is_some() {
        sql.push_str(&format!(" and a.state = {}", next()));
    }
    match f.breached {
        Some(true) => sql.push_str(" and a.is_breached = 1"),
        Some(false) => sql.push_str(" and a.is_breached = 0"),
        None => {}
    }
    let programs = f.programs.as_deref().unwrap_or_default();
    if f.programs.is_some() {
        let marks: Vec<String> = programs.iter().map(|_| next()).collect();
        sql.push_str(&format!(" and a.program_id in ({})", marks.join(", ")));
    }
    if f.after.is_some() {
        let (r, s, i) = (next(), next(), next());
        sql.push_str(&format!(
            " and (a.queue_rank, a.submitted_at, a.id) > ({r}, {s}, {i})"
        ));
    }
    sql.push_str(&format!(
        " order by a.queue_rank, a.submitted_at, a.id limit {}",
        f.limit.clamp(1, 5000)
    ));
    let mut q = sqlx::query_as::<_, Application>(&sql);
    for v in [&f.province_code, &f.county_code].into_iter().flatten() {
        q = q.bind(v);
    }
    for v in [f.bank_id, f.branch_id].into_iter().flatten() {
        q = q.bind(v);
    }
    if let Some(v) = &f.state {
        q = q.bind(v);
    }
    for p in programs {
        q = q.bind(*p);
    }
    if let Some((r, s, i)) = &f.after {
        q = q.bind(*r).bind(s).bind(*i);
    }
    Ok(q.fetch_all(ex).await?)
}

/// Moves the waiting files of `program_id` that waited `cap_days` or more on day `today` to
/// their capped rank (`per_day × today − static − per_day × cap_days`); returns how many
/// changed. Close of business runs it each day: a capped file's waiting points stop growing,
/// so its rank grows by `per_day` a day while the others' stays put. Served files (loan
/// disbursed) keep their rank in the band after the waiting ones and are not read.
pub async fn rerank_capped(
    tx: &mut Tx,
    program_id: i64,
    per_day: i64,
    cap_days: i64,
    today: i64,
) -> Result<u64, StoreError> {
    let done = sqlx::query(&format!(
        "update application set queue_rank = $1 * $2 - priority_score - $1 * $3 \
         where program_id = $4 and submitted_day <= $5 and {WAITING} \
         and queue_rank <> $1 * $2 - priority_score - $1 * $3"
    ))
    .bind(per_day)
    .bind(today)
    .bind(cap_days)
    .bind(program_id)
    .bind(today - cap_days)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Sets the rank of the open files of `program_id` from their static score and submission day
/// on `today` (after the program's waiting weights change; served files in the band after the
/// waiting ones, `vamyar_domain::queue_key::SERVED`); returns how many rows were written.
pub async fn rerank_program(
    tx: &mut Tx,
    program_id: i64,
    per_day: i64,
    cap_days: i64,
    today: i64,
) -> Result<u64, StoreError> {
    let done = sqlx::query(&format!(
        "update application set queue_rank = case \
         when state in ('active', 'accelerated') then $5 + $2 * submitted_day - priority_score \
         when submitted_day <= $1 - $3 then $2 * $1 - priority_score - $2 * $3 \
         else $2 * submitted_day - priority_score end \
         where program_id = $4 and {}",
        OPEN.replace("a.", "")
    ))
    .bind(today)
    .bind(per_day)
    .bind(cap_days)
    .bind(program_id)
    .bind(vamyar_domain::queue_key::SERVED)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Which open files to read again for their priority.
#[derive(Clone, Copy, Debug)]
pub enum OpenFiles<'a> {
    /// The files of a program.
    Program(i64),
    /// The files registered in a county.
    County(&'a str),
    /// The files of the person with this national ID.
    NationalId(&'a str),
}

/// The open files selected by `which` (inside the caller's transaction, so that the caller's
/// uncommitted change is what they are scored with).
pub async fn open_files(tx: &mut Tx, which: OpenFiles<'_>) -> Result<Vec<Application>, StoreError> {
    let condition = match which {
        OpenFiles::Program(_) => "a.program_id = $1",
        OpenFiles::County(_) => "a.county_code = $1",
        OpenFiles::NationalId(_) => "a.person_id in (select id from person where national_id = $1)",
    };
    let sql = format!("{SELECT} where {OPEN} and {condition} order by a.id");
    let q = sqlx::query_as::<_, Application>(&sql);
    let q = match which {
        OpenFiles::Program(id) => q.bind(id),
        OpenFiles::County(code) | OpenFiles::NationalId(code) => q.bind(code.to_string()),
    };
    Ok(q.fetch_all(&mut **tx).await?)
}
