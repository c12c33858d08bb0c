//! `vamyar notify run | retry | status`: the SMS delivery worker on its own (it also runs
//! inside `serve`), requeuing a parked message, and the queue's counts. Also builds the
//! configured provider and worker for `serve`.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use vamyar_notify::provider::{FileProvider, KavenegarConfig, KavenegarProvider};
use vamyar_notify::{SmsProvider, Worker, WorkerConfig};
use vamyar_store::Db;

use crate::cli::NotifyRunArgs;
use crate::config::Config;

/// The configured provider, or `None` for `provider = "none"` (nothing is sent; messages
/// wait in the outbox).
pub fn provider(config: &Config) -> anyhow::Result<Option<Arc<dyn SmsProvider>>> {
    let sms = &config.sms;
    Ok(match sms.provider.as_str() {
        "file" => {
            let file = FileProvider::new(config.data_path(&sms.file_path));
            // codes in clear only for a demo, where the file is how a tester reads them
            Some(Arc::new(if config.demo { file.with_codes() } else { file }))
        }
        "kavenegar" => {
            if sms.api_key.is_empty() {
                bail!("sms.provider is kavenegar but sms.api_key is empty");
            }
            let non_empty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
            let p = KavenegarProvider::new(KavenegarConfig {
                base_url: sms.base_url.clone(),
                api_key: sms.api_key.expose().to_string(),
                sender: non_empty(&sms.sender),
                timeout: Duration::from_secs(sms.timeout_secs.max(1)),
                verify_template: non_empty(&sms.verify_template),
            })
            .map_err(|e| anyhow::anyhow!("building the SMS provider: {e}"))?;
            Some(Arc::new(p))
        }
        "none" => None,
        other => bail!("unknown sms.provider `{other}` (file, kavenegar or none)"),
    })
}

/// The worker's settings from the configuration.
pub fn worker_config(config: &Config) -> WorkerConfig {
    let sms = &config.sms;
    let timeout = i64::try_from(sms.timeout_secs.max(1)).unwrap_or(10);
    WorkerConfig {
        batch: sms.batch.clamp(1, 1000),
        // a claim must outlive a lookup and a send
        lease: chrono::Duration::seconds(sms.lease_secs.max(2 * timeout + 5)),
        max_attempts: sms.max_attempts.max(1),
        backoff_base: chrono::Duration::seconds(sms.backoff_secs.max(0)),
        // checked when the configuration was loaded
        quiet_hours: sms.quiet_window().unwrap_or_default(),
        ..WorkerConfig::default()
    }
}

/// A worker for the configured provider, or `None` when nothing is to be sent.
pub fn worker(config: &Config, db: &Db) -> anyhow::Result<Option<Worker>> {
    Ok(provider(config)?.map(|p| Worker::new(db.clone(), p, worker_config(config))))
}

/// Starts the worker in the background for `serve` (unless `sms.worker = false` or the
/// provider is `none`); it stops when `shutdown` turns true, after the step in progress.
pub fn spawn(
    config: &Config,
    db: &Db,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
    if !config.sms.worker {
        return Ok(None);
    }
    let Some(w) = worker(config, db)? else {
        return Ok(None);
    };
    let interval = Duration::from_millis(config.sms.interval_ms.max(10));
    Ok(Some(tokio::spawn(w.run(interval, async move {
        let _ = shutdown.wait_for(|stop| *stop).await;
    }))))
}

/// `vamyar notify run [--until-empty]`.
pub async fn run(config: &Config, args: NotifyRunArgs) -> anyhow::Result<ExitCode> {
    let db = super::open_database(config).await?;
    let Some(w) = worker(config, &db)? else {
        bail!("sms.provider is none: there is nothing to deliver with");
    };
    if args.until_empty {
        let handled = w.drain().await.context("delivering the outbox")?;
        let reports = w.report_step().await.context("polling delivery reports")?;
        println!("handled {handled} messages; asked for {reports} delivery reports");
        db.close().await;
        return Ok(ExitCode::SUCCESS);
    }
    let interval = Duration::from_millis(config.sms.interval_ms.max(10));
    w.run(interval, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

/// `vamyar notify retry --id N`: puts a parked (failed) message back in the queue.
pub async fn retry(config: &Config, id: i64) -> anyhow::Result<ExitCode> {
    let db = super::open_database(config).await?;
    let done = vamyar_store::delivery::requeue_failed(&db, id).await?;
    db.close().await;
    if done {
        println!("message {id} is queued again");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("message {id} is not a failed message that can be retried");
        Ok(ExitCode::FAILURE)
    }
}

/// `vamyar notify status`: how many messages are in each status.
pub async fn status(config: &Config) -> anyhow::Result<ExitCode> {
    let db = super::open_database(config).await?;
    for (status, n) in vamyar_store::delivery::counts(&db).await? {
        println!("{status:<10} {n}");
    }
    db.close().await;
    Ok(ExitCode::SUCCESS)
}
