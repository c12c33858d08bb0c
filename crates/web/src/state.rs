//! What every handler can reach: the use cases' context (database, clock, settings), the web
//! configuration and the metrics handle.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use vamyar_app::{Clock, Ctx};
use vamyar_store::Db;

use crate::auth::ratelimit::RateLimits;

/// The part of the configuration the web layer needs.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Where uploaded documents are stored (outside any web root), by content hash.
    pub upload_dir: PathBuf,
    /// The largest accepted upload, in bytes.
    pub max_upload_bytes: usize,
    /// True when the site is served over TLS (cookies get `Secure`).
    pub secure_cookies: bool,
    /// The shared secret of the inbound-SMS webhook (none: the webhook refuses everything).
    pub sms_inbound_secret: crate::routes::messages::InboundSecret,
    /// The weekend days (`[calendar] weekend`), Friday by default.
    pub weekend: Vec<chrono::Weekday>,
    /// Working days after a due date before an installment is overdue (1 by default).
    pub overdue_after_working_days: u32,
    /// Working days the office head has to answer a complaint (5 by default).
    pub complaint_working_days: u32,
    /// The day thresholds of the central bank's classes in the portfolio report.
    pub arrears_classes: vamyar_app::reports::ArrearsClasses,
    /// Four eyes: which acts need a second person (`[four_eyes]`).
    pub four_eyes: vamyar_app::proposals::FourEyes,
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` headers name the client
    /// (`[http] trusted_proxies`); every other peer's headers are ignored.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The bearer token `/metrics` requires (the same secret type as the SMS webhook's);
    /// none configured: `/metrics` answers 404.
    pub metrics_token: crate::routes::messages::InboundSecret,
}

impl Default for WebConfig {
    fn default() -> Self {
        let app = vamyar_app::Settings::default();
        WebConfig {
            upload_dir: app.upload_dir,
            max_upload_bytes: app.max_upload_bytes,
            secure_cookies: false,
            sms_inbound_secret: Default::default(),
            weekend: app.weekend,
            overdue_after_working_days: app.overdue_after_working_days,
            complaint_working_days: app.complaint_working_days,
            arrears_classes: app.arrears_classes,
            four_eyes: app.four_eyes,
            trusted_proxies: Vec::new(),
            metrics_token: Default::default(),
        }
    }
}

/// Shared state of the application, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The use cases' context.
    pub ctx: Ctx,
    /// The database (the same as `ctx.db`).
    pub db: Db,
    /// Web settings.
    pub config: Arc<WebConfig>,
    /// Renders `/metrics`.
    pub metrics: PrometheusHandle,
    /// Limits on login and one-time-code attempts.
    pub rate_limits: Arc<RateLimits>,
    /// Permits for password checks running at once (Argon2: ~19 MiB each); a login that
    /// finds none free is answered 503 `busy`.
    pub hashing: Arc<tokio::sync::Semaphore>,
}

/// Password checks at once by default: twice the processors, at least 4.
pub fn default_hashing_permits() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get() * 2)
        .unwrap_or(4)
        .max(4)
}

impl AppState {
    /// State over a connected, migrated database, with the system clock.
    pub fn new(db: Db, config: WebConfig) -> AppState {
        let settings = vamyar_app::Settings {
            upload_dir: config.upload_dir.clone(),
            max_upload_bytes: config.max_upload_bytes,
            weekend: config.weekend.clone(),
            overdue_after_working_days: config.overdue_after_working_days,
            arrears_classes: config.arrears_classes,
            four_eyes: config.four_eyes,
            complaint_working_days: config.complaint_working_days,
            ..vamyar_app::Settings::default()
        };
        AppState {
            ctx: Ctx::new(db.clone(), settings),
            db,
            config: Arc::new(config),
            metrics: metrics_handle(),
            rate_limits: Arc::new(RateLimits::default()),
            hashing: Arc::new(tokio::sync::Semaphore::new(default_hashing_permits())),
        }
    }

    /// The same state with `permits` password checks at once.
    pub fn with_hashing_permits(mut self, permits: usize) -> AppState {
        self.hashing = Arc::new(tokio::sync::Semaphore::new(permits.max(1)));
        self
    }

    /// The same state with other rate limits (tests use small ones).
    pub fn with_rate_limits(mut self, limits: RateLimits) -> AppState {
        self.rate_limits = Arc::new(limits);
        self
    }

    /// The same state with another clock (tests set the time).
    pub fn with_clock(mut self, clock: Clock) -> AppState {
        self.ctx = self.ctx.with_clock(clock);
        self
    }
}

/// The process-wide Prometheus recorder (installed once; tests build many apps).
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            // Another recorder may already be installed (e.g. by an embedding program);
            // then /metrics shows only what this handle sees.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}
