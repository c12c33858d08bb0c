//! The reference data nearly every request reads — counties, the holiday calendar, the
//! programs' settings — kept parsed in memory per process until the database says it changed.
//!
//! Every write to `province`, `county`, `holiday`, `program` or `program_loan_type` bumps
//! `reference_version` by trigger (migration 0008), whoever writes it: the admin pages, the
//! command line, another server process, or SQL typed by hand. Each read here first reads that
//! one number (a primary-key lookup) and reloads what it needs when the number moved, so a
//! registration reads one tiny row instead of loading three tables, and no process ever works
//! from settings older than the last committed change. A use case run on a pinned context
//! ([`Ctx::pinned`]) reads that number once, at its first read of reference data (or takes it
//! from its first statement, which read it beside what it came for: a loan's read,
//! [`Ctx::pin_reference`]), and every later read in it uses the same version.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use vamyar_calendar::WorkingCalendar;
use vamyar_store::program::{LoanType, Program};
use vamyar_store::reference::County;

use crate::Ctx;
use crate::error::Result;

/// The parsed reference data of one process (one per [`Ctx`] family; cheap to share).
#[derive(Debug, Default)]
pub struct ReferenceCache {
    cached: Mutex<Cached>,
    /// The installation's keys by name, once read (they never change).
    keys: Mutex<HashMap<&'static str, [u8; 32]>>,
}

/// A program's row and its loan types.
pub type ProgramRows = (Program, Vec<LoanType>);

#[derive(Debug, Default)]
struct Cached {
    /// The `reference_version` everything below was loaded at (or after).
    version: Option<i64>,
    counties: Option<Arc<Vec<County>>>,
    /// The holiday calendar around each "today" asked for (weekend not applied).
    calendars: HashMap<NaiveDate, WorkingCalendar>,
    programs: HashMap<i64, Option<ProgramRows>>,
}

impl ReferenceCache {
    /// What `f` finds in the cache when it was loaded at `version` (nothing otherwise).
    fn at<T>(&self, version: i64, f: impl FnOnce(&Cached) -> Option<T>) -> Option<T> {
        let cached = self.cached.lock().unwrap_or_else(|e| e.into_inner());
        if cached.version == Some(version) {
            f(&cached)
        } else {
            None
        }
    }

    /// Keeps `f`'s change only when the cache is still at `version` (a reader that loaded
    /// before a newer change was seen must not store its older copy over the newer version).
    fn store(&self, version: i64, f: impl FnOnce(&mut Cached)) {
        let mut cached = self.cached.lock().unwrap_or_else(|e| e.into_inner());
        if cached.version.is_none_or(|v| v <= version) {
            if cached.version != Some(version) {
                *cached = Cached {
                    version: Some(version),
                    ..Cached::default()
                };
            }
            f(&mut cached);
        }
    }
}

/// The version of the reference data: the context's pinned one ([`Ctx::pinned`]), read at
/// its first use, or else the database's now.
async fn version(ctx: &Ctx) -> Result<i64> {
    match &ctx.reference_pin {
        Some(pin) => Ok(*pin
            .get_or_try_init(|| vamyar_store::reference::version(&ctx.db))
            .await?),
        None => Ok(vamyar_store::reference::version(&ctx.db).await?),
    }
}

/// Every county, in code order.
pub async fn counties(ctx: &Ctx) -> Result<Arc<Vec<County>>> {
    let version = version(ctx).await?;
    if let Some(c) = ctx.reference.at(version, |c| c.counties.clone()) {
        return Ok(c);
    }
    let loaded = Arc::new(vamyar_store::reference::counties(&ctx.db).await?);
    ctx.reference
        .store(version, |c| c.counties = Some(loaded.clone()));
    Ok(loaded)
}

/// One county by code.
pub async fn county(ctx: &Ctx, code: &str) -> Result<Option<County>> {
    Ok(counties(ctx)
        .await?
        .iter()
        .find(|c| c.code == code)
        .cloned())
}

/// The holiday calendar around `today` (fixed solar holidays and the holiday table), without
/// the weekend, which [`Ctx::calendar`] applies from the settings.
pub async fn holidays(ctx: &Ctx, today: NaiveDate) -> Result<WorkingCalendar> {
    let version = version(ctx).await?;
    if let Some(c) = ctx
        .reference
        .at(version, |c| c.calendars.get(&today).cloned())
    {
        return Ok(c);
    }
    let loaded = vamyar_store::reference::working_calendar(&ctx.db, today).await?;
    ctx.reference.store(version, |c| {
        c.calendars.insert(today, loaded.clone());
    });
    Ok(loaded)
}

/// A program's row and loan types (`None`: no such program); parsed into settings by
/// `files::ProgramSettings::load`.
pub async fn program(ctx: &Ctx, id: i64) -> Result<Option<ProgramRows>> {
    let version = version(ctx).await?;
    if let Some(p) = ctx.reference.at(version, |c| c.programs.get(&id).cloned()) {
        return Ok(p);
    }
    let loaded = match vamyar_store::program::get(ctx.db.pool(), id).await? {
        Some(program) => Some((
            program,
            vamyar_store::program::loan_types(ctx.db.pool(), id).await?,
        )),
        None => None,
    };
    ctx.reference.store(version, |c| {
        c.programs.insert(id, loaded.clone());
    });
    Ok(loaded)
}

/// The installation's key for tracking codes ([`vamyar_domain::primitives::TrackingCode::for_sequence`]),
/// made by the first server that needs it.
pub async fn tracking_key(ctx: &Ctx) -> Result<[u8; 32]> {
    installation_key(ctx, vamyar_store::secret::TRACKING_CODE).await
}

/// The installation's secret `name` (`vamyar_store::secret`), made by the first server that
/// needs it and kept in memory once read.
pub async fn installation_key(ctx: &Ctx, name: &'static str) -> Result<[u8; 32]> {
    let known = ctx
        .reference
        .keys
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(name)
        .copied();
    if let Some(key) = known {
        return Ok(key);
    }
    let key = vamyar_store::secret::get_or_create(&ctx.db, name).await?;
    ctx.reference
        .keys
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(name, key);
    Ok(key)
}
