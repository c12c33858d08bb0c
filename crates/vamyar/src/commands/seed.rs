//! `vamyar seed --applicants N [--loans] [--seed S] [--as-of DATE]`: synthetic data for load
//! tests, on top of the demo's program, banks and quotas (seeded first when missing).
//!
//! Without `--loans`: N applicants, each with a file waiting in an agency stage (submitted,
//! counselling or awaiting referral) whose service-level clock runs. With `--loans`: N
//! applicants, each with a disbursed, active loan of 36 monthly installments (flat fee, 4 %),
//! disbursed on a day spread uniformly over the 35 months before `--as-of` (default: today
//! in Tehran), so that about a thirtieth of the loans fall due on any date. The portfolio
//! looks as if close of business had run through the day before `--as-of`: installments due
//! before it are paid, except on about 5 % of the loans (1 to 6 installments overdue) and 3 %
//! of yesterday's (still `due`); that day's `cob_run` is recorded as done.
//! A loan's file carries the stage clocks of its way there (`seed/history.rs`): each stage
//! from submission to the bank's approval, 1 to 8 days long, then `active` since disbursement.
//!
//! The data are deterministic for a `--seed`: national IDs (with their check digit) come
//! from a bijection of the applicant's index, so different seeds (each up to 10,000,000
//! applicants) never collide; tracking codes come from the file ids as registration makes
//! them (under the installation's key, so a later registration never collides with one).
//! Schedules are generated
//! once per principal and due dates once per disbursement date, then reused.

use std::collections::HashMap;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use chrono::{Duration, NaiveDate};
use indicatif::{ProgressBar, ProgressStyle};
use rand::SeedableRng;
use rand::rngs::StdRng;
use vamyar_store::synthetic::{self, Value};
use vamyar_store::{Db, cob};

use crate::cli::SeedArgs;
use crate::config::Config;

mod columns;
mod history;
mod rows;

use rows::{Batch, Fixture, Shapes};

/// Applicants written per transaction.
const CHUNK: u64 = 1000;

/// Runs the command.
pub async fn run(config: &Config, args: SeedArgs) -> anyhow::Result<ExitCode> {
    if args.applicants == 0 {
        bail!("--applicants must be at least 1");
    }
    if args.applicants > rows::MAX_PER_SEED {
        bail!("at most {} applicants per --seed", rows::MAX_PER_SEED);
    }
    let as_of = match &args.as_of {
        Some(s) => vamyar_calendar::parse::parse_date(s)
            .map_err(|e| anyhow::anyhow!("--as-of `{s}`: {e}"))?,
        None => vamyar_app::Clock::system().today(),
    };
    let started = Instant::now();
    let db = super::open_database(config).await?;
    // the seed brings the demo's accounts and their published password
    vamyar_app::demo::check_target(&db, args.demo_force)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    vamyar_app::demo::seed(&db, vamyar_app::Clock::system().today())
        .await
        .context("seeding the demo program and banks")?;
    let fixture = Fixture::load(&db, as_of, args.seed, args.loans).await?;
    let shapes = Shapes::new(&fixture)?;
    let bar = ProgressBar::new(args.applicants);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} applicants ({per_sec}, eta {eta})",
        )
        .context("progress bar template")?,
    );
    let mut rng = StdRng::seed_from_u64(args.seed);
    let mut due_cache: HashMap<NaiveDate, Vec<NaiveDate>> = HashMap::new();
    let mut installments = 0_u64;
    let mut k = 0_u64;
    while k < args.applicants {
        let end = (k + CHUNK).min(args.applicants);
        let mut batch = Batch::default();
        for i in k..end {
            batch.add(&fixture, &shapes, &mut due_cache, &mut rng, i)?;
        }
        installments += batch.installments.len() as u64;
        write(&db, &batch).await?;
        bar.inc(end - k);
        k = end;
    }
    bar.finish();
    for table in ["person", "application", "referral", "loan", "installment"] {
        synthetic::advance_identity(&db, table).await?;
    }
    if args.loans {
        close_yesterday(&db, as_of).await?;
    }
    let tally_started = Instant::now();
    let stays = vamyar_app::reports::stays::rebuild(&super::app_ctx(config, &db))
        .await
        .context("building the funnel's tally")?;
    println!(
        "built the funnel's tally from the stage clocks: {stays} stays in {:.1} s",
        tally_started.elapsed().as_secs_f64()
    );
    synthetic::analyze(&db).await?;
    db.close().await;
    println!(
        "seeded {} applicants{} ({installments} installments) as of {as_of} in {:.1} s",
        args.applicants,
        if args.loans { " with active loans" } else { "" },
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes one batch in one transaction, parents before children.
async fn write(db: &Db, b: &Batch) -> anyhow::Result<()> {
    let mut tx = synthetic::begin_bulk(db).await?;
    synthetic::insert(&mut tx, "person", columns::PERSON_COLUMNS, &b.persons, 500).await?;
    synthetic::insert(
        &mut tx,
        "application",
        columns::APPLICATION_COLUMNS,
        &b.files,
        500,
    )
    .await?;
    synthetic::insert(
        &mut tx,
        "stage_timing",
        columns::STAGE_COLUMNS,
        &b.stages,
        1000,
    )
    .await?;
    synthetic::insert(
        &mut tx,
        "referral",
        columns::REFERRAL_COLUMNS,
        &b.referrals,
        500,
    )
    .await?;
    synthetic::insert(&mut tx, "loan", columns::LOAN_COLUMNS, &b.loans, 500).await?;
    synthetic::insert(
        &mut tx,
        "installment",
        columns::INSTALLMENT_COLUMNS,
        &b.installments,
        2000,
    )
    .await?;
    tx.commit().await.context("committing a batch")?;
    Ok(())
}

/// Records the day before `as_of` as closed (unless a later day is) and folds the portfolio
/// ledger the new loans filled, so that `vamyar cob --date AS_OF` does one ordinary day's work.
async fn close_yesterday(db: &Db, as_of: NaiveDate) -> anyhow::Result<()> {
    let yesterday = vamyar_store::time::date(as_of - Duration::days(1));
    let last = cob::last_done(db.pool()).await?;
    let mut tx = db.begin().await?;
    if last.as_deref().is_none_or(|l| l < yesterday.as_str()) {
        cob::start(&mut tx, &yesterday).await?;
        cob::finish(&mut tx, &yesterday, &serde_json::json!({"seeded": true})).await?;
    }
    tx.commit().await?;
    loop {
        let mut tx = db.begin().await?;
        let n = cob::portfolio::fold_ledger(&mut tx, 50_000).await?;
        tx.commit().await?;
        if n == 0 {
            break;
        }
    }
    Ok(())
}

/// A text value.
fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}
