//! `vamyar serve`: migrate, optionally seed the demo, then serve until SIGINT/SIGTERM.

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context;
use vamyar_web::{AppState, WebConfig};

use crate::config::Config;

/// The web settings from the whole configuration. Cookies are `Secure` and answers carry
/// HSTS unless the site is plain HTTP on loopback (no proxy in front, a loopback address).
pub fn web_config(config: &Config) -> anyhow::Result<WebConfig> {
    let trusted_proxies = config
        .http
        .proxies()
        .map_err(|p| anyhow::anyhow!("[http] trusted_proxies: `{p}` is not a CIDR"))?;
    Ok(WebConfig {
        upload_dir: config.data_dir.join("uploads"),
        max_upload_bytes: config.max_upload_bytes,
        secure_cookies: config.secure_cookies
            || !trusted_proxies.is_empty()
            || !plain_loopback(&config.addr),
        sms_inbound_secret: vamyar_web::routes::messages::InboundSecret::new(
            config.sms.inbound_secret.expose(),
        ),
        // checked when the configuration was loaded
        weekend: config.calendar.weekend_days().unwrap_or_default(),
        overdue_after_working_days: config.calendar.overdue_after_working_days,
        complaint_working_days: config.calendar.complaint_working_days,
        arrears_classes: config.reports.classes().unwrap_or_default(),
        four_eyes: config.four_eyes,
        trusted_proxies,
        metrics_token: vamyar_web::routes::messages::InboundSecret::new(
            config.http.metrics_token.expose(),
        ),
    })
}

/// True when `addr` is a loopback address (`127.0.0.1:8080`, `[::1]:8080`, `localhost:…`).
fn plain_loopback(addr: &str) -> bool {
    match addr.parse::<SocketAddr>() {
        Ok(a) => a.ip().is_loopback(),
        Err(_) => addr.starts_with("localhost:"),
    }
}

/// Runs the server.
pub async fn run(mut config: Config, demo: bool, force: bool) -> anyhow::Result<ExitCode> {
    config.demo = demo;
    if demo
        && !force
        && vamyar_store::Backend::from_url(&config.database_url)
            == Some(vamyar_store::Backend::Postgres)
    {
        // before connecting: not even a migration on what may be the production database
        anyhow::bail!(
            "refusing --demo on a PostgreSQL URL (the production engine): demo accounts have a \
             published password; use --demo-force on a throw-away database"
        );
    }
    let db = super::open_database(&config).await?;
    if demo {
        vamyar_app::demo::check_target(&db, force).await?;
    }
    let mut state =
        AppState::new(db.clone(), web_config(&config)?).with_rate_limits(config.limits.clone());
    if config.http.password_check_permits > 0 {
        state = state.with_hashing_permits(config.http.password_check_permits);
    }
    if demo {
        vamyar_app::demo::seed(&db, state.ctx.today())
            .await
            .context("seeding the demo")?;
        println!(
            "Demo accounts (password `{}`):",
            vamyar_app::demo::DEMO_PASSWORD
        );
        for (username, role) in vamyar_app::demo::DEMO_ACCOUNTS {
            println!("  {username:<10} {role}");
        }
    }
    if config.cob_check_minutes > 0 {
        // close of business, daily; the lease keeps several servers from running it twice
        tokio::spawn(vamyar_app::cob::daily(
            state.ctx.clone(),
            std::time::Duration::from_secs(config.cob_check_minutes * 60),
        ));
    }
    // SMS delivery; several servers share the outbox without sending anything twice
    let (stop_worker, worker_stop) = tokio::sync::watch::channel(false);
    let mut sealer_stop = worker_stop.clone();
    let worker = super::notify::spawn(&config, &db, worker_stop)?;
    // the audit chain, sealed every second; several servers take turns on the chain's head
    let sealer = tokio::spawn(vamyar_app::audit::seal_every(
        db.clone(),
        vamyar_app::audit::SEAL_EVERY,
        async move {
            let _ = sealer_stop.wait_for(|stop| *stop).await;
        },
    ));
    let listener = tokio::net::TcpListener::bind(&config.addr)
        .await
        .with_context(|| format!("listening on {}", config.addr))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, database = db.backend().name(), "vamyar is serving");
    println!(
        "Vamyar is serving on http://{addr}/ (database: {})",
        db.backend().name()
    );
    axum::serve(
        listener,
        vamyar_web::app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("serving")?;
    let _ = stop_worker.send(true);
    if let Some(w) = worker {
        // the worker finishes the step in progress; an unrecorded send is recovered later
        let _ = tokio::time::timeout(std::time::Duration::from_secs(30), w).await;
    }
    // the sealer seals what the last requests appended; what it leaves, the next one seals
    let _ = tokio::time::timeout(std::time::Duration::from_secs(30), sealer).await;
    tracing::info!("stopped; closing the database");
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before the process exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown requested");
}
