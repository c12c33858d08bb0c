//! The outbox delivery worker: claims due messages under a lease, renders and sends them,
//! records what the provider answered, retries transient failures with exponential backoff
//! and jitter, and polls delivery reports.
//!
//! # Exactly once, and where it is only at least once
//!
//! A message is sent with its outbox id as the provider's local id. A worker that dies (or
//! hangs past its lease) between sending and recording leaves the row `sending` with an
//! expired lease; the next worker to claim it sees `attempts > 1` and first asks the provider
//! whether that local id was accepted ([`SmsProvider::lookup_local_id`]). If it was, the
//! message is recorded as sent without sending again. The same check follows a timeout, after
//! which the provider may or may not have taken the message.
//!
//! The boundary that remains: a provider that cannot look up local ids
//! ([`Lookup::Unsupported`]), or Kavenegar's `verify/lookup` (one-time codes through a
//! template, which takes no local id), may deliver a message twice when a worker dies after the
//! provider accepted it and before the database recorded it. Nothing is ever lost: a message
//! leaves the queue only once it is recorded `sent`, `failed` (kept for staff) or `expired`.
//!
//! The outcomes of a batch are recorded together in one transaction after its sends: a crash
//! before that commit leaves the whole batch to the lookup above, which is why the lookup, not
//! the recording, is what prevents a second send.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, NaiveTime, Utc};
use rand::Rng;
use serde::Deserialize;
use serde_json::Value;
use tokio::task::JoinSet;
use vamyar_domain::announcement::{Announcement, Notice};
use vamyar_i18n::Lang;
use vamyar_store::delivery::{self, Claimed, Record};
use vamyar_store::{Db, StoreError, time};

use crate::provider::{Accepted, Lookup, SendError, Sms, SmsProvider};
use crate::render::render;

/// How the worker behaves.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// Messages claimed per step.
    pub batch: i64,
    /// How long a claim lasts; must exceed a lookup plus a send (two provider timeouts).
    pub lease: Duration,
    /// Attempts before a transiently failing message is parked as `failed`.
    pub max_attempts: i64,
    /// The first retry's delay; each further retry doubles it.
    pub backoff_base: Duration,
    /// The longest delay between attempts.
    pub backoff_max: Duration,
    /// A sent message is polled for its delivery report at most this often.
    pub report_every: Duration,
    /// Reports are asked for this long after sending (Kavenegar keeps 48 hours).
    pub report_window: Duration,
    /// Quiet hours, Tehran time, `(from, until)`: between them only one-time login codes are
    /// sent; every other message (reminders, overdue notices, …) stays queued and goes out
    /// once they end. `None` (the default here): no quiet hours; the service's configuration
    /// sets 21:00–08:00 (`[sms] quiet_hours`).
    pub quiet_hours: Option<(NaiveTime, NaiveTime)>,
}

impl WorkerConfig {
    /// Whether `now` falls in the quiet hours (Tehran time; a window may span midnight).
    pub fn is_quiet(&self, now: DateTime<Utc>) -> bool {
        let Some((from, until)) = self.quiet_hours else {
            return false;
        };
        let t = now.with_timezone(&vamyar_calendar::tehran()).time();
        if from <= until {
            from <= t && t < until
        } else {
            t >= from || t < until
        }
    }
}

/// The event that may still be sent in quiet hours: one-time login codes.
const SENT_IN_QUIET_HOURS: &str = vamyar_store::otp::OUTBOX_EVENT;

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            batch: 50,
            lease: Duration::seconds(60),
            max_attempts: 8,
            backoff_base: Duration::seconds(30),
            backoff_max: Duration::hours(1),
            report_every: Duration::minutes(5),
            report_window: Duration::hours(48),
            quiet_hours: None,
        }
    }
}

/// What happened to one claimed message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The provider accepted it now.
    Sent,
    /// The provider had accepted it before (found by local id); not sent again.
    Recovered,
    /// A transient failure; it is back in the queue.
    Retry,
    /// Parked as failed.
    Failed,
    /// Past its expiry; never sent.
    Expired,
    /// Another worker took it over meanwhile; nothing recorded.
    LostLease,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Sent => "sent",
            Outcome::Recovered => "recovered",
            Outcome::Retry => "retry",
            Outcome::Failed => "failed",
            Outcome::Expired => "expired",
            Outcome::LostLease => "lost_lease",
        }
    }
}

/// A delivery worker over one database and one provider. Cheap to clone.
#[derive(Clone)]
pub struct Worker {
    db: Db,
    provider: Arc<dyn SmsProvider>,
    id: Arc<str>,
    config: WorkerConfig,
}

impl Worker {
    /// A worker with a fresh id (process id and a random suffix).
    pub fn new(db: Db, provider: Arc<dyn SmsProvider>, config: WorkerConfig) -> Worker {
        let r: u32 = rand::rng().random();
        let id = format!("w{}-{r:08x}", std::process::id());
        Worker {
            db,
            provider,
            id: id.into(),
            config,
        }
    }

    /// This worker's id, as stored in `outbox.locked_by`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The provider's name.
    pub fn provider_name(&self) -> &str {
        self.provider.name()
    }

    /// One step: claims a batch of due messages (and, once the backlog is through, marks what
    /// is past its time `expired`), delivers them
    /// concurrently and records every outcome in one transaction. Returns how many messages
    /// it handled; 0 means nothing was due. If recording fails, the batch stays claimed until
    /// its lease expires and the next claim recovers it by local id.
    pub async fn step(&self) -> Result<usize, StoreError> {
        self.step_at(Utc::now()).await
    }

    /// [`Worker::step`] as at the instant `now` (the quiet hours are judged by it).
    pub async fn step_at(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let only = self.config.is_quiet(now).then_some(SENT_IN_QUIET_HOURS);
        let rows = delivery::claim(
            &self.db,
            &self.id,
            now,
            self.config.lease,
            self.config.batch,
            only,
        )
        .await?;
        // claims never take an expired message; marking them is bookkeeping, done when the
        // backlog is through rather than on every step
        let expired = if rows.len() < usize::try_from(self.config.batch).unwrap_or(0) {
            delivery::expire_due(&self.db, now).await?
        } else {
            0
        };
        let handled = rows.len() + usize::try_from(expired).unwrap_or(0);
        let mut tasks = JoinSet::new();
        for row in rows {
            let me = self.clone();
            tasks.spawn(async move {
                let decided = me.decide(&row).await;
                (row, decided)
            });
        }
        let mut decided = Vec::with_capacity(tasks.len());
        while let Some(done) = tasks.join_next().await {
            match done {
                Ok(d) => decided.push(d),
                Err(e) => tracing::error!(error = %e, "a delivery task failed"),
            }
        }
        let records: Vec<(i64, Record)> = decided
            .iter()
            .map(|(row, (record, _))| (row.id, record.clone()))
            .collect();
        let recorded =
            delivery::record_all(&self.db, &self.id, self.provider.name(), &records).await?;
        for ((row, (_, outcome)), ok) in decided.iter().zip(recorded) {
            let outcome = if ok { *outcome } else { Outcome::LostLease };
            tracing::debug!(
                id = row.id,
                event = %row.event,
                attempts = row.attempts,
                outcome = outcome.as_str(),
                "outbox message handled"
            );
            metrics::counter!("vamyar_sms_outcomes_total", "outcome" => outcome.as_str())
                .increment(1);
        }
        Ok(handled)
    }

    /// Steps until nothing is due; returns how many messages were handled in all.
    pub async fn drain(&self) -> Result<usize, StoreError> {
        let mut total = 0;
        loop {
            let n = self.step().await?;
            if n == 0 {
                return Ok(total);
            }
            total += n;
        }
    }

    /// Claims one batch without delivering it: what a worker that dies right after claiming
    /// leaves behind (for tests of the recovery).
    pub async fn claim_only(&self) -> Result<Vec<i64>, StoreError> {
        let rows = delivery::claim(
            &self.db,
            &self.id,
            Utc::now(),
            self.config.lease,
            self.config.batch,
            None,
        )
        .await?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    /// Renders and sends one claimed message (after asking the provider about an earlier
    /// attempt) and says what to record. Touches no database.
    async fn decide(&self, row: &Claimed) -> (Record, Outcome) {
        let payload: Value = serde_json::from_str(&row.payload).unwrap_or(Value::Null);
        let lang = match payload.get("lang").and_then(Value::as_str) {
            Some("en") => Lang::En,
            _ => Lang::Fa,
        };
        let text = match render(&row.event, &payload, lang) {
            Ok(t) => t,
            Err(e) => {
                tracing::error!(id = row.id, event = %row.event, error = %e, "cannot render a message");
                return final_record("failed", format!("render: {e}"));
            }
        };
        // recovery: a previous attempt may have reached the provider
        if row.attempts > 1 {
            match self.provider.lookup_local_id(row.id).await {
                Ok(Lookup::Accepted(a)) => return (sent_record(&a), Outcome::Recovered),
                Ok(Lookup::NotFound | Lookup::Unsupported) => {}
                Err(SendError::Permanent(_)) => {}
                Err(e) => return self.retry(row, format!("lookup: {}", e.reason())),
            }
        }
        if let Some(exp) = &row.expires_at
            && *exp <= time::now()
        {
            return final_record("expired", "expired before sending".into());
        }
        let sms = Sms {
            local_id: row.id,
            to: row.recipient.clone(),
            text,
            kind: row.event.clone(),
            application_id: row.application_id,
            otp_code: match Announcement::deserialize(&payload) {
                Ok(Announcement {
                    notice: Notice::Otp { code, .. },
                    ..
                }) => Some(code),
                _ => None,
            },
        };
        match self.provider.send(&sms).await {
            Ok(a) => (sent_record(&a), Outcome::Sent),
            Err(SendError::Transient(reason)) => self.retry(row, reason),
            Err(SendError::Permanent(reason)) => {
                tracing::warn!(id = row.id, event = %row.event, reason = %reason, "message refused by the provider");
                final_record("failed", reason)
            }
        }
    }

    /// A retry after the backoff, or `failed` once the attempts are used up.
    fn retry(&self, row: &Claimed, reason: String) -> (Record, Outcome) {
        if row.attempts >= self.config.max_attempts {
            tracing::warn!(id = row.id, event = %row.event, attempts = row.attempts, reason = %reason, "message parked after its last attempt");
            return final_record("failed", format!("gave up: {reason}"));
        }
        let next_attempt_at = Utc::now() + self.backoff(row.attempts);
        (
            Record::Retry {
                next_attempt_at,
                error: reason,
            },
            Outcome::Retry,
        )
    }

    /// The delay before attempt `attempts + 1`: `base · 2^(attempts-1)`, at most the maximum,
    /// times a random factor in [0.5, 1] so that workers do not retry in step.
    pub fn backoff(&self, attempts: i64) -> Duration {
        let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        let base = self.config.backoff_base.num_milliseconds().max(0);
        let full = base
            .saturating_mul(1_i64 << exp)
            .min(self.config.backoff_max.num_milliseconds());
        let factor: f64 = rand::rng().random_range(0.5..=1.0);
        #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
        let ms = (full as f64 * factor) as i64;
        Duration::milliseconds(ms)
    }

    /// One round of delivery reports: asks the provider about sent messages not polled for
    /// a while and records what it says. Returns how many messages were asked about.
    pub async fn report_step(&self) -> Result<usize, StoreError> {
        let batch = self.provider.status_batch();
        if batch == 0 {
            return Ok(0);
        }
        let now = Utc::now();
        let rows = delivery::awaiting_report(
            &self.db,
            self.provider.name(),
            now - self.config.report_window,
            now - self.config.report_every,
            i64::try_from(batch).unwrap_or(500),
        )
        .await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let ids: Vec<String> = rows.iter().map(|r| r.provider_message_id.clone()).collect();
        let reports = match self.provider.status(&ids).await {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(reason = %e.reason(), "delivery reports unavailable");
                return Ok(0);
            }
        };
        for row in &rows {
            let d = reports
                .iter()
                .find(|(id, _)| *id == row.provider_message_id)
                .map(|(_, d)| *d);
            delivery::record_report(
                &self.db,
                row.id,
                d.map(|d| d.as_str()),
                d.and_then(|d| d.final_status()),
            )
            .await?;
        }
        Ok(rows.len())
    }

    /// Delivers until `shutdown` resolves: steps while messages are due, asks for delivery
    /// reports now and then, and sleeps `interval` when the queue is empty. A step in progress
    /// finishes before the worker stops. Database errors are logged and retried after the
    /// interval.
    pub async fn run(self, interval: StdDuration, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        tracing::info!(worker = %self.id, provider = self.provider.name(), "SMS delivery worker started");
        let report_every = self
            .config
            .report_every
            .to_std()
            .unwrap_or(StdDuration::from_secs(300))
            / 2;
        let mut last_report: Option<std::time::Instant> = None;
        loop {
            tokio::select! {
                biased;
                _ = &mut shutdown => break,
                _ = std::future::ready(()) => {}
            }
            let handled = match self.step().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "SMS delivery step failed");
                    0
                }
            };
            if last_report.is_none_or(|t| t.elapsed() >= report_every) {
                last_report = Some(std::time::Instant::now());
                if let Err(e) = self.report_step().await {
                    tracing::warn!(error = %e, "SMS delivery report step failed");
                }
            }
            if handled == 0 {
                tokio::select! {
                    _ = &mut shutdown => break,
                    _ = tokio::time::sleep(interval) => {}
                }
            }
        }
        tracing::info!(worker = %self.id, "SMS delivery worker stopped");
    }
}

fn sent_record(a: &Accepted) -> Record {
    Record::Sent {
        provider_message_id: a.message_id.clone(),
        delivery_status: a.delivery.map(|d| d.as_str().to_string()),
    }
}

fn final_record(status: &'static str, error: String) -> (Record, Outcome) {
    let outcome = if status == "expired" {
        Outcome::Expired
    } else {
        Outcome::Failed
    };
    (Record::Final { status, error }, outcome)
}
