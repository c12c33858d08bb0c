//! Close of business (SPEC §4): the daily run over loans, referrals and service levels, as
//! `vamyar cob [--date]` and as `serve`'s background task.
//!
//! A run is for one business date `D`. It first catches up: every date after the last one
//! done, up to `D`, is run in order (the first run ever starts at `D`). A date already done
//! changes nothing. The steps of a date ([`day`]) run in bounded transactions; until the last
//! one commits the date's `cob_run` row stays `running`, and the next run redoes the date,
//! which is safe because every step is idempotent.
//!
//! Only one process runs at a time: the run holds the lease named [`LEASE`] (30 minutes,
//! renewed while it works). Before it returns, a run seals the audit log
//! (`vamyar_store::audit::seal_all`), so the day's audit rows are in the chain. The SQL is in
//! `vamyar_store::cob`; this layer adds the workflow (expiring referral letters goes through
//! the same transition code as a person's action).

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use vamyar_domain::vocab::CobRunStatus;
use vamyar_store::Db;
use vamyar_store::cob::{self, lease};

use crate::Ctx;
use crate::error::{Error, Result};

mod arrears;
pub mod complaints;
pub mod day;
pub mod escalation;
pub mod queue;
mod referrals;

pub use day::DaySummary;

/// The name of the lease that serialises runs.
pub const LEASE: &str = "cob";

/// How long a lease lasts unless renewed.
pub const LEASE_TTL_MINUTES: i64 = 30;

/// What a request to run a date came to.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The date was already done; nothing changed.
    AlreadyDone {
        /// The date asked for.
        date: NaiveDate,
    },
    /// A later date is already done; an earlier one is not run out of order.
    LaterDateDone {
        /// The date asked for.
        date: NaiveDate,
        /// The last date done.
        last_done: NaiveDate,
    },
    /// Another process holds the lease.
    Busy {
        /// Its holder id.
        holder: Option<String>,
    },
    /// These dates ran, in order.
    Ran {
        /// One summary per date.
        days: Vec<DaySummary>,
    },
}

/// A held lease, renewed as the work goes on.
pub struct HeldLease {
    db: Db,
    holder: String,
    renewed: std::time::Instant,
}

impl HeldLease {
    /// Renews the lease when a few minutes have passed since the last renewal; an error when
    /// it was lost (then another process may be running and this one must stop).
    pub async fn keep(&mut self) -> Result<()> {
        if self.renewed.elapsed() < std::time::Duration::from_secs(120) {
            return Ok(());
        }
        let ttl = Duration::minutes(LEASE_TTL_MINUTES);
        if !lease::renew(&self.db, LEASE, &self.holder, ttl).await? {
            return Err(Error::Internal("close-of-business lease lost".into()));
        }
        self.renewed = std::time::Instant::now();
        Ok(())
    }
}

/// The dates to run for a request for `date`, given the last date done: every date after
/// `last_done` up to `date`, or `date` alone the first time.
pub fn dates_to_run(last_done: Option<NaiveDate>, date: NaiveDate) -> Vec<NaiveDate> {
    let first = match last_done {
        Some(last) if last < date => last + Duration::days(1),
        Some(_) => return Vec::new(),
        None => date,
    };
    first.iter_days().take_while(|d| *d <= date).collect()
}

/// Runs close of business for `date` (catching up missed dates first), as `holder`.
pub async fn run(ctx: &Ctx, date: NaiveDate, holder: &str) -> Result<Outcome> {
    let db = &ctx.db;
    let iso = vamyar_store::time::date(date);
    if cob::run(db.pool(), &iso)
        .await?
        .is_some_and(|r| r.status == CobRunStatus::Done)
    {
        return Ok(Outcome::AlreadyDone { date });
    }
    let ttl = Duration::minutes(LEASE_TTL_MINUTES);
    if !lease::acquire(db, LEASE, holder, ttl).await? {
        return Ok(Outcome::Busy {
            holder: lease::holder(db, LEASE).await?,
        });
    }
    let mut held = HeldLease {
        db: db.clone(),
        holder: holder.to_string(),
        renewed: std::time::Instant::now(),
    };
    let result = run_held(ctx, date, &mut held).await;
    if let Err(e) = lease::release(db, LEASE, holder).await {
        tracing::warn!(error = %e, "releasing the close-of-business lease");
    }
    result
}

async fn run_held(ctx: &Ctx, date: NaiveDate, held: &mut HeldLease) -> Result<Outcome> {
    let db = &ctx.db;
    // re-read under the lease: another process may have finished meanwhile
    let iso = vamyar_store::time::date(date);
    if cob::run(db.pool(), &iso)
        .await?
        .is_some_and(|r| r.status == CobRunStatus::Done)
    {
        return Ok(Outcome::AlreadyDone { date });
    }
    let last_done = match cob::last_done(db.pool()).await? {
        Some(s) => Some(vamyar_store::time::parse_date(&s)?),
        None => None,
    };
    let dates = dates_to_run(last_done, date);
    if dates.is_empty() {
        return Ok(match last_done {
            Some(last) => Outcome::LaterDateDone {
                date,
                last_done: last,
            },
            None => Outcome::AlreadyDone { date },
        });
    }
    let mut days = Vec::with_capacity(dates.len());
    for d in dates {
        match day::run_day(ctx, d, held).await {
            Ok(summary) => days.push(summary),
            Err(e) => {
                let mut tx = db.begin().await?;
                cob::fail(&mut tx, &vamyar_store::time::date(d)).await?;
                tx.commit().await?;
                return Err(e);
            }
        }
    }
    // the run's audit rows (and everyone else's) join the chain before it reports done
    let sealed = vamyar_store::audit::seal_all(db).await?;
    tracing::debug!(rows = sealed, "close of business sealed the audit log");
    Ok(Outcome::Ran { days })
}

/// `serve`'s background task: every `every`, runs close of business for today (Tehran)
/// unless it is done. Errors are logged and retried at the next tick. Never returns.
pub async fn daily(ctx: Ctx, every: std::time::Duration) {
    let holder = format!("serve-{}-{}", std::process::id(), uuid::Uuid::new_v4());
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let today = ctx.today();
        let iso = vamyar_store::time::date(today);
        match cob::run(ctx.db.pool(), &iso).await {
            Ok(Some(r)) if r.status == CobRunStatus::Done => continue,
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "close of business: reading the run");
                continue;
            }
        }
        match run(&ctx, today, &holder).await {
            Ok(Outcome::Ran { days }) => {
                for d in &days {
                    tracing::info!(date = %d.date, seconds = d.seconds, "close of business done");
                }
            }
            Ok(Outcome::Busy { .. }) => {
                tracing::debug!("close of business runs in another process")
            }
            Ok(other) => tracing::debug!(?other, "close of business: nothing to do"),
            Err(e) => tracing::error!(error = %e, "close of business failed; retrying later"),
        }
    }
}

/// How many of the run's write transactions go side by side: two on PostgreSQL (a server
/// process each, on the machine's cores), one on SQLite, whose writes go one at a time.
fn side_by_side(ctx: &Ctx) -> usize {
    if ctx.db.backend() == vamyar_store::Backend::Postgres {
        2
    } else {
        1
    }
}

/// One audit row for a batch that changed `n` rows (none when nothing changed).
async fn audit_batch(
    tx: &mut vamyar_store::Tx,
    action: &str,
    date: &str,
    n: u64,
    ids: &[i64],
) -> Result<()> {
    if n == 0 {
        return Ok(());
    }
    let mut entry = vamyar_store::audit::Entry::system(action.to_string(), "cob_run").on(date);
    entry.detail = serde_json::json!({
        "count": n,
        "first_id": ids.first(),
        "last_id": ids.last(),
    });
    vamyar_store::audit::append(tx, &entry).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn missed_dates_are_caught_up_in_order() {
        assert_eq!(dates_to_run(None, d("2026-03-05")), vec![d("2026-03-05")]);
        assert_eq!(
            dates_to_run(Some(d("2026-03-02")), d("2026-03-05")),
            vec![d("2026-03-03"), d("2026-03-04"), d("2026-03-05")]
        );
        assert!(dates_to_run(Some(d("2026-03-05")), d("2026-03-05")).is_empty());
        assert!(dates_to_run(Some(d("2026-03-06")), d("2026-03-05")).is_empty());
    }

    #[test]
    fn tehran_is_three_and_a_half_hours_ahead() {
        assert_eq!(vamyar_calendar::tehran().local_minus_utc(), 12_600);
    }
}
