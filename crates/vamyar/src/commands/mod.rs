//! One module per command.

use std::process::ExitCode;

use anyhow::Context;
use tracing_subscriber::EnvFilter;
use vamyar_store::Db;

use crate::config::Config;

pub mod audit;
pub mod cob;
pub mod export;
pub mod import;
pub mod notify;
pub mod seed;
pub mod serve;
pub mod user;

/// Sets up logging: `RUST_LOG` if set, else `info`; text or JSON lines on stderr.
pub fn init_tracing(config: &Config) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if config.log_format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Connects to the configured database, migrates it, seeds reference data and builds what a
/// migration left to be built from the data (the funnel's tally, migration step 20).
pub async fn open_database(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect(&config.database_url).await.with_context(|| {
        format!(
            "connecting to the {} database",
            engine_name(&config.database_url)
        )
    })?;
    db.migrate().await.context("migrating the database")?;
    vamyar_store::reference::seed(&db, vamyar_calendar::Clock::system().today())
        .await
        .context("seeding reference data")?;
    let started = std::time::Instant::now();
    if let Some(stays) = vamyar_app::reports::stays::ensure_built(&app_ctx(config, &db))
        .await
        .context("building the funnel's tally from the stage clocks")?
    {
        tracing::info!(
            stays,
            seconds = started.elapsed().as_secs_f64(),
            "the funnel's tally was built from the stage clocks"
        );
    }
    Ok(db)
}

/// The use cases' settings from the whole configuration.
pub fn app_settings(config: &Config) -> vamyar_app::Settings {
    vamyar_app::Settings {
        upload_dir: config.data_dir.join("uploads"),
        max_upload_bytes: config.max_upload_bytes,
        // checked when the configuration was loaded
        weekend: config.calendar.weekend_days().unwrap_or_default(),
        overdue_after_working_days: config.calendar.overdue_after_working_days,
        complaint_working_days: config.calendar.complaint_working_days,
        // checked when the configuration was loaded
        arrears_classes: config.reports.classes().unwrap_or_default(),
        four_eyes: config.four_eyes,
        ..vamyar_app::Settings::default()
    }
}

/// The use cases' context over a connected database, with the system clock.
pub fn app_ctx(config: &Config, db: &Db) -> vamyar_app::Ctx {
    vamyar_app::Ctx::new(db.clone(), app_settings(config))
}

/// The engine a URL names, for messages that must not print credentials.
pub fn engine_name(url: &str) -> &'static str {
    vamyar_store::Backend::from_url(url)
        .map(|b| b.name())
        .unwrap_or("unknown")
}

/// `vamyar migrate`.
pub async fn migrate(config: &Config) -> anyhow::Result<ExitCode> {
    let db = open_database(config).await?;
    tracing::info!(database = db.backend().name(), "migrations applied");
    db.close().await;
    Ok(ExitCode::SUCCESS)
}
